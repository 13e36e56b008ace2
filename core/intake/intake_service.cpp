#include "core/intake/intake_service.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/common/redact.h"
#include "core/intake/account_tokens.h"
#include "core/intake/ack_document.h"
#include "core/lifecycle/case_policy.h"
#include "core/lifecycle/referrals.h"
#include "core/model/message.h"
#include "core/model/roles.h"

namespace lendgate::intake {
namespace {

using journal::IntakeBatch;
using journal::IntakeRecord;
using journal::RejectedRecord;
using journal::RejectReason;
using model::MessageType;

class MemoryReader final : public plugin::ByteReader {
public:
    explicit MemoryReader(std::string_view data) : data_(data) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        const auto n = std::min(capacity, data_.size());
        std::memcpy(buffer, data_.data(), n);
        data_.remove_prefix(n);
        return n;
    }

private:
    std::string_view data_;
};

// A blob read back for decoding; the plugin host turns the throw into an
// I/O failure of the call.
class SourceReader final : public plugin::ByteReader {
public:
    explicit SourceReader(journal::ByteSource &source) : source_(source) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        auto n = source_.read(buffer, capacity);
        if (!n) {
            error = n.error();
            throw std::runtime_error("reading the stored input failed");
        }
        return n.value();
    }
    std::optional<Error> error;

private:
    journal::ByteSource &source_;
};

// The first pass over a large input: the plugin checks it as a whole
// (structure, trailer totals) before any part of it is journaled.
class WholeInputCheck final : public plugin::DecodeHandler {
public:
    bool onRecord(std::string_view, std::string_view, const plugin::RecordLocation &) override { return true; }
    void onRecordError(const plugin::RecordProblem &) override {}
};

IntakeResponse failure(IntakeStatus status, std::string_view code, std::string_view message) {
    IntakeResponse response;
    response.status = status;
    response.document = errorDocument(code, message);
    return response;
}

// What the journal knows of a case: its lender, the repo firms holding an
// assignment ("$lender" and "$assignees"), and every partner that sent or
// received one of its messages (who may name the case at all).
struct CaseContext {
    bool exists = false;
    std::string lender;
    std::vector<std::string> assignees;
    std::set<std::string> participants;
};

Result<CaseContext> lookupCase(const IntakeServices &s, const std::string &caseId) {
    CaseContext context;
    auto timeline = s.journal.caseTimeline(caseId);
    if (!timeline) {
        if (timeline.error().code == journal::errc::kNotFound) return context;
        return timeline.error();
    }
    std::set<std::string> assignees;
    for (const auto &message : timeline.value().messages) {
        context.exists = true;
        context.participants.insert(message.sender);
        const auto *sender = s.config.partner(message.sender);
        if (context.lender.empty() && sender != nullptr && sender->role == model::PartnerRole::Lender)
            context.lender = message.sender;
        // A failed read must not shrink "$assignees": a CANCEL would miss a firm.
        auto deliveries = s.journal.deliveriesOf(message.messageId);
        if (!deliveries) return deliveries.error();
        const bool assignment = message.messageType == toString(MessageType::RepossessionAssignment);
        for (const auto &delivery : deliveries.value()) {
            context.participants.insert(delivery.destination);
            const auto *destination = s.config.partner(delivery.destination);
            if (assignment && destination != nullptr && destination->role == model::PartnerRole::RepoFirm)
                assignees.insert(delivery.destination);
        }
    }
    context.assignees.assign(assignees.begin(), assignees.end());
    return context;
}

bool isCritical(const model::Message &message) {
    const auto *assignment = std::get_if<model::RepossessionAssignment>(&message.payload);
    return assignment != nullptr && (assignment->action == model::AssignmentAction::Hold ||
                                     assignment->action == model::AssignmentAction::Cancel);
}

