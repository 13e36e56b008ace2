// The case's hold as a set of reasons (C4), and the events that cancel every
// open assignment (C2 bankruptcy, C4 cure). RELEASE goes out only when the
// last reason ends, so a DENIED application does not release a hold that a
// payment arrangement still requires.
#include "core/policy/policy_internal.h"

namespace lendgate::policy::detail {

namespace {

using model::AccountEvent;
using model::HardshipStatus;

std::string arrangementKey(const model::Arrangement &arrangement) {
    return std::string(model::toString(arrangement.type)) + " " + arrangement.startDate.toString();
}

bool arrangementInForce(const model::Arrangement &arrangement) {
    return !arrangement.status || *arrangement.status == model::ArrangementStatus::Active ||
           *arrangement.status == model::ArrangementStatus::Kept;
}

void addArrangement(HoldSet &holds, const model::Arrangement &arrangement) {
    if (!arrangementInForce(arrangement)) {
        holds.remove(HoldKind::Arrangement, arrangementKey(arrangement));
        return;
    }
    holds.add(
        HoldReason{HoldKind::Arrangement, arrangementKey(arrangement), arrangement.startDate, arrangement.endDate});
}

void cancelAll(const CaseFacts &facts, std::string policyId, std::string reason, std::vector<Fact> details,
               Evaluation &evaluation) {
    Decision d = decide(std::move(policyId), Outcome::Cancel, std::move(reason));
    d.facts = std::move(details);
    d.facts.push_back(number("open_assignments", static_cast<std::int64_t>(facts.openAssignments.size())));
    d.firms = facts.firmsWithOpenAssignments();
    evaluation.decisions.push_back(std::move(d));
}

void bankruptcyCancel(const PolicyConfig &config, const CaseFacts &facts, const model::Bankruptcy &bankruptcy,
                      Evaluation &evaluation) {
    if (!config.c2.enabled || facts.openAssignments.empty()) return;
    std::vector<Fact> details{number("chapter", bankruptcy.chapter)};
    if (bankruptcy.filedDate) details.push_back(text("filed_date", bankruptcy.filedDate->toString()));
    cancelAll(facts, "C2", "bankruptcy filed: every open assignment is cancelled (11 U.S.C. 362)", std::move(details),
              evaluation);
}

void hardshipDecision(const model::HardshipDecision &decision, const model::Timestamp &at, HoldSet &holds) {
    const std::string &id = decision.applicationId;
    switch (decision.status) {
        case HardshipStatus::Received:
        case HardshipStatus::Incomplete:
        case HardshipStatus::UnderReview:
            if (!holds.find(HoldKind::HardshipApplication, id))
                holds.add(HoldReason{HoldKind::HardshipApplication, id, at.localDate(), std::nullopt});
            break;
        case HardshipStatus::Approved:
            holds.remove(HoldKind::HardshipApplication, id);
            // Without repo_hold_until the approval holds until an operator or
            // a later decision ends it: the plan's own end date is not a
            // statement about repossession.
            holds.add(HoldReason{HoldKind::HardshipApproved, id, decision.effectiveStartDate.value_or(at.localDate()),
                                 decision.repoHoldUntil});
            break;
        case HardshipStatus::Denied:
        case HardshipStatus::Withdrawn:
            holds.remove(HoldKind::HardshipApplication, id);
            holds.remove(HoldKind::HardshipApproved, id);
            break;
    }
}

// Returns true when the event closed the matter (assignments cancelled).
bool accountUpdate(const PolicyConfig &config, const CaseFacts &facts, const model::AccountUpdate &update,
                   Evaluation &evaluation) {
    HoldSet &holds = evaluation.holds;
    switch (update.event) {
        case AccountEvent::PaymentPosted:
            if (update.payment) {
                const model::Date paid = update.payment->date;
                holds.add(HoldReason{HoldKind::PartialPayment, paid.toString(), paid,
                                     addDays(paid, config.c4.partialPaymentHoldDays)});
            }
            return false;
        case AccountEvent::ArrangementMade:
        case AccountEvent::ArrangementKept:
            if (update.arrangement) addArrangement(holds, *update.arrangement);
            return false;
        case AccountEvent::ArrangementBroken:
            if (update.arrangement) holds.remove(HoldKind::Arrangement, arrangementKey(*update.arrangement));
            return false;
        case AccountEvent::BankruptcyFiled:
            if (update.bankruptcy) bankruptcyCancel(config, facts, *update.bankruptcy, evaluation);
            return false;
        case AccountEvent::Cured:
        case AccountEvent::PaidOff:
            if (config.c4.enabled && !facts.openAssignments.empty()) {
                cancelAll(facts, "C4", "the account is cured: every open assignment is cancelled",
                          {text("event", std::string(model::toString(update.event)))}, evaluation);
            }
            holds = HoldSet{};
            return true;
        default: return false;
    }
}

}  // namespace

std::string describe(const HoldSet &holds) {
    std::string out;
    for (const HoldReason &reason : holds.reasons()) {
        if (!out.empty()) out += "; ";
        out += std::string(toString(reason.kind)) + " " + reason.key;
        if (reason.lastDay) out += " until " + reason.lastDay->toString();
    }
    return out;
}

void decideHoldTransition(const PolicyConfig &config, const CaseFacts &facts, const HoldSet &before,
                          std::string trigger, Evaluation &evaluation) {
    const HoldSet &after = evaluation.holds;
    if (!config.c4.enabled || before == after) return;
    Decision d = decide("C4", Outcome::Hold, "");
    d.parameters.push_back(number("partial_payment_hold_days", config.c4.partialPaymentHoldDays));
    d.facts.push_back(text("trigger", std::move(trigger)));
    d.facts.push_back(number("reasons_before", static_cast<std::int64_t>(before.reasons().size())));
    d.facts.push_back(number("reasons_after", static_cast<std::int64_t>(after.reasons().size())));
    if (!after.empty()) d.facts.push_back(text("reasons_in_force", describe(after)));
    if (before.empty()) {
        d.facts.push_back(text("transition", "started"));
        d.firms = facts.firmsWithOpenAssignments();
        d.reason = "a hold reason started: every open assignment is held and new orders wait";
    } else if (after.empty()) {
        d.outcome = Outcome::Release;
        d.facts.push_back(text("transition", "ended"));
        d.firms = facts.firmsWithOpenAssignments();
        d.reason = "the last hold reason ended: the hold is released";
    } else {
        d.facts.push_back(text("transition", "continues"));
        d.reason = "the hold reasons changed and at least one remains: the hold continues";
    }
    evaluation.decisions.push_back(std::move(d));
}

void applyCaseEvent(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                    Evaluation &evaluation) {
    const HoldSet before = evaluation.holds;
    std::string trigger(model::toString(message.type()));
    bool closed = false;
    if (const auto *notice = std::get_if<model::DelinquencyNotice>(&message.payload)) {
        for (const model::Arrangement &arrangement : notice->arrangements)
            addArrangement(evaluation.holds, arrangement);
        if (notice->flags && notice->flags->bankruptcy && !facts.flags.bankruptcy)
            bankruptcyCancel(config, facts, *notice->flags->bankruptcy, evaluation);
    } else if (const auto *application = std::get_if<model::HardshipApplication>(&message.payload)) {
        evaluation.holds.add(HoldReason{HoldKind::HardshipApplication, application->applicationId,
                                        application->submittedAt.localDate(), std::nullopt});
    } else if (const auto *decision = std::get_if<model::HardshipDecision>(&message.payload)) {
        trigger += " " + std::string(model::toString(decision->status));
        hardshipDecision(*decision, message.envelope.occurredAt, evaluation.holds);
    } else if (const auto *update = std::get_if<model::AccountUpdate>(&message.payload)) {
        trigger += " " + std::string(model::toString(update->event));
        closed = accountUpdate(config, facts, *update, evaluation);
    }
    if (!config.c4.enabled) {
        evaluation.holds = before;
        return;
    }
    // A cure cancels rather than releases: the CANCEL decision says so.
    if (!closed) decideHoldTransition(config, facts, before, std::move(trigger), evaluation);
}

}  // namespace lendgate::policy::detail
