#include "core/journal/sqlite/schema.h"

#include <stdexcept>

#include "core/journal/journal.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

// Version 1. Design notes:
//  - Times are Unix milliseconds (INTEGER); states are short texts so the
//    file reads plainly in the sqlite3 shell, with CHECK lists guarding them.
//  - Internal references use integer row ids (compact, fast joins); the
//    public ULIDs are UNIQUE columns.
//  - A message body is inline canonical JSON, or for bulk files an offset and
//    length into the submission's raw blob, so a 1 GB file is not journaled
//    a second time (WAL + checkpoint would write it twice more).
//  - Deliveries carry a per-(destination, queue) sequence; queue_key is the
//    case id, or the message id for a message without a case. The one
//    (destination, queue_key, queue_seq) index serves both the next sequence
//    and the order check: a case's queue is short, and case ids are keyed
//    hashes, so every index on them takes random inserts that each dirty a
//    page of WAL (a second such index cost ~20% of bulk throughput).
//    Partial indexes keep the due and lease scans proportional to pending work.
//  - A bulk file is accepted in parts: its submission stays 'open' until the
//    last part, and records_through remembers how far the parts got, so an
//    ingest resumed after a crash skips what is already journaled.
//  - Events are append-only, enforced by triggers.
// Adds a value to CHECK lists by rewriting the tables' stored SQL: SQLite's
// documented way for a change that leaves every stored row valid (a list
// that only grows), where rebuilding the tables would copy every delivery
// and event. Bumping schema_version makes every connection re-read the
// schema. Each list must be found exactly as migration 1 wrote it.
void allowCancelledStates(Session &session) {
    struct Widening {
        std::string table, from, to;
    };
    const std::vector<Widening> widenings = {
        {"messages", "'pending', 'delivered', 'dead')", "'pending', 'delivered', 'dead', 'cancelled')"},
        {"deliveries", "'in_flight', 'delivered', 'dead')", "'in_flight', 'delivered', 'dead', 'cancelled')"},
        {"events", "'replayed', 'blob_purged')", "'replayed', 'blob_purged', 'cancelled')"},
    };
    int cookie = 0;
    session << "PRAGMA schema_version", into(cookie), now;
    session << "PRAGMA writable_schema = ON", now;
    for (Widening w : widenings) {
        int found = 0;
        session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
            use(w.table), use(w.from), into(found), now;
        if (found != 1) {
            session << "PRAGMA writable_schema = OFF", now;
            throw std::runtime_error("journal migration 7: the state list of table " + w.table + " is not as expected");
        }
        session << "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?", use(w.from),
            use(w.to), use(w.table), now;
    }
    session << "PRAGMA schema_version = " + std::to_string(cookie + 1), now;
    session << "PRAGMA writable_schema = OFF", now;
}

