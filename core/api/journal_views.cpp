#include "core/api/journal_views.h"

#include <nlohmann/json.hpp>

#include "core/model/calendar.h"

namespace lendgate::api {

using nlohmann::ordered_json;

ordered_json summaryJson(const journal::MessageSummary &s) {
    ordered_json out{
        {"message_id", s.messageId},           {"message_type", s.messageType},      {"sender", s.sender},
        {"idempotency_key", s.idempotencyKey}, {"submission_id", s.submissionId},    {"record", s.recordNumber},
        {"received_at_ms", s.receivedAtMs},    {"state", journal::toString(s.state)}};
    if (!s.caseId.empty()) out["case_id"] = s.caseId;
    if (!s.causationId.empty()) out["causation_id"] = s.causationId;
    return out;
}

ordered_json deliveryJson(const journal::DeliveryInfo &d) {
    ordered_json out{{"delivery_id", d.deliveryId},
                     {"message_id", d.messageId},
                     {"message_type", d.messageType},
                     {"destination", d.destination},
                     {"queue", d.queueKey},
                     {"critical", d.critical},
                     {"rule_id", d.ruleId},
                     {"state", journal::toString(d.state)},
                     {"attempts", d.attempts},
                     {"last_status", d.lastStatus},
                     {"last_error", d.lastError},
                     {"created_at_ms", d.createdAtMs},
                     {"next_attempt_at_ms", d.nextAttemptAtMs},
                     {"delivered_at_ms", d.deliveredAtMs}};
    if (!d.heldBy.empty()) out["held_by"] = d.heldBy;
    return out;
}

ordered_json decisionJson(const journal::CaseDecision &d) {
    ordered_json out{{"at_ms", d.atMs}};
    if (!d.messageId.empty()) out["message_id"] = d.messageId;
    out["policy_id"] = d.decision.policyId;
    out["outcome"] = d.decision.outcome;
    out["decision"] = ordered_json::parse(d.decision.json, nullptr, false);
    return out;
}

ordered_json timelineJson(std::string_view caseId, const journal::CaseTimeline &timeline) {
    ordered_json messages = ordered_json::array(), events = ordered_json::array(), decisions = ordered_json::array();
    for (const auto &m : timeline.messages) messages.push_back(summaryJson(m));
    for (const auto &e : timeline.events) events.push_back(eventJson(e));
    for (const auto &d : timeline.decisions) decisions.push_back(decisionJson(d));
    ordered_json alerts = ordered_json::array();
    for (const auto &a : timeline.alerts) alerts.push_back(alertJson(a));
    return ordered_json{
        {"case_id", caseId}, {"messages", messages}, {"events", events}, {"decisions", decisions}, {"alerts", alerts}};
}

namespace {

std::string rfc3339(std::int64_t ms) {
    return model::Timestamp::fromUnix(ms / 1000, static_cast<std::uint32_t>(ms % 1000) * 1000000u, 0).toString();
}

}  // namespace

ordered_json alertJson(const journal::Alert &alert) {
    const journal::AlertRecord &r = alert.record;
    ordered_json out{{"alert_id", alert.alertId},
                     {"at_ms", r.atMs},
                     {"raised_at", rfc3339(r.atMs)},
                     {"kind", r.kind},
                     {"severity", r.severity}};
    if (!r.caseId.empty()) out["case_id"] = r.caseId;
    if (!r.messageId.empty()) out["message_id"] = r.messageId;
    if (!r.partner.empty()) out["partner"] = r.partner;
    if (r.deliveryId != 0) out["delivery_id"] = r.deliveryId;
    out["text"] = r.text;
    if (!r.detail.empty()) {
        auto detail = ordered_json::parse(r.detail, nullptr, false);
        if (!detail.is_discarded()) out["detail"] = std::move(detail);
    }
    if (alert.acknowledgedAtMs != 0) {
        out["acknowledged_at"] = rfc3339(alert.acknowledgedAtMs);
        out["acknowledged_by"] = alert.acknowledgedBy;
    }
    return out;
}

ordered_json eventJson(const journal::JournalEvent &e) {
    ordered_json out{{"event_id", e.eventId}, {"at_ms", e.atMs}, {"kind", journal::toString(e.kind)}};
    if (!e.submissionId.empty()) out["submission_id"] = e.submissionId;
    if (!e.messageId.empty()) out["message_id"] = e.messageId;
    if (e.deliveryId != 0) out["delivery_id"] = e.deliveryId;
    if (e.recordCount != 0) out["records"] = {e.firstRecord, e.lastRecord, e.recordCount};
    if (!e.destination.empty()) out["destination"] = e.destination;
    if (!e.ruleId.empty()) out["rule_id"] = e.ruleId;
    if (e.status != 0) out["status"] = e.status;
    if (e.latencyMs >= 0) out["latency_ms"] = e.latencyMs;
    if (!e.detail.empty()) out["detail"] = e.detail;
    return out;
}

}  // namespace lendgate::api
