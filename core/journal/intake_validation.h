// The rules every journal implementation applies to an IntakeBatch before
// writing anything: identifiers present and bounded, no control characters,
// exactly one body per record, slices inside the batch's blob.
#ifndef LENDGATE_JOURNAL_INTAKE_VALIDATION_H
#define LENDGATE_JOURNAL_INTAKE_VALIDATION_H

#include <optional>

#include "core/common/result.h"
#include "core/journal/journal.h"

namespace lendgate::journal {

/// The first problem with `batch` (code invalid_argument), or nullopt. The
/// message names the record and the field, never a value.
std::optional<Error> validateIntakeBatch(const IntakeBatch &batch);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_INTAKE_VALIDATION_H
