#include "core/policy/policies.h"

#include <algorithm>
#include <cstdlib>

#include "core/policy/policy_internal.h"

namespace lendgate::policy {

namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): this file is detail's entry point

int policyNumber(const std::string &id) {
    return id.size() > 1 ? std::atoi(id.c_str() + 1) : 0;
}

void inPolicyOrder(std::vector<Decision> &decisions) {
    std::stable_sort(decisions.begin(), decisions.end(), [](const Decision &a, const Decision &b) {
        return policyNumber(a.policyId) < policyNumber(b.policyId);
    });
}

void consentRevoked(const PolicyConfig &config, const model::Consent &consent, std::vector<Decision> &out) {
    if (!config.c11.enabled || consent.action != model::ConsentAction::Revoke) return;
    Decision d = decide("C11", Outcome::Cancel,
                        "consent revoked: every referral citing it that is not yet delivered "
                        "is stopped");
    d.facts.push_back(text("consent_id", consent.consentId));
    out.push_back(std::move(d));
}

std::string hoursText(std::int64_t seconds) {
    return std::to_string(seconds / 3600);
}

}  // namespace

bool Evaluation::has(Outcome outcome) const {
    return std::any_of(decisions.begin(), decisions.end(), [&](const Decision &d) { return d.outcome == outcome; });
}

std::vector<const Decision *> Evaluation::of(std::string_view policyId) const {
    std::vector<const Decision *> found;
    for (const Decision &d : decisions) {
        if (d.policyId == policyId) found.push_back(&d);
    }
    return found;
}

Evaluation evaluateMessage(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                           const model::Timestamp &now) {
    Evaluation evaluation;
    evaluation.holds = facts.holds;
    if (const auto *order = std::get_if<model::RepossessionAssignment>(&message.payload)) {
        if (order->action == model::AssignmentAction::New)
            checkNewAssignment(config, facts, *order, now, evaluation.decisions);
    } else if (std::holds_alternative<model::RepossessionOutcome>(message.payload)) {
        checkOutcome(config, facts, message, evaluation.decisions);
    } else if (const auto *referral = std::get_if<model::Referral>(&message.payload)) {
        if (config.c11.enabled)
            evaluation.decisions.push_back(
                checkReferralConsent(config, facts, referral->consentId, referral->need, now));
    } else if (const auto *consent = std::get_if<model::Consent>(&message.payload)) {
        consentRevoked(config, *consent, evaluation.decisions);
    } else {
        applyCaseEvent(config, facts, message, evaluation);
    }
    inPolicyOrder(evaluation.decisions);
    return evaluation;
}

Evaluation evaluateClock(const PolicyConfig &config, const CaseFacts &facts, const model::Timestamp &now) {
    Evaluation evaluation;
    evaluation.holds = facts.holds;
    if (config.c4.enabled) {
        const std::vector<HoldReason> ended = evaluation.holds.expire(now.localDate());
        std::string trigger = "expired:";
        for (const HoldReason &reason : ended) trigger += " " + std::string(toString(reason.kind)) + " " + reason.key;
        decideHoldTransition(config, facts, facts.holds, std::move(trigger), evaluation);
    }
    if (config.c5.enabled) {
        const std::int64_t sla = std::int64_t{config.c5.ackSlaHours} * 3600;
        for (const ControlSent &control : facts.controlsSent) {
            if (control.ackedAt || control.action == model::AssignmentAction::ReleaseHold) continue;
            const std::int64_t waited = now.unixSeconds() - control.sentAt.unixSeconds();
            // Exactly at the SLA is still in time.
            if (waited <= sla) continue;
            Decision d = decide(
                "C5", Outcome::Alert,
                "the firm has not acknowledged a " + std::string(model::toString(control.action)) + " within the SLA");
            d.severity = Severity::Warning;
            d.parameters.push_back(number("ack_sla_hours", config.c5.ackSlaHours));
            d.facts.push_back(text("assignment_id", control.assignmentId));
            d.facts.push_back(text("control_action", std::string(model::toString(control.action))));
            d.facts.push_back(text("control_sent_at", control.sentAt.toString()));
            d.facts.push_back(text("hours_waiting", hoursText(waited)));
            d.firms.push_back(control.firm);
            evaluation.decisions.push_back(std::move(d));
        }
    }
    if (config.c7.enabled) {
        const std::int64_t window = std::int64_t{config.c7.inventoryHours} * 3600;
        for (const RecoveryRecord &recovery : facts.recoveries) {
            if (recovery.inventoryReceivedAt) continue;
            if (now.unixSeconds() - recovery.occurredAt.unixSeconds() <= window) continue;
            Decision d = decide("C7", Outcome::Alert, "the personal property inventory is overdue");
            d.severity = Severity::Warning;
            d.parameters.push_back(number("inventory_hours", config.c7.inventoryHours));
            d.facts.push_back(text("assignment_id", recovery.assignmentId));
            d.facts.push_back(text("event", std::string(model::toString(recovery.event))));
            d.facts.push_back(text("occurred_at", recovery.occurredAt.toString()));
            d.firms.push_back(recovery.firm);
            evaluation.decisions.push_back(std::move(d));
        }
    }
    inPolicyOrder(evaluation.decisions);
    return evaluation;
}

