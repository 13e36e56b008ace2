// The ACK a partner gets for an input: per record accepted (with the message
// ID the gateway gave it) or rejected (with every reason: field, code, text;
// never a value), and the totals. Modelled on X12 999 like the canonical ack
// message; this JSON form adds what only the gateway knows (message IDs,
// duplicates).
//
// {"ack_id": SUBMISSION, "sender": P, "subject": {"kind": "REQUEST"|"FILE",
//  "reference": .., "sha256": ..}, "status": "ACCEPTED"|"PARTIAL"|"REJECTED",
//  "counts": {"received": n, "accepted": n, "rejected": n, "duplicates": n},
//  "records": [{"record": 1, "status": "ACCEPTED", "message_id": .., "duplicate": false},
//              {"record": 2, "status": "REJECTED", "errors": [{"field": .., "code": .., "text": ..}]}],
//  "errors": [...input-level errors...]}
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
    std::string sender;
};

/// The parts of an ACK known before the journal commit, rendered ahead so
/// that finishing it inside the commit (on the single writer thread) is only
/// string appends.
class AckTemplate {
public:
    AckTemplate(const AckSubjectInfo &subject, const std::vector<journal::RejectedRecord> &rejected);

    /// The whole ACK once the journal has given the submission id and said
    /// which records were duplicates. Does not throw (but for allocation).
    std::string render(const journal::AcceptedBatch &accepted) const;

private:
    std::string senderAndSubject_;                                 // ,"sender":..,"subject":{..}
    std::vector<std::pair<std::uint64_t, std::string>> rejected_;  // record number, rendered record
};

std::string buildAck(const AckSubjectInfo &subject, const journal::AcceptedBatch &accepted,
                     const std::vector<journal::RejectedRecord> &rejected);

/// The ACK of an input refused as a whole (unreadable, control totals wrong).
std::string inputRejectedAck(const AckSubjectInfo &subject, std::string_view code, std::string_view text);

/// The "status" of an ACK document ("ACCEPTED", ...), empty if unreadable.
std::string ackStatusOf(std::string_view document);

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_ACK_DOCUMENT_H
