// Every way a rules file can be wrong is refused at load time, each problem
// on its own line naming the file and the JSON Pointer inside it, and all
// problems are reported at once.
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "tests/core/routing/routing_test_support.h"

namespace lendgate::routing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::loadErrors;
using testing::loadErrorsOfText;

// A rule that loads; each test breaks one thing.
json goodRule() {
    return json::parse(R"({"id": "notices", "match": {"message_types": ["delinquency_notice"]},
                           "destinations": ["copper-state-lossmit"]})");
}

json with(json value, const std::string &pointer, json replacement) {
    value[json::json_pointer(pointer)] = std::move(replacement);
    return value;
}

json withPredicate(const json &predicate) {
    return with(goodRule(), "/match/payload", json::array({predicate}));
}

std::vector<std::string> errorsOf(const json &rule) {
    return loadErrors({rule});
}

TEST(RoutingLoadErrors, TheGoodRuleLoads) {
    EXPECT_TRUE(errorsOf(goodRule()).empty());
}

TEST(RoutingLoadErrors, UnknownOperatorNamesFileAndPath) {
    const json rules = {
        goodRule(), with(goodRule(), "/id", "b"), with(goodRule(), "/id", "c"),
        withPredicate({{"pointer", "/payload/loan/governing_state"}, {"op", "contains"}, {"value", "A"}})};
    std::vector<json> list(rules.begin(), rules.end());
    list[3]["id"] = "d";
    EXPECT_THAT(loadErrors(list), ElementsAre(HasSubstr("config/routes.json: /rules/3/match/payload/0/op: unknown "
                                                        "operator \"contains\" (known: equals, not_equals, in,")));
}

TEST(RoutingLoadErrors, JsonSyntaxAndDuplicateKeysNameThePlace) {
    EXPECT_THAT(loadErrorsOfText(R"({"version": 1, "rules": [{"id": "a",}]})"),
                ElementsAre("config/routes.json: /rules/0/id: invalid JSON syntax at byte 37"));
    EXPECT_THAT(loadErrorsOfText(R"({"version": 1, "rules": [{"id": "a", "id": "b"}]})"),
                ElementsAre("config/routes.json: /rules/0/id: member appears more than once in the same object"));
    const std::string longId(2000, 'a');
    EXPECT_THAT(loadErrorsOfText(R"({"version": 1, "rules": [{"id": ")" + longId + R"("}]})"),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/id: string is too long")));
}

TEST(RoutingLoadErrors, SchemaProblemsNameTheKeyAndPlace) {
    EXPECT_THAT(
        loadErrorsOfText(R"({"version": 2, "rules": [], "extra": true})"),
        ElementsAre("config/routes.json: /: unknown key \"extra\" (allowed: $schema, version, description, rules)",
                    "config/routes.json: /version: this gateway reads version 1 of the rule format"));
    EXPECT_THAT(loadErrorsOfText(R"({"version": 1})"),
                ElementsAre("config/routes.json: /: missing required key \"rules\""));
    EXPECT_THAT(errorsOf(with(goodRule(), "/destination", "x")),
                ElementsAre("config/routes.json: /rules/0: unknown key \"destination\" (allowed: id, description, "
                            "match, destinations)"));
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/sender", json::array({"x"}))),
                ElementsAre("config/routes.json: /rules/0/match: unknown key \"sender\" (allowed: message_types, "
                            "senders, sender_roles, payload)"));
    EXPECT_THAT(errorsOf(withPredicate({{"path", "/payload/as_of"}, {"op", "exists"}, {"value", true}})),
                ElementsAre("config/routes.json: /rules/0/match/payload/0: unknown key \"path\" (allowed: pointer, op, "
                            "value, all, any, not)",
                            "config/routes.json: /rules/0/match/payload/0: a test needs \"pointer\" and \"op\""));
    EXPECT_THAT(errorsOf(with(goodRule(), "/destinations/0", {{"partner", "copper-state-lossmit"}, {"fmt", "x"}})),
                ElementsAre("config/routes.json: /rules/0/destinations/0: unknown key \"fmt\" (allowed: partner, "
                            "format)"));
    EXPECT_THAT(errorsOf(with(goodRule(), "/id", "Notices To Servicer")),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/id: a rule id is 1 to 64 lower-case letters")));
    EXPECT_THAT(
        errorsOf(with(goodRule(), "/destinations", json::array())),
        ElementsAre(HasSubstr("config/routes.json: /rules/0/destinations: Array should contain no fewer than 1")));
    EXPECT_THAT(errorsOf(with(goodRule(), "/destinations/0", 7)),
                ElementsAre("config/routes.json: /rules/0/destinations/0: wrong JSON type here"));
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/message_types", "delinquency_notice")),
                ElementsAre("config/routes.json: /rules/0/match/message_types: wrong JSON type here"));
}

