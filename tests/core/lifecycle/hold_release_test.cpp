// An operator ends one reason of a case's hold on a real journal: the
// release is a journaled C4 decision naming who released what, RELEASE_HOLD
// goes to the firm only when no reason remains, the orders held for the
// case become due, and the reason stays ended for every later message.
#include <gtest/gtest.h>

#include "core/lifecycle/hold_release.h"
#include "tests/core/lifecycle/lifecycle_test_support.h"

namespace lendgate::lifecycle {
namespace {

class HoldReleaseTest : public LifecycleJournalTest {
protected:
    // An order out with the firm, then a hardship application and a payment
    // arrangement, each a reason to hold it, and a second order that waits.
    void heldTwice() {
        journaled("bank", "ORDER-1", "repossession_assignment_new", {{"assignment_id", "ORDER-1"}},
                  {journal::Route{"valley-recovery", "rule", false}});
        journaled("bank", "HA-1", "hardship_application", {{"application_id", "HA-1"}});
        journaled("bank", "UPD-1", "account_update_arrangement_made", {});
        journaled("bank", "ORDER-2", "repossession_assignment_new", {{"assignment_id", "ORDER-2"}},
                  {journal::Route{"valley-recovery", "rule", false, "C4: a hold is in force"}});
        ASSERT_EQ(dueKeys(), std::vector<std::string>{"ORDER-1"});
    }

    std::vector<std::string> reasonsInForce() {
        auto holds = holdsInForce(*journal_, config_, "case-1", clock_.nowUnixMs());
        EXPECT_TRUE(holds.ok()) << (holds.ok() ? "" : holds.error().message);
        std::vector<std::string> out;
        if (holds.ok())
            for (const policy::HoldReason &r : holds.value())
                out.push_back(std::string(toString(r.kind)) + " " + r.key);
        return out;
    }

    Result<HoldReleased> release(const std::string &kind, const std::string &key,
                                 const std::string &caseId = "case-1") {
        return releaseHold(*journal_, config_, {caseId, kind, key, "cli:ops", "borrower called: review withdrawn"},
                           clock_.nowUnixMs(), ulids_);
    }

    std::vector<journal::CaseDecision> operatorDecisions() {
        std::vector<journal::CaseDecision> out;
        auto timeline = journal_->caseTimeline("case-1");
        EXPECT_TRUE(timeline.ok());
        if (!timeline) return out;
        for (const journal::CaseDecision &d : timeline.value().decisions)
            if (d.messageId.empty()) out.push_back(d);
        return out;
    }
};

TEST_F(HoldReleaseTest, ReleasingOneOfTwoReasonsKeepsTheHoldAndSendsNothing) {
    heldTwice();
    EXPECT_EQ(reasonsInForce(),
              (std::vector<std::string>{"HARDSHIP_APPLICATION HA-1", "ARRANGEMENT EXTENSION 2026-12-01"}));

    auto released = release("ARRANGEMENT", "EXTENSION 2026-12-01");
    ASSERT_TRUE(released.ok()) << released.error().message;
    EXPECT_FALSE(released.value().holdEnded);
    EXPECT_EQ(released.value().releaseHoldsSent, 0u);
    ASSERT_EQ(released.value().remaining.size(), 1u);
    EXPECT_EQ(released.value().remaining[0].key, "HA-1");
    EXPECT_TRUE(dueKeys().empty()) << "the waiting order still waits, and the firm hears nothing";

    const auto decisions = operatorDecisions();
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_EQ(decisions[0].decision.policyId, "C4");
    EXPECT_EQ(decisions[0].decision.outcome, "HOLD");
    const auto detail = nlohmann::json::parse(decisions[0].decision.json);
    EXPECT_EQ(detail["facts"]["transition"], "continues");
    EXPECT_EQ(detail["facts"]["released_kind"], "ARRANGEMENT");
    EXPECT_EQ(detail["facts"]["released_key"], "EXTENSION 2026-12-01");
    EXPECT_EQ(detail["facts"]["released_by"], "cli:ops");
    EXPECT_EQ(detail["facts"]["note"], "borrower called: review withdrawn");
}

TEST_F(HoldReleaseTest, ReleasingTheLastReasonSendsReleaseHoldAndTheWaitingOrderGoes) {
    heldTwice();
    ASSERT_TRUE(release("ARRANGEMENT", "EXTENSION 2026-12-01").ok());
    clock_.advance(kHour);
    auto released = release("HARDSHIP_APPLICATION", "HA-1");
    ASSERT_TRUE(released.ok()) << released.error().message;
    EXPECT_TRUE(released.value().holdEnded);
    EXPECT_EQ(released.value().releaseHoldsSent, 1u);
    EXPECT_TRUE(released.value().remaining.empty());

    EXPECT_EQ(dueKeys(), std::vector<std::string>{"ORDER-2"});
    const auto releaseHold = dueKeys();
    ASSERT_EQ(releaseHold.size(), 1u);
    EXPECT_EQ(releaseHold[0].rfind("gateway:release_hold:operator-", 0), 0u) << releaseHold[0];
    EXPECT_TRUE(releaseHold[0].ends_with(":ORDER-1")) << releaseHold[0];
    ASSERT_EQ(operatorDecisions().size(), 2u);
    EXPECT_EQ(operatorDecisions()[1].decision.outcome, "RELEASE");
}

TEST_F(HoldReleaseTest, AReleasedReasonStaysEndedForTheMessagesAfterIt) {
    heldTwice();
    ASSERT_TRUE(release("HARDSHIP_APPLICATION", "HA-1").ok());
    clock_.advance(kHour);
    // The firm acknowledges, the lender sends another order: the case's
    // history is folded again and the application must not hold it anew.
    journaled("valley-recovery", "ACK-1", "repossession_outcome_hold_ack", {{"assignment_id", "ORDER-1"}});
    EXPECT_EQ(reasonsInForce(), std::vector<std::string>{"ARRANGEMENT EXTENSION 2026-12-01"});
    ASSERT_TRUE(release("ARRANGEMENT", "EXTENSION 2026-12-01").ok());
    EXPECT_TRUE(reasonsInForce().empty());
    clock_.advance(kHour);
    journaled("bank", "UPD-2", "account_update_payment_posted", {});
    EXPECT_EQ(reasonsInForce().size(), 1u) << "a new reason after the release holds again";
}

TEST_F(HoldReleaseTest, WhatCannotBeReleasedIsRefusedWithTheReasonAndWritesNothing) {
    heldTwice();
    auto kind = release("VACATION", "HA-1");
    ASSERT_FALSE(kind.ok());
    EXPECT_EQ(kind.error().code, journal::errc::kInvalidArgument);
    EXPECT_NE(kind.error().message.find("HARDSHIP_APPLICATION"), std::string::npos) << "it lists the kinds";

    auto key = release("HARDSHIP_APPLICATION", "HA-2");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, journal::errc::kInvalidState);

    auto unknown = release("HARDSHIP_APPLICATION", "HA-1", "case-9");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, journal::errc::kNotFound);

    auto off = std::make_shared<policy::PolicyConfig>(*config_.policies);
    off->c4.enabled = false;
    config_.policies = off;
    auto policyOff = release("HARDSHIP_APPLICATION", "HA-1");
    ASSERT_FALSE(policyOff.ok());
    EXPECT_EQ(policyOff.error().code, journal::errc::kInvalidState);
    EXPECT_TRUE(operatorDecisions().empty());
}

}  // namespace
}  // namespace lendgate::lifecycle
