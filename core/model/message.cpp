#include "core/model/message.h"

#include <utility>

#include "core/common/strict_json.h"
#include "core/model/detail/codec.h"
#include "core/model/detail/payload_codec.h"

namespace lendgate::model {
namespace detail {

template <class V, Of<PartnerRef> S>
void fields(V &v, S &x) {
    v("partner", x.partner, kPartnerId);
    v("kind", x.kind, kCodeToken);
    v("value", x.value, Text{128});
}

}  // namespace detail

namespace {

using detail::FieldReader;
using detail::FieldWriter;
using detail::Json;
using detail::JsonWriter;
using detail::ObjectReader;

constexpr detail::List kPartnerRefs{20};

template <std::size_t... I>
Payload emptyPayload(MessageType type, std::index_sequence<I...>) {
    Payload payload;
    ((static_cast<std::size_t>(type) == I ? static_cast<void>(payload.emplace<I>()) : static_cast<void>(0)), ...);
    return payload;
}

// The envelope is read field by field rather than described: message_type
// sits in the middle of the wire order but lives in the payload's type, and
// the payload's shape depends on it.
void readEnvelope(ObjectReader &reader, Message &message) {
    Envelope &envelope = message.envelope;
    FieldReader field{reader};
    field("message_id", envelope.messageId, detail::kUlid);

    std::optional<MessageType> type;
    if (const Json *value = reader.take("message_type")) {
        MessageType parsed{};
        if (detail::decode(reader.at("message_type"), *value, parsed)) type = parsed;
    } else {
        reader.fail("message_type", "required", "is required");
    }

    field("schema_version", envelope.schemaVersion, detail::kSchemaVersionText);
    field("sender", envelope.sender, detail::kPartnerId);
    field("receiver", envelope.receiver, detail::kPartnerId);
    field("case_id", envelope.caseId, detail::kUlid);
    field("causation_id", envelope.causationId, detail::kUlid);
    field("idempotency_key", envelope.idempotencyKey, detail::kIdempotencyKey);
    field("occurred_at", envelope.occurredAt);
    field("received_at", envelope.receivedAt);
    field("partner_refs", envelope.partnerRefs, kPartnerRefs);

    const Json *payload = reader.take("payload");
    if (payload == nullptr) {
        reader.fail("payload", "required", "is required");
    } else if (!payload->is_object()) {
        reader.at("payload").fail("type", "must be an object");
    } else if (type) {
        // Without a valid message_type the payload's rules are unknown; its
        // errors would only be noise next to the message_type error.
        message.payload = emptyPayload(*type, std::make_index_sequence<std::variant_size_v<Payload>>{});
        ObjectReader payloadReader(reader.sink(), *payload, reader.at("payload").pointer);
        std::visit([&payloadReader](auto &alternative) { detail::readPayload(payloadReader, alternative); },
                   message.payload);
    }
    reader.rejectUnknownFields();
}

}  // namespace

ParseResult parseMessage(std::string_view json) {
    ParseResult result;
    JsonSyntaxError syntaxError;
    const std::optional<Json> root = parseStrictJson(json, syntaxError);
    if (!root) {
        result.errors.push_back(FieldError{syntaxError.pointer, syntaxError.code, syntaxError.message});
        return result;
    }
    if (!root->is_object()) {
        result.errors.push_back(FieldError{"", "type", "a message must be a JSON object"});
        return result;
    }

    detail::ErrorSink sink;
    ObjectReader reader(sink, *root, "");
    Message message;
    readEnvelope(reader, message);
    if (sink.empty()) {
        result.message = std::move(message);
    } else {
        result.errors = sink.take();
    }
    return result;
}

std::string toCanonicalJson(const Message &message) {
    const Envelope &envelope = message.envelope;
    JsonWriter writer;
    FieldWriter field{writer};
    writer.beginObject();
    field("message_id", envelope.messageId);
    writer.key("message_type");
    writer.string(toString(message.type()));
    field("schema_version", envelope.schemaVersion);
    field("sender", envelope.sender);
    field("receiver", envelope.receiver);
    field("case_id", envelope.caseId);
    field("causation_id", envelope.causationId);
    field("idempotency_key", envelope.idempotencyKey);
    field("occurred_at", envelope.occurredAt);
    field("received_at", envelope.receivedAt);
    field("partner_refs", envelope.partnerRefs);
    writer.key("payload");
    std::visit([&writer](const auto &payload) { detail::writePayload(writer, payload); }, message.payload);
    writer.endObject();
    return writer.take();
}

std::vector<FieldError> validateMessage(const Message &message) {
    return parseMessage(toCanonicalJson(message)).errors;
}

}  // namespace lendgate::model
