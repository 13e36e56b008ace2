// The journal: the gateway's source of truth.
//
// Every message taken in, every delivery and every state change is written
// here, and the case timeline, the console and the metrics are views of it.
// This header is the room's door and is storage-agnostic: SQLite
// (core/journal/sqlite/) implements it now and PostgreSQL can follow. No
// database or JSON type appears in it.
//
// Guarantees every implementation keeps:
//  - accept() is one transaction: a submission, its messages, their events and
//    the deliveries routing produced are all durable together or not at all
//    (a transactional outbox: nothing is ever accepted but unrouted).
//  - Inbound idempotency: the same (sender, idempotency key) with the same
//    body, or the same content from the same sender, is answered with the
//    stored result and writes nothing; the same key with another body is a
//    conflict. A record whose (sender, record idempotency key) is already
//    journaled is not journaled again: it reports the original message ID.
//  - Deliveries leave in order per (destination, case): one is due only when
//    every earlier one of its queue was delivered. A dead letter stalls only
//    its own queue; a critical delivery (HOLD, CANCEL) may pass it.
//  - Events are append-only.
//  - Storage failures (disk full, I/O error, locked too long) fail with code
//    "unavailable" and nothing is acknowledged: the HTTP layer answers 503.
#ifndef LENDGATE_JOURNAL_JOURNAL_H
#define LENDGATE_JOURNAL_JOURNAL_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/journal/audit_chain.h"
#include "core/journal/blob_store.h"

