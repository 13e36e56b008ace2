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

AckTemplate::AckTemplate(AckSubjectInfo subject)
    : subject_(std::move(subject)), envelopeHead_(envelopeHead(subject_)) {}

void AckTemplate::preparePart(const std::vector<journal::IntakeRecord> &accepted,
                              const std::vector<journal::RejectedRecord> &rejected) {
    keys_.clear();
    keys_.reserve(accepted.size());
    for (const auto &record : accepted) {
        std::string members =
            record.idempotencyKey.empty() ? "" : ",\"idempotency_key\":" + dump(record.idempotencyKey);
        if (!record.warnings.empty()) {
            // Accepted, with what the sender must know: a policy refused or holds the order.
            ordered_json warnings = ordered_json::array();
            for (const auto &warning : record.warnings) {
                ordered_json item = errorJson(warning.field, warning.code, warning.text);
                item["severity"] = "WARNING";
                warnings.push_back(std::move(item));
            }
            members += ",\"errors\":" + dump(warnings);
        }
        keys_.emplace_back(record.recordNumber, std::move(members));
    }
    rejected_.clear();
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

void AckTemplate::appendPart(const std::vector<journal::RecordOutcome> &outcomes, std::string &records,
                             Tally &tally) const {
    // Message ids are ULIDs and counts numbers: nothing here needs escaping;
    // every partner-supplied text was escaped by preparePart().
    auto acceptedIt = outcomes.begin();
    auto rejectedIt = rejected_.begin();
    // Both lists are in record order; merge them so the ACK reads like the input.
    while (acceptedIt != outcomes.end() || rejectedIt != rejected_.end()) {
        if (!records.empty()) records += ',';
        const bool takeAccepted = rejectedIt == rejected_.end() ||
                                  (acceptedIt != outcomes.end() && acceptedIt->recordNumber < rejectedIt->first);
        if (takeAccepted) {
            ++tally.accepted;
            if (acceptedIt->duplicate) ++tally.duplicates;
            const auto key = std::lower_bound(
                keys_.begin(), keys_.end(), acceptedIt->recordNumber,
                [](const std::pair<std::uint64_t, std::string> &entry, std::uint64_t n) { return entry.first < n; });
            records += "{\"record\":" + std::to_string(acceptedIt->recordNumber) +
                       ",\"status\":\"ACCEPTED\",\"message_id\":\"" + acceptedIt->messageId + "\"" +
                       (key != keys_.end() && key->first == acceptedIt->recordNumber ? key->second : "") +
                       ",\"duplicate\":" + (acceptedIt->duplicate ? "true" : "false") + "}";
            ++acceptedIt;
        } else {
            ++tally.rejected;
            records += rejectedIt->second;
            ++rejectedIt;
        }
    }
}

void AckTemplate::absorb(const std::vector<journal::RecordOutcome> &outcomes) {
    // A string per part: one string for them all would double its buffer as
    // it grows, and a million records' ACK would briefly need three times
    // its size.
    std::string records;
    appendPart(outcomes, records, done_);
    if (!records.empty()) {
        doneBytes_ += records.size() + 1;
        doneRecords_.push_back(std::move(records));
    }
    keys_.clear();
    rejected_.clear();
}

std::string AckTemplate::render(const journal::AcceptedBatch &lastPart) const {
    std::string lastRecords;
    Tally tally = done_;
    appendPart(lastPart.records, lastRecords, tally);
    const char *status = tally.rejected == 0 ? "ACCEPTED" : tally.accepted == 0 ? "REJECTED" : "PARTIAL";
    const std::string &id = lastPart.submissionId;
    std::string doc = "{\"message_id\":\"" + id + "\"" + envelopeHead_ + ",\"idempotency_key\":\"lendgate:ack:" + id +
                      "\",\"occurred_at\":\"" + subject_.occurredAt +
                      "\",\"payload\":{\"subject\":" + dump(subjectJson(subject_, id)) + ",\"status\":\"" + status +
                      "\",\"counts\":{\"received\":" + std::to_string(tally.accepted + tally.rejected) +
                      ",\"accepted\":" + std::to_string(tally.accepted) +
                      ",\"rejected\":" + std::to_string(tally.rejected) +
                      ",\"duplicates\":" + std::to_string(tally.duplicates) + "}";
    // A large file's ACK is tens of megabytes: one allocation, no copies of the parts.
    doc.reserve(doc.size() + doneBytes_ + lastRecords.size() + 32);
    if (!doneRecords_.empty() || !lastRecords.empty()) {
        doc += ",\"records\":[";
        bool first = true;
        for (const std::string &records : doneRecords_) {
            if (!first) doc += ',';
            doc += records;
            first = false;
        }
        if (!first && !lastRecords.empty()) doc += ',';
        doc += lastRecords;
        doc += ']';
    }
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

namespace {

// Reads payload.status and stops: the ACK of a million-record file is about
// 130 MB, and a tree of it would be many times that. The gateway writes the
// status ahead of the records, so the parse ends early too.
class StatusReader final : public nlohmann::json_sax<nlohmann::json> {
public:
    std::string status;

    bool null() override { return scalar(); }
    bool boolean(bool) override { return scalar(); }
    bool number_integer(number_integer_t) override { return scalar(); }
    bool number_unsigned(number_unsigned_t) override { return scalar(); }
    bool number_float(number_float_t, const string_t &) override { return scalar(); }
    bool binary(binary_t &) override { return scalar(); }
    bool string(string_t &value) override {
        if (depth_ == 2 && inPayload_ && key_ == "status") {
            status = value;
            return false;  // found: stop reading
        }
        return scalar();
    }
    bool start_object(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_array() override { return close(); }
    bool key(string_t &name) override {
        key_ = depth_ <= 2 ? name : std::string();
        return true;
    }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }

private:
    bool scalar() {
        key_.clear();
        return true;
    }
    bool open(bool object) {
        if (depth_ == 1 && object && key_ == "payload") inPayload_ = true;
        ++depth_;
        key_.clear();
        return true;
    }
    bool close() {
        --depth_;
        if (depth_ <= 1) inPayload_ = false;
        return true;
    }
    int depth_ = 0;
    bool inPayload_ = false;
    std::string key_;
};

}  // namespace

std::string ackStatusOf(std::string_view document) {
    StatusReader reader;
    (void)nlohmann::json::sax_parse(document, &reader);
    return reader.status;
}

}  // namespace lendgate::intake