Evaluation releaseHoldReason(const PolicyConfig &config, const CaseFacts &facts, HoldKind kind, std::string_view key,
                             const model::Timestamp & /*now*/) {
    Evaluation evaluation;
    evaluation.holds = facts.holds;
    if (!config.c4.enabled || !evaluation.holds.remove(kind, key)) return evaluation;
    decideHoldTransition(config, facts, facts.holds,
                         "operator release: " + std::string(toString(kind)) + " " + std::string(key), evaluation);
    for (Decision &d : evaluation.decisions) {
        d.facts.push_back(text("released_kind", std::string(toString(kind))));
        d.facts.push_back(text("released_key", std::string(key)));
    }
    return evaluation;
}

Decision checkReferralConsent(const PolicyConfig & /*config*/, const CaseFacts &facts, std::string_view consentId,
                              model::NeedCode need, const model::Timestamp &now) {
    Decision d = decide("C11", Outcome::Refuse, "");
    d.facts.push_back(text("consent_id", std::string(consentId)));
    d.facts.push_back(text("need", std::string(model::toString(need))));
    const auto record = std::find_if(facts.consents.begin(), facts.consents.end(),
                                     [&](const ConsentRecord &c) { return c.consentId == consentId; });
    std::string state;
    if (consentId.empty() || record == facts.consents.end()) {
        state = "not_recorded";
        d.reason = "no recorded consent: no referral";
    } else if (record->revokedAt && !(now < *record->revokedAt)) {
        state = "revoked";
        d.reason = "the consent was revoked: no referral";
    } else if (record->expiresAt && !(now < *record->expiresAt)) {
        state = "expired";
        d.reason = "the consent has expired: no referral";
    } else if (std::find(record->scope.begin(), record->scope.end(), need) == record->scope.end()) {
        state = "scope_excludes_need";
        d.reason = "the consent's scope does not cover this need: no referral";
    } else {
        state = "granted";
        d.outcome = Outcome::Allow;
        d.reason = "a granted, unrevoked consent covers this need";
    }
    d.facts.push_back(text("consent_state", state));
    return d;
}

const std::vector<FieldRestriction> &neverSentTo(model::PartnerRole role) {
    static const std::vector<FieldRestriction> kRepoFirm{
        {"ssn", "a repo firm needs no identity number to recover a vehicle (GLBA Safeguards Rule)"},
        {"date_of_birth", "not needed to recover a vehicle"},
        {"account_number", "a repo firm works from the assignment id, never the full account number"},
    };
    static const std::vector<FieldRestriction> kNonprofit{
        {"ssn", "not needed to offer assistance"},
        {"date_of_birth", "not needed to offer assistance"},
        {"account_number", "a nonprofit receives no account data"},
        {"account_token", "a nonprofit receives no account data"},
        {"balance", "a nonprofit receives no balance data"},
        {"payoff_amount", "a nonprofit receives no balance data"},
        {"amount_past_due", "a nonprofit receives no balance data"},
        {"reinstatement_amount", "a nonprofit receives no balance data"},
    };
    static const std::vector<FieldRestriction> kNone;
    switch (role) {
        case model::PartnerRole::RepoFirm: return kRepoFirm;
        case model::PartnerRole::Nonprofit: return kNonprofit;
        default: return kNone;
    }
}

}  // namespace lendgate::policy
