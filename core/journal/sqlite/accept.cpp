// SqliteJournal::acceptMany: idempotency checks, then every batch's rows
// written with one vector-bound statement per table for the whole group
// (binding vectors reaches ~170k rows/s where row-by-row execution manages
// ~100k).
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/common/redact.h"
#include "core/journal/intake_validation.h"
#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

Error failure(std::string_view code, std::string message) {
    return Error{std::string(code), std::move(message)};
}

enum class PlanKind { Failed, Answered, Write, SameAsEarlier };

/// What the checks decided for one batch, and then what writing it produced.
struct Plan {
    PlanKind kind = PlanKind::Failed;
    Error error;
    AcceptResult answer;      // Answered
    std::size_t earlier = 0;  // SameAsEarlier: the batch of this group it repeats
    AcceptDisposition disposition = AcceptDisposition::Accepted;
    // Write: a new submission, or a part of an open one.
    bool creates = false;
    Poco::Int64 row = 0;
    std::string submissionId;
    std::string hash;
    std::string blobId;
    Poco::Int64 receivedAt = 0;
    std::int64_t recordsThrough = 0;  // how far earlier parts got (resume skips that far)
    std::vector<RecordOutcome> outcomes;
    std::vector<Poco::Int64> messageRows;  // per record: its row, or 0 when not inserted now
    std::int64_t accepted = 0;
    std::int64_t duplicates = 0;
    std::int64_t rejected = 0;
    std::int64_t highestRecord = 0;
    std::string document;
};

/// Event rows for one insert statement.
struct EventBatch {
    Int64s at, submission, message, first, last, count;
    Texts kind, caseId, destination, rule, detail;

    void add(Poco::Int64 when, EventKind what, Poco::Int64 submissionRow, Poco::Int64 messageRow, std::string caseOf,
             std::uint64_t from, std::uint64_t to, std::uint64_t n, std::string to_, std::string ruleId,
             std::string text) {
        at.push_back(when);
        kind.emplace_back(toString(what));
        submission.push_back(submissionRow);
        message.push_back(messageRow);
        caseId.push_back(std::move(caseOf));
        first.push_back(static_cast<Poco::Int64>(from));
        last.push_back(static_cast<Poco::Int64>(to));
        count.push_back(static_cast<Poco::Int64>(n));
        destination.push_back(std::move(to_));
        rule.push_back(std::move(ruleId));
        detail.push_back(std::move(text));
    }
};

/// A submission that an incoming batch matches by key or content.
struct Existing {
    Poco::Int64 row = 0;
    std::string submissionId, bodyHash, result, blobId;
    bool keyMatch = false, open = false;
    std::int64_t recordsThrough = 0;
};

class AcceptWriter {
public:
    AcceptWriter(Session &session, UlidGenerator &ulids, std::int64_t nowMs)
        : session_(session), ulids_(ulids), nowMs_(nowMs) {}

    std::vector<Result<AcceptResult>> run(std::span<const IntakeBatch> batches);

private:
    void plan(std::size_t index, const IntakeBatch &batch);
    void planContinuation(Plan &plan, const IntakeBatch &batch);
    void planWrite(Plan &plan, const IntakeBatch &batch, std::string hash, const Existing *resume);
    void lookupAll();
    void insertSubmissions();
    void insertMessages();
    void insertDeliveries();
    void insertDeliveryRows(Int64s &messages, Texts &destinations, Texts &queues, Int64s &critical, Texts &rules,
                            Int64s &at, Texts &held);
    void insertLifecycle();
    void insertCaseChange(const Plan &plan, const IntakeBatch &batch);
    void releaseHeldOrders(std::string caseId, Poco::Int64 at);
    void releaseHeldDeliveriesOf(std::string messageId, Poco::Int64 at);
    void stopDeliveries(const IntakeRecord &record, Poco::Int64 at);
    void insertFollowUp(const Plan &plan, const IntakeRecord &trigger, const IntakeRecord &followUp, Poco::Int64 row);
    void insertEvents();
    void insertEventRows(EventBatch &events);
    void finishSubmissions();

    Session &session_;
    UlidGenerator &ulids_;
    std::int64_t nowMs_;
    std::span<const IntakeBatch> batches_;
    std::vector<Plan> plans_;
    std::vector<std::optional<Error>> invalid_;  // per batch: why validation refused it
    std::vector<std::vector<Existing>> found_;   // per batch: submissions matching its key or content
    std::map<std::pair<std::string, std::string>, std::size_t> byKey_;   // (sender, key) -> batch
    std::map<std::pair<std::string, std::string>, std::size_t> byHash_;  // (sender, hash) -> batch
    Poco::Int64 lastSubmissionRow_ = -1;
    Poco::Int64 firstNewMessageRow_ = 0;
};

