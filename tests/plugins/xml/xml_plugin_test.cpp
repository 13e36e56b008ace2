// The xml plugin as a host sees it: loaded through the C ABI, given a
// configuration and partner documents. Small inline documents here; the
// Saguaro FCU samples are in sfcu_golden_test.cpp, hostile ones in
// xml_hostile_test.cpp, encoding in xml_encode_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "config_schema_check.h"
#include "xml_test_support.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::readFile;
using lendgate::test::schemaProblems;
using namespace lendgate::xmltest;

const char *const kShipped[] = {"sfcu-hardship-application.json", "sfcu-hardship-decision.json", "sfcu-ack.json",
                                "sfcu-repossession-outcome.json", "sfcu-referral-update.json"};

// Every kind of mapping: namespaces and a prefix, attributes, groups, repeats,
// fixed array positions, constants and each transform.
const char *kAccountUpdates = R"({
  "message_type": "account_update",
  "root": "Updates", "record": "Update",
  "namespace": "urn:example:bank", "namespaces": {"x": "urn:example:extra"},
  "fields": [
    {"path": "@ref", "to": "/idempotency_key", "required": true},
    {"path": "Posted", "to": "/occurred_at", "transform": "date", "format": "MM/DD/YYYY", "time": "12:00:00",
     "utc_offset": "-07:00", "required": true},
    {"path": "Account", "to": "/payload/account/account_number", "transform": "trim", "required": true},
    {"path": "Event", "to": "/payload/event", "transform": ["trim", "upper", "code_table"],
     "codes": {"PMT": "PAYMENT_POSTED", "CUR": "CURED"}, "required": true},
    {"path": "Posted", "to": "/payload/effective_date", "transform": "date", "format": "MM/DD/YYYY"},
    {"path": "Payment", "to": "/payload/payment", "fields": [
      {"path": "@on", "to": "/date", "transform": "date", "required": true},
      {"path": ".", "to": "/amount", "transform": "decimal", "required": true}
    ]},
    {"path": "x:Extra/x:Days", "to": "/payload/days_past_due", "transform": "integer"},
    {"path": "x:Extra/@x:flag", "to": "/payload/flags/disaster", "transform": "boolean"},
    {"path": "Contact/Primary", "to": "/payload/contacts/0/name"},
    {"path": "Contact/Second", "to": "/payload/contacts/1/name", "transform": "lower"},
    {"path": "Notes/Note", "to": "/payload/notes", "repeat": true},
    {"path": "Stamp", "to": "/payload/stamp", "transform": "date_time", "utc_offset": "Z"},
    {"const": 1, "to": "/payload/version"},
    {"path": "Payment", "to": "/payload/paid", "fields": [{"const": true, "to": "/flag"}]}
  ]
})";

CallResult decodeWith(const std::string &config, const std::string &input, const char *type = nullptr,
                      std::size_t chunk = 4096) {
    return plugin().create(config).decode(input, type, chunk);
}

TEST(XmlPlugin, DescribesItselfToTheHost) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_STREQ(d.name, "xml");
    EXPECT_EQ(d.abi_major, LENDGATE_ABI_MAJOR);
    EXPECT_EQ(d.capabilities, LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING);
    auto lists = [](const lendgate_format *formats, std::size_t n, const std::string &type) {
        for (std::size_t i = 0; i < n; ++i)
            if (formats[i].message_type == type) return std::string(formats[i].media_type);
        return std::string();
    };
    EXPECT_EQ(lists(d.decodes, d.decodes_count, "hardship_application"), "application/xml");
    EXPECT_EQ(lists(d.decodes, d.decodes_count, "ack"), "");  // nobody sends the gateway an ACK
    EXPECT_EQ(lists(d.encodes, d.encodes_count, "ack"), "application/xml");
    EXPECT_EQ(lists(d.encodes, d.encodes_count, "referral_update"), "application/xml");
    EXPECT_TRUE(nlohmann::json::accept(d.config_schema));
}

TEST(XmlPlugin, ShippedConfigurationsPassTheSchemaAndLoad) {
    const char *schema = plugin().descriptor().config_schema;
    for (const char *name : kShipped) {
        EXPECT_EQ(schemaProblems(schema, readFile(repoPath(std::string("config/plugins/") + name))),
                  std::vector<std::string>{})
            << name;
        EXPECT_EQ(plugin().tryCreate(shippedConfig(name)).status, LENDGATE_OK) << name;
    }
    EXPECT_EQ(schemaProblems(schema, kAccountUpdates), std::vector<std::string>{});
}

