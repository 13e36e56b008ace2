// The JSON pass-through plugin as a host sees it, through the C ABI.
#include <gtest/gtest.h>

#include <string>

#include "config_schema_check.h"
#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;

const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/";

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

CallResult decode(const std::string &input, const char *type = nullptr, const std::string &config = "{}",
                  std::size_t chunk = 4096) {
    return plugin().create(config).decode(input, type, chunk);
}

const std::string kNotice = R"({"message_type":"delinquency_notice","payload":{"amount_past_due":"612.40"}})";
const std::string kUpdate = R"({"message_type":"account_update","payload":{"event":"CURED","n":100.10}})";

TEST(JsonPlugin, DescribesItselfToTheHost) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_STREQ(d.name, "json");
    EXPECT_EQ(d.capabilities, LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING);
    EXPECT_EQ(d.decodes_count, 10u);
    EXPECT_EQ(d.encodes_count, 10u);
    EXPECT_TRUE(lendgate::test::schemaProblems(d.config_schema, R"({"output":"array","pretty":true})").empty());
    const std::string shipped = readFile(std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins/json.json");
    EXPECT_TRUE(lendgate::test::schemaProblems(d.config_schema, shipped).empty());
    EXPECT_EQ(plugin().tryCreate(shipped).status, LENDGATE_OK);
    EXPECT_FALSE(lendgate::test::schemaProblems(d.config_schema, R"({"outptu":"array"})").empty());
    EXPECT_FALSE(lendgate::test::schemaProblems(d.config_schema, R"({"output":"xml"})").empty());
}

TEST(JsonPlugin, RefusesConfigurationsItCannotHonour) {
    EXPECT_EQ(plugin().tryCreate(R"({"pretty":true})").status, LENDGATE_ERR_CONFIG);
    EXPECT_EQ(plugin().tryCreate(R"({"output":"xml"})").status, LENDGATE_ERR_CONFIG);
    EXPECT_EQ(plugin().tryCreate(R"({"max_record_bytes":10})").status, LENDGATE_ERR_CONFIG);
    EXPECT_EQ(plugin().tryCreate("[").status, LENDGATE_ERR_CONFIG);
    EXPECT_EQ(plugin().tryCreate("").status, LENDGATE_OK);
}

TEST(JsonPlugin, PassesJsonLinesThroughAsWritten) {
    const auto result = decode(kNotice + "\n" + kUpdate + "\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].messageType, "delinquency_notice");
    EXPECT_EQ(result.records[0].json, kNotice);
    EXPECT_EQ(result.records[1].messageType, "account_update");
    EXPECT_EQ(result.records[1].json, kUpdate);
    EXPECT_EQ(result.records[1].where.record, 2u);
    EXPECT_EQ(result.records[1].where.line, 2u);
    EXPECT_EQ(result.records[1].where.byteOffset, kNotice.size() + 1);
}

TEST(JsonPlugin, PassesTheDelimitedPluginsCanonicalRecordsThroughUnchanged) {
    const std::string golden = readFile(std::string(LENDGATE_TEST_SOURCE_DIR) +
                                        "/tests/plugins/delimited/golden/DVB_DELQ_20261123_001.expected.jsonl");
    const auto result = decode(golden, "delinquency_notice");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.records.size(), 8u);
    EXPECT_EQ(result.jsonLines(), golden);
}

TEST(JsonPlugin, ReadsAnArrayOfRecords) {
    const auto result = decode("\xEF\xBB\xBF[\n  " + kNotice + ",\n  " + kUpdate + "\n]\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].json, kUpdate);
    EXPECT_EQ(result.records[1].where.line, 3u);
    EXPECT_EQ(decode("[]").records.size(), 0u);
    EXPECT_EQ(decode(" [ ] ").status, LENDGATE_OK);
}

TEST(JsonPlugin, ReadsPrettyPrintedObjectsOneAfterAnother) {
    const auto result = decode(readFile(kGolden + "concatenated.json"));
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.records[0].where.line, 1u);
    EXPECT_EQ(result.records[1].where.line, 11u);
    EXPECT_EQ(result.records[2].where.line, 16u);
    EXPECT_EQ(result.records[2].messageType, "consent");
}