const std::vector<Migration> kMigrations = {
    {1,
     "initial schema: blobs, submissions, messages, deliveries, events",
     {
         R"(CREATE TABLE blobs (
                blob_id       TEXT PRIMARY KEY,
                content_id    TEXT NOT NULL,
                wrapped_key   BLOB,
                size          INTEGER NOT NULL CHECK (size >= 0),
                created_at_ms INTEGER NOT NULL,
                purged_at_ms  INTEGER,
                CHECK ((wrapped_key IS NULL) = (purged_at_ms IS NOT NULL))
            ) WITHOUT ROWID)",
         R"(CREATE TABLE submissions (
                id              INTEGER PRIMARY KEY,
                submission_id   TEXT NOT NULL UNIQUE,
                sender          TEXT NOT NULL,
                idempotency_key TEXT,
                body_hash       TEXT NOT NULL,
                dedup_hash      TEXT,
                blob_id         TEXT REFERENCES blobs (blob_id),
                channel         TEXT NOT NULL,
                received_at_ms  INTEGER NOT NULL,
                state           TEXT NOT NULL CHECK (state IN ('open', 'complete')),
                records_through INTEGER NOT NULL DEFAULT 0,
                accepted_count  INTEGER NOT NULL DEFAULT 0,
                duplicate_count INTEGER NOT NULL DEFAULT 0,
                rejected_count  INTEGER NOT NULL DEFAULT 0,
                result          BLOB NOT NULL DEFAULT x'',
                UNIQUE (sender, idempotency_key)
            ))",
         // dedup_hash is the body hash of a submission that took at least one
         // record; a file rejected whole may be sent again once fixed.
         "CREATE UNIQUE INDEX submissions_by_content ON submissions (sender, dedup_hash) WHERE dedup_hash IS NOT NULL",
         "CREATE INDEX submissions_open ON submissions (sender, body_hash) WHERE state = 'open'",
         R"(CREATE TABLE messages (
                id              INTEGER PRIMARY KEY,
                message_id      TEXT NOT NULL UNIQUE,
                submission      INTEGER NOT NULL REFERENCES submissions (id),
                record_number   INTEGER NOT NULL,
                message_type    TEXT NOT NULL,
                sender          TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                case_id         TEXT,
                causation_id    TEXT,
                received_at_ms  INTEGER NOT NULL,
                state           TEXT NOT NULL
                                CHECK (state IN ('stored', 'unroutable', 'pending', 'delivered', 'dead')),
                body            TEXT,
                blob_offset     INTEGER,
                blob_length     INTEGER,
                CHECK ((body IS NULL) <> (blob_offset IS NULL)),
                CHECK ((blob_offset IS NULL) = (blob_length IS NULL)),
                UNIQUE (sender, idempotency_key)
            ))",
         "CREATE INDEX messages_by_case ON messages (case_id, id) WHERE case_id IS NOT NULL",
         "CREATE INDEX messages_by_sender ON messages (sender, id)",
         "CREATE INDEX messages_by_state ON messages (state, id)",
         R"(CREATE TABLE deliveries (
                id                 INTEGER PRIMARY KEY,
                message            INTEGER NOT NULL REFERENCES messages (id),
                destination        TEXT NOT NULL,
                queue_key          TEXT NOT NULL,
                queue_seq          INTEGER NOT NULL,
                critical           INTEGER NOT NULL CHECK (critical IN (0, 1)),
                rule_id            TEXT,
                state              TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'dead')),
                attempts           INTEGER NOT NULL DEFAULT 0,
                claim              INTEGER NOT NULL DEFAULT 0,
                lease_until_ms     INTEGER,
                next_attempt_at_ms INTEGER NOT NULL,
                pending_since_ms   INTEGER NOT NULL,
                created_at_ms      INTEGER NOT NULL,
                delivered_at_ms    INTEGER,
                last_status        INTEGER,
                last_error         TEXT,
                UNIQUE (destination, queue_key, queue_seq)
            ))",
         "CREATE INDEX deliveries_due ON deliveries (next_attempt_at_ms, id) WHERE state = 'pending'",
         "CREATE INDEX deliveries_leased ON deliveries (lease_until_ms) WHERE state = 'in_flight'",
         "CREATE INDEX deliveries_dead ON deliveries (destination, id) WHERE state = 'dead'",
         "CREATE INDEX deliveries_by_message ON deliveries (message)",
         R"(CREATE TABLE events (
                id           INTEGER PRIMARY KEY,
                at_ms        INTEGER NOT NULL,
                kind         TEXT NOT NULL CHECK (kind IN ('received', 'rejected', 'routed', 'unroutable',
                             'delivery_attempted', 'delivered', 'dead_lettered', 'replayed', 'blob_purged')),
                submission   INTEGER REFERENCES submissions (id),
                message      INTEGER REFERENCES messages (id),
                delivery     INTEGER REFERENCES deliveries (id),
                case_id      TEXT,
                record_first INTEGER,
                record_last  INTEGER,
                record_count INTEGER,
                destination  TEXT,
                rule_id      TEXT,
                status       INTEGER,
                latency_ms   INTEGER,
                detail       TEXT
            ))",
         "CREATE INDEX events_by_case ON events (case_id, id) WHERE case_id IS NOT NULL",
         "CREATE INDEX events_by_message ON events (message, id) WHERE message IS NOT NULL",
         "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
         "BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END",
         "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
         "BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END",
     }},
    // Batch file names carry a per-(destination, type, day) sequence; it lives
    // here so a restart never hands out a number (and a name) twice.
    {2,
     "batch file sequences",
     {
         R"(CREATE TABLE file_sequences (
                destination  TEXT NOT NULL,
                message_type TEXT NOT NULL,
                day          TEXT NOT NULL,
                last_seq     INTEGER NOT NULL CHECK (last_seq > 0),
                PRIMARY KEY (destination, message_type, day)
            ) WITHOUT ROWID)",
     }},
    // The audit hash chain (core/journal/audit_chain.h). seq is the rowid, so
    // the chain's order is its key; appends read the tip under the write
    // lock. The triggers stop accidents and honest tools; someone who drops
    // them is what `lendgate audit verify` is for.
    {3,
     "audit chain",
     {
         R"(CREATE TABLE audit_chain (
                seq           INTEGER PRIMARY KEY,
                at_ms         INTEGER NOT NULL,
                actor         TEXT NOT NULL,
                action        TEXT NOT NULL,
                target        TEXT NOT NULL,
                detail_sha256 TEXT NOT NULL,
                prev_hash     TEXT NOT NULL,
                entry_hash    TEXT NOT NULL
            ))",
         "CREATE INDEX audit_chain_by_time ON audit_chain (at_ms)",
         "CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain "
         "BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END",
         "CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain "
         "BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END",
     }},
    // SSN, date of birth and account number leave the canonical body and are
    // kept here sealed field by field (core/privacy/field_vault.h).
    {4,
     "sealed personal fields",
     {
         "ALTER TABLE messages ADD COLUMN sealed_fields TEXT",
     }},
    // The compliance policies' decisions (core/policy), append-only like
    // events: an auditor reads why an order was held or allowed. A held
    // delivery waits with held_by set and no due time (core/journal/journal.h).
    {5,
     "policy decisions and held deliveries",
     {
         R"(CREATE TABLE decisions (
                id        INTEGER PRIMARY KEY,
                at_ms     INTEGER NOT NULL,
                case_id   TEXT,
                message   INTEGER REFERENCES messages (id),
                policy_id TEXT NOT NULL,
                outcome   TEXT NOT NULL,
                detail    TEXT NOT NULL
            ))",
         "CREATE INDEX decisions_by_case ON decisions (case_id, id) WHERE case_id IS NOT NULL",
         "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
         "BEGIN SELECT RAISE(ABORT, 'policy decisions are append-only'); END",
         "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
         "BEGIN SELECT RAISE(ABORT, 'policy decisions are append-only'); END",
         "ALTER TABLE deliveries ADD COLUMN held_by TEXT",
         "CREATE INDEX deliveries_held ON deliveries (queue_key) WHERE held_by IS NOT NULL",
     }},
    // Alerts an operator must see. What was raised never changes; only who
    // acknowledged it and when it was posted to the operator webhook do.
    // dedupe_key makes a condition seen on every pass of the clock one alert.
    // The partial index on messages serves the clock's list of cases to
    // watch without taxing the bulk notices (they are not in it).
    {6,
     "alerts",
     {
         R"(CREATE TABLE alerts (
                id                 INTEGER PRIMARY KEY,
                at_ms              INTEGER NOT NULL,
                kind               TEXT NOT NULL,
                severity           TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
                dedupe_key         TEXT UNIQUE,
                case_id            TEXT,
                message_id         TEXT,
                partner            TEXT,
                delivery           INTEGER,
                text               TEXT NOT NULL,
                detail             TEXT,
                acknowledged_at_ms INTEGER,
                acknowledged_by    TEXT,
                notified_at_ms     INTEGER
            ))",
         "CREATE INDEX alerts_open ON alerts (id) WHERE acknowledged_at_ms IS NULL",
         "CREATE INDEX alerts_to_notify ON alerts (id) WHERE notified_at_ms IS NULL",
         "CREATE INDEX alerts_by_case ON alerts (case_id, id) WHERE case_id IS NOT NULL",
         "CREATE TRIGGER alerts_facts_fixed BEFORE UPDATE OF at_ms, kind, severity, dedupe_key, case_id, message_id, "
         "partner, delivery, text, detail ON alerts "
         "BEGIN SELECT RAISE(ABORT, 'an alert, once raised, does not change'); END",
         "CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts "
         "BEGIN SELECT RAISE(ABORT, 'alerts are kept'); END",
         "CREATE INDEX messages_to_watch ON messages (received_at_ms) "
         "WHERE message_type IN ('repossession_assignment', 'repossession_outcome') AND case_id IS NOT NULL",
     }},
    // A delivery stopped before it went out (a referral whose consent was
    // revoked) is 'cancelled': final, never claimed or replayed, and no
    // obstacle to what queues behind it.
    {7, "cancelled deliveries", {}, allowCancelledStates},
};

