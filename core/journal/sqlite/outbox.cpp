// SqliteJournal's outbox: claiming due deliveries in per-(destination, case)
// order, recording outcomes, dead letters and replay.
#include <algorithm>
#include <map>
#include <set>

#include "core/common/redact.h"
#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxClaim = 1000;
constexpr std::size_t kMaxLaneClaim = 50000;  // one batch file's records
constexpr std::size_t kMaxErrorText = 500;

Error failure(std::string_view code, std::string message) {
    return Error{std::string(code), std::move(message)};
}

// A delivery is due if it is the head of its queue: every earlier delivery of
// the same (destination, queue) is delivered. A critical one (HOLD, CANCEL)
// also passes a dead letter and whatever waits behind that dead letter, since
// those cannot move until an operator acts and a hold must not wait for that;
// likewise a delivery a policy holds (an order waiting out a hold).
constexpr const char *kHeadOfQueue =
    " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.destination = d.destination AND e.queue_key = d.queue_key "
    "AND e.queue_seq < d.queue_seq AND e.state NOT IN ('delivered', 'cancelled') "
    "AND (d.critical = 0 OR (e.state <> 'dead' AND e.held_by IS NULL AND NOT EXISTS (SELECT 1 FROM deliveries f "
    "WHERE f.destination = e.destination AND f.queue_key = e.queue_key AND f.queue_seq < e.queue_seq "
    "AND (f.state = 'dead' OR f.held_by IS NOT NULL)))))";

/// Columns of a claim beyond DeliveryRows: FROM deliveries d JOIN messages m JOIN submissions s.
struct ClaimExtras {
    static constexpr const char *kColumns =
        ", d.claim, m.sender, COALESCE(m.case_id, ''), COALESCE(m.body, ''), "
        "CASE WHEN m.body IS NULL THEN COALESCE(s.blob_id, '') ELSE '' END, COALESCE(m.blob_offset, 0), "
        "COALESCE(m.blob_length, 0), COALESCE(m.sealed_fields, '')";
    Int64s claim;
    Texts sender, caseId, body, blobId, sealed;
    Int64s offset, length;

    void attach(Statement &statement) {
        statement, into(claim), into(sender), into(caseId), into(body), into(blobId), into(offset), into(length),
            into(sealed);
    }
};

}  // namespace

void refreshMessageStates(Session &session, const std::set<Poco::Int64> &messageRows) {
    if (messageRows.empty()) return;
    Int64s rows(messageRows.begin(), messageRows.end());
    session << "UPDATE messages SET state = CASE "
               "WHEN EXISTS (SELECT 1 FROM deliveries WHERE message = ?1 AND state = 'dead') THEN 'dead' "
               "WHEN EXISTS (SELECT 1 FROM deliveries WHERE message = ?1 AND state IN ('pending', 'in_flight')) "
               "THEN 'pending' "
               "WHEN NOT EXISTS (SELECT 1 FROM deliveries WHERE message = ?1 AND state = 'delivered') THEN 'cancelled' "
               "ELSE 'delivered' END WHERE id = ?1",
        use(rows), now;
}

