// The SQLite journal's class. Private to core/journal/sqlite: everyone else
// sees the Journal interface and openSqliteJournal().
#ifndef LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_IMPL_H
#define LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_IMPL_H

#include <memory>
#include <mutex>
#include <string_view>

#include "core/journal/journal.h"
#include "core/journal/sqlite/connection.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/journal/ulid.h"

namespace lendgate::journal::sqlite {

class SqliteJournal final : public Journal {
public:
    SqliteJournal(const SqliteJournalOptions &options, const ConnectionSettings &settings, const Clock &clock,
                  std::unique_ptr<Session> writer);

    std::vector<Result<AcceptResult>> acceptMany(std::span<const IntakeBatch> batches) override;
    Result<Submission> submission(std::string_view submissionId, std::optional<std::string_view> sender) override;
    Result<Submission> submissionByKey(std::string_view sender, std::string_view idempotencyKey) override;

    Result<StoredMessage> message(std::string_view messageId, std::optional<std::string_view> partner) override;
    Result<std::vector<MessageSummary>> listMessages(const MessageQuery &query) override;
    Result<CaseTimeline> caseTimeline(std::string_view caseId) override;
    Result<std::vector<DeliveryInfo>> deliveriesOf(std::string_view messageId) override;
    Result<std::vector<CaseHistoryEntry>> caseHistory(std::string_view caseId) override;
    Result<std::optional<SealedAccountSource>> newestSealedAccount(std::string_view caseId) override;

    Result<std::vector<ClaimedDelivery>> claimDue(const ClaimQuery &query) override;
    Result<BatchBacklog> batchBacklog(const BatchLane &lane, std::int64_t nowMs) override;
    Result<std::int64_t> nextFileSequence(const BatchLane &lane, std::string_view day) override;
    std::vector<Result<bool>> complete(std::span<const DeliveryOutcome> outcomes) override;
    Result<std::vector<DeliveryInfo>> listDeadLetters(const DeadLetterQuery &query) override;
    Result<bool> replay(std::int64_t deliveryId, std::int64_t nowMs, std::string_view actor) override;
    Result<std::int64_t> replayDeadLetters(std::string_view destination, std::int64_t nowMs,
                                           std::string_view actor) override;

    Result<BlobRecord> blob(std::string_view blobId) override;
    Result<bool> purgeBlobKey(std::string_view blobId, std::int64_t nowMs) override;
    Result<ExpiredData> findExpired(std::int64_t cutoffMs) override;
    Result<std::int64_t> erasePersonalData(std::int64_t cutoffMs) override;
    Result<std::int64_t> expireClaims(std::int64_t nowMs) override;
    Result<bool> releaseClaim(std::int64_t deliveryId, std::int64_t claim, std::int64_t nowMs) override;
    Result<std::vector<OutboxCount>> outboxDepth() override;

    Result<std::optional<Alert>> raiseAlert(const AlertRecord &alert) override;
    Result<std::vector<Alert>> listAlerts(const AlertQuery &query) override;
    Result<bool> acknowledgeAlert(std::int64_t alertId, std::string_view actor, std::int64_t nowMs) override;
    Result<std::vector<Alert>> alertsToNotify(std::size_t limit) override;
    Result<bool> markAlertsNotified(std::span<const std::int64_t> alertIds, std::int64_t nowMs) override;
    Result<std::vector<AlertCount>> alertCounts() override;
    Result<std::vector<std::string>> casesToWatch(std::int64_t sinceMs) override;

    Result<ReportFigures> report(const ReportQuery &query) override;

    Result<AuditEntry> appendAudit(const AuditRecord &record) override;
    Result<std::vector<AuditEntry>> listAudit(const AuditQuery &query) override;
    Result<AuditVerification> verifyAudit(const std::optional<AuditAnchor> &anchor) override;

private:
    /// Runs `body` in a write transaction on the single writer connection and
    /// commits if it returns a value; an Error or an exception rolls back.
    template <class T, class Body>
    Result<T> write(std::string_view operation, Body &&body);
    /// Runs `body` on a pooled read-only connection.
    template <class T, class Body>
    Result<T> read(std::string_view operation, Body &&body);

    /// The writer, reopened first if the last write failed with an I/O error:
    /// SQLite recovers on a fresh connection, so the journal serves again once
    /// the disk has room.
    Session &writer();
    void noteFailure(const Error &error);

    std::int64_t nowOr(std::int64_t ms) const { return ms > 0 ? ms : clock_.nowUnixMs(); }
    void replayLocked(Session &session, std::int64_t deliveryRow, std::int64_t nowMs, const std::string &actor);

    const Clock &clock_;
    ConnectionSettings settings_;
    UlidGenerator ulids_;
    std::mutex writeMutex_;
    std::unique_ptr<Session> writer_;
    bool writerNeedsReopen_ = false;
    ReaderPool readers_;
};

/// Writes an alert inside the caller's transaction (alerts.cpp); nullopt when
/// its dedupe key was raised before.
std::optional<std::int64_t> insertAlert(Session &session, const AlertRecord &alert, std::int64_t atMs);
/// Every alert of a case, in the order raised.
std::vector<Alert> alertsOfCase(Session &session, const std::string &caseId);

template <class T, class Body>
Result<T> SqliteJournal::write(std::string_view operation, Body &&body) {
    std::lock_guard lock(writeMutex_);
    try {
        Session &session = writer();
        WriteTransaction txn(session);
        Result<T> result = body(session);
        if (result.ok()) txn.commit();
        return result;
    } catch (const std::exception &e) {
        Error error = storageError(e, operation);
        noteFailure(error);
        return error;
    }
}

template <class T, class Body>
Result<T> SqliteJournal::read(std::string_view operation, Body &&body) {
    try {
        auto lease = readers_.acquire();
        try {
            return body(lease.session());
        } catch (...) {
            lease.discard();
            throw;
        }
    } catch (const std::exception &e) {
        return storageError(e, operation);
    }
}

}  // namespace lendgate::journal::sqlite

#endif  // LENDGATE_JOURNAL_SQLITE_SQLITE_JOURNAL_IMPL_H
