// The outbox: order per (destination, case), retries, dead letters that stall
// only their own queue, critical HOLDs that pass them, leases and replay.
#include <gtest/gtest.h>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

class OutboxTest : public JournalTest {
protected:
    /// Journals one message for `caseId` to each destination and returns its id.
    std::string send(const std::string &key, const std::string &caseId, std::vector<std::string> destinations,
                     bool critical = false) {
        std::vector<Route> routes;
        for (auto &d : destinations) routes.push_back(Route{d, "rule-" + d, critical});
        IntakeRecord r = record(1, key, caseId, routes);
        if (critical) r.messageType = "repossession_assignment";
        return acceptOk(batch("desert_valley_bank", "req-" + key, {r})).records.at(0).messageId;
    }

    std::vector<ClaimedDelivery> claim(std::vector<std::string> destinations = {}, std::int64_t leaseMs = 60000) {
        ClaimQuery query;
        query.nowMs = clock_.nowUnixMs();
        query.limit = 50;
        query.leaseMs = leaseMs;
        query.destinations = std::move(destinations);
        auto claimed = journal_->claimDue(query);
        if (!claimed) ADD_FAILURE() << claimed.error().message;
        return claimed ? std::move(claimed).value() : std::vector<ClaimedDelivery>{};
    }

    /// "<idempotency key>@<destination>" of each claimed delivery, in claim order.
    static std::vector<std::string> names(const std::vector<ClaimedDelivery> &claimed) {
        std::vector<std::string> out;
        for (const auto &c : claimed) {
            const std::string &json = c.body.canonicalJson;
            const auto start = json.find("\"idempotency_key\":\"") + 19;
            out.push_back(json.substr(start, json.find('"', start) - start) + "@" + c.delivery.destination);
        }
        return out;
    }

    DeliveryOutcome outcome(const ClaimedDelivery &c, int status = 200) {
        DeliveryOutcome o;
        o.deliveryId = c.delivery.deliveryId;
        o.claim = c.claim;
        o.atMs = clock_.nowUnixMs();
        o.status = status;
        o.latencyMs = 12;
        return o;
    }

    void deliver(const ClaimedDelivery &c) { ASSERT_TRUE(journal_->markDelivered(outcome(c)).ok()); }
    void kill(const ClaimedDelivery &c) {
        DeliveryOutcome o = outcome(c, 500);
        o.error = "HTTP 500 from receiver";
        ASSERT_TRUE(journal_->deadLetter(o).ok());
    }

    const ClaimedDelivery &only(const std::vector<ClaimedDelivery> &claimed) {
        EXPECT_EQ(claimed.size(), 1u);
        return claimed.at(0);
    }
};

TEST_F(OutboxTest, DeliveriesLeaveInOrderPerDestinationAndCase) {
    send("A1", "CASE-A", {"valley_recovery"});
    send("A2", "CASE-A", {"valley_recovery"});
    send("B1", "CASE-B", {"valley_recovery"});
    auto first = claim();
    EXPECT_EQ(names(first), (std::vector<std::string>{"A1@valley_recovery", "B1@valley_recovery"}));
    EXPECT_TRUE(claim().empty()) << "A2 waits until A1 is delivered, even though A1 is only in flight";
    deliver(first[0]);
    auto second = claim();
    EXPECT_EQ(names(second), std::vector<std::string>{"A2@valley_recovery"});
    EXPECT_EQ(second[0].delivery.queueSeq, 2);
    EXPECT_EQ(second[0].delivery.attempts, 1);
}

