#include "core/intake/ack_document.h"

#include <nlohmann/json.hpp>

#include "core/common/redact.h"

namespace lendgate::intake {
namespace {

using nlohmann::ordered_json;

ordered_json subjectJson(const AckSubjectInfo &subject) {
    ordered_json out{{"kind", subject.isFile ? "FILE" : "REQUEST"}};
    if (!subject.reference.empty()) out["reference"] = subject.reference;
    if (!subject.sha256.empty()) out["sha256"] = subject.sha256;
    return out;
}

ordered_json errorJson(std::string_view field, std::string_view code, std::string_view text) {
    ordered_json out = ordered_json::object();
    if (!field.empty()) out["field"] = field;
    out["code"] = code;
    out["text"] = redactForLog(text);
    return out;
}

}  // namespace

AckTemplate::AckTemplate(const AckSubjectInfo &subject, const std::vector<journal::RejectedRecord> &rejected) {
    const std::string sender =
        ordered_json(subject.sender).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    senderAndSubject_ = ",\"sender\":" + sender + ",\"subject\":" +
                        subjectJson(subject).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    rejected_.reserve(rejected.size());
    for (const auto &record : rejected) {
        ordered_json errors = ordered_json::array();
        for (const auto &reason : record.reasons) errors.push_back(errorJson(reason.field, reason.code, reason.text));
        ordered_json rendered{{"record", record.recordNumber}, {"status", "REJECTED"}, {"errors", errors}};
        rejected_.emplace_back(record.recordNumber,
                               rendered.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
    }
}

std::string AckTemplate::render(const journal::AcceptedBatch &accepted) const {
    // Message and submission ids are ULIDs, counts are numbers: nothing here
    // needs escaping; every partner-supplied text was escaped by the constructor.
    std::string records;
    records.reserve(accepted.records.size() * 80 + rejected_.size() * 120);
    std::int64_t duplicates = 0;
    auto acceptedIt = accepted.records.begin();
    auto rejectedIt = rejected_.begin();
    bool first = true;
    // Both lists are in record order; merge them so the ACK reads like the input.
    while (acceptedIt != accepted.records.end() || rejectedIt != rejected_.end()) {
        if (!first) records += ',';
        first = false;
        const bool takeAccepted = rejectedIt == rejected_.end() || (acceptedIt != accepted.records.end() &&
                                                                    acceptedIt->recordNumber < rejectedIt->first);
        if (takeAccepted) {
            if (acceptedIt->duplicate) ++duplicates;
            records += "{\"record\":" + std::to_string(acceptedIt->recordNumber) +
                       ",\"status\":\"ACCEPTED\",\"message_id\":\"" + acceptedIt->messageId +
                       "\",\"duplicate\":" + (acceptedIt->duplicate ? "true" : "false") + "}";
            ++acceptedIt;
        } else {
            records += rejectedIt->second;
            ++rejectedIt;
        }
    }
    const auto acceptedCount = static_cast<std::int64_t>(accepted.records.size());
    const auto rejectedCount = static_cast<std::int64_t>(rejected_.size());
    const char *status = rejectedCount == 0 ? "ACCEPTED" : acceptedCount == 0 ? "REJECTED" : "PARTIAL";
    std::string doc = "{\"ack_id\":\"" + accepted.submissionId + "\"" + senderAndSubject_ + ",\"status\":\"" + status +
                      "\",\"counts\":{\"received\":" + std::to_string(acceptedCount + rejectedCount) +
                      ",\"accepted\":" + std::to_string(acceptedCount) +
                      ",\"rejected\":" + std::to_string(rejectedCount) +
                      ",\"duplicates\":" + std::to_string(duplicates) + "},\"records\":[";
    doc += records;
    doc += "],\"errors\":[]}";
    return doc;
}

std::string buildAck(const AckSubjectInfo &subject, const journal::AcceptedBatch &accepted,
                     const std::vector<journal::RejectedRecord> &rejected) {
    return AckTemplate(subject, rejected).render(accepted);
}

std::string inputRejectedAck(const AckSubjectInfo &subject, std::string_view code, std::string_view text) {
    ordered_json doc{{"ack_id", nullptr},
                     {"sender", subject.sender},
                     {"subject", subjectJson(subject)},
                     {"status", "REJECTED"},
                     {"counts", {{"received", 0}, {"accepted", 0}, {"rejected", 0}, {"duplicates", 0}}},
                     {"records", ordered_json::array()},
                     {"errors", ordered_json::array({errorJson({}, code, text)})}};
    return doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string ackStatusOf(std::string_view document) {
    auto doc = nlohmann::json::parse(document, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) return {};
    return doc["status"].get<std::string>();
}

}  // namespace lendgate::intake