// Every new batch's probes in one statement, compiled once per group and run
// once per batch (vector binding), instead of one compile per batch: with
// dozens of single-record POSTs per commit, compiling this three-part query
// was a large share of the writer thread's time, and every caller waits for
// that thread. ?4 tags each row with its batch. Planning writes nothing, so
// reading ahead sees what reading batch by batch would have.
void AcceptWriter::lookupAll() {
    found_.assign(batches_.size(), {});
    Texts who, k, h;
    Int64s index;
    for (std::size_t i = 0; i < batches_.size(); ++i) {
        const IntakeBatch &batch = batches_[i];
        if (invalid_[i] || !batch.continuation.empty()) continue;
        who.push_back(batch.sender);
        k.push_back(batch.idempotencyKey);
        h.push_back(batch.bodyHash.empty() ? batch.blob->contentId() : batch.bodyHash);
        index.push_back(static_cast<Poco::Int64>(i));
    }
    if (index.empty()) return;
    Int64s batchOf, row, keyMatch, open, through;
    Texts submissionId, bodyHash, blobId;
    std::vector<Poco::Data::BLOB> result;
    // Three probes, each on its own index (an OR of them would scan the
    // sender's submissions). Open submissions carry no dedup_hash yet, so they
    // are found by body hash. A row matching twice is harmless.
    static const std::string kColumns =
        "SELECT ?4, id, submission_id, body_hash, COALESCE(result, x''), COALESCE(blob_id, ''), "
        "idempotency_key IS NOT NULL AND idempotency_key = ?2, state = 'open', records_through FROM submissions ";
    session_ << kColumns + "WHERE sender = ?1 AND idempotency_key = NULLIF(?2, '') UNION ALL " + kColumns +
                    "WHERE sender = ?1 AND dedup_hash = ?3 UNION ALL " + kColumns +
                    "WHERE sender = ?1 AND state = 'open' AND body_hash = ?3",
        use(who), use(k), use(h), use(index), into(batchOf), into(row), into(submissionId), into(bodyHash),
        into(result), into(blobId), into(keyMatch), into(open), into(through), now;
    for (std::size_t i = 0; i < row.size(); ++i) {
        found_.at(static_cast<std::size_t>(batchOf[i]))
            .push_back(Existing{row[i], submissionId[i], bodyHash[i], fromBlob(result[i]), blobId[i], keyMatch[i] != 0,
                                open[i] != 0, through[i]});
    }
}

void AcceptWriter::plan(std::size_t index, const IntakeBatch &batch) {
    Plan &plan = plans_[index];
    if (invalid_[index]) {
        plan.error = *invalid_[index];
        return;
    }
    if (!batch.continuation.empty()) return planContinuation(plan, batch);

    const std::string hash = batch.bodyHash.empty() ? batch.blob->contentId() : batch.bodyHash;
    const auto conflict = [&] {
        plan.error = failure(errc::kConflict, "idempotency key was already used with a different body");
    };
    // Repeats inside this group first: the rows of the earlier batch are not
    // readable as a finished submission yet.
    auto repeats = [&](std::size_t earlier, AcceptDisposition disposition) {
        const Plan &first = plans_[earlier];
        if (batches_[earlier].lastPart) {
            plan.kind = PlanKind::SameAsEarlier;
            plan.earlier = earlier;
            plan.disposition = disposition;
        } else {
            Existing open{first.row, first.submissionId, first.hash, "", first.blobId, true, true, 0};
            planWrite(plan, batch, hash, &open);
        }
    };
    if (!batch.idempotencyKey.empty()) {
        if (auto it = byKey_.find({batch.sender, batch.idempotencyKey}); it != byKey_.end()) {
            if (plans_[it->second].hash != hash) return conflict();
            return repeats(it->second, AcceptDisposition::Replayed);
        }
    }
    if (auto it = byHash_.find({batch.sender, hash}); it != byHash_.end()) {
        return repeats(it->second, AcceptDisposition::DuplicateContent);
    }

    const std::vector<Existing> &found = found_[index];
    const Existing *byKey = nullptr;
    const Existing *complete = nullptr;
    const Existing *open = nullptr;
    for (const Existing &e : found) {
        if (e.keyMatch)
            byKey = &e;
        else if (e.open)
            open = &e;
        else
            complete = &e;
    }
    if (byKey != nullptr) {
        if (byKey->bodyHash != hash) return conflict();
        if (byKey->open) return planWrite(plan, batch, hash, byKey);
        complete = byKey;
    }
    if (complete != nullptr) {
        plan.kind = PlanKind::Answered;
        plan.answer = AcceptResult{byKey != nullptr ? AcceptDisposition::Replayed : AcceptDisposition::DuplicateContent,
                                   complete->submissionId,
                                   complete->result,
                                   {},
                                   complete->blobId};
        return;
    }
    planWrite(plan, batch, hash, open);
}