TEST(XmlPlugin, SchemaRefusesUnknownKeysAtEveryLevel) {
    const char *schema = plugin().descriptor().config_schema;
    const auto config = nlohmann::json::parse(readFile(repoPath("config/plugins/sfcu-hardship-application.json")));
    const std::vector<std::string> paths = {"/rot",
                                            "/limits/max_deep",
                                            "/fields/0/colum",
                                            "/fields/12/fields/0/tranform",
                                            "/fields/17/fields/1/code",
                                            "/fields/12/repeats",
                                            "/fields/18/fields/1/x"};
    for (const std::string &path : paths) {
        auto misspelt = config;
        misspelt[nlohmann::json::json_pointer(path)] = "x";
        EXPECT_FALSE(schemaProblems(schema, misspelt.dump()).empty()) << path;
        // The plugin refuses them too, for a host that did not validate first.
        const auto created = plugin().tryCreate(misspelt.dump());
        EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG) << path << ": " << created.failures.back().message;
    }
}

TEST(XmlPlugin, RefusesConfigurationsTheSchemaCannotJudge) {
    struct Case {
        const char *fields;
        const char *namedKey;
    };
    const Case cases[] = {
        {R"([{"path": "A//B", "to": "/x"}])", "fields[0].path"},
        {R"([{"path": "../A", "to": "/x"}])", "fields[0].path"},
        {R"([{"path": "p:A", "to": "/x"}])", "fields[0].path"},
        {R"([{"path": "A/@b/C", "to": "/x"}])", "fields[0].path"},
        {R"([{"path": "A", "to": "/x"}, {"path": "B", "to": "/x"}])", "fields[1].to"},
        {R"([{"path": "A", "to": "/x"}, {"path": "B", "to": "/x/y"}])", "fields[1].to"},
        {R"([{"path": "A", "to": "/message_type"}])", "fields[0].to"},
        {R"([{"path": "A", "to": "/x", "transform": ["integer", "trim"]}])", "fields[0].transform"},
        {R"([{"path": "A", "to": "/x", "format": "YYYYMMDD"}])", "fields[0].format"},
        {R"([{"path": "A", "to": "/x", "transform": "date", "format": "YYYYMMD"}])", "fields[0].format"},
        {R"([{"path": "A", "to": "/x", "transform": "code_table"}])", "fields[0].codes"},
        {R"([{"path": "A", "to": "/x", "codes": {"a": "b"}}])", "fields[0].transform"},
        {R"([{"path": "A", "to": "/x", "transform": "date", "time": "12:00:00"}])", "fields[0].time"},
        {R"([{"path": "A", "repeat": true}])", "fields[0]"},
        {R"([{"path": "L/I", "to": "/l", "repeat": true, "fields": [{"path": ".", "to": "/v"}]},
            {"path": "L/I/@n", "to": "/n"}])",
         "fields[1].path"},
        {R"([{"const": "x", "to": "/x", "transform": "trim"}])", "fields[0]"},
        {R"([{"path": "G", "to": "/g", "transform": "trim", "fields": [{"path": "A", "to": "/a"}]}])", "fields[0]"},
        {R"([{"path": "A", "to": "/x", "transform": "squash"}])", "fields[0].transform"},
    };
    for (const Case &c : cases) {
        const std::string config =
            std::string(R"({"message_type": "consent", "root": "R", "record": "C", "fields": )") + c.fields + "}";
        auto created = plugin().tryCreate(config);
        EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG) << c.fields;
        ASSERT_FALSE(created.failures.empty()) << c.fields;
        EXPECT_NE(created.failures.back().message.find(c.namedKey), std::string::npos)
            << c.fields << " -> " << created.failures.back().message;
    }
    const std::string dir = ::testing::TempDir();
    lendgate::test::writeFile(dir + "/doctype.xsd", "<!DOCTYPE s><s/>");
    lendgate::test::writeFile(dir + "/broken.xsd", "<xs:schema");
    const char *others[] = {
        "not json",
        R"({"message_type": "consent", "root": "R", "fields": [{"path": "A", "to": "/a"}], "xsd": "/nonexistent/x.xsd"})",
        R"({"message_type": "consent", "root": "R", "fields": [{"path": "A", "to": "/a"}], "limits": {"max_depth": 1}})",
    };
    for (const char *config : others) EXPECT_EQ(plugin().tryCreate(config).status, LENDGATE_ERR_CONFIG) << config;
    for (const char *xsd : {"doctype.xsd", "broken.xsd"}) {
        const std::string config = R"({"message_type": "consent", "root": "R", "fields": [{"path": "A", "to": "/a"}],
                                      "xsd": ")" +
                                   dir + "/" + xsd + "\"}";
        auto created = plugin().tryCreate(config);
        EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG) << xsd;
        EXPECT_NE(created.failures.back().message.find(xsd), std::string::npos) << created.failures.back().message;
    }
    // An XSD that does not declare the record element globally cannot validate records one by one.
    auto wrongRecord = nlohmann::ordered_json::parse(shippedConfig("sfcu-hardship-application.json"));
    wrongRecord["record"] = "Hardship";
    auto created = plugin().tryCreate(wrongRecord.dump());
    EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG);
    EXPECT_NE(created.failures.back().message.find("global element"), std::string::npos);
}

