// The drop watcher on real folders, with the real intake service, journal and
// plugins: what the partner finds in outbound/ and what the journal holds.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/delivery/renderer.h"
#include "core/sftp/drop_watcher.h"
#include "tests/core/intake/intake_test_support.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using intake::testing::IntakeTest;
using intake::testing::sourceFile;

const std::string kSample = "samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";
const std::string kName = "DVB_DELQ_20261123_001.csv";
constexpr std::uint32_t kQuietMs = 300;

std::string readAll(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeFile(const fs::path &file, const std::string &bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

bool waitFor(const std::function<bool()> &done, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

std::size_t entries(const fs::path &dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir)) ++n;
    return n;
}

class DropWatcherTest : public IntakeTest {
protected:
    void SetUp() override {
        IntakeTest::SetUp();
        if (HasFatalFailure()) return;
        renderer_ = std::make_unique<delivery::Renderer>(config_, *plugins_);
        partner_ = config_.partner("desert-valley-bank");
        ASSERT_NE(partner_, nullptr);
        folder_.partner = partner_;
        folder_.layout.partnerId = partner_->id;
        folder_.layout.chroot = dir_.path() / "chroot";
        folder_.layout.inbound = folder_.layout.chroot / "inbound";
        folder_.layout.outbound = folder_.layout.chroot / "outbound";
        folder_.layout.processing = dir_.path() / "processing";
        folder_.quietPeriodMs = kQuietMs;
        folder_.maxFileBytes = 1 << 20;
        fs::create_directories(inbound());
        fs::create_directories(outbound());
    }

    void TearDown() override {
        if (watcher_) watcher_->stop();
        IntakeTest::TearDown();
    }

    void startWatcher() {
        watcher_ = std::make_unique<DropWatcher>(DropServices{*intake_, *renderer_, *ulids_, clock_, logger_, metrics_},
                                                 std::vector<DropFolder>{folder_});
        ASSERT_TRUE(watcher_->start());
    }

    const fs::path &inbound() const { return folder_.layout.inbound; }
    const fs::path &outbound() const { return folder_.layout.outbound; }
    const fs::path &processing() const { return folder_.layout.processing; }

    /// Uploads as the convention says: NAME.partial, then a rename.
    void drop(const std::string &name, const std::string &bytes) {
        writeFile(inbound() / (name + ".partial"), bytes);
        fs::rename(inbound() / (name + ".partial"), inbound() / name);
    }

    /// The ACK file for `ackName`, once it is there ("" after the timeout).
    std::string awaitAck(const std::string &ackName) {
        const fs::path file = outbound() / ackName;
        waitFor([&] { return fs::exists(file); });
        return fs::exists(file) ? readAll(file) : std::string();
    }

    std::size_t journaled() {
        journal::MessageQuery query;
        query.sender = "desert-valley-bank";
        return journal_->listMessages(query).value().size();
    }

    double refused(const std::string &reason) {
        return metrics_.value("lendgate_sftp_refused_total", {{"partner", "desert-valley-bank"}, {"reason", reason}});
    }

    std::unique_ptr<delivery::Renderer> renderer_;
    const config::Partner *partner_ = nullptr;
    DropFolder folder_;
    std::unique_ptr<DropWatcher> watcher_;
};

std::size_t count(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST_F(DropWatcherTest, ARenamedUploadIsJournaledAnsweredInTheBanksAckCsvAndRemoved) {
    startWatcher();
    const std::string bytes = sourceFile(kSample);
    drop(kName, bytes);
    const auto ack = awaitAck("ACK_" + kName);
    ASSERT_FALSE(ack.empty()) << "no ACK in outbound/";
    EXPECT_EQ(ack.find("H," + kName + ","), ack.find("\nH,") + 1) << ack;
    EXPECT_EQ(count(ack, ",ACCEPTED,01"), 8u) << ack;
    EXPECT_NE(ack.find("\nT,8,8,8,0,"), std::string::npos) << ack;
    // No personal data in the answer: the bank's account numbers stay out.
    EXPECT_EQ(ack.find("4401009817"), std::string::npos);
    EXPECT_EQ(journaled(), 8u);
    ASSERT_TRUE(waitFor([&] { return entries(inbound()) == 0 && entries(processing()) == 0; }));
    EXPECT_TRUE(waitFor([&] {
        return metrics_.value("lendgate_sftp_files_total",
                              {{"partner", "desert-valley-bank"}, {"status", "ACCEPTED"}}) == 1;
    }));
}

TEST_F(DropWatcherTest, APartialUploadIsLeftAloneUntilItIsRenamed) {
    startWatcher();
    const std::string bytes = sourceFile(kSample);
    writeFile(inbound() / (kName + ".partial"), bytes.substr(0, bytes.size() / 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(kQuietMs * 4));
    EXPECT_EQ(entries(outbound()), 0u);
    EXPECT_TRUE(fs::exists(inbound() / (kName + ".partial")));
    EXPECT_EQ(journaled(), 0u);
    // The upload resumes and completes (G7): the whole file, exactly once.
    writeFile(inbound() / (kName + ".partial"), bytes);
    fs::rename(inbound() / (kName + ".partial"), inbound() / kName);
    const auto ack = awaitAck("ACK_" + kName);
    EXPECT_EQ(count(ack, ",ACCEPTED,01"), 8u) << ack;
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(DropWatcherTest, OpenSshsLinkThenUnlinkRenameIsTakenNotRefusedAsAHardLink) {
    startWatcher();
    writeFile(inbound() / (kName + ".partial"), sourceFile(kSample));
    // What sftp-server does for a plain SSH2_FXP_RENAME: two links for an instant.
    ASSERT_EQ(::link((inbound() / (kName + ".partial")).c_str(), (inbound() / kName).c_str()), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(::unlink((inbound() / (kName + ".partial")).c_str()), 0);
    const auto ack = awaitAck("ACK_" + kName);
    EXPECT_EQ(count(ack, ",ACCEPTED,01"), 8u) << ack;
    EXPECT_EQ(refused("hard_link"), 0);
}

TEST_F(DropWatcherTest, AFileWrittenInPlaceIsTakenOnlyOnceUnchangedForTheQuietPeriod) {
    startWatcher();
    const std::string bytes = sourceFile(kSample);
    {
        std::ofstream out(inbound() / kName, std::ios::binary);
        // A partner that cannot rename writes slowly in place: pauses shorter
        // than the quiet period must not make it take half a file.
        for (std::size_t at = 0; at < bytes.size(); at += bytes.size() / 4) {
            out << bytes.substr(at, bytes.size() / 4);
            out.flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(kQuietMs / 3));
        }
    }
    const auto ack = awaitAck("ACK_" + kName);
    EXPECT_EQ(count(ack, ",ACCEPTED,01"), 8u) << ack;
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(DropWatcherTest, FilesDroppedWhileTheDaemonWasDownAreTakenAtStartUp) {
    drop(kName, sourceFile(kSample));
    writeFile(inbound() / "DVB_DELQ_20261124_001.csv", sourceFile(kSample) + "\n");  // written in place, no rename
    startWatcher();
    EXPECT_EQ(count(awaitAck("ACK_" + kName), ",ACCEPTED,01"), 8u);
    EXPECT_FALSE(awaitAck("ACK_DVB_DELQ_20261124_001.csv").empty());
    EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0; }));
}

TEST_F(DropWatcherTest, TheSameContentUnderAnotherNameIsAnsweredFromTheJournalNotJournaledTwice) {
    startWatcher();
    drop(kName, sourceFile(kSample));
    const auto first = awaitAck("ACK_" + kName);
    ASSERT_EQ(count(first, ",ACCEPTED,01"), 8u) << first;
    drop("DVB_DELQ_20261123_002.csv", sourceFile(kSample));
    const auto second = awaitAck("ACK_DVB_DELQ_20261123_002.csv");
    // The earlier answer, message ids and all: the partner sees it was one file.
    EXPECT_EQ(second, first);
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(DropWatcherTest, AFileLeftInProcessingByACrashAfterItsCommitIsNotJournaledTwice) {
    // The commit happened (here: the same bytes through the intake service),
    // then the daemon died before answering and removing the file.
    const std::string bytes = sourceFile(kSample);
    journal::StringSource source(bytes);
    intake::IntakeRequest request;
    request.sender = "desert-valley-bank";
    request.declaredType = model::MessageType::DelinquencyNotice;
    request.channel = "sftp";
    request.reference = kName;
    request.isFile = true;
    request.source = &source;
    const auto committed = intake_->ingest(request);
    ASSERT_EQ(committed.status, intake::IntakeStatus::Accepted) << committed.document;
    ASSERT_EQ(journaled(), 8u);
    fs::create_directories(processing());
    writeFile(processing() / kName, sourceFile(kSample));
    startWatcher();
    const auto ack = awaitAck("ACK_" + kName);
    EXPECT_EQ(count(ack, ",ACCEPTED,01"), 8u) << ack;
    EXPECT_TRUE(waitFor([&] { return entries(processing()) == 0; }));
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(DropWatcherTest, WhenTheJournalCannotTakeAFileItWaitsInProcessingUnansweredAndIsTakenLater) {
    commits_->stop();  // what a failing journal looks like to intake: unavailable
    startWatcher();
    drop(kName, sourceFile(kSample));
    ASSERT_TRUE(waitFor([&] {
        return metrics_.value("lendgate_sftp_retries_total", {{"partner", "desert-valley-bank"}}) >= 1;
    }));
    EXPECT_EQ(entries(outbound()), 0u) << "nothing may be acknowledged";
    EXPECT_EQ(readAll(processing() / kName), sourceFile(kSample)) << "nor lost";
    EXPECT_EQ(entries(inbound()), 0u);
    // The daemon restarts with a working journal: the file is taken from processing.
    watcher_->stop();
    commits_ = std::make_unique<intake::CommitQueue>(*journal_, intake::CommitQueueOptions{});
    intake_ = std::make_unique<intake::IntakeService>(intake::IntakeServices{
        config_, *journal_, *blobs_, *plugins_, *tokenizer_, *vault_, *commits_, clock_, logger_, metrics_, *ulids_});
    startWatcher();
    EXPECT_EQ(count(awaitAck("ACK_" + kName), ",ACCEPTED,01"), 8u);
    EXPECT_TRUE(waitFor([&] { return entries(processing()) == 0; }));
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(DropWatcherTest, ASymlinkIsRefusedAndRemovedAndWhatItPointsAtIsUntouched) {
    startWatcher();
    const fs::path secret = dir_.path() / "outside.csv";
    writeFile(secret, sourceFile(kSample));
    fs::create_symlink(secret, inbound() / kName);
    const auto nack = awaitAck("ACK_" + kName);
    EXPECT_NE(nack.find("REJECTED"), std::string::npos) << nack;
    EXPECT_NE(nack.find("symlink"), std::string::npos) << nack;
    EXPECT_NE(nack.find("is a symbolic link; links are not followed"), std::string::npos) << nack;
    EXPECT_TRUE(waitFor([&] { return !fs::exists(fs::symlink_status(inbound() / kName)); }));
    EXPECT_EQ(readAll(secret), sourceFile(kSample));
    EXPECT_EQ(journaled(), 0u);
    EXPECT_EQ(refused("symlink"), 1);
}

TEST_F(DropWatcherTest, AHardLinkIsRefusedAfterTheQuietPeriodAndTheOtherLinkSurvives) {
    startWatcher();
    const fs::path other = dir_.path() / "other.csv";
    writeFile(other, sourceFile(kSample));
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(::link(other.c_str(), (inbound() / kName).c_str()), 0);
    const auto nack = awaitAck("ACK_" + kName);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(kQuietMs));
    EXPECT_NE(nack.find("hard_link"), std::string::npos) << nack;
    EXPECT_TRUE(waitFor([&] { return !fs::exists(inbound() / kName); }));
    EXPECT_EQ(readAll(other), sourceFile(kSample));
    EXPECT_EQ(journaled(), 0u);
}

TEST_F(DropWatcherTest, AFifoIsRefusedWithoutBlockingTheWatcher) {
    startWatcher();
    ASSERT_EQ(::mkfifo((inbound() / kName).c_str(), 0600), 0);
    const auto nack = awaitAck("ACK_" + kName);
    EXPECT_NE(nack.find("not_a_file"), std::string::npos) << nack;
    EXPECT_TRUE(waitFor([&] { return !fs::exists(fs::symlink_status(inbound() / kName)); }));
    // Still watching: the next file goes through.
    drop("DVB_DELQ_20261123_003.csv", sourceFile(kSample));
    EXPECT_EQ(count(awaitAck("ACK_DVB_DELQ_20261123_003.csv"), ",ACCEPTED,01"), 8u);
}

TEST_F(DropWatcherTest, ANameWithControlCharactersIsRefusedUnderASafeName) {
    startWatcher();
    drop("DVB_DELQ_\n\x1b[2J.csv", sourceFile(kSample));
    const auto nack = awaitAck("ACK_DVB_DELQ____2J.csv");
    EXPECT_NE(nack.find("bad_file_name"), std::string::npos) << nack;
    EXPECT_NE(nack.find("contains control characters"), std::string::npos) << nack;
    EXPECT_EQ(nack.find('\x1b'), std::string::npos);
    EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0; }));
    EXPECT_EQ(journaled(), 0u);
}

TEST_F(DropWatcherTest, AFileOverTheCapIsRefusedBeforeItIsRead) {
    folder_.maxFileBytes = 2048;
    startWatcher();
    drop(kName, sourceFile(kSample));  // 2.8 kB
    const auto nack = awaitAck("ACK_" + kName);
    EXPECT_NE(nack.find("too_large"), std::string::npos) << nack;
    EXPECT_NE(nack.find("over the cap of 2048 bytes"), std::string::npos) << nack;
    EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0; }));
    EXPECT_EQ(journaled(), 0u);
}

