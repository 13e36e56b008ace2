// sftp_pull against a real OpenSSH server, with the real intake service,
// journal and the bank's plugins: what ends up journaled and what is left on
// the partner's server, including a crash at either side of the commit.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/sftp/pull_poller.h"
#include "tests/core/intake/intake_test_support.h"
#include "tests/core/sftp/test_sshd.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using intake::testing::IntakeTest;
using intake::testing::sourceFile;
using testing::TestSshd;

const std::string kSample = "samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";
const std::string kName = "DVB_DELQ_20261123_001.csv";
constexpr std::size_t kRecords = 8;  // delinquency notices in the sample

class PullPollerTest : public IntakeTest {
protected:
    void SetUp() override {
        if (const auto why = TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
        IntakeTest::SetUp();
        if (HasFatalFailure()) return;
        server_ = std::make_unique<TestSshd>();
        outbox_ = server_->folder("home/outbox");
        for (auto &partner : config_.partners)
            if (partner.id == "desert-valley-bank") {
                config::InboundChannel channel;
                channel.type = config::InboundChannel::Type::SftpPull;
                channel.remote = server_->remote(outbox_);
                channel.pollIntervalMs = 200;
                partner.channels.push_back(channel);
            }
    }

    config::InboundChannel &channel() {
        for (auto &partner : config_.partners)
            if (partner.id == "desert-valley-bank") return partner.channels.back();
        throw std::runtime_error("no bank");
    }

    std::unique_ptr<PullPoller> poller(PullOptions options = {}) {
        auto sources = pullSourcesOf(config_);
        EXPECT_EQ(sources.size(), 1u);
        return std::make_unique<PullPoller>(
            PullServices{*intake_, logger_, metrics_, nullptr, nullptr, nullptr, nullptr}, std::move(sources),
            std::move(options));
    }

    PollReport poll(PullPoller &p) {
        auto report = p.pollOnce(0);
        EXPECT_TRUE(report) << report.error().message << "\n" << server_->log();
        return report ? report.value() : PollReport{};
    }

    std::size_t journaled() {
        journal::MessageQuery query;
        query.sender = "desert-valley-bank";
        return journal_->listMessages(query).value().size();
    }

    std::unique_ptr<TestSshd> server_;
    fs::path outbox_;
};

TEST_F(PullPollerTest, ANewFileIsJournaledAndOnlyThenRemovedFromTheServer) {
    server_->put(outbox_ / kName, sourceFile(kSample));
    bool presentAtCommit = false;
    PullOptions options;
    options.interrupt = [&](PullStage stage, const std::string &) {
        if (stage == PullStage::Committed) presentAtCommit = fs::exists(outbox_ / kName);
        return false;
    };
    auto p = poller(options);
    const auto report = poll(*p);
    EXPECT_EQ(report.ingested, 1u);
    EXPECT_EQ(report.cleared, 1u);
    EXPECT_EQ(journaled(), kRecords);
    EXPECT_TRUE(presentAtCommit) << "the remote file must outlive the commit";
    EXPECT_FALSE(fs::exists(outbox_ / kName));
    // Nothing new: the next poll does nothing.
    const auto again = poll(*p);
    EXPECT_EQ(again.ingested + again.replayed + again.cleared, 0u);
    EXPECT_EQ(journaled(), kRecords);
}

TEST_F(PullPollerTest, AfterPullMoveTakesTheFileIntoTheOtherFolderWithoutReplacingAnything) {
    const auto done = server_->folder("home/done");
    channel().afterPullMoveTo = done.string();
    server_->put(done / kName, "an older file of that name\n");
    server_->put(outbox_ / kName, sourceFile(kSample));
    auto p = poller();
    const auto report = poll(*p);
    EXPECT_EQ(report.ingested, 1u);
    EXPECT_EQ(report.cleared, 1u);
    EXPECT_FALSE(fs::exists(outbox_ / kName));
    EXPECT_EQ(testing::readText(done / kName), "an older file of that name\n");
    std::size_t moved = 0;
    for (const auto &entry : fs::directory_iterator(done))
        if (entry.path().filename().string().rfind(kName + ".", 0) == 0) {
            ++moved;
            EXPECT_EQ(testing::readText(entry.path()), sourceFile(kSample));
        }
    EXPECT_EQ(moved, 1u);
}

TEST_F(PullPollerTest, ACrashBetweenDownloadAndCommitLeavesTheFileWhichIsIngestedOnceAfterTheRestart) {
    server_->put(outbox_ / kName, sourceFile(kSample));
    PullOptions crashing;
    crashing.interrupt = [](PullStage stage, const std::string &) { return stage == PullStage::Downloaded; };
    auto first = poller(crashing);
    EXPECT_TRUE(poll(*first).interrupted);
    first.reset();
    EXPECT_TRUE(fs::exists(outbox_ / kName)) << "not committed: the partner's copy stays";
    EXPECT_EQ(journaled(), 0u);

    auto restarted = poller();
    const auto report = poll(*restarted);
    EXPECT_EQ(report.ingested, 1u);
    EXPECT_EQ(report.replayed, 0u);
    EXPECT_EQ(journaled(), kRecords);
    EXPECT_FALSE(fs::exists(outbox_ / kName));
}

TEST_F(PullPollerTest, ACrashBetweenCommitAndRemovalIsAnsweredFromTheJournalNotJournaledTwice) {
    server_->put(outbox_ / kName, sourceFile(kSample));
    PullOptions crashing;
    crashing.interrupt = [](PullStage stage, const std::string &) { return stage == PullStage::Committed; };
    auto first = poller(crashing);
    EXPECT_TRUE(poll(*first).interrupted);
    first.reset();
    EXPECT_TRUE(fs::exists(outbox_ / kName));
    EXPECT_EQ(journaled(), kRecords);

    auto restarted = poller();
    const auto report = poll(*restarted);
    EXPECT_EQ(report.ingested, 0u);
    EXPECT_EQ(report.replayed, 1u);
    EXPECT_EQ(report.cleared, 1u);
    EXPECT_EQ(journaled(), kRecords);
    EXPECT_FALSE(fs::exists(outbox_ / kName));
}

TEST_F(PullPollerTest, FilesThatAreNotThePartnersFormatsOrNotFinishedAreLeftOnTheServer) {
    server_->put(outbox_ / "README.txt", "not for us\n");
    server_->put(outbox_ / (kName + ".partial"), "half");
    server_->put(outbox_ / ".hidden", "x");
    server_->folder("home/outbox/DVB_DELQ_folder.csv");
    auto p = poller();
    const auto report = poll(*p);
    EXPECT_EQ(report.ingested, 0u);
    EXPECT_EQ(report.skipped, 2u);  // README.txt and the folder; .partial and dot files are not looked at
    EXPECT_TRUE(fs::exists(outbox_ / "README.txt"));
    EXPECT_TRUE(fs::exists(outbox_ / (kName + ".partial")));
    EXPECT_EQ(journaled(), 0u);
    // Said once, not every poll.
    const auto warnings = [&] {
        const auto lines = logger_.lines();
        return std::count_if(lines.begin(), lines.end(),
                             [](const std::string &l) { return l.find("left README.txt") != std::string::npos; });
    };
    EXPECT_EQ(warnings(), 1);
    (void)poll(*p);
    EXPECT_EQ(warnings(), 1);
}

TEST_F(PullPollerTest, AWrongHostKeyIsRefusedAndNothingIsTaken) {
    server_->put(outbox_ / kName, sourceFile(kSample));
    TestSshd::keygen(server_->root() / "impostor");
    server_->pinnedTo(server_->root() / "pinned_other", server_->root() / "impostor.pub");
    channel().remote->knownHosts = server_->root() / "pinned_other";
    auto p = poller();
    auto report = p->pollOnce(0);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, "host_key");
    EXPECT_NE(report.error().message.find("127.0.0.1"), std::string::npos);
    EXPECT_TRUE(fs::exists(outbox_ / kName));
    EXPECT_EQ(journaled(), 0u);
}

TEST_F(PullPollerTest, TheThreadPollsOnItsIntervalAndAServerThatWasDownIsPolledAgain) {
    server_->stop();
    auto p = poller();
    p->start();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // at least one failed poll
    ASSERT_TRUE(server_->start());
    server_->put(outbox_ / kName, sourceFile(kSample));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (fs::exists(outbox_ / kName) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    p->stop();
    EXPECT_FALSE(fs::exists(outbox_ / kName));
    EXPECT_EQ(p->filesHandled(), 1u);
    EXPECT_EQ(journaled(), kRecords);
    const auto lines = logger_.lines();
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                            [](const std::string &l) { return l.find("polling failed") != std::string::npos; }));
}

}  // namespace
}  // namespace lendgate::sftp
