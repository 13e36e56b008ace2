// The journal's records as JSON, one shape for every reader: the admin API,
// the partner API and the CLI print the same fields under the same names.
#ifndef LENDGATE_API_JOURNAL_VIEWS_H
#define LENDGATE_API_JOURNAL_VIEWS_H

#include <nlohmann/json_fwd.hpp>

#include "core/journal/journal.h"

namespace lendgate::api {

nlohmann::ordered_json summaryJson(const journal::MessageSummary &summary);
nlohmann::ordered_json deliveryJson(const journal::DeliveryInfo &delivery);
nlohmann::ordered_json eventJson(const journal::JournalEvent &event);
/// A policy decision as the auditor reads it: when, about which message, and
/// the decision itself (policy, outcome, parameters, facts, reason, firms).
nlohmann::ordered_json decisionJson(const journal::CaseDecision &decision);
/// An alert: {"alert_id", "at_ms", "raised_at", "kind", "severity",
/// "case_id"?, "message_id"?, "partner"?, "delivery_id"?, "text", "detail"?,
/// "acknowledged_at"?, "acknowledged_by"?}. Alerts hold no personal data.
nlohmann::ordered_json alertJson(const journal::Alert &alert);
/// A case's messages, events, policy decisions and alerts, each in order.
nlohmann::ordered_json timelineJson(std::string_view caseId, const journal::CaseTimeline &timeline);

}  // namespace lendgate::api

#endif  // LENDGATE_API_JOURNAL_VIEWS_H
