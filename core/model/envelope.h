// The envelope every canonical message travels in, and the field errors that
// validation reports.
#ifndef LENDGATE_MODEL_ENVELOPE_H
#define LENDGATE_MODEL_ENVELOPE_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/calendar.h"
#include "core/model/enum_names.h"

namespace lendgate::model {

/// The only schema_version this model reads and writes.
inline constexpr std::string_view kSchemaVersion = "1.0";

enum class MessageType {
    DelinquencyNotice,
    AccountUpdate,
    HardshipApplication,
    HardshipDecision,
    Consent,
    RepossessionAssignment,
    RepossessionOutcome,
    Referral,
    ReferralUpdate,
    Ack,
};
LENDGATE_MODEL_ENUM_NAMES(MessageType, {{MessageType::DelinquencyNotice, "delinquency_notice"},
                                        {MessageType::AccountUpdate, "account_update"},
                                        {MessageType::HardshipApplication, "hardship_application"},
                                        {MessageType::HardshipDecision, "hardship_decision"},
                                        {MessageType::Consent, "consent"},
                                        {MessageType::RepossessionAssignment, "repossession_assignment"},
                                        {MessageType::RepossessionOutcome, "repossession_outcome"},
                                        {MessageType::Referral, "referral"},
                                        {MessageType::ReferralUpdate, "referral_update"},
                                        {MessageType::Ack, "ack"}});

/// "delinquency_notice" → MessageType::DelinquencyNotice; exact match only.
constexpr std::optional<MessageType> messageTypeFromString(std::string_view name) noexcept {
    return enumFromString<MessageType>(name);
}

/// One problem with one field. `message` names the field and the rule but
/// never contains the field's value, so errors can go to logs and ACKs.
struct FieldError {
    std::string pointer;  ///< JSON Pointer of the field, e.g. "/payload/collateral/vin"
    std::string code;     ///< stable token: required, type, enum, format, date_order, ...
    std::string message;  ///< one sentence for a person

    bool operator==(const FieldError &) const = default;
};

/// A partner's own reference for the message or its subject, e.g. a repo
/// firm's case number: {"partner": "valley_recovery", "kind": "case_number", "value": "VRC-88120"}.
struct PartnerRef {
    std::string partner;  ///< partner id
    std::string kind;     ///< lower-case token
    std::string value;

    bool operator==(const PartnerRef &) const = default;
};

/// Routing and identity of a message. The message type is not stored here:
/// it is the type of Message::payload, so the two cannot disagree. Fields the
/// gateway assigns (messageId, sender, receiver, caseId, causationId,
/// receivedAt) are optional when a plugin decodes a record.
struct Envelope {
    std::optional<std::string> messageId;  ///< ULID
    std::string schemaVersion = std::string(kSchemaVersion);
    std::optional<std::string> sender;       ///< partner id
    std::optional<std::string> receiver;     ///< partner id, after routing
    std::optional<std::string> caseId;       ///< ULID of the delinquency episode
    std::optional<std::string> causationId;  ///< ULID of the message that caused this one
    std::string idempotencyKey;              ///< the sender's own id for the record
    Timestamp occurredAt;
    std::optional<Timestamp> receivedAt;
    std::vector<PartnerRef> partnerRefs;

    bool operator==(const Envelope &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_ENVELOPE_H
