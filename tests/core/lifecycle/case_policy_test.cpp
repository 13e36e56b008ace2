// Decisions into actions (core/lifecycle): the HOLD each open assignment's
// firm receives, in the canonical form its plugin renders, and the facts a
// firm's acknowledgement and a lender's orders leave behind.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/lifecycle/case_policy.h"
#include "core/policy/policies.h"
#include "tests/core/policy/policy_test_support.h"

namespace lendgate::lifecycle {
namespace {

using policy::test::at;
using policy::test::shippedConfig;

model::Message parsed(const std::string &json) {
    auto result = model::parseMessage(json);
    EXPECT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors[0].message);
    return result.message.value_or(model::Message{});
}

model::Message hardshipApplication() {
    model::Message message;
    message.envelope.messageId = "01JD0000000000000000000APP";
    message.envelope.caseId = "01JD00000000000000000000CS";
    message.envelope.idempotencyKey = "HA-1";
    message.envelope.occurredAt = at("2026-11-24T15:22:10-07:00");
    model::HardshipApplication application;
    application.applicationId = "HA-1";
    application.submittedAt = at("2026-11-24T15:20:00-07:00");
    message.payload = application;
    return message;
}

config::GatewayConfig worldWithFirms() {
    config::GatewayConfig config;
    for (const char *id : {"valley-recovery", "mesa-asset-recovery"}) {
        config::Partner firm;
        firm.id = id;
        firm.role = model::PartnerRole::RepoFirm;
        config.partners.push_back(firm);
    }
    return config;
}

TEST(CasePolicy, AHardshipApplicationSendsAHoldForEveryOpenAssignmentOfEveryFirm) {
    const policy::PolicyConfig policies = shippedConfig();
    policy::CaseFacts facts;
    facts.openAssignments = {{"valley-recovery", "ORDER-1", model::OrderType::Involuntary},
                             {"mesa-asset-recovery", "ORDER-2", std::nullopt},
                             {"valley-recovery", "ORDER-3", std::nullopt}};
    SystemClock clock;
    journal::UlidGenerator ulids(clock);
    const model::Message trigger = hardshipApplication();
    const PolicyActions actions =
        applyPolicies(policies, facts, trigger, at("2026-11-24T22:22:11Z").unixSeconds() * 1000, ulids);

    ASSERT_EQ(actions.controls.size(), 3u);
    EXPECT_FALSE(actions.refused);
    EXPECT_FALSE(actions.releasesHeld);
    ASSERT_FALSE(actions.decisions.empty());
    EXPECT_EQ(actions.decisions[0].policyId, "C4");
    EXPECT_EQ(actions.decisions[0].outcome, "HOLD");
    std::vector<std::string> sent;
    for (const journal::IntakeRecord &control : actions.controls) {
        ASSERT_EQ(control.routes.size(), 1u);
        EXPECT_TRUE(control.routes[0].critical) << "a HOLD passes dead letters and is never dead-lettered";
        EXPECT_EQ(control.routes[0].ruleId, "policy:C4");
        EXPECT_EQ(control.sender, "lendgate");
        EXPECT_EQ(control.causationId, trigger.envelope.messageId);
        EXPECT_EQ(control.caseId, trigger.envelope.caseId);
        const model::Message hold = parsed(control.body);
        const auto &order = std::get<model::RepossessionAssignment>(hold.payload);
        EXPECT_EQ(order.action, model::AssignmentAction::Hold);
        EXPECT_EQ(order.reason, model::AssignmentReason::Hardship);
        EXPECT_EQ(control.idempotencyKey, "gateway:hold:" + *trigger.envelope.messageId + ":" + order.assignmentId);
        sent.push_back(control.routes[0].destination + "/" + order.assignmentId);
    }
    EXPECT_EQ(sent, (std::vector<std::string>{"valley-recovery/ORDER-1", "valley-recovery/ORDER-3",
                                              "mesa-asset-recovery/ORDER-2"}));
}

TEST(CasePolicy, TheJournalsOrdersAndAcknowledgementsBecomeTheCasesFacts) {
    const config::GatewayConfig config = worldWithFirms();
    policy::CaseFacts facts;
    journal::MessageSummary summary;
    summary.receivedAtMs = at("2026-11-24T15:00:00-07:00").unixSeconds() * 1000;

    model::Message order = parsed(R"({"message_type":"repossession_assignment","schema_version":"1.0",
        "idempotency_key":"GW-1","occurred_at":"2026-11-24T15:00:00-07:00",
        "payload":{"assignment_id":"ORDER-1","action":"HOLD","reason":"HARDSHIP"}})");
    journal::DeliveryInfo toFirm;
    toFirm.destination = "valley-recovery";
    toFirm.deliveredAtMs = summary.receivedAtMs + 2000;
    foldMessage(config, facts, order, summary, {toFirm});
    ASSERT_EQ(facts.controlsSent.size(), 1u);
    EXPECT_FALSE(facts.controlsSent[0].ackedAt);

    // Another firm's acknowledgement of the same number acknowledges nothing.
    summary.sender = "mesa-asset-recovery";
    const std::string ack = R"({"message_type":"repossession_outcome","schema_version":"1.0",
        "idempotency_key":"ACK-1","occurred_at":"2026-11-24T15:40:00-07:00",
        "payload":{"assignment_id":"ORDER-1","event":"HOLD_ACK"}})";
    foldMessage(config, facts, parsed(ack), summary, {});
    EXPECT_FALSE(facts.controlsSent[0].ackedAt);
    summary.sender = "valley-recovery";
    foldMessage(config, facts, parsed(ack), summary, {});
    ASSERT_TRUE(facts.controlsSent[0].ackedAt);
    EXPECT_EQ(facts.controlsSent[0].ackedAt->toString(), "2026-11-24T15:40:00-07:00");
}

TEST(CasePolicy, AnOrderAPolicyHoldsIsNotYetWithTheFirm) {
    const config::GatewayConfig config = worldWithFirms();
    policy::CaseFacts facts;
    journal::MessageSummary summary;
    std::ifstream golden(std::string(LENDGATE_SOURCE_DIR) +
                         "/tests/core/model/golden/valid/repossession_assignment_new.json");
    const std::string json((std::istreambuf_iterator<char>(golden)), std::istreambuf_iterator<char>());
    journal::DeliveryInfo held;
    held.destination = "valley-recovery";
    held.heldBy = "C4: held";
    foldMessage(config, facts, parsed(json), summary, {held});
    EXPECT_TRUE(facts.openAssignments.empty()) << "a HOLD would go to a firm that never had the order";
    held.heldBy.clear();
    foldMessage(config, facts, parsed(json), summary, {held});
    ASSERT_EQ(facts.openAssignments.size(), 1u);
    EXPECT_EQ(facts.openAssignments[0].firm, "valley-recovery");
}

}  // namespace
}  // namespace lendgate::lifecycle
