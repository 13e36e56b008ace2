// A repo firm's outcome events and what time alone changes: C5, C6, C7, C8,
// C9, C11, C12; the C10 role table and the decision's JSON form.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
    return facts;
}

model::RepossessionOutcome recovered(bool objected = false, bool closedStructure = false) {
    model::RepossessionOutcome o;
    o.assignmentId = "DVB-A-1001";
    o.event = model::OutcomeEvent::Recovered;
    model::Recovery r;
    r.debtorObjected = objected;
    r.closedStructureEntered = closedStructure;
    o.recovery = r;
    return o;
}

Evaluation outcome(const CaseFacts &facts, const model::RepossessionOutcome &o, const std::string &when,
                   const PolicyConfig &config = test::shippedConfig()) {
    return evaluateMessage(config, facts, test::message(o, when, "valley-recovery"), at(when));
}

TEST(AckPolicy, RecoveredAfterHoldIsCritical) {
    CaseFacts facts = assignedCase();
    facts.controlsSent.push_back(ControlSent{"valley-recovery", "DVB-A-1001", model::AssignmentAction::Hold,
                                             at("2026-11-10T10:00:00-07:00"), std::nullopt});
    const Decision &alert = only(outcome(facts, recovered(), "2026-11-10T23:10:00-07:00"), "C5");
    EXPECT_EQ(alert.outcome, Outcome::Alert);
    EXPECT_EQ(alert.severity, Severity::Critical);
    EXPECT_EQ(str(alert, "control_action"), "HOLD");
    EXPECT_EQ(str(alert, "control_acknowledged"), "false");
    EXPECT_EQ(alert.firms, std::vector<std::string>{"valley-recovery"});
    // Before the hold went out the firm was within its rights.
    EXPECT_TRUE(outcome(facts, recovered(), "2026-11-10T09:59:00-07:00").of("C5").empty());
    // A release sent after the hold lifts it.
    facts.controlsSent.push_back(ControlSent{"valley-recovery", "DVB-A-1001", model::AssignmentAction::ReleaseHold,
                                             at("2026-11-12T10:00:00-07:00"), std::nullopt});
    EXPECT_TRUE(outcome(facts, recovered(), "2026-11-13T10:00:00-07:00").of("C5").empty());
}

TEST(AckPolicy, OverdueExactlyAfterTheSla) {
    CaseFacts facts = assignedCase();
    facts.controlsSent.push_back(ControlSent{"valley-recovery", "DVB-A-1001", model::AssignmentAction::Cancel,
                                             at("2026-11-10T10:00:00-07:00"), std::nullopt});
    EXPECT_TRUE(evaluateClock(test::shippedConfig(), facts, at("2026-11-11T10:00:00-07:00")).decisions.empty());
    const Decision &late = only(evaluateClock(test::shippedConfig(), facts, at("2026-11-11T10:00:01-07:00")), "C5");
    EXPECT_EQ(late.outcome, Outcome::Alert);
    EXPECT_EQ(late.severity, Severity::Warning);
    EXPECT_EQ(str(late, "ack_sla_hours"), "24");
    EXPECT_EQ(late.firms, std::vector<std::string>{"valley-recovery"});
    facts.controlsSent.back().ackedAt = at("2026-11-10T11:00:00-07:00");
    EXPECT_TRUE(evaluateClock(test::shippedConfig(), facts, at("2026-11-12T10:00:00-07:00")).decisions.empty());
}

TEST(BreachOfPeacePolicy, ObjectionOrClosedStructureNeedsReview) {
    const CaseFacts facts = assignedCase();
    EXPECT_EQ(only(outcome(facts, recovered(), "2026-11-20T06:00:00-07:00"), "C6").outcome, Outcome::Allow);
    const Decision &objected = only(outcome(facts, recovered(true, false), "2026-11-20T06:00:00-07:00"), "C6");
    EXPECT_EQ(objected.outcome, Outcome::Flag);
    EXPECT_EQ(str(objected, "debtor_objected"), "true");
    EXPECT_EQ(only(outcome(facts, recovered(false, true), "2026-11-20T06:00:00-07:00"), "C6").outcome, Outcome::Flag);
    PolicyConfig off = test::shippedConfig();
    off.c6.enabled = false;
    EXPECT_TRUE(outcome(facts, recovered(true, true), "2026-11-20T06:00:00-07:00", off).of("C6").empty());
}