void AcceptWriter::planContinuation(Plan &plan, const IntakeBatch &batch) {
    std::string id = batch.continuation;
    Int64s row, open, through;
    Texts sender, bodyHash, blobId;
    session_ << "SELECT id, sender, body_hash, COALESCE(blob_id, ''), state = 'open', records_through "
                "FROM submissions WHERE submission_id = ?",
        use(id), into(row), into(sender), into(bodyHash), into(blobId), into(open), into(through), now;
    if (row.empty() || sender[0] != batch.sender) {
        plan.error = failure(errc::kNotFound, "no open submission to continue");
        return;
    }
    if (open[0] == 0) {
        plan.error = failure(errc::kInvalidState, "submission " + id + " is already complete");
        return;
    }
    const std::string hash = !batch.bodyHash.empty() ? batch.bodyHash
                             : batch.blob            ? batch.blob->contentId()
                                                     : bodyHash[0];
    if (hash != bodyHash[0]) {
        plan.error = failure(errc::kInvalidArgument, "a part's body hash differs from its submission's");
        return;
    }
    Existing existing{row[0], id, bodyHash[0], "", blobId[0], false, true, through[0]};
    planWrite(plan, batch, hash, &existing);
}

void AcceptWriter::planWrite(Plan &plan, const IntakeBatch &batch, std::string hash, const Existing *resume) {
    plan.kind = PlanKind::Write;
    plan.hash = std::move(hash);
    plan.receivedAt = batch.receivedAtMs > 0 ? batch.receivedAtMs : nowMs_;
    if (resume != nullptr) {
        plan.row = resume->row;
        plan.submissionId = resume->submissionId;
        plan.blobId = resume->blobId;
        plan.recordsThrough = resume->recordsThrough;
        return;
    }
    if (lastSubmissionRow_ < 0)
        session_ << "SELECT COALESCE(MAX(id), 0) FROM submissions", into(lastSubmissionRow_), now;
    plan.creates = true;
    plan.row = ++lastSubmissionRow_;
    plan.submissionId = ulids_.next();
    plan.blobId = batch.blob ? batch.blob->blobId() : "";
    const std::size_t index = static_cast<std::size_t>(&plan - plans_.data());
    if (!batch.idempotencyKey.empty()) byKey_[{batch.sender, batch.idempotencyKey}] = index;
    byHash_[{batch.sender, plan.hash}] = index;
}

void AcceptWriter::insertSubmissions() {
    Texts blobIds, contentIds;
    std::vector<Poco::Data::BLOB> wrappedKeys;
    Int64s sizes, blobCreated;
    Int64s rows, received;
    Texts ids, senders, keys, hashes, blobs, channels;
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        const Plan &plan = plans_[i];
        if (plan.kind != PlanKind::Write || !plan.creates) continue;
        const IntakeBatch &batch = batches_[i];
        if (batch.blob) {
            const BlobRecord &blob = batch.blob->record();
            blobIds.push_back(blob.blobId);
            contentIds.push_back(blob.contentId);
            wrappedKeys.push_back(toBlob(blob.wrappedKey));
            sizes.push_back(static_cast<Poco::Int64>(blob.size));
            blobCreated.push_back(plan.receivedAt);
        }
        rows.push_back(plan.row);
        ids.push_back(plan.submissionId);
        senders.push_back(batch.sender);
        keys.push_back(batch.idempotencyKey);
        hashes.push_back(plan.hash);
        blobs.push_back(plan.blobId);
        channels.push_back(batch.channel);
        received.push_back(plan.receivedAt);
    }
    if (!blobIds.empty()) {
        session_ << "INSERT INTO blobs (blob_id, content_id, wrapped_key, size, created_at_ms) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (blob_id) DO NOTHING",
            use(blobIds), use(contentIds), use(wrappedKeys), use(sizes), use(blobCreated), now;
    }
    if (rows.empty()) return;
    session_ << "INSERT INTO submissions (id, submission_id, sender, idempotency_key, body_hash, blob_id, channel, "
                "received_at_ms, state) VALUES (?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?, ?, 'open')",
        use(rows), use(ids), use(senders), use(keys), use(hashes), use(blobs), use(channels), use(received), now;
}

