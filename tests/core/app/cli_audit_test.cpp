// `lendgate audit` and the operator commands that put themselves in the audit
// chain, run as an operator runs them, over a real journal file.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <filesystem>
#include <regex>

#include "core/journal/sqlite/sqlite_journal.h"
#include "core/security/key_ring.h"
#include "tests/support/run_command.h"

namespace lendgate::test {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;

const std::string kCli = LENDGATE_CLI;

class CliAuditTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::unsetenv(security::kMasterKeyEnv);
        ::unsetenv(security::kMasterKeyFileEnv);
        dir_ = makeTempDir("cli-audit");
        config_ = makeConfig("config", "var");

        journal::SqliteJournalOptions options;
        options.path = dir_ + "/var/journal.db";
        fs::create_directories(dir_ + "/var");
        auto journal = journal::openSqliteJournal(options, clock_);
        ASSERT_TRUE(journal) << journal.error().message;
        journal::IntakeBatch batch;
        batch.sender = "cactus-auto-finance";
        batch.bodyHash = "h1";
        batch.channel = "http";
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "repossession_assignment";
        record.idempotencyKey = "CAF-1";
        record.body = R"({"n":1})";
        record.routes = {{"valley-recovery", "new-assignments-phoenix-metro", false}};
        batch.records.push_back(record);
        ASSERT_TRUE(journal.value()->accept(batch));
        auto claimed = journal.value()->claimDue({clock_.nowUnixMs(), 10, 60000, {}, {}, {}});
        ASSERT_TRUE(claimed);
        ASSERT_EQ(claimed.value().size(), 1u);
        ASSERT_TRUE(journal.value()->deadLetter({claimed.value()[0].delivery.deliveryId, claimed.value()[0].claim,
                                                 journal::OutcomeKind::DeadLetter, clock_.nowUnixMs(), 500, 12,
                                                 "HTTP 500", 0}));
    }

    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    /// A copy of the sample configuration whose data folder is dir_/DATA.
    std::string makeConfig(const std::string &name, const std::string &data) {
        fs::copy(std::string(SOURCE_DIR) + "/config", dir_ + "/" + name, fs::copy_options::recursive);
        const std::string file = dir_ + "/" + name + "/lendgate.json";
        std::string text = readFile(file);
        text.replace(text.find("\"../var\""), 8, "\"" + dir_ + "/" + data + "\"");
        writeFile(file, text);
        return file;
    }

    CommandResult cli(std::vector<std::string> args, const std::string &config = {}) {
        args.insert(args.begin(), kCli);
        args.insert(args.end(), {"--config", config.empty() ? config_ : config, "--plugin-dir", PLUGIN_DIR});
        return runCommand(args);
    }

    /// The attacker's sqlite3 shell: triggers dropped, then `sql`.
    void tamper(const std::string &sql) {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("SQLite", dir_ + "/var/journal.db");
        session << "DROP TRIGGER IF EXISTS audit_chain_no_update", now;
        session << "DROP TRIGGER IF EXISTS audit_chain_no_delete", now;
        session << sql, now;
    }

    static std::string tipOf(const std::string &verifyOutput) {
        std::smatch match;
        static const std::regex tip(R"(tip (\d+:[0-9a-f]{64}))");
        return std::regex_search(verifyOutput, match, tip) ? match[1].str() : std::string();
    }

    SystemClock clock_;
    std::string dir_;
    std::string config_;
};

TEST_F(CliAuditTest, AReplayIsAnEntryAndVerifyNamesTheFirstBadOne) {
    auto replay = cli({"replay", "--deadletters", "--destination", "valley-recovery"});
    ASSERT_EQ(replay.exitCode, 0) << replay.err;
    auto list = cli({"audit", "list"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find("cli.replay"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("valley-recovery"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("cli:"), std::string::npos) << list.out;

    auto verified = cli({"audit", "verify"});
    ASSERT_EQ(verified.exitCode, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("intact: 1 entries"), std::string::npos) << verified.out;
    const std::string anchor = tipOf(verified.out);
    ASSERT_FALSE(anchor.empty()) << verified.out;
    EXPECT_EQ(cli({"audit", "verify", "--anchor", anchor}).exitCode, 0);

    tamper("UPDATE audit_chain SET actor = 'cli:someone-else' WHERE seq = 1");
    auto broken = cli({"audit", "verify"});
    EXPECT_EQ(broken.exitCode, 1) << broken.out << broken.err;
    EXPECT_NE(broken.out.find("BROKEN at entry 1"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("altered"), std::string::npos) << broken.out;

    // Removing the only entry leaves an empty, valid chain: the anchor catches it.
    tamper("DELETE FROM audit_chain");
    EXPECT_EQ(cli({"audit", "verify"}).exitCode, 0);
    auto truncated = cli({"audit", "verify", "--anchor", anchor});
    EXPECT_EQ(truncated.exitCode, 1) << truncated.out;
    EXPECT_NE(truncated.out.find("BROKEN at entry 1"), std::string::npos) << truncated.out;
}

TEST_F(CliAuditTest, KeyChangesBackupAndRestoreAreEntriesAndTheRestoredChainVerifies) {
    ASSERT_EQ(cli({"keys", "init"}).exitCode, 0);
    ASSERT_EQ(cli({"keys", "rotate"}).exitCode, 0);
    auto backup = cli({"backup", dir_ + "/backup"});
    ASSERT_EQ(backup.exitCode, 0) << backup.err;
    auto list = cli({"audit", "list"});
    EXPECT_NE(list.out.find("cli.keys_init"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("cli.keys_rotate"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("cli.backup"), std::string::npos) << list.out;

    // A new machine: the key ring restored apart, then the backup.
    const std::string config2 = makeConfig("config2", "var2");
    fs::create_directories(dir_ + "/var2");
    fs::copy(dir_ + "/var/keys", dir_ + "/var2/keys", fs::copy_options::recursive);
    auto restore = cli({"restore", dir_ + "/backup"}, config2);
    ASSERT_EQ(restore.exitCode, 0) << restore.err;
    auto restored = cli({"audit", "list"}, config2);
    ASSERT_EQ(restored.exitCode, 0) << restored.err;
    EXPECT_NE(restored.out.find("cli.keys_rotate"), std::string::npos) << restored.out;
    EXPECT_NE(restored.out.find("cli.restore"), std::string::npos) << restored.out;
    EXPECT_EQ(restored.out.find("cli.backup"), std::string::npos) << "the backup's entry came after its snapshot";
    auto verified = cli({"audit", "verify"}, config2);
    EXPECT_EQ(verified.exitCode, 0) << verified.out;
    EXPECT_NE(verified.out.find("intact: 3 entries"), std::string::npos) << verified.out;
}

TEST_F(CliAuditTest, UsageErrorsAreNamed) {
    EXPECT_EQ(cli({"audit"}).exitCode, 64);
    EXPECT_EQ(cli({"audit", "verify", "--anchor", "not-an-anchor"}).exitCode, 64);
    EXPECT_EQ(cli({"audit", "list", "--since", "yesterday"}).exitCode, 64);
}

}  // namespace
}  // namespace lendgate::test