namespace lendgate::journal {

/// Error::code values the journal returns.
namespace errc {
inline constexpr std::string_view kUnavailable = "unavailable";  ///< disk full, I/O error, busy: retry later (503)
inline constexpr std::string_view kConflict = "conflict";        ///< idempotency key reused with another body (409)
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kInvalidArgument = "invalid_argument";
inline constexpr std::string_view kInvalidState = "invalid_state";  ///< e.g. replaying a pending delivery
inline constexpr std::string_view kStaleClaim = "stale_claim";      ///< the lease expired and another worker took it
inline constexpr std::string_view kPurged = "purged";               ///< the blob's key was destroyed
inline constexpr std::string_view kSchemaTooNew = "schema_too_new";
inline constexpr std::string_view kUnsafeConfig = "unsafe_config";
inline constexpr std::string_view kInvalidConfig = "invalid_config";
inline constexpr std::string_view kCorrupt = "corrupt";
inline constexpr std::string_view kInternal = "internal";
}  // namespace errc

/// Stored: journaled with nothing to deliver by design (e.g. a consent).
/// Unroutable: no routing rule matched; held and visible, not dropped.
/// Pending: some delivery is not done yet. Delivered: every delivery is done.
/// DeadLettered: at least one delivery is dead-lettered.
/// Cancelled: every delivery of the message was stopped before it went out
/// (a referral whose consent was revoked).
enum class MessageState { Stored, Unroutable, Pending, Delivered, DeadLettered, Cancelled };
/// Cancelled is final: the delivery is never attempted again, not even by a replay.
enum class DeliveryState { Pending, InFlight, Delivered, Dead, Cancelled };
enum class EventKind {
    Received,
    Rejected,
    Routed,
    Unroutable,
    DeliveryAttempted,
    Delivered,
    DeadLettered,
    Replayed,
    BlobPurged,
    Cancelled,
};

std::string_view toString(MessageState state) noexcept;
std::string_view toString(DeliveryState state) noexcept;
std::string_view toString(EventKind kind) noexcept;
std::optional<MessageState> messageStateFromString(std::string_view text) noexcept;
std::optional<DeliveryState> deliveryStateFromString(std::string_view text) noexcept;
std::optional<EventKind> eventKindFromString(std::string_view text) noexcept;

// ---- Intake

/// One destination a routing rule chose for a record.
struct Route {
    std::string destination;  ///< partner id
    std::string ruleId;       ///< the rule that chose it, recorded in the 'routed' event
    bool critical = false;    ///< HOLD/CANCEL: may pass a dead letter, is never dead-lettered
    /// Set: a policy holds the delivery (core/policy C1-C4, C8). The text
    /// starts with the policy ("C3: ..."). A C4 hold ends with releasesHeld
    /// for the case; any other ends when a lifecycle batch names the message
    /// in releasesHeldOf. It waits at its queue's head; a critical delivery
    /// passes it.
    std::string heldBy = {};
};

/// A compliance policy's decision about a message, kept for auditors
/// (core/policy/decision.h): which policy, what it decided, and the whole
/// decision as JSON (parameters, facts, reason, firms).
struct PolicyDecisionRecord {
    std::string policyId;  ///< "C1".."C12"
    std::string outcome;   ///< "ALLOW", "HOLD", "REFUSE", ...
    std::string json;
};

/// A reason a record was refused. Texts name fields and rules, never values.
struct RejectReason {
    std::string field;  ///< JSON Pointer
    std::string code;
    std::string text;
};

// ---- Alerts

/// Something an operator must look at: a dead letter, a HOLD or CANCEL that
/// keeps failing, a firm that has not acknowledged a HOLD in time, a
/// recovery reported after a HOLD was sent.
struct AlertRecord {
    std::string kind;      ///< "dead_letter", "critical_retry", "policy:C5", ...
    std::string severity;  ///< "warning" or "critical"
    /// Raising an alert whose key is already journaled writes nothing: a
    /// condition the clock sees on every pass is one alert. Empty: always new.
    std::string dedupeKey;
    std::string caseId;     ///< empty if none
    std::string messageId;  ///< empty if none
    std::string partner;    ///< the partner it concerns (a firm, a destination); empty if none
    std::int64_t deliveryId = 0;
    std::string text;       ///< one sentence for a person; redacted again when stored
    std::string detail;     ///< a JSON object (e.g. the policy decision), or empty
    std::int64_t atMs = 0;  ///< 0: the journal's clock
};

/// Where a record's bytes are inside the batch's blob (bulk files keep the
/// record there instead of a second copy in the journal).
struct BlobSlice {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct IntakeRecord {
    std::uint64_t recordNumber = 0;          ///< 1-based position in the input
    std::string messageType;                 ///< e.g. "delinquency_notice"
    std::string idempotencyKey;              ///< the sender's own id for the record
    std::optional<std::string> caseId;       ///< orders deliveries; without it a message is its own queue
    std::optional<std::string> causationId;  ///< the message that caused this one
    std::optional<std::string> messageId;    ///< a ULID the caller made; the journal makes one if absent
    std::string body;                        ///< canonical JSON; empty when `slice` is set
    std::optional<BlobSlice> slice;          ///< the record inside the batch's blob, instead of `body`
    /// The personal fields taken out of `body`, sealed (core/privacy/field_vault.h); empty if none.
    std::string sealedFields;
    std::vector<Route> routes;  ///< one delivery per distinct destination
    bool unroutable = false;    ///< no rule matched (only meaningful with no routes)
    /// What the compliance policies decided about this record.
    std::vector<PolicyDecisionRecord> decisions;
    /// Messages the gateway itself sends because of this record (a HOLD or
    /// CANCEL to every firm holding an assignment): journaled with it, in
    /// the same transaction, only when the record itself is new, so a resent
    /// record never sends them twice. They are not part of the ACK.
    std::vector<IntakeRecord> followUps;
    /// followUps only: the sender the message is journaled under ("lendgate").
    std::string sender;
    /// The case's hold (C4) ended: the deliveries C4 held become due now;
    /// those another policy holds (a cure period, SCRA) still wait.
    bool releasesHeld = false;
    /// What the sender's ACK tells it about this accepted record (severity
    /// WARNING): an order a policy refused or holds. Not journaled: the
    /// decisions are; the ACK document keeps what it said.
    std::vector<RejectReason> warnings;
    /// Alerts the record raises (a recovery after a HOLD was sent), written
    /// with it and only when it is new; each gets the record's message id.
    std::vector<AlertRecord> alerts;
    /// Messages whose deliveries this record stops (a consent REVOKE stops
    /// the referrals citing it): each delivery still pending becomes
    /// cancelled, with `stopReason` and an event, when the record is new. One
    /// in flight or already delivered is beyond recall and stays as it is.
    std::vector<std::string> stopsDeliveriesOf;
    std::string stopReason;
};

struct RejectedRecord {
    std::uint64_t recordNumber = 0;
    std::vector<RejectReason> reasons;
    std::string idempotencyKey;  ///< the sender's key when the record could be read that far; for the ACK
};

struct RecordOutcome {
    std::uint64_t recordNumber = 0;
    std::string messageId;   ///< the new message, or the original one when `duplicate`
    bool duplicate = false;  ///< (sender, record idempotency key) was journaled by another submission
};

/// What a result builder sees: everything the ACK needs that only the journal
/// knows. For a submission in parts, the records are the last part's: the
/// caller keeps the file's totals.
struct AcceptedBatch {
    std::string submissionId;
    std::vector<RecordOutcome> records;
};

/// Renders the result document (the ACK) inside the accept transaction, so
/// the stored document and the answer are the same bytes. It must be quick
/// (it runs while the writer holds the journal) and must not throw: a throw
/// rolls back the whole group with code internal.
using ResultBuilder = std::function<std::string(const AcceptedBatch &)>;

/// One input, or one part of a large one.
///
/// A bulk file is accepted in parts so memory stays bounded (about 10,000
/// records a part: a part is a transaction, and larger ones amortise the
/// index pages each commit writes; 10k records per part ran about twice as
/// fast as 1k here). The first part
/// (lastPart = false) opens the submission, later parts name it in
/// `continuation`, and the last part (lastPart = true) completes it with the
/// result document. Each part is one transaction. Until it completes, a
/// submission answers no duplicate check; a first part whose key or content
/// matches an open submission resumes it (an ingest restarted after a crash):
/// records and rejections already journaled for it are not journaled again.
struct IntakeBatch {
    std::string sender;              ///< partner id
    std::string idempotencyKey;      ///< the request's key; empty when the input has none (a dropped file)
    std::string bodyHash;            ///< content id (ContentHasher) of the whole input; defaults to the blob's
    std::optional<StoredBlob> blob;  ///< the raw input, already durable
    std::string channel;             ///< "http", "sftp", "directory", ...
    std::int64_t receivedAtMs = 0;   ///< 0: the journal's clock
    std::vector<IntakeRecord> records;
    std::vector<RejectedRecord> rejected;
    ResultBuilder buildResult;  ///< last part only; empty: the stored document is empty
    std::string continuation;   ///< submission id of the open submission this part continues
    bool lastPart = true;
    /// A lifecycle batch (sender "lendgate": the clock ending a hold) changes
    /// a case without a partner's message: its decisions are journaled about
    /// the case (no message), releasesHeld makes the orders C4 held due, and
    /// releasesHeldOf the held deliveries of these messages (orders whose
    /// policies, asked again, no longer hold them). Its records are the
    /// controls it sends. Written only when the batch is Accepted, so its
    /// idempotency key makes it happen once.
    std::string caseId;
    std::vector<PolicyDecisionRecord> caseDecisions;
    bool releasesHeld = false;
    std::vector<std::string> releasesHeldOf;  ///< message ids
};

enum class AcceptDisposition {
    Accepted,          ///< written now
    Replayed,          ///< same sender, idempotency key and body as before: the stored result
    DuplicateContent,  ///< same sender and content as an earlier submission: its result
};

/// When the disposition is not Accepted nothing of the batch was written,
/// including its blob: the caller should purge that blob. A part that
/// resumed an open submission is Accepted, with that submission's id.
struct AcceptResult {
    AcceptDisposition disposition = AcceptDisposition::Accepted;
    std::string submissionId;  ///< continue a multi-part submission with this id
    std::string resultDocument;
    std::vector<RecordOutcome> records;  ///< Accepted only, in input order
    std::string blobId;                  ///< the blob the submission keeps; purge the batch's if it is another
};

struct Submission {
    std::string submissionId;
    std::string sender;
    std::string idempotencyKey;  ///< empty if none
    std::string channel;
    std::int64_t receivedAtMs = 0;
    bool complete = true;  ///< false while a multi-part submission is open
    std::int64_t acceptedCount = 0;
    std::int64_t duplicateCount = 0;
    std::int64_t rejectedCount = 0;
    std::string blobId;  ///< empty if none
    std::string resultDocument;
};

// ---- Messages

/// A message's bytes: inline canonical JSON, or a slice of a blob (decode the
/// slice again with the sender's plugin; the envelope fields the gateway
/// assigns are the summary's columns).
struct StoredBody {
    std::string canonicalJson;  ///< empty when in a blob
    std::string blobId;         ///< set when the body is a blob slice
    BlobSlice slice;
    std::string sealedFields;  ///< IntakeRecord::sealedFields; empty if none
};

/// What a retention purge would take (core/journal/retention.h): the blobs
/// whose every message has expired, and how much of the journal that is.
struct ExpiredData {
    std::vector<std::string> blobIds;  ///< not yet purged
    std::int64_t cases = 0;
    std::int64_t messages = 0;  ///< expired messages whose personal content is still there
};

/// The body an erased message keeps: parses as no canonical message, names no one.
inline constexpr std::string_view kErasedBody = R"({"erased":"retention"})";

/// A message of a case that keeps a sealed account number (see newestSealedAccount()).
struct SealedAccountSource {
    std::string messageId;
    std::string sealedFields;
};

struct MessageSummary {
    std::string messageId;
    std::string messageType;
    std::string sender;
    std::string idempotencyKey;
    std::string caseId;       ///< empty if none
    std::string causationId;  ///< empty if none
    std::string submissionId;
    std::uint64_t recordNumber = 0;
    std::int64_t receivedAtMs = 0;
    MessageState state = MessageState::Stored;
};

struct StoredMessage {
    MessageSummary summary;
    StoredBody body;
};

struct MessageQuery {
    std::optional<std::string> sender;
    std::optional<std::string> destination;  ///< messages with a delivery to this partner
    std::optional<MessageState> state;
    std::string afterMessageId;  ///< cursor: the last ID of the previous page (unknown: empty page)
    std::size_t limit = 100;
};

struct JournalEvent {
    std::int64_t eventId = 0;
    std::int64_t atMs = 0;
    EventKind kind = EventKind::Received;
    std::string submissionId;  ///< empty if none
    std::string messageId;     ///< empty for range events of bulk batches
    std::int64_t deliveryId = 0;
    std::string caseId;
    std::uint64_t firstRecord = 0;  ///< record range (single records: first == last)
    std::uint64_t lastRecord = 0;
    std::uint64_t recordCount = 0;
    std::string destination;
    std::string ruleId;
    int status = 0;               ///< transport status (HTTP code), 0 if none
    std::int64_t latencyMs = -1;  ///< -1 if none
    std::string detail;           ///< reasons (JSON), error text, actor: redacted
};

/// Messages of a case in the order they were received, and its events in the
/// order they were written. Bulk batches record their 'received' facts per
/// record range, so for those the message itself stands for its receipt.
struct CaseDecision {
    std::int64_t atMs = 0;
    std::string messageId;  ///< the message decided about; empty for a decision of the clock
    PolicyDecisionRecord decision;
};

// An alert as journaled.
struct Alert {
    std::int64_t alertId = 0;
    AlertRecord record;
    std::int64_t acknowledgedAtMs = 0;  ///< 0 while open
    std::string acknowledgedBy;
    std::int64_t notifiedAtMs = 0;  ///< posted to the operator webhook; 0 not yet
};

struct AlertQuery {
    bool includeAcknowledged = false;
    std::optional<std::string> severity;
    std::optional<std::string> caseId;
    std::optional<std::string> partner;  ///< e.g. one firm's overdue acknowledgements
    std::int64_t afterAlertId = 0;       ///< cursor
    std::size_t limit = 100;
};

/// Alerts per (severity, kind): how many are open and how many ever raised.
struct AlertCount {
    std::string severity;
    std::string kind;
    std::int64_t open = 0;
    std::int64_t total = 0;
};

struct CaseTimeline {
    std::vector<MessageSummary> messages;
    std::vector<JournalEvent> events;
    std::vector<CaseDecision> decisions;  ///< in the order they were made
    std::vector<Alert> alerts;            ///< in the order they were raised
};

// ---- Deliveries

struct DeliveryInfo {
    std::int64_t deliveryId = 0;
    std::string messageId;
    std::string messageType;
    std::string destination;
    std::string queueKey;  ///< the case id, or the message id for a message without a case
    std::int64_t queueSeq = 0;
    bool critical = false;
    std::string ruleId;
    DeliveryState state = DeliveryState::Pending;
    int attempts = 0;
    int lastStatus = 0;
    std::string lastError;
    std::int64_t createdAtMs = 0;
    std::int64_t nextAttemptAtMs = 0;
    std::int64_t pendingSinceMs = 0;  ///< when it (last) became pending: creation or replay
    std::int64_t deliveredAtMs = 0;   ///< 0 unless delivered
    std::string heldBy;               ///< Route::heldBy while a policy holds it
};

/// One step of a case as the lifecycle folds it into the case's facts.
/// Either a message: its summary, its inline canonical body (empty when it
/// is kept in a blob or was erased) and, for an order or a referral, its
/// deliveries. Or a C4 decision about the case itself, made without a
/// message (the clock ending a hold, an operator releasing one reason): its
/// JSON in caseDecisionJson, and only summary.receivedAtMs, when it was made.
struct CaseHistoryEntry {
    MessageSummary summary;
    std::string canonicalJson;
    std::vector<DeliveryInfo> deliveries;
    std::string caseDecisionJson;
};

/// A destination's deliveries of one message type that leave together, many
/// records to a file (a file endpoint with batch settings).
struct BatchLane {
    std::string destination;  ///< partner id
    std::string messageType;  ///< e.g. "repossession_assignment"
};

struct ClaimQuery {
    std::int64_t nowMs = 0;
    std::size_t limit = 100;
    std::int64_t leaseMs = 60000;           ///< unreported claims become due again after this
    std::vector<std::string> destinations;  ///< empty: all
    /// Non-critical deliveries of these lanes wait for a lane claim; a
    /// critical one (HOLD, CANCEL) is still claimed here, so it leaves at once.
    std::vector<BatchLane> batchedLanes;
    /// Set: only non-critical deliveries of this lane (the records of one
    /// batch file, up to 50,000); `destinations` and `batchedLanes` are ignored.
    std::optional<BatchLane> lane;
};

/// The non-critical deliveries of a lane that are due now (queue heads only).
struct BatchBacklog {
    std::int64_t due = 0;
    /// When the longest-waiting of them could first have left: it became
    /// pending, or the delivery ahead of it in its queue was delivered. 0: none.
    std::int64_t oldestWaitingSinceMs = 0;
    /// A critical delivery is queued behind one of them: send them now.
    bool criticalWaiting = false;
};

/// A delivery handed to a worker. Report its outcome with complete() and the
/// claim number; a worker whose lease expired gets stale_claim.
struct ClaimedDelivery {
    DeliveryInfo delivery;  ///< attempts already counts this attempt
    std::int64_t claim = 0;
    std::string sender;
    std::string caseId;
    StoredBody body;
};

enum class OutcomeKind { Delivered, Retry, DeadLetter };

struct DeliveryOutcome {
    std::int64_t deliveryId = 0;
    std::int64_t claim = 0;
    OutcomeKind kind = OutcomeKind::Delivered;
    std::int64_t atMs = 0;
    int status = 0;                    ///< transport status, 0 if none
    std::int64_t latencyMs = -1;       ///< -1 if unknown
    std::string error;                 ///< redacted before it is stored
    std::int64_t nextAttemptAtMs = 0;  ///< Retry only
};

/// Deliveries per (destination, state), for the outbox gauges.
struct OutboxCount {
    std::string destination;
    DeliveryState state = DeliveryState::Pending;
    std::int64_t count = 0;
};

struct DeadLetterQuery {
    std::optional<std::string> destination;
    std::int64_t afterDeliveryId = 0;  ///< cursor
    std::size_t limit = 100;
};

/// Audit entries in seq order.
struct AuditQuery {
    std::int64_t sinceMs = 0;   ///< only entries at or after this time
    std::int64_t afterSeq = 0;  ///< cursor: the last seq of the previous page
    std::size_t limit = 100;
};

// ---- Reports

/// Messages received in [fromMs, toMs); with `partner`, only those it sent
/// or was a destination of.
struct ReportQuery {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::optional<std::string> partner;
};

/// What `lendgate report` prints. Counts only: bodies erased by retention
/// still count by type, not by what they said.
struct ReportFigures {
    std::int64_t notices = 0;
    std::int64_t hardshipApplications = 0;
    std::int64_t hardshipDecisions = 0;
    std::int64_t hardshipApproved = 0;
    std::int64_t hardshipDenied = 0;
    std::int64_t assignments = 0;  ///< NEW orders from lenders
    std::int64_t ordersRefused = 0;
    std::int64_t ordersHeld = 0;
    std::int64_t holdsSent = 0;  ///< HOLD deliveries to firms
    std::int64_t holdsAcknowledged = 0;
    std::vector<double> holdAckHours;  ///< per acknowledged HOLD, ascending
    std::int64_t cancelsSent = 0;
    std::int64_t releasesSent = 0;
    std::int64_t recoveries = 0;
    std::int64_t voluntarySurrenders = 0;
    std::int64_t redemptions = 0;
    std::int64_t referralsOffered = 0;
    std::int64_t referralsAccepted = 0;
    std::int64_t referralsCompleted = 0;
    std::int64_t casesWithNotice = 0;
    /// Per case with a notice in the period and assistance offered later (an
    /// approved hardship decision or a referral): days from its first notice
    /// to the first offer, ascending.
    std::vector<double> daysToFirstAssistance;
};

class Journal {
public:
    virtual ~Journal() = default;

