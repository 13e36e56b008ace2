#include "core/intake/ack_document.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/common/redact.h"

namespace lendgate::intake {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json &value) {
    return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Subject without its reference when the input had none: the ACK then names
// itself (the submission id is known only inside the commit).
ordered_json subjectJson(const AckSubjectInfo &subject, const std::string &fallbackReference) {
    ordered_json out{{"kind", subject.isFile ? "FILE" : "REQUEST"},
                     {"reference", subject.reference.empty() ? fallbackReference : subject.reference}};
    if (!subject.sha256.empty()) out["sha256"] = subject.sha256;
    return out;
}

ordered_json errorJson(std::string_view field, std::string_view code, std::string_view text) {
    ordered_json out = ordered_json::object();
    if (!field.empty()) out["field"] = field;
    out["code"] = code;
    out["text"] = redactForLog(text, 500);
    return out;
}

std::string envelopeHead(const AckSubjectInfo &subject) {
    return ",\"message_type\":\"ack\",\"schema_version\":\"1.0\",\"sender\":" + dump(std::string(kGatewaySender)) +
           ",\"receiver\":" + dump(subject.sender);
}

}  // namespace

AckTemplate::AckTemplate(const AckSubjectInfo &subject, const std::vector<journal::IntakeRecord> &accepted,
                         const std::vector<journal::RejectedRecord> &rejected)
    : subject_(subject), envelopeHead_(envelopeHead(subject)) {
    keys_.reserve(accepted.size());
    for (const auto &record : accepted)
        keys_.emplace_back(record.recordNumber,
                           record.idempotencyKey.empty() ? "" : ",\"idempotency_key\":" + dump(record.idempotencyKey));
    rejected_.reserve(rejected.size());
    for (const auto &record : rejected) {
        ordered_json errors = ordered_json::array();
        for (const auto &reason : record.reasons) errors.push_back(errorJson(reason.field, reason.code, reason.text));
        ordered_json rendered{{"record", record.recordNumber}, {"status", "REJECTED"}};
        if (!record.idempotencyKey.empty()) rendered["idempotency_key"] = record.idempotencyKey;
        rendered["errors"] = errors;
        rejected_.emplace_back(record.recordNumber, dump(rendered));
    }
}

std::string AckTemplate::render(const journal::AcceptedBatch &accepted) const {
    // Message and submission ids are ULIDs, counts are numbers: nothing here
    // needs escaping; every partner-supplied text was escaped by the constructor.
    std::string records;
    records.reserve(accepted.records.size() * 120 + rejected_.size() * 160);
    std::int64_t duplicates = 0;
    auto acceptedIt = accepted.records.begin();
    auto rejectedIt = rejected_.begin();
    // Both lists are in record order; merge them so the ACK reads like the input.
    while (acceptedIt != accepted.records.end() || rejectedIt != rejected_.end()) {
        if (!records.empty()) records += ',';
        const bool takeAccepted = rejectedIt == rejected_.end() || (acceptedIt != accepted.records.end() &&
                                                                    acceptedIt->recordNumber < rejectedIt->first);
        if (takeAccepted) {
            if (acceptedIt->duplicate) ++duplicates;
            const auto key = std::lower_bound(
                keys_.begin(), keys_.end(), acceptedIt->recordNumber,
                [](const std::pair<std::uint64_t, std::string> &entry, std::uint64_t n) { return entry.first < n; });
            records += "{\"record\":" + std::to_string(acceptedIt->recordNumber) +
                       ",\"status\":\"ACCEPTED\",\"message_id\":\"" + acceptedIt->messageId + "\"" +
                       (key != keys_.end() && key->first == acceptedIt->recordNumber ? key->second : "") +
                       ",\"duplicate\":" + (acceptedIt->duplicate ? "true" : "false") + "}";
            ++acceptedIt;
        } else {
            records += rejectedIt->second;
            ++rejectedIt;
        }
    }
    const auto acceptedCount = static_cast<std::int64_t>(accepted.records.size());
    const auto rejectedCount = static_cast<std::int64_t>(rejected_.size());
    const char *status = rejectedCount == 0 ? "ACCEPTED" : acceptedCount == 0 ? "REJECTED" : "PARTIAL";
    const std::string &id = accepted.submissionId;
    std::string doc = "{\"message_id\":\"" + id + "\"" + envelopeHead_ + ",\"idempotency_key\":\"lendgate:ack:" + id +
                      "\",\"occurred_at\":\"" + subject_.occurredAt +
                      "\",\"payload\":{\"subject\":" + dump(subjectJson(subject_, id)) + ",\"status\":\"" + status +
                      "\",\"counts\":{\"received\":" + std::to_string(acceptedCount + rejectedCount) +
                      ",\"accepted\":" + std::to_string(acceptedCount) +
                      ",\"rejected\":" + std::to_string(rejectedCount) +
                      ",\"duplicates\":" + std::to_string(duplicates) + "}";
    if (!records.empty()) doc += ",\"records\":[" + records + "]";
    doc += "}}";
    return doc;
}

std::string inputRejectedAck(const AckSubjectInfo &subject, const std::string &ackId, std::string_view code,
                             std::string_view text) {
    ordered_json error = errorJson({}, code, text);
    error["severity"] = "ERROR";
    ordered_json doc{{"message_id", ackId},
                     {"message_type", "ack"},
                     {"schema_version", "1.0"},
                     {"sender", kGatewaySender},
                     {"receiver", subject.sender},
                     {"idempotency_key", "lendgate:ack:" + ackId},
                     {"occurred_at", subject.occurredAt},
                     {"payload",
                      {{"subject", subjectJson(subject, ackId)},
                       {"status", "REJECTED"},
                       {"counts", {{"received", 0}, {"accepted", 0}, {"rejected", 0}}},
                       {"errors", ordered_json::array({error})}}}};
    return dump(doc);
}

std::string ackStatusOf(std::string_view document) {
    auto doc = nlohmann::json::parse(document, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return {};
    const auto payload = doc.find("payload");
    if (payload == doc.end() || !payload->is_object()) return {};
    const auto status = payload->find("status");
    return status != payload->end() && status->is_string() ? status->get<std::string>() : std::string();
}

}  // namespace lendgate::intake
