// The report's figures from a journal holding one case's story: a notice,
// an order, a HOLD the firm acknowledged two hours after it was delivered,
// an order a policy refused, an approved hardship plan two days in.
#include <gtest/gtest.h>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

constexpr std::int64_t kHour = 3600 * 1000;

class ReportTest : public JournalTest {
protected:
    // One message of case-1 from `sender`, received now, with `payload`.
    void receive(const std::string &sender, const std::string &key, const std::string &type, const std::string &payload,
                 std::vector<Route> routes = {}, std::vector<PolicyDecisionRecord> decisions = {}) {
        IntakeRecord r = record(1, key, "case-1", std::move(routes));
        r.messageType = type;
        r.body = R"({"idempotency_key":")" + key + R"(","payload":)" + payload + "}";
        r.decisions = std::move(decisions);
        acceptOk(batch(sender, key, {r}));
    }

    ReportFigures figures(std::optional<std::string> partner = std::nullopt) {
        auto result = journal_->report({start_ - kHour, start_ + 10 * 24 * kHour, std::move(partner)});
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return result.ok() ? result.value() : ReportFigures{};
    }

    std::int64_t start_ = clock_.nowUnixMs();
};

TEST_F(ReportTest, ACasesStoryIsCountedAndTheFirmsAcknowledgementTimed) {
    receive("bank", "N-1", "delinquency_notice", "{}");
    receive("bank", "A-1", "repossession_assignment", R"({"action":"NEW","assignment_id":"A-1"})",
            {Route{"valley", "rule", false}});
    receive("bank", "A-2", "repossession_assignment", R"({"action":"NEW","assignment_id":"A-2"})", {},
            {{"C12", "REFUSE", "{}"}});
    receive("lendgate", "H-1", "repossession_assignment", R"({"action":"HOLD","assignment_id":"A-1"})",
            {Route{"valley", "policy:C4", true}});
    clock_.advance(kHour);
    ASSERT_EQ(deliverDue(*journal_, clock_), std::vector<std::string>{"A-1"});
    ASSERT_EQ(deliverDue(*journal_, clock_), std::vector<std::string>{"H-1"});
    clock_.advance(2 * kHour);
    receive("valley", "ACK-1", "repossession_outcome", R"({"event":"HOLD_ACK","assignment_id":"A-1"})");
    clock_.set(start_ + 48 * kHour);
    receive("bank", "HD-1", "hardship_decision", R"({"status":"APPROVED"})");

    const ReportFigures all = figures();
    EXPECT_EQ(all.notices, 1);
    EXPECT_EQ(all.casesWithNotice, 1);
    EXPECT_EQ(all.assignments, 2);
    EXPECT_EQ(all.ordersRefused, 1);
    EXPECT_EQ(all.ordersHeld, 0);
    EXPECT_EQ(all.holdsSent, 1);
    EXPECT_EQ(all.holdsAcknowledged, 1);
    ASSERT_EQ(all.holdAckHours.size(), 1u);
    EXPECT_DOUBLE_EQ(all.holdAckHours[0], 2.0) << "from delivery to acknowledgement";
    EXPECT_EQ(all.hardshipDecisions, 1);
    EXPECT_EQ(all.hardshipApproved, 1);
    ASSERT_EQ(all.daysToFirstAssistance.size(), 1u);
    EXPECT_DOUBLE_EQ(all.daysToFirstAssistance[0], 2.0);

    // The firm's view: what it received and what it sent.
    const ReportFigures valley = figures("valley");
    EXPECT_EQ(valley.notices, 0);
    EXPECT_EQ(valley.assignments, 1) << "the refused order never reached it";
    EXPECT_EQ(valley.holdsSent, 1);
    EXPECT_EQ(valley.holdsAcknowledged, 1);

    EXPECT_FALSE(journal_->report({start_, start_, std::nullopt}).ok()) << "an empty period is refused";
}

}  // namespace
}  // namespace lendgate::journal::testing
