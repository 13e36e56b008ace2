// The retention purge: a case quiet for longer than the retention loses its
// personal data (message bodies, sealed fields, the input file's key) while
// what reports count stays; a case still active or with a delivery due is
// untouched; the purge is recorded in both ledgers and the audit chain.
#include "core/journal/retention.h"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "core/journal/fs_blob_store.h"
#include "core/journal/purge_ledger.h"
#include "core/security/key_ring.h"
#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

class RetentionTest : public JournalTest {
protected:
    /// One submission stored as a blob, with one message of `caseId` whose
    /// body names `name` and whose sealed fields are `sealed`.
    std::string journalCase(const std::string &key, const std::string &caseId, const std::string &name,
                            const std::string &sealed, std::vector<Route> routes = {}) {
        const std::string raw = "raw input of " + key + " naming " + name;
        StringSource source(raw);
        StoredBlob blob = std::move(store_->put(source, 1u << 20)).value();
        blobOf_[key] = blob.blobId();
        IntakeRecord r = record(1, key, caseId, std::move(routes));
        r.body = R"({"name":")" + name + R"("})";
        r.sealedFields = sealed;
        IntakeBatch b = batch("desert_valley_bank", key, {r});
        b.blob = blob;
        b.bodyHash.clear();
        const AcceptResult accepted = acceptOk(b);
        if (accepted.records.empty()) {
            ADD_FAILURE() << key << " was not journaled: " << accepted.resultDocument << " "
                          << static_cast<int>(accepted.disposition);
            return {};
        }
        return accepted.records[0].messageId;
    }

    PurgeSummary purge(bool dryRun = false) {
        PurgeRequest request;
        request.nowMs = clock_.nowUnixMs();
        request.actor = "cli:tester";
        request.dryRun = dryRun;
        auto summary = purgeExpired(*journal_, store_.get(), dir_ / "keys", request);
        EXPECT_TRUE(summary.ok()) << summary.error().message;
        return summary.ok() ? summary.value() : PurgeSummary{};
    }

    /// The journal's bytes on disk, the WAL included.
    std::string journalBytes() {
        std::string all;
        for (const char *suffix : {"", "-wal"}) {
            std::ifstream in(path_.string() + suffix, std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        return all;
    }

    std::unique_ptr<security::KeyRing> ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
    std::unique_ptr<FsBlobStore> store_ = std::move(FsBlobStore::create({dir_ / "blobs"}, *ring_)).value();
    std::map<std::string, std::string> blobOf_;
};

TEST_F(RetentionTest, AQuietCaseLosesItsPersonalDataAndItsFilesKeyWhileARecentOneKeepsAll) {
    const std::string old = journalCase("OLD-1", "CASE-OLD", "Quintero", "SEALED-OLD-FIELDS");
    clock_.advance(800 * kDayMs);
    const std::string recent = journalCase("NEW-1", "CASE-NEW", "Zamora", "SEALED-NEW-FIELDS");
    ASSERT_NE(journalBytes().find("Quintero"), std::string::npos) << "the scan below must be able to fail";

    const PurgeSummary summary = purge();
    EXPECT_EQ(summary.cases, 1);
    EXPECT_EQ(summary.messagesErased, 1);
    EXPECT_EQ(summary.blobsPurged, 1);
    EXPECT_EQ(summary.cutoffMs, clock_.nowUnixMs() - 730 * kDayMs);

    EXPECT_EQ(journal_->message(old, std::nullopt).value().body.canonicalJson, kErasedBody);
    EXPECT_EQ(journal_->message(recent, std::nullopt).value().body.canonicalJson, R"({"name":"Zamora"})");
    EXPECT_EQ(rows("messages", "sealed_fields IS NOT NULL"), 1);
    EXPECT_EQ(journal_->blob(blobOf_["OLD-1"]).error().code, errc::kPurged);
    EXPECT_TRUE(journal_->blob(blobOf_["NEW-1"]).ok());
    EXPECT_FALSE(std::filesystem::exists(dir_ / "blobs" / blobOf_["OLD-1"]));

    // Counts for reports stay: both messages, their types and senders.
    EXPECT_EQ(journal_->listMessages({}).value().size(), 2u);
    // No byte of the journal names the erased borrower any more.
    const std::string bytes = journalBytes();
    EXPECT_EQ(bytes.find("Quintero"), std::string::npos);
    EXPECT_EQ(bytes.find("SEALED-OLD-FIELDS"), std::string::npos);
    EXPECT_NE(bytes.find("Zamora"), std::string::npos);

    // Both ledgers, and the audit chain, know.
    EXPECT_EQ(purgedBlobs(dir_ / "keys").value(), std::vector<std::string>{blobOf_["OLD-1"]});
    EXPECT_EQ(latestErasureCutoff(dir_ / "keys").value(), summary.cutoffMs);
    auto audit = journal_->listAudit({});
    ASSERT_TRUE(audit.ok());
    ASSERT_FALSE(audit.value().empty());
    EXPECT_EQ(audit.value().back().action, "retention.purge");
    EXPECT_EQ(audit.value().back().actor, "cli:tester");
    EXPECT_TRUE(journal_->verifyAudit(std::nullopt).value().intact);

    // A second run finds nothing more.
    const PurgeSummary again = purge();
    EXPECT_EQ(again.messagesErased, 0);
    EXPECT_EQ(again.blobsPurged, 0);
}

TEST_F(RetentionTest, RecentActivityOrADeliveryStillDueKeepsAnOldCase) {
    journalCase("OLD-A1", "CASE-ACTIVE", "Aguilar", "S1");
    journalCase("OLD-B1", "CASE-DUE", "Benitez", "S2", {{"copper_state", "notices", false}});
    clock_.advance(800 * kDayMs);
    // Closing, a decision, anything: a new message restarts the clock.
    journalCase("NEW-A2", "CASE-ACTIVE", "Aguilar", "S3");

    const PurgeSummary summary = purge();
    EXPECT_EQ(summary.cases, 0);
    EXPECT_EQ(summary.messagesErased, 0);
    EXPECT_EQ(summary.blobsPurged, 0);
    EXPECT_EQ(rows("messages", "sealed_fields IS NOT NULL"), 3);
}

TEST_F(RetentionTest, ADryRunCountsAndChangesNothing) {
    journalCase("OLD-1", "CASE-OLD", "Quintero", "SEALED");
    clock_.advance(731 * kDayMs);
    const PurgeSummary summary = purge(/*dryRun=*/true);
    EXPECT_EQ(summary.cases, 1);
    EXPECT_EQ(summary.messagesErased, 1);
    EXPECT_EQ(summary.blobsPurged, 1);
    EXPECT_EQ(rows("messages", "sealed_fields IS NOT NULL"), 1);
    EXPECT_TRUE(journal_->blob(blobOf_["OLD-1"]).ok());
    EXPECT_FALSE(latestErasureCutoff(dir_ / "keys").value());
}

TEST_F(RetentionTest, TheErasureLedgerGivesTheLatestCutoffAndRefusesJunk) {
    ASSERT_TRUE(recordErasure(dir_ / "keys", 5000, 9000).ok());
    ASSERT_TRUE(recordErasure(dir_ / "keys", 4000, 9500).ok());
    EXPECT_EQ(latestErasureCutoff(dir_ / "keys").value(), 5000);
    std::ofstream(dir_ / "keys" / kErasureLedgerFileName, std::ios::app) << "not a line\n";
    EXPECT_EQ(latestErasureCutoff(dir_ / "keys").error().code, "purge_ledger");
}

}  // namespace
}  // namespace lendgate::journal::testing