Result<std::vector<ClaimedDelivery>> SqliteJournal::claimDue(const ClaimQuery &query) {
    using Out = std::vector<ClaimedDelivery>;
    return write<Out>("claim deliveries", [&](Session &session) -> Result<Out> {
        Poco::Int64 at = nowOr(query.nowMs);
        Poco::Int64 leaseUntil = at + std::max<std::int64_t>(query.leaseMs, 1);
        const std::size_t wanted = std::clamp<std::size_t>(query.limit, 1, query.lane ? kMaxLaneClaim : kMaxClaim);
        // Bound in the order their placeholders appear in the filter.
        std::vector<std::string> filterValues;
        std::string destinationFilter;
        // "+d.destination": the unary plus keeps SQLite from using the
        // (destination, queue_key, queue_seq) index for the filter. With it,
        // the planner walked every delivery the destination ever had
        // (delivered ones included) and sorted them: a claim cost grew with
        // history (~50 ms at 20k deliveries). Without it, each scan walks its
        // partial index (pending or in-flight rows only) in due order and
        // stops at the limit.
        if (query.lane) {
            destinationFilter = " AND +d.destination = ? AND m.message_type = ? AND d.critical = 0";
            filterValues = {query.lane->destination, query.lane->messageType};
        } else {
            if (!query.destinations.empty()) {
                destinationFilter = " AND +d.destination IN (?";
                for (std::size_t i = 1; i < query.destinations.size(); ++i) destinationFilter += ", ?";
                destinationFilter += ")";
                filterValues = query.destinations;
            }
            if (!query.batchedLanes.empty()) {
                destinationFilter += " AND NOT (d.critical = 0 AND (";
                for (std::size_t i = 0; i < query.batchedLanes.size(); ++i) {
                    destinationFilter += i == 0 ? "" : " OR ";
                    destinationFilter += "(d.destination = ? AND m.message_type = ?)";
                    filterValues.push_back(query.batchedLanes[i].destination);
                    filterValues.push_back(query.batchedLanes[i].messageType);
                }
                destinationFilter += "))";
            }
        }

        Out out;
        Int64s claimedIds;
        // Expired leases first (a worker died mid-attempt), then due pending
        // deliveries in due order; each scan walks its own partial index.
        const std::pair<const char *, const char *> scans[] = {
            {"d.state = 'in_flight' AND d.lease_until_ms <= ?", " ORDER BY d.lease_until_ms, d.id"},
            {"d.state = 'pending' AND d.next_attempt_at_ms <= ?", " ORDER BY d.next_attempt_at_ms, d.id"},
        };
        for (const auto &[where, order] : scans) {
            if (out.size() >= wanted) break;
            Poco::Int64 limit = static_cast<Poco::Int64>(wanted - out.size());
            DeliveryRows rows;
            ClaimExtras extras;
            Statement select(session);
            select << "SELECT " << DeliveryRows::kColumns << ClaimExtras::kColumns
                   << " FROM deliveries d JOIN messages m ON m.id = d.message JOIN submissions s ON s.id = "
                      "m.submission WHERE "
                   << where << destinationFilter << kHeadOfQueue << order << " LIMIT ?",
                use(at);
            for (std::string &value : filterValues) select, use(value);
            select, use(limit);
            rows.attach(select);
            extras.attach(select);
            select.execute();
            for (std::size_t i = 0; i < rows.size(); ++i) {
                ClaimedDelivery claimed;
                claimed.delivery = rows.row(i);
                claimed.delivery.state = DeliveryState::InFlight;
                claimed.delivery.attempts += 1;
                claimed.claim = extras.claim[i] + 1;
                claimed.sender = extras.sender[i];
                claimed.caseId = extras.caseId[i];
                claimed.body = StoredBody{extras.body[i], extras.blobId[i],
                                          BlobSlice{static_cast<std::uint64_t>(extras.offset[i]),
                                                    static_cast<std::uint64_t>(extras.length[i])},
                                          extras.sealed[i]};
                claimedIds.push_back(rows.id[i]);
                out.push_back(std::move(claimed));
            }
        }
        if (out.empty()) return out;
        // The attempt is counted now, before it is made: a record that crashes
        // the daemon on every attempt still runs out of attempts.
        Int64s leases(claimedIds.size(), leaseUntil);
        session << "UPDATE deliveries SET state = 'in_flight', claim = claim + 1, attempts = attempts + 1, "
                   "lease_until_ms = ? WHERE id = ?",
            use(leases), use(claimedIds), now;
        return out;
    });
}

Result<BatchBacklog> SqliteJournal::batchBacklog(const BatchLane &lane, std::int64_t nowMs) {
    return read<BatchBacklog>("read a batch lane", [&](Session &session) -> Result<BatchBacklog> {
        std::string destination = lane.destination;
        std::string type = lane.messageType;
        Poco::Int64 at = nowOr(nowMs);
        Poco::Int64 due = 0, since = 0, critical = 0;
        // A record behind another of its case could not leave before that one
        // was delivered: its wait starts then, not when it was journaled.
        Statement select(session);
        select << "SELECT COUNT(*), COALESCE(MIN(MAX(d.pending_since_ms, COALESCE((SELECT MAX(e.delivered_at_ms) "
                  "FROM deliveries e WHERE e.destination = d.destination AND e.queue_key = d.queue_key "
                  "AND e.queue_seq < d.queue_seq), 0))), 0), "
                  "COALESCE(MAX(EXISTS (SELECT 1 FROM deliveries c WHERE c.destination = d.destination "
                  "AND c.queue_key = d.queue_key AND c.queue_seq > d.queue_seq AND c.critical = 1 "
                  "AND c.state = 'pending')), 0) "
                  "FROM deliveries d JOIN messages m ON m.id = d.message "
                  "WHERE d.destination = ?1 AND m.message_type = ?2 AND d.critical = 0 "
                  "AND ((d.state = 'pending' AND d.next_attempt_at_ms <= ?3) "
                  "OR (d.state = 'in_flight' AND d.lease_until_ms <= ?3))"
               << kHeadOfQueue,
            use(destination), use(type), use(at), into(due), into(since), into(critical);
        select.execute();
        return BatchBacklog{due, since, critical != 0};
    });
}

