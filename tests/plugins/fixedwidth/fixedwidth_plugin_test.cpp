// The fixed-width plugin as a host sees it: loaded through the C ABI, given a
// configuration and partner bytes. Small inline layouts here; the partners'
// files are in cactus_*_test.cpp and mesa_golden_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config_schema_check.h"
#include "fixedwidth_test_support.h"
#include "generic_layout.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

const char *const kShipped[] = {"cactus-notices-orders.json", "cactus-ack.json", "cactus-outcomes.json",
                                "mesa-assignments.json"};

TEST(FixedWidthPlugin, DescribesItselfToTheHost) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_STREQ(d.name, "fixedwidth");
    EXPECT_EQ(d.abi_major, LENDGATE_ABI_MAJOR);
    EXPECT_EQ(d.capabilities,
              LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING | LENDGATE_CAP_ACK_SLICES);
    ASSERT_GE(d.decodes_count, 1u);
    EXPECT_STREQ(d.decodes[0].message_type, "delinquency_notice");
    EXPECT_STREQ(d.decodes[0].media_type, "text/plain");
    std::vector<std::string> encodes;
    for (std::size_t i = 0; i < d.encodes_count; ++i) encodes.emplace_back(d.encodes[i].message_type);
    for (const char *type : {"repossession_assignment", "repossession_outcome", "ack"})
        EXPECT_NE(std::find(encodes.begin(), encodes.end(), type), encodes.end()) << type;
    EXPECT_TRUE(nlohmann::json::accept(d.config_schema));
}

TEST(FixedWidthPlugin, ShippedConfigurationsPassTheSchemaAndCreate) {
    const char *schema = plugin().descriptor().config_schema;
    for (const char *name : kShipped) {
        EXPECT_EQ(schemaProblems(schema, config(name)), std::vector<std::string>{}) << name;
        EXPECT_EQ(plugin().tryCreate(config(name)).status, LENDGATE_OK) << name;
    }
    EXPECT_EQ(schemaProblems(schema, kGenericLayout), std::vector<std::string>{});
}

TEST(FixedWidthPlugin, SchemaRefusesUnknownKeysAtEveryLevel) {
    const char *schema = plugin().descriptor().config_schema;
    const auto cactus = nlohmann::json::parse(config("cactus-notices-orders.json"));
    const auto ack = nlohmann::json::parse(config("cactus-ack.json"));
    const std::vector<std::pair<const nlohmann::json *, std::string>> paths = {
        {&cactus, "/line_endings"},
        {&cactus, "/record_type/begin"},
        {&cactus, "/header/extra"},
        {&cactus, "/header/fields/0/colum"},
        {&cactus, "/records/0/msg_type"},
        {&cactus, "/records/0/idempotency_key/fields"},
        {&cactus, "/records/0/fields/0/width"},
        {&cactus, "/records/0/fields/8/when/value"},
        {&cactus, "/trailer/counts/0/scope"},
        {&cactus, "/trailer/sums/0/decimals"},
        {&ack, "/records/0/each_of"},
    };
    for (const auto &[config, path] : paths) {
        auto misspelt = *config;
        misspelt[nlohmann::json::json_pointer(path)] = "x";
        EXPECT_FALSE(schemaProblems(schema, misspelt.dump()).empty()) << path;
        // A host that skipped the schema still gets a refusal naming the key.
        const auto created = plugin().tryCreate(misspelt.dump());
        EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG) << path;
    }
    const auto created = plugin().tryCreate(R"({"record_type": {"start": 1, "length": 1}, "record_lenght": 10,
                                               "records": []})");
    ASSERT_FALSE(created.failures.empty());
    EXPECT_EQ(created.failures.back().message, "record_lenght: is not a known key");
}

TEST(FixedWidthPlugin, SchemaRefusesValuesOutsideTheirSets) {
    const char *schema = plugin().descriptor().config_schema;
    const auto cactus = nlohmann::json::parse(config("cactus-notices-orders.json"));
    const std::vector<std::pair<std::string, nlohmann::json>> wrong = {
        {"/short_lines", "drop"},
        {"/records/0/fields/0/type", "money"},
        {"/records/0/fields/0/start", 0},
        {"/records/0/fields/0/sign", "both"},
        {"/records/1/message_type", "invoice"},
        {"/line_ending", "CR"},
    };
    for (const auto &[path, value] : wrong) {
        auto changed = cactus;
        changed[nlohmann::json::json_pointer(path)] = value;
        EXPECT_FALSE(schemaProblems(schema, changed.dump()).empty()) << path;
    }
}

