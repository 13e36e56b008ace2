// The mapped mode as a host sees it: a partner's own JSON shape mapped to
// canonical records by JSON Pointer and back, with constants, defaults, code
// tables, conversions, type selection and arrays mapped element by element.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_schema_check.h"
#include "plugin_harness.h"

namespace {

using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

// A small servicer feed: payments and consents on one endpoint, told apart by /kind.
const std::string kConfig = R"({
  "mode": "mapped",
  "types": [
    {"message_type": "account_update", "when": {"from": "/kind", "in": ["payment", "cure"]},
     "fields": [
       {"from": "/ref", "to": "/idempotency_key", "required": true},
       {"from": "/at", "to": "/occurred_at", "required": true},
       {"const": "servicer-x", "to": "/partner_refs/0/partner", "when": {"from": "/ticket"}},
       {"const": "ticket", "to": "/partner_refs/0/kind", "when": {"from": "/ticket"}},
       {"from": "/ticket", "to": "/partner_refs/0/value", "transform": "string"},
       {"from": "/loan", "to": "/payload/account/account_number", "transform": ["trim", "upper"]},
       {"from": "/kind", "to": "/payload/event", "transform": "code_table",
        "codes": {"payment": "PAYMENT_POSTED", "cure": ["CURED", "PAID_OFF"]}},
       {"from": "/on", "to": "/payload/effective_date", "required": true},
       {"from": "/paid/on", "to": "/payload/payment/date"},
       {"from": "/paid/cents", "to": "/payload/payment/amount", "transform": "cents_to_decimal"},
       {"from": "/dpd", "to": "/payload/days_past_due", "transform": "integer"},
       {"from": "/due", "to": "/payload/amount_past_due", "transform": "decimal"},
       {"from": "/bk", "to": "/payload/bankruptcy/chapter", "type": "integer", "default": 7, "when": {"from": "/bk_filed"}},
       {"from": "/bk_filed", "to": "/payload/bankruptcy/filed_date"},
       {"const": "v2", "from": "/api"}
     ]},
    {"message_type": "consent", "when": {"from": "/kind", "in": ["consent"]},
     "fields": [
       {"from": "/ref", "to": "/idempotency_key"},
       {"from": "/at", "to": "/occurred_at", "direction": "decode"},
       {"from": "/at", "to": "/payload/captured_at"},
       {"from": "/recorded", "to": "/payload/method", "transform": ["trim", "upper", "code_table"],
        "codes": {"J": "VERBAL_RECORDED", "N": "WRITTEN"}},
       {"from": "/minor", "to": "/payload/minor", "transform": "boolean", "boolean_text": ["J", "N"]},
       {"from": "/needs", "to": "/payload/scope", "each": [
         {"from": "", "to": "", "transform": "code_table", "codes": {"F": "financial-insecurity", "H": "housing-instability"}}
       ]},
       {"from": "/people", "to": "/payload/people", "each": [
         {"from": "/n", "to": "/name/last", "required": true},
         {"from": "/tel", "to": "/phones", "each": [
           {"from": "", "to": "/number"}, {"const": "MOBILE", "to": "/type", "when": {"from": ""}}]}
       ]}
     ]}
  ]
})";

lendgate::test::CallResult decode(const std::string &input, const char *type = nullptr,
                                  const std::string &config = kConfig) {
    return plugin().create(config).decode(input, type);
}

