// A lender's NEW order against C1 (SCRA), C2, C3, C4, C8, C9 and C12.
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace lendgate::policy {
namespace {

using test::at;
using test::day;
using test::only;
using test::str;

Evaluation order(const PolicyConfig &config, const CaseFacts &facts, const model::RepossessionAssignment &assignment,
                 const std::string &now = "2026-11-20T10:00:00-07:00") {
    return evaluateMessage(config, facts, test::message(assignment, now), at(now));
}

CaseFacts veteranCase(model::ScraStatus status) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.loan->contractDate = day("2021-06-01");
    facts.flags.scra->status = status;
    facts.flags.scra->activeDutyStart = day("2024-01-08");
    return facts;
}

TEST(ScraPolicy, ActiveDutyOnPreServiceLoanIsRefusedWithoutCourtOrder) {
    const Evaluation e = order(test::shippedConfig(), veteranCase(model::ScraStatus::Active), test::newOrder());
    const Decision &c1 = only(e, "C1");
    EXPECT_EQ(c1.outcome, Outcome::Refuse);
    EXPECT_EQ(str(c1, "scra_status_effective"), "ACTIVE");
    EXPECT_EQ(str(c1, "loan_predates_service"), "yes");
    EXPECT_EQ(str(c1, "court_order_attached"), "false");
    EXPECT_EQ(str(c1, "certificate_age_days"), "19");
    EXPECT_EQ(str(c1, "certificate_max_age_days"), "30");
}

TEST(ScraPolicy, CourtOrderReferenceAllowsIt) {
    model::RepossessionAssignment assignment = test::newOrder();
    assignment.attestations = model::Attestations{};
    assignment.attestations->courtOrderReference = "CV2026-004512";
    const Evaluation e = order(test::shippedConfig(), veteranCase(model::ScraStatus::Active), assignment);
    const Decision &c1 = only(e, "C1");
    EXPECT_EQ(c1.outcome, Outcome::Allow);
    EXPECT_EQ(str(c1, "court_order_attached"), "true");
    EXPECT_FALSE(e.has(Outcome::Refuse));
    EXPECT_FALSE(e.has(Outcome::Hold));
}

TEST(ScraPolicy, FutureOrdersProtectToo) {
    const Evaluation e = order(test::shippedConfig(), veteranCase(model::ScraStatus::Future), test::newOrder());
    EXPECT_EQ(only(e, "C1").outcome, Outcome::Refuse);
}

TEST(ScraPolicy, LoanMadeDuringServiceIsNotCovered) {
    CaseFacts facts = veteranCase(model::ScraStatus::Active);
    facts.loan->contractDate = day("2025-02-01");
    const Decision &c1 = only(order(test::shippedConfig(), facts, test::newOrder()), "C1");
    EXPECT_EQ(c1.outcome, Outcome::Allow);
    EXPECT_EQ(str(c1, "loan_predates_service"), "no");
}

TEST(ScraPolicy, CertificateExactlyMaxAgeIsCurrentOneDayOlderHolds) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());  // checked 2026-11-01
    const Decision &fresh =
        only(order(test::shippedConfig(), facts, test::newOrder(), "2026-12-01T10:00:00-07:00"), "C1");
    EXPECT_EQ(fresh.outcome, Outcome::Allow);
    EXPECT_EQ(str(fresh, "certificate_age_days"), "30");
    const Decision &stale =
        only(order(test::shippedConfig(), facts, test::newOrder(), "2026-12-02T10:00:00-07:00"), "C1");
    EXPECT_EQ(stale.outcome, Outcome::Hold);
    EXPECT_EQ(str(stale, "certificate_age_days"), "31");
    EXPECT_EQ(str(stale, "scra_status_reported"), "NOT_ACTIVE");
    EXPECT_EQ(str(stale, "scra_status_effective"), "UNKNOWN");
}

TEST(ScraPolicy, NewerAttestedCertificateCounts) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    model::RepossessionAssignment assignment = test::newOrder();
    assignment.attestations = model::Attestations{};
    assignment.attestations->scraCertificateDate = day("2026-12-05");
    const Decision &c1 = only(order(test::shippedConfig(), facts, assignment, "2026-12-10T10:00:00-07:00"), "C1");
    EXPECT_EQ(c1.outcome, Outcome::Allow);
    EXPECT_EQ(str(c1, "certificate_age_days"), "5");
}

TEST(ScraPolicy, NoStatusOnRecordHolds) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.flags.scra.reset();
    EXPECT_EQ(only(order(test::shippedConfig(), facts, test::newOrder()), "C1").outcome, Outcome::Hold);
}

