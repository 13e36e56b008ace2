// Golden canonical records shared with tests/schemas/validate_goldens.mjs, so
// the C++ model and the published JSON Schemas are checked on the same files.
//
// valid/<message_type>_<case>.json: canonical records (one line, newline at
// the end) that must parse and come back byte for byte.
// invalid/<case>.json + <case>.expected: records that must fail with exactly
// the listed (pointer, code) errors, in order; each error's "in_schema" says
// whether the JSON Schemas must catch it too or only the C++ model can.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/model/message.h"

namespace lendgate::model {
namespace {

namespace fs = std::filesystem;

fs::path goldenDir() {
    return LENDGATE_MODEL_GOLDEN_DIR;
}

std::string readFile(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The files end with one newline so they are pleasant in editors and diffs;
// the canonical text itself has none.
std::string readRecord(const fs::path &path) {
    std::string text = readFile(path);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

std::vector<std::string> goldenNames(const char *folder) {
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(goldenDir() / folder)) {
        if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string testName(const testing::TestParamInfo<std::string> &info) {
    return info.param;
}

class ValidGolden : public testing::TestWithParam<std::string> {};

TEST_P(ValidGolden, ParsesAndRoundTripsByteForByte) {
    const std::string text = readRecord(goldenDir() / "valid" / (GetParam() + ".json"));
    const ParseResult result = parseMessage(text);
    for (const FieldError &error : result.errors)
        ADD_FAILURE() << error.pointer << " " << error.code << ": " << error.message;
    ASSERT_TRUE(result.ok());

    // The file name starts with the message type, so a golden cannot drift to another type unnoticed.
    EXPECT_TRUE(GetParam().starts_with(std::string(toString(result.message->type())) + "_") ||
                GetParam() == toString(result.message->type()));

    const std::string canonical = toCanonicalJson(*result.message);
    EXPECT_EQ(canonical, text);
    const ParseResult again = parseMessage(canonical);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again.message, *result.message);
    EXPECT_TRUE(validateMessage(*result.message).empty());
}

INSTANTIATE_TEST_SUITE_P(Golden, ValidGolden, testing::ValuesIn(goldenNames("valid")), testName);

// Truncated files are what a crashed uploader leaves behind.
TEST_P(ValidGolden, EveryTruncationIsRefused) {
    const std::string text = readRecord(goldenDir() / "valid" / (GetParam() + ".json"));
    for (std::size_t length = 0; length < text.size(); ++length) {
        const ParseResult result = parseMessage(std::string_view(text).substr(0, length));
        ASSERT_FALSE(result.ok()) << "prefix of " << length << " bytes";
        ASSERT_FALSE(result.errors.empty());
    }
}

// Every value replaced by every other JSON type: the model reports an error
// or, where the substitute happens to be valid, still round-trips.
TEST_P(ValidGolden, EveryValueReplacedByAnotherTypeIsHandled) {
    const nlohmann::json original = nlohmann::json::parse(readRecord(goldenDir() / "valid" / (GetParam() + ".json")));
    const std::vector<nlohmann::json> substitutes = {
        nullptr, true, 12, -1.5, "", "x", nlohmann::json::array(), nlohmann::json::object()};
    const nlohmann::json leaves = original.flatten();
    for (const auto &[path, leaf] : leaves.items()) {
        for (const nlohmann::json &substitute : substitutes) {
            nlohmann::json mutated = original;
            mutated[nlohmann::json::json_pointer(path)] = substitute;
            const ParseResult result = parseMessage(mutated.dump());
            if (result.ok()) {
                EXPECT_TRUE(parseMessage(toCanonicalJson(*result.message)).ok()) << path;
            } else {
                EXPECT_LE(result.errors.size(), kMaxFieldErrors);
            }
        }
    }
}

TEST(GoldenCoverage, EveryMessageTypeHasAValidGolden) {
    std::set<MessageType> covered;
    for (const std::string &name : goldenNames("valid")) {
        const ParseResult result = parseMessage(readRecord(goldenDir() / "valid" / (name + ".json")));
        if (result.ok()) covered.insert(result.message->type());
    }
    for (const auto &[type, name] : EnumNames<MessageType>::names) {
        EXPECT_TRUE(covered.contains(type)) << "no valid golden for " << name;
    }
}

// (pointer, code) pairs, in the order the model reports them.
std::vector<std::pair<std::string, std::string>> readExpected(const std::string &name) {
    const nlohmann::json sidecar = nlohmann::json::parse(readFile(goldenDir() / "invalid" / (name + ".expected")));
    std::vector<std::pair<std::string, std::string>> expected;
    for (const auto &error : sidecar.at("errors")) {
        EXPECT_TRUE(error.at("in_schema").is_boolean()) << name << ": in_schema must be true or false";
        expected.emplace_back(error.at("pointer").get<std::string>(), error.at("code").get<std::string>());
    }
    return expected;
}

// The value an error points at, as text, when the document can be read with
// an ordinary parser (a duplicate-key document cannot be pointed into).
std::optional<std::string> offendingValue(const std::string &text, const std::string &pointer) {
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || pointer.empty()) return std::nullopt;
    const nlohmann::json::json_pointer where(pointer);
    if (!document.contains(where)) return std::nullopt;
    const nlohmann::json &value = document.at(where);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number()) return value.dump();
    return std::nullopt;
}

class InvalidGolden : public testing::TestWithParam<std::string> {};

TEST_P(InvalidGolden, FailsWithExactlyTheExpectedErrors) {
    const std::string text = readRecord(goldenDir() / "invalid" / (GetParam() + ".json"));
    const std::vector<std::pair<std::string, std::string>> expected = readExpected(GetParam());
    ASSERT_FALSE(expected.empty());

    const ParseResult result = parseMessage(text);
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(result.message.has_value());
    std::vector<std::pair<std::string, std::string>> actual;
    for (const FieldError &error : result.errors) {
        actual.emplace_back(error.pointer, error.code);
        EXPECT_FALSE(error.message.empty());
        const std::optional<std::string> value = offendingValue(text, error.pointer);
        if (value && value->size() >= 2) {
            EXPECT_EQ(error.message.find(*value), std::string::npos) << "message echoes the value: " << error.message;
        }
    }
    EXPECT_EQ(actual, expected);
}

INSTANTIATE_TEST_SUITE_P(Golden, InvalidGolden, testing::ValuesIn(goldenNames("invalid")), testName);

}  // namespace
}  // namespace lendgate::model