Result<std::int64_t> SqliteJournal::nextFileSequence(const BatchLane &lane, std::string_view day) {
    return write<std::int64_t>("number a batch file", [&](Session &session) -> Result<std::int64_t> {
        std::string destination = lane.destination;
        std::string type = lane.messageType;
        std::string dayText(day);
        if (destination.empty() || type.empty() || dayText.empty())
            return failure(errc::kInvalidArgument, "a file sequence needs a destination, a message type and a day");
        session << "INSERT INTO file_sequences (destination, message_type, day, last_seq) VALUES (?1, ?2, ?3, 1) "
                   "ON CONFLICT (destination, message_type, day) DO UPDATE SET last_seq = last_seq + 1",
            use(destination), use(type), use(dayText), now;
        Poco::Int64 sequence = 0;
        session << "SELECT last_seq FROM file_sequences WHERE destination = ?1 AND message_type = ?2 AND day = ?3",
            use(destination), use(type), use(dayText), into(sequence), now;
        return static_cast<std::int64_t>(sequence);
    });
}

std::vector<Result<bool>> SqliteJournal::complete(std::span<const DeliveryOutcome> outcomes) {
    using Out = std::vector<Result<bool>>;
    if (outcomes.empty()) return {};
    auto written = write<Out>("record delivery outcomes", [&](Session &session) -> Result<Out> {
        Int64s ids;
        for (const DeliveryOutcome &outcome : outcomes) ids.push_back(outcome.deliveryId);
        Int64s foundId, foundClaim, foundCritical, foundMessage;
        Texts foundState, foundDestination, foundCase;
        session << "SELECT d.id, d.claim, d.critical, d.message, d.state, d.destination, COALESCE(m.case_id, '') "
                   "FROM deliveries d JOIN messages m ON m.id = d.message WHERE d.id = ?",
            use(ids), into(foundId), into(foundClaim), into(foundCritical), into(foundMessage), into(foundState),
            into(foundDestination), into(foundCase), now;
        std::map<Poco::Int64, std::size_t> byId;
        for (std::size_t i = 0; i < foundId.size(); ++i) byId[foundId[i]] = i;

        Out results;
        Int64s updateId, updateAt, updateNext, updateStatus, updateDelivered;
        Texts updateState, updateError;
        Int64s eventAt, eventMessage, eventDelivery, eventStatus, eventLatency;
        Texts eventKind, eventCase, eventDestination, eventDetail;
        std::set<Poco::Int64> touched;
        std::set<Poco::Int64> reported;  // one outcome per claim
        for (const DeliveryOutcome &outcome : outcomes) {
            auto it = byId.find(outcome.deliveryId);
            if (it == byId.end()) {
                results.emplace_back(failure(errc::kNotFound, "no such delivery"));
                continue;
            }
            const std::size_t f = it->second;
            if (foundState[f] != "in_flight" || foundClaim[f] != outcome.claim || !reported.insert(foundId[f]).second) {
                results.emplace_back(failure(errc::kStaleClaim, "delivery " + std::to_string(outcome.deliveryId) +
                                                                    " is no longer claimed by this worker"));
                continue;
            }
            if (outcome.kind == OutcomeKind::DeadLetter && foundCritical[f] != 0) {
                results.emplace_back(
                    failure(errc::kInvalidState, "delivery " + std::to_string(outcome.deliveryId) +
                                                     " is critical (HOLD or CANCEL): it is never dead-lettered, it "
                                                     "keeps retrying and escalating"));
                reported.erase(foundId[f]);
                continue;
            }
            const Poco::Int64 at = nowOr(outcome.atMs);
            const std::string error = redactForLog(outcome.error, kMaxErrorText);
            updateId.push_back(outcome.deliveryId);
            updateAt.push_back(at);
            updateStatus.push_back(outcome.status);
            updateError.push_back(error);
            EventKind kind = EventKind::Delivered;
            switch (outcome.kind) {
                case OutcomeKind::Delivered:
                    updateState.emplace_back("delivered");
                    updateNext.push_back(at);
                    updateDelivered.push_back(at);
                    break;
                case OutcomeKind::Retry:
                    updateState.emplace_back("pending");
                    updateNext.push_back(std::max<Poco::Int64>(outcome.nextAttemptAtMs, at));
                    updateDelivered.push_back(0);
                    kind = EventKind::DeliveryAttempted;
                    break;
                case OutcomeKind::DeadLetter:
                    updateState.emplace_back("dead");
                    updateNext.push_back(at);
                    updateDelivered.push_back(0);
                    kind = EventKind::DeadLettered;
                    break;
            }
            if (outcome.kind != OutcomeKind::Retry) touched.insert(foundMessage[f]);
            eventAt.push_back(at);
            eventKind.emplace_back(toString(kind));
            eventMessage.push_back(foundMessage[f]);
            eventDelivery.push_back(outcome.deliveryId);
            eventCase.push_back(foundCase[f]);
            eventDestination.push_back(foundDestination[f]);
            eventStatus.push_back(outcome.status);
            eventLatency.push_back(outcome.latencyMs);
            eventDetail.push_back(error);
            results.emplace_back(true);
        }
        if (!updateId.empty()) {
            session << "UPDATE deliveries SET state = ?1, lease_until_ms = NULL, next_attempt_at_ms = ?2, "
                       "last_status = NULLIF(?3, 0), last_error = NULLIF(?4, ''), "
                       "delivered_at_ms = NULLIF(?5, 0) WHERE id = ?6",
                use(updateState), use(updateNext), use(updateStatus), use(updateError), use(updateDelivered),
                use(updateId), now;
            session << "INSERT INTO events (at_ms, kind, message, delivery, case_id, destination, status, latency_ms, "
                       "detail) VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, 0), NULLIF(?, -1), NULLIF(?, ''))",
                use(eventAt), use(eventKind), use(eventMessage), use(eventDelivery), use(eventCase),
                use(eventDestination), use(eventStatus), use(eventLatency), use(eventDetail), now;
            refreshMessageStates(session, touched);
        }
        return results;
    });
    if (written) return std::move(written).value();
    return Out(outcomes.size(), written.error());
}

