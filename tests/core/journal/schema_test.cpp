// Opening the journal: WAL and synchronous=FULL or a refusal, private files,
// schema migrations forward only, and input refused (not lost) on a full disk.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/journal/fs_blob_store.h"
#include "core/journal/sqlite/schema.h"
#include "core/security/key_ring.h"
#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

Session sessionOn(const std::filesystem::path &path) {
    Poco::Data::SQLite::Connector::registerConnector();
    return Session("SQLite", path.string());
}

mode_t modeOf(const std::filesystem::path &path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
}

using SchemaTest = JournalTest;

TEST_F(SchemaTest, ANewJournalUsesWalAndPrivateFiles) {
    acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    Session session = sessionOn(path_);
    std::string mode;
    session << "PRAGMA journal_mode", into(mode), now;
    EXPECT_EQ(mode, "wal");
    int applicationId = 0;
    session << "PRAGMA application_id", into(applicationId), now;
    EXPECT_EQ(applicationId, sqlite::kApplicationId);
    EXPECT_EQ(sqlite::schemaVersion(session), static_cast<int>(sqlite::journalMigrations().size()));
    EXPECT_EQ(modeOf(path_), 0600u);
    EXPECT_EQ(modeOf(path_.string() + "-wal"), 0600u);
}

TEST_F(SchemaTest, WeakerSynchronousSettingsNeedTheExplicitFlag) {
    SqliteJournalOptions normal;
    normal.path = dir_ / "other.db";
    normal.synchronous = "NORMAL";
    auto refused = openSqliteJournal(normal, clock_);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, errc::kUnsafeConfig);
    EXPECT_NE(refused.error().message.find("synchronous=NORMAL"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("allow_unsafe_synchronous"), std::string::npos);
    normal.allowUnsafeSynchronous = true;
    EXPECT_TRUE(openSqliteJournal(normal, clock_).ok());
    normal.synchronous = "sometimes";
    EXPECT_EQ(openSqliteJournal(normal, clock_).error().code, errc::kInvalidConfig);
    SqliteJournalOptions extra;
    extra.path = dir_ / "extra.db";
    extra.synchronous = "extra";
    EXPECT_TRUE(openSqliteJournal(extra, clock_).ok());
}

TEST_F(SchemaTest, AJournalFromANewerVersionIsRefused) {
    acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    journal_.reset();
    {
        Session session = sessionOn(path_);
        session << "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (99, 'future', 0)", now;
    }
    SqliteJournalOptions options;
    options.path = path_;
    auto refused = openSqliteJournal(options, clock_);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, errc::kSchemaTooNew);
    EXPECT_NE(refused.error().message.find("99"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find(path_.string()), std::string::npos);
}

TEST_F(SchemaTest, ADatabaseThatIsNotAJournalIsRefused) {
    const auto foreign = dir_ / "someone-elses.db";
    sessionOn(foreign) << "CREATE TABLE customers (name TEXT)", now;
    SqliteJournalOptions options;
    options.path = foreign;
    EXPECT_EQ(openSqliteJournal(options, clock_).error().code, errc::kInvalidConfig);
}

TEST_F(SchemaTest, ReopeningKeepsEverything) {
    const AcceptResult first = acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    journal_ = open();
    ASSERT_TRUE(journal_);
    EXPECT_TRUE(journal_->message(first.records[0].messageId, std::nullopt).ok());
    EXPECT_EQ(acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")})).disposition,
              AcceptDisposition::Replayed);
}

TEST_F(SchemaTest, EventsAreAppendOnly) {
    acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    Session session = sessionOn(path_);
    EXPECT_THROW((session << "UPDATE events SET kind = 'rejected'", now), Poco::Exception);
    EXPECT_THROW((session << "DELETE FROM events", now), Poco::Exception);
    EXPECT_EQ(rows("events"), 1);
}

TEST(SchemaMigrations, AnOlderSchemaIsMigratedForwardAndNeverBack) {
    TempDir dir;
    const auto path = dir / "journal.db";
    Session session = sessionOn(path);
    const std::vector<sqlite::Migration> v1 = {{1, "first", {"CREATE TABLE notes (id INTEGER PRIMARY KEY)"}}};
    std::vector<sqlite::Migration> v2 = v1;
    v2.push_back({2, "second", {"ALTER TABLE notes ADD COLUMN text TEXT", "CREATE TABLE tags (name TEXT)"}});

    ASSERT_EQ(sqlite::migrate(session, v1, path, 1).value(), 0);
    session << "INSERT INTO notes (id) VALUES (7)", now;
    ASSERT_EQ(sqlite::migrate(session, v2, path, 2).value(), 1) << "an old file opened by newer code";
    EXPECT_EQ(sqlite::schemaVersion(session), 2);
    int kept = 0;
    session << "SELECT COUNT(*) FROM notes WHERE id = 7 AND text IS NULL", into(kept), now;
    EXPECT_EQ(kept, 1);
    EXPECT_EQ(sqlite::migrate(session, v2, path, 3).value(), 2) << "nothing left to do";

    auto refused = sqlite::migrate(session, v1, path, 4);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, errc::kSchemaTooNew);
}

