// `lendgate report`'s figures, counted in SQL over the journaled canonical
// bodies (json_extract: SQLite's JSON functions are built in since 3.38).
#include <algorithm>

#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

// The messages of the period (and partner): ?1 from, ?2 to, ?3 partner or ''.
constexpr const char *kScoped =
    "WITH scoped AS (SELECT m.id, m.message_type AS type, m.sender, m.case_id, m.received_at_ms AS at, "
    "COALESCE(m.body, '{}') AS body FROM messages m WHERE m.received_at_ms >= ?1 AND m.received_at_ms < ?2 "
    "AND (?3 = '' OR m.sender = ?3 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message = m.id AND "
    "d.destination = ?3))) ";

// A json_extract of the canonical body, safe on an erased one ({"erased": ..}).
std::string field(const char *alias, const char *path) {
    return std::string("json_extract(") + alias + ".body, '$.payload." + path + "')";
}

}  // namespace

Result<ReportFigures> SqliteJournal::report(const ReportQuery &query) {
    if (query.toMs <= query.fromMs) {
        return Error{std::string(errc::kInvalidArgument), "the report's period ends before it starts"};
    }
    return read<ReportFigures>("report", [&](Session &session) -> Result<ReportFigures> {
        ReadTransaction snapshot(session);
        Poco::Int64 from = query.fromMs, to = query.toMs;
        std::string partner = query.partner.value_or("");
        ReportFigures out;
        const std::string action = field("s", "action"), event = field("s", "event"), status = field("s", "status");
        const std::string counts =
            std::string(kScoped) + "SELECT COALESCE(SUM(type = 'delinquency_notice'), 0), " +
            "COALESCE(SUM(type = 'hardship_application'), 0), COALESCE(SUM(type = 'hardship_decision'), 0), " +
            "COALESCE(SUM(type = 'hardship_decision' AND " + status + " = 'APPROVED'), 0), " +
            "COALESCE(SUM(type = 'hardship_decision' AND " + status + " = 'DENIED'), 0), " +
            "COALESCE(SUM(type = 'repossession_assignment' AND sender <> 'lendgate' AND " + action + " = 'NEW'), 0), " +
            "COALESCE(SUM(type = 'repossession_assignment' AND sender = 'lendgate' AND " + action +
            " = 'CANCEL'), 0), " + "COALESCE(SUM(type = 'repossession_assignment' AND sender = 'lendgate' AND " +
            action + " = 'RELEASE_HOLD'), 0), " + "COALESCE(SUM(type = 'repossession_outcome' AND " + event +
            " = 'RECOVERED'), 0), " + "COALESCE(SUM(type = 'repossession_outcome' AND " + event +
            " = 'VOLUNTARY_SURRENDER'), 0), " + "COALESCE(SUM(type = 'repossession_outcome' AND " + event +
            " = 'REDEEMED'), 0), " + "COALESCE(SUM(type = 'referral'), 0), " +
            "COALESCE(SUM(type = 'referral_update' AND " + status + " = 'accepted'), 0), " +
            "COALESCE(SUM(type = 'referral_update' AND " + status + " = 'completed'), 0), " +
            "COUNT(DISTINCT CASE WHEN type = 'delinquency_notice' THEN case_id END) FROM scoped s";
        session << counts, use(from), use(to), use(partner), into(out.notices), into(out.hardshipApplications),
            into(out.hardshipDecisions), into(out.hardshipApproved), into(out.hardshipDenied), into(out.assignments),
            into(out.cancelsSent), into(out.releasesSent), into(out.recoveries), into(out.voluntarySurrenders),
            into(out.redemptions), into(out.referralsOffered), into(out.referralsAccepted),
            into(out.referralsCompleted), into(out.casesWithNotice), now;

        // NEW orders a policy refused or held (decisions about them).
        const std::string orders = std::string(kScoped) +
                                   "SELECT COUNT(DISTINCT CASE WHEN d.outcome = 'REFUSE' THEN s.id END), "
                                   "COUNT(DISTINCT CASE WHEN d.outcome = 'HOLD' THEN s.id END) FROM scoped s "
                                   "JOIN decisions d ON d.message = s.id WHERE s.type = 'repossession_assignment' "
                                   "AND " +
                                   action + " = 'NEW'";
        session << orders, use(from), use(to), use(partner), into(out.ordersRefused), into(out.ordersHeld), now;

        // Each HOLD delivered to a firm, and when that firm acknowledged it
        // (its first HOLD_ACK for the assignment after the HOLD was sent).
        Int64s sentAt, ackAt;
        const std::string holds =
            std::string(kScoped) +
            "SELECT COALESCE(NULLIF(dl.delivered_at_ms, 0), dl.created_at_ms), COALESCE((SELECT MIN(o.received_at_ms) "
            "FROM messages o WHERE o.case_id = s.case_id AND o.message_type = 'repossession_outcome' AND "
            "o.sender = dl.destination AND json_extract(o.body, '$.payload.event') = 'HOLD_ACK' AND "
            "json_extract(o.body, '$.payload.assignment_id') = " +
            field("s", "assignment_id") +
            " AND o.received_at_ms >= s.at), 0) FROM scoped s JOIN deliveries dl ON dl.message = s.id "
            "WHERE s.type = 'repossession_assignment' AND s.sender = 'lendgate' AND " +
            action + " = 'HOLD'";
        session << holds, use(from), use(to), use(partner), into(sentAt), into(ackAt), now;
        out.holdsSent = static_cast<std::int64_t>(sentAt.size());
        for (std::size_t i = 0; i < sentAt.size(); ++i) {
            if (ackAt[i] == 0) continue;
            ++out.holdsAcknowledged;
            out.holdAckHours.push_back(static_cast<double>(std::max<Poco::Int64>(0, ackAt[i] - sentAt[i])) / 3.6e6);
        }
        std::sort(out.holdAckHours.begin(), out.holdAckHours.end());

        // Days from a case's first notice of the period to the first
        // assistance offered on it (an approved decision or a referral).
        Int64s firstNotice, firstOffer;
        const std::string assistance =
            std::string(kScoped) +
            "SELECT MIN(s.at), COALESCE((SELECT MIN(a.received_at_ms) FROM messages a WHERE a.case_id = s.case_id "
            "AND a.received_at_ms >= MIN(s.at) AND (a.message_type = 'referral' OR (a.message_type = "
            "'hardship_decision' AND json_extract(a.body, '$.payload.status') = 'APPROVED'))), 0) FROM scoped s "
            "WHERE s.type = 'delinquency_notice' AND s.case_id IS NOT NULL GROUP BY s.case_id";
        session << assistance, use(from), use(to), use(partner), into(firstNotice), into(firstOffer), now;
        for (std::size_t i = 0; i < firstNotice.size(); ++i)
            if (firstOffer[i] != 0)
                out.daysToFirstAssistance.push_back(static_cast<double>(firstOffer[i] - firstNotice[i]) / 8.64e7);
        std::sort(out.daysToFirstAssistance.begin(), out.daysToFirstAssistance.end());
        return out;
    });
}

}  // namespace lendgate::journal::sqlite