TEST(InventoryPolicy, DueAfterRecoveryAndOverdueAfterTheWindow) {
    CaseFacts facts = assignedCase();
    const Decision &due = only(outcome(facts, recovered(), "2026-11-20T06:00:00-07:00"), "C7");
    EXPECT_EQ(due.outcome, Outcome::Derive);
    EXPECT_EQ(str(due, "inventory_due_at"), "2026-11-22T06:00:00-07:00");
    facts.recoveries.push_back(RecoveryRecord{"valley-recovery", "DVB-A-1001", model::OutcomeEvent::Recovered,
                                              at("2026-11-20T06:00:00-07:00"), std::nullopt});
    EXPECT_TRUE(evaluateClock(test::shippedConfig(), facts, at("2026-11-22T06:00:00-07:00")).decisions.empty());
    EXPECT_EQ(only(evaluateClock(test::shippedConfig(), facts, at("2026-11-22T06:00:01-07:00")), "C7").outcome,
              Outcome::Alert);
}

TEST(InventoryPolicy, ReleaseForAFeeIsFlagged) {
    model::RepossessionOutcome released;
    released.assignmentId = "DVB-A-1001";
    released.event = model::OutcomeEvent::PersonalPropertyReleased;
    released.personalProperty.push_back(
        model::PropertyItem{"child car seat", 1, std::nullopt, std::nullopt, *model::Decimal::parse("0.00")});
    EXPECT_TRUE(outcome(assignedCase(), released, "2026-11-21T10:00:00-07:00").of("C7").empty());
    released.personalProperty.push_back(
        model::PropertyItem{"tool box", 1, std::nullopt, std::nullopt, *model::Decimal::parse("45.00")});
    const Decision &flag = only(outcome(assignedCase(), released, "2026-11-21T10:00:00-07:00"), "C7");
    EXPECT_EQ(flag.outcome, Outcome::Flag);
    EXPECT_EQ(str(flag, "items_with_fee"), "1");
}

TEST(DispositionPolicy, RedemptionCancelsTheAuction) {
    CaseFacts facts = assignedCase();
    facts.openAssignments.push_back(OpenAssignment{"mesa-asset-recovery", "DVB-AU-9", model::OrderType::Auction});
    model::RepossessionOutcome redeemed;
    redeemed.assignmentId = "DVB-A-1001";
    redeemed.event = model::OutcomeEvent::Redeemed;
    const Decision &cancel = only(outcome(facts, redeemed, "2026-11-25T10:00:00-07:00"), "C8");
    EXPECT_EQ(cancel.outcome, Outcome::Cancel);
    EXPECT_EQ(cancel.firms, std::vector<std::string>{"mesa-asset-recovery"});
}

model::RepossessionOutcome visit(const std::string &when) {
    model::RepossessionOutcome o;
    o.assignmentId = "DVB-A-1001";
    o.event = model::OutcomeEvent::Update;
    model::Interaction knock;
    knock.occurredAt = at(when);
    knock.channel = model::InteractionChannel::DoorKnock;
    o.interactions.push_back(knock);
    return o;
}

TEST(ContactWindowPolicy, JudgedInTheBorrowersLocalTime) {
    const CaseFacts phoenix = assignedCase();
    // 21:00 in Phoenix (MST, no daylight time) is the last allowed moment.
    EXPECT_EQ(only(outcome(phoenix, visit("2026-07-02T04:00:00Z"), "2026-07-02T05:00:00Z"), "C9").outcome,
              Outcome::Allow);
    const Decision &late = only(outcome(phoenix, visit("2026-07-02T04:00:01Z"), "2026-07-02T05:00:00Z"), "C9");
    EXPECT_EQ(late.outcome, Outcome::Flag);
    EXPECT_EQ(str(late, "borrower_state"), "AZ");
    EXPECT_EQ(str(late, "time_zones"), "America/Phoenix");
    EXPECT_EQ(str(late, "local_time"), "21:00");
    // The borrower's clock decides, not the offset the agent wrote: in July
    // Denver is on MDT (-06:00), so 07:30-07:00 is 08:30 there, and 07:30-06:00 is too early.
    CaseFacts denver = phoenix;
    denver.borrowerState = "CO";
    EXPECT_EQ(only(outcome(denver, visit("2026-07-02T07:30:00-07:00"), "2026-07-02T20:00:00Z"), "C9").outcome,
              Outcome::Allow);
    const Decision early = only(outcome(denver, visit("2026-07-02T07:30:00-06:00"), "2026-07-02T20:00:00Z"), "C9");
    EXPECT_EQ(early.outcome, Outcome::Flag);
    EXPECT_EQ(str(early, "local_time"), "07:30");
    // In January Denver is on MST: 07:30-06:00 is 06:30 there.
    EXPECT_EQ(
        str(only(outcome(denver, visit("2026-01-15T07:30:00-06:00"), "2026-01-15T20:00:00Z"), "C9"), "local_time"),
        "06:30");
}