void SqliteJournal::replayLocked(Session &session, std::int64_t deliveryRow, std::int64_t nowMs,
                                 const std::string &actor) {
    Poco::Int64 id = deliveryRow;
    Poco::Int64 at = nowMs;
    session << "UPDATE deliveries SET state = 'pending', attempts = 0, lease_until_ms = NULL, "
               "next_attempt_at_ms = ?1, pending_since_ms = ?1, delivered_at_ms = NULL WHERE id = ?2",
        use(at), use(id), now;
    std::string kind(toString(EventKind::Replayed));
    std::string detail = redactForLog(actor, 200);
    session << "INSERT INTO events (at_ms, kind, message, delivery, case_id, destination, detail) "
               "SELECT ?, ?, d.message, d.id, m.case_id, d.destination, NULLIF(?, '') "
               "FROM deliveries d JOIN messages m ON m.id = d.message WHERE d.id = ?",
        use(at), use(kind), use(detail), use(id), now;
}

Result<bool> SqliteJournal::replay(std::int64_t deliveryId, std::int64_t nowMs, std::string_view actor) {
    return write<bool>("replay delivery", [&](Session &session) -> Result<bool> {
        Poco::Int64 id = deliveryId;
        Texts state;
        Int64s message;
        session << "SELECT state, message FROM deliveries WHERE id = ?", use(id), into(state), into(message), now;
        if (state.empty()) return failure(errc::kNotFound, "no such delivery");
        if (state[0] != "dead" && state[0] != "delivered") {
            return failure(errc::kInvalidState, "delivery " + std::to_string(deliveryId) + " is " + state[0] +
                                                    "; only dead-lettered or delivered ones can be replayed");
        }
        replayLocked(session, deliveryId, nowOr(nowMs), std::string(actor));
        refreshMessageStates(session, {message[0]});
        return true;
    });
}

Result<std::int64_t> SqliteJournal::replayDeadLetters(std::string_view destination, std::int64_t nowMs,
                                                      std::string_view actor) {
    return write<std::int64_t>("replay dead letters", [&](Session &session) -> Result<std::int64_t> {
        std::string to(destination);
        Int64s ids, messages;
        session << "SELECT id, message FROM deliveries WHERE state = 'dead' AND destination = ? ORDER BY id", use(to),
            into(ids), into(messages), now;
        const std::int64_t at = nowOr(nowMs);
        for (Poco::Int64 id : ids) replayLocked(session, id, at, std::string(actor));
        refreshMessageStates(session, std::set<Poco::Int64>(messages.begin(), messages.end()));
        return static_cast<std::int64_t>(ids.size());
    });
}

}  // namespace lendgate::journal::sqlite