void AcceptWriter::insertMessages() {
    Poco::Int64 lastRow = 0;
    session_ << "SELECT COALESCE(MAX(id), 0) FROM messages", into(lastRow), now;
    firstNewMessageRow_ = lastRow + 1;

    Int64s rows, submissions, recordNumbers, received, offsets, lengths;
    Texts ids, types, senders, keys, cases, causes, states, bodies, sealed;
    std::vector<std::pair<std::size_t, std::size_t>> owners;  // (plan, record) of each row
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        Plan &plan = plans_[p];
        if (plan.kind != PlanKind::Write) continue;
        const IntakeBatch &batch = batches_[p];
        plan.outcomes.reserve(batch.records.size());
        for (std::size_t r = 0; r < batch.records.size(); ++r) {
            const IntakeRecord &record = batch.records[r];
            std::string id = record.messageId ? *record.messageId : ulids_.next();
            rows.push_back(++lastRow);
            plan.messageRows.push_back(lastRow);
            plan.outcomes.push_back(RecordOutcome{record.recordNumber, id, false});
            plan.highestRecord = std::max(plan.highestRecord, static_cast<std::int64_t>(record.recordNumber));
            ids.push_back(std::move(id));
            submissions.push_back(plan.row);
            recordNumbers.push_back(static_cast<Poco::Int64>(record.recordNumber));
            types.push_back(record.messageType);
            senders.push_back(batch.sender);
            keys.push_back(record.idempotencyKey);
            cases.push_back(record.caseId.value_or(""));
            causes.push_back(record.causationId.value_or(""));
            received.push_back(plan.receivedAt);
            states.push_back(!record.routes.empty() ? "pending" : record.unroutable ? "unroutable" : "stored");
            bodies.push_back(record.body);
            sealed.push_back(record.sealedFields);
            offsets.push_back(record.slice ? static_cast<Poco::Int64>(record.slice->offset) : -1);
            lengths.push_back(record.slice ? static_cast<Poco::Int64>(record.slice->length) : -1);
            owners.emplace_back(p, r);
        }
    }
    if (rows.empty()) return;
    Statement insert =
        (session_ << "INSERT INTO messages (id, message_id, submission, record_number, message_type, "
                     "sender, idempotency_key, case_id, causation_id, received_at_ms, state, body, "
                     "blob_offset, blob_length, sealed_fields) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), "
                     "NULLIF(?, ''), ?, ?, NULLIF(?, ''), NULLIF(?, -1), NULLIF(?, -1), NULLIF(?, '')) "
                     "ON CONFLICT (sender, idempotency_key) DO NOTHING",
         use(rows), use(ids), use(submissions), use(recordNumbers), use(types), use(senders), use(keys), use(cases),
         use(causes), use(received), use(states), use(bodies), use(offsets), use(lengths), use(sealed));
    const std::size_t inserted = insert.execute();
    if (inserted < rows.size()) {
        // Some record keys were journaled before (a corrected resend, a
        // resumed ingest) or repeat within this group: find who holds each.
        Int64s foundRow, foundSubmission;
        Texts foundId;
        session_ << "SELECT id, message_id, submission FROM messages WHERE sender = ? AND idempotency_key = ?",
            use(senders), use(keys), into(foundRow), into(foundId), into(foundSubmission), now;
        if (foundRow.size() != rows.size()) throw std::runtime_error("record key lookup returned a wrong row count");
        for (std::size_t k = 0; k < rows.size(); ++k) {
            if (foundRow[k] == rows[k]) continue;
            Plan &plan = plans_[owners[k].first];
            RecordOutcome &outcome = plan.outcomes[owners[k].second];
            outcome.messageId = foundId[k];
            // The same submission's own record from an earlier part or an
            // interrupted attempt is this record, not a duplicate of another.
            outcome.duplicate = !(foundSubmission[k] == plan.row && foundRow[k] < firstNewMessageRow_);
            plan.messageRows[owners[k].second] = 0;
        }
    }
    for (Plan &plan : plans_) {
        for (std::size_t r = 0; r < plan.outcomes.size(); ++r) {
            if (plan.messageRows[r] != 0)
                ++plan.accepted;
            else if (plan.outcomes[r].duplicate)
                ++plan.duplicates;
        }
    }
}

