// Retention (journal.h, "Retention"): which cases and blobs have expired, and
// erasing what identifies a person from expired messages.
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {

using namespace Poco::Data::Keywords;

namespace {

// The expired messages, as a temp table the statements below share. A case's
// last activity is its newest message or event (deliveries, replays and
// closing are all events); a case with a delivery still due is never
// expired, whatever its age.
void collectExpired(Session &session, Poco::Int64 cutoff) {
    session << "DROP TABLE IF EXISTS temp.expired_messages", now;
    session << R"(CREATE TEMP TABLE expired_messages AS
        WITH activity (case_id, last_ms) AS (
            SELECT case_id, MAX(at_ms) FROM events WHERE case_id IS NOT NULL GROUP BY case_id
            UNION ALL
            SELECT case_id, MAX(received_at_ms) FROM messages WHERE case_id IS NOT NULL GROUP BY case_id),
        busy (case_id) AS (
            SELECT DISTINCT m.case_id FROM deliveries d JOIN messages m ON m.id = d.message
            WHERE m.case_id IS NOT NULL AND d.state NOT IN ('delivered', 'dead', 'cancelled')),
        expired_cases (case_id) AS (
            SELECT case_id FROM activity GROUP BY case_id HAVING MAX(last_ms) < ?1
            EXCEPT SELECT case_id FROM busy)
        SELECT m.id AS id, m.case_id AS case_id FROM messages m
        WHERE m.case_id IN (SELECT case_id FROM expired_cases)
           OR (m.case_id IS NULL AND m.received_at_ms < ?1
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message = m.id AND e.at_ms >= ?1)
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message = m.id
                               AND d.state NOT IN ('delivered', 'dead', 'cancelled'))))",
        use(cutoff), now;
}

}  // namespace

Result<ExpiredData> SqliteJournal::findExpired(std::int64_t cutoffMs) {
    return write<ExpiredData>("find expired data", [&](Session &session) -> Result<ExpiredData> {
        Poco::Int64 cutoff = cutoffMs;
        collectExpired(session, cutoff);
        ExpiredData out;
        std::string erased(kErasedBody);
        session << "SELECT COUNT(DISTINCT x.case_id), "
                   "COALESCE(SUM(m.sealed_fields IS NOT NULL OR COALESCE(m.body, '') <> ?), 0) "
                   "FROM temp.expired_messages x JOIN messages m ON m.id = x.id",
            use(erased), into(out.cases), into(out.messages), now;
        // A blob goes when every submission that stored it is older than the
        // cutoff and every message any of them journaled has expired.
        session << R"(SELECT b.blob_id FROM blobs b
            WHERE b.purged_at_ms IS NULL
              AND EXISTS (SELECT 1 FROM submissions s WHERE s.blob_id = b.blob_id)
              AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.blob_id = b.blob_id AND s.received_at_ms >= ?)
              AND NOT EXISTS (SELECT 1 FROM submissions s JOIN messages m ON m.submission = s.id
                              WHERE s.blob_id = b.blob_id
                                AND m.id NOT IN (SELECT id FROM temp.expired_messages))
            ORDER BY b.blob_id)",
            use(cutoff), into(out.blobIds), now;
        session << "DROP TABLE temp.expired_messages", now;
        return out;
    });
}

Result<std::int64_t> SqliteJournal::erasePersonalData(std::int64_t cutoffMs) {
    auto erased = write<std::int64_t>("erase personal data", [&](Session &session) -> Result<std::int64_t> {
        Poco::Int64 cutoff = cutoffMs;
        collectExpired(session, cutoff);
        std::string body(kErasedBody);
        // A body kept as a blob slice has no inline text: its blob's key goes
        // instead (findExpired()).
        Poco::Data::Statement update = (session << "UPDATE messages SET sealed_fields = NULL, "
                                                   "body = CASE WHEN body IS NULL THEN NULL ELSE ? END "
                                                   "WHERE id IN (SELECT id FROM temp.expired_messages) "
                                                   "AND (sealed_fields IS NOT NULL OR COALESCE(body, ?) <> ?)",
                                        use(body), use(body), use(body));
        const std::size_t changed = update.execute();
        session << "DROP TABLE temp.expired_messages", now;
        return static_cast<std::int64_t>(changed);
    });
    if (!erased) return erased;
    // secure_delete zeroes the freed bytes in the database; the old pages may
    // still sit in the WAL until a truncating checkpoint writes them home.
    std::lock_guard lock(writeMutex_);
    try {
        writer() << "PRAGMA wal_checkpoint(TRUNCATE)", now;
    } catch (const std::exception &) {
    }
    return erased;
}

}  // namespace lendgate::journal::sqlite