// The host says where the configuration file lives (ABI 1.1), so the shipped
// configurations' relative XSD paths work from any working directory.
TEST(XmlPlugin, ARelativeXsdPathIsTakenFromTheConfigurationsFolder) {
    const std::string config = readFile(repoPath("config/plugins/sfcu-hardship-application.json"));
    const auto here = std::filesystem::current_path();
    std::filesystem::current_path(::testing::TempDir());
    const auto created = plugin().tryCreate(config);
    // A host that does not say (ABI 1.0) leaves the path to the working directory.
    lendgate::test::LoadedPlugin olderHost(LENDGATE_TEST_PLUGIN_PATH);
    const auto refused = olderHost.tryCreate(config);
    std::filesystem::current_path(here);
    EXPECT_EQ(created.status, LENDGATE_OK);
    EXPECT_EQ(refused.status, LENDGATE_ERR_CONFIG);
    ASSERT_FALSE(refused.failures.empty());
    EXPECT_NE(refused.failures.back().message.find("sfcu-hardship-applications.xsd"), std::string::npos);
}

const std::string kUpdates = R"(<?xml version="1.0"?>
<Updates xmlns="urn:example:bank" xmlns:e="urn:example:extra">
  <Update ref="U-1">
    <Account> 4401009817 </Account>
    <Event> pmt </Event>
    <Posted>11/20/2026</Posted>
    <Payment on="2026-11-20">250.10</Payment>
    <e:Extra e:flag="Y"><e:Days>012</e:Days></e:Extra>
    <Contact><Second>SECOND</Second></Contact>
    <Notes><Note>first</Note><Note>  </Note><Note>with <!-- a comment --> inside</Note></Notes>
    <Stamp>2026-11-20T08:30:00</Stamp>
    <Ignored>anything</Ignored>
  </Update>
  <Update ref="U-2">
    <Account>4401009817</Account><Event>CUR</Event><Posted>11/21/2026</Posted>
    <Contact><Primary>Ann</Primary><Second>Bo</Second></Contact>
  </Update>
</Updates>)";

TEST(XmlPlugin, MapsElementsAttributesGroupsAndRepeatsThroughEveryTransform) {
    const auto result = decodeWith(kAccountUpdates, kUpdates);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(errorReport(result), "");
    EXPECT_EQ(result.jsonLines(),
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"U-1",)"
              R"("occurred_at":"2026-11-20T12:00:00-07:00","payload":{"account":{"account_number":"4401009817"},)"
              R"("event":"PAYMENT_POSTED","effective_date":"2026-11-20","payment":{"date":"2026-11-20",)"
              R"("amount":"250.10"},"days_past_due":12,"flags":{"disaster":true},"contacts":[{"name":"second"}],)"
              R"("notes":["first","with  inside"],"stamp":"2026-11-20T08:30:00Z","version":1,"paid":{"flag":true}}})"
              "\n"
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"U-2",)"
              R"("occurred_at":"2026-11-21T12:00:00-07:00","payload":{"account":{"account_number":"4401009817"},)"
              R"("event":"CURED","effective_date":"2026-11-21","contacts":[{"name":"Ann"},{"name":"bo"}],"version":1}})"
              "\n");
    EXPECT_EQ(result.records[1].where.record, 2u);
    EXPECT_EQ(result.records[1].where.line, 14u);
}

TEST(XmlPlugin, OneByteReadsChangeNothing) {
    const auto whole = decodeWith(kAccountUpdates, kUpdates);
    for (std::size_t chunk : {1u, 3u, 511u})
        EXPECT_EQ(decodeWith(kAccountUpdates, kUpdates, nullptr, chunk).jsonLines(), whole.jsonLines());
}

