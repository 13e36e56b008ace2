// The retention purge (GLBA Safeguards Rule, secure disposal): once a case
// has seen no activity for the retention period (default two years, the
// outer limit; closing counts as activity), the data keys of the blobs that
// hold only expired records are destroyed and every expired message loses
// its body and sealed fields. What stays is what reports count: types,
// senders, dates, states and the events.
//
// Order matters for a crash at any point: each blob is named in the purge
// ledger before its key goes, and the cutoff is in the erasure ledger before
// any body is erased, so a restore from an older backup applies both again
// (purge_ledger.h). The purge itself goes into the audit chain.
#ifndef LENDGATE_JOURNAL_RETENTION_H
#define LENDGATE_JOURNAL_RETENTION_H

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/common/result.h"
#include "core/journal/blob_store.h"
#include "core/journal/journal.h"

namespace lendgate::journal {

inline constexpr std::int64_t kDefaultRetentionDays = 730;

struct PurgeSummary {
    std::int64_t cutoffMs = 0;
    std::int64_t cases = 0;
    std::int64_t messagesErased = 0;
    std::int64_t blobsPurged = 0;
};

struct PurgeRequest {
    std::int64_t retentionDays = kDefaultRetentionDays;
    std::int64_t nowMs = 0;
    std::string actor;    ///< for the audit chain: "cli:USER", "lendgated:retention"
    bool dryRun = false;  ///< count only
};

/// Purges what expired before now - retentionDays. `blobs` may be null (the
/// files are then left for the next purge or the orphan sweep; their keys
/// are gone either way). `keyDir` holds the ledgers.
Result<PurgeSummary> purgeExpired(Journal &journal, BlobStore *blobs, const std::filesystem::path &keyDir,
                                  const PurgeRequest &request);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_RETENTION_H