bool isFollowUp(const model::Message &message) {
    const auto *assignment = std::get_if<model::RepossessionAssignment>(&message.payload);
    return assignment != nullptr && assignment->action != model::AssignmentAction::New;
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

// Turns decoded records into journal records or rejections, one at a time.
class RecordProcessor final : public plugin::DecodeHandler {
public:
    RecordProcessor(const IntakeServices &s, const config::Partner &sender, std::int64_t receivedAtMs)
        : s_(s),
          sender_(sender),
          receivedAt_(model::Timestamp::fromUnix(receivedAtMs / 1000,
                                                 static_cast<std::uint32_t>(receivedAtMs % 1000) * 1000000u)) {}

    const model::Timestamp &receivedAt() const noexcept { return receivedAt_; }

    bool onRecord(std::string_view messageType, std::string_view json, const plugin::RecordLocation &where) override {
        if (!flushIfFull()) return false;
        const auto number = recordNumber(where);
        currentKey_.clear();
        auto parsed = model::parseMessage(json);
        if (!parsed.ok()) {
            std::vector<journal::RejectReason> reasons;
            for (const auto &error : parsed.errors) reasons.push_back({error.pointer, error.code, error.message});
            reject(number, std::move(reasons), messageType);
            return true;
        }
        auto &message = *parsed.message;
        currentKey_ = message.envelope.idempotencyKey;
        const auto type = message.type();
        if (sender_.inboundFormat(type) == nullptr || !model::maySend(sender_.role, type)) {
            reject(number,
                   {{"/message_type", "type_not_allowed",
                     "partner " + sender_.id + " may not send " + std::string(toString(type)) + " messages"}},
                   messageType);
            return true;
        }
        if (message.envelope.sender && *message.envelope.sender != sender_.id) {
            reject(number, {{"/sender", "sender_mismatch", "sender must be the authenticated partner or absent"}},
                   messageType);
            return true;
        }
        return finish(number, message);
    }

    void onRecordError(const plugin::RecordProblem &problem) override {
        currentKey_.clear();
        reject(recordNumber(problem.where),
               {{problem.field, problem.code.empty() ? "invalid" : problem.code, problem.message}}, {});
    }

    std::vector<IntakeRecord> records;
    std::vector<RejectedRecord> rejected;
    std::map<std::string, std::int64_t> acceptedByType;
    std::optional<Error> internalError;
    /// Journals the records and rejections so far as one part; false stops
    /// decoding. Unset: the whole input is one batch.
    std::function<bool()> commitPart;

private:
    bool flushIfFull() {
        if (!commitPart || records.size() + rejected.size() < kRecordsPerPart) return true;
        return commitPart();
    }

    std::uint64_t recordNumber(const plugin::RecordLocation &where) {
        seen_ = std::max(seen_ + 1, where.record);
        return where.record != 0 ? where.record : seen_;
    }

    void reject(std::uint64_t number, std::vector<journal::RejectReason> reasons, std::string_view type) {
        RejectedRecord record{number, std::move(reasons), currentKey_};
        s_.metrics.increment("lendgate_messages_rejected_total",
                             {{"partner", sender_.id}, {"type", type.empty() ? "unknown" : std::string(type)}});
        rejected.push_back(std::move(record));
    }

    // False stops decoding: the journal could not be read, so nothing of
    // the input may be acknowledged.
    bool finish(std::uint64_t number, model::Message &message) {
        auto &envelope = message.envelope;
        const auto typeName = toString(message.type());
        auto unknownCase = [&] {
            // The same answer for a case that does not exist and for one the
            // sender has no part in; the id is not echoed.
            s_.logger.log(
                LogLevel::Warning, "audit",
                "partner " + sender_.id + " named a case it has no part in (record " + std::to_string(number) + ")");
            reject(number, {{"/case_id", "unknown_case", "the case is unknown to this partner"}}, typeName);
            return true;
        };
        std::optional<CaseContext> context;
        auto look = [&](const std::string &caseId) {
            auto looked = lookupCase(s_, caseId);
            if (!looked) {
                internalError = looked.error();
                return false;
            }
            context = std::move(looked.value());
            return true;
        };
        if (!envelope.caseId) {
            if (const auto *update = std::get_if<model::ReferralUpdate>(&message.payload)) {
                // A nonprofit knows the referral, not the case: the referral
                // it was sent names the case.
                auto referral = s_.journal.message(update->referralId, sender_.id);
                if (!referral && referral.error().code != journal::errc::kNotFound) {
                    internalError = referral.error();
                    return false;
                }
                if (!referral || referral.value().summary.messageType != toString(MessageType::Referral) ||
                    referral.value().summary.caseId.empty()) {
                    reject(number,
                           {{"/payload/referral_id", "unknown_referral",
                             "no referral with this id was sent to " + sender_.id}},
                           typeName);
                    return true;
                }
                envelope.caseId = referral.value().summary.caseId;
            }
        }
        const bool fromLender = sender_.role == model::PartnerRole::Lender;
        std::string lender;
        if (fromLender) {
            lender = sender_.id;
        } else if (envelope.caseId) {
            if (!look(*envelope.caseId)) return false;
            if (!context->exists || !context->participants.contains(sender_.id)) return unknownCase();
            lender = context->lender;
        }
        // A servicer's message about a case the journal does not know yet is
        // tokenized in the servicer's own namespace until the lifecycle issue
        // maps servicers to the lenders they serve.
        auto token = tokenizeAccounts(message, lender.empty() ? sender_.id : lender, s_.tokenizer);
        if (!token) {
            reject(number, {{"/payload", token.error().code, token.error().message}}, typeName);
            return true;
        }
        if (fromLender) {
            std::optional<std::string> derived;
            if (token.value()) {
                auto caseKey = s_.tokenizer.caseKey(lender, *token.value());
                if (caseKey) derived = caseKey.value();
            }
            if (envelope.caseId) {
                // A lender names only its own cases: the one its account
                // derives, or one the journal knows as the lender's.
                if (derived && *derived != *envelope.caseId) return unknownCase();
                if (!derived) {
                    if (!look(*envelope.caseId)) return false;
                    if (!context->exists || context->lender != sender_.id) return unknownCase();
                }
            } else {
                envelope.caseId = derived;
            }
        }
        // A lender's UPDATE, CANCEL or CLOSE goes to whoever holds the
        // assignment: only the journal knows that ($assignees).
        if (!context && envelope.caseId && isFollowUp(message)) {
            if (!look(*envelope.caseId)) return false;
            if (context->lender.empty()) context->lender = lender;
        }
        if (auto *outcome = std::get_if<model::RepossessionOutcome>(&message.payload)) {
            // The gateway's own findings for the lender; a firm does not write them.
            outcome->complianceAlerts.clear();
            outcome->metro2.reset();
        }
        envelope.messageId = s_.ulids.next();
        envelope.sender = sender_.id;
        envelope.receiver.reset();
        envelope.receivedAt = receivedAt_;
        auto sealed = s_.vault.seal(message, *envelope.messageId, lender.empty() ? sender_.id : lender);
        if (!sealed) {
            internalError = sealed.error();
            return false;
        }
        IntakeRecord record;
        record.sealedFields = std::move(sealed.value());
        record.recordNumber = number;
        record.messageType = std::string(toString(message.type()));
        record.idempotencyKey = envelope.idempotencyKey;
        record.caseId = envelope.caseId;
        record.causationId = envelope.causationId;
        record.messageId = envelope.messageId;
        record.body = model::toCanonicalJson(message);

        routing::RoutingInput input;
        input.type = message.type();
        input.sender = sender_.id;
        input.senderRole = sender_.role;
        input.canonicalJson = record.body;
        if (context) {
            input.caseLender = context->lender;
            input.caseAssignees = context->assignees;
        }
        const auto routed = s_.config.routes->route(input);
        const bool critical = isCritical(message);
        for (const auto &decision : routed.decisions)
            record.routes.push_back({decision.partner, joined(decision.ruleIds), critical, {}});
        // A consent goes nowhere outside the gateway by design (DOMAIN.md: it
        // gates referrals): kept, not an unroutable message for the console.
        record.unroutable = !routed.routed() && message.type() != model::MessageType::Consent;
        if (s_.config.policies && envelope.caseId && !applyCasePolicies(message, record)) return false;
        ++acceptedByType[record.messageType];
        records.push_back(std::move(record));
        return true;
    }

    // The compliance policies on a message of a case (core/lifecycle): the
    // decisions go into the journal with the record, an order they refuse is
    // not routed, one they hold waits, and the firms holding assignments get
    // the HOLD, CANCEL or RELEASE_HOLD they call for in the same transaction.
    bool applyCasePolicies(model::Message &message, IntakeRecord &record) {
        auto facts = lifecycle::loadCaseFacts(s_.journal, s_.config, *message.envelope.caseId);
        if (!facts) {
            internalError = facts.error();
            return false;
        }
        auto actions =
            lifecycle::applyPolicies(*s_.config.policies, facts.value(), message,
                                     receivedAt_.unixSeconds() * 1000 + receivedAt_.nanos() / 1000000, s_.ulids);
        record.decisions = std::move(actions.decisions);
        record.followUps = std::move(actions.controls);
        auto referrals = lifecycle::deriveReferrals(s_.config, facts.value(), message, receivedAt_, s_.ulids);
        for (auto &decision : referrals.decisions) record.decisions.push_back(std::move(decision));
        for (auto &followUp : referrals.followUps) record.followUps.push_back(std::move(followUp));
        record.stopsDeliveriesOf = std::move(referrals.stops);
        record.stopReason = std::move(referrals.stopReason);
        record.releasesHeld = actions.releasesHeld;
        record.alerts = std::move(actions.alerts);
        auto *order = std::get_if<model::RepossessionAssignment>(&message.payload);
        if (order != nullptr && actions.derivesContactFlags && lifecycle::markOrder(*order, facts.value()))
            record.body = model::toCanonicalJson(message);
        if (auto *outcome = std::get_if<model::RepossessionOutcome>(&message.payload)) {
            lifecycle::markOutcome(*outcome, facts.value(), record.alerts);
            if (!outcome->complianceAlerts.empty() || outcome->metro2) record.body = model::toCanonicalJson(message);
        }
        record.warnings = std::move(actions.warnings);
        if (actions.refused) {
            record.routes.clear();
            record.unroutable = false;
        }
        for (journal::Route &route : record.routes) route.heldBy = actions.heldBy;
        return true;
    }

    const IntakeServices &s_;
    const config::Partner &sender_;
    model::Timestamp receivedAt_;
    std::uint64_t seen_ = 0;
    std::string currentKey_;  // the record in hand's idempotency key, once it is known
};

// The binding that decodes this request: the declared type's, or the one
// plugin every inbound type of the partner shares.
const config::FormatBinding *chooseBinding(const config::Partner &partner, const IntakeRequest &request,
                                           IntakeResponse &refusal) {
    if (request.declaredType) {
        const auto *binding = partner.inboundFormat(*request.declaredType);
        if (binding == nullptr || !model::maySend(partner.role, *request.declaredType)) {
            refusal = failure(IntakeStatus::Forbidden, "type_not_allowed",
                              "partner " + partner.id + " may not send " +
                                  std::string(toString(*request.declaredType)) + " messages");
            return nullptr;
        }
        return binding;
    }
    if (partner.inbound.empty()) {
        refusal = failure(IntakeStatus::Forbidden, "type_not_allowed", "partner " + partner.id + " sends no messages");
        return nullptr;
    }
    const auto &first = partner.inbound.front();
    for (const auto &binding : partner.inbound) {
        if (binding.plugin != first.plugin || binding.pluginConfig != first.pluginConfig) {
            refusal = failure(
                IntakeStatus::Unusable, "type_required",
                "partner " + partner.id + " has a different format per message type: name the type with ?type=");
            return nullptr;
        }
    }
    return &first;
}

}  // namespace