TEST(JsonMapped, TheDescriptorsSchemaTakesEveryShippedPartnerConfiguration) {
    const char *schema = plugin().descriptor().config_schema;
    for (const char *name : {"valley-assignment.json", "valley-inbound.json", "copper-events.json",
                             "copper-delinquency-notice.json", "copper-hardship-application.json", "json.json"}) {
        const std::string config = readFile(std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins/" + name);
        EXPECT_TRUE(lendgate::test::schemaProblems(schema, config).empty()) << name;
        EXPECT_EQ(plugin().tryCreate(config).status, LENDGATE_OK) << name;
    }
    EXPECT_TRUE(lendgate::test::schemaProblems(schema, kConfig).empty());
    // Unknown keys are refused at every level, and the mapped keys need the mapped mode.
    for (
        const char *bad :
        {R"({"mode":"mapped","types":[{"message_type":"consent","fields":[{"from":"/a","to":"/b","colour":1}]}]})",
         R"({"mode":"mapped","types":[{"message_type":"consent","fields":[{"from":"/a","to":"/b"}],"extra":1}]})",
         R"({"mode":"mapped","types":[{"message_type":"consent","when":{"from":"/a","is":"b"},"fields":[{"from":"/a","to":"/b"}]}]})",
         R"({"types":[{"message_type":"consent","fields":[{"from":"/a","to":"/b"}]}]})", R"({"mode":"mapped"})",
         R"({"mode":"mapped","types":[{"message_type":"loan","fields":[{"from":"/a","to":"/b"}]}]})",
         R"({"mode":"mapped","types":[{"message_type":"consent","fields":[{"from":"a","to":"/b"}]}]})"}) {
        EXPECT_FALSE(lendgate::test::schemaProblems(schema, bad).empty()) << bad;
        EXPECT_EQ(plugin().tryCreate(bad).status, LENDGATE_ERR_CONFIG) << bad;
    }
}

TEST(JsonMapped, RefusesMappingsThatCannotWorkBothWays) {
    auto refused = [](const std::string &fields) {
        const auto created =
            plugin().tryCreate(R"({"mode":"mapped","types":[{"message_type":"consent","fields":[)" + fields + "]}]}");
        return created.status == LENDGATE_ERR_CONFIG ? created.failures.back().message : std::string("accepted");
    };
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p/x"},{"from":"/b","to":"/p/x"})"),
              "types/0/fields/1: pointer /p/x is written by two fields, or holds another field's value");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p/x"},{"from":"/b","to":"/p/x/y"})"),
              "types/0/fields/1: pointer /p/x/y lies inside another field's value");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p/0"},{"from":"/b","to":"/p/x"})"),
              "types/0/fields/1: pointer /p/x mixes array positions and member names at one level");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p","transform":"code_table"})"),
              "types/0/fields/0: code_table and codes go together");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p","transform":"rot13"})"),
              "types/0/fields/0/transform: unknown transform");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/message_type"})"),
              "types/0: message_type and schema_version are written by the plugin, not by a field");
    EXPECT_EQ(refused(R"({"from":"","to":"/p"})"),
              "types/0/fields/0: the empty pointer (the element itself) is only for fields inside each");
    EXPECT_EQ(refused(R"({"from":"/a","each":[{"from":"/x","to":"/y"}]})"),
              "types/0/fields/0: each needs both from and to");
    EXPECT_EQ(refused(R"({"from":"/a"})"), "types/0/fields/0: needs to (or, for a partner constant, const)");
    EXPECT_EQ(refused(R"({"const":"x","to":"/p","transform":"upper"})"),
              "types/0/fields/0: a const takes no default, transform or required");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p","boolean_text":["Y","Y"]})"),
              "types/0/fields/0/boolean_text: must be two different strings, for true and for false");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p"},{"from":"/a","to":"/q"})"),
              "types/0/fields/1: pointer /a is written by two fields, or holds another field's value");
    EXPECT_EQ(refused(R"({"from":"/a","to":"/p"},{"from":"/a","to":"/q","direction":"decode"})"), "accepted");
}

TEST(JsonMapped, MapsAPartnerRecordToACanonicalOne) {
    const auto result = decode(
        R"({"kind":"payment","ref":"X-1","at":"2026-12-01T10:00:00-07:00","ticket":88120,"loan":" ab-12 ",)"
        R"("on":"2026-12-01","paid":{"on":"2026-12-01","cents":5},"dpd":"007","due":612.40,"extra":{"ignored":true}})");
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].messageType, "account_update");
    EXPECT_EQ(
        result.records[0].json,
        R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"X-1",)"
        R"("occurred_at":"2026-12-01T10:00:00-07:00",)"
        R"("partner_refs":[{"partner":"servicer-x","kind":"ticket","value":"88120"}],)"
        R"("payload":{"account":{"account_number":"AB-12"},"event":"PAYMENT_POSTED","effective_date":"2026-12-01",)"
        R"("payment":{"date":"2026-12-01","amount":"0.05"},"days_past_due":7,"amount_past_due":"612.40"}})");
}

TEST(JsonMapped, LeavesOutWhatIsAbsentOrNullAndUsesDefaultsAndConditions) {
    const auto result = decode(
        R"({"kind":"cure","ref":"X-2","at":"2026-12-02T10:00:00Z","on":"2026-12-02","paid":{"on":null},"bk_filed":"2026-11-30"})"
        "\n"
        R"({"kind":"cure","ref":"X-3","at":"2026-12-02T10:00:00Z","on":"2026-12-02","bk":13})");
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 2u);
    // The first canonical value a code stands for; no payment object, as nothing of it was there.
    EXPECT_EQ(result.records[0].json,
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"X-2",)"
              R"("occurred_at":"2026-12-02T10:00:00Z","payload":{"event":"CURED","effective_date":"2026-12-02",)"
              R"("bankruptcy":{"chapter":7,"filed_date":"2026-11-30"}}})");
    // A field whose `when` does not hold is left out, even with a value.
    EXPECT_EQ(result.records[1].json,
              R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"X-3",)"
              R"("occurred_at":"2026-12-02T10:00:00Z","payload":{"event":"CURED","effective_date":"2026-12-02"}})");
}

