// Cactus Auto Finance's nightly fixed-width file through the plugin with the
// shipped configuration: delinquency notices (DN) and assignment orders (AO)
// in one file, told apart by their record type code. The sample decodes to
// the golden canonical records exactly; damaged records are reported by line
// and skipped; a file whose structure or control totals are wrong is refused
// whole.
//
// Set LENDGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixedwidth_test_support.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

const std::string kSample = kRoot + "/samples/cactus-auto-finance/CAF_DQAO_20261122_001.txt";

CallResult decode(const std::string &input, const char *type = nullptr, std::size_t chunk = 4096) {
    auto instance = plugin().create(config("cactus-notices-orders.json"));
    return instance.decode(input, type, chunk);
}

TEST(CactusAutoFinance, SampleFileDecodesToTheGoldenRecords) {
    const auto result = decode(readFile(kSample));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 15u);
    expectGolden(result.jsonLines(), "CAF_DQAO_20261122_001.expected.jsonl");
    for (std::size_t i = 0; i < result.records.size(); ++i)
        EXPECT_EQ(result.records[i].messageType, i < 8 ? "delinquency_notice" : "repossession_assignment") << i;
    EXPECT_TRUE(result.logs.empty());
}

TEST(CactusAutoFinance, EachRecordKnowsWhereItCameFrom) {
    const std::string input = readFile(kSample);
    const auto result = decode(input);
    ASSERT_EQ(result.records.size(), 15u);
    for (std::size_t i = 0; i < 15; ++i) {
        const auto &where = result.records[i].where;
        EXPECT_EQ(where.record, i + 1);
        EXPECT_EQ(where.line, i + 2);  // line 1 is the file header
        const std::string start = (i < 8 ? "DN" : "AO") + std::string(i < 9 ? "00000" : "0000") + std::to_string(i + 1);
        EXPECT_EQ(input.compare(where.byteOffset, start.size(), start), 0) << "record " << i + 1;
    }
}

TEST(CactusAutoFinance, CrLfLineEndsAByteOrderMarkAndOneByteReadsChangeNothing) {
    const std::string input = readFile(kSample);
    std::string windows = "\xEF\xBB\xBF";
    for (char c : input) windows += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const std::string expected = decode(input).jsonLines();
    const auto crlf = decode(windows);
    EXPECT_EQ(crlf.status, LENDGATE_OK) << crlf.failureMessage();
    EXPECT_EQ(crlf.jsonLines(), expected);
    EXPECT_EQ(crlf.records[0].where.byteOffset, 3u + 35u + 2u);  // the BOM, the header line and its CRLF
    const auto trickle = decode(windows, nullptr, 1);
    EXPECT_EQ(trickle.status, LENDGATE_OK);
    EXPECT_EQ(trickle.jsonLines(), expected);
    // A last line without its line end is still a line.
    const auto unterminated = decode(input.substr(0, input.size() - 1));
    EXPECT_EQ(unterminated.status, LENDGATE_OK) << unterminated.failureMessage();
    EXPECT_EQ(unterminated.jsonLines(), expected);
}