int httpStatusOf(IntakeStatus status) {
    switch (status) {
        case IntakeStatus::Accepted:
        case IntakeStatus::Partial: return 202;
        case IntakeStatus::Rejected: return 422;
        case IntakeStatus::Unusable: return 400;
        case IntakeStatus::Forbidden: return 403;
        case IntakeStatus::Conflict: return 409;
        case IntakeStatus::TooLarge: return 413;
        case IntakeStatus::Unavailable: return 503;
        case IntakeStatus::Internal: return 500;
    }
    return 500;
}

namespace {

IntakeResponse unusable(const AckSubjectInfo &subject, journal::UlidGenerator &ulids, std::string_view code,
                        std::string_view text) {
    IntakeResponse response;
    response.status = IntakeStatus::Unusable;
    response.document = inputRejectedAck(subject, ulids.next(), code, text);
    return response;
}

IntakeResponse journalFailure(const Error &error, Logger &logger) {
    if (error.code == journal::errc::kConflict)
        return failure(IntakeStatus::Conflict, "idempotency_conflict",
                       "idempotency key already used with a different body");
    if (error.code == journal::errc::kUnavailable) {
        logger.log(LogLevel::Error, "intake", "journal unavailable: " + error.message);
        return failure(IntakeStatus::Unavailable, "unavailable",
                       "the journal cannot take input right now; nothing was accepted, retry later");
    }
    return failure(IntakeStatus::Internal, "internal", error.message);
}

}  // namespace