TEST(JsonMapped, SelectsTheTypeByAFieldValueAndMapsArraysElementByElement) {
    const auto result = decode(
        R"({"kind":"consent","ref":"C-1","at":"2026-12-03T09:00:00-07:00","recorded":" j","minor":"yes",)"
        R"("needs":["H","F"],"people":[{"n":"Begay","tel":["+16235550176",null,"+16025550188"]},{"n":"Ortiz","tel":[]}]})");
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].messageType, "consent");
    EXPECT_EQ(result.records[0].json,
              R"({"message_type":"consent","schema_version":"1.0","idempotency_key":"C-1",)"
              R"("occurred_at":"2026-12-03T09:00:00-07:00","payload":{"captured_at":"2026-12-03T09:00:00-07:00",)"
              R"("method":"VERBAL_RECORDED","minor":true,"scope":["housing-instability","financial-insecurity"],)"
              R"("people":[{"name":{"last":"Begay"},"phones":[{"number":"+16235550176","type":"MOBILE"},)"
              R"({"number":"+16025550188","type":"MOBILE"}]},{"name":{"last":"Ortiz"}}]}})");
}

TEST(JsonMapped, ReportsEveryBadFieldWithItsPointerAndSkipsTheRecord) {
    const auto result = decode(
        R"({"kind":"payment","at":"2026-12-01T10:00:00Z","on":"2026-12-01","paid":{"cents":12.5},"dpd":"x7","due":6.1e2})"
        "\n"
        R"({"kind":"consent","needs":["H","Z"],"people":[{"tel":["+1"]}],"minor":"maybe"})"
        "\n"
        R"({"kind":"refund","ref":"R-1"})"
        "\n"
        R"({"kind":"cure","ref":"X-9","at":"2026-12-09T10:00:00Z","on":"2026-12-09"})");
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /idempotency_key: required\n"
              "line 1: record 1: /payload/payment/amount: amount\n"
              "line 1: record 1: /payload/days_past_due: integer\n"
              "line 1: record 1: /payload/amount_past_due: amount\n"
              "line 2: record 2: /payload/minor: boolean\n"
              "line 2: record 2: /payload/scope/1: code\n"
              "line 2: record 2: /payload/people/0/name/last: required\n"
              "line 3: record 3: /message_type: message_type\n");
    EXPECT_EQ(result.errors[1].message, "partner /paid/cents: expected a whole number of cents");
    EXPECT_EQ(result.errors[5].message, "partner /needs/1: the code is not in the code table");
    EXPECT_EQ(result.errors[6].message, "partner /people/0/n: required, but absent or null");
    EXPECT_EQ(result.errors[7].message, "the record matches no configured message type");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].where.record, 4u);
}

TEST(JsonMapped, RefusesRecordsOfAnotherTypeThanTheHostExpects) {
    const auto result = decode(R"({"kind":"consent","ref":"C-1","at":"2026-12-03T09:00:00Z"})", "account_update");
    EXPECT_EQ(result.errorLines(), "line 1: record 1: /message_type: message_type\n");
    EXPECT_EQ(result.errors[0].message, "the record maps to consent, not the expected account_update");
}

TEST(JsonMapped, EncodesCanonicalRecordsInThePartnersShape) {
    const std::string update =
        R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"X-1",)"
        R"("occurred_at":"2026-12-01T10:00:00-07:00","partner_refs":[{"partner":"servicer-x","kind":"ticket","value":"88120"}],)"
        R"("payload":{"account":{"account_number":"AB-12"},"event":"PAID_OFF","effective_date":"2026-12-01",)"
        R"("payment":{"date":"2026-12-01","amount":"1250.5"},"days_past_due":0,"amount_past_due":"0.00","balance":"0.00"}})";
    const std::string consent =
        R"({"message_type":"consent","schema_version":"1.0","idempotency_key":"C-1","occurred_at":"2026-12-03T09:00:00Z",)"
        R"("payload":{"captured_at":"2026-12-03T09:00:00Z","method":"WRITTEN","minor":false,"scope":["financial-insecurity"]}})";
    const auto result = plugin().create(kConfig).encode({update, consent}, nullptr);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "");
    // The selection value leads; a code shared by two values gives both back; the partner constant is added;
    // what the partner's shape has no place for (the balance) is not written.
    EXPECT_EQ(result.output,
              R"({"kind":"cure","ref":"X-1","at":"2026-12-01T10:00:00-07:00","ticket":88120,"loan":"AB-12",)"
              R"("on":"2026-12-01","paid":{"on":"2026-12-01","cents":125050},"dpd":"0","due":0.00,"api":"v2"})"
              "\n"
              R"({"kind":"consent","ref":"C-1","at":"2026-12-03T09:00:00Z","recorded":"N","minor":"N","needs":["F"]})"
              "\n");
    const auto array = plugin()
                           .create(R"({"mode":"mapped","output":"array","pretty":true,"types":[{"message_type":)"
                                   R"("consent","fields":[{"from":"/id","to":"/idempotency_key"}]}]})")
                           .encode({consent}, "consent");
    EXPECT_EQ(array.output, "[\n  {\n    \"id\": \"C-1\"\n  }\n]\n");
}