    // -- Intake

    /// Journals several batches in one transaction (group commit: a writer
    /// thread collects concurrent requests and answers each after the commit).
    /// Results are per batch and in order: one batch's conflict or invalid
    /// input does not fail the others; a storage failure fails them all, and
    /// nothing of any of them is written.
    virtual std::vector<Result<AcceptResult>> acceptMany(std::span<const IntakeBatch> batches) = 0;
    Result<AcceptResult> accept(const IntakeBatch &batch);

    /// A submission by id; with `sender`, only that sender's (not_found otherwise).
    virtual Result<Submission> submission(std::string_view submissionId, std::optional<std::string_view> sender) = 0;
    virtual Result<Submission> submissionByKey(std::string_view sender, std::string_view idempotencyKey) = 0;

    // -- Messages

    /// With `partner`, only a message that partner sent or is a destination
    /// of; any other answers not_found, exactly as a missing one does.
    virtual Result<StoredMessage> message(std::string_view messageId, std::optional<std::string_view> partner) = 0;
    virtual Result<std::vector<MessageSummary>> listMessages(const MessageQuery &query) = 0;
    virtual Result<CaseTimeline> caseTimeline(std::string_view caseId) = 0;
    virtual Result<std::vector<DeliveryInfo>> deliveriesOf(std::string_view messageId) = 0;
    /// The case's messages in order with what core/lifecycle needs of each,
    /// and the C4 decisions made about the case without a message, each in
    /// its place by time; three reads from one snapshot (it runs for every
    /// message of a case taken in). An unknown case: empty.
    virtual Result<std::vector<CaseHistoryEntry>> caseHistory(std::string_view caseId) = 0;
    /// The newest message of the case whose sealed fields hold an account
    /// number: what renders the clear number for the case's lender when a
    /// later message (a decision, an update) carries only the token.
    virtual Result<std::optional<SealedAccountSource>> newestSealedAccount(std::string_view caseId) = 0;

