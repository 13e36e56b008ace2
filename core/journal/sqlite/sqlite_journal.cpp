#include "core/journal/sqlite/sqlite_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>

#include <Poco/Data/Statement.h>

#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/schema.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal {
namespace sqlite {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxPageSize = 1000;

Error error(std::string_view code, std::string message) {
    return Error{std::string(code), std::move(message)};
}

std::optional<std::string> normalizeSynchronous(std::string_view text) {
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper == "0" || upper == "OFF") return "OFF";
    if (upper == "1" || upper == "NORMAL") return "NORMAL";
    if (upper == "2" || upper == "FULL") return "FULL";
    if (upper == "3" || upper == "EXTRA") return "EXTRA";
    return std::nullopt;
}

/// SQLite gives the -wal and -shm files the database file's mode, so creating
/// the database 0600 keeps all three private: they hold personal data.
Result<bool> createPrivateDatabaseFile(const std::filesystem::path &path) {
    std::error_code ec;
    const auto parent = path.parent_path();
    if (!parent.empty() && std::filesystem::create_directories(parent, ec)) ::chmod(parent.c_str(), 0700);
    if (ec) return error(errc::kUnavailable, "journal: cannot create " + parent.string() + ": " + ec.message());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != EEXIST) {
        return error(errc::kUnavailable, "journal: cannot create " + path.string() + ": " + std::strerror(errno));
    }
    return true;
}

std::size_t pageSize(std::size_t requested) {
    return std::clamp<std::size_t>(requested, 1, kMaxPageSize);
}

/// SELECT list for submissions: FROM submissions s.
struct SubmissionRows {
    static constexpr const char *kColumns =
        "s.submission_id, s.sender, COALESCE(s.idempotency_key, ''), s.channel, s.received_at_ms, "
        "s.state = 'complete', s.accepted_count, s.duplicate_count, s.rejected_count, COALESCE(s.blob_id, ''), "
        "s.result";

    Texts id, sender, key, channel;
    Int64s receivedAt, complete, accepted, duplicates, rejected;
    Texts blobId;
    std::vector<Poco::Data::BLOB> result;

    void attach(Statement &statement) {
        statement, into(id), into(sender), into(key), into(channel), into(receivedAt), into(complete), into(accepted),
            into(duplicates), into(rejected), into(blobId), into(result);
    }
    Submission row(std::size_t i) const {
        return Submission{id[i],       sender[i],     key[i],      channel[i], receivedAt[i],      complete[i] != 0,
                          accepted[i], duplicates[i], rejected[i], blobId[i],  fromBlob(result[i])};
    }
};

// A case's messages in the order they were received.
MessageRows messagesOfCase(Session &session, std::string caseId) {
    MessageRows messages;
    Statement select(session);
    select << "SELECT " << MessageRows::kColumns
           << " FROM messages m JOIN submissions s ON s.id = m.submission WHERE m.case_id = ? ORDER BY m.id",
        use(caseId);
    messages.attach(select);
    select.execute();
    return messages;
}

}  // namespace

SqliteJournal::SqliteJournal(const SqliteJournalOptions &options, const ConnectionSettings &settings,
                             const Clock &clock, std::unique_ptr<Session> writer)
    : clock_(clock),
      settings_(settings),
      ulids_(clock),
      writer_(std::move(writer)),
      readers_(settings, options.readConnections) {}

Session &SqliteJournal::writer() {
    if (writerNeedsReopen_ || !writer_) {
        writer_.reset();
        writer_ = openSession(settings_);
        writerNeedsReopen_ = false;
    }
    return *writer_;
}

void SqliteJournal::noteFailure(const Error &failure) {
    if (failure.code == errc::kUnavailable || failure.code == errc::kCorrupt) writerNeedsReopen_ = true;
}

Result<Submission> SqliteJournal::submission(std::string_view submissionId, std::optional<std::string_view> sender) {
    return read<Submission>("read submission", [&](Session &session) -> Result<Submission> {
        std::string id(submissionId);
        std::string who(sender.value_or(""));
        SubmissionRows rows;
        Statement statement(session);
        statement << "SELECT " << SubmissionRows::kColumns << " FROM submissions s WHERE s.submission_id = ?", use(id);
        if (sender) statement << " AND s.sender = ?", use(who);
        rows.attach(statement);
        statement.execute();
        if (rows.id.empty()) return error(errc::kNotFound, "no such submission");
        return rows.row(0);
    });
}

