// The delimited plugin as a host sees it: loaded through the C ABI, given a
// configuration and partner bytes. Small inline files here; the Desert Valley
// Bank sample and its damaged copies are in dvb_golden_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "config_schema_check.h"
#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;
using lendgate::test::schemaProblems;

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

const std::string kDvbConfig = std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins/dvb-delinquency.json";

// A pipe-delimited file without a header row: the generic case, configured from scratch.
const char *kPipeConfig = R"({
  "message_type": "account_update",
  "delimiter": "|",
  "header_row": false,
  "columns": ["REF", "EVENT", "POSTED", "AMOUNT", "ONTIME", "COUNT"],
  "idempotency_key": {"columns": ["REF", "EVENT"], "separator": ":"},
  "occurred_at": {"column": "POSTED", "format": "YYYYMMDD", "time": "12:00:00", "utc_offset": "Z"},
  "fields": [
    {"column": "EVENT", "to": "/payload/event", "transform": ["trim", "upper", "code_table"],
     "codes": {"PMT": "PAYMENT_POSTED", "CUR": "CURED"}, "required": true},
    {"column": "POSTED", "to": "/payload/payment/date", "transform": "date", "format": "YYYYMMDD"},
    {"column": "AMOUNT", "to": "/payload/payment/amount", "transform": ["trim", "decimal"],
     "when": {"column": "AMOUNT"}},
    {"column": "ONTIME", "to": "/payload/on_time", "transform": "boolean"},
    {"column": "COUNT", "to": "/payload/count", "transform": "integer"},
    {"const": 1, "to": "/payload/version"},
    {"const": true, "to": "/payload/from_file"}
  ]
})";

CallResult decodeWith(const std::string &config, const std::string &input, const char *type = nullptr) {
    auto instance = plugin().create(config);
    return instance.decode(input, type);
}

TEST(DelimitedPlugin, DescribesItselfToTheHost) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_STREQ(d.name, "delimited");
    EXPECT_EQ(d.abi_major, LENDGATE_ABI_MAJOR);
    EXPECT_EQ(d.capabilities,
              LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING | LENDGATE_CAP_ACK_SLICES);
    ASSERT_GE(d.decodes_count, 1u);
    EXPECT_STREQ(d.decodes[0].message_type, "delinquency_notice");
    EXPECT_STREQ(d.decodes[0].media_type, "text/csv");
    EXPECT_TRUE(nlohmann::json::accept(d.config_schema));
}

