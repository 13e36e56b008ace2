// The operator commands over a real journal file, as an operator runs them
// beside the daemon: list, show, dead letters, replay, case timeline.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/support/run_command.h"

namespace lendgate::test {
namespace {

namespace fs = std::filesystem;

const std::string kCli = LENDGATE_CLI;

class CliJournalTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = makeTempDir("cli-journal");
        fs::copy(std::string(SOURCE_DIR) + "/config", dir_ + "/config", fs::copy_options::recursive);
        std::string text = readFile(dir_ + "/config/lendgate.json");
        text.replace(text.find("\"../var\""), 8, "\"" + dir_ + "/var\"");
        writeFile(dir_ + "/config/lendgate.json", text);
        config_ = dir_ + "/config/lendgate.json";

        journal::SqliteJournalOptions options;
        options.path = dir_ + "/var/journal.db";
        fs::create_directories(dir_ + "/var");
        auto journal = journal::openSqliteJournal(options, clock_);
        ASSERT_TRUE(journal) << journal.error().message;
        journal_ = std::move(journal.value());
        journal::IntakeBatch batch;
        batch.sender = "cactus-auto-finance";
        batch.bodyHash = "h1";
        batch.channel = "http";
        for (int i = 1; i <= 2; ++i) {
            journal::IntakeRecord record;
            record.recordNumber = static_cast<std::uint64_t>(i);
            record.messageType = "repossession_assignment";
            record.idempotencyKey = "CAF-" + std::to_string(i);
            record.caseId = "01JD3E28JT97KB6CQ643DZVMXX";
            record.body = R"({"n":)" + std::to_string(i) + "}";
            record.routes = {{"valley-recovery", "new-assignments-phoenix-metro", false}};
            batch.records.push_back(record);
        }
        auto accepted = journal_->accept(batch);
        ASSERT_TRUE(accepted) << accepted.error().message;
        firstMessage_ = accepted.value().records[0].messageId;
        // The first delivery fails for good: a dead letter.
        auto claimed = journal_->claimDue({clock_.nowUnixMs(), 10, 60000, {}, {}, {}});
        ASSERT_TRUE(claimed);
        ASSERT_EQ(claimed.value().size(), 1u);  // the second waits behind the first (same case)
        deliveryId_ = claimed.value()[0].delivery.deliveryId;
        journal::DeliveryOutcome dead{deliveryId_,
                                      claimed.value()[0].claim,
                                      journal::OutcomeKind::DeadLetter,
                                      clock_.nowUnixMs(),
                                      500,
                                      12,
                                      "HTTP 500",
                                      0};
        ASSERT_TRUE(journal_->deadLetter(dead));
    }

    void TearDown() override {
        journal_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    CommandResult cli(std::vector<std::string> args) {
        args.insert(args.begin(), kCli);
        args.insert(args.end(), {"--config", config_, "--plugin-dir", PLUGIN_DIR});
        return runCommand(args);
    }

    SystemClock clock_;
    std::string dir_;
    std::string config_;
    std::unique_ptr<journal::Journal> journal_;
    std::string firstMessage_;
    std::int64_t deliveryId_ = 0;
};

TEST_F(CliJournalTest, ListAndShowMessages) {
    auto list = cli({"messages", "list", "--partner", "cactus-auto-finance"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find(firstMessage_), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(" dead "), std::string::npos) << list.out;
    auto pending = cli({"messages", "list", "--state", "pending"});
    ASSERT_EQ(pending.exitCode, 0) << pending.err;
    EXPECT_EQ(pending.out.find(firstMessage_), std::string::npos);

    auto show = cli({"messages", "show", firstMessage_});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    EXPECT_NE(show.out.find("\"destination\": \"valley-recovery\""), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("HTTP 500"), std::string::npos) << show.out;

    auto missing = cli({"messages", "show", "01JD3E28JT97KB6CQ643DZVMX0"});
    EXPECT_EQ(missing.exitCode, 1);
}

TEST_F(CliJournalTest, DeadLettersAreListedAndReplayPutsThemBack) {
    auto dead = cli({"deadletters", "list"});
    ASSERT_EQ(dead.exitCode, 0) << dead.err;
    EXPECT_NE(dead.out.find(std::to_string(deliveryId_) + "  " + firstMessage_), std::string::npos) << dead.out;

    auto replay = cli({"replay", "--deadletters", "--destination", "valley-recovery"});
    ASSERT_EQ(replay.exitCode, 0) << replay.err;
    EXPECT_NE(replay.out.find("replayed 1"), std::string::npos) << replay.out;
    auto after = cli({"deadletters", "list"});
    EXPECT_EQ(after.out.find(firstMessage_), std::string::npos) << after.out;
    // Nothing dead any more: a second replay has nothing to do.
    EXPECT_EQ(cli({"replay", "--deadletters", "--destination", "valley-recovery"}).exitCode, 1);
    // The delivery is pending again: replaying it by id is refused.
    EXPECT_EQ(cli({"replay", std::to_string(deliveryId_)}).exitCode, 1);
}

TEST_F(CliJournalTest, AMessageIsReplayedToOneDestination) {
    auto elsewhere = cli({"replay", firstMessage_, "--destination", "mesa-asset-recovery"});
    EXPECT_EQ(elsewhere.exitCode, 1);
    EXPECT_NE(elsewhere.err.find("has no delivery to mesa-asset-recovery"), std::string::npos) << elsewhere.err;

    auto replay = cli({"replay", firstMessage_, "--destination", "valley-recovery"});
    ASSERT_EQ(replay.exitCode, 0) << replay.err;
    EXPECT_NE(replay.out.find("replayed 1 deliveries of message " + firstMessage_ + " to valley-recovery"),
              std::string::npos)
        << replay.out;
    EXPECT_EQ(cli({"deadletters", "list", "--destination", "valley-recovery"}).out.find(firstMessage_),
              std::string::npos);
}

TEST_F(CliJournalTest, CaseTimelineShowsEveryMessageAndTheReplayActor) {
    ASSERT_EQ(cli({"replay", std::to_string(deliveryId_)}).exitCode, 0);
    auto timeline = cli({"case", "timeline", "01JD3E28JT97KB6CQ643DZVMXX"});
    ASSERT_EQ(timeline.exitCode, 0) << timeline.err;
    EXPECT_NE(timeline.out.find(firstMessage_), std::string::npos);
    EXPECT_NE(timeline.out.find("\"kind\": \"dead_lettered\""), std::string::npos) << timeline.out;
    EXPECT_NE(timeline.out.find("\"kind\": \"replayed\""), std::string::npos) << timeline.out;
    EXPECT_NE(timeline.out.find("cli:"), std::string::npos) << timeline.out;
    EXPECT_EQ(cli({"case", "timeline", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"}).exitCode, 1);
}

TEST_F(CliJournalTest, UsageErrorsAndAMissingJournalAreClear) {
    EXPECT_EQ(cli({"messages"}).exitCode, 64);
    EXPECT_EQ(cli({"messages", "list", "--state", "lost"}).exitCode, 64);
    fs::remove_all(dir_ + "/var");
    auto r = cli({"messages", "list"});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.err.find("no journal yet"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lendgate::test