TEST_F(OutboxTest, ADeadLetterStallsOnlyItsOwnQueue) {
    send("A1", "CASE-A", {"valley_recovery", "copper_state"});
    send("A2", "CASE-A", {"valley_recovery", "copper_state"});
    send("B1", "CASE-B", {"valley_recovery"});
    auto first = claim();
    ASSERT_EQ(names(first), (std::vector<std::string>{"A1@valley_recovery", "A1@copper_state", "B1@valley_recovery"}));
    kill(first[0]);
    deliver(first[1]);
    deliver(first[2]);
    send("B2", "CASE-B", {"valley_recovery"});
    EXPECT_EQ(names(claim()), (std::vector<std::string>{"A2@copper_state", "B2@valley_recovery"}))
        << "A2 to valley_recovery waits behind its dead letter; nothing else does";

    auto dead = journal_->listDeadLetters({});
    ASSERT_TRUE(dead.ok());
    ASSERT_EQ(dead.value().size(), 1u);
    EXPECT_EQ(dead.value()[0].destination, "valley_recovery");
    EXPECT_EQ(dead.value()[0].lastStatus, 500);
    EXPECT_EQ(journal_->message(first[0].delivery.messageId, std::nullopt).value().summary.state,
              MessageState::DeadLettered);
}

TEST_F(OutboxTest, ACriticalHoldPassesADeadLetterButLaterMessagesStillWait) {
    send("A1", "CASE-A", {"valley_recovery"});
    kill(only(claim()));
    send("A2", "CASE-A", {"valley_recovery"});                          // an UPDATE, stuck behind A1
    send("A3-HOLD", "CASE-A", {"valley_recovery"}, /*critical=*/true);  // must not wait for an operator
    auto held = claim();
    EXPECT_EQ(names(held), std::vector<std::string>{"A3-HOLD@valley_recovery"});
    EXPECT_TRUE(held[0].delivery.critical);
    send("A4", "CASE-A", {"valley_recovery"});
    EXPECT_TRUE(claim().empty()) << "nothing passes the HOLD while it is in flight";
    deliver(held[0]);
    EXPECT_TRUE(claim().empty()) << "A2 and A4 still wait for the dead letter to be replayed";
}

TEST_F(OutboxTest, ACriticalDeliveryIsNeverDeadLettered) {
    send("A1-CANCEL", "CASE-A", {"valley_recovery"}, true);
    const ClaimedDelivery cancel = only(claim());
    DeliveryOutcome o = outcome(cancel, 503);
    auto refused = journal_->deadLetter(o);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, errc::kInvalidState);
    o.nextAttemptAtMs = clock_.nowUnixMs() + 1000;
    EXPECT_TRUE(journal_->recordAttempt(o).ok()) << "it retries instead";
}

TEST_F(OutboxTest, AFailedAttemptWaitsForItsNextTry) {
    send("A1", "CASE-A", {"valley_recovery"});
    DeliveryOutcome failed = outcome(only(claim()), 502);
    failed.error = "bad gateway";
    failed.nextAttemptAtMs = clock_.nowUnixMs() + 30000;
    ASSERT_TRUE(journal_->recordAttempt(failed).ok());
    EXPECT_TRUE(claim().empty());
    clock_.advance(30000);
    const ClaimedDelivery retry = only(claim());
    EXPECT_EQ(retry.delivery.attempts, 2);
    EXPECT_EQ(retry.delivery.lastError, "bad gateway");
    EXPECT_EQ(retry.delivery.lastStatus, 502);
}

TEST_F(OutboxTest, AnExpiredLeaseIsClaimedAgainAndTheOldClaimIsStale) {
    send("A1", "CASE-A", {"valley_recovery"});
    const ClaimedDelivery first = only(claim({}, 5000));
    clock_.advance(4999);
    EXPECT_TRUE(claim().empty());
    clock_.advance(1);  // the worker died: its lease runs out
    const ClaimedDelivery second = only(claim());
    EXPECT_EQ(second.delivery.deliveryId, first.delivery.deliveryId);
    EXPECT_EQ(second.delivery.attempts, 2) << "the lost attempt counts";
    auto stale = journal_->markDelivered(outcome(first));
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, errc::kStaleClaim);
    EXPECT_TRUE(journal_->markDelivered(outcome(second)).ok());
    EXPECT_EQ(journal_->markDelivered(outcome(second)).error().code, errc::kStaleClaim) << "reported once";
}

