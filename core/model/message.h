// The canonical message: parse it strictly from JSON, write it back canonically.
//
// This is the door of core/model. The JSON library stays behind it (in the
// .cpp files), so including the model costs no JSON headers and no JSON type
// can leak into the rest of the core.
#ifndef LENDGATE_MODEL_MESSAGE_H
#define LENDGATE_MODEL_MESSAGE_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/model/ack.h"
#include "core/model/envelope.h"
#include "core/model/hardship.h"
#include "core/model/lending.h"
#include "core/model/referral.h"
#include "core/model/repossession.h"

namespace lendgate::model {

/// One alternative per MessageType, in the same order, so the index of the
/// alternative is the message type.
using Payload = std::variant<DelinquencyNotice, AccountUpdate, HardshipApplication, HardshipDecision, Consent,
                             RepossessionAssignment, RepossessionOutcome, Referral, ReferralUpdate, Ack>;

struct Message {
    Envelope envelope;
    Payload payload;

    MessageType type() const noexcept { return static_cast<MessageType>(payload.index()); }

    bool operator==(const Message &) const = default;
};

/// At most this many errors are reported for one record; the last one is then
/// a "too_many_errors" marker.
inline constexpr std::size_t kMaxFieldErrors = 50;

struct ParseResult {
    std::optional<Message> message;  ///< set only when there is no error
    std::vector<FieldError> errors;

    bool ok() const noexcept { return message.has_value() && errors.empty(); }
};

/// Parses one canonical record: strict JSON (duplicate keys refused), closed
/// objects (unknown fields refused), every field's type, format and range,
/// and the cross-field rules (dates in order, conditional requirements). All
/// errors of the record are reported, not only the first.
ParseResult parseMessage(std::string_view json);

/// Compact one-line JSON: fields in model order, absent optionals and empty
/// lists omitted, amounts as strings with their scale, timestamps as received.
/// Parsing the result gives back an equal message, and a record that is
/// already canonical comes back byte for byte.
std::string toCanonicalJson(const Message &message);

/// The errors parseMessage() would report for the message's canonical JSON,
/// for messages built in code (e.g. a HOLD the gateway derives).
std::vector<FieldError> validateMessage(const Message &message);

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_MESSAGE_H