Result<Submission> SqliteJournal::submissionByKey(std::string_view sender, std::string_view idempotencyKey) {
    return read<Submission>("read submission", [&](Session &session) -> Result<Submission> {
        std::string who(sender);
        std::string key(idempotencyKey);
        SubmissionRows rows;
        Statement statement(session);
        statement << "SELECT " << SubmissionRows::kColumns
                  << " FROM submissions s WHERE s.sender = ? AND s.idempotency_key = ?",
            use(who), use(key);
        rows.attach(statement);
        statement.execute();
        if (rows.id.empty()) return error(errc::kNotFound, "no such submission");
        return rows.row(0);
    });
}

Result<StoredMessage> SqliteJournal::message(std::string_view messageId, std::optional<std::string_view> partner) {
    return read<StoredMessage>("read message", [&](Session &session) -> Result<StoredMessage> {
        std::string id(messageId);
        std::string who(partner.value_or(""));
        MessageRows rows;
        Statement statement(session);
        statement << "SELECT " << MessageRows::kColumns
                  << " FROM messages m JOIN submissions s ON s.id = m.submission WHERE m.message_id = ?",
            use(id);
        if (partner) {
            // A partner sees what it sent and what was addressed to it; for
            // anything else the answer is the same as for a missing message.
            statement << " AND (m.sender = ? OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message = m.id "
                         "AND d.destination = ?))",
                use(who), use(who);
        }
        rows.attach(statement);
        statement.execute();
        if (rows.size() == 0) return error(errc::kNotFound, "no such message");
        return StoredMessage{rows.summary(0), rows.storedBody(0)};
    });
}

Result<std::vector<MessageSummary>> SqliteJournal::listMessages(const MessageQuery &query) {
    using Out = std::vector<MessageSummary>;
    return read<Out>("list messages", [&](Session &session) -> Result<Out> {
        std::string sender = query.sender.value_or("");
        std::string destination = query.destination.value_or("");
        std::string state(query.state ? toString(*query.state) : "");
        std::string after = query.afterMessageId;
        Poco::Int64 limit = static_cast<Poco::Int64>(pageSize(query.limit));
        MessageRows rows;
        Statement statement(session);
        statement << "SELECT " << MessageRows::kColumns
                  << " FROM messages m JOIN submissions s ON s.id = m.submission WHERE 1 = 1";
        if (query.sender) statement << " AND m.sender = ?", use(sender);
        if (query.state) statement << " AND m.state = ?", use(state);
        if (query.destination) {
            statement << " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message = m.id AND d.destination = ?)",
                use(destination);
        }
        if (!after.empty()) statement << " AND m.id > (SELECT id FROM messages WHERE message_id = ?)", use(after);
        statement << " ORDER BY m.id LIMIT ?", use(limit);
        rows.attach(statement);
        statement.execute();
        Out out;
        out.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(rows.summary(i));
        return out;
    });
}

Result<CaseTimeline> SqliteJournal::caseTimeline(std::string_view caseId) {
    return read<CaseTimeline>("read case timeline", [&](Session &session) -> Result<CaseTimeline> {
        std::string id(caseId);
        ReadTransaction snapshot(session);  // messages and events from one state of the journal
        const MessageRows messages = messagesOfCase(session, id);
        EventRows events;
        Statement selectEvents(session);
        selectEvents << "SELECT " << EventRows::kColumns
                     << " FROM events e LEFT JOIN submissions s ON s.id = e.submission "
                        "LEFT JOIN messages m ON m.id = e.message WHERE e.case_id = ? ORDER BY e.id",
            use(id);
        events.attach(selectEvents);
        selectEvents.execute();
        Int64s at;
        Texts messageId, policy, outcome, detail;
        session << "SELECT d.at_ms, COALESCE(m.message_id, ''), d.policy_id, d.outcome, d.detail FROM decisions d "
                   "LEFT JOIN messages m ON m.id = d.message WHERE d.case_id = ? ORDER BY d.id",
            use(id), into(at), into(messageId), into(policy), into(outcome), into(detail), now;
        CaseTimeline out;
        for (std::size_t i = 0; i < messages.size(); ++i) out.messages.push_back(messages.summary(i));
        for (std::size_t i = 0; i < events.size(); ++i) out.events.push_back(events.row(i));
        for (std::size_t i = 0; i < at.size(); ++i)
            out.decisions.push_back(CaseDecision{at[i], messageId[i], {policy[i], outcome[i], detail[i]}});
        out.alerts = alertsOfCase(session, id);
        return out;
    });
}