void AcceptWriter::insertDeliveries() {
    Int64s messages, critical, at;
    Texts destinations, queues, rules, held;
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        const Plan &plan = plans_[p];
        if (plan.kind != PlanKind::Write) continue;
        const IntakeBatch &batch = batches_[p];
        for (std::size_t r = 0; r < batch.records.size(); ++r) {
            if (plan.messageRows[r] == 0) continue;
            const IntakeRecord &record = batch.records[r];
            // Two rules naming one destination make one delivery; it is
            // critical if either says so. Every rule still gets its event.
            std::vector<std::size_t> merged;
            for (const Route &route : record.routes) {
                auto same = std::find_if(merged.begin(), merged.end(),
                                         [&](std::size_t m) { return destinations[m] == route.destination; });
                if (same != merged.end()) {
                    critical[*same] = critical[*same] | (route.critical ? 1 : 0);
                    continue;
                }
                merged.push_back(destinations.size());
                messages.push_back(plan.messageRows[r]);
                destinations.push_back(route.destination);
                queues.push_back(record.caseId.value_or(plan.outcomes[r].messageId));
                critical.push_back(route.critical ? 1 : 0);
                rules.push_back(route.ruleId);
                at.push_back(plan.receivedAt);
                held.push_back(route.heldBy);
            }
        }
    }
    if (messages.empty()) return;
    insertDeliveryRows(messages, destinations, queues, critical, rules, at, held);
}

// The sequence is computed per row as the statement runs, so deliveries to
// one queue within this group are numbered in input order too. A held
// delivery has no due time until its case's hold ends.
void AcceptWriter::insertDeliveryRows(Int64s &messages, Texts &destinations, Texts &queues, Int64s &critical,
                                      Texts &rules, Int64s &at, Texts &held) {
    session_ << "INSERT INTO deliveries (message, destination, queue_key, queue_seq, critical, rule_id, state, "
                "next_attempt_at_ms, pending_since_ms, created_at_ms, held_by) VALUES (?1, ?2, ?3, "
                "(SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM deliveries WHERE destination = ?2 AND queue_key = ?3), "
                "?4, NULLIF(?5, ''), 'pending', CASE WHEN ?7 = '' THEN ?6 ELSE 9223372036854775807 END, ?6, ?6, "
                "NULLIF(?7, ''))",
        use(messages), use(destinations), use(queues), use(critical), use(rules), use(at), use(held), now;
}

// What the compliance policies added to records that were new: their
// decisions, the messages the gateway sends because of them, and the end of
// a case's hold. Rare next to the records themselves, so row by row.
void AcceptWriter::insertLifecycle() {
    Poco::Int64 lastRow = 0;
    bool lastRowKnown = false;
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        const Plan &plan = plans_[p];
        if (plan.kind != PlanKind::Write) continue;
        const IntakeBatch &batch = batches_[p];
        if (!batch.caseId.empty()) insertCaseChange(plan, batch);
        for (std::size_t r = 0; r < batch.records.size(); ++r) {
            if (plan.messageRows[r] == 0) continue;
            const IntakeRecord &record = batch.records[r];
            Poco::Int64 at = plan.receivedAt;
            std::string caseId = record.caseId.value_or("");
            for (const PolicyDecisionRecord &decision : record.decisions) {
                Poco::Int64 message = plan.messageRows[r];
                std::string policy = decision.policyId, outcome = decision.outcome, detail = decision.json;
                session_ << "INSERT INTO decisions (at_ms, case_id, message, policy_id, outcome, detail) "
                            "VALUES (?, NULLIF(?, ''), ?, ?, ?, ?)",
                    use(at), use(caseId), use(message), use(policy), use(outcome), use(detail), now;
            }
            for (const IntakeRecord &followUp : record.followUps) {
                if (!lastRowKnown) {
                    session_ << "SELECT COALESCE(MAX(id), 0) FROM messages", into(lastRow), now;
                    lastRowKnown = true;
                }
                insertFollowUp(plan, record, followUp, ++lastRow);
            }
            if (!record.alerts.empty()) {
                const std::string messageId = plan.outcomes[r].messageId;
                for (AlertRecord alert : record.alerts) {
                    alert.messageId = messageId;
                    if (alert.caseId.empty()) alert.caseId = caseId;
                    insertAlert(session_, alert, at);
                }
            }
            if (record.releasesHeld && !caseId.empty()) releaseHeldOrders(caseId, at);
            if (!record.stopsDeliveriesOf.empty()) stopDeliveries(record, at);
        }
    }
}

