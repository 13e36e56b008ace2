// The shipped config/routes.json, loaded against the sample world's partners
// and given realistic canonical records (the model's golden records, as the
// sample partners would send them): each lands where DOMAIN.md says it should.
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/model/message.h"
#include "tests/core/routing/routing_test_support.h"

namespace lendgate::routing {
namespace {

using model::MessageType;
using nlohmann::json;
using testing::golden;
using testing::inputFor;

using Strings = std::vector<std::string>;

struct Scenario {
    std::string name;
    std::string goldenRecord;  ///< tests/core/model/golden/valid/<goldenRecord>.json
    MessageType type;
    std::string sender;
    std::optional<model::PartnerRole> senderRole;
    json edits;  ///< JSON Pointer → new value (null removes the member)
    std::string caseLender;
    Strings caseAssignees;
    // Expected:
    Strings destinations;  ///< empty: unroutable
    Strings rules;         ///< matched rules
    Unroutable unroutable = Unroutable::No;
};

// Names the parameter in test output instead of dumping its bytes.
void PrintTo(const Scenario &scenario, std::ostream *out) {
    *out << scenario.name;
}

const std::string kZip = "/payload/debtors/0/addresses/0/postal_code";
const std::string kCity = "/payload/debtors/0/addresses/0/city";

std::vector<Scenario> scenarios() {
    const auto lender = model::PartnerRole::Lender;
    const auto servicer = model::PartnerRole::Servicer;
    const auto assignment = MessageType::RepossessionAssignment;
    const json none = json::object();
    return {
        {"NoticeFromBank",
         "delinquency_notice_full",
         MessageType::DelinquencyNotice,
         "desert-valley-bank",
         lender,
         none,
         "",
         {},
         {"copper-state-lossmit"},
         {"notices-to-loss-mitigation"}},
        {"NoticeFromFinanceCompany",
         "delinquency_notice_minimal",
         MessageType::DelinquencyNotice,
         "cactus-auto-finance",
         lender,
         none,
         "",
         {},
         {"copper-state-lossmit"},
         {"notices-to-loss-mitigation"}},
        {"UpdateFromLender",
         "account_update_cured",
         MessageType::AccountUpdate,
         "desert-valley-bank",
         lender,
         none,
         "",
         {},
         {"copper-state-lossmit"},
         {"account-updates-shared"}},
        {"UpdateFromServicer",
         "account_update_payment_posted",
         MessageType::AccountUpdate,
         "copper-state-lossmit",
         servicer,
         none,
         "desert-valley-bank",
         {},
         {"desert-valley-bank"},
         {"account-updates-shared"}},
        {"HardshipFromCreditUnion",
         "hardship_application",
         MessageType::HardshipApplication,
         "saguaro-fcu",
         lender,
         none,
         "",
         {},
         {"copper-state-lossmit"},
         {"hardship-applications-shared"}},
        {"HardshipTakenByServicer",
         "hardship_application",
         MessageType::HardshipApplication,
         "copper-state-lossmit",
         servicer,
         none,
         "saguaro-fcu",
         {},
         {"saguaro-fcu"},
         {"hardship-applications-shared"}},
        {"DecisionFromServicer",
         "hardship_decision_approved",
         MessageType::HardshipDecision,
         "copper-state-lossmit",
         servicer,
         none,
         "saguaro-fcu",
         {},
         {"saguaro-fcu"},
         {"hardship-decisions-shared"}},
        {"DecisionWithUnknownCase",
         "hardship_decision_approved",
         MessageType::HardshipDecision,
         "copper-state-lossmit",
         servicer,
         none,
         "",
         {},
         {},
         {"hardship-decisions-shared"},
         Unroutable::CaseContextMissing},
        // Curtis Begay lives in Glendale (85302), Phoenix metro.
        {"NewOrderGlendale",
         "repossession_assignment_new",
         assignment,
         "desert-valley-bank",
         lender,
         none,
         "",
         {},
         {"valley-recovery"},
         {"new-assignments-phoenix-metro"}},
        {"NewOrderDowntownPhoenix",
         "repossession_assignment_new",
         assignment,
         "desert-valley-bank",
         lender,
         {{kZip, "85004-1234"}, {kCity, "Phoenix"}},
         "",
         {},
         {"valley-recovery"},
         {"new-assignments-phoenix-metro"}},
        {"NewOrderMesa",
         "repossession_assignment_new",
         assignment,
         "saguaro-fcu",
         lender,
         {{kZip, "85201"}, {kCity, "Mesa"}},
         "",
         {},
         {"valley-recovery"},
         {"new-assignments-phoenix-metro"}},
        {"NewOrderTucson",
         "repossession_assignment_new",
         assignment,
         "desert-valley-bank",
         lender,
         {{kZip, "85711"}, {kCity, "Tucson"}},
         "",
         {},
         {"mesa-asset-recovery"},
         {"new-assignments-elsewhere"}},
        {"NewOrderFlagstaff",
         "repossession_assignment_new",
         assignment,
         "cactus-auto-finance",
         lender,
         {{kZip, "86001"}, {kCity, "Flagstaff"}},
         "",
         {},
         {"mesa-asset-recovery"},
         {"new-assignments-elsewhere"}},
        {"NewOrderWithoutAddress",
         "repossession_assignment_new",
         assignment,
         "desert-valley-bank",
         lender,
         {{"/payload/debtors/0/addresses", nullptr}},
         "",
         {},
         {"mesa-asset-recovery"},
         {"new-assignments-elsewhere"}},
        // A lender's CANCEL names no address: it follows the assignment, not a ZIP.
        {"CancelFromLender",
         "repossession_assignment_hold",
         assignment,
         "desert-valley-bank",
         lender,
         {{"/payload/action", "CANCEL"}, {"/payload/reason", "PAID_OFF"}},
         "",
         {"valley-recovery"},
         {"valley-recovery"},
         {"assignment-follow-ups-to-assignee"}},
        {"CancelWithNoKnownHolder",
         "repossession_assignment_hold",
         assignment,
         "desert-valley-bank",
         lender,
         {{"/payload/action", "CANCEL"}, {"/payload/reason", "PAID_OFF"}},
         "",
         {},
         {},
         {"assignment-follow-ups-to-assignee"},
         Unroutable::CaseContextMissing},
        {"GatewayHold",
         "repossession_assignment_hold",
         assignment,
         "lendgate",
         kGatewaySender,
         none,
         "",
         {"valley-recovery", "mesa-asset-recovery"},
         {"valley-recovery", "mesa-asset-recovery"},
         {"gateway-holds-to-assignees"}},
        {"Recovered",
         "repossession_outcome_recovered",
         MessageType::RepossessionOutcome,
         "valley-recovery",
         model::PartnerRole::RepoFirm,
         none,
         "desert-valley-bank",
         {},
         {"desert-valley-bank"},
         {"outcomes-to-lender"}},
        {"HoldAck",
         "repossession_outcome_hold_ack",
         MessageType::RepossessionOutcome,
         "mesa-asset-recovery",
         model::PartnerRole::RepoFirm,
         none,
         "cactus-auto-finance",
         {},
         {"cactus-auto-finance"},
         {"outcomes-to-lender"}},
        // Referrals are addressed by the nonprofits' HSDS directories (core/lifecycle), not by routes.
        {"ReferralUpdate",
         "referral_update",
         MessageType::ReferralUpdate,
         "arizona-veterans-bridge",
         model::PartnerRole::Nonprofit,
         none,
         "desert-valley-bank",
         {},
         {"desert-valley-bank"},
         {"referral-updates-to-lender"}},
        // Consent gates referrals inside the gateway; no partner receives it.
        {"ConsentStaysInside",
         "consent_grant_in_field",
         MessageType::Consent,
         "valley-recovery",
         model::PartnerRole::RepoFirm,
         none,
         "",
         {},
         {},
         {},
         Unroutable::NoRuleMatched},
    };
}

// A golden record as the scenario's sender would send it, edited; it must
// still be a valid canonical record.
std::string recordFor(const Scenario &scenario) {
    json value = golden(scenario.goldenRecord);
    value["sender"] = scenario.sender;
    value.erase("receiver");  // assigned by routing
    for (const auto &[pointer, replacement] : scenario.edits.items()) {
        const json::json_pointer at(pointer);
        if (replacement.is_null()) {
            value[at.parent_pointer()].erase(at.back());
        } else {
            value[at] = replacement;
        }
    }
    const std::string text = value.dump();
    const model::ParseResult parsed = model::parseMessage(text);
    EXPECT_TRUE(parsed.ok()) << scenario.name << ": " << (parsed.errors.empty() ? "" : parsed.errors.front().message);
    return text;
}

RouteTable shippedRoutes() {
    Result<RouteTable> loaded = RouteTable::load(testing::readFile(testing::sourceDir() / "config/routes.json"),
                                                 "config/routes.json", testing::sampleWorld());
    if (loaded.ok()) return std::move(loaded).value();
    ADD_FAILURE() << loaded.error().message;
    return RouteTable::load(R"({"version": 1, "rules": []})", "empty.json", testing::sampleWorld()).value();
}

RoutingResult routeScenario(const RouteTable &table, const Scenario &scenario, const std::string &record) {
    RoutingInput input = inputFor(scenario.type, scenario.sender, scenario.senderRole, record);
    input.caseLender = scenario.caseLender;
    input.caseAssignees = scenario.caseAssignees;
    return table.route(input);
}

class ShippedRoutes : public ::testing::TestWithParam<Scenario> {};

TEST_P(ShippedRoutes, RoutesTheRecordWhereTheSampleWorldExpects) {
    const Scenario &scenario = GetParam();
    const RouteTable table = shippedRoutes();
    const RoutingResult result = routeScenario(table, scenario, recordFor(scenario));
    EXPECT_EQ(testing::destinations(result), scenario.destinations);
    EXPECT_EQ(result.matchedRules, scenario.rules);
    EXPECT_EQ(result.unroutable, scenario.unroutable);
    for (const RouteDecision &decision : result.decisions) EXPECT_EQ(decision.ruleIds, scenario.rules);
}

INSTANTIATE_TEST_SUITE_P(SampleWorld, ShippedRoutes, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario> &info) { return info.param.name; });

TEST(ShippedRoutesFile, EveryRuleIsExercisedBySomeScenario) {
    const RouteTable table = shippedRoutes();
    std::set<std::string> exercised;
    for (const Scenario &scenario : scenarios()) {
        const RoutingResult result = routeScenario(table, scenario, recordFor(scenario));
        exercised.insert(result.matchedRules.begin(), result.matchedRules.end());
    }
    const json file = json::parse(testing::readFile(testing::sourceDir() / "config/routes.json"));
    std::set<std::string> ids;
    for (const json &rule : file["rules"]) ids.insert(rule["id"].get<std::string>());
    EXPECT_EQ(table.size(), ids.size());
    EXPECT_EQ(exercised, ids);
}

TEST(ShippedRoutesFile, ARepoFirmGivenANoticeIsRefusedWithFileAndPath) {
    // The shipped file with one destination changed: what an operator would see.
    json file = json::parse(testing::readFile(testing::sourceDir() / "config/routes.json"));
    file["rules"][0]["destinations"][0] = "mesa-asset-recovery";
    EXPECT_EQ(testing::loadErrorsOfText(file.dump()),
              Strings{"config/routes.json: /rules/0/destinations/0: \"mesa-asset-recovery\" is a repo_firm, which may "
                      "not receive delinquency_notice"});
}

}  // namespace
}  // namespace lendgate::routing
