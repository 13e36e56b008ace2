// How rules combine: every matching rule applies, destinations are
// deduplicated with the ids of every rule that chose them, case tokens
// resolve from the journal's answer, and a message without a destination is
// reported as unroutable with the reason, never dropped.
#include <string>
#include <thread>
#include <vector>

#include "tests/core/routing/routing_test_support.h"

namespace lendgate::routing {
namespace {

using model::MessageType;
using nlohmann::json;
using testing::destinations;
using testing::golden;
using testing::inputFor;
using testing::loadRules;

json rule(const std::string &id, const json &match, const json &to) {
    return {{"id", id}, {"match", match}, {"destinations", to}};
}

json types(std::initializer_list<std::string> names) {
    return {{"message_types", names}};
}

const std::string &noticeText() {
    static const std::string text = golden("delinquency_notice_full").dump();
    return text;
}

RoutingInput notice(std::string_view sender = "desert-valley-bank") {
    return inputFor(MessageType::DelinquencyNotice, sender, model::PartnerRole::Lender, noticeText());
}

TEST(RouteTable, EveryMatchingRuleAppliesAndDestinationsAreDeduplicatedWithTheirRuleIds) {
    json az = types({"delinquency_notice"});
    az["payload"] = {{{"pointer", "/payload/loan/governing_state"}, {"op", "equals"}, {"value", "AZ"}}};
    json mo = types({"delinquency_notice"});
    mo["payload"] = {{{"pointer", "/payload/loan/governing_state"}, {"op", "equals"}, {"value", "MO"}}};
    const RouteTable table = loadRules({
        rule("all-notices", types({"delinquency_notice"}), {"copper-state-lossmit"}),
        rule("arizona-notices", az, {"saguaro-fcu", "copper-state-lossmit"}),
        rule("missouri-notices", mo, {"cactus-auto-finance"}),
        rule("dvb-notices", {{"message_types", {"delinquency_notice"}}, {"senders", {"desert-valley-bank"}}},
             {"saguaro-fcu"}),
        rule("updates", types({"account_update"}), {"cactus-auto-finance"}),
    });
    EXPECT_EQ(table.size(), 5u);
    EXPECT_EQ(table.origin(), "test-routes.json");

    const RoutingResult result = table.route(notice());
    ASSERT_TRUE(result.routed());
    EXPECT_EQ(result.matchedRules, (std::vector<std::string>{"all-notices", "arizona-notices", "dvb-notices"}));
    ASSERT_EQ(result.decisions.size(), 2u);
    EXPECT_EQ(result.decisions[0], (RouteDecision{"copper-state-lossmit", "", {"all-notices", "arizona-notices"}}));
    EXPECT_EQ(result.decisions[1], (RouteDecision{"saguaro-fcu", "", {"arizona-notices", "dvb-notices"}}));
}

TEST(RouteTable, SenderAndSenderRoleMustBothMatchWhenGiven) {
    const RouteTable table = loadRules({
        rule("from-dvb", {{"message_types", {"account_update"}}, {"senders", {"desert-valley-bank", "saguaro-fcu"}}},
             {"copper-state-lossmit"}),
        rule("from-servicers", {{"message_types", {"account_update"}}, {"sender_roles", {"servicer"}}},
             {"desert-valley-bank"}),
    });
    const std::string update = golden("account_update_payment_posted").dump();
    EXPECT_EQ(destinations(
                  table.route(inputFor(MessageType::AccountUpdate, "saguaro-fcu", model::PartnerRole::Lender, update))),
              (std::vector<std::string>{"copper-state-lossmit"}));
    EXPECT_EQ(destinations(table.route(
                  inputFor(MessageType::AccountUpdate, "cactus-auto-finance", model::PartnerRole::Lender, update))),
              (std::vector<std::string>{}));
    EXPECT_EQ(destinations(table.route(
                  inputFor(MessageType::AccountUpdate, "copper-state-lossmit", model::PartnerRole::Servicer, update))),
              (std::vector<std::string>{"desert-valley-bank"}));
}

TEST(RouteTable, AFormatMakesADistinctDelivery) {
    const RouteTable table = loadRules({
        rule("live", types({"repossession_assignment"}),
             json::array({{{"partner", "valley-recovery"}, {"format", "json-webhook"}}})),
        rule("nightly", types({"repossession_assignment"}),
             json::array({{{"partner", "valley-recovery"}, {"format", "batch-csv"}}})),
        rule("default", types({"repossession_assignment"}), {"valley-recovery", "mesa-asset-recovery"}),
        rule("live-again", types({"repossession_assignment"}),
             json::array({{{"partner", "valley-recovery"}, {"format", "json-webhook"}}})),
    });
    const std::string order = golden("repossession_assignment_new").dump();
    const RoutingResult result = table.route(
        inputFor(MessageType::RepossessionAssignment, "desert-valley-bank", model::PartnerRole::Lender, order));
    EXPECT_EQ(destinations(result),
              (std::vector<std::string>{"valley-recovery/json-webhook", "valley-recovery/batch-csv", "valley-recovery",
                                        "mesa-asset-recovery"}));
    ASSERT_FALSE(result.decisions.empty());
    EXPECT_EQ(result.decisions[0].ruleIds, (std::vector<std::string>{"live", "live-again"}));
}

TEST(RouteTable, AMessageNoRuleMatchesIsUnroutable) {
    const RouteTable table = loadRules({rule("updates", types({"account_update"}), {"copper-state-lossmit"})});
    const RoutingResult result = table.route(notice());
    EXPECT_FALSE(result.routed());
    EXPECT_EQ(result.unroutable, Unroutable::NoRuleMatched);
    EXPECT_EQ(unroutableCode(result.unroutable), "no_rule_matched");
    EXPECT_TRUE(result.decisions.empty());
    EXPECT_TRUE(result.matchedRules.empty());

    const RouteTable empty = loadRules({});
    EXPECT_EQ(empty.route(notice()).unroutable, Unroutable::NoRuleMatched);
}

TEST(RouteTable, AMessageIsNeverSentBackToItsSender) {
    const RouteTable table =
        loadRules({rule("share", types({"hardship_decision"}), {"copper-state-lossmit", "saguaro-fcu"})});
    const std::string decision = golden("hardship_decision_approved").dump();
    EXPECT_EQ(destinations(table.route(inputFor(MessageType::HardshipDecision, "copper-state-lossmit",
                                                model::PartnerRole::Servicer, decision))),
              (std::vector<std::string>{"saguaro-fcu"}));

    const RouteTable onlyBack = loadRules({rule("back", types({"hardship_decision"}), {"copper-state-lossmit"})});
    const RoutingResult result = onlyBack.route(
        inputFor(MessageType::HardshipDecision, "copper-state-lossmit", model::PartnerRole::Servicer, decision));
    EXPECT_EQ(result.unroutable, Unroutable::OnlyBackToSender);
    EXPECT_EQ(result.matchedRules, (std::vector<std::string>{"back"}));
}

TEST(RouteTable, CaseLenderComesFromTheJournalOrFromALenderSender) {
    const RouteTable table =
        loadRules({rule("to-lender", types({"hardship_decision"}), {"$lender", "copper-state-lossmit"})});
    const std::string decision = golden("hardship_decision_approved").dump();

    RoutingInput fromServicer =
        inputFor(MessageType::HardshipDecision, "copper-state-lossmit", model::PartnerRole::Servicer, decision);
    fromServicer.caseLender = "saguaro-fcu";
    RoutingResult result = table.route(fromServicer);
    EXPECT_EQ(result.decisions, (std::vector<RouteDecision>{{"saguaro-fcu", "", {"to-lender"}}}));

    // A lender's own message is about its own case; it is not echoed back.
    RoutingInput fromLender =
        inputFor(MessageType::HardshipDecision, "saguaro-fcu", model::PartnerRole::Lender, decision);
    EXPECT_EQ(destinations(table.route(fromLender)), (std::vector<std::string>{"copper-state-lossmit"}));
}

TEST(RouteTable, AnUnresolvableCaseTokenHoldsTheWholeMessage) {
    const RouteTable table = loadRules({
        rule("to-lender", types({"hardship_decision"}), {"$lender"}),
        rule("copy", types({"hardship_decision"}), {"desert-valley-bank"}),
    });
    const std::string decision = golden("hardship_decision_approved").dump();
    const RoutingResult result = table.route(
        inputFor(MessageType::HardshipDecision, "copper-state-lossmit", model::PartnerRole::Servicer, decision));
    EXPECT_FALSE(result.routed());
    EXPECT_EQ(result.unroutable, Unroutable::CaseContextMissing);
    EXPECT_EQ(result.unresolvedToken, "$lender");
    EXPECT_TRUE(result.decisions.empty());  // not half-delivered to desert-valley-bank
    EXPECT_EQ(result.matchedRules, (std::vector<std::string>{"to-lender", "copy"}));
}

TEST(RouteTable, AssigneesFanOutToEveryFirmHoldingTheCase) {
    const RouteTable table = loadRules({rule(
        "holds", {{"message_types", {"repossession_assignment"}}, {"sender_roles", {"gateway"}}}, {"$assignees"})});
    const std::string hold = golden("repossession_assignment_hold").dump();
    const std::vector<std::string> firms{"valley-recovery", "mesa-asset-recovery", "valley-recovery"};
    RoutingInput input = inputFor(MessageType::RepossessionAssignment, "lendgate", kGatewaySender, hold);
    input.caseAssignees = firms;
    const RoutingResult result = table.route(input);
    EXPECT_EQ(result.decisions,
              (std::vector<RouteDecision>{{"valley-recovery", "", {"holds"}}, {"mesa-asset-recovery", "", {"holds"}}}));

    input.caseAssignees = {};
    const RoutingResult none = table.route(input);
    EXPECT_EQ(none.unroutable, Unroutable::CaseContextMissing);
    EXPECT_EQ(none.unresolvedToken, "$assignees");
}

TEST(RouteTable, AnUnreadableRecordIsHeldOnlyWhenARuleNeedsItsFields) {
    json byState = types({"delinquency_notice"});
    byState["payload"] = {{{"pointer", "/payload/loan/governing_state"}, {"op", "exists"}, {"value", true}}};
    const RouteTable byType = loadRules({rule("all", types({"delinquency_notice"}), {"copper-state-lossmit"})});
    const RouteTable byField = loadRules({rule("az", byState, {"copper-state-lossmit"})});

    for (const std::string broken : {"{\"payload\": ", "[1, 2]", "\"text\"", "", "{\"payload\": {}} {}"}) {
        const RoutingInput input =
            inputFor(MessageType::DelinquencyNotice, "desert-valley-bank", model::PartnerRole::Lender, broken);
        EXPECT_TRUE(byType.route(input).routed()) << broken;  // the record is not read at all
        EXPECT_EQ(byField.route(input).unroutable, Unroutable::RecordUnreadable) << broken;
    }
}

TEST(RouteTable, EveryTruncationOfARecordIsEitherRoutedOrHeld) {
    json byZip = types({"repossession_assignment"});
    byZip["payload"] = {
        {{"pointer", "/payload/debtors/0/addresses/1/postal_code"}, {"op", "prefix"}, {"value", "850"}}};
    const RouteTable table = loadRules({rule("zip", byZip, {"valley-recovery"})});
    const std::string order = golden("repossession_assignment_new").dump();
    const std::size_t zipEnds = order.find("\"85022\"") + 7;  // the pointer's value, complete
    for (std::size_t length = 0; length <= order.size(); ++length) {
        const RoutingResult result = table.route(inputFor(MessageType::RepossessionAssignment, "desert-valley-bank",
                                                          model::PartnerRole::Lender, order.substr(0, length)));
        // Once the field is read the rest cannot change the outcome; before, the record is unreadable.
        EXPECT_EQ(result.routed(), length >= zipEnds) << length;
        if (!result.routed()) {
            EXPECT_EQ(result.unroutable, Unroutable::RecordUnreadable) << length;
        }
    }
}

TEST(RouteTable, RoutingIsConstAndSafeFromSeveralThreads) {
    json phoenix = types({"repossession_assignment"});
    phoenix["payload"] = {{{"pointer", "/payload/debtors/0/addresses/0/postal_code"},
                           {"op", "prefix"},
                           {"value", {"850", "852", "853"}}}};
    const RouteTable table = loadRules({rule("phoenix", phoenix, {"valley-recovery"})});
    const RouteTable copy = table;  // shares the compiled rules
    const std::string order = golden("repossession_assignment_new").dump();
    std::vector<int> routed(2, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            const RouteTable &mine = t == 0 ? table : copy;
            for (int i = 0; i < 2000; ++i) {
                routed[t] += mine.route(inputFor(MessageType::RepossessionAssignment, "desert-valley-bank",
                                                 model::PartnerRole::Lender, order))
                                 .routed();
            }
        });
    }
    for (std::thread &thread : threads) thread.join();
    EXPECT_EQ(routed, (std::vector<int>{2000, 2000}));
}

}  // namespace
}  // namespace lendgate::routing