TEST(SchemaMigrations, AFailingStepLeavesTheOldVersionWhole) {
    TempDir dir;
    const auto path = dir / "journal.db";
    Session session = sessionOn(path);
    const std::vector<sqlite::Migration> v1 = {{1, "first", {"CREATE TABLE notes (id INTEGER PRIMARY KEY)"}}};
    std::vector<sqlite::Migration> broken = v1;
    broken.push_back({2, "broken", {"CREATE TABLE tags (name TEXT)", "THIS IS NOT SQL"}});
    ASSERT_TRUE(sqlite::migrate(session, v1, path, 1).ok());
    EXPECT_THROW((void)sqlite::migrate(session, broken, path, 2), Poco::Exception);
    EXPECT_EQ(sqlite::schemaVersion(session), 1);
    int tags = 0;
    session << "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tags'", into(tags), now;
    EXPECT_EQ(tags, 0) << "the half-applied step was rolled back";
}

// Version 7 widens three CHECK lists in place: a journal written at version 6
// keeps every row, takes 'cancelled' afterwards, and still refuses nonsense.
TEST(SchemaMigrations, AVersion6JournalLearnsCancelledDeliveriesAndKeepsItsRows) {
    TempDir dir;
    const auto path = dir / "journal.db";
    Session session = sessionOn(path);
    const auto all = sqlite::journalMigrations();
    ASSERT_GE(all.size(), 7u);
    ASSERT_TRUE(sqlite::migrate(session, all.first(6), path, 1).ok());
    session << "INSERT INTO submissions (id, submission_id, sender, body_hash, channel, received_at_ms, state) "
               "VALUES (1, 'S1', 'bank', 'h', 'http', 1, 'complete')",
        now;
    session << "INSERT INTO messages (id, message_id, submission, record_number, message_type, sender, "
               "idempotency_key, received_at_ms, state, body) VALUES (1, 'M1', 1, 1, 'referral', 'lendgate', 'k', 1, "
               "'pending', '{}')",
        now;
    session
        << "INSERT INTO deliveries (id, message, destination, queue_key, queue_seq, critical, state, "
           "next_attempt_at_ms, pending_since_ms, created_at_ms) VALUES (1, 1, 'np', 'M1', 1, 0, 'pending', 1, 1, 1)",
        now;
    EXPECT_THROW((session << "UPDATE deliveries SET state = 'cancelled'", now), Poco::Exception)
        << "version 6 does not know the state";

    ASSERT_EQ(sqlite::migrate(session, all, path, 2).value(), 6);
    EXPECT_EQ(sqlite::schemaVersion(session), static_cast<int>(all.size()));
    session << "UPDATE deliveries SET state = 'cancelled'", now;
    session << "UPDATE messages SET state = 'cancelled'", now;
    session << "INSERT INTO events (at_ms, kind, message, delivery) VALUES (2, 'cancelled', 1, 1)", now;
    EXPECT_THROW((session << "UPDATE deliveries SET state = 'gone'", now), Poco::Exception);
    std::string check;
    session << "PRAGMA integrity_check", into(check), now;
    EXPECT_EQ(check, "ok");
    Session other = sessionOn(path);
    EXPECT_THROW((other << "UPDATE messages SET state = 'gone'", now), Poco::Exception)
        << "another connection reads the widened list, not a list without checks";
    other << "UPDATE messages SET state = 'cancelled'", now;
}

// G6: a full disk refuses input with "unavailable" (HTTP 503) and loses
// nothing that was acknowledged. The child process gets a file-size limit,
// which fails writes the way a full disk does.
TEST_F(SchemaTest, AFullDiskRefusesInputAndLosesNothing) {
    const AcceptResult kept = acceptOk(batch("desert_valley_bank", "req-1", {record(1, "DVB-1", "C1")}));
    journal_.reset();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        SqliteJournalOptions options;
        options.path = path_;
        auto journal = openSqliteJournal(options, clock_);
        auto ring = security::KeyRing::open(dir_ / "keys", clock_);
        if (!journal || !ring) ::_exit(10);
        auto store = FsBlobStore::create({dir_ / "blobs"}, *ring.value());
        if (!store) ::_exit(11);
        const rlim_t limit = std::filesystem::file_size(path_) + 64 * 1024;
        const struct rlimit rl { limit, limit };
        ::setrlimit(RLIMIT_FSIZE, &rl);
        std::vector<IntakeRecord> records;
        for (int i = 0; i < 200; ++i) {
            IntakeRecord r = record(static_cast<std::uint64_t>(i + 1), "BIG-" + std::to_string(i), "C2");
            r.body += std::string(4096, ' ');
            records.push_back(std::move(r));
        }
        auto refused = journal.value()->accept(batch("desert_valley_bank", "req-2", std::move(records)));
        const std::string big(512 * 1024, 'x');
        StringSource source(big);
        auto blob = store.value()->put(source, 1u << 20);
        const bool ok = !refused.ok() && refused.error().code == errc::kUnavailable && !blob.ok() &&
                        blob.error().code == errc::kUnavailable;
        ::_exit(ok ? 0 : 12);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10/11: setup failed; 12: a write on the full disk was not 'unavailable'";

    // Space is back: the journal is whole and takes input again.
    journal_ = open();
    ASSERT_TRUE(journal_);
    std::string integrity;
    sessionOn(path_) << "PRAGMA integrity_check", into(integrity), now;
    EXPECT_EQ(integrity, "ok");
    EXPECT_TRUE(journal_->message(kept.records[0].messageId, std::nullopt).ok());
    EXPECT_EQ(rows("messages"), 1);
    EXPECT_EQ(acceptOk(batch("desert_valley_bank", "req-3", {record(1, "DVB-3", "C3")})).disposition,
              AcceptDisposition::Accepted);
}

}  // namespace
}  // namespace lendgate::journal::testing
