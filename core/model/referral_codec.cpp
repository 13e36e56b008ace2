// Wire descriptions of referral.h and ack.h. Keep the order of each
// description equal to the struct's member order: it is the canonical order.
#include <algorithm>

#include "core/model/detail/common_fields.h"
#include "core/model/detail/payload_codec.h"

namespace lendgate::model::detail {

template <class V, Of<SourceEvent> S>
void fields(V &v, S &x) {
    v("message_type", x.messageType);
    v("message_id", x.messageId, kUlid);
}

template <class V, Of<ServiceTarget> S>
void fields(V &v, S &x) {
    v("organization_id", x.organizationId, kIdentifier);
    v("service_id", x.serviceId, kIdentifier);
    v("location_id", x.locationId, kIdentifier);
    v("taxonomy_code", x.taxonomyCode, kIdentifier);
}

template <class V, Of<ClientContact> S>
void fields(V &v, S &x) {
    v("name", x.name);
    v("phone", x.phone);
    v("language", x.language, kLanguage);
    v("best_time", x.bestTime);
    v("postal_code", x.postalCode, kPostalCode);
    v("county", x.county, kShortText);
}

template <class V, Of<Referral> S>
void fields(V &v, S &x) {
    v("referral_id", x.referralId, kIdentifier);
    v("source_event", x.sourceEvent);
    v("consent_id", x.consentId, kIdentifier);
    v("need", x.need);
    v("target", x.target);
    v("client", x.client);
    v("urgency", x.urgency);
}

template <class V, Of<ReferralUpdate> S>
void fields(V &v, S &x) {
    v("referral_id", x.referralId, kIdentifier);
    v("status", x.status);
    v("reason", x.reason, kLongText);
    v("outcome_note", x.outcomeNote, kLongText);
}

template <class V, Of<AckSubject> S>
void fields(V &v, S &x) {
    v("kind", x.kind);
    v("reference", x.reference, kFileReference);
    v("sha256", x.sha256, kSha256);
}

// Counts stay within the integers JavaScript represents exactly (2^53 - 1),
// since partners read ACKs with all kinds of JSON libraries.
constexpr IntRange kCount{0, (std::int64_t{1} << 53) - 1};

template <class V, Of<AckCounts> S>
void fields(V &v, S &x) {
    v("received", x.received, kCount);
    v("accepted", x.accepted, kCount);
    v("rejected", x.rejected, kCount);
    v("warnings", x.warnings, kCount);
    v("duplicates", x.duplicates, kCount);
}

static void crossCheck(ObjectReader &reader, const AckCounts &x) {
    if (!reader.isValid("received") || !reader.isValid("accepted") || !reader.isValid("rejected")) return;
    if (x.accepted + x.rejected != x.received) {
        reader.fail("received", "inconsistent", "must equal accepted plus rejected");
    }
    if (x.duplicates && reader.isValid("duplicates") && *x.duplicates > x.accepted)
        reader.fail("duplicates", "inconsistent", "cannot exceed accepted");
}

template <class V, Of<AckError> S>
void fields(V &v, S &x) {
    v("record", x.record, IntRange{1, kCount.max});
    v("field", x.field, kJsonPointer);
    v("code", x.code, kCodeToken);
    v("text", x.text, Text{500});
    v("severity", x.severity);
}

template <class V, Of<AckRecordError> S>
void fields(V &v, S &x) {
    v("field", x.field, kJsonPointer);
    v("code", x.code, kCodeToken);
    v("text", x.text, Text{500});
    v("severity", x.severity);
}

template <class V, Of<AckRecord> S>
void fields(V &v, S &x) {
    v("record", x.record, IntRange{1, kCount.max});
    v("status", x.status);
    v("message_id", x.messageId, kUlid);
    v("idempotency_key", x.idempotencyKey, kIdempotencyKey);
    v("duplicate", x.duplicate);
    v("errors", x.errors, List{1000});
}

static void crossCheck(ObjectReader &reader, const AckRecord &x) {
    if (!reader.isValid("status")) return;
    if (x.status == AckRecordStatus::Accepted && !x.messageId)
        reader.fail("message_id", "required", "an accepted record carries its message_id");
    const bool hasError = std::any_of(x.errors.begin(), x.errors.end(), [](const AckRecordError &e) {
        return e.severity.value_or(Severity::Error) == Severity::Error;
    });
    const bool errorsUnreadable = !x.errors.empty() && !reader.isValid("errors");
    if (x.status == AckRecordStatus::Rejected && !errorsUnreadable && !hasError)
        reader.fail("errors", "required", "a rejected record carries at least one error");
}

// A partner reconciles line by line: the list, when present, is complete,
// in input order, and agrees with the counts.
constexpr std::size_t kMaxAckRecords = 10'000'000;

template <class V, Of<Ack> S>
void fields(V &v, S &x) {
    v("subject", x.subject);
    v("status", x.status);
    v("counts", x.counts);
    v("records", x.records, List{kMaxAckRecords});
    v("errors", x.errors, List{100000});
}

// The status must say what the counts say, or a partner reading only the
// status would miss rejected records (or resend accepted ones).
static void crossCheck(ObjectReader &reader, const Ack &x) {
    if (!reader.isValid("status") || !reader.isValid("counts")) return;
    const AckCounts &c = x.counts;
    bool agrees = true;
    switch (x.status) {
        case AckStatus::Accepted:
        case AckStatus::AcceptedWithErrors: agrees = c.rejected == 0; break;
        case AckStatus::Partial: agrees = c.accepted > 0 && c.rejected > 0; break;
        case AckStatus::Rejected: agrees = c.accepted == 0; break;
    }
    if (!agrees) reader.fail("status", "inconsistent", "does not agree with the accepted and rejected counts");
    if (x.records.empty() || !reader.isValid("records") || !reader.isValid("counts")) return;
    std::int64_t accepted = 0;
    std::int64_t previous = 0;
    for (const auto &record : x.records) {
        if (record.record <= previous) {
            reader.fail("records", "order", "records must be in input order, each once");
            return;
        }
        previous = record.record;
        if (record.status == AckRecordStatus::Accepted) ++accepted;
    }
    if (static_cast<std::int64_t>(x.records.size()) != c.received || accepted != c.accepted)
        reader.fail("records", "inconsistent", "must list every received record and agree with the counts");
}

void readPayload(ObjectReader &reader, Referral &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, ReferralUpdate &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, Ack &out) {
    readObject(reader, out);
}
void writePayload(JsonWriter &writer, const Referral &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const ReferralUpdate &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const Ack &in) {
    encode(writer, in);
}

}  // namespace lendgate::model::detail
