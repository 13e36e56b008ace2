// The audit hash chain (G14) on a real journal file, attacked the way an
// insider with the sqlite3 shell would: drop the append-only triggers, then
// edit, delete or reorder rows. verify must name the first bad entry.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/journal/audit_chain.h"
#include "core/journal/backup.h"
#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal {
namespace {

using namespace Poco::Data::Keywords;
using testing::JournalTest;

class AuditChainTest : public JournalTest {
protected:
    /// Six entries, as admin reads and operator actions would leave them.
    void appendSix() {
        const std::vector<AuditRecord> records = {
            {"admin:ops-viewer", "admin.read_message", "01JD3E28JT97KB6CQ643DZVMX1", "GET /admin/v1/messages/..", 0},
            {"partner:valley-recovery", "partner.read_ack", "01JD3E28JT97KB6CQ643DZVMX2", "", 0},
            {"cli:alice", "cli.replay", "17", "delivery", 0},
            {"cli:alice", "cli.backup", "journal", "/srv/backups/2026-11-24", 0},
            {"admin:ops-admin", "admin.read_case", "case-key-3", "", 0},
            {"cli:bob", "cli.keys_rotate", "4", "data", 0},
        };
        for (const auto &record : records) {
            clock_.advance(1000);
            auto entry = journal_->appendAudit(record);
            ASSERT_TRUE(entry) << entry.error().message;
            appended_.push_back(entry.value());
        }
    }

    /// What an attacker does first: the triggers only stop honest tools.
    Poco::Data::Session attacker() {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("SQLite", path_.string());
        session << "DROP TRIGGER IF EXISTS audit_chain_no_update", now;
        session << "DROP TRIGGER IF EXISTS audit_chain_no_delete", now;
        return session;
    }

    AuditVerification verify(const std::optional<AuditAnchor> &anchor = std::nullopt) {
        auto result = journal_->verifyAudit(anchor);
        EXPECT_TRUE(result) << result.error().message;
        return result ? result.value() : AuditVerification{};
    }

    std::vector<AuditEntry> appended_;
};

TEST_F(AuditChainTest, AnIntactChainVerifiesAndReportsItsTip) {
    appendSix();
    const auto result = verify();
    EXPECT_TRUE(result.intact) << result.problem;
    EXPECT_EQ(result.count, 6);
    EXPECT_EQ(result.tipSeq, 6);
    EXPECT_EQ(result.tipHash, appended_.back().entryHash);
    EXPECT_EQ(appended_.front().prevHash, kAuditGenesisHash);
    for (std::size_t i = 1; i < appended_.size(); ++i) EXPECT_EQ(appended_[i].prevHash, appended_[i - 1].entryHash);
    // The tip, recorded elsewhere, is an anchor the intact chain satisfies.
    EXPECT_TRUE(verify(AuditAnchor{6, result.tipHash}).intact);

    // Entries carry a hash of the detail, never the detail itself.
    auto listed = journal_->listAudit({});
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed.value().size(), 6u);
    EXPECT_EQ(listed.value()[3].detailSha256, auditSha256Hex("/srv/backups/2026-11-24"));
    EXPECT_EQ(rows("audit_chain", "detail_sha256 LIKE '%backups%'"), 0);
}

TEST_F(AuditChainTest, TheTriggersRefuseEditsFromHonestTools) {
    appendSix();
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", path_.string());
    EXPECT_THROW((session << "UPDATE audit_chain SET actor = 'cli:mallory' WHERE seq = 2", now), Poco::Exception);
    EXPECT_THROW((session << "DELETE FROM audit_chain WHERE seq = 2", now), Poco::Exception);
    EXPECT_EQ(rows("audit_chain"), 6);
}