TEST(DelimitedPlugin, ShippedConfigurationsPassTheSchemaAndCreate) {
    const char *schema = plugin().descriptor().config_schema;
    EXPECT_EQ(schemaProblems(schema, kPipeConfig), std::vector<std::string>{});
    for (const char *name : {"dvb-delinquency", "dvb-assignment", "dvb-account-update", "dvb-ack", "dvb-outcomes",
                             "dvb-hardship-decisions", "dvb-referral-updates", "mesa-outcomes-csv", "mesa-ack-csv"}) {
        const std::string text = readFile(std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins/" + name + ".json");
        EXPECT_EQ(schemaProblems(schema, text), std::vector<std::string>{}) << name;
        const auto created = plugin().tryCreate(text);
        EXPECT_EQ(created.status, LENDGATE_OK)
            << name << ": " << (created.failures.empty() ? "" : created.failures.back().message);
    }
}

TEST(DelimitedPlugin, ThePartnerDefinitionPointsAtTheShippedConfiguration) {
    const std::string config = std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/";
    const std::string partnerText = readFile(config + "partners/desert-valley-bank.json");
    const std::string partnerSchema = readFile(config + "schemas/partner.schema.json");
    EXPECT_EQ(schemaProblems(partnerSchema, partnerText), std::vector<std::string>{});
    const auto partner = nlohmann::json::parse(partnerText);
    const auto &format = partner.at("inbound").at("delinquency_notice");
    EXPECT_EQ(format.at("plugin"), "delimited");
    // Relative to the partner file, so the daemon and the CLI read the same file.
    EXPECT_EQ(readFile(config + "partners/" + format.at("plugin_config").get<std::string>()), readFile(kDvbConfig));
}

TEST(DelimitedPlugin, SchemaRefusesUnknownKeysAtEveryLevel) {
    const char *schema = plugin().descriptor().config_schema;
    auto config =
        nlohmann::json::parse(readFile(std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins/dvb-assignment.json"));
    config["record_types"]["trailer"]["sums"][0]["decimals"] = 2;
    config["idempotency_key"] = {{"columns", {"ORDER_ID"}}};
    const std::vector<std::string> paths = {"/delimeter",
                                            "/fields/0/colum",
                                            "/record_types/trailer/sum",
                                            "/record_types/header/extra",
                                            "/occurred_at/timezone",
                                            "/idempotency_key/cols",
                                            "/record_types/trailer/sums/0/scale",
                                            "/spreadsheet_saf",
                                            "/fields/0/joins",
                                            "/fields/0/directions",
                                            "/record_types/header/values/0/colum"};
    for (const std::string &path : paths) {
        auto misspelt = config;
        misspelt[nlohmann::json::json_pointer(path)] = "x";
        EXPECT_FALSE(schemaProblems(schema, misspelt.dump()).empty()) << path;
    }
}

TEST(DelimitedPlugin, RefusesConfigurationsTheSchemaCannotJudge) {
    struct Case {
        const char *fields;
        const char *namedKey;
    };
    const Case cases[] = {
        {R"([{"column": "A", "to": "/x", "transform": "date"}])", "fields[0].format"},
        {R"([{"column": "A", "to": "/x", "format": "%Y%m%d"}])", "fields[0].format"},
        {R"([{"column": "A", "to": "/x", "transform": "code_table"}])", "fields[0].codes"},
        {R"([{"column": "A", "to": "/x", "transform": "date", "format": "%d/%m"}])", "fields[0].format"},
        {R"([{"column": "A", "to": "/x", "transform": ["integer", "trim"]}])", "fields[0].transform"},
        {R"([{"column": "A", "to": "/x/y"}, {"column": "A", "to": "/x"}])", "fields[1].to"},
        {R"([{"column": "A", "to": "/message_type"}])", "fields[0].to"},
        {R"([{"column": "A", "to": "/parties/0/name"}, {"column": "A", "to": "/parties/role"}])", "fields[1].to"},
        {R"([{"const": "x", "to": "/x", "transform": "trim"}])", "fields[0].transform"},
    };
    for (const Case &c : cases) {
        const std::string config =
            std::string(R"({"message_type": "consent", "header_row": false, "columns": ["A"], "fields": )") + c.fields +
            "}";
        auto created = plugin().tryCreate(config);
        EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG) << c.fields;
        ASSERT_FALSE(created.failures.empty()) << c.fields;
        EXPECT_NE(created.failures.back().message.find(c.namedKey), std::string::npos)
            << created.failures.back().message;
    }
    const char *others[] = {
        R"({"message_type": "consent", "fields": [], "idempotency_key": {"template": "{header.FILE_DATE}"}})",
        R"({"message_type": "consent", "fields": [], "idempotency_key": {"template": "ID-{RECORD_ID"}})",
        R"({"message_type": "consent", "header_row": false, "columns": ["A"],
            "fields": [{"column": "B", "to": "/b"}]})",
        R"({"message_type": "consent", "fields": [], "record_types": {"column": 0, "detail": "D",
            "trailer": {"code": "T", "columns": ["TYPE", "N"], "record_count": "COUNT"}}})",
        R"({"message_type": "consent", "fields": [], "record_types": {"column": 0, "detail": "D",
            "header": {"code": "D", "columns": ["TYPE"]}}})",
        R"({"message_type": "consent", "fields": [], "occurred_at": {"column": "A", "format": "%Y%m%d",
            "utc_offset": "+25:00"}})",
        "not json",
    };
    for (const char *config : others) EXPECT_EQ(plugin().tryCreate(config).status, LENDGATE_ERR_CONFIG) << config;
}

TEST(DelimitedPlugin, MapsAFileWithoutHeaderRowThroughEveryKindOfTransform) {
    const auto result = decodeWith(kPipeConfig, "A-17|pmt|20261120| 250.10|Y|007\nA-17|CUR|20261121||0|0\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.jsonLines(),
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"A-17:pmt",)"
              R"("occurred_at":"2026-11-20T12:00:00Z","payload":{"event":"PAYMENT_POSTED",)"
              R"("payment":{"date":"2026-11-20",)"
              R"("amount":"250.10"},"on_time":true,"count":7,"version":1,"from_file":true}})"
              "\n"
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"A-17:CUR",)"
              R"("occurred_at":"2026-11-21T12:00:00Z","payload":{"event":"CURED","payment":{"date":"2026-11-21"},)"
              R"("on_time":false,"count":0,"version":1,"from_file":true}})"
              "\n");
    EXPECT_EQ(result.records[1].where.record, 2u);
    EXPECT_EQ(result.records[1].where.line, 2u);
    EXPECT_EQ(result.records[1].messageType, "account_update");
}

