// sftp_pull from a partner whose profile asks for OpenPGP: the real sshd
// (tests/core/sftp/test_sshd.h), the real intake, journal and plugins, and a
// real GnuPG keyring with throwaway keys (tests/core/pgp/pgp_world.h). A
// pulled file is treated as a dropped one: decrypted, its signature checked,
// answered with an ACK/NACK file in the partner's ACK folder, and recognised
// by its plaintext when it comes again encrypted anew.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/delivery/renderer.h"
#include "core/sftp/pull_poller.h"
#include "tests/core/intake/intake_test_support.h"
#include "tests/core/pgp/pgp_world.h"
#include "tests/core/sftp/test_sshd.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using intake::testing::IntakeTest;
using intake::testing::sourceFile;
using pgp::testing::readFile;
using pgp::testing::run;
using pgp::testing::World;
using testing::TestSshd;

const std::string kSample = "samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";
const std::string kName = "DVB_DELQ_20261123_001.csv";
constexpr std::size_t kRecords = 8;

std::size_t count(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

struct Opened {
    bool ok = false;
    std::string plaintext;
    std::string status;  ///< gpg's --status-fd lines
};

class PullPgpTest : public IntakeTest {
protected:
    static void SetUpTestSuite() {
        if (TestSshd::skipReason().empty() && !world_) world_ = std::make_unique<World>();
    }
    static void TearDownTestSuite() { world_.reset(); }
    static World &world() { return *world_; }

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
                partner.channels.push_back(channel);
                config::OpenPgpSettings settings;
                settings.partnerFingerprint = world().partnerFpr;
                partner.openpgp = settings;
            }
        renderer_ = std::make_unique<delivery::Renderer>(config_, *plugins_, &world().gateway.keyring());
        acks_ = dir_.path() / "outbound";
        fs::create_directories(acks_);
    }

    void TearDown() override {
        poller_.reset();
        IntakeTest::TearDown();
        if (!world_) return;
        world().gateway.home().stopAgent();
        world().partner.stopAgent();
        world().stranger.stopAgent();
    }

    PullPoller &poller() {
        if (!poller_) {
            auto sources = pullSourcesOf(config_);
            EXPECT_EQ(sources.size(), 1u);
            sources.at(0).ackFolder = acks_;
            poller_ = std::make_unique<PullPoller>(PullServices{*intake_, logger_, metrics_, renderer_.get(),
                                                                ulids_.get(), &clock_, &world().gateway.keyring()},
                                                   std::move(sources));
        }
        return *poller_;
    }

    PollReport poll() {
        auto report = poller().pollOnce(0);
        EXPECT_TRUE(report) << report.error().message << "\n" << server_->log();
        return report ? report.value() : PollReport{};
    }

    /// The ACK file `ackName`, decrypted by the bank as its tools would.
    Opened ack(const std::string &ackName) {
        Opened o;
        const fs::path file = acks_ / ackName;
        if (!fs::exists(file)) return o;
        const fs::path plain = world().partner.file("ack.out");
        std::string err;
        o.ok = run({"gpg", "--homedir", world().partner.path(), "--batch", "--yes", "--no-tty", "--trust-model",
                    "always", "--status-fd", "1", "--output", plain.string(), "--decrypt", file.string()},
                   &o.status, &err) == 0;
        o.plaintext = readFile(plain);
        fs::remove(plain);
        return o;
    }

    std::size_t journaled() {
        journal::MessageQuery query;
        query.sender = "desert-valley-bank";
        return journal_->listMessages(query).value().size();
    }

    std::unique_ptr<TestSshd> server_;
    fs::path outbox_;
    fs::path acks_;
    std::unique_ptr<delivery::Renderer> renderer_;
    std::unique_ptr<PullPoller> poller_;

private:
    static inline std::unique_ptr<World> world_;
};