// One column of entry 3 changed, each column in turn.
TEST_F(AuditChainTest, EditingAnyColumnOfAMiddleEntryIsNamed) {
    appendSix();
    const std::vector<std::string> edits = {"actor = 'cli:mallory'",
                                            "action = 'admin.read_case'",
                                            "target = 'someone-else'",
                                            "detail_sha256 = '" + std::string(64, 'a') + "'",
                                            "at_ms = at_ms + 1",
                                            "prev_hash = '" + std::string(64, 'b') + "'",
                                            "entry_hash = '" + std::string(64, 'c') + "'"};
    for (const auto &edit : edits) {
        auto session = attacker();
        session << "CREATE TABLE saved AS SELECT * FROM audit_chain WHERE seq = 3", now;
        session << "UPDATE audit_chain SET " + edit + " WHERE seq = 3", now;
        const auto result = verify();
        EXPECT_FALSE(result.intact) << edit;
        EXPECT_EQ(result.firstBadSeq, 3) << edit << ": " << result.problem;
        EXPECT_NE(result.problem.find("entry 3"), std::string::npos) << result.problem;
        EXPECT_EQ(result.tipSeq, 2) << "entries 1 and 2 still verify";
        session << "DELETE FROM audit_chain WHERE seq = 3", now;
        session << "INSERT INTO audit_chain SELECT * FROM saved", now;
        session << "DROP TABLE saved", now;
        EXPECT_TRUE(verify().intact) << "undoing " << edit << " restores the chain";
    }
}

TEST_F(AuditChainTest, DeletingAMiddleEntryIsNamed) {
    appendSix();
    attacker() << "DELETE FROM audit_chain WHERE seq = 3", now;
    const auto result = verify();
    EXPECT_FALSE(result.intact);
    EXPECT_EQ(result.firstBadSeq, 3);
    EXPECT_NE(result.problem.find("missing"), std::string::npos) << result.problem;
}

TEST_F(AuditChainTest, DeletingAMiddleEntryAndRenumberingIsNamed) {
    appendSix();
    auto session = attacker();
    session << "DELETE FROM audit_chain WHERE seq = 3", now;
    session << "UPDATE audit_chain SET seq = seq - 1 WHERE seq > 3", now;
    const auto result = verify();
    EXPECT_FALSE(result.intact);
    EXPECT_EQ(result.firstBadSeq, 3) << result.problem;
}

TEST_F(AuditChainTest, SwappingTwoEntriesIsNamedAsAReorder) {
    appendSix();
    auto session = attacker();
    session << "UPDATE audit_chain SET seq = -4 WHERE seq = 4", now;
    session << "UPDATE audit_chain SET seq = 4 WHERE seq = 3", now;
    session << "UPDATE audit_chain SET seq = 3 WHERE seq = -4", now;
    const auto result = verify();
    EXPECT_FALSE(result.intact);
    EXPECT_EQ(result.firstBadSeq, 3);
    EXPECT_NE(result.problem.find("reordered"), std::string::npos) << result.problem;
}

TEST_F(AuditChainTest, RemovingTheNewestEntryIsCaughtOnlyWithAnAnchor) {
    appendSix();
    const AuditAnchor anchor{6, verify().tipHash};
    attacker() << "DELETE FROM audit_chain WHERE seq = 6", now;
    // Without an anchor a shortened chain is a valid chain: why verify
    // prints the tip for the operator to keep elsewhere.
    EXPECT_TRUE(verify().intact);
    const auto result = verify(anchor);
    EXPECT_FALSE(result.intact);
    EXPECT_EQ(result.firstBadSeq, 6);
    EXPECT_NE(result.problem.find("missing"), std::string::npos) << result.problem;
}

TEST_F(AuditChainTest, AChainRewrittenFromTheAnchorOnIsCaught) {
    appendSix();
    const AuditAnchor anchor{4, appended_[3].entryHash};
    // Rewrite entry 4 consistently (the hash is unkeyed, so the attacker can)
    // and every entry after it.
    auto session = attacker();
    session << "DELETE FROM audit_chain WHERE seq >= 4", now;
    ASSERT_TRUE(journal_->appendAudit({"cli:mallory", "cli.replay", "17", "", 0}));
    const auto plain = verify();
    EXPECT_TRUE(plain.intact);
    const auto anchored = verify(anchor);
    EXPECT_FALSE(anchored.intact);
    EXPECT_EQ(anchored.firstBadSeq, 4) << anchored.problem;
}