TEST(FixedWidthPlugin, TheReadmeExampleWorksAsWritten) {
    const std::string readme = readFile(kRoot + "/plugins/fixedwidth/README.md");
    const auto start = readme.find("```json\n{\n  \"record_length\": 60");
    ASSERT_NE(start, std::string::npos);
    const auto end = readme.find("```", start + 7);
    const std::string example = readme.substr(start + 8, end - start - 8);
    EXPECT_EQ(schemaProblems(plugin().descriptor().config_schema, example), std::vector<std::string>{});
    auto instance = plugin().create(example);
    const auto result = instance.decode(genericFile());
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.records.size(), 2u);
}

TEST(FixedWidthPlugin, DecodesEveryKindOfFieldFromAGenericLayout) {
    auto instance = plugin().create(kGenericLayout);
    const auto result = instance.decode(genericFile());
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.jsonLines(),
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"B00017-REF00001",)"
              R"("occurred_at":"2026-11-22T12:00:00-07:00","payload":{"account":{"account_number":"4401009817"},)"
              R"("event":"PAYMENT_POSTED","effective_date":"2026-11-20","payment":{"date":"2026-11-20",)"
              R"("amount":"250.10"},"days_past_due":12,"balance":"-1250.10","autopay":true}})"
              "\n"
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"B00017-REF00002",)"
              R"("occurred_at":"2026-11-22T12:00:00-07:00","payload":{"account":{"account_number":"4401012264"},)"
              R"("event":"CURED","effective_date":"2026-11-21","days_past_due":0,"balance":"0.00","autopay":false}})"
              "\n");
    EXPECT_EQ(result.records[1].where.line, 3u);
    EXPECT_EQ(result.records[1].where.byteOffset, 2u * 61u);
}

TEST(FixedWidthPlugin, ReportsEveryBadFieldOfARecordAndKeepsGoing) {
    auto instance = plugin().create(kGenericLayout);
    const std::string bad = genericLine({{1, "P"},
                                         {2, "REF00003"},
                                         {10, "4401015530"},
                                         {20, "XX"},
                                         {22, "20261131"},
                                         {30, "0000250X"},
                                         {39, "1 2"},
                                         {42, "  1250.10-"},
                                         {52, "??"},
                                         {54, "M"}});
    const auto result = instance.decode(genericFile(bad));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);  // the trailer counts 3 details and adds up amounts it cannot read
    EXPECT_EQ(result.errorLines(),
              "line 4: record 3: /payload/event: code\n"
              "line 4: record 3: /payload/effective_date: date\n"
              "line 4: record 3: /payload/days_past_due: integer\n"
              "line 4: record 3: /payload/balance: amount\n"
              "line 4: record 3: FILLER: value\n"
              "line 4: record 3: /payload/autopay: boolean\n");
    EXPECT_EQ(result.errors[4].message, "field FILLER (columns 52-53): does not hold LG");
    EXPECT_EQ(result.errors[5].message, "field AUTOPAY (columns 54-54): neither A nor N");
    EXPECT_EQ(result.failureMessage(),
              "line 5: the trailer's N says 2 records, the file has 3; it is probably truncated or damaged");
}

TEST(FixedWidthPlugin, StopsWhenTheHostAsksItTo) {
    auto instance = plugin().create(kGenericLayout);
    const auto result = instance.decode(genericFile(), nullptr, 4096, 1);
    EXPECT_EQ(result.status, LENDGATE_ERR_ABORTED);
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(FixedWidthPlugin, DecodesManyFilesWithOneInstance) {
    auto instance = plugin().create(kGenericLayout);
    const std::string expected = instance.decode(genericFile()).jsonLines();
    // A refused file leaves nothing behind for the next one: no header, counts or sums carried over.
    EXPECT_EQ(instance.decode(genericFile().substr(0, 70)).status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(instance.decode(genericFile()).jsonLines(), expected);
    EXPECT_EQ(instance.decode(genericFile()).jsonLines(), expected);
}

TEST(FixedWidthPlugin, AWrittenOnlyRecordTypeInAFileToDecodeIsARecordError) {
    auto instance = plugin().create(config("cactus-ack.json"));
    const std::string file = readFile(kGolden + "CAF_ACK_rejected.expected.txt");
    const auto result = instance.decode(file);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "record_type");
    EXPECT_EQ(result.errors[0].message, "record type FE is only written, never read");
}

}  // namespace
