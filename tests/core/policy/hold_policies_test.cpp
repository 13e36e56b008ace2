// C4 hold sets and the cancels of C2 and C4, including DOMAIN.md's first story.
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace lendgate::policy {
namespace {

using test::at;
using test::day;
using test::only;
using test::str;

CaseFacts assignedCase() {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.openAssignments.push_back(OpenAssignment{"valley-recovery", "DVB-A-1001", model::OrderType::Involuntary});
    facts.openAssignments.push_back(OpenAssignment{"mesa-asset-recovery", "DVB-A-1002", model::OrderType::Involuntary});
    return facts;
}

model::HardshipApplication application() {
    model::HardshipApplication a;
    a.account.accountToken = "tok_dvb_0001";
    a.applicationId = "SFCU-H-77";
    a.submittedAt = at("2026-11-10T09:30:00-07:00");
    a.reasons.push_back(model::HardshipReason::IncomeReduction);
    return a;
}

model::HardshipDecision decision(model::HardshipStatus status, std::optional<std::string> holdUntil = std::nullopt) {
    model::HardshipDecision d;
    d.account.accountToken = "tok_dvb_0001";
    d.applicationId = "SFCU-H-77";
    d.status = status;
    if (status == model::HardshipStatus::Approved) d.approvedOption = model::ResolutionOption::Deferral;
    if (holdUntil) d.repoHoldUntil = day(*holdUntil);
    return d;
}

model::AccountUpdate update(model::AccountEvent event) {
    model::AccountUpdate u;
    u.account.accountToken = "tok_dvb_0001";
    u.event = event;
    u.effectiveDate = day("2026-11-12");
    return u;
}

// Applies an evaluation's hold set to the case, as the daemon does.
Evaluation step(CaseFacts &facts, model::Payload payload, const std::string &when) {
    Evaluation e = evaluateMessage(test::shippedConfig(), facts, test::message(std::move(payload), when), at(when));
    facts.holds = e.holds;
    return e;
}

TEST(HardshipStory, ApplicationHoldsApprovalContinuesUntilRepoHoldUntil) {
    CaseFacts facts = assignedCase();
    const Evaluation applied = step(facts, application(), "2026-11-10T09:30:00-07:00");
    const Decision &hold = only(applied, "C4");
    EXPECT_EQ(hold.outcome, Outcome::Hold);
    EXPECT_EQ(str(hold, "transition"), "started");
    EXPECT_EQ(hold.firms, (std::vector<std::string>{"valley-recovery", "mesa-asset-recovery"}));

    const Evaluation approved =
        step(facts, decision(model::HardshipStatus::Approved, "2026-12-31"), "2026-11-20T15:00:00-07:00");
    const Decision &continues = only(approved, "C4");
    EXPECT_EQ(continues.outcome, Outcome::Hold);
    EXPECT_EQ(str(continues, "transition"), "continues");
    EXPECT_TRUE(continues.firms.empty());  // already held: nothing new goes out
    EXPECT_EQ(str(continues, "reasons_in_force"), "HARDSHIP_APPROVED SFCU-H-77 until 2026-12-31");

    // The last day of the hold still holds; the day after releases.
    EXPECT_TRUE(evaluateClock(test::shippedConfig(), facts, at("2026-12-31T23:00:00-07:00")).decisions.empty());
    const Evaluation expired = evaluateClock(test::shippedConfig(), facts, at("2027-01-01T00:30:00-07:00"));
    const Decision &release = only(expired, "C4");
    EXPECT_EQ(release.outcome, Outcome::Release);
    EXPECT_EQ(release.firms, (std::vector<std::string>{"valley-recovery", "mesa-asset-recovery"}));
    EXPECT_TRUE(expired.holds.empty());
}

TEST(HardshipStory, DeniedReleasesOnlyWhenNoOtherReasonRemains) {
    CaseFacts facts = assignedCase();
    step(facts, application(), "2026-11-10T09:30:00-07:00");
    model::AccountUpdate payment = update(model::AccountEvent::PaymentPosted);
    payment.payment = model::Payment{day("2026-11-12"), *model::Decimal::parse("200.00")};
    EXPECT_EQ(str(only(step(facts, payment, "2026-11-12T10:00:00-07:00"), "C4"), "transition"), "continues");

    const Evaluation denied = step(facts, decision(model::HardshipStatus::Denied), "2026-11-14T10:00:00-07:00");
    const Decision &stillHeld = only(denied, "C4");
    EXPECT_EQ(stillHeld.outcome, Outcome::Hold);
    EXPECT_EQ(str(stillHeld, "reasons_in_force"), "PARTIAL_PAYMENT 2026-11-12 until 2026-11-22");
    EXPECT_FALSE(denied.has(Outcome::Release));

    EXPECT_TRUE(evaluateClock(test::shippedConfig(), facts, at("2026-11-22T12:00:00-07:00")).decisions.empty());
    EXPECT_EQ(only(evaluateClock(test::shippedConfig(), facts, at("2026-11-23T08:00:00-07:00")), "C4").outcome,
              Outcome::Release);
}

TEST(HardshipStory, DeniedAloneReleases) {
    CaseFacts facts = assignedCase();
    step(facts, application(), "2026-11-10T09:30:00-07:00");
    const Decision &release =
        only(step(facts, decision(model::HardshipStatus::Denied), "2026-11-14T10:00:00-07:00"), "C4");
    EXPECT_EQ(release.outcome, Outcome::Release);
    EXPECT_EQ(str(release, "trigger"), "hardship_decision DENIED");
    EXPECT_TRUE(facts.holds.empty());
}

TEST(HoldSetPolicy, ArrangementHoldsUntilBroken) {
    CaseFacts facts = assignedCase();
    model::AccountUpdate made = update(model::AccountEvent::ArrangementMade);
    made.arrangement = model::Arrangement{model::ArrangementType::RepaymentPlan, day("2026-11-12"), std::nullopt,
                                          std::nullopt, model::ArrangementStatus::Active};
    EXPECT_EQ(only(step(facts, made, "2026-11-12T10:00:00-07:00"), "C4").outcome, Outcome::Hold);
    model::AccountUpdate broken = update(model::AccountEvent::ArrangementBroken);
    broken.arrangement = made.arrangement;
    broken.arrangement->status = model::ArrangementStatus::Broken;
    EXPECT_EQ(only(step(facts, broken, "2026-12-12T10:00:00-07:00"), "C4").outcome, Outcome::Release);
}

TEST(HoldSetPolicy, CureCancelsEveryOpenAssignment) {
    CaseFacts facts = assignedCase();
    step(facts, application(), "2026-11-10T09:30:00-07:00");
    const Evaluation cured = step(facts, update(model::AccountEvent::Cured), "2026-11-15T10:00:00-07:00");
    const Decision &cancel = only(cured, "C4");
    EXPECT_EQ(cancel.outcome, Outcome::Cancel);
    EXPECT_EQ(cancel.firms.size(), 2u);
    EXPECT_EQ(str(cancel, "open_assignments"), "2");
    EXPECT_FALSE(cured.has(Outcome::Release));
    EXPECT_TRUE(cured.holds.empty());
}

TEST(HoldSetPolicy, OperatorReleaseEndsOneReason) {
    CaseFacts facts = assignedCase();
    step(facts, application(), "2026-11-10T09:30:00-07:00");
    const Evaluation released = releaseHoldReason(test::shippedConfig(), facts, HoldKind::HardshipApplication,
                                                  "SFCU-H-77", at("2026-11-11T09:00:00-07:00"));
    const Decision &d = only(released, "C4");
    EXPECT_EQ(d.outcome, Outcome::Release);
    EXPECT_EQ(str(d, "trigger"), "operator release: HARDSHIP_APPLICATION SFCU-H-77");
    EXPECT_EQ(str(d, "released_kind"), "HARDSHIP_APPLICATION");
    EXPECT_EQ(str(d, "released_key"), "SFCU-H-77");
    // Journaled as JSON, it reads back as the same decision (the case's
    // history folds it again).
    const std::optional<Decision> back = decisionFromJson(toJson(d));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->outcome, d.outcome);
    EXPECT_EQ(back->firms, d.firms);
    EXPECT_EQ(str(*back, "released_key"), "SFCU-H-77");
    EXPECT_EQ(str(*back, "reasons_after"), "0");
    EXPECT_FALSE(decisionFromJson(R"({"policy_id":"C4","outcome":"MAYBE"})").has_value());
    EXPECT_FALSE(decisionFromJson("not json").has_value());
    EXPECT_EQ(holdKindFromString("PARTIAL_PAYMENT"), HoldKind::PartialPayment);
    EXPECT_FALSE(holdKindFromString("VACATION").has_value());
    EXPECT_TRUE(
        releaseHoldReason(test::shippedConfig(), facts, HoldKind::Arrangement, "none", at("2026-11-11T09:00:00-07:00"))
            .decisions.empty());
}

TEST(HoldSetPolicy, DisabledPolicyHoldsNothing) {
    PolicyConfig config = test::shippedConfig();
    config.c4.enabled = false;
    const CaseFacts facts = assignedCase();
    const Evaluation e = evaluateMessage(config, facts, test::message(application(), "2026-11-10T09:30:00-07:00"),
                                         at("2026-11-10T09:30:00-07:00"));
    EXPECT_TRUE(e.decisions.empty());
    EXPECT_TRUE(e.holds.empty());
}

TEST(BankruptcyPolicy, FilingCancelsEveryOpenAssignment) {
    CaseFacts facts = assignedCase();
    model::AccountUpdate filed = update(model::AccountEvent::BankruptcyFiled);
    filed.bankruptcy = model::Bankruptcy{7, day("2026-11-11"), std::nullopt};
    const Decision &cancel = only(step(facts, filed, "2026-11-12T10:00:00-07:00"), "C2");
    EXPECT_EQ(cancel.outcome, Outcome::Cancel);
    EXPECT_EQ(cancel.firms, (std::vector<std::string>{"valley-recovery", "mesa-asset-recovery"}));
    EXPECT_EQ(str(cancel, "chapter"), "7");

    PolicyConfig off = test::shippedConfig();
    off.c2.enabled = false;
    EXPECT_TRUE(
        evaluateMessage(off, facts, test::message(filed, "2026-11-12T10:00:00-07:00"), at("2026-11-12T10:00:00-07:00"))
            .of("C2")
            .empty());
}

}  // namespace
}  // namespace lendgate::policy
