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

std::string buildAck(const AckSubjectInfo &subject, const journal::AcceptedBatch &accepted,
                     const std::vector<journal::RejectedRecord> &rejected);

/// The ACK of an input refused as a whole (unreadable, control totals wrong).
std::string inputRejectedAck(const AckSubjectInfo &subject, std::string_view code, std::string_view text);

/// The "status" of an ACK document ("ACCEPTED", ...), empty if unreadable.
std::string ackStatusOf(std::string_view document);

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_ACK_DOCUMENT_H
