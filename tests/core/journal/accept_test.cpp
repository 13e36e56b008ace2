// accept(): one transaction per batch (or group), inbound idempotency, bulk
// files in parts, and what a partner may read back.
#include <thread>

#include <gtest/gtest.h>

#include "core/journal/fs_blob_store.h"
#include "core/journal/ulid.h"
#include "core/security/key_ring.h"
#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

const Route kToServicer{"copper_state", "notices-to-servicer", false};
const Route kToRepoFirm{"valley_recovery", "assignments", true};

using AcceptTest = JournalTest;

TEST_F(AcceptTest, ASingleMessageIsJournaledWithItsDeliveriesAndEvents) {
    const AcceptResult result = acceptOk(batch("desert_valley_bank", "req-1",
                                               {record(1, "DVB-1", "01JCASE0000000000000000001", {kToServicer, kToRepoFirm})}));
    EXPECT_EQ(result.disposition, AcceptDisposition::Accepted);
    ASSERT_EQ(result.records.size(), 1u);
    const std::string id = result.records[0].messageId;
    EXPECT_TRUE(isUlidText(id));
    EXPECT_EQ(result.resultDocument, "ack " + result.submissionId + ": " + id);

    auto message = journal_->message(id, std::nullopt);
    ASSERT_TRUE(message.ok()) << message.error().message;
    EXPECT_EQ(message.value().summary.state, MessageState::Pending);
    EXPECT_EQ(message.value().summary.caseId, "01JCASE0000000000000000001");
    EXPECT_EQ(message.value().body.canonicalJson, R"({"idempotency_key":"DVB-1","n":1})");

    auto deliveries = journal_->deliveriesOf(id);
    ASSERT_TRUE(deliveries.ok());
    ASSERT_EQ(deliveries.value().size(), 2u);
    EXPECT_EQ(deliveries.value()[0].destination, "copper_state");
    EXPECT_EQ(deliveries.value()[0].queueSeq, 1);
    EXPECT_TRUE(deliveries.value()[1].critical);

    auto timeline = journal_->caseTimeline("01JCASE0000000000000000001");
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline.value().events.size(), 3u);
    EXPECT_EQ(timeline.value().events[0].kind, EventKind::Received);
    EXPECT_EQ(timeline.value().events[1].kind, EventKind::Routed);
    EXPECT_EQ(timeline.value().events[1].ruleId, "notices-to-servicer");
    EXPECT_EQ(timeline.value().events[2].destination, "valley_recovery");

    auto stored = journal_->submission(result.submissionId, "desert_valley_bank");
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(stored.value().complete);
    EXPECT_EQ(stored.value().acceptedCount, 1);
    EXPECT_EQ(stored.value().resultDocument, result.resultDocument);
}

TEST_F(AcceptTest, SameKeyAndBodyAnswersTheStoredResultAndWritesNothing) {
    const IntakeBatch request = batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1", {kToServicer})});
    const AcceptResult first = acceptOk(request);
    const long messages = rows("messages"), events = rows("events"), deliveries = rows("deliveries");
    const AcceptResult again = acceptOk(request);
    EXPECT_EQ(again.disposition, AcceptDisposition::Replayed);
    EXPECT_EQ(again.submissionId, first.submissionId);
    EXPECT_EQ(again.resultDocument, first.resultDocument);
    EXPECT_EQ(rows("messages"), messages);
    EXPECT_EQ(rows("events"), events);
    EXPECT_EQ(rows("deliveries"), deliveries);
    EXPECT_EQ(rows("submissions"), 1);
}

TEST_F(AcceptTest, SameKeyWithAnotherBodyIsAConflict) {
    acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    auto other = journal_->accept(batch("desert_valley_bank", "req-1", {record(1, "DVB-2", "C1")}));
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, errc::kConflict);
    EXPECT_EQ(rows("messages"), 1);
    // Keys belong to their sender: another partner may use the same one.
    EXPECT_EQ(acceptOk(batch("saguaro_fcu", "req-1", {record(1, "SFCU-1", "C9")})).disposition,
              AcceptDisposition::Accepted);
}

