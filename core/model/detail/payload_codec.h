// One reader and one writer per payload type, so message.cpp can dispatch on
// the message type without seeing every description.
#ifndef LENDGATE_MODEL_DETAIL_PAYLOAD_CODEC_H
#define LENDGATE_MODEL_DETAIL_PAYLOAD_CODEC_H

#include "core/model/ack.h"
#include "core/model/detail/codec.h"
#include "core/model/hardship.h"
#include "core/model/lending.h"
#include "core/model/referral.h"
#include "core/model/repossession.h"

namespace lendgate::model::detail {

// lending_codec.cpp
void readPayload(ObjectReader &reader, DelinquencyNotice &out);
void readPayload(ObjectReader &reader, AccountUpdate &out);
void readPayload(ObjectReader &reader, Consent &out);
void readPayload(ObjectReader &reader, HardshipApplication &out);
void readPayload(ObjectReader &reader, HardshipDecision &out);
void writePayload(JsonWriter &writer, const DelinquencyNotice &in);
void writePayload(JsonWriter &writer, const AccountUpdate &in);
void writePayload(JsonWriter &writer, const Consent &in);
void writePayload(JsonWriter &writer, const HardshipApplication &in);
void writePayload(JsonWriter &writer, const HardshipDecision &in);

// repossession_codec.cpp
void readPayload(ObjectReader &reader, RepossessionAssignment &out);
void readPayload(ObjectReader &reader, RepossessionOutcome &out);
void writePayload(JsonWriter &writer, const RepossessionAssignment &in);
void writePayload(JsonWriter &writer, const RepossessionOutcome &in);

// referral_codec.cpp
void readPayload(ObjectReader &reader, Referral &out);
void readPayload(ObjectReader &reader, ReferralUpdate &out);
void readPayload(ObjectReader &reader, Ack &out);
void writePayload(JsonWriter &writer, const Referral &in);
void writePayload(JsonWriter &writer, const ReferralUpdate &in);
void writePayload(JsonWriter &writer, const Ack &in);

}  // namespace lendgate::model::detail

#endif  // LENDGATE_MODEL_DETAIL_PAYLOAD_CODEC_H
