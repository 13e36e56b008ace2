// The lifecycle clock on a real journal: a HOLD the firm has not
// acknowledged within the SLA, and an inventory that has not come within
// its window, each become one alert however many passes see them; an
// acknowledgement in time raises nothing.
#include <gtest/gtest.h>

#include "core/lifecycle/case_clock.h"
#include "tests/core/lifecycle/lifecycle_test_support.h"

namespace lendgate::lifecycle {
namespace {

using journal::testing::batch;
using journal::testing::record;

class CaseClockTest : public LifecycleJournalTest {
protected:
    // The gateway's HOLD of ORDER-1 to the firm, journaled now.
    void holdSent() {
        journal::IntakeRecord hold =
            record(1, "gateway:hold:T:ORDER-1", "case-1", {journal::Route{"valley-recovery", "policy:C4", true}});
        hold.messageType = "repossession_assignment";
        hold.body = R"({"message_type":"repossession_assignment","schema_version":"1.0",)"
                    R"("idempotency_key":"gateway:hold:T:ORDER-1","occurred_at":")" +
                    isoAt(clock_.nowUnixMs()) +
                    R"(","payload":{"assignment_id":"ORDER-1","action":"HOLD","reason":"HARDSHIP"}})";
        acceptOk(batch("lendgate", "hold-" + std::to_string(clock_.nowUnixMs()), {hold}));
    }

    // The firm's outcome for ORDER-1 (a recovery carries its details).
    void firmReports(const std::string &key, const std::string &golden) {
        journaled("valley-recovery", key, golden, {{"assignment_id", "ORDER-1"}});
    }

    ClockPass pass() {
        auto result = runClock(*journal_, config_, clock_.nowUnixMs(), ulids_);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return result.ok() ? result.value() : ClockPass{};
    }

    std::vector<journal::Alert> alerts() {
        journal::AlertQuery all;
        all.includeAcknowledged = true;
        return journal_->listAlerts(all).value();
    }
};

TEST_F(CaseClockTest, AHoldNotAcknowledgedWithinTheSlaIsOneAlertAcrossPasses) {
    holdSent();
    clock_.advance(24 * kHour);
    EXPECT_EQ(pass().alertsRaised, 0u) << "exactly at the SLA is still in time";
    clock_.advance(60 * 1000);
    const ClockPass late = pass();
    EXPECT_EQ(late.casesLookedAt, 1u);
    EXPECT_EQ(late.alertsRaised, 1u);
    clock_.advance(kHour);
    EXPECT_EQ(pass().alertsRaised, 0u) << "the next pass sees the same overdue HOLD";

    const auto raised = alerts();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].record.kind, "policy:C5");
    EXPECT_EQ(raised[0].record.severity, "warning");
    EXPECT_EQ(raised[0].record.partner, "valley-recovery");
    EXPECT_EQ(raised[0].record.caseId, "case-1");
    EXPECT_NE(raised[0].record.detail.find("\"control_action\":\"HOLD\""), std::string::npos)
        << raised[0].record.detail;
}

TEST_F(CaseClockTest, AHoldAcknowledgedInTimeRaisesNothing) {
    holdSent();
    clock_.advance(2 * kHour);
    firmReports("ACK-1", "repossession_outcome_hold_ack");
    clock_.advance(48 * kHour);
    EXPECT_EQ(pass().alertsRaised, 0u);
    EXPECT_TRUE(alerts().empty());
}

TEST_F(CaseClockTest, AnInventoryOverdueAfterARecoveryIsOneAlertAndNoneOnceItCame) {
    firmReports("REC-1", "repossession_outcome_recovered");
    clock_.advance(49 * kHour);
    EXPECT_EQ(pass().alertsRaised, 1u);
    EXPECT_EQ(pass().alertsRaised, 0u);
    ASSERT_EQ(alerts().size(), 1u);
    EXPECT_EQ(alerts()[0].record.kind, "policy:C7");

    // A case quiet for longer than alerts.watch_days is no longer looked at.
    clock_.advance(std::int64_t{config_.alerts.watchDays + 1} * 24 * kHour);
    EXPECT_EQ(pass().casesLookedAt, 0u);
}

TEST_F(CaseClockTest, AnApprovedHardshipsHoldEndsAfterItsLastDayEverywhereAndTheFirmIsReleasedOnce) {
    // 2026-01-01: an order with the firm, then a deferral approved with the
    // repossession held through 2026-01-03, and an order that waits for it.
    journaled("bank", "ORDER-1", "repossession_assignment_new", {{"assignment_id", "ORDER-1"}},
              {journal::Route{"valley-recovery", "rule", false}});
    journaled("bank", "HD-1", "hardship_decision_approved",
              {{"effective_start_date", "2026-01-01"}, {"repo_hold_until", "2026-01-03"}});
    journaled("bank", "ORDER-2", "repossession_assignment_new", {{"assignment_id", "ORDER-2"}},
              {journal::Route{"valley-recovery", "rule", false, "C4: a hold is in force"}});
    EXPECT_EQ(dueKeys(), std::vector<std::string>{"ORDER-1"});

    // Hawaii's 2026-01-03 ends at 10:00 UTC on the 4th: until then, held.
    clock_.set(model::Timestamp::parse("2026-01-04T09:59:00Z")->unixSeconds() * 1000);
    EXPECT_EQ(pass().holdChanges, 0u);
    EXPECT_TRUE(dueKeys().empty());

    clock_.set(model::Timestamp::parse("2026-01-04T10:01:00Z")->unixSeconds() * 1000);
    EXPECT_EQ(pass().holdChanges, 1u);
    // The order that waited leaves first (it was queued first), then the
    // firm's RELEASE_HOLD for the order it had.
    EXPECT_EQ(dueKeys(), std::vector<std::string>{"ORDER-2"});
    const auto release = dueKeys();
    ASSERT_EQ(release.size(), 1u);
    EXPECT_EQ(release[0].rfind("gateway:release_hold:clock-", 0), 0u) << release[0];
    EXPECT_TRUE(release[0].ends_with(":ORDER-1")) << release[0];

    clock_.advance(24 * kHour);
    EXPECT_EQ(pass().holdChanges, 0u) << "the same ended reasons release once";

    auto timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    std::vector<std::string> clockDecisions;
    for (const journal::CaseDecision &d : timeline.value().decisions)
        if (d.messageId.empty()) clockDecisions.push_back(d.decision.policyId + " " + d.decision.outcome);
    EXPECT_EQ(clockDecisions, std::vector<std::string>{"C4 RELEASE"});
    journal::DeliveryInfo held = journal_->deliveriesOf(timeline.value().messages[2].messageId).value().at(0);
    EXPECT_TRUE(held.heldBy.empty()) << "the waiting order is due again";
}

TEST_F(CaseClockTest, WithoutPoliciesTheClockLooksAtNothing) {
    holdSent();
    clock_.advance(48 * kHour);
    config_.policies.reset();
    EXPECT_EQ(pass().casesLookedAt, 0u);
    EXPECT_TRUE(alerts().empty());
}

}  // namespace
}  // namespace lendgate::lifecycle
