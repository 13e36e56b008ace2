// The embedded journal: SQLite through Poco::Data.
//
// WAL mode with synchronous=FULL, so a commit is on disk before accept()
// returns; weaker settings are refused unless explicitly allowed. The schema
// is versioned and migrated forward on open; a journal newer than this build
// is refused. The database and its WAL are created mode 0600. Every method is
// safe to call from several threads: writes queue on one writer connection
// (and, across processes, on SQLite's lock with busy_timeout), reads use a
// small pool of read-only connections beside it.
#ifndef LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_H
#define LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_H

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/journal/journal.h"

namespace lendgate::journal {

struct SqliteJournalOptions {
    std::filesystem::path path;
    /// PRAGMA synchronous: FULL (default) or EXTRA. OFF and NORMAL can lose
    /// acknowledged messages on power loss, and need allowUnsafeSynchronous.
    std::string synchronous = "FULL";
    /// Config key allow_unsafe_synchronous: accept that risk (benchmarks, tests).
    bool allowUnsafeSynchronous = false;
    /// How long a write waits for another process holding the database.
    int busyTimeoutMs = 5000;
    /// Connections for reads, which run beside the single writer (WAL).
    std::size_t readConnections = 2;
    /// The writer's page cache. Case ids and record keys are keyed hashes, so
    /// bulk inserts land all over the indexes; a cache that holds their upper
    /// levels keeps those inserts from reading pages back.
    std::size_t writerCacheBytes = 32u << 20;
};

/// Opens (creating it if needed) and migrates the journal. Error codes:
/// unsafe_config, invalid_config, schema_too_new, corrupt, unavailable. The
/// clock stamps events when a caller passes no time and makes ULIDs; it must
/// outlive the journal.
Result<std::unique_ptr<Journal>> openSqliteJournal(const SqliteJournalOptions &options, const Clock &clock);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_H