// Deliveries still waiting are stopped; one in flight may already have
// reached the partner, so it is left to finish and report what happened.
void AcceptWriter::stopDeliveries(const IntakeRecord &record, Poco::Int64 at) {
    Texts messageIds(record.stopsDeliveriesOf.begin(), record.stopsDeliveriesOf.end());
    Int64s rows, messages;
    Texts destinations, cases;
    session_ << "SELECT d.id, d.message, d.destination, COALESCE(m.case_id, '') FROM deliveries d "
                "JOIN messages m ON m.id = d.message WHERE m.message_id = ? AND d.state = 'pending'",
        use(messageIds), into(rows), into(messages), into(destinations), into(cases), now;
    if (rows.empty()) return;
    Texts details(rows.size(), record.stopReason);
    session_ << "UPDATE deliveries SET state = 'cancelled', held_by = NULL, last_error = NULLIF(?, '') WHERE id = ?",
        use(details), use(rows), now;
    Int64s when(rows.size(), at);
    Texts kinds(rows.size(), std::string(toString(EventKind::Cancelled)));
    session_ << "INSERT INTO events (at_ms, kind, message, delivery, case_id, destination, detail) "
                "VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''))",
        use(when), use(kinds), use(messages), use(rows), use(cases), use(destinations), use(details), now;
    refreshMessageStates(session_, std::set<Poco::Int64>(messages.begin(), messages.end()));
}

// The case's hold ended: what waited for it is due now.
// Only what C4 held: an order a cure period or the SCRA holds as well as
// the hardship is held under that policy's name and waits for it to end.
void AcceptWriter::releaseHeldOrders(std::string caseId, Poco::Int64 at) {
    session_ << "UPDATE deliveries SET held_by = NULL, next_attempt_at_ms = ?1, pending_since_ms = ?1 "
                "WHERE queue_key = ?2 AND held_by LIKE 'C4:%' AND state = 'pending'",
        use(at), use(caseId), now;
}

void AcceptWriter::releaseHeldDeliveriesOf(std::string messageId, Poco::Int64 at) {
    session_ << "UPDATE deliveries SET held_by = NULL, next_attempt_at_ms = ?1, pending_since_ms = ?1 "
                "WHERE message = (SELECT id FROM messages WHERE message_id = ?2) AND held_by IS NOT NULL "
                "AND state = 'pending'",
        use(at), use(messageId), now;
}

// A lifecycle batch's own decisions (about the case, not a message) and the
// release of the case's held orders.
void AcceptWriter::insertCaseChange(const Plan &plan, const IntakeBatch &batch) {
    Poco::Int64 at = plan.receivedAt;
    std::string caseId = batch.caseId;
    for (const PolicyDecisionRecord &decision : batch.caseDecisions) {
        std::string policy = decision.policyId, outcome = decision.outcome, detail = decision.json;
        session_ << "INSERT INTO decisions (at_ms, case_id, message, policy_id, outcome, detail) "
                    "VALUES (?, ?, NULL, ?, ?, ?)",
            use(at), use(caseId), use(policy), use(outcome), use(detail), now;
    }
    if (batch.releasesHeld) releaseHeldOrders(caseId, at);
    for (const std::string &messageId : batch.releasesHeldOf) releaseHeldDeliveriesOf(messageId, at);
}

void AcceptWriter::insertFollowUp(const Plan &plan, const IntakeRecord &trigger, const IntakeRecord &followUp,
                                  Poco::Int64 row) {
    std::string id = followUp.messageId ? *followUp.messageId : ulids_.next();
    Poco::Int64 submission = plan.row, number = static_cast<Poco::Int64>(trigger.recordNumber), at = plan.receivedAt;
    std::string type = followUp.messageType, sender = followUp.sender, key = followUp.idempotencyKey;
    std::string caseId = followUp.caseId.value_or(""), cause = followUp.causationId.value_or("");
    std::string state = followUp.routes.empty() ? "stored" : "pending", body = followUp.body;
    Statement insert = (session_ << "INSERT INTO messages (id, message_id, submission, record_number, message_type, "
                                    "sender, idempotency_key, case_id, causation_id, received_at_ms, state, body) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?) "
                                    "ON CONFLICT (sender, idempotency_key) DO NOTHING",
                        use(row), use(id), use(submission), use(number), use(type), use(sender), use(key), use(caseId),
                        use(cause), use(at), use(state), use(body));
    if (insert.execute() == 0) return;  // sent before: the same trigger's key
    Int64s messages, critical, when;
    Texts destinations, queues, rules, held;
    EventBatch events;
    const auto n = trigger.recordNumber;
    events.add(at, EventKind::Received, submission, row, caseId, n, n, 1, "", "", "");
    for (const Route &route : followUp.routes) {
        messages.push_back(row);
        destinations.push_back(route.destination);
        queues.push_back(caseId.empty() ? id : caseId);
        critical.push_back(route.critical ? 1 : 0);
        rules.push_back(route.ruleId);
        when.push_back(at);
        held.push_back(route.heldBy);
        events.add(at, EventKind::Routed, submission, row, caseId, n, n, 1, route.destination, route.ruleId, "");
    }
    if (!messages.empty()) insertDeliveryRows(messages, destinations, queues, critical, rules, when, held);
    insertEventRows(events);
}