    // -- Outbox

    /// Claims up to `limit` due deliveries (pending and due, or claimed with an
    /// expired lease), each the head of its (destination, case) queue, and
    /// counts the attempt before it is made, so a record that crashes the
    /// daemon still reaches its attempt limit.
    virtual Result<std::vector<ClaimedDelivery>> claimDue(const ClaimQuery &query) = 0;
    /// What waits in a batch lane, so the dispatcher knows when its file is due.
    virtual Result<BatchBacklog> batchBacklog(const BatchLane &lane, std::int64_t nowMs) = 0;
    /// The next number of a batch file for (destination, message type, day),
    /// 1 for the day's first. Durable once returned, and never handed out
    /// twice, even when that file is never sent: a file name is never reused.
    virtual Result<std::int64_t> nextFileSequence(const BatchLane &lane, std::string_view day) = 0;
    /// Records outcomes in one transaction; results are per outcome. A
    /// critical delivery is never dead-lettered (invalid_state): it retries.
    virtual std::vector<Result<bool>> complete(std::span<const DeliveryOutcome> outcomes) = 0;
    Result<bool> recordAttempt(const DeliveryOutcome &failedAttempt);  ///< kind Retry
    Result<bool> markDelivered(const DeliveryOutcome &success);        ///< kind Delivered
    Result<bool> deadLetter(const DeliveryOutcome &finalFailure);      ///< kind DeadLetter

