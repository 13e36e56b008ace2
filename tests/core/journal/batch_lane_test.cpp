// Batch lanes in the outbox: lane claims take a lane's ordinary records and
// leave its HOLDs to the ordinary claim (which leaves the ordinary records
// alone), the backlog says when a file is due, and batch file numbers are
// counted per destination, type and day, durably.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

constexpr const char *kMesa = "mesa";
constexpr const char *kValley = "valley";
const BatchLane kAssignments{kMesa, "repossession_assignment"};

class BatchLaneTest : public JournalTest {
protected:
    /// Journals one message of `type` for `caseId` to each destination; returns its id.
    std::string send(const std::string &key, const std::string &caseId, std::vector<std::string> destinations,
                     bool critical = false, const std::string &type = "repossession_assignment") {
        std::vector<Route> routes;
        for (auto &d : destinations) routes.push_back(Route{d, "rule-" + d, critical});
        IntakeRecord r = record(1, key, caseId, routes);
        r.messageType = type;
        return acceptOk(batch("desert_valley_bank", "req-" + key, {r})).records.at(0).messageId;
    }

    std::vector<ClaimedDelivery> claim(ClaimQuery query) {
        query.nowMs = clock_.nowUnixMs();
        auto claimed = journal_->claimDue(query);
        if (!claimed) ADD_FAILURE() << claimed.error().message;
        return claimed ? std::move(claimed).value() : std::vector<ClaimedDelivery>{};
    }
    std::vector<ClaimedDelivery> claimLane() {
        ClaimQuery query;
        query.lane = kAssignments;
        return claim(query);
    }
    std::vector<ClaimedDelivery> claimOthers() {
        ClaimQuery query;
        query.batchedLanes = {kAssignments};
        return claim(query);
    }

    static std::vector<std::string> messageIds(const std::vector<ClaimedDelivery> &claimed) {
        std::vector<std::string> out;
        for (const auto &c : claimed) out.push_back(c.delivery.messageId + "@" + c.delivery.destination);
        std::sort(out.begin(), out.end());
        return out;
    }

    void deliver(const ClaimedDelivery &c) {
        DeliveryOutcome o;
        o.deliveryId = c.delivery.deliveryId;
        o.claim = c.claim;
        o.atMs = clock_.nowUnixMs();
        ASSERT_TRUE(journal_->markDelivered(o).ok());
    }

    BatchBacklog backlog() {
        auto b = journal_->batchBacklog(kAssignments, clock_.nowUnixMs());
        if (!b) ADD_FAILURE() << b.error().message;
        return b ? b.value() : BatchBacklog{};
    }
};

TEST_F(BatchLaneTest, LaneClaimsTakeTheLanesOrdinaryRecordsAndOrdinaryClaimsTakeEverythingElse) {
    const std::string a1 = send("A1", "case-a", {kMesa, kValley});
    const std::string b1 = send("B1", "case-b", {kMesa});
    const std::string hold = send("H1", "case-h", {kMesa}, true);
    const std::string notice = send("N1", "case-n", {kMesa}, false, "delinquency_notice");

    std::vector<std::string> others{a1 + "@" + kValley, hold + "@" + kMesa, notice + "@" + kMesa};
    std::sort(others.begin(), others.end());
    EXPECT_EQ(messageIds(claimOthers()), others) << "the HOLD, another type and another destination leave as usual";
    EXPECT_EQ(messageIds(claimLane()), (std::vector<std::string>{a1 + "@" + kMesa, b1 + "@" + kMesa}));
    EXPECT_TRUE(claimLane().empty()) << "claimed once";
    EXPECT_TRUE(claimOthers().empty());
}

TEST_F(BatchLaneTest, TheBacklogCountsQueueHeadsAndAWaitStartsWhenTheRecordAheadWasDelivered) {
    const std::int64_t start = clock_.nowUnixMs();
    send("A1", "case-a", {kMesa});
    clock_.advance(1000);
    send("A2", "case-a", {kMesa});  // behind A1: not due
    clock_.advance(1000);
    send("B1", "case-b", {kMesa});
    send("V1", "case-v", {kValley});  // another destination: not in the lane

    BatchBacklog waiting = backlog();
    EXPECT_EQ(waiting.due, 2);
    EXPECT_EQ(waiting.oldestWaitingSinceMs, start);
    EXPECT_FALSE(waiting.criticalWaiting);

    clock_.advance(5000);
    auto file = claimLane();
    ASSERT_EQ(file.size(), 2u);
    for (const auto &c : file) deliver(c);
    waiting = backlog();
    EXPECT_EQ(waiting.due, 1) << "A2 heads its case now";
    EXPECT_EQ(waiting.oldestWaitingSinceMs, clock_.nowUnixMs())
        << "A2 could not leave before A1 was delivered, so its window starts then";
}

TEST_F(BatchLaneTest, TheBacklogSeesAHoldWaitingBehindARecordOfItsCase) {
    send("A1", "case-a", {kMesa});
    send("H0", "case-h", {kMesa}, true);  // heads its own queue: not waiting behind anything
    EXPECT_FALSE(backlog().criticalWaiting);
    send("H1", "case-a", {kMesa}, true);
    BatchBacklog waiting = backlog();
    EXPECT_TRUE(waiting.criticalWaiting);
    EXPECT_EQ(waiting.due, 1) << "HOLDs are never counted as batch records";
}

TEST_F(BatchLaneTest, FileNumbersCountPerDestinationTypeAndDayAndSurviveAReopen) {
    auto next = [&](const BatchLane &lane, const std::string &day) {
        auto n = journal_->nextFileSequence(lane, day);
        if (!n) ADD_FAILURE() << n.error().message;
        return n ? n.value() : -1;
    };
    EXPECT_EQ(next(kAssignments, "2026-11-24"), 1);
    EXPECT_EQ(next(kAssignments, "2026-11-24"), 2);
    EXPECT_EQ(next(BatchLane{kMesa, "ack"}, "2026-11-24"), 1);
    EXPECT_EQ(next(BatchLane{kValley, "repossession_assignment"}, "2026-11-24"), 1);
    EXPECT_EQ(next(kAssignments, "2026-11-25"), 1);

    journal_.reset();
    journal_ = open();
    ASSERT_NE(journal_, nullptr);
    EXPECT_EQ(next(kAssignments, "2026-11-24"), 3) << "a restart never hands a number out again";
    EXPECT_FALSE(journal_->nextFileSequence(BatchLane{kMesa, ""}, "2026-11-24").ok());
}

}  // namespace
}  // namespace lendgate::journal::testing