TEST(XmlPlugin, ElementsOfAnotherNamespaceDoNotMatch) {
    std::string input = kUpdates;
    input.replace(input.find("<Account> 4401009817 </Account>"), 31, "<e:Account>4401009817</e:Account>");
    const auto result = decodeWith(kAccountUpdates, input);
    EXPECT_EQ(errorReport(result),
              "record 1: /payload/account/account_number: required: element Update/Account: is required but missing "
              "or blank\n");
    EXPECT_EQ(result.records.size(), 1u);
    // The root must be in the configured namespace as well.
    std::string noNamespace = kUpdates;
    noNamespace.replace(noNamespace.find(" xmlns=\"urn:example:bank\""), 25, "");
    const auto refused = decodeWith(kAccountUpdates, noNamespace);
    EXPECT_EQ(refused.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(refused.failureCode(), "root");
}

TEST(XmlPlugin, ReportsEveryBadValueOfARecordAndKeepsGoing) {
    const std::string input = R"(<Updates xmlns="urn:example:bank"><Update ref="U-1"><Account>1</Account>
      <Event>XYZ</Event><Posted>02/30/2026</Posted><Payment on="2026-11-20">12,50</Payment>
      <Payment on="2026-11-21">1</Payment><Stamp>yesterday</Stamp></Update>
      <Update><Account>2</Account><Event>PMT</Event><Posted>11/20/2026</Posted><Payment>5.00</Payment></Update>
      <Update ref="U-3"><Account>3</Account><Event>PMT</Event><Posted>11/20/2026</Posted></Update></Updates>)";
    const auto result = decodeWith(kAccountUpdates, input);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(errorReport(result),
              "record 1: /payload/event: code: element Update/Event: holds a code the code table does not list\n"
              "record 1: /occurred_at: date: element Update/Posted: is not a date in the form MM/DD/YYYY, or not a day "
              "of the calendar\n"
              "record 1: /payload/effective_date: date: element Update/Posted: is not a date in the form MM/DD/YYYY, "
              "or not a day of the calendar\n"
              "record 1: /payload/payment/amount: amount: element Update/Payment[1]: is not a decimal number\n"
              "record 1: Update/Payment[2]: repeated: element Update/Payment[2]: occurs more than once where the "
              "mapping expects one element\n"
              "record 1: /payload/stamp: date_time: element Update/Stamp: is not a date-time (YYYY-MM-DDThh:mm:ss, "
              "optionally with a time zone)\n"
              "record 2: /idempotency_key: required: element Update/@ref: is required but missing or blank\n"
              "record 2: /payload/payment/date: required: element Update/Payment/@on: is required but missing or "
              "blank\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].where.record, 3u);
    for (const auto &error : result.errors)
        for (const char *value : {"XYZ", "02/30", "12,50", "yesterday"})
            EXPECT_EQ(error.message.find(value), std::string::npos) << error.message;
}

TEST(XmlPlugin, ARequiredGroupMustBeThereAndItsFieldsOnlyWhenItIs) {
    const char *config = R"({"message_type": "consent", "root": "R", "record": "C", "fields": [
      {"path": "@id", "to": "/idempotency_key"},
      {"path": "By", "to": "/payload/captured_by", "required": true, "fields": [
        {"path": "@role", "to": "/role", "required": true}, {"const": "x", "to": "/kind"}]},
      {"path": "Opt", "to": "/payload/opt", "fields": [{"path": "@v", "to": "/v", "required": true}]}]})";
    const auto result =
        decodeWith(config, R"(<R><C id="1"><By role="LENDER"/></C><C id="2"/><C id="3"><By/><Opt/></C></R>)");
    EXPECT_EQ(errorReport(result),
              "record 2: /payload/captured_by: required: element C/By: is required but missing\n"
              "record 3: /payload/captured_by/role: required: element C/By/@role: is required but missing or blank\n"
              "record 3: /payload/opt/v: required: element C/Opt/@v: is required but missing or blank\n");
    EXPECT_EQ(result.jsonLines(), R"({"message_type":"consent","schema_version":"1.0","idempotency_key":"1",)"
                                  R"("payload":{"captured_by":{"role":"LENDER","kind":"x"}}})"
                                  "\n");
}

TEST(XmlPlugin, WithoutARecordElementTheRootIsTheOneRecord) {
    const char *config = R"({"message_type": "referral_update", "root": "Update", "fields": [
      {"path": "@key", "to": "/idempotency_key"}, {"path": "Status", "to": "/payload/status"}]})";
    const auto result = decodeWith(config, R"(<Update key="K-1"><Status>completed</Status></Update>)");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].where.record, 1u);
    EXPECT_EQ(result.records[0].json, R"({"message_type":"referral_update","schema_version":"1.0",)"
                                      R"("idempotency_key":"K-1","payload":{"status":"completed"}})");
}

TEST(XmlPlugin, DecodesOnlyItsOwnTypeAndStopsWhenTheHostSaysSo) {
    auto instance = plugin().create(kAccountUpdates);
    EXPECT_EQ(instance.decode(kUpdates, "consent").status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(instance.decode(kUpdates, "account_update").status, LENDGATE_OK);
    const auto stopped = instance.decode(kUpdates, nullptr, 4096, 1);
    EXPECT_EQ(stopped.status, LENDGATE_ERR_ABORTED);
    EXPECT_EQ(stopped.records.size(), 1u);
}

}  // namespace
