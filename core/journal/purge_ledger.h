// The purge ledger: one line per purged blob ("<unix ms> <blob id>"), kept
// with the key ring (<data_dir>/keys/purged.ledger, 0600) rather than with
// the journal, because a journal restored from a backup still holds the keys
// of blobs purged after that backup. A restore re-applies every entry.
#ifndef LENDGATE_JOURNAL_PURGE_LEDGER_H
#define LENDGATE_JOURNAL_PURGE_LEDGER_H

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace lendgate::journal {

inline constexpr const char *kPurgeLedgerFileName = "purged.ledger";
/// The retention purge's cutoffs ("<unix ms> <cutoff unix ms>"), beside it.
inline constexpr const char *kErasureLedgerFileName = "erased.ledger";

/// Blob ids are letters, digits, '-' and '_' (at most 200): nothing a
/// ledger line or a path could be confused by.
bool looksLikeBlobId(std::string_view id);

/// Appends an entry and fsyncs it; call before destroying the blob's key, so
/// a crash in between leaves an entry that the next restore applies again.
Result<bool> recordPurge(const std::filesystem::path &keyDir, std::string_view blobId, std::int64_t nowUnixMs);

/// Every blob id in the ledger, in order; an absent ledger is empty.
/// Error code purge_ledger (unreadable, or a line that is not an entry).
Result<std::vector<std::string>> purgedBlobs(const std::filesystem::path &keyDir);

/// Appends a retention cutoff to the erasure ledger and fsyncs it; call
/// before erasing, for the same reason as recordPurge().
Result<bool> recordErasure(const std::filesystem::path &keyDir, std::int64_t cutoffMs, std::int64_t nowUnixMs);

/// The latest cutoff in the erasure ledger; nullopt when there is none.
Result<std::optional<std::int64_t>> latestErasureCutoff(const std::filesystem::path &keyDir);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_PURGE_LEDGER_H