TEST(CactusAutoFinance, AHostExpectingOneTypeGetsOnlyThatTypeAndErrorsForTheRest) {
    const auto orders = decode(readFile(kSample), "repossession_assignment");
    EXPECT_EQ(orders.status, LENDGATE_OK);
    EXPECT_EQ(orders.records.size(), 7u);
    ASSERT_EQ(orders.errors.size(), 8u);
    EXPECT_EQ(orders.errors[0].code, "message_type");
    EXPECT_EQ(orders.errors[0].where.record, 1u);
    EXPECT_EQ(orders.errors[0].message,
              "record type DN carries delinquency_notice, not the expected repossession_assignment");
    const auto notices = decode(readFile(kSample), "delinquency_notice");
    EXPECT_EQ(notices.records.size(), 8u);
    EXPECT_EQ(notices.errors.size(), 7u);
    const auto other = decode(readFile(kSample), "repossession_outcome");
    EXPECT_EQ(other.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_TRUE(other.records.empty());
}

TEST(CactusAutoFinance, BadRecordsAreReportedByLineAndTheRestStillComeOut) {
    const auto result = decode(readFile(kGolden + "CAF_DQAO_bad_records.txt"));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    expectGolden(result.errorLines(), "CAF_DQAO_bad_records.expected-errors.txt");
    expectGolden(result.jsonLines(), "CAF_DQAO_bad_records.expected.jsonl");
    // Details 3, 4, 5, 6, 8, 9 and 12 are damaged; the other eight come out as in the clean file.
    ASSERT_EQ(result.records.size(), 8u);
    const std::vector<std::string> clean = lines(readFile(kGolden + "CAF_DQAO_20261122_001.expected.jsonl"));
    const std::size_t good[] = {1, 2, 7, 10, 11, 13, 14, 15};
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(result.records[i].where.record, good[i]);
        EXPECT_EQ(result.records[i].json, clean[good[i] - 1]);
    }
    ASSERT_FALSE(result.errors.empty());
    const auto &badDate = result.errors[0];
    EXPECT_EQ(badDate.where.record, 3u);
    EXPECT_EQ(badDate.where.line, 4u);
    EXPECT_EQ(badDate.code, "date");
    EXPECT_EQ(badDate.field, "/payload/loan/contract_date");
    EXPECT_EQ(badDate.message,
              "field CONTRACT_DATE (columns 51-58): does not match format MMDDYYYY or is not a real date and time");
    // Detail 12's amount cannot be read, so the amount total is not verified; the counts and the payoff total are.
    ASSERT_EQ(result.logs.size(), 1u);
    EXPECT_EQ(result.logs[0], "trailer TOTAL_PAST_DUE not verified: 1 detail record has no readable AMT_PAST_DUE");
}