TEST(ScraPolicy, DisabledPolicyDecidesNothing) {
    PolicyConfig config = test::shippedConfig();
    config.c1.enabled = false;
    EXPECT_TRUE(order(config, veteranCase(model::ScraStatus::Active), test::newOrder()).of("C1").empty());
}

TEST(BankruptcyPolicy, NewOrderRefusedWhileFlagged) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    EXPECT_EQ(only(order(test::shippedConfig(), facts, test::newOrder()), "C2").outcome, Outcome::Allow);
    facts.flags.bankruptcy = model::Bankruptcy{13, day("2026-11-10"), std::nullopt};
    const Decision &c2 = only(order(test::shippedConfig(), facts, test::newOrder()), "C2");
    EXPECT_EQ(c2.outcome, Outcome::Refuse);
    EXPECT_EQ(str(c2, "chapter"), "13");
    EXPECT_EQ(str(c2, "filed_date"), "2026-11-10");
}

CaseFacts coloradoCase(const std::string &noticeDate) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.loan->governingState = "CO";
    facts.noticesSent.push_back(
        model::NoticeSent{model::NoticeType::RightToCure, day(noticeDate), std::nullopt, std::nullopt});
    return facts;
}

TEST(RightToCurePolicy, WaitsThroughTheLastCureDay) {
    const CaseFacts facts = coloradoCase("2026-11-01");  // CO: 20 days, last cure day 2026-11-21
    const Decision &onLastDay =
        only(order(test::shippedConfig(), facts, test::newOrder(), "2026-11-21T10:00:00-07:00"), "C3");
    EXPECT_EQ(onLastDay.outcome, Outcome::Hold);
    EXPECT_EQ(str(onLastDay, "cure_days"), "20");
    EXPECT_EQ(str(onLastDay, "governing_state"), "CO");
    EXPECT_EQ(str(onLastDay, "last_cure_day"), "2026-11-21");
    EXPECT_EQ(str(onLastDay, "assignable_from"), "2026-11-22");
    const Decision &after =
        only(order(test::shippedConfig(), facts, test::newOrder(), "2026-11-22T10:00:00-07:00"), "C3");
    EXPECT_EQ(after.outcome, Outcome::Allow);
}

TEST(RightToCurePolicy, LaterStatedDeadlineIsHonoured) {
    CaseFacts facts = coloradoCase("2026-11-01");
    facts.noticesSent.back().cureDeadline = day("2026-11-30");
    EXPECT_EQ(only(order(test::shippedConfig(), facts, test::newOrder(), "2026-11-25T10:00:00-07:00"), "C3").outcome,
              Outcome::Hold);
}

TEST(RightToCurePolicy, NoNoticeInACureStateHolds) {
    CaseFacts facts = coloradoCase("2026-11-01");
    facts.noticesSent.clear();
    EXPECT_EQ(only(order(test::shippedConfig(), facts, test::newOrder()), "C3").outcome, Outcome::Hold);
}

TEST(RightToCurePolicy, ArizonaHasNoCurePeriod) {
    const Decision &c3 =
        only(order(test::shippedConfig(), CaseFacts::fromNotice(test::phoenixNotice()), test::newOrder()), "C3");
    EXPECT_EQ(c3.outcome, Outcome::Allow);
    EXPECT_EQ(str(c3, "cure_days"), "0");
}

TEST(RightToCurePolicy, MissouriNeedsTheCosignerNotice) {
    CaseFacts facts = coloradoCase("2026-10-01");
    facts.loan->governingState = "MO";
    facts.partyRoles.push_back(model::PartyRole::Cosigner);
    const Decision &held = only(order(test::shippedConfig(), facts, test::newOrder()), "C3");
    EXPECT_EQ(held.outcome, Outcome::Hold);
    EXPECT_EQ(str(held, "cosigners_notified"), "false");
    facts.noticesSent.back().cosignersNotified = true;
    EXPECT_EQ(only(order(test::shippedConfig(), facts, test::newOrder()), "C3").outcome, Outcome::Allow);
}

TEST(RightToCurePolicy, TheTableIsData) {
    PolicyConfig config = test::shippedConfig();
    config.c3.states["AZ"] = CurePeriod{30, false};
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.noticesSent.push_back(
        model::NoticeSent{model::NoticeType::RightToCure, day("2026-11-01"), std::nullopt, std::nullopt});
    EXPECT_EQ(only(order(config, facts, test::newOrder()), "C3").outcome, Outcome::Hold);
    config.c3.enabled = false;
    EXPECT_TRUE(order(config, facts, test::newOrder()).of("C3").empty());
}

