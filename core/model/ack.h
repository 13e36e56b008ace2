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

struct Ack {
    AckSubject subject;
    AckStatus status = AckStatus::Accepted;
    AckCounts counts;
    std::vector<AckError> errors;

    bool operator==(const Ack &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_ACK_H
