// The gateway's answer to a file or request, modelled on X12 999. An ACK never
// carries personal data: error texts name fields and rules, never values.
#ifndef LENDGATE_MODEL_ACK_H
#define LENDGATE_MODEL_ACK_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/enum_names.h"

namespace lendgate::model {

/// ACCEPTED: every record taken. ACCEPTED_WITH_ERRORS: every record taken,
/// warnings noted. PARTIAL: some records rejected, the rest taken. REJECTED:
/// nothing taken.
enum class AckStatus { Accepted, AcceptedWithErrors, Partial, Rejected };
LENDGATE_MODEL_ENUM_NAMES(AckStatus, {{AckStatus::Accepted, "ACCEPTED"},
                                      {AckStatus::AcceptedWithErrors, "ACCEPTED_WITH_ERRORS"},
                                      {AckStatus::Partial, "PARTIAL"},
                                      {AckStatus::Rejected, "REJECTED"}});

enum class AckSubjectKind { File, Request };
LENDGATE_MODEL_ENUM_NAMES(AckSubjectKind, {{AckSubjectKind::File, "FILE"}, {AckSubjectKind::Request, "REQUEST"}});

enum class Severity { Error, Warning };
LENDGATE_MODEL_ENUM_NAMES(Severity, {{Severity::Error, "ERROR"}, {Severity::Warning, "WARNING"}});

/// What is acknowledged: a file by name (and the hash of its plaintext), or a
/// request by the partner's request id.
struct AckSubject {
    AckSubjectKind kind = AckSubjectKind::File;
    std::string reference;
    std::optional<std::string> sha256;

    bool operator==(const AckSubject &) const = default;
};

/// accepted + rejected == received, and the status agrees with the counts.
struct AckCounts {
    std::int64_t received = 0;
    std::int64_t accepted = 0;
    std::int64_t rejected = 0;
    std::optional<std::int64_t> warnings;
    std::optional<std::int64_t> duplicates;  ///< of the accepted: taken earlier, not journaled again

    bool operator==(const AckCounts &) const = default;
};

/// One problem: record is the 1-based record number in the input (absent for
/// the input as a whole), field a JSON Pointer into the canonical record.
struct AckError {
    std::optional<std::int64_t> record;
    std::optional<std::string> field;
    std::string code;
    std::string text;
    Severity severity = Severity::Error;

    bool operator==(const AckError &) const = default;
};

enum class AckRecordStatus { Accepted, Rejected };
LENDGATE_MODEL_ENUM_NAMES(AckRecordStatus,
                          {{AckRecordStatus::Accepted, "ACCEPTED"}, {AckRecordStatus::Rejected, "REJECTED"}});

/// One problem of one record; the record is the enclosing AckRecord.
struct AckRecordError {
    std::optional<std::string> field;
    std::string code;
    std::string text;
    std::optional<Severity> severity;  ///< absent: ERROR

    bool operator==(const AckRecordError &) const = default;
};

/// What became of one record of the input, so a partner can reconcile line by
/// line: the gateway's message id for a taken record, the reasons for a
/// refused one. When an ACK lists records it lists every one, in input order.
struct AckRecord {
    std::int64_t record = 0;
    AckRecordStatus status = AckRecordStatus::Accepted;
    std::optional<std::string> messageId;
    std::optional<std::string> idempotencyKey;
    std::optional<bool> duplicate;  ///< taken earlier: the id is the original's
    std::vector<AckRecordError> errors;

    bool operator==(const AckRecord &) const = default;
};

struct Ack {
    AckSubject subject;
    AckStatus status = AckStatus::Accepted;
    AckCounts counts;
    std::vector<AckRecord> records;
    /// Problems of the input as a whole; an ACK without a record list may
    /// also name records here.
    std::vector<AckError> errors;

    bool operator==(const Ack &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_ACK_H