TEST_F(AcceptTest, TheSameFileUnderAnotherKeyGetsTheOriginalResult) {
    IntakeBatch file = batch("desert_valley_bank", "", {record(1, "DVB-1", "C1"), record(2, "DVB-2", "C2")});
    file.channel = "sftp";
    const AcceptResult first = acceptOk(file);
    file.idempotencyKey = "DVB_DELQ_20261123_001.csv";  // dropped again under a name
    const AcceptResult again = acceptOk(file);
    EXPECT_EQ(again.disposition, AcceptDisposition::DuplicateContent);
    EXPECT_EQ(again.submissionId, first.submissionId);
    EXPECT_EQ(again.resultDocument, first.resultDocument);
    EXPECT_EQ(rows("messages"), 2);
}

TEST_F(AcceptTest, AFileRejectedWholeMayBeSentAgain) {
    IntakeBatch rejected = batch("desert_valley_bank", "", {});
    rejected.bodyHash = "hash-of-the-file";
    rejected.rejected = {{1, {{"/payload/collateral/vin", "format", "check digit does not match"}}, {}}};
    EXPECT_EQ(acceptOk(rejected).disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(rows("events", "kind = 'rejected'"), 1);
    // Same bytes again, e.g. after the gateway's configuration was fixed: taken anew.
    EXPECT_EQ(acceptOk(rejected).disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(rows("submissions"), 2);
}

TEST_F(AcceptTest, ARecordKeyIsNotJournaledTwice) {
    const AcceptResult first = acceptOk(batch("desert_valley_bank", "file-1",
                                              {record(1, "DVB-1", "C1", {kToServicer}), record(2, "DVB-2", "C2", {kToServicer})}));
    // A corrected resend: record 2 repeats, record 3 is new.
    const AcceptResult second = acceptOk(batch("desert_valley_bank", "file-2",
                                               {record(1, "DVB-2", "C2", {kToServicer}), record(2, "DVB-3", "C3", {kToServicer})}));
    ASSERT_EQ(second.records.size(), 2u);
    EXPECT_TRUE(second.records[0].duplicate);
    EXPECT_EQ(second.records[0].messageId, first.records[1].messageId);
    EXPECT_FALSE(second.records[1].duplicate);
    EXPECT_NE(second.resultDocument.find("(dup)"), std::string::npos);
    EXPECT_EQ(rows("messages"), 3);
    EXPECT_EQ(rows("deliveries"), 3) << "no second delivery for the repeated record";
    auto stored = journal_->submission(second.submissionId, std::nullopt).value();
    EXPECT_EQ(stored.acceptedCount, 1);
    EXPECT_EQ(stored.duplicateCount, 1);
}

TEST_F(AcceptTest, IdenticalRequestsInOneGroupMakeOneRecord) {
    const IntakeBatch request = batch("valley_recovery", "evt-77", {record(1, "VRC-77", "C1", {kToServicer})});
    const IntakeBatch clash = batch("valley_recovery", "evt-77", {record(1, "VRC-78", "C1")});
    IntakeBatch broken = batch("valley_recovery", "evt-80", {record(1, "", "C1")});
    const std::vector<IntakeBatch> group = {request, request, clash, broken};
    auto results = journal_->acceptMany(group);
    ASSERT_EQ(results.size(), 4u);
    ASSERT_TRUE(results[0].ok() && results[1].ok());
    EXPECT_EQ(results[0].value().disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(results[1].value().disposition, AcceptDisposition::Replayed);
    EXPECT_EQ(results[1].value().resultDocument, results[0].value().resultDocument);
    EXPECT_EQ(results[2].error().code, errc::kConflict);
    EXPECT_EQ(results[3].error().code, errc::kInvalidArgument);
    EXPECT_EQ(results[3].error().message, "record 1: idempotency key is empty");
    EXPECT_EQ(rows("messages"), 1);
}

// One commit holds requests that repeat earlier commits and new ones: each
// gets its own answer (the earlier result, a conflict, or a new record).
TEST_F(AcceptTest, AGroupMixingRepeatsOfEarlierCommitsAndNewRequestsAnswersEach) {
    const IntakeBatch earlier = batch("valley_recovery", "evt-1", {record(1, "VRC-1", "C1", {kToServicer})});
    const AcceptResult first = acceptOk(earlier);
    IntakeBatch file = batch("valley_recovery", "", {record(1, "VRC-2", "C2")});
    const AcceptResult firstFile = acceptOk(file);
    file.idempotencyKey = "the-same-file-renamed";

    const std::vector<IntakeBatch> group = {
        batch("valley_recovery", "evt-3", {record(1, "VRC-3", "C3", {kToServicer})}),
        earlier,
        batch("valley_recovery", "evt-1", {record(1, "VRC-4", "C1")}),
        file,
        batch("saguaro_fcu", "evt-1", {record(1, "SFCU-1", "C9")}),
    };
    auto results = journal_->acceptMany(group);
    ASSERT_EQ(results.size(), group.size());
    ASSERT_TRUE(results[0].ok() && results[1].ok() && results[3].ok() && results[4].ok());
    EXPECT_EQ(results[0].value().disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(results[1].value().disposition, AcceptDisposition::Replayed);
    EXPECT_EQ(results[1].value().submissionId, first.submissionId);
    EXPECT_EQ(results[1].value().resultDocument, first.resultDocument);
    EXPECT_EQ(results[2].error().code, errc::kConflict);
    EXPECT_EQ(results[3].value().disposition, AcceptDisposition::DuplicateContent);
    EXPECT_EQ(results[3].value().submissionId, firstFile.submissionId);
    EXPECT_EQ(results[4].value().disposition, AcceptDisposition::Accepted);
    EXPECT_EQ(rows("messages"), 4);
    EXPECT_EQ(rows("submissions"), 4);
}

TEST_F(AcceptTest, ConcurrentIdenticalRequestsMakeOneRecord) {
    const IntakeBatch request = batch("valley_recovery", "evt-9", {record(1, "VRC-9", "C1", {kToServicer})});
    std::vector<std::thread> clients;
    std::vector<AcceptDisposition> seen(8);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        clients.emplace_back([&, i] { seen[i] = journal_->accept(request).value().disposition; });
    }
    for (auto &client : clients) client.join();
    EXPECT_EQ(std::count(seen.begin(), seen.end(), AcceptDisposition::Accepted), 1);
    EXPECT_EQ(rows("messages"), 1);
}

TEST_F(AcceptTest, APartnerReadsOnlyItsOwnMessages) {
    const AcceptResult result =
        acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1", {kToServicer})}));
    const std::string id = result.records[0].messageId;
    EXPECT_TRUE(journal_->message(id, "desert_valley_bank").ok()) << "the sender";
    EXPECT_TRUE(journal_->message(id, "copper_state").ok()) << "a destination";
    auto other = journal_->message(id, "mesa_asset_recovery");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, errc::kNotFound);
    EXPECT_EQ(other.error().message, journal_->message("01ARZ3NDEKTSV4RRFFQ69G5FAV", std::nullopt).error().message)
        << "another partner's message looks exactly like a missing one";
    EXPECT_EQ(journal_->submission(result.submissionId, "mesa_asset_recovery").error().code, errc::kNotFound);
    EXPECT_TRUE(journal_->submissionByKey("desert_valley_bank", "req-1").ok());
}

TEST_F(AcceptTest, MessagesListByPartnerStateAndPage) {
    for (int i = 1; i <= 5; ++i) {
        acceptOk(batch("desert_valley_bank", "req-" + std::to_string(i),
                       {record(1, "DVB-" + std::to_string(i), "C" + std::to_string(i), {kToServicer})}));
    }
    IntakeRecord consent = record(1, "SFCU-1", "C9");
    consent.messageType = "consent";
    acceptOk(batch("saguaro_fcu", "req-1", {consent}));
    IntakeRecord lost = record(1, "SFCU-2", "C9");
    lost.unroutable = true;
    acceptOk(batch("saguaro_fcu", "req-2", {lost}));

    MessageQuery query;
    query.sender = "desert_valley_bank";
    query.limit = 3;
    auto page = journal_->listMessages(query).value();
    ASSERT_EQ(page.size(), 3u);
    query.afterMessageId = page.back().messageId;
    auto next = journal_->listMessages(query).value();
    ASSERT_EQ(next.size(), 2u);
    EXPECT_GT(next.front().messageId, page.back().messageId);

    MessageQuery unroutable;
    unroutable.state = MessageState::Unroutable;
    auto held = journal_->listMessages(unroutable).value();
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held[0].idempotencyKey, "SFCU-2");
    MessageQuery toServicer;
    toServicer.destination = "copper_state";
    EXPECT_EQ(journal_->listMessages(toServicer).value().size(), 5u);
    MessageQuery stored;
    stored.state = MessageState::Stored;
    EXPECT_EQ(journal_->listMessages(stored).value().size(), 1u);
}

class BulkTest : public JournalTest {
protected:
    /// A bank file as a blob, and a batch whose records point into it.
    IntakeBatch bulkBatch(const StoredBlob &blob, std::uint64_t from, std::uint64_t to, std::uint64_t skip = 0) {
        IntakeBatch b = batch("desert_valley_bank", "", {});
        b.channel = "sftp";
        b.blob = blob;
        b.bodyHash.clear();  // the blob's content id
        for (std::uint64_t n = from; n <= to; ++n) {
            if (n == skip) continue;
            IntakeRecord r = record(n, "DVB-" + std::to_string(n), "CASE-" + std::to_string(n), {kToServicer});
            r.body.clear();
            r.slice = BlobSlice{(n - 1) * 10, 10};
            b.records.push_back(std::move(r));
        }
        return b;
    }

    std::string bankFile(std::uint64_t records) {
        std::string out;
        for (std::uint64_t n = 1; n <= records; ++n) {
            std::string line = "row " + std::to_string(n);
            line.resize(9, ' ');
            out += line + "\n";
        }
        return out;
    }

    StoredBlob putBlob(const std::string &data) {
        StringSource source(data);
        return std::move(store_->put(source, 1u << 24)).value();
    }

    std::unique_ptr<security::KeyRing> ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
    std::unique_ptr<FsBlobStore> store_ = std::move(FsBlobStore::create({dir_ / "blobs"}, *ring_)).value();
};

TEST_F(BulkTest, ABulkFileKeepsRecordsInItsBlobAndEventsPerRange) {
    const std::string file = bankFile(500);
    const StoredBlob blob = putBlob(file);
    IntakeBatch b = bulkBatch(blob, 1, 500);
    b.rejected = {{501, {{"/payload/loan/account_number", "required", "is required"}}, {}}};
    const AcceptResult result = acceptOk(b);
    EXPECT_EQ(result.records.size(), 500u);
    EXPECT_EQ(result.blobId, blob.blobId());
    EXPECT_EQ(rows("messages", "body IS NULL"), 500);
    EXPECT_EQ(rows("events"), 3) << "received 1-500, routed 1-500, one rejection";
    EXPECT_EQ(rows("events", "kind = 'received' AND record_first = 1 AND record_last = 500 AND record_count = 500"), 1);

    // Replay from the original bytes: the record's slice of the blob.
    auto message = journal_->message(result.records[41].messageId, std::nullopt).value();
    EXPECT_EQ(message.body.blobId, blob.blobId());
    auto record = journal_->blob(message.body.blobId);
    ASSERT_TRUE(record.ok());
    auto reader = store_->open(record.value());
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(reader.value()->readRange(message.body.slice.offset, message.body.slice.length).value(), "row 42   \n");
}

TEST_F(BulkTest, AFileInPartsCompletesOnceAndResumesAfterACrash) {
    const std::string file = bankFile(9);
    const StoredBlob blob = putBlob(file);
    IntakeBatch part1 = bulkBatch(blob, 1, 3);
    part1.idempotencyKey = "DVB_DELQ_20261123_001.csv";
    part1.lastPart = false;
    part1.rejected = {{4, {{"/payload/amount_past_due", "format", "is not an amount"}}, {}}};
    const AcceptResult opened = acceptOk(part1);
    EXPECT_FALSE(journal_->submission(opened.submissionId, std::nullopt).value().complete);
    // Until it completes, the file answers no duplicate check...
    IntakeBatch part2 = bulkBatch(blob, 5, 6);
    part2.continuation = opened.submissionId;
    part2.lastPart = false;
    EXPECT_EQ(acceptOk(part2).submissionId, opened.submissionId);

    // ...the gateway dies here. After the restart the file is ingested from
    // the start again (a new put gives a new blob of the same content).
    const StoredBlob again = putBlob(file);
    IntakeBatch resumed = bulkBatch(again, 1, 6, 4);
    resumed.idempotencyKey = part1.idempotencyKey;
    resumed.lastPart = false;
    resumed.rejected = part1.rejected;
    const AcceptResult resumedResult = acceptOk(resumed);
    EXPECT_EQ(resumedResult.submissionId, opened.submissionId) << "the open submission is resumed";
    EXPECT_EQ(resumedResult.blobId, blob.blobId()) << "it keeps its first blob; the caller purges the new one";
    for (const auto &outcome : resumedResult.records) EXPECT_FALSE(outcome.duplicate) << outcome.recordNumber;
    IntakeBatch last = bulkBatch(again, 7, 9);
    last.continuation = opened.submissionId;
    const AcceptResult done = acceptOk(last);

    EXPECT_EQ(rows("messages"), 8);
    EXPECT_EQ(rows("deliveries"), 8);
    EXPECT_EQ(rows("events", "kind = 'rejected'"), 1) << "the rejection is not journaled twice";
    auto submission = journal_->submission(done.submissionId, std::nullopt).value();
    EXPECT_TRUE(submission.complete);
    EXPECT_EQ(submission.acceptedCount, 8);
    EXPECT_EQ(submission.duplicateCount, 0);
    EXPECT_EQ(submission.rejectedCount, 1);
    EXPECT_EQ(submission.resultDocument, done.resultDocument);
    // Now complete, the same file is answered with its result.
    IntakeBatch resend = bulkBatch(putBlob(file), 1, 9, 4);
    EXPECT_EQ(acceptOk(resend).disposition, AcceptDisposition::DuplicateContent);
    auto finished = journal_->accept(last);
    ASSERT_FALSE(finished.ok());
    EXPECT_EQ(finished.error().code, errc::kInvalidState);
}

TEST_F(BulkTest, PurgingABlobKeyMakesItUnreadable) {
    const std::string file = bankFile(20);
    const StoredBlob blob = putBlob(file);
    const AcceptResult result = acceptOk(bulkBatch(blob, 1, 20));
    const BlobRecord before = journal_->blob(blob.blobId()).value();
    EXPECT_EQ(before, blob.record());
    ASSERT_TRUE(journal_->purgeBlobKey(blob.blobId(), 0).ok());
    EXPECT_TRUE(journal_->purgeBlobKey(blob.blobId(), 0).ok()) << "idempotent";
    EXPECT_EQ(journal_->blob(blob.blobId()).error().code, errc::kPurged);
    EXPECT_EQ(rows("blobs", "wrapped_key IS NULL"), 1);
    EXPECT_EQ(rows("events", "kind = 'blob_purged'"), 1);
    ASSERT_TRUE(store_->purge(blob.blobId()).ok());
    EXPECT_EQ(journal_->message(result.records[0].messageId, std::nullopt).value().body.blobId, blob.blobId())
        << "the message row stays; only its bytes are gone";
    EXPECT_EQ(journal_->purgeBlobKey("no-such-blob", 0).error().code, errc::kNotFound);
}

}  // namespace
}  // namespace lendgate::journal::testing
