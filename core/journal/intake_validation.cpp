#include "core/journal/intake_validation.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/journal/ulid.h"

namespace lendgate::journal {
namespace {

constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kMaxKeyBytes = 256;

Error failure(std::string_view code, std::string message) { return Error{std::string(code), std::move(message)}; }

/// What is wrong with a text field, as the end of a sentence; nullopt if fine.
std::optional<std::string> problem(std::string_view value, std::size_t maxBytes, bool required) {
    if (value.empty()) return required ? std::optional<std::string>("is empty") : std::nullopt;
    if (value.size() > maxBytes) return "is longer than " + std::to_string(maxBytes) + " bytes";
    if (std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        return "contains control characters";
    }
    return std::nullopt;
}

}  // namespace

// Messages are built only on failure: this runs for every record of a bulk file.
std::optional<Error> validateIntakeBatch(const IntakeBatch &batch) {
    auto invalid = [](std::string message) { return failure(errc::kInvalidArgument, std::move(message)); };
    if (auto p = problem(batch.sender, kMaxIdBytes, true)) return invalid("sender " + *p);
    if (auto p = problem(batch.idempotencyKey, kMaxKeyBytes, false)) return invalid("idempotency key " + *p);
    if (auto p = problem(batch.channel, kMaxIdBytes, batch.continuation.empty())) return invalid("channel " + *p);
    if (batch.continuation.empty() && batch.bodyHash.empty() && !batch.blob) {
        return invalid("a batch needs a body hash or a blob");
    }
    if (batch.blob && !batch.bodyHash.empty() && batch.bodyHash != batch.blob->contentId()) {
        return invalid("the body hash is not the blob's content id");
    }
    for (const IntakeRecord &record : batch.records) {
        auto at = [&](std::string_view field, const std::string &what) {
            return invalid("record " + std::to_string(record.recordNumber) + ": " + std::string(field) + " " + what);
        };
        if (record.recordNumber == 0) return invalid("record numbers start at 1");
        if (auto p = problem(record.messageType, kMaxIdBytes, true)) return at("message type", *p);
        if (auto p = problem(record.idempotencyKey, kMaxKeyBytes, true)) return at("idempotency key", *p);
        if (auto p = problem(record.caseId.value_or(""), kMaxIdBytes, false)) return at("case id", *p);
        if (auto p = problem(record.causationId.value_or(""), kMaxIdBytes, false)) return at("causation id", *p);
        if (record.messageId && !isUlidText(*record.messageId)) return at("message id", "is not a ULID");
        if (record.slice.has_value() == !record.body.empty()) {
            return at("body", "needs exactly one of a body and a blob slice");
        }
        if (record.slice && (!batch.blob || record.slice->offset > batch.blob->size() ||
                             record.slice->length > batch.blob->size() - record.slice->offset)) {
            return at("blob slice", "is outside the batch's blob");
        }
        for (const Route &route : record.routes) {
            if (auto p = problem(route.destination, kMaxIdBytes, true)) return at("route destination", *p);
        }
    }
    for (const RejectedRecord &rejected : batch.rejected) {
        if (rejected.recordNumber == 0) return invalid("record numbers start at 1");
    }
    return std::nullopt;
}

}  // namespace lendgate::journal