TEST(JsonMapped, EncodeReportsWhatThePartnersShapeCannotHold) {
    const std::string closed =
        R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"X-5",)"
        R"("occurred_at":"2026-12-01T10:00:00Z","payload":{"event":"CLOSED","effective_date":"2026-12-01",)"
        R"("payment":{"amount":"10.005"},"days_past_due":1.5}})";
    const std::string missing = R"({"message_type":"account_update","schema_version":"1.0","payload":{}})";
    const std::string notMapped = R"({"message_type":"ack","payload":{}})";
    const auto result = plugin().create(kConfig).encode({closed, missing, notMapped, "{\"message_type\":"}, nullptr);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.output, "");
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: /payload/event: code\n"
              "line 0: record 1: /payload/payment/amount: amount\n"
              "line 0: record 1: /payload/days_past_due: type\n"
              "line 0: record 2: /idempotency_key: required\n"
              "line 0: record 2: /occurred_at: required\n"
              "line 0: record 2: /payload/effective_date: required\n"
              "line 0: record 3: /message_type: message_type\n"
              "line 0: record 4: -: syntax\n");
    EXPECT_EQ(result.errors[0].message, "partner /kind: the code table has no partner code for this value");
}

TEST(JsonMapped, RoundTripsThroughThePartnersShape) {
    const std::string input =
        R"({"kind":"payment","ref":"X-1","at":"2026-12-01T10:00:00-07:00","ticket":88120,"loan":"AB-12",)"
        R"("on":"2026-12-01","paid":{"on":"2026-12-01","cents":-125},"dpd":"12","due":612.40})"
        "\n"
        R"({"kind":"consent","ref":"C-1","at":"2026-12-03T09:00:00Z","recorded":"J","minor":"J","needs":["F","H"],)"
        R"("people":[{"n":"Begay","tel":["+16235550176"]}]})"
        "\n";
    auto instance = plugin().create(kConfig);
    const auto decoded = instance.decode(input);
    ASSERT_EQ(decoded.records.size(), 2u);
    const auto encoded = instance.encode({decoded.records[0].json, decoded.records[1].json}, nullptr);
    EXPECT_EQ(encoded.errorLines(), "");
    const auto again = instance.decode(encoded.output);
    EXPECT_EQ(again.jsonLines(), decoded.jsonLines());
}

}  // namespace

namespace {

// The example of plugins/json/README.md, as written there.
TEST(JsonMapped, TheReadmeExampleDoesWhatTheReadmeSays) {
    const std::string readme = readFile(std::string(LENDGATE_TEST_SOURCE_DIR) + "/plugins/json/README.md");
    const std::size_t start = readme.find("```json\n{\n  \"mode\": \"mapped\"");
    ASSERT_NE(start, std::string::npos);
    const std::size_t end = readme.find("```\n", start + 8);
    const std::string config = readme.substr(start + 8, end - start - 8);
    auto instance = plugin().create(config);
    const std::string body = R"({"event_id":"VRC-CNS-1","event_type":"consent.granted",)"
                             R"("captured_at":"2026-12-04T18:41:30-07:00","topics":["veteran"]})";
    const std::string record =
        R"({"message_type":"consent","schema_version":"1.0","idempotency_key":"VRC-CNS-1",)"
        R"("occurred_at":"2026-12-04T18:41:30-07:00","payload":{"action":"GRANT",)"
        R"("captured_at":"2026-12-04T18:41:30-07:00","captured_by":{"role":"REPO_AGENT"},"scope":["veteran-status"]}})";
    EXPECT_NE(readme.find(body), std::string::npos);
    EXPECT_NE(readme.find(record), std::string::npos);
    const auto decoded = instance.decode(body);
    ASSERT_EQ(decoded.records.size(), 1u);
    EXPECT_EQ(decoded.records[0].json, record);
    EXPECT_EQ(instance.encode({record}, "consent").output,
              R"({"event_type":"consent.granted","event_id":"VRC-CNS-1","captured_at":"2026-12-04T18:41:30-07:00",)"
              R"("topics":["veteran"],"api_version":"2024-06"})"
              "\n");
}

}  // namespace