struct Range {
    std::uint64_t first = 0, last = 0, count = 0;
    void add(std::uint64_t record) {
        first = count == 0 ? record : std::min(first, record);
        last = std::max(last, record);
        ++count;
    }
};

std::string reasonsJson(const RejectedRecord &rejected) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const RejectReason &reason : rejected.reasons) {
        reasons.push_back({{"field", reason.field}, {"code", reason.code}, {"text", redactForLog(reason.text)}});
    }
    return reasons.dump();
}

void AcceptWriter::insertEvents() {
    EventBatch events;
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        Plan &plan = plans_[p];
        if (plan.kind != PlanKind::Write) continue;
        const IntakeBatch &batch = batches_[p];
        const bool single = plan.creates && batch.lastPart && batch.records.size() == 1;
        if (single && plan.messageRows[0] != 0) {
            // A single message: its own events, carrying its case.
            const IntakeRecord &record = batch.records[0];
            const Poco::Int64 row = plan.messageRows[0];
            const std::string caseId = record.caseId.value_or("");
            const std::uint64_t n = record.recordNumber;
            events.add(plan.receivedAt, EventKind::Received, plan.row, row, caseId, n, n, 1, "", "", "");
            for (const Route &route : record.routes) {
                events.add(plan.receivedAt, EventKind::Routed, plan.row, row, caseId, n, n, 1, route.destination,
                           route.ruleId, "");
            }
            if (record.routes.empty() && record.unroutable) {
                events.add(plan.receivedAt, EventKind::Unroutable, plan.row, row, caseId, n, n, 1, "", "", "");
            }
        } else if (!single) {
            // A bulk batch: one event per kind of fact and record range, or
            // journaling would cost more than the records themselves.
            Range received, unroutable;
            std::map<std::pair<std::string, std::string>, Range> routed;  // (rule, destination)
            for (std::size_t r = 0; r < batch.records.size(); ++r) {
                if (plan.messageRows[r] == 0) continue;
                const IntakeRecord &record = batch.records[r];
                received.add(record.recordNumber);
                for (const Route &route : record.routes)
                    routed[{route.ruleId, route.destination}].add(record.recordNumber);
                if (record.routes.empty() && record.unroutable) unroutable.add(record.recordNumber);
            }
            if (received.count > 0 || plan.duplicates > 0) {
                const std::string detail =
                    plan.duplicates > 0 ? "{\"duplicates\":" + std::to_string(plan.duplicates) + "}" : "";
                events.add(plan.receivedAt, EventKind::Received, plan.row, 0, "", received.first, received.last,
                           received.count, "", "", detail);
            }
            for (const auto &[key, range] : routed) {
                events.add(plan.receivedAt, EventKind::Routed, plan.row, 0, "", range.first, range.last, range.count,
                           key.second, key.first, "");
            }
            if (unroutable.count > 0) {
                events.add(plan.receivedAt, EventKind::Unroutable, plan.row, 0, "", unroutable.first, unroutable.last,
                           unroutable.count, "", "", "");
            }
        }
        for (const RejectedRecord &rejected : batch.rejected) {
            plan.highestRecord = std::max(plan.highestRecord, static_cast<std::int64_t>(rejected.recordNumber));
            if (static_cast<std::int64_t>(rejected.recordNumber) <= plan.recordsThrough) continue;  // journaled before
            ++plan.rejected;
            events.add(plan.receivedAt, EventKind::Rejected, plan.row, 0, "", rejected.recordNumber,
                       rejected.recordNumber, 1, "", "", reasonsJson(rejected));
        }
    }
    insertEventRows(events);
}