bool hasTable(Session &session, const std::string &name) {
    int count = 0;
    std::string table = name;
    session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", use(table), into(count), now;
    return count > 0;
}

}  // namespace

std::span<const Migration> journalMigrations() {
    return kMigrations;
}

int schemaVersion(Session &session) {
    if (!hasTable(session, "schema_version")) return 0;
    int version = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
    return version;
}

Result<int> migrate(Session &session, std::span<const Migration> migrations, const std::string &displayPath,
                    std::int64_t nowMs) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) {
            return Error{std::string(errc::kInternal), "journal migrations are not numbered 1, 2, 3, ..."};
        }
    }
    const int latest = static_cast<int>(migrations.size());

    WriteTransaction txn(session);  // re-read under the write lock: another process may be migrating
    std::int32_t applicationId = 0;
    session << "PRAGMA application_id", into(applicationId), now;
    int objects = 0;
    session << "SELECT COUNT(*) FROM sqlite_master", into(objects), now;
    if (applicationId != kApplicationId && (applicationId != 0 || objects > 0)) {
        return Error{std::string(errc::kInvalidConfig),
                     "journal " + displayPath + " is not a lendgate journal (a different SQLite database is there)"};
    }
    const int found = schemaVersion(session);
    if (found > latest) {
        return Error{std::string(errc::kSchemaTooNew),
                     "journal " + displayPath + " has schema version " + std::to_string(found) +
                         " but this lendgated knows versions up to " + std::to_string(latest) +
                         ": run a lendgated at least as new as the one that last opened it (journals are never "
                         "downgraded)"};
    }
    if (found == latest) return found;  // the transaction rolls back: nothing was written

    if (found == 0) {
        session << "PRAGMA application_id = " + std::to_string(kApplicationId), now;
        session << "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                   "applied_at_ms INTEGER NOT NULL)",
            now;
    }
    for (const Migration &migration : migrations.subspan(static_cast<std::size_t>(found))) {
        for (std::string_view statement : migration.statements) session << std::string(statement), now;
        if (migration.apply != nullptr) migration.apply(session);
        int version = migration.version;
        std::string description(migration.description);
        std::int64_t at = nowMs;
        session << "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (?, ?, ?)", use(version),
            use(description), use(at), now;
    }
    txn.commit();
    return found;
}

}  // namespace lendgate::journal::sqlite