TEST_F(DropWatcherTest, AFileMatchingNoPatternIsNackedNamingTheExpectedNames) {
    startWatcher();
    drop("delinquencies.csv", sourceFile(kSample));
    const auto nack = awaitAck("ACK_delinquencies.csv");
    EXPECT_NE(nack.find("unknown_file"), std::string::npos) << nack;
    EXPECT_NE(nack.find("file delinquencies.csv matches none of the expected names"), std::string::npos) << nack;
    EXPECT_NE(nack.find("DVB_DELQ_*.csv"), std::string::npos) << nack;
    EXPECT_EQ(journaled(), 0u);
}

TEST_F(DropWatcherTest, ABrokenFileGetsTheInputLevelNackFromThePlugin) {
    startWatcher();
    auto bytes = sourceFile(kSample);
    bytes.resize(bytes.rfind("\nT") + 1);  // the trailer is gone: truncated in transit
    drop(kName, bytes);
    const auto nack = awaitAck("ACK_" + kName);
    EXPECT_NE(nack.find("REJECTED"), std::string::npos) << nack;
    EXPECT_EQ(journaled(), 0u);
    EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0 && entries(processing()) == 0; }));
}

TEST(ChooseFormat, PicksTheBindingByFilePattern) {
    config::Partner partner;
    partner.id = "p";
    partner.inbound.push_back({model::MessageType::DelinquencyNotice, "delimited", "/a.json", "P_DELQ_*.csv"});
    partner.inbound.push_back({model::MessageType::AccountUpdate, "delimited", "/b.json", "P_ACCT_*.csv"});
    EXPECT_EQ(chooseFormat(partner, "P_ACCT_1.csv").declaredType, model::MessageType::AccountUpdate);
    EXPECT_EQ(chooseFormat(partner, "P_DELQ_1.csv").declaredType, model::MessageType::DelinquencyNotice);
    EXPECT_NE(chooseFormat(partner, "P_DELQ_1.txt").refusal, "");
    EXPECT_NE(chooseFormat(partner, ".P_DELQ_1.csv").refusal, "") << "a leading dot is not matched by *";
    // One plugin and config for every type: it tells the records apart.
    config::Partner shared = partner;
    shared.inbound[1].pluginConfig = "/a.json";
    const auto choice = chooseFormat(shared, "P_ACCT_1.csv");
    EXPECT_TRUE(choice.refusal.empty());
    EXPECT_FALSE(choice.declaredType.has_value());
}

}  // namespace
}  // namespace lendgate::sftp
