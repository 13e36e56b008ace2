#include "core/journal/sqlite/rows.h"

namespace lendgate::journal::sqlite {

using namespace Poco::Data::Keywords;

void MessageRows::attach(Statement &statement) {
    statement, into(messageId), into(type), into(sender), into(key), into(caseId), into(causationId),
        into(submissionId), into(recordNumber), into(receivedAt), into(state), into(body), into(blobId), into(offset),
        into(length), into(sealed);
}

MessageSummary MessageRows::summary(std::size_t i) const {
    MessageSummary out;
    out.messageId = messageId[i];
    out.messageType = type[i];
    out.sender = sender[i];
    out.idempotencyKey = key[i];
    out.caseId = caseId[i];
    out.causationId = causationId[i];
    out.submissionId = submissionId[i];
    out.recordNumber = static_cast<std::uint64_t>(recordNumber[i]);
    out.receivedAtMs = receivedAt[i];
    out.state = messageStateFromString(state[i]).value_or(MessageState::Pending);
    return out;
}

StoredBody MessageRows::storedBody(std::size_t i) const {
    StoredBody out;
    out.canonicalJson = body[i];
    out.blobId = blobId[i];
    out.slice = BlobSlice{static_cast<std::uint64_t>(offset[i]), static_cast<std::uint64_t>(length[i])};
    out.sealedFields = sealed[i];
    return out;
}

void DeliveryRows::attach(Statement &statement) {
    statement, into(id), into(messageId), into(type), into(destination), into(queueKey), into(queueSeq), into(critical),
        into(ruleId), into(state), into(attempts), into(lastStatus), into(lastError), into(createdAt),
        into(nextAttemptAt), into(pendingSince), into(deliveredAt), into(heldBy);
}

DeliveryInfo DeliveryRows::row(std::size_t i) const {
    DeliveryInfo out;
    out.deliveryId = id[i];
    out.messageId = messageId[i];
    out.messageType = type[i];
    out.destination = destination[i];
    out.queueKey = queueKey[i];
    out.queueSeq = queueSeq[i];
    out.critical = critical[i] != 0;
    out.ruleId = ruleId[i];
    out.state = deliveryStateFromString(state[i]).value_or(DeliveryState::Pending);
    out.attempts = static_cast<int>(attempts[i]);
    out.lastStatus = static_cast<int>(lastStatus[i]);
    out.lastError = lastError[i];
    out.createdAtMs = createdAt[i];
    out.nextAttemptAtMs = nextAttemptAt[i];
    out.pendingSinceMs = pendingSince[i];
    out.deliveredAtMs = deliveredAt[i];
    out.heldBy = heldBy[i];
    return out;
}

void EventRows::attach(Statement &statement) {
    statement, into(id), into(at), into(kind), into(submissionId), into(messageId), into(delivery), into(caseId),
        into(first), into(last), into(count), into(destination), into(ruleId), into(status), into(latency),
        into(detail);
}

JournalEvent EventRows::row(std::size_t i) const {
    JournalEvent out;
    out.eventId = id[i];
    out.atMs = at[i];
    out.kind = eventKindFromString(kind[i]).value_or(EventKind::Received);
    out.submissionId = submissionId[i];
    out.messageId = messageId[i];
    out.deliveryId = delivery[i];
    out.caseId = caseId[i];
    out.firstRecord = static_cast<std::uint64_t>(first[i]);
    out.lastRecord = static_cast<std::uint64_t>(last[i]);
    out.recordCount = static_cast<std::uint64_t>(count[i]);
    out.destination = destination[i];
    out.ruleId = ruleId[i];
    out.status = static_cast<int>(status[i]);
    out.latencyMs = latency[i];
    out.detail = detail[i];
    return out;
}

}  // namespace lendgate::journal::sqlite