TEST(HoldInForce, NewOrderWaitsWhileTheCaseIsHeld) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    facts.holds.add(HoldReason{HoldKind::HardshipApplication, "SFCU-H-77", day("2026-11-10"), std::nullopt});
    const Decision &c4 = only(order(test::shippedConfig(), facts, test::newOrder()), "C4");
    EXPECT_EQ(c4.outcome, Outcome::Hold);
    EXPECT_EQ(str(c4, "reasons_in_force"), "HARDSHIP_APPLICATION SFCU-H-77");
}

TEST(DispositionPolicy, AuctionNeedsTheNoticeDaysBeforeSale) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    model::RepossessionAssignment auction = test::newOrder("DVB-AU-9");
    auction.orderType = model::OrderType::Auction;
    EXPECT_EQ(only(order(test::shippedConfig(), facts, auction), "C8").outcome, Outcome::Hold);
    facts.dispositionNoticeSent = day("2026-11-11");  // 9 days before 2026-11-20
    const Decision &short_ = only(order(test::shippedConfig(), facts, auction), "C8");
    EXPECT_EQ(short_.outcome, Outcome::Hold);
    EXPECT_EQ(str(short_, "earliest_sale_date"), "2026-11-21");
    facts.dispositionNoticeSent = day("2026-11-10");  // exactly 10 days
    EXPECT_EQ(only(order(test::shippedConfig(), facts, auction), "C8").outcome, Outcome::Allow);
    EXPECT_TRUE(order(test::shippedConfig(), facts, test::newOrder()).of("C8").empty());
}

TEST(DispositionPolicy, TheLendersNoticeListsTheDispositionNoticeItSent) {
    model::DelinquencyNotice notice = test::phoenixNotice();
    for (const char *sent : {"2026-11-02", "2026-11-09", "2026-11-05"}) {
        model::NoticeSent disposition;
        disposition.type = model::NoticeType::Disposition;
        disposition.sentDate = day(sent);
        notice.noticesSent.push_back(disposition);
    }
    model::NoticeSent cure;
    cure.sentDate = day("2026-11-15");
    notice.noticesSent.push_back(cure);
    EXPECT_EQ(CaseFacts::fromNotice(notice).dispositionNoticeSent, day("2026-11-09")) << "the latest one counts";
    EXPECT_FALSE(CaseFacts::fromNotice(test::phoenixNotice()).dispositionNoticeSent.has_value());
}

TEST(ContactFlags, OrderMustCarryTheCaseRestrictions) {
    CaseFacts facts = CaseFacts::fromNotice(test::phoenixNotice());
    EXPECT_TRUE(order(test::shippedConfig(), facts, test::newOrder()).of("C9").empty());
    facts.flags.attorneyRepresented = true;
    const Decision &c9 = only(order(test::shippedConfig(), facts, test::newOrder()), "C9");
    EXPECT_EQ(c9.outcome, Outcome::Derive);
    EXPECT_EQ(str(c9, "attorney_represented"), "true");
    model::RepossessionAssignment carrying = test::newOrder();
    carrying.contactFlags = model::ContactFlags{std::nullopt, true, std::nullopt};
    EXPECT_TRUE(order(test::shippedConfig(), facts, carrying).of("C9").empty());
}

TEST(DataChecks, OrderForAnotherVehicleIsRefusedWithoutEchoingTheVin) {
    model::RepossessionAssignment other = test::newOrder();
    other.collateral->vin = "1M8GDM9AXKP042788";
    const Evaluation e = order(test::shippedConfig(), CaseFacts::fromNotice(test::phoenixNotice()), other);
    const Decision &c12 = only(e, "C12");
    EXPECT_EQ(c12.outcome, Outcome::Refuse);
    EXPECT_EQ(str(c12, "vin_matches_case"), "false");
    for (const Decision &d : e.decisions) {
        EXPECT_EQ(toJson(d).find("1M8GDM9AXKP042788"), std::string::npos);
        EXPECT_EQ(toJson(d).find(test::kVin), std::string::npos);
    }
}

TEST(NewOrder, CleanCaseIsAllowedByEveryPolicyInOrder) {
    const Evaluation e = order(test::shippedConfig(), CaseFacts::fromNotice(test::phoenixNotice()), test::newOrder());
    std::vector<std::string> ids;
    for (const Decision &d : e.decisions) {
        EXPECT_EQ(d.outcome, Outcome::Allow) << d.policyId << ": " << d.reason;
        ids.push_back(d.policyId);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"C1", "C2", "C3", "C4", "C12"}));
}

}  // namespace
}  // namespace lendgate::policy