    /// Hands a claimed delivery back unsent (a worker stopping before it
    /// began): pending and due at once, and the attempt the claim counted is
    /// given back. stale_claim if the claim is no longer the current one.
    virtual Result<bool> releaseClaim(std::int64_t deliveryId, std::int64_t claim, std::int64_t nowMs) = 0;

    /// Deliveries not yet delivered (pending, in flight, dead) by destination.
    virtual Result<std::vector<OutboxCount>> outboxDepth() = 0;

    /// Ends every claim now, so the next claimDue takes them back at once.
    /// For a single node starting up: the claims it finds were made by a
    /// process that is gone, and waiting out their leases only delays
    /// delivery. (Several nodes sharing a journal must not call it.)
    virtual Result<std::int64_t> expireClaims(std::int64_t nowMs) = 0;

    virtual Result<std::vector<DeliveryInfo>> listDeadLetters(const DeadLetterQuery &query) = 0;
    /// Puts a dead or delivered delivery back to pending with a fresh attempt
    /// budget; `actor` (an operator) is recorded in the 'replayed' event.
    virtual Result<bool> replay(std::int64_t deliveryId, std::int64_t nowMs, std::string_view actor) = 0;
    /// Replays every dead letter of a destination; returns how many.
    virtual Result<std::int64_t> replayDeadLetters(std::string_view destination, std::int64_t nowMs,
                                                   std::string_view actor) = 0;

