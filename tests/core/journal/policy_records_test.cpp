// What the compliance policies add to an accepted record (core/lifecycle):
// held deliveries that wait until their case's hold ends while a HOLD passes
// them, the gateway's own follow-up messages journaled with their trigger
// (and never twice), and decisions an auditor reads on the case timeline.
#include <gtest/gtest.h>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

class PolicyRecordsTest : public JournalTest {
protected:
    std::vector<std::string> claimKeys() { return deliverDue(*journal_, clock_); }

    static IntakeRecord control(const std::string &key, const std::string &caseId, bool critical) {
        IntakeRecord r = record(1, key, caseId, {Route{"valley_recovery", "policy:C4", critical}});
        r.messageType = "repossession_assignment";
        r.sender = "lendgate";
        return r;
    }
};

TEST_F(PolicyRecordsTest, AHeldOrderWaitsAHoldPassesItAndTheHoldsEndReleasesIt) {
    IntakeRecord order = record(1, "ORDER-2", "case-1", {Route{"valley_recovery", "rule", false, "C4: held"}});
    acceptOk(batch("bank", "req-order", {order}));
    EXPECT_TRUE(claimKeys().empty()) << "a held order is not due";

    // A HOLD for the firm's earlier order comes behind it in the same queue.
    IntakeRecord application = record(1, "APP-1", "case-1");
    application.followUps.push_back(control("gateway:hold:APP-1", "case-1", true));
    acceptOk(batch("bank", "req-app", {application}));
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"gateway:hold:APP-1"});

    IntakeRecord denied = record(1, "DECISION-1", "case-1");
    denied.releasesHeld = true;
    acceptOk(batch("bank", "req-decision", {denied}));
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"ORDER-2"});
}

// A cure period (C3) outlasts a hardship hold (C4): the hold's end must not
// send an order the cure period still holds; only a batch naming it does.
TEST_F(PolicyRecordsTest, TheEndOfTheCasesHoldReleasesOnlyWhatC4HeldAndABatchNamesAnyOther) {
    IntakeRecord cure = record(1, "ORDER-C3", "case-1", {Route{"valley_recovery", "rule", false, "C3: cure period"}});
    IntakeRecord hold = record(2, "ORDER-C4", "case-1", {Route{"valley_recovery", "rule", false, "C4: held"}});
    cure.messageType = hold.messageType = "repossession_assignment";
    acceptOk(batch("bank", "req-orders", {cure, hold}));
    IntakeRecord denied = record(1, "DECISION-1", "case-1");
    denied.releasesHeld = true;
    acceptOk(batch("bank", "req-decision", {denied}));
    EXPECT_TRUE(claimKeys().empty()) << "both orders wait behind the one the cure period holds";
    const auto history = journal_->caseHistory("case-1");
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history.value().size(), 3u);
    ASSERT_EQ(history.value()[1].deliveries.size(), 1u);
    EXPECT_EQ(history.value()[1].deliveries[0].heldBy, "") << "C4's order is released";
    EXPECT_EQ(history.value()[0].deliveries[0].heldBy, "C3: cure period");

    IntakeBatch clock;
    clock.sender = "lendgate";
    clock.channel = "clock";
    clock.idempotencyKey = "clock:release:" + history.value()[0].summary.messageId;
    clock.bodyHash = clock.idempotencyKey;
    clock.caseId = "case-1";
    clock.releasesHeldOf = {history.value()[0].summary.messageId};
    acceptOk(clock);
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"ORDER-C3"});
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"ORDER-C4"});
}