TEST_F(OutboxTest, ClaimsCanBeLimitedToDestinations) {
    send("A1", "CASE-A", {"valley_recovery", "copper_state", "mesa_asset_recovery"});
    EXPECT_EQ(names(claim({"copper_state", "mesa_asset_recovery"})),
              (std::vector<std::string>{"A1@copper_state", "A1@mesa_asset_recovery"}));
    EXPECT_EQ(names(claim()), std::vector<std::string>{"A1@valley_recovery"});
}

TEST_F(OutboxTest, ReplayReleasesTheQueueInOrder) {
    const std::string a1 = send("A1", "CASE-A", {"valley_recovery"});
    kill(only(claim()));
    send("A2", "CASE-A", {"valley_recovery"});
    const std::int64_t deadId = journal_->listDeadLetters({}).value().at(0).deliveryId;
    EXPECT_EQ(journal_->replay(journal_->deliveriesOf(a1).value().at(0).deliveryId + 1, 0, "operator:ana").error().code,
              errc::kInvalidState)
        << "A2 is pending: nothing to replay";
    ASSERT_TRUE(journal_->replay(deadId, clock_.nowUnixMs(), "operator:ana").ok());
    EXPECT_EQ(journal_->message(a1, std::nullopt).value().summary.state, MessageState::Pending);
    const ClaimedDelivery again = only(claim());
    EXPECT_EQ(names({again}), std::vector<std::string>{"A1@valley_recovery"});
    EXPECT_EQ(again.delivery.attempts, 1) << "a replay starts a fresh attempt budget";
    deliver(again);
    EXPECT_EQ(names(claim()), std::vector<std::string>{"A2@valley_recovery"});
    EXPECT_EQ(journal_->message(a1, std::nullopt).value().summary.state, MessageState::Delivered);
    EXPECT_TRUE(journal_->listDeadLetters({}).value().empty());
    EXPECT_EQ(rows("events", "kind = 'replayed' AND detail = 'operator:ana'"), 1);
}

TEST_F(OutboxTest, ADestinationsDeadLettersReplayTogether) {
    send("A1", "CASE-A", {"valley_recovery"});
    send("B1", "CASE-B", {"valley_recovery"});
    send("C1", "CASE-C", {"copper_state"});
    for (const auto &c : claim()) kill(c);
    auto replayed = journal_->replayDeadLetters("valley_recovery", clock_.nowUnixMs(), "operator:ana");
    ASSERT_TRUE(replayed.ok());
    EXPECT_EQ(replayed.value(), 2);
    EXPECT_EQ(names(claim()), (std::vector<std::string>{"A1@valley_recovery", "B1@valley_recovery"}));
    DeadLetterQuery query;
    query.destination = "copper_state";
    EXPECT_EQ(journal_->listDeadLetters(query).value().size(), 1u);
}

TEST_F(OutboxTest, TheCaseTimelineShowsEveryAttemptWithoutPersonalData) {
    send("A1", "CASE-A", {"valley_recovery"});
    DeliveryOutcome failed = outcome(only(claim()), 400);
    failed.error = "receiver said: account 4417123456789012 unknown";
    failed.nextAttemptAtMs = clock_.nowUnixMs();
    ASSERT_TRUE(journal_->recordAttempt(failed).ok());
    deliver(only(claim()));
    auto timeline = journal_->caseTimeline("CASE-A").value();
    ASSERT_EQ(timeline.messages.size(), 1u);
    EXPECT_EQ(timeline.messages[0].state, MessageState::Delivered);
    std::vector<EventKind> kinds;
    for (const auto &e : timeline.events) kinds.push_back(e.kind);
    EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::Received, EventKind::Routed, EventKind::DeliveryAttempted,
                                             EventKind::Delivered}));
    const JournalEvent &attempt = timeline.events[2];
    EXPECT_EQ(attempt.status, 400);
    EXPECT_EQ(attempt.latencyMs, 12);
    EXPECT_EQ(attempt.detail.find("4417123456789012"), std::string::npos) << attempt.detail;
    EXPECT_NE(attempt.detail.find("9012"), std::string::npos) << attempt.detail;
    EXPECT_EQ(timeline.events[3].status, 200);
}

}  // namespace
}  // namespace lendgate::journal::testing

