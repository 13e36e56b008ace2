// Online backup and restore of the journal and the blob store.
//
// A backup is a folder:
//
//   DIR/journal.db      a consistent snapshot (SQLite VACUUM INTO: one read
//                       transaction, so the daemon keeps writing meanwhile)
//   DIR/blobs/...       every stored blob file, copied after the snapshot, so
//                       every blob the snapshot refers to is there (blobs are
//                       written and fsynced before the journal refers to them,
//                       and never change once stored)
//   DIR/MANIFEST.json   when, the SHA-256 of journal.db, what was copied
//
// The key ring is not in it: it opens everything, so it is backed up apart
// (README.md, "Keys"). Blob purges are recorded in a ledger kept with the key
// ring (purge_ledger.h); a restore applies it again, so purged data never
// comes back from an older backup.
#ifndef LENDGATE_JOURNAL_BACKUP_H
#define LENDGATE_JOURNAL_BACKUP_H

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/common/result.h"

namespace lendgate::journal {

struct BackupSummary {
    std::uint64_t journalBytes = 0;
    std::uint64_t blobFiles = 0;
    std::uint64_t blobBytes = 0;
    std::string journalSha256;
};

/// Backs up `dataDir` (journal.db and blobs/) into `target`, which must not
/// exist or be empty; it is created 0700. Error codes: backup_target,
/// backup_io, backup_sqlite.
Result<BackupSummary> backupDataDir(const std::filesystem::path &dataDir, const std::filesystem::path &target,
                                    std::int64_t nowUnixMs);

/// Copies a backup into `dataDir`, which must hold no journal.db yet, after
/// checking the manifest and the snapshot's hash. The key ring is not
/// touched. Error codes: restore_source (not a backup, or damaged),
/// restore_target, backup_io.
Result<BackupSummary> restoreDataDir(const std::filesystem::path &source, const std::filesystem::path &dataDir);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_BACKUP_H