TEST_F(PullPgpTest, AnEncryptedSignedPulledFileIsJournaledAnsweredWithAnEncryptedAckAndThenRemoved) {
    server_->put(outbox_ / (kName + ".pgp"), world().partnerSends(sourceFile(kSample)));
    const auto report = poll();
    EXPECT_EQ(report.ingested, 1u);
    EXPECT_EQ(report.cleared, 1u);
    EXPECT_EQ(journaled(), kRecords);
    EXPECT_FALSE(fs::exists(outbox_ / (kName + ".pgp")));
    const Opened answer = ack("ACK_" + kName + ".pgp");
    ASSERT_TRUE(answer.ok) << answer.status;
    EXPECT_NE(answer.status.find("[GNUPG:] VALIDSIG " + world().gatewayFpr), std::string::npos) << answer.status;
    EXPECT_EQ(count(answer.plaintext, ",ACCEPTED,01"), kRecords) << answer.plaintext;
}

TEST_F(PullPgpTest, AFileSignedByAnotherKeyIsRefusedWithANackNamingTheReasonAndNothingJournaled) {
    // Named after an account, as some banks do: the NACK's text masks it.
    const std::string name = "DVB_DELQ_4401009817.csv.pgp";
    server_->put(outbox_ / name,
                 world().stranger.transform(sourceFile(kSample), {"--local-user", world().strangerFpr, "--recipient",
                                                                  world().gatewayFpr, "--sign", "--encrypt"}));
    const auto report = poll();
    EXPECT_EQ(report.refused, 1u);
    EXPECT_EQ(report.ingested + report.replayed, 0u);
    EXPECT_EQ(journaled(), 0u);
    const Opened nack = ack("ACK_DVB_DELQ_4401009817.csv.pgp");
    ASSERT_TRUE(nack.ok) << nack.status;
    EXPECT_NE(nack.plaintext.find("REJECTED"), std::string::npos) << nack.plaintext;
    EXPECT_NE(nack.plaintext.find("pgp_wrong_signer"), std::string::npos) << nack.plaintext;
    EXPECT_NE(nack.plaintext.find("file DVB_DELQ_******9817.csv.pgp was refused"), std::string::npos) << nack.plaintext;
    EXPECT_EQ(metrics_.value("lendgate_sftp_refused_total",
                             {{"partner", "desert-valley-bank"}, {"reason", "pgp_wrong_signer"}}),
              1);
    // Answered: the partner was told to send it again, so it goes.
    EXPECT_FALSE(fs::exists(outbox_ / name));
    EXPECT_EQ(poll().refused, 0u);
}

TEST_F(PullPgpTest, TheSamePlaintextPulledAgainEncryptedAnewIsADuplicate) {
    const std::string plain = sourceFile(kSample);
    const std::string once = world().partnerSends(plain), again = world().partnerSends(plain);
    ASSERT_NE(once, again) << "OpenPGP ciphertext differs every time";
    server_->put(outbox_ / (kName + ".pgp"), once);
    EXPECT_EQ(poll().ingested, 1u);
    server_->put(outbox_ / "DVB_DELQ_20261123_002.csv.gpg", again);
    const auto report = poll();
    EXPECT_EQ(report.replayed, 1u);
    EXPECT_EQ(report.ingested, 0u);
    EXPECT_EQ(journaled(), kRecords);
    const Opened first = ack("ACK_" + kName + ".pgp"), second = ack("ACK_DVB_DELQ_20261123_002.csv.pgp");
    ASSERT_TRUE(second.ok) << second.status;
    EXPECT_EQ(second.plaintext, first.plaintext) << "the earlier answer, same message ids";
}

TEST_F(PullPgpTest, WithNowhereToAnswerARefusedFileStaysOnTheServer) {
    server_->put(outbox_ / (kName + ".pgp"),
                 world().partner.transform(sourceFile(kSample), {"--recipient", world().gatewayFpr, "--encrypt"}));
    auto sources = pullSourcesOf(config_);
    sources.at(0).ackFolder.clear();  // e.g. a partner without a drop folder
    PullPoller silent(
        PullServices{*intake_, logger_, metrics_, renderer_.get(), ulids_.get(), &clock_, &world().gateway.keyring()},
        std::move(sources));
    auto report = silent.pollOnce(0);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report.value().skipped, 1u);
    EXPECT_EQ(report.value().cleared, 0u);
    EXPECT_TRUE(fs::exists(outbox_ / (kName + ".pgp")));
    EXPECT_EQ(journaled(), 0u);
}

}  // namespace
}  // namespace lendgate::sftp