TEST_F(PolicyRecordsTest, FollowUpsAreJournaledWithTheirTriggerOnceAndStayOutOfTheAck) {
    IntakeRecord application = record(1, "APP-1", "case-1");
    application.followUps.push_back(control("gateway:hold:APP-1:A", "case-1", true));
    application.followUps.push_back(control("gateway:hold:APP-1:B", "case-1", true));
    application.decisions.push_back({"C4", "HOLD", R"({"policy_id":"C4","outcome":"HOLD"})"});
    const AcceptResult first = acceptOk(batch("bank", "req-1", {application}));
    ASSERT_EQ(first.records.size(), 1u) << "the ACK lists the partner's record only";

    // The same record in another file: a duplicate, nothing sent again.
    const AcceptResult again = acceptOk(batch("bank", "req-2", {application, record(2, "OTHER", "case-2")}));
    ASSERT_EQ(again.records.size(), 2u);
    EXPECT_TRUE(again.records[0].duplicate);

    auto timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline.value().messages.size(), 3u);
    EXPECT_EQ(timeline.value().messages[1].sender, "lendgate");
    EXPECT_EQ(timeline.value().messages[1].causationId, "");  // the test's follow-ups name no cause
    EXPECT_EQ(timeline.value().messages[2].idempotencyKey, "gateway:hold:APP-1:B");
    ASSERT_EQ(timeline.value().decisions.size(), 1u) << "decisions are journaled once";
    EXPECT_EQ(timeline.value().decisions[0].messageId, first.records[0].messageId);
    EXPECT_EQ(timeline.value().decisions[0].decision.policyId, "C4");
    // One queue per firm and case: the second HOLD leaves after the first.
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"gateway:hold:APP-1:A"});
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"gateway:hold:APP-1:B"});
}

TEST_F(PolicyRecordsTest, ACasesHistoryIsItsMessagesInOrderWithTheDeliveriesOfItsOrdersOnly) {
    IntakeRecord notice = record(1, "NOTICE-1", "case-1", {Route{"loss_mit", "rule", false}});
    IntakeRecord order = record(2, "ORDER-1", "case-1", {Route{"valley_recovery", "rule", false, "C4: held"}});
    order.messageType = "repossession_assignment";
    acceptOk(batch("bank", "req-1", {notice, order, record(3, "OTHER", "case-2")}));

    auto history = journal_->caseHistory("case-1");
    ASSERT_TRUE(history.ok()) << history.error().message;
    ASSERT_EQ(history.value().size(), 2u);
    EXPECT_EQ(history.value()[0].summary.idempotencyKey, "NOTICE-1");
    EXPECT_EQ(history.value()[0].canonicalJson, notice.body);
    EXPECT_TRUE(history.value()[0].deliveries.empty()) << "a notice's deliveries say nothing about the case";
    ASSERT_EQ(history.value()[1].deliveries.size(), 1u);
    EXPECT_EQ(history.value()[1].deliveries[0].destination, "valley_recovery");
    EXPECT_EQ(history.value()[1].deliveries[0].heldBy, "C4: held");
    EXPECT_TRUE(journal_->caseHistory("no-such-case").value().empty());
}

TEST_F(PolicyRecordsTest, ALifecycleBatchWithNoControlsJournalsItsDecisionAndReleasesTheHeldOrderOnce) {
    IntakeRecord order = record(1, "ORDER-2", "case-1", {Route{"valley_recovery", "rule", false, "C4: held"}});
    acceptOk(batch("bank", "req-order", {order}));
    IntakeBatch clock;
    clock.sender = "lendgate";
    clock.channel = "clock";
    clock.idempotencyKey = "clock:C4:case-1:0123456789abcdef";
    clock.bodyHash = clock.idempotencyKey;
    clock.caseId = "case-1";
    clock.caseDecisions.push_back({"C4", "RELEASE", R"({"policy_id":"C4","outcome":"RELEASE"})"});
    clock.releasesHeld = true;
    EXPECT_EQ(acceptOk(clock).disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"ORDER-2"});
    EXPECT_EQ(acceptOk(clock).disposition, AcceptDisposition::Replayed) << "the next pass writes nothing";

    auto timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline.value().decisions.size(), 1u);
    EXPECT_EQ(timeline.value().decisions[0].messageId, "") << "a decision of the clock, about no message";
    EXPECT_EQ(timeline.value().decisions[0].decision.outcome, "RELEASE");
}

