// Decisions into actions: what the journal records with an incoming message.
#include "core/lifecycle/case_policy.h"

#include <algorithm>

#include "core/policy/decision.h"
#include "core/policy/policies.h"

namespace lendgate::lifecycle {
namespace {

using model::AssignmentAction;
using policy::Outcome;

// Why the gateway sends a control, in the firm's terms.
model::AssignmentReason reasonFor(const policy::Decision &decision, const model::Message &trigger) {
    if (decision.policyId == "C2") return model::AssignmentReason::Bankruptcy;
    if (const auto *update = std::get_if<model::AccountUpdate>(&trigger.payload)) {
        switch (update->event) {
            case model::AccountEvent::PaymentPosted: return model::AssignmentReason::Payment;
            case model::AccountEvent::ArrangementMade:
            case model::AccountEvent::ArrangementKept:
            case model::AccountEvent::ArrangementBroken: return model::AssignmentReason::Arrangement;
            case model::AccountEvent::Cured: return model::AssignmentReason::Cured;
            case model::AccountEvent::PaidOff: return model::AssignmentReason::PaidOff;
            case model::AccountEvent::BankruptcyFiled: return model::AssignmentReason::Bankruptcy;
            default: return model::AssignmentReason::Other;
        }
    }
    if (std::holds_alternative<model::HardshipApplication>(trigger.payload) ||
        std::holds_alternative<model::HardshipDecision>(trigger.payload))
        return model::AssignmentReason::Hardship;
    if (std::holds_alternative<model::DelinquencyNotice>(trigger.payload)) return model::AssignmentReason::Arrangement;
    return model::AssignmentReason::Other;
}

std::string lowerCase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isNewOrder(const model::Message &message) {
    const auto *order = std::get_if<model::RepossessionAssignment>(&message.payload);
    return order != nullptr && order->action == AssignmentAction::New;
}

std::optional<AssignmentAction> controlFor(const policy::Decision &decision) {
    switch (decision.outcome) {
        case Outcome::Hold: return AssignmentAction::Hold;
        case Outcome::Cancel: return AssignmentAction::Cancel;
        case Outcome::Release: return AssignmentAction::ReleaseHold;
        default: return std::nullopt;
    }
}

journal::IntakeRecord controlRecord(const policy::Decision &decision, const ControlCause &cause,
                                    const policy::OpenAssignment &assignment, AssignmentAction action,
                                    const model::Timestamp &now, journal::UlidGenerator &ulids) {
    model::Message message;
    auto &envelope = message.envelope;
    envelope.messageId = ulids.next();
    envelope.sender = std::string(kGatewaySender);
    envelope.caseId = cause.caseId;
    envelope.causationId = cause.causationId;
    // One control per cause and assignment: a resent cause is a duplicate
    // and sends nothing, and the key tells the firm what caused it.
    envelope.idempotencyKey =
        "gateway:" + lowerCase(model::toString(action)) + ":" + cause.keyStem + ":" + assignment.assignmentId;
    envelope.occurredAt = now;
    envelope.receivedAt = now;
    model::RepossessionAssignment order;
    order.assignmentId = assignment.assignmentId;
    order.action = action;
    order.orderType = assignment.orderType;
    order.reason = cause.reason;
    message.payload = std::move(order);

    journal::IntakeRecord record;
    record.messageType = std::string(model::toString(model::MessageType::RepossessionAssignment));
    record.sender = std::string(kGatewaySender);
    record.idempotencyKey = envelope.idempotencyKey;
    record.caseId = envelope.caseId;
    record.causationId = envelope.causationId;
    record.messageId = envelope.messageId;
    record.body = model::toCanonicalJson(message);
    // HOLD and CANCEL pass a dead letter and never dead-letter themselves
    // (ARCHITECTURE.md, delivery semantics); a RELEASE_HOLD is ordinary.
    const bool critical = action != AssignmentAction::ReleaseHold;
    record.routes.push_back({assignment.firm, "policy:" + decision.policyId, critical, {}});
    return record;
}

}  // namespace

std::vector<journal::IntakeRecord> controlsFor(const policy::Decision &decision, const policy::CaseFacts &facts,
                                               const ControlCause &cause, const model::Timestamp &now,
                                               journal::UlidGenerator &ulids) {
    std::vector<journal::IntakeRecord> controls;
    const auto action = controlFor(decision);
    if (!action) return controls;
    for (const std::string &firm : decision.firms) {
        for (const policy::OpenAssignment &assignment : facts.openAssignments) {
            if (assignment.firm != firm) continue;
            // A CANCEL of auction orders (C8) concerns those alone.
            if (decision.policyId == "C8" && assignment.orderType != model::OrderType::Auction) continue;
            controls.push_back(controlRecord(decision, cause, assignment, *action, now, ulids));
        }
    }
    return controls;
}

Result<CaseChangeWritten> journalCaseChange(journal::Journal &journal, const CaseChange &change,
                                            const policy::CaseFacts &facts, const model::Timestamp &now,
                                            journal::UlidGenerator &ulids) {
    journal::IntakeBatch batch;
    batch.sender = std::string(kGatewaySender);
    batch.channel = change.channel;
    batch.idempotencyKey = change.idempotencyKey;
    batch.bodyHash = change.idempotencyKey;
    batch.receivedAtMs = now.unixSeconds() * 1000 + now.nanos() / 1000000;
    batch.caseId = change.caseId;
    batch.releasesHeldOf = change.releasesHeldOf;
    for (const policy::Decision &decision : change.decisions) {
        batch.caseDecisions.push_back(
            {decision.policyId, std::string(policy::toString(decision.outcome)), policy::toJson(decision)});
        if (decision.outcome == policy::Outcome::Release) batch.releasesHeld = true;
        for (journal::IntakeRecord &control : controlsFor(decision, facts, change.cause, now, ulids)) {
            control.recordNumber = batch.records.size() + 1;
            batch.records.push_back(std::move(control));
        }
    }
    auto accepted = journal.accept(batch);
    if (!accepted) return accepted.error();
    return CaseChangeWritten{accepted.value().disposition == journal::AcceptDisposition::Accepted,
                             batch.records.size()};
}

journal::AlertRecord alertOf(const policy::Decision &decision, std::string_view caseId, std::string dedupeKey) {
    journal::AlertRecord alert;
    alert.kind = "policy:" + decision.policyId;
    alert.severity = decision.severity == policy::Severity::Critical ? "critical" : "warning";
    alert.dedupeKey = std::move(dedupeKey);
    alert.caseId = std::string(caseId);
    if (!decision.firms.empty()) alert.partner = decision.firms.front();
    alert.text = decision.reason;
    alert.detail = policy::toJson(decision);
    return alert;
}

namespace {

std::optional<model::Metro2Codes> metro2Of(const model::RepossessionOutcome &outcome, const policy::CaseFacts &facts) {
    using model::OutcomeEvent;
    model::Metro2Codes codes;
    switch (outcome.event) {
        case OutcomeEvent::Recovered: codes.accountStatus = model::Metro2Status::Repossession; break;
        case OutcomeEvent::VoluntarySurrender: codes.accountStatus = model::Metro2Status::VoluntarySurrender; break;
        case OutcomeEvent::Redeemed:
        case OutcomeEvent::Reinstated: {
            const bool surrendered =
                std::any_of(facts.recoveries.begin(), facts.recoveries.end(), [&](const policy::RecoveryRecord &r) {
                    return r.assignmentId == outcome.assignmentId && r.event == OutcomeEvent::VoluntarySurrender;
                });
            codes.specialComment =
                surrendered ? model::Metro2Comment::SurrenderedThenRedeemed : model::Metro2Comment::Redeemed;
            break;
        }
        default: return std::nullopt;
    }
    const bool activeDuty = facts.flags.scra && facts.flags.scra->status == model::ScraStatus::Active;
    if (activeDuty && !codes.specialComment) codes.specialComment = model::Metro2Comment::RecalledToActiveDuty;
    return codes;
}

}  // namespace

void markOutcome(model::RepossessionOutcome &outcome, const policy::CaseFacts &facts,
                 const std::vector<journal::AlertRecord> &alerts) {
    outcome.complianceAlerts.clear();
    for (const journal::AlertRecord &alert : alerts) {
        const std::string_view kind = alert.kind;
        model::ComplianceAlert mark;
        mark.policyId = std::string(kind.starts_with("policy:") ? kind.substr(7) : kind);
        mark.severity = alert.severity == "critical" ? model::AlertSeverity::Critical : model::AlertSeverity::Warning;
        mark.text = alert.text;
        outcome.complianceAlerts.push_back(std::move(mark));
    }
    outcome.metro2 = metro2Of(outcome, facts);
}

bool markOrder(model::RepossessionAssignment &order, const policy::CaseFacts &facts) {
    model::ContactFlags flags = order.contactFlags.value_or(model::ContactFlags{});
    const model::ContactFlags before = flags;
    if (facts.flags.ceaseCommunication.value_or(false)) flags.ceaseCommunication = true;
    if (facts.flags.attorneyRepresented.value_or(false)) flags.attorneyRepresented = true;
    if (order.contactFlags && flags == before) return false;
    if (!order.contactFlags && flags == model::ContactFlags{}) return false;
    order.contactFlags = flags;
    return true;
}

PolicyActions applyPolicies(const policy::PolicyConfig &policies, const policy::CaseFacts &facts,
                            const model::Message &message, std::int64_t nowMs, journal::UlidGenerator &ulids) {
    const model::Timestamp now = model::Timestamp::fromUnix(
        nowMs / 1000, static_cast<std::uint32_t>(nowMs % 1000) * 1000000u, message.envelope.occurredAt.offsetMinutes());
    const policy::Evaluation evaluation = policy::evaluateMessage(policies, facts, message, now);
    PolicyActions actions;
    const bool newOrder = isNewOrder(message);
    for (const policy::Decision &decision : evaluation.decisions) {
        actions.decisions.push_back(
            {decision.policyId, std::string(policy::toString(decision.outcome)), policy::toJson(decision)});
        if (decision.outcome == Outcome::Alert)
            actions.alerts.push_back(alertOf(decision, message.envelope.caseId.value_or("")));
        if (decision.outcome == Outcome::Derive && decision.policyId == "C9") actions.derivesContactFlags = true;
        if (newOrder) {
            if (decision.outcome == Outcome::Refuse) {
                actions.refused = true;
                actions.warnings.push_back(
                    {"/payload", "policy_refused",
                     decision.policyId + ": " + decision.reason + "; the order is journaled and sent to no firm"});
            }
            if (decision.outcome == Outcome::Hold) {
                if (actions.heldBy.empty()) actions.heldBy = decision.policyId + ": " + decision.reason;
                actions.warnings.push_back(
                    {"/payload", "policy_held",
                     decision.policyId + ": " + decision.reason + "; the order waits until the hold ends"});
            }
            continue;
        }
        if (decision.outcome == Outcome::Release && decision.policyId == "C4") actions.releasesHeld = true;
        const ControlCause cause{message.envelope.caseId, message.envelope.messageId,
                                 message.envelope.messageId.value_or(""), reasonFor(decision, message)};
        for (journal::IntakeRecord &control : controlsFor(decision, facts, cause, now, ulids))
            actions.controls.push_back(std::move(control));
    }
    if (actions.refused) {
        // Refused is final: what would have held it does not matter.
        actions.heldBy.clear();
        std::erase_if(actions.warnings, [](const journal::RejectReason &w) { return w.code == "policy_held"; });
    }
    return actions;
}

}  // namespace lendgate::lifecycle