TEST(JsonPlugin, ReportsABrokenRecordByLineAndCarriesOn) {
    const auto result = decode(readFile(kGolden + "broken_in_the_middle.jsonl"));
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 2: record 2: -: syntax\n"
              "line 3: record 3: -: syntax\n"
              "line 4: record 4: -: syntax\n"
              "line 6: record 6: -: syntax\n"
              "line 7: record 7: /message_type: message_type\n"
              "line 8: record 8: /message_type: duplicate_key\n");
    EXPECT_EQ(result.errors[0].message, "line 2, column 52: unexpected character");
    EXPECT_EQ(result.errors[2].message, "line 5, column 1: unexpected character");
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.records[0].where.line, 1u);
    EXPECT_EQ(result.records[1].where.line, 5u);
    EXPECT_EQ(result.records[2].where.line, 9u);
}

TEST(JsonPlugin, ResynchronisesOnTheNextElementOfAPrettyArray) {
    const std::string input =
        "[\n"
        "  {\"message_type\": \"ack\",\n"
        "   \"payload\": {\"a\": [1, 2,, 3],\n"
        "     \"nested\":\n"
        "     {\"x\": 1}}},\n"
        "  {\"message_type\": \"ack\", \"payload\": {}}\n"
        "]\n";
    const auto result = decode(input);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "line 2: record 1: -: syntax\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].where.line, 6u);
}

TEST(JsonPlugin, RefusesAnArrayThatIsNeverClosed) {
    const auto result = decode("[" + kNotice + ",\n" + kUpdate);
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "truncated");
    const auto trailingComma = decode("[" + kNotice + ",]");
    EXPECT_EQ(trailingComma.status, LENDGATE_OK);
    EXPECT_EQ(trailingComma.records.size(), 1u);
    EXPECT_EQ(trailingComma.errors.size(), 1u);
    EXPECT_EQ(decode("[" + kNotice + "] {}").errors.size(), 1u);
    // On one line, a broken element leaves nothing to resynchronise on: the body is refused as a whole.
    const auto oneLine = decode(R"([{"message_type":"ack","payload":{},}, {"message_type":"ack","payload":{}}])");
    EXPECT_EQ(oneLine.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(oneLine.failureCode(), "syntax");
}

TEST(JsonPlugin, SkipsAnOversizedRecordWithoutHoldingIt) {
    const std::string big = R"({"message_type":"ack","pad":")" + std::string(5000, 'x') + "\"}";
    const auto result = decode(kNotice + "\n" + big + "\n" + kUpdate + "\n", nullptr, R"({"max_record_bytes":1024})");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "line 2: record 2: -: record_too_large\n");
    EXPECT_EQ(result.errors[0].message, "the record is larger than max_record_bytes (1024)");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].json, kUpdate);
}

TEST(JsonPlugin, RefusesRecordsOfAnotherTypeThanExpected) {
    const auto result = decode(kNotice + "\n" + kUpdate + "\n", "account_update");
    EXPECT_EQ(result.errorLines(), "line 1: record 1: /message_type: message_type\n");
    EXPECT_EQ(result.errors[0].message, "the record's message_type differs from the expected account_update");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].json, kUpdate);
}

TEST(JsonPlugin, GivesTheSameResultWhateverTheReadSizes) {
    const std::string input = readFile(kGolden + "broken_in_the_middle.jsonl");
    const auto whole = decode(input);
    const auto trickle = decode(input, nullptr, "{}", 1);
    EXPECT_EQ(trickle.jsonLines(), whole.jsonLines());
    EXPECT_EQ(trickle.errorLines(), whole.errorLines());
}

