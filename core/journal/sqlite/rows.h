// Column lists and row readers shared by the SQLite journal's queries.
// Private to core/journal/sqlite.
//
// Poco::Data extracts a result column into a vector; each *Rows struct owns
// the vectors for one SELECT list, attaches them to a statement and turns row
// i back into a value type. Nullable columns are COALESCEd in SQL, so no
// Poco::Nullable crosses into the rest of the code.
#ifndef LENDGATE_JOURNAL_SQLITE_ROWS_H
#define LENDGATE_JOURNAL_SQLITE_ROWS_H

#include <set>
#include <string>
#include <vector>

#include <Poco/Data/LOB.h>
#include <Poco/Data/Statement.h>

#include "core/journal/journal.h"

namespace lendgate::journal::sqlite {

using Poco::Data::Statement;
using Int64s = std::vector<Poco::Int64>;
using Texts = std::vector<std::string>;

inline Poco::Data::BLOB toBlob(std::string_view bytes) {
    return Poco::Data::BLOB(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
}

inline std::string fromBlob(const Poco::Data::BLOB &blob) {
    return std::string(reinterpret_cast<const char *>(blob.rawContent()), blob.size());
}

/// Messages joined with their submission: FROM messages m JOIN submissions s ON s.id = m.submission.
struct MessageRows {
    static constexpr const char *kColumns =
        "m.message_id, m.message_type, m.sender, m.idempotency_key, COALESCE(m.case_id, ''), "
        "COALESCE(m.causation_id, ''), s.submission_id, m.record_number, m.received_at_ms, m.state, "
        "COALESCE(m.body, ''), CASE WHEN m.body IS NULL THEN COALESCE(s.blob_id, '') ELSE '' END, "
        "COALESCE(m.blob_offset, 0), COALESCE(m.blob_length, 0), COALESCE(m.sealed_fields, '')";

    Texts messageId, type, sender, key, caseId, causationId, submissionId;
    Int64s recordNumber, receivedAt;
    Texts state, body, blobId;
    Int64s offset, length;
    Texts sealed;

    void attach(Statement &statement);
    std::size_t size() const { return messageId.size(); }
    MessageSummary summary(std::size_t i) const;
    StoredBody storedBody(std::size_t i) const;
};

/// FROM deliveries d JOIN messages m ON m.id = d.message.
struct DeliveryRows {
    static constexpr const char *kColumns =
        "d.id, m.message_id, m.message_type, d.destination, d.queue_key, d.queue_seq, d.critical, "
        "COALESCE(d.rule_id, ''), d.state, d.attempts, COALESCE(d.last_status, 0), COALESCE(d.last_error, ''), "
        "d.created_at_ms, d.next_attempt_at_ms, d.pending_since_ms, COALESCE(d.delivered_at_ms, 0), "
        "COALESCE(d.held_by, '')";

    Int64s id;
    Texts messageId, type, destination, queueKey;
    Int64s queueSeq, critical;
    Texts ruleId, state;
    Int64s attempts, lastStatus;
    Texts lastError;
    Int64s createdAt, nextAttemptAt, pendingSince, deliveredAt;
    Texts heldBy;

    void attach(Statement &statement);
    std::size_t size() const { return id.size(); }
    DeliveryInfo row(std::size_t i) const;
};

/// FROM events e LEFT JOIN submissions s ON s.id = e.submission LEFT JOIN messages m ON m.id = e.message.
struct EventRows {
    static constexpr const char *kColumns =
        "e.id, e.at_ms, e.kind, COALESCE(s.submission_id, ''), COALESCE(m.message_id, ''), COALESCE(e.delivery, 0), "
        "COALESCE(e.case_id, ''), COALESCE(e.record_first, 0), COALESCE(e.record_last, 0), "
        "COALESCE(e.record_count, 0), COALESCE(e.destination, ''), COALESCE(e.rule_id, ''), COALESCE(e.status, 0), "
        "COALESCE(e.latency_ms, -1), COALESCE(e.detail, '')";

    Int64s id, at;
    Texts kind, submissionId, messageId;
    Int64s delivery;
    Texts caseId;
    Int64s first, last, count;
    Texts destination, ruleId;
    Int64s status, latency;
    Texts detail;

    void attach(Statement &statement);
    std::size_t size() const { return id.size(); }
    JournalEvent row(std::size_t i) const;
};

/// Recomputes the state of messages whose deliveries changed (outbox.cpp).
void refreshMessageStates(Poco::Data::Session &session, const std::set<Poco::Int64> &messageRows);

}  // namespace lendgate::journal::sqlite

#endif  // LENDGATE_JOURNAL_SQLITE_ROWS_H