TEST(ContactWindowPolicy, SplitStatesAreJudgedInEveryZone) {
    CaseFacts texas = assignedCase();
    texas.borrowerState = "TX";  // Central, and Mountain around El Paso
    // 08:30 Central is 07:30 Mountain: flagged.
    const Decision &d = only(outcome(texas, visit("2026-01-15T08:30:00-06:00"), "2026-01-15T20:00:00Z"), "C9");
    EXPECT_EQ(d.outcome, Outcome::Flag);
    EXPECT_EQ(str(d, "time_zones"), "America/Chicago,America/Denver");
}

TEST(ContactWindowPolicy, RestrictedContactIsFlaggedAtAnyHour) {
    CaseFacts facts = assignedCase();
    facts.flags.ceaseCommunication = true;
    const Decision &d = only(outcome(facts, visit("2026-11-20T12:00:00-07:00"), "2026-11-20T13:00:00-07:00"), "C9");
    EXPECT_EQ(d.outcome, Outcome::Flag);
    EXPECT_EQ(str(d, "cease_communication"), "true");
}

TEST(DataChecks, OutcomeForAnUnknownAssignmentIsFlagged) {
    model::RepossessionOutcome stray = recovered();
    stray.assignmentId = "DVB-A-9999";
    const Decision &d = only(outcome(assignedCase(), stray, "2026-11-20T06:00:00-07:00"), "C12");
    EXPECT_EQ(d.outcome, Outcome::Flag);
    EXPECT_EQ(str(d, "assignment_id"), "DVB-A-9999");
}

TEST(ConsentPolicy, ReferralNeedsGrantedUnrevokedCoveringConsent) {
    CaseFacts facts = assignedCase();
    const PolicyConfig config = test::shippedConfig();
    const model::Timestamp now = at("2026-11-21T10:00:00-07:00");
    EXPECT_EQ(str(checkReferralConsent(config, facts, "CN-1", model::NeedCode::VeteranStatus, now), "consent_state"),
              "not_recorded");
    facts.consents.push_back(ConsentRecord{
        "CN-1", {model::NeedCode::VeteranStatus}, at("2026-11-20T10:00:00-07:00"), std::nullopt, std::nullopt});
    const Decision allowed = checkReferralConsent(config, facts, "CN-1", model::NeedCode::VeteranStatus, now);
    EXPECT_EQ(allowed.outcome, Outcome::Allow);
    const Decision outOfScope = checkReferralConsent(config, facts, "CN-1", model::NeedCode::FoodInsecurity, now);
    EXPECT_EQ(outOfScope.outcome, Outcome::Refuse);
    EXPECT_EQ(str(outOfScope, "consent_state"), "scope_excludes_need");
    facts.consents.back().revokedAt = at("2026-11-21T09:00:00-07:00");
    EXPECT_EQ(str(checkReferralConsent(config, facts, "CN-1", model::NeedCode::VeteranStatus, now), "consent_state"),
              "revoked");
}

TEST(MinimisationDefaults, RepoFirmsAndNonprofitsNeverGetTheRestrictedFields) {
    auto names = [](model::PartnerRole role) {
        std::vector<std::string> out;
        for (const FieldRestriction &r : neverSentTo(role)) out.push_back(r.field);
        return out;
    };
    const std::vector<std::string> repo = names(model::PartnerRole::RepoFirm);
    for (const char *field : {"ssn", "date_of_birth", "account_number"})
        EXPECT_NE(std::find(repo.begin(), repo.end(), field), repo.end()) << field;
    const std::vector<std::string> nonprofit = names(model::PartnerRole::Nonprofit);
    for (const char *field : {"account_number", "account_token", "balance", "payoff_amount", "amount_past_due"})
        EXPECT_NE(std::find(nonprofit.begin(), nonprofit.end(), field), nonprofit.end()) << field;
    EXPECT_TRUE(names(model::PartnerRole::Lender).empty());
}

TEST(DecisionJson, CarriesPolicyOutcomeParametersFactsAndReason) {
    CaseFacts facts = assignedCase();
    facts.controlsSent.push_back(ControlSent{"valley-recovery", "DVB-A-1001", model::AssignmentAction::Hold,
                                             at("2026-11-10T10:00:00-07:00"), std::nullopt});
    const Decision &alert = only(outcome(facts, recovered(), "2026-11-11T10:00:00-07:00"), "C5");
    const nlohmann::json j = nlohmann::json::parse(toJson(alert));
    EXPECT_EQ(j["policy_id"], "C5");
    EXPECT_EQ(j["outcome"], "ALERT");
    EXPECT_EQ(j["severity"], "critical");
    EXPECT_EQ(j["parameters"]["ack_sla_hours"], 24);
    EXPECT_EQ(j["facts"]["control_acknowledged"], false);
    EXPECT_EQ(j["facts"]["assignment_id"], "DVB-A-1001");
    EXPECT_EQ(j["firms"], nlohmann::json::array({"valley-recovery"}));
    EXPECT_FALSE(j["reason"].get<std::string>().empty());
}

}  // namespace
}  // namespace lendgate::policy