namespace lendgate::journal::testing {
namespace {

class ClaimRecoveryTest : public OutboxTest {};

TEST_F(ClaimRecoveryTest, ClaimsOfAProcessThatDiedAreTakenBackAtOnceAfterExpireClaims) {
    send("k1", "case-a", {"valley"});
    auto first = claim();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(claim().empty());  // leased: nobody else takes it
    auto expired = journal_->expireClaims(clock_.nowUnixMs());
    ASSERT_TRUE(expired);
    EXPECT_EQ(expired.value(), 1);
    auto again = claim();
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].delivery.deliveryId, first[0].delivery.deliveryId);
    // The dead process's late report is refused; the new claim's is taken.
    DeliveryOutcome late{
        first[0].delivery.deliveryId, first[0].claim, OutcomeKind::Delivered, clock_.nowUnixMs(), 200, 1, {}, 0};
    EXPECT_FALSE(journal_->markDelivered(late));
    DeliveryOutcome current{
        again[0].delivery.deliveryId, again[0].claim, OutcomeKind::Delivered, clock_.nowUnixMs(), 200, 1, {}, 0};
    EXPECT_TRUE(journal_->markDelivered(current));
    EXPECT_EQ(journal_->expireClaims(clock_.nowUnixMs()).value(), 0);
}

TEST_F(ClaimRecoveryTest, AReleasedClaimIsDueAtOnceWithItsAttemptGivenBack) {
    const auto id = send("k1", "case-a", {"valley"});
    auto first = claim();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].delivery.attempts, 1);
    ASSERT_TRUE(journal_->releaseClaim(first[0].delivery.deliveryId, first[0].claim, clock_.nowUnixMs()));
    auto deliveries = journal_->deliveriesOf(id).value();
    EXPECT_EQ(deliveries.at(0).state, DeliveryState::Pending);
    EXPECT_EQ(deliveries.at(0).attempts, 0);
    auto again = claim();
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].delivery.attempts, 1);
    // The old claim cannot release the new one.
    auto stale = journal_->releaseClaim(first[0].delivery.deliveryId, first[0].claim, clock_.nowUnixMs());
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, errc::kStaleClaim);
}

TEST_F(ClaimRecoveryTest, OutboxDepthCountsWhatIsNotDeliveredByDestinationAndState) {
    send("k1", "case-a", {"valley", "mesa"});
    send("k2", "case-a", {"valley"});
    auto claimed = claim({"mesa"});
    ASSERT_EQ(claimed.size(), 1u);
    auto depth = journal_->outboxDepth();
    ASSERT_TRUE(depth);
    ASSERT_EQ(depth.value().size(), 2u);
    EXPECT_EQ(depth.value()[0].destination, "mesa");
    EXPECT_EQ(depth.value()[0].state, DeliveryState::InFlight);
    EXPECT_EQ(depth.value()[0].count, 1);
    EXPECT_EQ(depth.value()[1].destination, "valley");
    EXPECT_EQ(depth.value()[1].state, DeliveryState::Pending);
    EXPECT_EQ(depth.value()[1].count, 2);
    DeliveryOutcome done{
        claimed[0].delivery.deliveryId, claimed[0].claim, OutcomeKind::Delivered, clock_.nowUnixMs(), 200, 1, {}, 0};
    ASSERT_TRUE(journal_->markDelivered(done));
    EXPECT_EQ(journal_->outboxDepth().value().size(), 1u);
}

}  // namespace
}  // namespace lendgate::journal::testing
