// Alerts in the SQLite journal: raised (once per dedupe key), listed,
// acknowledged by an operator, handed to the operator webhook, counted for
// /metrics; and the cases the clock watches.
#include <algorithm>
#include <limits>

#include "core/common/redact.h"
#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxAlertPage = 1000;

struct AlertRows {
    static constexpr const char *kColumns =
        "id, at_ms, kind, severity, COALESCE(dedupe_key, ''), COALESCE(case_id, ''), COALESCE(message_id, ''), "
        "COALESCE(partner, ''), COALESCE(delivery, 0), text, COALESCE(detail, ''), COALESCE(acknowledged_at_ms, 0), "
        "COALESCE(acknowledged_by, ''), COALESCE(notified_at_ms, 0)";

    Int64s id, at;
    Texts kind, severity, key, caseId, messageId, partner;
    Int64s delivery;
    Texts text, detail;
    Int64s acknowledgedAt;
    Texts acknowledgedBy;
    Int64s notifiedAt;

    void attach(Statement &statement) {
        statement, into(id), into(at), into(kind), into(severity), into(key), into(caseId), into(messageId),
            into(partner), into(delivery), into(text), into(detail), into(acknowledgedAt), into(acknowledgedBy),
            into(notifiedAt);
    }
    std::size_t size() const { return id.size(); }
    Alert row(std::size_t i) const {
        Alert alert;
        alert.alertId = id[i];
        alert.record = AlertRecord{kind[i],    severity[i], key[i],  caseId[i], messageId[i],
                                   partner[i], delivery[i], text[i], detail[i], at[i]};
        alert.acknowledgedAtMs = acknowledgedAt[i];
        alert.acknowledgedBy = acknowledgedBy[i];
        alert.notifiedAtMs = notifiedAt[i];
        return alert;
    }
};

std::vector<Alert> selectAlerts(Session &session, const std::string &where, const std::vector<std::string> &texts,
                                Poco::Int64 after, Poco::Int64 limit) {
    AlertRows rows;
    Statement statement(session);
    statement << "SELECT " << AlertRows::kColumns << " FROM alerts WHERE id > ?" << where << " ORDER BY id LIMIT ?";
    statement, use(after);
    for (const std::string &text : texts) statement, bind(text);
    statement, use(limit);
    rows.attach(statement);
    statement.execute();
    std::vector<Alert> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(rows.row(i));
    return out;
}

}  // namespace

std::optional<std::int64_t> insertAlert(Session &session, const AlertRecord &alert, std::int64_t atMs) {
    Poco::Int64 at = atMs, delivery = alert.deliveryId;
    std::string kind = alert.kind, severity = alert.severity, key = alert.dedupeKey, caseId = alert.caseId;
    std::string messageId = alert.messageId, partner = alert.partner, text = redactForLog(alert.text);
    std::string detail = alert.detail;
    Statement insert = (session << "INSERT OR IGNORE INTO alerts (at_ms, kind, severity, dedupe_key, case_id, "
                                   "message_id, partner, delivery, text, detail) VALUES (?, ?, ?, NULLIF(?, ''), "
                                   "NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, 0), ?, NULLIF(?, ''))",
                        use(at), use(kind), use(severity), use(key), use(caseId), use(messageId), use(partner),
                        use(delivery), use(text), use(detail));
    if (insert.execute() == 0) return std::nullopt;
    Poco::Int64 id = 0;
    session << "SELECT last_insert_rowid()", into(id), now;
    return id;
}

std::vector<Alert> alertsOfCase(Session &session, const std::string &caseId) {
    return selectAlerts(session, " AND case_id = ?", {caseId}, 0, std::numeric_limits<Poco::Int64>::max());
}

Result<std::optional<Alert>> SqliteJournal::raiseAlert(const AlertRecord &alert) {
    if (alert.kind.empty() || alert.text.empty()) {
        return Error{std::string(errc::kInvalidArgument), "an alert needs a kind and a text"};
    }
    if (alert.severity != "warning" && alert.severity != "critical") {
        return Error{std::string(errc::kInvalidArgument), "alert severity must be warning or critical"};
    }
    const std::int64_t at = nowOr(alert.atMs);
    return write<std::optional<Alert>>("raise alert", [&](Session &session) -> Result<std::optional<Alert>> {
        const auto id = insertAlert(session, alert, at);
        if (!id) return std::optional<Alert>{};
        auto rows = selectAlerts(session, "", {}, *id - 1, 1);
        return rows.empty() ? std::optional<Alert>{} : std::optional<Alert>{rows.front()};
    });
}