TEST(JsonPlugin, HandlesEmptyAndHostileInputs) {
    EXPECT_EQ(decode("").status, LENDGATE_OK);
    EXPECT_EQ(decode(" \n\t\r\n").records.size(), 0u);
    EXPECT_EQ(decode("\xEF\xBB").status, LENDGATE_ERR_INPUT);
    const auto deep = decode("{\"message_type\":\"ack\",\"a\":" + std::string(100000, '[') + "\n" + kUpdate + "\n");
    EXPECT_EQ(deep.errorLines(), "line 1: record 1: -: syntax\n");
    EXPECT_EQ(deep.records.size(), 1u);
    const auto nan = decode(R"({"message_type":"ack","amount":NaN})" "\n");
    EXPECT_EQ(nan.errorLines(), "line 1: record 1: -: syntax\n");
    const auto binary = decode(std::string("\x00\x01\x02\n", 4) + kUpdate);
    EXPECT_EQ(binary.records.size(), 1u);
    EXPECT_EQ(binary.errors.size(), 1u);
}

TEST(JsonPlugin, StopsWhenTheHostAsksItTo) {
    const auto result = plugin().create("{}").decode(kNotice + "\n" + kUpdate + "\n", nullptr, 4096, 1);
    EXPECT_EQ(result.status, LENDGATE_ERR_ABORTED);
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(JsonPlugin, EncodesJsonLinesAndArraysKeepingNumbersExact) {
    const std::string spaced =
        "{ \"message_type\": \"account_update\",\n \"payload\": {\"n\": 100.10, \"big\": 12345678901234567890} }";
    const auto lines = plugin().create("{}").encode({spaced, spaced}, "account_update");
    EXPECT_EQ(lines.status, LENDGATE_OK);
    const std::string compact =
        R"({"message_type":"account_update","payload":{"n":100.10,"big":12345678901234567890}})";
    EXPECT_EQ(lines.output, compact + "\n" + compact + "\n");

    const auto array = plugin().create(R"({"output":"array"})").encode({spaced, spaced}, "account_update");
    EXPECT_EQ(array.output, "[\n" + compact + ",\n" + compact + "\n]\n");
    EXPECT_EQ(plugin().create(R"({"output":"array"})").encode({}, "ack").output, "[]\n");

    const auto pretty = plugin().create(R"({"output":"array","pretty":true})").encode({kUpdate}, "account_update");
    EXPECT_EQ(pretty.output,
              "[\n  {\n    \"message_type\": \"account_update\",\n    \"payload\": {\n      \"event\": \"CURED\",\n"
              "      \"n\": 100.10\n    }\n  }\n]\n");
}

TEST(JsonPlugin, EncodeSkipsRecordsItCannotWrite) {
    const auto result =
        plugin().create("{}").encode({kNotice, "{\"message_type\":", kUpdate, R"({"payload":{}})"}, "account_update");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.output, kUpdate + "\n");
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: /message_type: message_type\n"
              "line 0: record 2: -: syntax\n"
              "line 0: record 4: /message_type: message_type\n");
}

TEST(JsonPlugin, RoundTripsEveryFormItWrites) {
    for (const char *config : {"{}", R"({"output":"array"})", R"({"output":"array","pretty":true})"}) {
        const auto encoded = plugin().create(config).encode({kNotice, kUpdate}, nullptr);
        ASSERT_EQ(encoded.status, LENDGATE_OK) << config;
        const auto decoded = decode(encoded.output);
        EXPECT_EQ(decoded.errorLines(), "") << config;
        ASSERT_EQ(decoded.records.size(), 2u) << config;
        const auto again = plugin().create("{}").encode({decoded.records[0].json, decoded.records[1].json}, nullptr);
        EXPECT_EQ(again.output, kNotice + "\n" + kUpdate + "\n") << config;
    }
}

}  // namespace
