// The public csv-spectrum suite (npm package csv-spectrum, pinned in
// tests/package.json): every CSV case through the plugin's reader, compared
// with the JSON the suite expects. The first row names the columns, as in the
// suite's own readers.
//
// Two known mistakes in csv-spectrum 2.0.0's expected files are corrected
// here, each checked so that a fixed release makes this test say so:
// location_coordinates.json is an object instead of an array (upstream issue
// #22) and gives a phone number the CSV does not contain (issue #20).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "plugin_harness.h"

namespace lendgate::delimited {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSpectrum = fs::path(LENDGATE_TEST_SOURCE_DIR) / "tests" / "node_modules" / "csv-spectrum";

std::vector<CsvRow> readRows(const std::string &input, const CsvOptions &options, std::size_t chunk) {
    std::size_t position = 0;
    CsvReader reader(
        [&](char *buffer, std::size_t capacity) {
            const std::size_t n = std::min({capacity, chunk, input.size() - position});
            std::memcpy(buffer, input.data() + position, n);
            position += n;
            return n;
        },
        options, 16);
    std::vector<CsvRow> rows;
    for (CsvRow row; reader.next(row);) rows.push_back(row);
    return rows;
}

// The suite's shape: one object per data row, keyed by the first row's names.
json asObjects(const std::vector<CsvRow> &rows) {
    json out = json::array();
    for (std::size_t i = 1; i < rows.size(); ++i) {
        json object = json::object();
        for (std::size_t c = 0; c < rows[i].fields.size() && c < rows[0].fields.size(); ++c)
            object[rows[0].fields[c]] = rows[i].fields[c];
        out.push_back(std::move(object));
    }
    return out;
}

std::vector<fs::path> cases() {
    std::vector<fs::path> out;
    if (!fs::is_directory(kSpectrum / "csvs")) return out;
    for (const auto &entry : fs::directory_iterator(kSpectrum / "csvs"))
        if (entry.path().extension() == ".csv") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

json expectedFor(const fs::path &csv) {
    const std::string name = csv.stem().string();
    json expected = json::parse(test::readFile((kSpectrum / "json" / (name + ".json")).string()));
    if (name == "location_coordinates") {
        // Upstream #22: one object, not an array of one. Upstream #20: the CSV says 2095257564.
        EXPECT_TRUE(expected.is_object()) << "csv-spectrum fixed issue #22: drop this correction";
        EXPECT_EQ(expected.value("Contact Phone Number", ""), "1234567890")
            << "csv-spectrum fixed issue #20: drop this correction";
        if (expected.is_object()) expected = json::array({expected});
        expected[0]["Contact Phone Number"] = "2095257564";
    }
    return expected;
}

TEST(CsvSpectrum, TheSuiteIsInstalled) {
    ASSERT_TRUE(fs::is_directory(kSpectrum / "csvs") && fs::is_directory(kSpectrum / "json"))
        << kSpectrum << " is missing: the csv-spectrum cases come from npm. Run `npm ci --prefix tests` "
        << "(scripts/install-deps.sh --with-test-tools and scripts/test.sh do it).";
    EXPECT_GE(cases().size(), 12u) << "csv-spectrum 2.0.0 has 12 cases";
}

TEST(CsvSpectrum, EveryCaseReadsAsTheSuiteExpects) {
    const auto all = cases();
    ASSERT_FALSE(all.empty()) << kSpectrum << " has no cases: run `npm ci --prefix tests`";
    // A quote inside an unquoted field (37.8"N in location_coordinates) is data for the suite: bare_quote "data".
    CsvOptions options;
    options.bareQuoteIsData = true;
    for (const fs::path &csv : all) {
        SCOPED_TRACE(csv.filename().string());
        const std::string input = test::readFile(csv.string());
        const json expected = expectedFor(csv);
        for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{4096}}) {
            const auto rows = readRows(input, options, chunk);
            ASSERT_FALSE(rows.empty());
            for (const CsvRow &row : rows) EXPECT_EQ(row.problem, CsvProblem::None) << "line " << row.line;
            EXPECT_EQ(asObjects(rows), expected) << "read " << chunk << " bytes at a time";
        }
    }
}

TEST(CsvSpectrum, StrictQuotingFlagsOnlyTheBareQuote) {
    // The default (bare_quote "error") reads every other case the same and flags the one row that breaks RFC 4180.
    for (const fs::path &csv : cases()) {
        SCOPED_TRACE(csv.filename().string());
        const auto rows = readRows(test::readFile(csv.string()), CsvOptions{}, 4096);
        const bool bare = csv.stem() == "location_coordinates";
        for (std::size_t i = 0; i < rows.size(); ++i)
            EXPECT_EQ(rows[i].problem, bare && i == 1 ? CsvProblem::MisplacedQuote : CsvProblem::None);
        if (!bare) {
            EXPECT_EQ(asObjects(rows), expectedFor(csv));
        }
    }
}

TEST(CsvSpectrum, EveryCaseDecodesThroughThePlugin) {
    // The same files as a partner would send them, through the .so with a configuration naming their columns.
    test::LoadedPlugin plugin(LENDGATE_TEST_PLUGIN_PATH);
    for (const fs::path &csv : cases()) {
        SCOPED_TRACE(csv.filename().string());
        const std::string input = test::readFile(csv.string());
        const json expected = expectedFor(csv);
        json fields = json::array();
        std::size_t index = 0;
        for (const auto &[name, value] : expected.at(0).items())
            fields.push_back({{"column", name}, {"to", "/payload/c" + std::to_string(index++)}});
        const json config = {{"message_type", "consent"}, {"bare_quote", "data"}, {"fields", fields}};
        const auto result = plugin.create(config.dump()).decode(input, nullptr, 7);
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.errorLines(), "");
        ASSERT_EQ(result.records.size(), expected.size());
        for (std::size_t r = 0; r < expected.size(); ++r) {
            const json record = json::parse(result.records[r].json);
            index = 0;
            for (const auto &[name, value] : expected[r].items()) {
                const std::string key = "c" + std::to_string(index++);
                // Blank cells are absent values in canonical records.
                if (value.get<std::string>().empty())
                    EXPECT_FALSE(record.contains("payload") && record["payload"].contains(key)) << name;
                else
                    EXPECT_EQ(record["payload"].value(key, ""), value) << name;
            }
        }
    }
}

}  // namespace
}  // namespace lendgate::delimited