TEST_F(PolicyRecordsTest, ACasesHistoryPlacesItsC4DecisionsWithoutAMessageAmongItsMessagesByTime) {
    acceptOk(batch("bank", "req-1", {record(1, "NOTICE-1", "case-1")}));
    clock_.advance(1000);
    IntakeBatch release;
    release.sender = "lendgate";
    release.channel = "operator";
    release.idempotencyKey = "operator:C4:case-1:1";
    release.bodyHash = release.idempotencyKey;
    release.caseId = "case-1";
    release.caseDecisions.push_back({"C4", "RELEASE", R"({"policy_id":"C4","outcome":"RELEASE"})"});
    release.caseDecisions.push_back({"C5", "ALERT", R"({"policy_id":"C5","outcome":"ALERT"})"});
    acceptOk(release);
    clock_.advance(1000);
    acceptOk(batch("bank", "req-2", {record(1, "UPDATE-1", "case-1")}));

    auto history = journal_->caseHistory("case-1");
    ASSERT_TRUE(history.ok()) << history.error().message;
    ASSERT_EQ(history.value().size(), 3u) << "C4 only: other policies' decisions change no facts";
    EXPECT_EQ(history.value()[0].summary.idempotencyKey, "NOTICE-1");
    EXPECT_EQ(history.value()[1].caseDecisionJson, R"({"policy_id":"C4","outcome":"RELEASE"})");
    EXPECT_TRUE(history.value()[1].canonicalJson.empty());
    EXPECT_EQ(history.value()[2].summary.idempotencyKey, "UPDATE-1");
}

// A consent REVOKE stops the referrals citing it that have not gone out: each
// waiting delivery is cancelled with the reason and an event, never claimed
// or replayed, and what queues behind it for the same partner still goes.
TEST_F(PolicyRecordsTest, StoppedDeliveriesAreCancelledForGoodAndBlockNothingBehindThem) {
    auto referralTo = [](std::uint64_t n, const std::string &key) {
        IntakeRecord r = record(n, key, "case-1", {Route{"nonprofit", "policy:C11", false}});
        r.messageType = "referral";
        r.sender = "lendgate";
        return r;
    };
    IntakeRecord outcome = record(1, "OUTCOME-1", "case-1");
    outcome.followUps.push_back(referralTo(1, "gateway:referral:A"));
    outcome.followUps.push_back(referralTo(1, "gateway:referral:B"));
    acceptOk(batch("firm", "req-outcome", {outcome}));
    auto timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline.value().messages.size(), 3u);
    const std::string first = timeline.value().messages[1].messageId;

    IntakeRecord revoke = record(1, "REVOKE-1", "case-1");
    revoke.stopsDeliveriesOf = {first, "01NOSUCHMESSAGE000000000000"};
    revoke.stopReason = "consent CNS-1 was revoked before the referral was delivered";
    acceptOk(batch("bank", "req-revoke", {revoke}));

    auto deliveries = journal_->deliveriesOf(first);
    ASSERT_TRUE(deliveries.ok());
    ASSERT_EQ(deliveries.value().size(), 1u);
    EXPECT_EQ(deliveries.value()[0].state, DeliveryState::Cancelled);
    EXPECT_EQ(deliveries.value()[0].lastError, revoke.stopReason);
    EXPECT_EQ(journal_->message(first, std::nullopt).value().summary.state, MessageState::Cancelled);
    EXPECT_EQ(claimKeys(), std::vector<std::string>{"gateway:referral:B"}) << "the one behind it is not held up";
    EXPECT_TRUE(claimKeys().empty());
    auto replayed = journal_->replay(deliveries.value()[0].deliveryId, 0, "operator");
    ASSERT_FALSE(replayed.ok()) << "a stopped referral is not sent by a replay";

    timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    const auto &events = timeline.value().events;
    EXPECT_TRUE(
        std::any_of(events.begin(), events.end(), [](const auto &e) { return e.kind == EventKind::Cancelled; }));

    // The case's history tells the lifecycle which referral was stopped.
    auto history = journal_->caseHistory("case-1");
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history.value().size(), 4u);
    ASSERT_EQ(history.value()[1].deliveries.size(), 1u);
    EXPECT_EQ(history.value()[1].deliveries[0].state, DeliveryState::Cancelled);
    EXPECT_EQ(history.value()[2].deliveries[0].state, DeliveryState::Delivered);

    // Sent once more (a resent REVOKE): nothing else changes.
    acceptOk(batch("bank", "req-revoke-again", {revoke}));
    EXPECT_EQ(journal_->deliveriesOf(first).value()[0].state, DeliveryState::Cancelled);
}

}  // namespace
}  // namespace lendgate::journal::testing
