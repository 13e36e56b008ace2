// The ACK a partner gets for an input: a canonical `ack` record (see
// sdk/schemas/ack.schema.json) addressed to the partner. Per record it says
// accepted (with the message ID the gateway gave it and the partner's own
// key) or rejected (with every reason: field, code, text; never a value),
// and it carries the totals. Partners whose profile binds an `ack` plugin
// get it in their own format; the journal keeps this canonical form.
//
// {"message_id": SUBMISSION, "message_type": "ack", "schema_version": "1.0",
//  "sender": "lendgate", "receiver": P, "idempotency_key": "lendgate:ack:SUBMISSION",
//  "occurred_at": .., "payload": {"subject": {"kind": "REQUEST"|"FILE", "reference": .., "sha256": ..},
//  "status": "ACCEPTED"|"PARTIAL"|"REJECTED",
//  "counts": {"received": n, "accepted": n, "rejected": n, "duplicates": n},
//  "records": [{"record": 1, "status": "ACCEPTED", "message_id": .., "idempotency_key": .., "duplicate": false},
//              {"record": 2, "status": "ACCEPTED", .., "errors": [{"field": "/payload", "code": "policy_refused",
//                                                                  "text": "C1: ..", "severity": "WARNING"}]},
//              {"record": 3, "status": "REJECTED", "errors": [{"field": .., "code": .., "text": ..}]}],
//  "errors": [...input-level errors...]}}
#ifndef LENDGATE_INTAKE_ACK_DOCUMENT_H
#define LENDGATE_INTAKE_ACK_DOCUMENT_H

#include <string>
#include <string_view>
#include <vector>

#include "core/journal/journal.h"

namespace lendgate::intake {

struct AckSubjectInfo {
    bool isFile = false;
    std::string reference;
    std::string sha256;
    std::string sender;      ///< the partner that sent the input: the ACK's receiver
    std::string occurredAt;  ///< RFC 3339: when the input was received
};

/// The envelope sender of every ACK.
inline constexpr std::string_view kGatewaySender = "lendgate";

/// Builds the ACK of one input, part by part for a file journaled in parts.
/// What is known before a commit is rendered ahead, so that finishing the
/// ACK inside the commit (on the single writer thread) is only string
/// appends; the records of parts already committed are kept rendered, in
/// input order, about 130 bytes a record.
class AckTemplate {
public:
    explicit AckTemplate(AckSubjectInfo subject);

    /// The records and rejections of the part about to be committed, each
    /// list in record order.
    void preparePart(const std::vector<journal::IntakeRecord> &accepted,
                     const std::vector<journal::RejectedRecord> &rejected);

    /// Folds a committed part that was not the last into the ACK.
    void absorb(const std::vector<journal::RecordOutcome> &outcomes);

    /// The whole ACK once the journal has given the submission id and said
    /// which records of the last part were duplicates. Does not throw (but
    /// for allocation).
    std::string render(const journal::AcceptedBatch &lastPart) const;

private:
    struct Tally {
        std::int64_t accepted = 0;
        std::int64_t rejected = 0;
        std::int64_t duplicates = 0;
    };
    void appendPart(const std::vector<journal::RecordOutcome> &outcomes, std::string &records, Tally &tally) const;

    AckSubjectInfo subject_;
    std::string envelopeHead_;                                     // ,"message_type":"ack",..,"receiver":..
    std::vector<std::pair<std::uint64_t, std::string>> keys_;      // this part's accepted: number, key member
    std::vector<std::pair<std::uint64_t, std::string>> rejected_;  // this part's rejected: number, rendered record
    std::vector<std::string> doneRecords_;  // earlier parts' records, rendered, a string per part
    std::size_t doneBytes_ = 0;             // their size with the commas between them
    Tally done_;
};

/// The ACK of an input refused as a whole (unreadable, control totals
/// wrong); `ackId` is a fresh ULID (nothing was journaled).
std::string inputRejectedAck(const AckSubjectInfo &subject, const std::string &ackId, std::string_view code,
                             std::string_view text);

/// The payload "status" of an ACK document ("ACCEPTED", ...), empty if unreadable.
std::string ackStatusOf(std::string_view document);

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_ACK_DOCUMENT_H
