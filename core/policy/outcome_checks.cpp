// Checks on a repo firm's outcome events: a recovery after a hold or cancel
// (C5), possible breach of the peace (C6), the personal property inventory
// (C7), a redemption before auction (C8), contact outside the allowed window
// or against restrictions (C9), and outcomes for orders the case never had (C12).
#include <algorithm>

#include "core/policy/policy_internal.h"

namespace lendgate::policy::detail {

namespace {

using model::OutcomeEvent;

void recoveredAfterControl(const PolicyConfig::AckSla &config, const CaseFacts &facts,
                           const model::RepossessionOutcome &outcome, const model::Timestamp &occurredAt,
                           const std::string &firm, std::vector<Decision> &out) {
    if (!config.enabled || outcome.event != OutcomeEvent::Recovered) return;
    // The latest control sent to this assignment before the recovery says
    // whether the firm was allowed to recover at that moment.
    const ControlSent *inForce = nullptr;
    for (const ControlSent &control : facts.controlsSent) {
        if (control.assignmentId != outcome.assignmentId || occurredAt < control.sentAt) continue;
        if (!inForce || inForce->sentAt < control.sentAt) inForce = &control;
    }
    if (!inForce || inForce->action == model::AssignmentAction::ReleaseHold) return;
    Decision d = decide("C5", Outcome::Alert,
                        "RECOVERED after a " + std::string(model::toString(inForce->action)) +
                            " was sent: possible wrongful repossession");
    d.severity = Severity::Critical;
    d.parameters.push_back(number("ack_sla_hours", config.ackSlaHours));
    d.facts.push_back(text("assignment_id", outcome.assignmentId));
    d.facts.push_back(text("control_action", std::string(model::toString(inForce->action))));
    d.facts.push_back(text("control_sent_at", inForce->sentAt.toString()));
    d.facts.push_back(boolean("control_acknowledged", inForce->ackedAt.has_value()));
    d.facts.push_back(text("recovered_at", occurredAt.toString()));
    d.firms.push_back(firm.empty() ? inForce->firm : firm);
    out.push_back(std::move(d));
}

void breachOfPeace(const PolicyConfig::BreachOfPeace &config, const model::RepossessionOutcome &outcome,
                   std::vector<Decision> &out) {
    if (!config.enabled || outcome.event != OutcomeEvent::Recovered || !outcome.recovery) return;
    const model::Recovery &r = *outcome.recovery;
    const bool review = r.debtorObjected || r.closedStructureEntered;
    Decision d = decide("C6", review ? Outcome::Flag : Outcome::Allow,
                        review ? "mandatory review: possible breach of the peace" : "no sign of a breach of the peace");
    d.facts.push_back(text("assignment_id", outcome.assignmentId));
    d.facts.push_back(boolean("debtor_objected", r.debtorObjected));
    d.facts.push_back(boolean("closed_structure_entered", r.closedStructureEntered));
    d.facts.push_back(boolean("police_involved", r.policeInvolved));
    out.push_back(std::move(d));
}

void inventory(const PolicyConfig::Inventory &config, const model::RepossessionOutcome &outcome,
               const model::Timestamp &occurredAt, std::vector<Decision> &out) {
    if (!config.enabled) return;
    if (outcome.event == OutcomeEvent::Recovered || outcome.event == OutcomeEvent::VoluntarySurrender) {
        const model::Timestamp due = model::Timestamp::fromUnix(
            occurredAt.unixSeconds() + std::int64_t{config.inventoryHours} * 3600, 0, occurredAt.offsetMinutes());
        Decision d = decide("C7", Outcome::Derive, "a personal property inventory is due");
        d.parameters.push_back(number("inventory_hours", config.inventoryHours));
        d.facts.push_back(text("assignment_id", outcome.assignmentId));
        d.facts.push_back(text("event", std::string(model::toString(outcome.event))));
        d.facts.push_back(text("inventory_due_at", due.toString()));
        out.push_back(std::move(d));
        return;
    }
    const std::int64_t withFee =
        std::count_if(outcome.personalProperty.begin(), outcome.personalProperty.end(),
                      [](const auto &item) { return item.feeCharged && !item.feeCharged->isZero(); });
    if (withFee == 0) return;
    Decision d = decide("C7", Outcome::Flag, "release of personal property conditioned on a fee");
    d.facts.push_back(text("assignment_id", outcome.assignmentId));
    d.facts.push_back(number("items_with_fee", withFee));
    out.push_back(std::move(d));
}

void redemption(const PolicyConfig::Disposition &config, const CaseFacts &facts,
                const model::RepossessionOutcome &outcome, std::vector<Decision> &out) {
    if (!config.enabled || outcome.event != OutcomeEvent::Redeemed) return;
    Decision d = decide("C8", Outcome::Cancel, "the vehicle was redeemed: the sale is cancelled");
    for (const OpenAssignment &open : facts.openAssignments) {
        if (open.orderType == model::OrderType::Auction &&
            std::find(d.firms.begin(), d.firms.end(), open.firm) == d.firms.end())
            d.firms.push_back(open.firm);
    }
    d.facts.push_back(number("open_auction_orders", static_cast<std::int64_t>(d.firms.size())));
    if (!d.firms.empty()) out.push_back(std::move(d));
}

std::string clock(int minute) {
    const int hours = (minute / 60) % 24;
    const int minutes = minute % 60;
    return std::string{static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
                       static_cast<char>('0' + minutes / 10), static_cast<char>('0' + minutes % 10)};
}

void contacts(const PolicyConfig::ContactWindow &config, const CaseFacts &facts,
              const model::RepossessionOutcome &outcome, std::vector<Decision> &out) {
    if (!config.enabled || outcome.interactions.empty()) return;
    const bool cease = facts.flags.ceaseCommunication.value_or(false);
    const bool attorney = facts.flags.attorneyRepresented.value_or(false);
    bool flagged = false;
    for (std::size_t i = 0; i < outcome.interactions.size(); ++i) {
        const model::Interaction &contact = outcome.interactions[i];
        std::vector<std::string> zones;
        const std::vector<int> seconds = localSecondsOfDay(contact.occurredAt, facts.borrowerState, zones);
        // A state spanning two zones is judged in both: the doubt goes to the borrower.
        const auto outside = std::find_if(seconds.begin(), seconds.end(), [&](int second) {
            return second < config.startMinute * 60 || second > config.endMinute * 60;
        });
        const bool restricted = (cease || attorney) && contact.party != model::InteractionParty::ThirdParty;
        if (outside == seconds.end() && !restricted) continue;
        Decision d = decide("C9", Outcome::Flag,
                            outside != seconds.end() ? "contact outside the allowed hours in the borrower's local time"
                                                     : "contact while a cease-communication or attorney flag is set");
        d.parameters.push_back(text("window_start", clock(config.startMinute)));
        d.parameters.push_back(text("window_end", clock(config.endMinute)));
        d.facts.push_back(text("assignment_id", outcome.assignmentId));
        d.facts.push_back(number("interaction", static_cast<std::int64_t>(i)));
        d.facts.push_back(text("channel", std::string(model::toString(contact.channel))));
        d.facts.push_back(text("party", std::string(model::toString(contact.party))));
        if (facts.borrowerState) d.facts.push_back(text("borrower_state", *facts.borrowerState));
        std::string zoneList;
        for (const std::string &zone : zones) zoneList += (zoneList.empty() ? "" : ",") + zone;
        d.facts.push_back(text("time_zones", zoneList));
        if (outside != seconds.end()) d.facts.push_back(text("local_time", clock(*outside / 60)));
        d.facts.push_back(boolean("cease_communication", cease));
        d.facts.push_back(boolean("attorney_represented", attorney));
        out.push_back(std::move(d));
        flagged = true;
    }
    if (!flagged) {
        Decision d = decide("C9", Outcome::Allow, "every reported contact was within the allowed hours");
        d.parameters.push_back(text("window_start", clock(config.startMinute)));
        d.parameters.push_back(text("window_end", clock(config.endMinute)));
        d.facts.push_back(number("interactions", static_cast<std::int64_t>(outcome.interactions.size())));
        out.push_back(std::move(d));
    }
}

void knownAssignment(const PolicyConfig::DataChecks &config, const CaseFacts &facts,
                     const model::RepossessionOutcome &outcome, std::vector<Decision> &out) {
    if (!config.enabled) return;
    const std::string &id = outcome.assignmentId;
    const bool known = std::any_of(facts.openAssignments.begin(), facts.openAssignments.end(),
                                   [&](const OpenAssignment &a) { return a.assignmentId == id; }) ||
                       std::any_of(facts.controlsSent.begin(), facts.controlsSent.end(),
                                   [&](const ControlSent &c) { return c.assignmentId == id; }) ||
                       std::any_of(facts.recoveries.begin(), facts.recoveries.end(),
                                   [&](const RecoveryRecord &r) { return r.assignmentId == id; });
    if (known) return;
    Decision d = decide("C12", Outcome::Flag, "the outcome names an assignment the case has no record of");
    d.facts.push_back(text("assignment_id", id));
    out.push_back(std::move(d));
}

}  // namespace

void checkOutcome(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                  std::vector<Decision> &out) {
    const auto &outcome = std::get<model::RepossessionOutcome>(message.payload);
    const model::Timestamp &occurredAt = message.envelope.occurredAt;
    const std::string firm = message.envelope.sender.value_or("");
    recoveredAfterControl(config.c5, facts, outcome, occurredAt, firm, out);
    breachOfPeace(config.c6, outcome, out);
    inventory(config.c7, outcome, occurredAt, out);
    redemption(config.c8, facts, outcome, out);
    contacts(config.c9, facts, outcome, out);
    knownAssignment(config.c12, facts, outcome, out);
}

}  // namespace lendgate::policy::detail
