// Needs into referrals, under consent (C11), to the nonprofit whose HSDS
// directory serves the need where the borrower lives.
#include "core/lifecycle/referrals.h"

#include <algorithm>

#include "core/config/gateway_config.h"
#include "core/lifecycle/case_policy.h"
#include "core/policy/decision.h"
#include "core/policy/policies.h"
#include "core/referral/hsds_directory.h"

namespace lendgate::lifecycle {
namespace {

using model::NeedCode;
using policy::Outcome;

struct NeedToMeet {
    NeedCode need = NeedCode::FinancialInsecurity;
    std::string consentHint;  ///< the consent the source names, if it names one
    bool declined = false;    ///< the agent offered a referral and the borrower said no
};

void addNeed(std::vector<NeedToMeet> &needs, NeedToMeet need) {
    const bool seen = std::any_of(needs.begin(), needs.end(), [&](const NeedToMeet &n) { return n.need == need.need; });
    if (!seen) needs.push_back(std::move(need));
}

journal::PolicyDecisionRecord recordOf(const policy::Decision &decision) {
    return {decision.policyId, std::string(policy::toString(decision.outcome)), policy::toJson(decision)};
}

policy::Decision noReferral(Outcome outcome, NeedCode need, std::string_view state, std::string reason) {
    policy::Decision d;
    d.policyId = "C11";
    d.outcome = outcome;
    d.facts.push_back({"need", std::string(model::toString(need))});
    d.facts.push_back({"referral_state", std::string(state)});
    d.reason = std::move(reason);
    return d;
}

bool inForce(const policy::ConsentRecord &consent, const model::Timestamp &now) {
    if (consent.revokedAt && !(now < *consent.revokedAt)) return false;
    return !consent.expiresAt || now < *consent.expiresAt;
}

// The newest consent in force whose scope holds the need.
std::string consentCovering(const policy::CaseFacts &facts, NeedCode need, const model::Timestamp &now) {
    for (auto it = facts.consents.rbegin(); it != facts.consents.rend(); ++it) {
        if (inForce(*it, now) && std::find(it->scope.begin(), it->scope.end(), need) != it->scope.end())
            return it->consentId;
    }
    return {};
}

struct Placement {
    const config::Partner *partner = nullptr;
    referral::ServiceMatch match;
};

std::optional<Placement> place(const config::GatewayConfig &config, NeedCode need, std::string_view zip) {
    const auto terms = config.referrals.needTerms.find(need);
    if (terms == config.referrals.needTerms.end()) return std::nullopt;
    for (const config::Partner &partner : config.partners) {
        if (partner.role != model::PartnerRole::Nonprofit || !partner.directory) continue;
        if (!partner.referralNeeds.empty() &&
            std::find(partner.referralNeeds.begin(), partner.referralNeeds.end(), need) == partner.referralNeeds.end())
            continue;
        if (auto match = referral::findService(*partner.directory, terms->second, zip))
            return Placement{&partner, *match};
    }
    return std::nullopt;
}

// Someone who has just lost the car to a recovery needs help sooner.
model::Urgency urgencyOf(const model::Message &source) {
    const auto *outcome = std::get_if<model::RepossessionOutcome>(&source.payload);
    if (outcome != nullptr &&
        (outcome->event == model::OutcomeEvent::Recovered || outcome->event == model::OutcomeEvent::VoluntarySurrender))
        return model::Urgency::Urgent;
    return model::Urgency::Routine;
}

journal::IntakeRecord gatewayRecord(const model::Message &message) {
    journal::IntakeRecord record;
    record.messageType = std::string(model::toString(message.type()));
    record.sender = std::string(kGatewaySender);
    record.idempotencyKey = message.envelope.idempotencyKey;
    record.caseId = message.envelope.caseId;
    record.causationId = message.envelope.causationId;
    record.messageId = message.envelope.messageId;
    record.body = model::toCanonicalJson(message);
    return record;
}

model::Envelope gatewayEnvelope(const model::Message &cause, std::string key, const model::Timestamp &now,
                                journal::UlidGenerator &ulids) {
    model::Envelope envelope;
    envelope.messageId = ulids.next();
    envelope.sender = std::string(kGatewaySender);
    envelope.caseId = cause.envelope.caseId;
    envelope.causationId = cause.envelope.messageId;
    envelope.idempotencyKey = std::move(key);
    envelope.occurredAt = now;
    envelope.receivedAt = now;
    return envelope;
}

journal::IntakeRecord referralRecord(const model::Message &cause, NeedCode need, const std::string &consentId,
                                     const model::ClientContact &client, const Placement &placement,
                                     const model::Timestamp &now, journal::UlidGenerator &ulids) {
    model::Message message;
    // One referral per cause and need: a resent cause is a duplicate.
    message.envelope = gatewayEnvelope(
        cause, "gateway:referral:" + cause.envelope.messageId.value_or("") + ":" + std::string(model::toString(need)),
        now, ulids);
    model::Referral referral;
    // The nonprofit's updates name the referral; its id is the message's, so
    // an update finds its case.
    referral.referralId = *message.envelope.messageId;
    referral.sourceEvent = {cause.type(), cause.envelope.messageId};
    referral.consentId = consentId;
    referral.need = need;
    const referral::ServiceMatch &match = placement.match;
    referral.target.organizationId = match.service->organizationId;
    referral.target.serviceId = match.service->id;
    if (match.location != nullptr) referral.target.locationId = match.location->id;
    if (match.term != nullptr && !match.term->code.empty()) referral.target.taxonomyCode = match.term->code;
    referral.client = client;
    referral.urgency = urgencyOf(cause);
    message.payload = std::move(referral);
    journal::IntakeRecord record = gatewayRecord(std::move(message));
    record.routes.push_back({placement.partner->id, "policy:C11", false, {}});
    return record;
}

std::string zip3Of(const std::optional<std::string> &postalCode) {
    return postalCode && postalCode->size() >= 3 ? postalCode->substr(0, 3) : std::string("unknown");
}

}  // namespace

ReferralActions deriveReferrals(const config::GatewayConfig &config, const policy::CaseFacts &facts,
                                const model::Message &message, const model::Timestamp &now,
                                journal::UlidGenerator &ulids) {
    ReferralActions actions;
    if (!config.policies || !config.policies->c11.enabled) return actions;
    std::vector<NeedToMeet> needs;
    std::optional<policy::ConsentRecord> given;  // a GRANT this message records

    if (const auto *outcome = std::get_if<model::RepossessionOutcome>(&message.payload)) {
        for (const model::Interaction &interaction : outcome->interactions) {
            const bool declined = interaction.referralOffered.value_or(false) && interaction.referralAccepted &&
                                  !*interaction.referralAccepted;
            for (NeedCode need : interaction.statedNeeds)
                addNeed(needs, {need, interaction.consentId.value_or(""), declined});
        }
    } else if (const auto *application = std::get_if<model::HardshipApplication>(&message.payload)) {
        if (!application->consent || application->consent->action != model::ConsentAction::Grant) return actions;
        // DOMAIN.md: the gateway records an embedded consent as a consent of its own.
        model::Consent consent = *application->consent;
        consent.account.reset();  // the case says whose it is
        model::Message recorded;
        recorded.envelope =
            gatewayEnvelope(message, "gateway:consent:" + message.envelope.messageId.value_or(""), now, ulids);
        recorded.envelope.occurredAt = consent.capturedAt;
        recorded.payload = consent;
        actions.followUps.push_back(gatewayRecord(std::move(recorded)));
        given = policy::ConsentRecord::granted(consent);
        for (NeedCode need : consent.scope) addNeed(needs, {need, consent.consentId, false});
    } else if (const auto *consent = std::get_if<model::Consent>(&message.payload)) {
        if (consent->action == model::ConsentAction::Revoke) {
            for (const policy::ReferralRecord &referral : facts.referrals) {
                if (referral.consentId == consent->consentId && !referral.delivered && !referral.stopped)
                    actions.stops.push_back(referral.referralId);
            }
            actions.stopReason = "consent " + consent->consentId + " was revoked before the referral was delivered";
            return actions;
        }
        given = policy::ConsentRecord::granted(*consent);
        // A consent given after the need was stated covers it now.
        for (const policy::StatedNeed &stated : facts.unmetNeeds) {
            if (std::find(consent->scope.begin(), consent->scope.end(), stated.need) != consent->scope.end())
                addNeed(needs, {stated.need, consent->consentId, false});
        }
    }
    // Most messages state no need: the facts are copied only for those that do.
    if (needs.empty()) return actions;
    policy::CaseFacts known = facts;
    if (given) known.consents.push_back(*given);

    for (const NeedToMeet &need : needs) {
        if (known.hasLiveReferral(need.need)) continue;  // already referred: an UPDATE repeats what was said
        if (need.declined) {
            actions.decisions.push_back(recordOf(noReferral(Outcome::Refuse, need.need, "declined",
                                                            "the borrower declined the referral the agent offered")));
            continue;
        }
        const std::string consentId =
            need.consentHint.empty() ? consentCovering(known, need.need, now) : need.consentHint;
        const policy::Decision consentCheck =
            policy::checkReferralConsent(*config.policies, known, consentId, need.need, now);
        actions.decisions.push_back(recordOf(consentCheck));
        if (consentCheck.outcome != Outcome::Allow) continue;
        if (!known.borrowerContact || !known.borrowerContact->postalCode) {
            actions.decisions.push_back(recordOf(
                noReferral(Outcome::Flag, need.need, "no_contact",
                           "the case has no borrower address from a delinquency notice: no nonprofit can be chosen")));
            continue;
        }
        const auto placement = place(config, need.need, *known.borrowerContact->postalCode);
        if (!placement) {
            policy::Decision d = noReferral(Outcome::Flag, need.need, "no_service",
                                            "no nonprofit partner serves this need in the borrower's area");
            d.facts.push_back({"zip3", zip3Of(known.borrowerContact->postalCode)});
            actions.decisions.push_back(recordOf(d));
            continue;
        }
        actions.followUps.push_back(
            referralRecord(message, need.need, consentId, *known.borrowerContact, *placement, now, ulids));
    }
    return actions;
}

}  // namespace lendgate::lifecycle