Result<std::vector<CaseHistoryEntry>> SqliteJournal::caseHistory(std::string_view caseId) {
    using Out = std::vector<CaseHistoryEntry>;
    return read<Out>("read case history", [&](Session &session) -> Result<Out> {
        std::string id(caseId);
        // Intake asks this for every record it reads, and a bank's nightly
        // file is mostly accounts with no case yet: one indexed probe, outside
        // a transaction (one statement sees one state), answers those.
        int known = 0;
        session << "SELECT EXISTS (SELECT 1 FROM messages WHERE case_id = ?) OR "
                   "EXISTS (SELECT 1 FROM decisions WHERE case_id = ? AND message IS NULL)",
            use(id), use(id), into(known), now;
        if (known == 0) return Out{};
        ReadTransaction snapshot(session);
        const MessageRows messages = messagesOfCase(session, id);
        // Only orders' and referrals' deliveries say something about the
        // case (who holds an assignment, whether a policy holds it, when a
        // HOLD went out; which nonprofit has a referral, whether it went).
        DeliveryRows deliveries;
        Statement selectDeliveries(session);
        selectDeliveries << "SELECT " << DeliveryRows::kColumns
                         << " FROM deliveries d JOIN messages m ON m.id = d.message WHERE m.case_id = ? AND "
                            "m.message_type IN ('repossession_assignment', 'referral') ORDER BY d.id",
            use(id);
        deliveries.attach(selectDeliveries);
        selectDeliveries.execute();
        Out out;
        out.reserve(messages.size());
        std::map<std::string, std::size_t> byMessage;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            CaseHistoryEntry entry;
            entry.summary = messages.summary(i);
            entry.canonicalJson = messages.storedBody(i).canonicalJson;
            byMessage.emplace(entry.summary.messageId, out.size());
            out.push_back(std::move(entry));
        }
        for (std::size_t i = 0; i < deliveries.size(); ++i) {
            DeliveryInfo delivery = deliveries.row(i);
            if (auto owner = byMessage.find(delivery.messageId); owner != byMessage.end())
                out[owner->second].deliveries.push_back(std::move(delivery));
        }
        // A hold reason an operator released is gone for every later message:
        // the lifecycle folds these decisions in their place among the messages.
        std::vector<Poco::Int64> decidedAt;
        std::vector<std::string> detail;
        session << "SELECT at_ms, detail FROM decisions WHERE case_id = ? AND message IS NULL AND policy_id = 'C4' "
                   "ORDER BY id",
            use(id), into(decidedAt), into(detail), now;
        if (decidedAt.empty()) return out;
        std::vector<CaseHistoryEntry> merged;
        merged.reserve(out.size() + decidedAt.size());
        std::size_t next = 0;
        for (std::size_t i = 0; i < decidedAt.size(); ++i) {
            // A message received in the same millisecond counts as before it.
            while (next < out.size() && out[next].summary.receivedAtMs <= decidedAt[i])
                merged.push_back(std::move(out[next++]));
            CaseHistoryEntry entry;
            entry.summary.caseId = id;
            entry.summary.receivedAtMs = decidedAt[i];
            entry.caseDecisionJson = std::move(detail[i]);
            merged.push_back(std::move(entry));
        }
        while (next < out.size()) merged.push_back(std::move(out[next++]));
        return merged;
    });
}

Result<std::vector<DeliveryInfo>> SqliteJournal::deliveriesOf(std::string_view messageId) {
    using Out = std::vector<DeliveryInfo>;
    return read<Out>("list deliveries", [&](Session &session) -> Result<Out> {
        std::string id(messageId);
        ReadTransaction snapshot(session);
        int found = 0;
        session << "SELECT COUNT(*) FROM messages WHERE message_id = ?", use(id), into(found), now;
        if (found == 0) return error(errc::kNotFound, "no such message");
        DeliveryRows rows;
        Statement statement(session);
        statement << "SELECT " << DeliveryRows::kColumns
                  << " FROM deliveries d JOIN messages m ON m.id = d.message WHERE m.message_id = ? ORDER BY d.id",
            use(id);
        rows.attach(statement);
        statement.execute();
        Out out;
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(rows.row(i));
        return out;
    });
}