TEST(DelimitedPlugin, ReportsEveryBadFieldOfARecordAndKeepsGoing) {
    const auto result = decodeWith(kPipeConfig,
                                   "A-1|XYZ|20261131|12,50|maybe|1.5\n"
                                   "|PMT|20261120|1|N|1\n"
                                   "A-3|PMT|20261120|1|N|1\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /occurred_at: date\n"
              "line 1: record 1: /payload/event: code\n"
              "line 1: record 1: /payload/payment/date: date\n"
              "line 1: record 1: /payload/payment/amount: amount\n"
              "line 1: record 1: /payload/on_time: boolean\n"
              "line 1: record 1: /payload/count: integer\n"
              "line 2: record 2: /idempotency_key: required\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].where.record, 3u);
    EXPECT_EQ(result.errors[2].message, "column POSTED: date does not match format YYYYMMDD or is not a calendar day");
    for (const auto &error : result.errors)
        for (const char *value : {"XYZ", "20261131", "12,50", "maybe", "1.5"})
            EXPECT_EQ(error.message.find(value), std::string::npos) << error.message;
}

TEST(DelimitedPlugin, TreatsBlankCellsAsAbsentAndRequiredOnesAsErrors) {
    const auto result = decodeWith(kPipeConfig, "A-1|   |  |  |  |  \n");
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /idempotency_key: required\n"
              "line 1: record 1: /occurred_at: required\n"
              "line 1: record 1: /payload/event: required\n");
    const auto optional = decodeWith(kPipeConfig, "A-1|PMT|20261120|||\n");
    EXPECT_EQ(optional.errorLines(), "");
    EXPECT_EQ(optional.jsonLines().find("amount"), std::string::npos);
    EXPECT_EQ(optional.jsonLines().find("on_time"), std::string::npos);
}

TEST(DelimitedPlugin, ReadsTabSeparatedFilesWithAHeaderRowInAnyColumnOrder) {
    const char *config = R"({
      "message_type": "consent", "delimiter": "\t",
      "fields": [{"column": "ID", "to": "/consent_id", "required": true},
                 {"column": "NOTE", "to": "/payload/note"}]})";
    const auto result = decodeWith(config, "NOTE\tOTHER\t ID \n\"tab\there\"\tx\tC-1\n");
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"consent_id\":\"C-1\","
              "\"payload\":{\"note\":\"tab\\there\"}}\n");
}

TEST(DelimitedPlugin, RefusesAFileWhoseHeaderRowLacksAMappedColumn) {
    const char *config = R"({"message_type": "consent", "fields": [{"column": "ID", "to": "/id"}]})";
    const auto result = decodeWith(config, "IDENT,NOTE\n1,x\n");
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "header_row");
    EXPECT_EQ(result.failureMessage(), "the file has no column ID, which the configuration maps");

    const auto twice = decodeWith(config, "ID,NOTE, ID\n1,x,2\n");
    EXPECT_EQ(twice.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(twice.failureMessage(), "the column header row gives columns 1 and 3 the same name");
    EXPECT_EQ(decodeWith(config, "").status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(decodeWith(config, "\"ID,NOTE\n").status, LENDGATE_ERR_INPUT);
}

TEST(DelimitedPlugin, RefusesToProduceAnotherMessageTypeThanConfigured) {
    const auto result = decodeWith(kPipeConfig, "A-1|PMT|20261120|1|Y|1\n", "delinquency_notice");
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_TRUE(result.records.empty());
    EXPECT_EQ(decodeWith(kPipeConfig, "A-1|PMT|20261120|1|Y|1\n", "account_update").status, LENDGATE_OK);
}

TEST(DelimitedPlugin, StopsWhenTheHostAsksItTo) {
    auto instance = plugin().create(kPipeConfig);
    const auto result = instance.decode("A-1|PMT|20261120|1|Y|1\nA-2|PMT|20261120|1|Y|1\n", nullptr, 4096, 1);
    EXPECT_EQ(result.status, LENDGATE_ERR_ABORTED);
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(DelimitedPlugin, DecodesManyFilesWithOneInstance) {
    const char *config = R"({"message_type": "consent", "fields": [{"column": "ID", "to": "/id"}]})";
    auto instance = plugin().create(config);
    // Each file brings its own header row, so the same column may sit elsewhere.
    EXPECT_EQ(instance.decode("ID,X\n1,a\n").jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"id\":\"1\"}\n");
    EXPECT_EQ(instance.decode("X,ID\na,2\n").jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"id\":\"2\"}\n");
}

}  // namespace