IntakeResponse IntakeService::ingest(const IntakeRequest &request) {
    const auto *partner = s_.config.partner(request.sender);
    if (partner == nullptr) return failure(IntakeStatus::Forbidden, "unknown_partner", "unknown partner");
    s_.metrics.increment("lendgate_intake_requests_total", {{"partner", partner->id}, {"channel", request.channel}});

    IntakeResponse refusal;
    const auto *binding = chooseBinding(*partner, request, refusal);
    if (binding == nullptr) return refusal;
    const std::uint64_t cap =
        request.source != nullptr && request.maxBytes != 0 ? request.maxBytes : s_.config.maxBodyBytes;
    if (request.source == nullptr && request.body.size() > cap)
        return failure(IntakeStatus::TooLarge, "too_large",
                       "the body is over the cap of " + std::to_string(cap) + " bytes");

    journal::StringSource bodySource(request.body);
    auto blob = s_.blobs.put(request.source != nullptr ? *request.source : bodySource, cap);
    if (!blob) {
        if (blob.error().code == "too_large") return failure(IntakeStatus::TooLarge, "too_large", blob.error().message);
        if (blob.error().code == journal::errc::kUnavailable)
            return failure(IntakeStatus::Unavailable, "unavailable",
                           "the gateway cannot store input right now; nothing was accepted, retry later");
        return failure(IntakeStatus::Internal, "internal", blob.error().message);
    }
    const auto blobId = blob.value().blobId();
    bool blobKept = false;  // once a part refers to it, the journal owns the blob
    auto discardBlob = [&] {
        if (!blobKept) (void)s_.blobs.purge(blobId);
    };

    const auto receivedAtMs = s_.clock.nowUnixMs();
    RecordProcessor processor(s_, *partner, receivedAtMs);
    AckSubjectInfo subject{request.isFile, request.reference, blob.value().sha256Hex(), partner->id,
                           processor.receivedAt().toString()};
    const std::string expected = request.declaredType ? std::string(toString(*request.declaredType)) : std::string();
    const bool inParts = request.source != nullptr || blob.value().size() > kPartsThresholdBytes;

    // Decodes the input once: from memory when it is there, else from the blob.
    std::optional<Error> readError;
    auto decode = [&](plugin::DecodeHandler &handler) -> Result<plugin::CallOutcome> {
        if (request.source == nullptr && !inParts) {
            MemoryReader reader(request.body);
            return s_.plugins.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
                return instance.decode(expected, reader, handler);
            });
        }
        auto stored = s_.blobs.open(blob.value().record());
        if (!stored) return stored.error();
        SourceReader reader(*stored.value());
        auto outcome = s_.plugins.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
            return instance.decode(expected, reader, handler);
        });
        if (reader.error) readError = reader.error;
        return outcome;
    };
    auto decodeFailure = [&](const Result<plugin::CallOutcome> &outcome) -> std::optional<IntakeResponse> {
        if (!outcome) return failure(IntakeStatus::Internal, "plugin_unavailable", outcome.error().message);
        if (readError) {
            s_.logger.log(LogLevel::Error, "intake", "reading a stored input failed: " + readError->message);
            return failure(IntakeStatus::Unavailable, "unavailable",
                           "the stored input cannot be read right now; nothing more was accepted, retry later");
        }
        if (outcome.value().ok()) return std::nullopt;
        const auto status = outcome.value().status;
        if (status == plugin::CallStatus::Input || status == plugin::CallStatus::Unsupported) {
            s_.metrics.increment("lendgate_inputs_rejected_total", {{"partner", partner->id}});
            return unusable(subject, s_.ulids, outcome.value().code, outcome.value().message);
        }
        return failure(IntakeStatus::Internal, "plugin_failed",
                       "plugin " + binding->plugin + " failed: " + outcome.value().message);
    };

    if (inParts) {
        WholeInputCheck check;
        if (auto refused = decodeFailure(decode(check))) {
            discardBlob();
            return *refused;
        }
    }

    auto ack = std::make_shared<AckTemplate>(subject);
    std::string continuation;
    std::optional<Error> partError;
    std::optional<journal::AcceptResult> answeredEarlier;  // the whole input was known: a complete duplicate
    auto makeBatch = [&](bool lastPart) {
        IntakeBatch batch;
        batch.sender = partner->id;
        batch.idempotencyKey = request.idempotencyKey;
        batch.blob = blob.value();
        batch.channel = request.channel;
        batch.receivedAtMs = receivedAtMs;
        batch.records = std::move(processor.records);
        batch.rejected = std::move(processor.rejected);
        processor.records.clear();
        processor.rejected.clear();
        std::sort(batch.rejected.begin(), batch.rejected.end(),
                  [](const auto &a, const auto &b) { return a.recordNumber < b.recordNumber; });
        batch.continuation = continuation;
        batch.lastPart = lastPart;
        ack->preparePart(batch.records, batch.rejected);
        if (lastPart) {
            std::shared_ptr<const AckTemplate> finished = ack;
            batch.buildResult = [finished](const journal::AcceptedBatch &last) { return finished->render(last); };
        }
        return batch;
    };
    if (inParts) {
        processor.commitPart = [&] {
            auto committed = s_.commits.submit(makeBatch(false));
            if (!committed) {
                partError = committed.error();
                return false;
            }
            if (committed.value().disposition != journal::AcceptDisposition::Accepted) {
                answeredEarlier = std::move(committed.value());
                return false;
            }
            // A part resuming an earlier attempt's submission keeps that attempt's blob.
            blobKept = committed.value().blobId == blobId;
            continuation = committed.value().submissionId;
            ack->absorb(committed.value().records);
            return true;
        };
    }

    auto outcome = decode(processor);
    if (processor.internalError) {
        discardBlob();
        const bool unavailable = processor.internalError->code == journal::errc::kUnavailable;
        s_.logger.log(LogLevel::Error, "intake", "reading case context failed: " + processor.internalError->message);
        return failure(unavailable ? IntakeStatus::Unavailable : IntakeStatus::Internal,
                       unavailable ? "unavailable" : "internal",
                       "the journal cannot be read right now; nothing was accepted, retry later");
    }
    if (partError) {
        discardBlob();
        return journalFailure(*partError, s_.logger);
    }
    std::optional<journal::AcceptResult> result = std::move(answeredEarlier);
    if (!result) {
        if (auto refused = decodeFailure(outcome)) {
            discardBlob();
            return *refused;
        }
        if (continuation.empty() && processor.records.empty() && processor.rejected.empty()) {
            discardBlob();
            return unusable(subject, s_.ulids, "empty", "the input holds no records");
        }
        auto committed = s_.commits.submit(makeBatch(true));
        if (!committed) {
            discardBlob();
            return journalFailure(committed.error(), s_.logger);
        }
        result = std::move(committed.value());
    }
    if (result->blobId != blobId) discardBlob();

    IntakeResponse response;
    response.submissionId = result->submissionId;
    response.document = std::move(result->resultDocument);
    response.replayed = result->disposition != journal::AcceptDisposition::Accepted;
    const auto status = ackStatusOf(response.document);
    response.status = status == "REJECTED"  ? IntakeStatus::Rejected
                      : status == "PARTIAL" ? IntakeStatus::Partial
                                            : IntakeStatus::Accepted;
    if (!response.replayed) {
        for (const auto &[type, count] : processor.acceptedByType)
            s_.metrics.increment("lendgate_messages_received_total", {{"partner", partner->id}, {"type", type}},
                                 static_cast<double>(count));
    }
    s_.logger.log(LogLevel::Info, "intake",
                  "submission " + result->submissionId + " from " + partner->id + " via " + request.channel + ": " +
                      std::string(status) + (response.replayed ? " (answered from the journal)" : ""));
    return response;
}

}  // namespace lendgate::intake