Result<std::vector<DeliveryInfo>> SqliteJournal::listDeadLetters(const DeadLetterQuery &query) {
    using Out = std::vector<DeliveryInfo>;
    return read<Out>("list dead letters", [&](Session &session) -> Result<Out> {
        std::string destination = query.destination.value_or("");
        Poco::Int64 after = query.afterDeliveryId;
        Poco::Int64 limit = static_cast<Poco::Int64>(pageSize(query.limit));
        DeliveryRows rows;
        Statement statement(session);
        statement << "SELECT " << DeliveryRows::kColumns
                  << " FROM deliveries d JOIN messages m ON m.id = d.message WHERE d.state = 'dead' AND d.id > ?",
            use(after);
        if (query.destination) statement << " AND d.destination = ?", use(destination);
        statement << " ORDER BY d.id LIMIT ?", use(limit);
        rows.attach(statement);
        statement.execute();
        Out out;
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(rows.row(i));
        return out;
    });
}

Result<std::optional<SealedAccountSource>> SqliteJournal::newestSealedAccount(std::string_view caseId) {
    using Out = std::optional<SealedAccountSource>;
    return read<Out>("read sealed account", [&](Session &session) -> Result<Out> {
        std::string id(caseId);
        Texts messageId, sealed;
        // The field names are in the clear in the sealed document; the values are not.
        session << "SELECT message_id, sealed_fields FROM messages WHERE case_id = ? AND sealed_fields IS NOT NULL "
                   "AND instr(sealed_fields, '/account_number\"') > 0 ORDER BY id DESC LIMIT 1",
            use(id), into(messageId), into(sealed), now;
        if (messageId.empty()) return Out{};
        return Out{SealedAccountSource{messageId[0], sealed[0]}};
    });
}

Result<BlobRecord> SqliteJournal::blob(std::string_view blobId) {
    return read<BlobRecord>("read blob", [&](Session &session) -> Result<BlobRecord> {
        std::string id(blobId);
        Texts contentId;
        std::vector<Poco::Data::BLOB> wrappedKey;
        Int64s size, purged;
        session << "SELECT content_id, COALESCE(wrapped_key, x''), size, purged_at_ms IS NOT NULL FROM blobs "
                   "WHERE blob_id = ?",
            use(id), into(contentId), into(wrappedKey), into(size), into(purged), now;
        if (contentId.empty()) return error(errc::kNotFound, "no such blob");
        if (purged[0] != 0) return error(errc::kPurged, "blob " + id + " was purged");
        return BlobRecord{id, contentId[0], fromBlob(wrappedKey[0]), static_cast<std::uint64_t>(size[0])};
    });
}

Result<std::vector<OutboxCount>> SqliteJournal::outboxDepth() {
    using Out = std::vector<OutboxCount>;
    return read<Out>("outbox depth", [&](Session &session) -> Result<Out> {
        std::vector<std::string> destinations, states;
        std::vector<Poco::Int64> counts;
        session << "SELECT destination, state, COUNT(*) FROM deliveries WHERE state NOT IN ('delivered', 'cancelled') "
                   "GROUP BY destination, state ORDER BY destination, state",
            into(destinations), into(states), into(counts), now;
        Out out;
        for (std::size_t i = 0; i < destinations.size(); ++i) {
            auto state = deliveryStateFromString(states[i]);
            if (!state) continue;
            out.push_back({destinations[i], *state, static_cast<std::int64_t>(counts[i])});
        }
        return out;
    });
}

Result<std::int64_t> SqliteJournal::expireClaims(std::int64_t nowMs) {
    return write<std::int64_t>("expire claims", [&](Session &session) -> Result<std::int64_t> {
        Poco::Int64 at = nowOr(nowMs);
        Poco::Int64 claimed = 0;
        session << "SELECT COUNT(*) FROM deliveries WHERE state = 'in_flight' AND lease_until_ms > ?", use(at),
            into(claimed), now;
        session << "UPDATE deliveries SET lease_until_ms = ? WHERE state = 'in_flight' AND lease_until_ms > ?", use(at),
            use(at), now;
        return static_cast<std::int64_t>(claimed);
    });
}