void AcceptWriter::insertEventRows(EventBatch &events) {
    if (events.at.empty()) return;
    session_ << "INSERT INTO events (at_ms, kind, submission, message, case_id, record_first, record_last, "
                "record_count, destination, rule_id, detail) VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), "
                "NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''))",
        use(events.at), use(events.kind), use(events.submission), use(events.message), use(events.caseId),
        use(events.first), use(events.last), use(events.count), use(events.destination), use(events.rule),
        use(events.detail), now;
}

void AcceptWriter::finishSubmissions() {
    Int64s accepted, duplicates, rejected, through, rows;
    Texts states, hashes;
    std::vector<Poco::Data::BLOB> documents;
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        Plan &plan = plans_[p];
        if (plan.kind != PlanKind::Write) continue;
        const IntakeBatch &batch = batches_[p];
        if (batch.lastPart && batch.buildResult) {
            plan.document = batch.buildResult(AcceptedBatch{plan.submissionId, plan.outcomes});
        }
        accepted.push_back(plan.accepted);
        duplicates.push_back(plan.duplicates);
        rejected.push_back(plan.rejected);
        through.push_back(plan.highestRecord);
        states.emplace_back(batch.lastPart ? "complete" : "open");
        hashes.push_back(plan.hash);
        documents.push_back(toBlob(plan.document));
        rows.push_back(plan.row);
    }
    if (rows.empty()) return;
    // A completed submission claims its content for duplicate detection only
    // if it took a record: a file rejected whole may be sent again once fixed.
    session_ << "UPDATE submissions SET accepted_count = accepted_count + ?1, "
                "duplicate_count = duplicate_count + ?2, rejected_count = rejected_count + ?3, "
                "records_through = MAX(records_through, ?4), state = ?5, "
                "dedup_hash = CASE WHEN ?5 = 'complete' AND accepted_count + duplicate_count + ?1 + ?2 > 0 "
                "THEN ?6 END, result = COALESCE(?7, x'') WHERE id = ?8",
        use(accepted), use(duplicates), use(rejected), use(through), use(states), use(hashes), use(documents),
        use(rows), now;
}

std::vector<Result<AcceptResult>> AcceptWriter::run(std::span<const IntakeBatch> batches) {
    batches_ = batches;
    plans_.resize(batches.size());
    invalid_.resize(batches.size());
    for (std::size_t i = 0; i < batches.size(); ++i) invalid_[i] = validateIntakeBatch(batches[i]);
    lookupAll();
    for (std::size_t i = 0; i < batches.size(); ++i) plan(i, batches[i]);
    if (std::any_of(plans_.begin(), plans_.end(), [](const Plan &p) { return p.kind == PlanKind::Write; })) {
        insertSubmissions();
        insertMessages();
        insertDeliveries();
        insertEvents();
        insertLifecycle();
        finishSubmissions();
    }
    std::vector<Result<AcceptResult>> results;
    results.reserve(plans_.size());
    // A large file's ACK is a hundred megabytes: hand it over, not a copy,
    // unless a later batch of this call answers with it too.
    std::vector<bool> answersLater(plans_.size(), false);
    for (const Plan &plan : plans_)
        if (plan.kind == PlanKind::SameAsEarlier) answersLater[plan.earlier] = true;
    for (std::size_t p = 0; p < plans_.size(); ++p) {
        Plan &plan = plans_[p];
        switch (plan.kind) {
            case PlanKind::Failed: results.emplace_back(plan.error); break;
            case PlanKind::Answered: results.emplace_back(std::move(plan.answer)); break;
            case PlanKind::Write:
                results.emplace_back(AcceptResult{AcceptDisposition::Accepted, plan.submissionId,
                                                  answersLater[p] ? plan.document : std::move(plan.document),
                                                  std::move(plan.outcomes), plan.blobId});
                break;
            case PlanKind::SameAsEarlier: {
                const Plan &first = plans_[plan.earlier];
                results.emplace_back(
                    AcceptResult{plan.disposition, first.submissionId, first.document, {}, first.blobId});
                break;
            }
        }
    }
    return results;
}

}  // namespace

std::vector<Result<AcceptResult>> SqliteJournal::acceptMany(std::span<const IntakeBatch> batches) {
    using Out = std::vector<Result<AcceptResult>>;
    if (batches.empty()) return {};
    auto written = write<Out>("accept", [&](Session &session) -> Result<Out> {
        AcceptWriter writer(session, ulids_, clock_.nowUnixMs());
        return writer.run(batches);
    });
    if (written) return std::move(written).value();
    return Out(batches.size(), written.error());
}

}  // namespace lendgate::journal::sqlite
