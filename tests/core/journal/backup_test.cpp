// What `lendgate backup` and `restore` refuse, and the purge ledger: the
// happy path under load is in tests/e2e/backup_test.cpp.
#include "core/journal/backup.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/journal/purge_ledger.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::journal {
namespace {

namespace fs = std::filesystem;
using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

void write(const fs::path &file, const std::string &text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string read(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class BackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        SqliteJournalOptions options;
        options.path = data_ / "journal.db";
        fs::create_directories(data_);
        ASSERT_TRUE(openSqliteJournal(options, clock_));
        write(data_ / "blobs/ab/abcdef-0011223344556677", "sealed bytes");
        write(data_ / "blobs/tmp/half-written.partial", "being written");
    }

    TempDir dir_;
    ManualClock clock_;
    fs::path data_ = dir_ / "data";
    fs::path backup_ = dir_ / "backup";
    fs::path restored_ = dir_ / "restored";
};

TEST_F(BackupTest, ABackupHoldsTheJournalAndStoredBlobsButNoHalfWrittenOnes) {
    auto summary = backupDataDir(data_, backup_, clock_.nowUnixMs());
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary.value().blobFiles, 1u);
    EXPECT_TRUE(fs::exists(backup_ / "journal.db"));
    EXPECT_EQ(read(backup_ / "blobs/ab/abcdef-0011223344556677"), "sealed bytes");
    EXPECT_FALSE(fs::exists(backup_ / "blobs/tmp/half-written.partial"));
    EXPECT_NE(read(backup_ / "MANIFEST.json").find(summary.value().journalSha256), std::string::npos);
    EXPECT_EQ(fs::status(backup_).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST_F(BackupTest, ABackupIsNeverWrittenOverAnother) {
    write(backup_ / "something", "x");
    auto summary = backupDataDir(data_, backup_, clock_.nowUnixMs());
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, "backup_target");
}

TEST_F(BackupTest, ADamagedBackupIsRefusedBeforeAnythingIsCopied) {
    ASSERT_TRUE(backupDataDir(data_, backup_, clock_.nowUnixMs()));
    {
        std::fstream db(backup_ / "journal.db", std::ios::in | std::ios::out | std::ios::binary);
        db.seekp(100);
        db.put('\x7f');
    }
    auto restored = restoreDataDir(backup_, restored_);
    ASSERT_FALSE(restored);
    EXPECT_EQ(restored.error().code, "restore_source");
    EXPECT_NE(restored.error().message.find("SHA-256"), std::string::npos) << restored.error().message;
    EXPECT_FALSE(fs::exists(restored_ / "journal.db"));
}

TEST_F(BackupTest, ARestoreNeverReplacesAJournalAndDropsAStrayWal) {
    ASSERT_TRUE(backupDataDir(data_, backup_, clock_.nowUnixMs()));
    auto over = restoreDataDir(backup_, data_);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "restore_target");

    write(restored_ / "journal.db-wal", "a WAL of some other database");
    auto restored = restoreDataDir(backup_, restored_);
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_FALSE(fs::exists(restored_ / "journal.db-wal"));
    EXPECT_EQ(read(restored_ / "blobs/ab/abcdef-0011223344556677"), "sealed bytes");
    SqliteJournalOptions options;
    options.path = restored_ / "journal.db";
    EXPECT_TRUE(openSqliteJournal(options, clock_));
}

TEST_F(BackupTest, NotABackupIsNamedAsSuch) {
    fs::create_directories(backup_);
    auto restored = restoreDataDir(backup_, restored_);
    ASSERT_FALSE(restored);
    EXPECT_EQ(restored.error().code, "restore_source");
    EXPECT_NE(restored.error().message.find("MANIFEST.json"), std::string::npos);
}

TEST(PurgeLedger, EntriesAreKeptInOrderAndOddLinesAreNamed) {
    TempDir dir;
    EXPECT_TRUE(purgedBlobs(dir.path()).value().empty());
    ASSERT_TRUE(recordPurge(dir.path(), "abc-01", 1));
    ASSERT_TRUE(recordPurge(dir.path(), "def-02", 2));
    EXPECT_EQ(purgedBlobs(dir.path()).value(), (std::vector<std::string>{"abc-01", "def-02"}));
    EXPECT_FALSE(recordPurge(dir.path(), "../../etc/passwd", 3));
    std::ofstream(dir.path() / kPurgeLedgerFileName, std::ios::app) << "garbage\n";
    auto broken = purgedBlobs(dir.path());
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("line 3"), std::string::npos) << broken.error().message;
}

}  // namespace
}  // namespace lendgate::journal