Result<bool> SqliteJournal::releaseClaim(std::int64_t deliveryId, std::int64_t claim, std::int64_t nowMs) {
    return write<bool>("release claim", [&](Session &session) -> Result<bool> {
        Poco::Int64 at = nowOr(nowMs);
        Poco::Int64 id = deliveryId;
        Poco::Int64 current = claim;
        Poco::Int64 matched = 0;
        session << "SELECT COUNT(*) FROM deliveries WHERE id = ? AND claim = ? AND state = 'in_flight'", use(id),
            use(current), into(matched), now;
        if (matched == 0) return error(errc::kStaleClaim, "the claim is no longer current");
        session << "UPDATE deliveries SET state = 'pending', attempts = MAX(attempts - 1, 0), lease_until_ms = NULL, "
                   "next_attempt_at_ms = ? WHERE id = ?",
            use(at), use(id), now;
        return true;
    });
}

Result<bool> SqliteJournal::purgeBlobKey(std::string_view blobId, std::int64_t nowMs) {
    auto purged = write<bool>("purge blob key", [&](Session &session) -> Result<bool> {
        std::string id(blobId);
        Poco::Int64 at = nowOr(nowMs);
        int known = 0;
        int alreadyPurged = 0;
        session << "SELECT COUNT(*), COALESCE(SUM(purged_at_ms IS NOT NULL), 0) FROM blobs WHERE blob_id = ?", use(id),
            into(known), into(alreadyPurged), now;
        if (known == 0) return error(errc::kNotFound, "no such blob");
        if (alreadyPurged != 0) return true;
        session << "UPDATE blobs SET wrapped_key = NULL, purged_at_ms = ? WHERE blob_id = ?", use(at), use(id), now;
        std::string kind(toString(EventKind::BlobPurged));
        session << "INSERT INTO events (at_ms, kind, detail) VALUES (?, ?, ?)", use(at), use(kind), use(id), now;
        return true;
    });
    if (!purged) return purged;
    // Old page images holding the key may still sit in the WAL; a truncating
    // checkpoint writes the zeroed page home and empties the WAL. If readers
    // keep it from finishing, the next checkpoint does it; the key is
    // already unreachable through SQL.
    std::lock_guard lock(writeMutex_);
    try {
        writer() << "PRAGMA wal_checkpoint(TRUNCATE)", now;
    } catch (const std::exception &) {
    }
    return purged;
}

}  // namespace sqlite

Result<std::unique_ptr<Journal>> openSqliteJournal(const SqliteJournalOptions &options, const Clock &clock) {
    using namespace Poco::Data::Keywords;
    using sqlite::error;
    if (options.path.empty()) return error(errc::kInvalidConfig, "journal path is not configured");
    auto synchronous = sqlite::normalizeSynchronous(options.synchronous);
    if (!synchronous) {
        return error(errc::kInvalidConfig,
                     "journal setting synchronous must be FULL or EXTRA (or, with "
                     "allow_unsafe_synchronous, NORMAL or OFF)");
    }
    if ((*synchronous == "OFF" || *synchronous == "NORMAL") && !options.allowUnsafeSynchronous) {
        return error(errc::kUnsafeConfig,
                     "journal setting synchronous=" + *synchronous +
                         " can lose acknowledged messages on power loss; use FULL or EXTRA, or set "
                         "allow_unsafe_synchronous to accept that risk");
    }
    if (options.busyTimeoutMs < 0) return error(errc::kInvalidConfig, "journal setting busy_timeout_ms is negative");
    if (auto created = sqlite::createPrivateDatabaseFile(options.path); !created) return created.error();

    sqlite::ConnectionSettings settings{options.path, *synchronous, options.busyTimeoutMs, false,
                                        options.writerCacheBytes};
    try {
        auto writer = sqlite::openSession(settings);
        std::string mode;
        *writer << "PRAGMA journal_mode = WAL", into(mode), now;
        if (mode != "wal") {
            return error(errc::kInvalidConfig, "journal " + options.path.string() +
                                                   " cannot use WAL mode (journal_mode is " + mode +
                                                   "); put it on a local file system");
        }
        auto migrated = sqlite::migrate(*writer, sqlite::journalMigrations(), options.path.string(), clock.nowUnixMs());
        if (!migrated) return migrated.error();
        return std::unique_ptr<Journal>(
            std::make_unique<sqlite::SqliteJournal>(options, settings, clock, std::move(writer)));
    } catch (const std::exception &e) {
        return sqlite::storageError(e, "open " + options.path.string());
    }
}

}  // namespace lendgate::journal