    // -- Blobs

    virtual Result<BlobRecord> blob(std::string_view blobId) = 0;
    /// Destroys a blob's wrapped key (idempotent): from then on the blob
    /// cannot be read anywhere, even from a backup. Purge the file afterwards.
    virtual Result<bool> purgeBlobKey(std::string_view blobId, std::int64_t nowMs) = 0;

    // -- Retention (retention.h)

    /// A case has expired when nothing happened on it (no message, no event,
    /// closing included) since `cutoffMs` and none of its deliveries is still
    /// due; a message without a case expires the same way on its own.
    virtual Result<ExpiredData> findExpired(std::int64_t cutoffMs) = 0;
    /// Replaces the body of every expired message with kErasedBody and drops
    /// its sealed fields; type, sender, dates and states stay for reports.
    /// Returns how many messages were erased now.
    virtual Result<std::int64_t> erasePersonalData(std::int64_t cutoffMs) = 0;

    // -- Alerts

    /// Journals an alert; nullopt when its dedupeKey was raised before.
    virtual Result<std::optional<Alert>> raiseAlert(const AlertRecord &alert) = 0;
    virtual Result<std::vector<Alert>> listAlerts(const AlertQuery &query) = 0;
    /// An operator has seen it: false when it was acknowledged already.
    virtual Result<bool> acknowledgeAlert(std::int64_t alertId, std::string_view actor, std::int64_t nowMs) = 0;
    /// Alerts not yet posted to the operator webhook, oldest first.
    virtual Result<std::vector<Alert>> alertsToNotify(std::size_t limit) = 0;
    virtual Result<bool> markAlertsNotified(std::span<const std::int64_t> alertIds, std::int64_t nowMs) = 0;
    virtual Result<std::vector<AlertCount>> alertCounts() = 0;
    /// Cases with an assignment or outcome message received at or after
    /// `sinceMs`: the ones the clock (acknowledgement and inventory
    /// deadlines, holds that run out) must look at.
    virtual Result<std::vector<std::string>> casesToWatch(std::int64_t sinceMs) = 0;

    // -- Reports

    virtual Result<ReportFigures> report(const ReportQuery &query) = 0;

    // -- Audit (audit_chain.h)

    /// Appends to the hash chain in its own write transaction, reading the
    /// tip under the write lock, so concurrent appenders (threads or
    /// processes) keep one chain.
    virtual Result<AuditEntry> appendAudit(const AuditRecord &record) = 0;
    virtual Result<std::vector<AuditEntry>> listAudit(const AuditQuery &query) = 0;
    /// Walks the whole chain in one read snapshot. A broken chain is a
    /// result (intact = false), not an error.
    virtual Result<AuditVerification> verifyAudit(const std::optional<AuditAnchor> &anchor) = 0;
};

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_JOURNAL_H
