// A case's facts, replayed from its journaled messages.
#include <algorithm>

#include "core/config/gateway_config.h"
#include "core/lifecycle/case_policy.h"
#include "core/policy/policies.h"

namespace lendgate::lifecycle {
namespace {

using model::AssignmentAction;
using model::OutcomeEvent;

model::Timestamp atMs(std::int64_t ms, int offsetMinutes) {
    return model::Timestamp::fromUnix(ms / 1000, static_cast<std::uint32_t>(ms % 1000) * 1000000u, offsetMinutes);
}

bool isRepoFirm(const config::GatewayConfig &config, const std::string &partnerId) {
    const config::Partner *partner = config.partner(partnerId);
    return partner != nullptr && partner->role == model::PartnerRole::RepoFirm;
}

void closeAssignment(policy::CaseFacts &facts, const std::string &assignmentId) {
    std::erase_if(facts.openAssignments,
                  [&](const policy::OpenAssignment &a) { return a.assignmentId == assignmentId; });
}

void foldAssignment(const config::GatewayConfig &config, policy::CaseFacts &facts,
                    const model::RepossessionAssignment &order, const std::vector<journal::DeliveryInfo> &deliveries) {
    for (const journal::DeliveryInfo &delivery : deliveries) {
        if (!isRepoFirm(config, delivery.destination)) continue;
        switch (order.action) {
            case AssignmentAction::New:
                // An order a policy still holds is not with the firm yet.
                if (delivery.heldBy.empty())
                    facts.openAssignments.push_back({delivery.destination, order.assignmentId, order.orderType});
                break;
            case AssignmentAction::Hold:
            case AssignmentAction::Cancel:
            case AssignmentAction::ReleaseHold: {
                const std::int64_t sent = delivery.deliveredAtMs != 0 ? delivery.deliveredAtMs : delivery.createdAtMs;
                facts.controlsSent.push_back(
                    {delivery.destination, order.assignmentId, order.action, atMs(sent, 0), std::nullopt});
                break;
            }
            default: break;
        }
    }
    if (order.action == AssignmentAction::Cancel || order.action == AssignmentAction::Close)
        closeAssignment(facts, order.assignmentId);
}

void foldOutcome(policy::CaseFacts &facts, const model::RepossessionOutcome &outcome, const std::string &firm,
                 const model::Timestamp &occurredAt) {
    switch (outcome.event) {
        case OutcomeEvent::HoldAck:
        case OutcomeEvent::CloseAck:
            for (auto it = facts.controlsSent.rbegin(); it != facts.controlsSent.rend(); ++it) {
                if (it->firm == firm && it->assignmentId == outcome.assignmentId && !it->ackedAt) {
                    it->ackedAt = occurredAt;
                    break;
                }
            }
            break;
        case OutcomeEvent::Recovered:
        case OutcomeEvent::VoluntarySurrender:
            facts.recoveries.push_back({firm, outcome.assignmentId, outcome.event, occurredAt, std::nullopt});
            break;
        case OutcomeEvent::PersonalPropertyInventory:
            for (policy::RecoveryRecord &recovery : facts.recoveries) {
                if (recovery.assignmentId == outcome.assignmentId && !recovery.inventoryReceivedAt)
                    recovery.inventoryReceivedAt = occurredAt;
            }
            break;
        case OutcomeEvent::Closed:
        case OutcomeEvent::Declined: closeAssignment(facts, outcome.assignmentId); break;
        default: break;
    }
}

void foldConsent(policy::CaseFacts &facts, const model::Consent &consent) {
    auto record = std::find_if(facts.consents.begin(), facts.consents.end(),
                               [&](const policy::ConsentRecord &c) { return c.consentId == consent.consentId; });
    if (consent.action == model::ConsentAction::Revoke) {
        if (record != facts.consents.end()) record->revokedAt = consent.capturedAt;
        return;
    }
    if (record == facts.consents.end()) facts.consents.push_back(policy::ConsentRecord::granted(consent));
}

void foldReferral(policy::CaseFacts &facts, const model::Referral &referral,
                  const std::vector<journal::DeliveryInfo> &deliveries) {
    policy::ReferralRecord record{referral.referralId, referral.consentId, referral.need, {}, false, false, {}};
    bool anyLeft = false;
    for (const journal::DeliveryInfo &delivery : deliveries) {
        if (record.partner.empty()) record.partner = delivery.destination;
        if (delivery.state == journal::DeliveryState::Delivered) record.delivered = true;
        if (delivery.state != journal::DeliveryState::Cancelled) anyLeft = true;
    }
    record.stopped = !deliveries.empty() && !anyLeft;
    facts.referrals.push_back(std::move(record));
    // A referral stopped before it went out (its consent was revoked) met
    // nothing: the need waits for the next consent that covers it.
    if (!facts.referrals.back().stopped)
        std::erase_if(facts.unmetNeeds, [&](const policy::StatedNeed &n) { return n.need == referral.need; });
}

// Needs the borrower stated become unmet needs until a referral meets them.
void noteStatedNeeds(policy::CaseFacts &facts, const std::vector<model::NeedCode> &needs,
                     const model::Message &source) {
    for (model::NeedCode need : needs) {
        const bool known = std::any_of(facts.unmetNeeds.begin(), facts.unmetNeeds.end(),
                                       [&](const policy::StatedNeed &n) { return n.need == need; });
        if (known || facts.hasLiveReferral(need)) continue;
        facts.unmetNeeds.push_back({need, source.envelope.messageId.value_or(""), source.type()});
    }
}

void foldFlags(policy::CaseFacts &facts, const model::AccountUpdate &update) {
    switch (update.event) {
        case model::AccountEvent::BankruptcyFiled:
            if (update.bankruptcy) facts.flags.bankruptcy = update.bankruptcy;
            break;
        case model::AccountEvent::BankruptcyDismissed: facts.flags.bankruptcy.reset(); break;
        case model::AccountEvent::ScraStatusChanged:
            if (update.scra) facts.flags.scra = update.scra;
            break;
        default: break;
    }
}

// An operator's release of one reason (a decision about the case, with no
// message): the reason stays ended for every message after it. The clock's
// C4 decisions need nothing here: the dates that ended them are in the facts.
void foldCaseDecision(policy::CaseFacts &facts, std::string_view json) {
    const std::optional<policy::Decision> decision = policy::decisionFromJson(json);
    if (!decision) return;
    const policy::FactValue *kind = decision->fact("released_kind");
    const policy::FactValue *key = decision->fact("released_key");
    if (kind == nullptr || key == nullptr || !std::holds_alternative<std::string>(*kind) ||
        !std::holds_alternative<std::string>(*key))
        return;
    if (const std::optional<policy::HoldKind> released = policy::holdKindFromString(std::get<std::string>(*kind)))
        facts.holds.remove(*released, std::get<std::string>(*key));
}

}  // namespace

void foldMessage(const config::GatewayConfig &config, policy::CaseFacts &facts, const model::Message &message,
                 const journal::MessageSummary &summary, const std::vector<journal::DeliveryInfo> &deliveries) {
    const model::Timestamp at = atMs(summary.receivedAtMs, message.envelope.occurredAt.offsetMinutes());
    // Hold reasons that ran out before this message no longer count.
    facts.holds.expire(at.localDate());
    if (config.policies) {
        // Hold reasons change as they did when the message came (C4).
        facts.holds = policy::evaluateMessage(*config.policies, facts, message, at).holds;
    }
    if (const auto *notice = std::get_if<model::DelinquencyNotice>(&message.payload)) {
        policy::CaseFacts fresh = policy::CaseFacts::fromNotice(*notice);
        fresh.openAssignments = std::move(facts.openAssignments);
        fresh.controlsSent = std::move(facts.controlsSent);
        fresh.holds = std::move(facts.holds);
        fresh.consents = std::move(facts.consents);
        fresh.referrals = std::move(facts.referrals);
        fresh.unmetNeeds = std::move(facts.unmetNeeds);
        fresh.recoveries = std::move(facts.recoveries);
        // A later notice that no longer lists the disposition notice does not unsend it.
        if (!fresh.dispositionNoticeSent ||
            (facts.dispositionNoticeSent && *fresh.dispositionNoticeSent < *facts.dispositionNoticeSent))
            fresh.dispositionNoticeSent = facts.dispositionNoticeSent;
        facts = std::move(fresh);
    } else if (const auto *order = std::get_if<model::RepossessionAssignment>(&message.payload)) {
        foldAssignment(config, facts, *order, deliveries);
    } else if (const auto *outcome = std::get_if<model::RepossessionOutcome>(&message.payload)) {
        foldOutcome(facts, *outcome, summary.sender, message.envelope.occurredAt);
        for (const model::Interaction &interaction : outcome->interactions)
            noteStatedNeeds(facts, interaction.statedNeeds, message);
    } else if (const auto *consent = std::get_if<model::Consent>(&message.payload)) {
        foldConsent(facts, *consent);
    } else if (const auto *application = std::get_if<model::HardshipApplication>(&message.payload)) {
        if (application->consent && application->consent->action == model::ConsentAction::Grant)
            noteStatedNeeds(facts, application->consent->scope, message);
    } else if (const auto *referral = std::get_if<model::Referral>(&message.payload)) {
        foldReferral(facts, *referral, deliveries);
    } else if (const auto *referralUpdate = std::get_if<model::ReferralUpdate>(&message.payload)) {
        for (policy::ReferralRecord &record : facts.referrals)
            if (record.referralId == referralUpdate->referralId) record.status = referralUpdate->status;
    } else if (const auto *update = std::get_if<model::AccountUpdate>(&message.payload)) {
        foldFlags(facts, *update);
    }
}

Result<policy::CaseFacts> loadCaseFacts(journal::Journal &journal, const config::GatewayConfig &config,
                                        std::string_view caseId) {
    auto history = journal.caseHistory(caseId);
    if (!history) return history.error();
    return foldHistory(config, history.value());
}

policy::CaseFacts foldHistory(const config::GatewayConfig &config,
                              const std::vector<journal::CaseHistoryEntry> &history) {
    policy::CaseFacts facts;
    for (const journal::CaseHistoryEntry &entry : history) {
        if (!entry.caseDecisionJson.empty()) {
            foldCaseDecision(facts, entry.caseDecisionJson);
            continue;
        }
        if (entry.canonicalJson.empty()) continue;
        auto parsed = model::parseMessage(entry.canonicalJson);
        if (!parsed.ok()) continue;  // erased by retention: it no longer says anything
        foldMessage(config, facts, *parsed.message, entry.summary, entry.deliveries);
    }
    return facts;
}

}  // namespace lendgate::lifecycle