Result<std::vector<Alert>> SqliteJournal::listAlerts(const AlertQuery &query) {
    using Out = std::vector<Alert>;
    return read<Out>("list alerts", [&](Session &session) -> Result<Out> {
        std::string where;
        std::vector<std::string> texts;
        if (!query.includeAcknowledged) where += " AND acknowledged_at_ms IS NULL";
        if (query.severity) {
            where += " AND severity = ?";
            texts.push_back(*query.severity);
        }
        if (query.caseId) {
            where += " AND case_id = ?";
            texts.push_back(*query.caseId);
        }
        if (query.partner) {
            where += " AND partner = ?";
            texts.push_back(*query.partner);
        }
        const auto limit = static_cast<Poco::Int64>(std::clamp<std::size_t>(query.limit, 1, kMaxAlertPage));
        return selectAlerts(session, where, texts, query.afterAlertId, limit);
    });
}

Result<bool> SqliteJournal::acknowledgeAlert(std::int64_t alertId, std::string_view actor, std::int64_t nowMs) {
    return write<bool>("acknowledge alert", [&](Session &session) -> Result<bool> {
        Poco::Int64 id = alertId, at = nowOr(nowMs);
        std::string by(actor);
        Int64s found;
        session << "SELECT COALESCE(acknowledged_at_ms, 0) FROM alerts WHERE id = ?", use(id), into(found), now;
        if (found.empty()) {
            return Error{std::string(errc::kNotFound), "no alert " + std::to_string(alertId)};
        }
        if (found[0] != 0) return false;
        session << "UPDATE alerts SET acknowledged_at_ms = ?, acknowledged_by = ? WHERE id = ?", use(at), use(by),
            use(id), now;
        return true;
    });
}

Result<std::vector<Alert>> SqliteJournal::alertsToNotify(std::size_t limit) {
    using Out = std::vector<Alert>;
    return read<Out>("list alerts to notify", [&](Session &session) -> Result<Out> {
        const auto page = static_cast<Poco::Int64>(std::clamp<std::size_t>(limit, 1, kMaxAlertPage));
        return selectAlerts(session, " AND notified_at_ms IS NULL", {}, 0, page);
    });
}

Result<bool> SqliteJournal::markAlertsNotified(std::span<const std::int64_t> alertIds, std::int64_t nowMs) {
    if (alertIds.empty()) return true;
    return write<bool>("mark alerts notified", [&](Session &session) -> Result<bool> {
        Int64s ids(alertIds.begin(), alertIds.end());
        Int64s at(ids.size(), nowOr(nowMs));  // Poco binds a vector per row; a scalar would not repeat
        session << "UPDATE alerts SET notified_at_ms = ? WHERE id = ? AND notified_at_ms IS NULL", use(at), use(ids),
            now;
        return true;
    });
}

Result<std::vector<AlertCount>> SqliteJournal::alertCounts() {
    using Out = std::vector<AlertCount>;
    return read<Out>("count alerts", [&](Session &session) -> Result<Out> {
        Texts severity, kind;
        Int64s open, total;
        session << "SELECT severity, kind, SUM(acknowledged_at_ms IS NULL), COUNT(*) FROM alerts "
                   "GROUP BY severity, kind ORDER BY severity, kind",
            into(severity), into(kind), into(open), into(total), now;
        Out out;
        for (std::size_t i = 0; i < severity.size(); ++i) out.push_back({severity[i], kind[i], open[i], total[i]});
        return out;
    });
}

Result<std::vector<std::string>> SqliteJournal::casesToWatch(std::int64_t sinceMs) {
    using Out = std::vector<std::string>;
    return read<Out>("list cases to watch", [&](Session &session) -> Result<Out> {
        Poco::Int64 since = sinceMs;
        Texts cases;
        // The WHERE repeats the partial index's, so SQLite can use it.
        session << "SELECT DISTINCT case_id FROM messages WHERE message_type IN ('repossession_assignment', "
                   "'repossession_outcome') AND case_id IS NOT NULL AND received_at_ms >= ? ORDER BY case_id",
            use(since), into(cases), now;
        return cases;
    });
}

}  // namespace lendgate::journal::sqlite
