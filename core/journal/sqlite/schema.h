// Versioned schema migrations for the SQLite journal. Private to core/journal/sqlite.
//
// Each migration is an ordered list of SQL statements that brings the schema
// from version N-1 to N. All pending migrations run in one IMMEDIATE
// transaction together with their rows in schema_version (SQLite's DDL is
// transactional), so a crash leaves the old version or the new one, never a
// mix, and two processes opening a journal at once apply each step once.
// Migrations are only ever appended: a released one never changes.
#ifndef LENDGATE_JOURNAL_SQLITE_SCHEMA_H
#define LENDGATE_JOURNAL_SQLITE_SCHEMA_H

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/journal/sqlite/connection.h"

namespace lendgate::journal::sqlite {

struct Migration {
    int version = 0;
    std::string_view description;
    std::vector<std::string_view> statements;
    /// Runs after the statements, in the same transaction, for a step SQL
    /// alone cannot say (widening a CHECK list).
    void (*apply)(Session &session) = nullptr;
};

/// PRAGMA application_id of a lendgate journal ("LGJN"), so a database made by
/// something else is recognised and refused.
inline constexpr std::int32_t kApplicationId = 0x4C474A4E;

/// The journal's schema history, oldest first.
std::span<const Migration> journalMigrations();

/// Brings the database to the last of `migrations` and returns the version it
/// was at. Refuses (schema_too_new) a database newer than the list and
/// (invalid_config) one that is not a lendgate journal. `displayPath` names
/// the file in messages. Throws Poco::Exception on storage errors.
Result<int> migrate(Session &session, std::span<const Migration> migrations, const std::string &displayPath,
                    std::int64_t nowMs);

/// The schema version recorded in the database (0 for an empty one).
int schemaVersion(Session &session);

}  // namespace lendgate::journal::sqlite

#endif  // LENDGATE_JOURNAL_SQLITE_SCHEMA_H