TEST_F(AuditChainTest, ConcurrentAppendersKeepOneChain) {
    // Two journals on one file stand for two processes (the daemon and a CLI
    // command); two threads on each.
    auto second = open();
    ASSERT_NE(second, nullptr);
    constexpr int kPerThread = 25;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        Journal &journal = t % 2 == 0 ? *journal_ : *second;
        threads.emplace_back([&journal, &failures, t] {
            for (int i = 0; i < kPerThread; ++i)
                if (!journal.appendAudit({"cli:thread" + std::to_string(t), "cli.replay", std::to_string(i), "", 0}))
                    ++failures;
        });
    }
    for (auto &thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    const auto result = verify();
    EXPECT_TRUE(result.intact) << result.problem;
    EXPECT_EQ(result.count, 4 * kPerThread);
    EXPECT_EQ(result.tipSeq, 4 * kPerThread);
}

TEST_F(AuditChainTest, ABackupCarriesTheChain) {
    appendSix();
    journal_.reset();
    const auto data = path_.parent_path();
    const auto backup = dir_ / "backup";
    ASSERT_TRUE(backupDataDir(data, backup, clock_.nowUnixMs()));
    auto copy = openSqliteJournal({backup / "journal.db"}, clock_);
    ASSERT_TRUE(copy) << copy.error().message;
    auto result = copy.value()->verifyAudit(AuditAnchor{6, appended_.back().entryHash});
    ASSERT_TRUE(result);
    EXPECT_TRUE(result.value().intact) << result.value().problem;
    EXPECT_EQ(result.value().count, 6);
}

TEST(AuditEntryHash, FieldBoundariesAreUnambiguous) {
    AuditEntry a{1, 5, "cli:a", "bc", "", std::string(64, '0'), std::string(kAuditGenesisHash), ""};
    AuditEntry b = a;
    b.actor = "cli:ab";
    b.action = "c";
    EXPECT_NE(auditEntryHash(a), auditEntryHash(b));
    AuditEntry c = a;
    c.seq = 15;
    c.atMs = 0;  // "1" + "5" must not read as "15" + ""
    a.atMs = 5;
    EXPECT_NE(auditEntryHash(a), auditEntryHash(c));
}

TEST(AuditAnchorText, OnlySeqColonHashIsAccepted) {
    const std::string hash(64, 'e');
    auto anchor = parseAuditAnchor("12:" + hash);
    ASSERT_TRUE(anchor);
    EXPECT_EQ(anchor->seq, 12);
    EXPECT_FALSE(parseAuditAnchor(hash));
    EXPECT_FALSE(parseAuditAnchor("0:" + hash));
    EXPECT_FALSE(parseAuditAnchor("12:" + hash.substr(1)));
    EXPECT_FALSE(parseAuditAnchor("12:" + std::string(64, 'E')));
}

// secure_delete = ON: a purged wrapped key leaves no copy in the database's
// free space or its WAL. The key is larger than a page, so it spills into
// overflow pages that a purge frees (FAST mode would leave those as they were).
TEST_F(JournalTest, APurgedWrappedKeyLeavesNoBytesInTheFiles) {
    std::string marker;
    while (marker.size() < 12000) marker += "WRAPPED-KEY-MARKER-7f3a9c-";
    const std::string blobId = "c0ffee-0011223344556677";
    {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("SQLite", path_.string());
        Poco::Data::BLOB key(reinterpret_cast<const unsigned char *>(marker.data()), marker.size());
        std::string id = blobId;
        session << "INSERT INTO blobs (blob_id, content_id, wrapped_key, size, created_at_ms) VALUES (?, 'c', ?, 1, 1)",
            use(id), use(key), now;
    }
    auto read = [](const std::filesystem::path &file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    };
    const std::string needle = "WRAPPED-KEY-MARKER-7f3a9c";
    const bool onDisk = read(path_).find(needle) != std::string::npos ||
                        read(path_.string() + "-wal").find(needle) != std::string::npos;
    ASSERT_TRUE(onDisk) << "the key must be on disk before the purge, or this test proves nothing";
    ASSERT_TRUE(journal_->purgeBlobKey(blobId, clock_.nowUnixMs()));
    // The purge checkpointed; the journal is still open, as in the daemon.
    EXPECT_EQ(read(path_).find(needle), std::string::npos);
    EXPECT_EQ(read(path_.string() + "-wal").find(needle), std::string::npos);
}

}  // namespace
}  // namespace lendgate::journal