TEST(CactusAutoFinance, ErrorTextsNeverCarryTheBorrowersData) {
    const std::string input = readFile(kGolden + "CAF_DQAO_bad_records.txt");
    const auto result = decode(input);
    // Every run of three or more non-blank bytes of a detail line (but the plain English words of the notes):
    // none may appear in what goes to logs and ACKs.
    std::vector<std::string> values;
    for (const std::string &line : lines(input)) {
        if (line.rfind("DN", 0) != 0 && line.rfind("AO", 0) != 0) continue;
        std::string value;
        for (char c : line.substr(2) + " ") {
            if (c != ' ') {
                value += c;
                continue;
            }
            const bool word = std::all_of(value.begin(), value.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
            if (value.size() >= 3 && !word) values.push_back(value);
            value.clear();
        }
    }
    ASSERT_EQ(result.errors.size(), 7u);
    for (const auto &error : result.errors)
        for (const std::string &value : values)
            EXPECT_EQ(error.message.find(value), std::string::npos) << value << " in " << error.message;
}

TEST(CactusAutoFinance, WrongControlTotalsRefuseTheWholeFile) {
    const auto result = decode(readFile(kGolden + "CAF_DQAO_wrong_totals.txt"));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(
        result.failureMessage(),
        "line 17: the trailer's TOTAL_PAST_DUE does not match the sum of AMT_PAST_DUE over the 15 detail records");
}

TEST(CactusAutoFinance, AWrongRecordCountRefusesTheWholeFile) {
    const std::string sample = readFile(kSample);
    const auto total = decode(replaceOnce(sample, "TR000000015000000008", "TR000000016000000008"));
    EXPECT_EQ(total.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(
        total.failureMessage(),
        "line 17: the trailer's DETAIL_COUNT says 16 records, the file has 15; it is probably truncated or damaged");
    const auto perType = decode(replaceOnce(sample, "000000008000000007", "000000009000000006"));
    EXPECT_EQ(perType.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(perType.failureMessage(),
              "line 17: the trailer's DN_COUNT says 9 records, the file has 8; it is probably truncated or damaged");
    // A record whose code nobody knows is an error of its own, and the count then exposes the missing detail.
    const auto unknown = decode(replaceOnce(sample, "\nAO000013", "\nAX000013"));
    EXPECT_EQ(unknown.status, LENDGATE_ERR_INPUT);
    ASSERT_FALSE(unknown.errors.empty());
    EXPECT_EQ(unknown.errors[0].code, "record_type");
    EXPECT_EQ(unknown.errors[0].where.line, 14u);
}

TEST(CactusAutoFinance, ATruncatedFileIsRefusedWhole) {
    const auto result = decode(readFile(kGolden + "CAF_DQAO_truncated.txt"));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(result.failureMessage(), "the file has no trailer record; it is probably truncated");
}

TEST(CactusAutoFinance, ABrokenFileStructureIsRefusedWhole) {
    const std::string sample = readFile(kSample);
    const std::string header = sample.substr(0, sample.find('\n') + 1);
    struct Case {
        std::string input;
        const char *code;
        const char *message;
    };
    const Case cases[] = {
        {sample.substr(header.size()), "file_structure", "line 1: the file does not start with its header record"},
        {header + sample, "file_structure", "line 2: a second header record"},
        {sample + "DN000016DQ26112200016\n", "file_structure", "line 18: a record follows the trailer record"},
        {replaceOnce(sample, "HDCACTUSAFDLQORD", "HDCACTUSAFPAYMNT"), "file_header",
         "line 1: header field FILE_TYPE does not hold DLQORD; this is not the file the configuration describes"},
        {replaceOnce(sample, "HDCACTUSAFDLQORD2026112205", "HDCACTUSAFDLQORD2026113105"), "file_header",
         "line 1: header field CREATED (columns 17-30): does not match format YYYYMMDDhhmmss or is not a real date and "
         "time"},
        {replaceOnce(sample, "TR000000015", "TR0000000l5"), "control_totals",
         "line 17: the trailer's DETAIL_COUNT is not a number its layout allows"},
        {"", "file_structure", "the input is empty"},
        {"\n\r\n\n", "file_structure", "the input is empty"},
    };
    for (const Case &c : cases) {
        const auto result = decode(c.input);
        EXPECT_EQ(result.status, LENDGATE_ERR_INPUT) << c.message;
        EXPECT_EQ(result.failureCode(), c.code) << c.message;
        EXPECT_EQ(result.failureMessage(), c.message);
    }
}

TEST(CactusAutoFinance, ExactLengthModeRefusesLinesWithTheirTrailingBlanksStripped) {
    auto exact = nlohmann::json::parse(config("cactus-notices-orders.json"));
    exact["short_lines"] = "error";
    auto instance = plugin().create(exact.dump());
    const std::string sample = readFile(kSample);
    // Cactus strips trailing blanks, so every line is short: the header refuses the file.
    const auto stripped = instance.decode(sample);
    EXPECT_EQ(stripped.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(stripped.failureMessage(),
              "line 1: header record: the line is too short: 35 bytes, record type HD has 600");
    // Padded back to 600 bytes, the same file decodes to the same records.
    std::string padded;
    for (const std::string &line : lines(sample)) padded += line + std::string(600 - line.size(), ' ') + "\n";
    const auto full = instance.decode(padded);
    EXPECT_EQ(full.status, LENDGATE_OK) << full.failureMessage();
    EXPECT_EQ(full.jsonLines(), readFile(kGolden + "CAF_DQAO_20261122_001.expected.jsonl"));
    // One detail one byte long, another one byte short: record errors, and the rest decode.
    std::vector<std::string> damaged = lines(padded);
    damaged[2] += "X";
    damaged[3].pop_back();
    std::string input;
    for (const std::string &line : damaged) input += line + "\n";
    const auto lengths = instance.decode(input);
    EXPECT_EQ(lengths.status, LENDGATE_OK) << lengths.failureMessage();
    EXPECT_EQ(lengths.errorLines(), "line 3: record 2: -: line_length\nline 4: record 3: -: line_length\n");
    EXPECT_EQ(lengths.errors[0].message, "the line is too long: 601 bytes, record type DN has 600");
    EXPECT_EQ(lengths.errors[1].message, "the line is too short: 599 bytes, record type DN has 600");
    EXPECT_EQ(lengths.records.size(), 13u);
}

}  // namespace