TEST(RoutingLoadErrors, UnknownNamesAreRefused) {
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/message_types/0", "delinquency")),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/match/message_types/0: unknown message type "
                                      "\"delinquency\" (known: delinquency_notice, account_update,")));
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/sender_roles", json::array({"bank"}))),
                ElementsAre("config/routes.json: /rules/0/match/sender_roles/0: unknown role \"bank\" (known: lender, "
                            "servicer, repo_firm, nonprofit, gateway)"));
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/senders", json::array({"first-national"}))),
                ElementsAre("config/routes.json: /rules/0/match/senders/0: unknown partner \"first-national\""));
    EXPECT_THAT(errorsOf(with(goodRule(), "/destinations/0", "copper-state")),
                ElementsAre("config/routes.json: /rules/0/destinations/0: unknown partner \"copper-state\""));
    EXPECT_THAT(errorsOf(with(goodRule(), "/destinations/0", "$borrower")),
                ElementsAre("config/routes.json: /rules/0/destinations/0: unknown destination token \"$borrower\" "
                            "(known: $lender, $assignees)"));
}

TEST(RoutingLoadErrors, DuplicateRuleIdsNameTheFirstUse) {
    EXPECT_THAT(loadErrors({goodRule(), with(goodRule(), "/id", "other"), goodRule()}),
                ElementsAre("config/routes.json: /rules/2/id: duplicate rule id \"notices\" (first at /rules/0/id)"));
}

TEST(RoutingLoadErrors, BadJsonPointersAreRefused) {
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "payload/as_of"}, {"op", "exists"}, {"value", true}})),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/match/payload/0/pointer: bad JSON Pointer "
                                      "\"payload/as_of\": a JSON Pointer starts with '/'")));
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/payload/as~2of"}, {"op", "exists"}, {"value", true}})),
                ElementsAre("config/routes.json: /rules/0/match/payload/0/pointer: bad JSON Pointer "
                            "\"/payload/as~2of\": '~' in a JSON Pointer must be followed by 0 or 1"));
}

TEST(RoutingLoadErrors, PointersMustNameAFieldOfTheRulesMessageTypes) {
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/payload/colateral/vin"}, {"op", "exists"}, {"value", true}})),
                ElementsAre("config/routes.json: /rules/0/match/payload/0/pointer: \"/payload/colateral/vin\" names "
                            "no field of delinquency_notice"));
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/collateral/plate_state"}, {"op", "equals"}, {"value", "AZ"}})),
                ElementsAre("config/routes.json: /rules/0/match/payload/0/pointer: \"/collateral/plate_state\" names "
                            "no field of delinquency_notice (pointers start at the record's top level: "
                            "\"/payload/...\")"));
    // The schema allows at most 10 parties, and an amount has no members.
    EXPECT_THAT(
        errorsOf(withPredicate({{"pointer", "/payload/parties/10/name/last"}, {"op", "exists"}, {"value", true}})),
        ElementsAre(HasSubstr("names no field of delinquency_notice")));
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/payload/balance/cents"}, {"op", "exists"}, {"value", true}})),
                ElementsAre(HasSubstr("names no field of delinquency_notice")));
    // A field of one of several types is fine; of none, it is named for all.
    json both = with(goodRule(), "/match/message_types", {"delinquency_notice", "account_update"});
    both["match"]["payload"] = {{{"pointer", "/payload/event"}, {"op", "equals"}, {"value", "CURED"}}};
    EXPECT_TRUE(errorsOf(both).empty());
    both["match"]["payload"][0]["pointer"] = "/payload/outcome";
    EXPECT_THAT(errorsOf(both), ElementsAre(HasSubstr("names no field of any of delinquency_notice, account_update")));
}

