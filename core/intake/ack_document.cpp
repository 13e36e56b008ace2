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

std::string buildAck(const AckSubjectInfo &subject, const journal::AcceptedBatch &accepted,
                     const std::vector<journal::RejectedRecord> &rejected) {
    ordered_json records = ordered_json::array();
    std::int64_t duplicates = 0;
    auto acceptedIt = accepted.records.begin();
    auto rejectedIt = rejected.begin();
    // Both lists are in record order; merge them so the ACK reads like the input.
    while (acceptedIt != accepted.records.end() || rejectedIt != rejected.end()) {
        const bool takeAccepted = rejectedIt == rejected.end() || (acceptedIt != accepted.records.end() &&
                                                                   acceptedIt->recordNumber < rejectedIt->recordNumber);
        if (takeAccepted) {
            if (acceptedIt->duplicate) ++duplicates;
            records.push_back({{"record", acceptedIt->recordNumber},
                               {"status", "ACCEPTED"},
                               {"message_id", acceptedIt->messageId},
                               {"duplicate", acceptedIt->duplicate}});
            ++acceptedIt;
        } else {
            ordered_json errors = ordered_json::array();
            for (const auto &reason : rejectedIt->reasons)
                errors.push_back(errorJson(reason.field, reason.code, reason.text));
            records.push_back({{"record", rejectedIt->recordNumber}, {"status", "REJECTED"}, {"errors", errors}});
            ++rejectedIt;
        }
    }
    const auto acceptedCount = static_cast<std::int64_t>(accepted.records.size());
    const auto rejectedCount = static_cast<std::int64_t>(rejected.size());
    const char *status = rejectedCount == 0 ? "ACCEPTED" : acceptedCount == 0 ? "REJECTED" : "PARTIAL";
    ordered_json doc{{"ack_id", accepted.submissionId},
                     {"sender", subject.sender},
                     {"subject", subjectJson(subject)},
                     {"status", status},
                     {"counts",
                      {{"received", acceptedCount + rejectedCount},
                       {"accepted", acceptedCount},
                       {"rejected", rejectedCount},
                       {"duplicates", duplicates}}},
                     {"records", records},
                     {"errors", ordered_json::array()}};
    return doc.dump();
}

std::string inputRejectedAck(const AckSubjectInfo &subject, std::string_view code, std::string_view text) {
    ordered_json doc{{"ack_id", nullptr},
                     {"sender", subject.sender},
                     {"subject", subjectJson(subject)},
                     {"status", "REJECTED"},
                     {"counts", {{"received", 0}, {"accepted", 0}, {"rejected", 0}, {"duplicates", 0}}},
                     {"records", ordered_json::array()},
                     {"errors", ordered_json::array({errorJson({}, code, text)})}};
    return doc.dump();
}

std::string ackStatusOf(std::string_view document) {
    auto doc = nlohmann::json::parse(document, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) return {};
    return doc["status"].get<std::string>();
}

}  // namespace lendgate::intake