TEST(RoutingLoadErrors, OperatorsMustSuitTheFieldAndValuesItsSchema) {
    const auto errorFor = [](const std::string &pointer, const std::string &op, const json &value) {
        const std::vector<std::string> errors =
            errorsOf(withPredicate({{"pointer", pointer}, {"op", op}, {"value", value}}));
        return errors.size() == 1 ? errors[0] : "(" + std::to_string(errors.size()) + " errors)";
    };
    const std::string at = "config/routes.json: /rules/0/match/payload/0/value: ";
    EXPECT_EQ(errorFor("/payload/loan/governing_state", "lt", 5),
              at + "\"lt\" compares numbers and amounts, but \"/payload/loan/governing_state\" holds text");
    EXPECT_EQ(errorFor("/payload/amount_past_due", "before", "2026-01-01"),
              at + "\"before\" compares dates, but \"/payload/amount_past_due\" holds an amount");
    EXPECT_EQ(errorFor("/payload/days_past_due", "prefix", "4"),
              at + "\"prefix\" tests text, but \"/payload/days_past_due\" holds a number");
    EXPECT_THAT(errorFor("/payload/parties/0/addresses/0/type", "equals", "GARAGE"),
                HasSubstr(at + "\"GARAGE\" is not a value \"/payload/parties/0/addresses/0/type\" takes (GARAGING, "
                               "HOME, MAILING, OTHER, WORK)"));
    EXPECT_EQ(errorFor("/payload/parties/0/addresses/0/postal_code", "equals", 85004),
              at + "a number never equals \"/payload/parties/0/addresses/0/postal_code\", which holds text");
    EXPECT_EQ(errorFor("/payload/days_past_due", "equals", "45"),
              at + "a string never equals \"/payload/days_past_due\", which holds a number");
    EXPECT_EQ(errorFor("/payload/flags/dispute", "equals", "yes"),
              at + "a string never equals \"/payload/flags/dispute\", which holds true or false");
    EXPECT_THAT(errorFor("/payload/amount_past_due", "gt", 100.5), HasSubstr(at + "\"gt\" needs an integer or a "
                                                                                  "decimal string such as \"100.10\""));
    EXPECT_THAT(errorFor("/payload/amount_past_due", "gt", "1e3"), HasSubstr("\"gt\" needs an integer or a decimal"));
    EXPECT_THAT(errorFor("/payload/days_past_due", "equals", 45.0), HasSubstr("cannot take a number with a fraction"));
    EXPECT_EQ(errorFor("/payload/as_of", "after", "2026-02-30"),
              at + "\"after\" needs a full-date (\"2026-11-30\") or a date-time with offset "
                   "(\"2026-11-30T17:00:00-07:00\")");
    EXPECT_THAT(errorFor("/payload/as_of", "after", "2026-11-30T17:00:00"), HasSubstr("\"after\" needs a full-date"));
    EXPECT_EQ(errorFor("/payload/loan/product", "equals", json::array({"RV"})),
              at + "\"equals\" takes one value; \"in\" takes a list");
    EXPECT_EQ(errorFor("/payload/loan/product", "in", json::array()), at + "\"in\" takes a non-empty list of values");
    EXPECT_EQ(errorFor("/payload/loan/product", "in", "RV"), at + "\"in\" takes a non-empty list of values");
    EXPECT_EQ(errorFor("/payload/flags", "exists", "yes"), at + "\"exists\" takes true or false");
    EXPECT_EQ(errorFor("/payload/loan/product", "equals", json::object()),
              at + "\"equals\" takes a string, an integer or true/false");
    EXPECT_EQ(errorFor("/payload/loan/product", "not_equals", nullptr),
              at + "\"not_equals\" takes a string, an integer or true/false");
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/payload/loan/product"}, {"op", "in"}, {"value", {"RV", {1}}}})),
                ElementsAre(at.substr(0, at.size() - 2) + "/1: \"in\" takes a string, an integer or true/false"));
    EXPECT_EQ(errorFor("/payload/loan/governing_state", "prefix", ""),
              at + "\"prefix\" takes a string or a non-empty list of strings");
}

TEST(RoutingLoadErrors, PredicateFormsAreChecked) {
    EXPECT_THAT(errorsOf(withPredicate({{"pointer", "/payload/as_of"}, {"op", "exists"}})),
                ElementsAre("config/routes.json: /rules/0/match/payload/0: \"exists\" needs a \"value\""));
    const json az = {{"pointer", "/payload/loan/governing_state"}, {"op", "equals"}, {"value", "AZ"}};
    EXPECT_THAT(
        errorsOf(withPredicate({{"pointer", "/payload/as_of"}, {"op", "exists"}, {"value", true}, {"not", az}})),
        ElementsAre(HasSubstr("config/routes.json: /rules/0/match/payload/0: a predicate is either a test")));
    EXPECT_THAT(errorsOf(withPredicate({{"all", {az, {{"not", {{"op", "nope"}, {"pointer", "/payload/as_of"}}}}}}})),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/match/payload/0/all/1/not/op: unknown operator "
                                      "\"nope\"")));
    EXPECT_THAT(errorsOf(withPredicate({{"any", json::array()}})),
                ElementsAre(HasSubstr("config/routes.json: /rules/0/match/payload/0/any: Array should contain no "
                                      "fewer than 1")));
}

TEST(RoutingLoadErrors, RolesThatMayNotReceiveATypeAreRefused) {
    EXPECT_THAT(errorsOf(with(goodRule(), "/destinations/0", "valley-recovery")),
                ElementsAre("config/routes.json: /rules/0/destinations/0: \"valley-recovery\" is a repo_firm, which "
                            "may not receive delinquency_notice"));
    json referral = with(goodRule(), "/match/message_types", {"referral"});
    referral["destinations"] = {"sonoran-family-services", "copper-state-lossmit", "$lender"};
    EXPECT_THAT(errorsOf(referral),
                ElementsAre("config/routes.json: /rules/0/destinations/1: \"copper-state-lossmit\" is a servicer, "
                            "which may not receive referral",
                            "config/routes.json: /rules/0/destinations/2: \"$lender\" is a lender, which may not "
                            "receive referral"));
    json hardship = with(goodRule(), "/match/message_types", {"hardship_application", "repossession_outcome"});
    hardship["destinations"] = {"$assignees"};
    EXPECT_THAT(errorsOf(hardship),
                ElementsAre("config/routes.json: /rules/0/destinations/0: \"$assignees\" is a repo_firm, which may "
                            "not receive hardship_application",
                            "config/routes.json: /rules/0/destinations/0: \"$assignees\" is a repo_firm, which may "
                            "not receive repossession_outcome"));
    // Consent never leaves the gateway: it gates referrals.
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/message_types", {"consent"})),
                ElementsAre("config/routes.json: /rules/0/destinations/0: \"copper-state-lossmit\" is a servicer, "
                            "which may not receive consent"));
}

TEST(RoutingLoadErrors, SendersThatCanNeverMatchAreRefused) {
    EXPECT_THAT(errorsOf(with(goodRule(), "/match/sender_roles", {"repo_firm"})),
                ElementsAre("config/routes.json: /rules/0/match/message_types/0: no sender this rule matches may send "
                            "delinquency_notice (sent by: lender)"));
    json mixed = with(goodRule(), "/match/message_types", {"delinquency_notice", "account_update"});
    mixed["match"]["senders"] = {"desert-valley-bank", "valley-recovery"};
    EXPECT_THAT(errorsOf(mixed), ElementsAre("config/routes.json: /rules/0/match/senders/1: \"valley-recovery\" is a "
                                             "repo_firm, which sends none of the rule's message types"));
    json excluded = with(goodRule(), "/match/senders", {"desert-valley-bank", "copper-state-lossmit"});
    excluded["match"]["sender_roles"] = {"lender"};
    EXPECT_THAT(errorsOf(excluded), ElementsAre("config/routes.json: /rules/0/match/senders/1: "
                                                "\"copper-state-lossmit\" is a servicer, a role sender_roles does not "
                                                "list, so it never matches"));
}

TEST(RoutingLoadErrors, DestinationOptionsAreChecked) {
    json formats = with(goodRule(), "/match/message_types", {"repossession_assignment"});
    formats["destinations"] = {{{"partner", "valley-recovery"}, {"format", "json-webhook"}},
                               {{"partner", "mesa-asset-recovery"}, {"format", "json-webhook"}},
                               {{"partner", "$assignees"}, {"format", "fixed-width"}},
                               "valley-recovery",
                               {{"partner", "valley-recovery"}}};
    EXPECT_THAT(errorsOf(formats),
                ElementsAre("config/routes.json: /rules/0/destinations/1/format: partner \"mesa-asset-recovery\" has "
                            "no format \"json-webhook\"",
                            HasSubstr("config/routes.json: /rules/0/destinations/2/format: a format cannot be chosen "
                                      "for $assignees"),
                            "config/routes.json: /rules/0/destinations/4: the rule already names this destination"));
}

TEST(RoutingLoadErrors, AllProblemsAreCollectedInDocumentOrder) {
    std::vector<json> rules;
    for (int i = 0; i < 12; ++i) rules.push_back(with(goodRule(), "/id", "rule-" + std::to_string(i)));
    rules[11]["destinations"][0] = "valley-recovery";
    rules[2]["match"]["message_types"][0] = "notice";
    rules[10]["surprise"] = 1;
    rules[2]["id"] = "rule-1";
    const std::vector<std::string> errors = loadErrors(rules);
    EXPECT_THAT(errors, ElementsAre(HasSubstr("/rules/2/id: duplicate rule id \"rule-1\""),
                                    HasSubstr("/rules/2/match/message_types/0: unknown message type \"notice\""),
                                    HasSubstr("/rules/10: unknown key \"surprise\""),
                                    HasSubstr("/rules/11/destinations/0: \"valley-recovery\" is a repo_firm")));
    for (const std::string &line : errors) EXPECT_THAT(line, ::testing::StartsWith("config/routes.json: /"));
}

TEST(RoutingLoadErrors, TheSchemaIsDraft7WithClosedObjects) {
    // The loader compiles this very file in (core/routing/embed_schemas.cmake).
    const json schema = json::parse(testing::readFile(testing::sourceDir() / "config/schemas/routes.schema.json"));
    EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(schema["additionalProperties"], false);
    for (const auto &[name, definition] : schema["definitions"].items()) {
        if (definition.value("type", json()) == "object") {
            EXPECT_EQ(definition["additionalProperties"], false) << name;
        }
    }
    EXPECT_THAT(loadErrorsOfText(R"({"version": 1, "rules": [], "$schema": "schemas/routes.schema.json"})"),
                ::testing::IsEmpty());
}

}  // namespace
}  // namespace lendgate::routing
