// Drop folders of a partner whose profile asks for OpenPGP, with the real
// intake service, journal, plugins and a real GnuPG keyring (throwaway keys
// in short /tmp homes). The partner side is the gpg command line: it
// encrypts what it drops and decrypts the ACKs it finds.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/delivery/renderer.h"
#include "core/sftp/drop_watcher.h"
#include "tests/core/intake/intake_test_support.h"
#include "tests/core/pgp/pgp_world.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using intake::testing::IntakeTest;
using intake::testing::sourceFile;
using pgp::testing::readFile;
using pgp::testing::run;
using pgp::testing::World;

const std::string kSample = "samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";
const std::string kName = "DVB_DELQ_20261123_001.csv";

bool waitFor(const std::function<bool()> &done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
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

class PgpDropTest : public IntakeTest {
protected:
    static void SetUpTestSuite() {
        if (!world_) world_ = std::make_unique<World>();
    }
    static void TearDownTestSuite() { world_.reset(); }
    static World &world() { return *world_; }

    void SetUp() override {
        IntakeTest::SetUp();
        if (HasFatalFailure()) return;
        for (auto &p : config_.partners)
            if (p.id == "desert-valley-bank") partner_ = &p;
        ASSERT_NE(partner_, nullptr);
        config::OpenPgpSettings settings;
        settings.partnerFingerprint = world().partnerFpr;
        partner_->openpgp = settings;
        renderer_ = std::make_unique<delivery::Renderer>(config_, *plugins_, &world().gateway.keyring());
        folder_.partner = partner_;
        folder_.layout.partnerId = partner_->id;
        folder_.layout.chroot = dir_.path() / "chroot";
        folder_.layout.inbound = folder_.layout.chroot / "inbound";
        folder_.layout.outbound = folder_.layout.chroot / "outbound";
        folder_.layout.processing = dir_.path() / "processing";
        folder_.quietPeriodMs = 300;
        folder_.maxFileBytes = 1 << 20;
        fs::create_directories(inbound());
        fs::create_directories(outbound());
    }

    void TearDown() override {
        if (watcher_) watcher_->stop();
        IntakeTest::TearDown();
        world().gateway.home().stopAgent();
        world().partner.stopAgent();
        world().stranger.stopAgent();
    }

    void startWatcher(const pgp::Keyring *keyring) {
        watcher_ = std::make_unique<DropWatcher>(
            DropServices{*intake_, *renderer_, *ulids_, clock_, logger_, metrics_, keyring}, std::vector{folder_});
        ASSERT_TRUE(watcher_->start());
    }
    void startWatcher() { startWatcher(&world().gateway.keyring()); }

    const fs::path &inbound() const { return folder_.layout.inbound; }
    const fs::path &outbound() const { return folder_.layout.outbound; }
    const fs::path &processing() const { return folder_.layout.processing; }

    void drop(const std::string &name, const std::string &bytes) {
        pgp::testing::writeFile(inbound() / (name + ".partial"), bytes);
        fs::rename(inbound() / (name + ".partial"), inbound() / name);
    }

    /// The ACK file `ackName`, decrypted by the partner as its tools would.
    Opened awaitAck(const std::string &ackName) {
        const fs::path file = outbound() / ackName;
        Opened o;
        if (!waitFor([&] { return fs::exists(file); })) return o;
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

    /// A refused file STEM.csv[.pgp]: an encrypted, signed NACK naming `code`, the file
    /// gone from both folders, nothing journaled.
    void expectRefused(const std::string &stem, const std::string &code) {
        const Opened nack = awaitAck("ACK_" + stem + ".csv.pgp");
        ASSERT_TRUE(nack.ok) << nack.status;
        EXPECT_NE(nack.status.find("[GNUPG:] VALIDSIG " + world().gatewayFpr), std::string::npos);
        EXPECT_NE(nack.plaintext.find("REJECTED"), std::string::npos) << nack.plaintext;
        EXPECT_NE(nack.plaintext.find(code), std::string::npos) << nack.plaintext;
        EXPECT_NE(nack.plaintext.find(stem), std::string::npos) << nack.plaintext;
        EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0 && entries(processing()) == 0; }));
        EXPECT_EQ(journaled(), 0u);
        EXPECT_EQ(metrics_.value("lendgate_sftp_refused_total", {{"partner", "desert-valley-bank"}, {"reason", code}}),
                  1);
    }

    config::Partner *partner_ = nullptr;
    std::unique_ptr<delivery::Renderer> renderer_;
    DropFolder folder_;
    std::unique_ptr<DropWatcher> watcher_;

private:
    static inline std::unique_ptr<World> world_;
};

TEST_F(PgpDropTest, AnEncryptedSignedFileIsJournaledByItsPlaintextHashAndAnsweredWithAnEncryptedSignedAck) {
    startWatcher();
    const std::string plain = sourceFile(kSample);
    drop(kName + ".pgp", world().partnerSends(plain));
    const Opened ack = awaitAck("ACK_" + kName + ".pgp");
    ASSERT_TRUE(ack.ok) << ack.status;
    EXPECT_NE(ack.status.find("[GNUPG:] VALIDSIG " + world().gatewayFpr), std::string::npos) << ack.status;
    EXPECT_EQ(count(ack.plaintext, ",ACCEPTED,01"), 8u) << ack.plaintext;
    // The file's identity is the plaintext's SHA-256, which the bank can
    // compute on its side before encrypting.
    std::string sum;
    ASSERT_EQ(run({"sha256sum", std::string(LENDGATE_SOURCE_DIR) + "/" + kSample}, &sum), 0);
    EXPECT_NE(ack.plaintext.find(sum.substr(0, 64)), std::string::npos) << ack.plaintext;
    EXPECT_EQ(journaled(), 8u);
    EXPECT_TRUE(waitFor([&] { return entries(inbound()) == 0 && entries(processing()) == 0; }));
}

TEST_F(PgpDropTest, TheSamePlaintextEncryptedAgainUnderAnotherNameIsADuplicate) {
    startWatcher();
    const std::string plain = sourceFile(kSample);
    const std::string once = world().partnerSends(plain), again = world().partnerSends(plain);
    ASSERT_NE(once, again) << "OpenPGP ciphertext differs every time";
    drop(kName + ".pgp", once);
    const Opened first = awaitAck("ACK_" + kName + ".pgp");
    ASSERT_EQ(count(first.plaintext, ",ACCEPTED,01"), 8u) << first.plaintext;
    drop("DVB_DELQ_20261123_002.csv.gpg", again);
    const Opened second = awaitAck("ACK_DVB_DELQ_20261123_002.csv.pgp");
    ASSERT_TRUE(second.ok) << second.status;
    // The earlier answer (same message ids): one file as far as the journal goes.
    EXPECT_EQ(second.plaintext, first.plaintext);
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(PgpDropTest, AnUnsignedFileIsRefusedWithANackAndRemoved) {
    startWatcher();
    const auto cipher =
        world().partner.transform(sourceFile(kSample), {"--recipient", world().gatewayFpr, "--encrypt"});
    drop("DVB_DELQ_20261123_003.csv", cipher);
    expectRefused("DVB_DELQ_20261123_003", "pgp_unsigned");
}

TEST_F(PgpDropTest, AFileSignedByAnotherKeyIsRefused) {
    startWatcher();
    const auto cipher = world().stranger.transform(
        sourceFile(kSample),
        {"--local-user", world().strangerFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    drop("DVB_DELQ_20261123_004.csv.pgp", cipher);
    expectRefused("DVB_DELQ_20261123_004", "pgp_wrong_signer");
}

TEST_F(PgpDropTest, ATruncatedFileIsRefusedAsCorruptAndNothingOfItIsJournaled) {
    startWatcher();
    auto cipher = world().partnerSends(sourceFile(kSample));
    cipher.resize(cipher.size() * 2 / 3);
    drop("DVB_DELQ_20261123_005.csv.pgp", cipher);
    expectRefused("DVB_DELQ_20261123_005", "pgp_corrupt");
}

TEST_F(PgpDropTest, APlainFileFromAPartnerThatMustEncryptIsRefused) {
    startWatcher();
    drop("DVB_DELQ_20261123_006.csv", sourceFile(kSample));
    expectRefused("DVB_DELQ_20261123_006", "pgp_not_encrypted");
}

TEST_F(PgpDropTest, AnArmoredFileIsTakenAndAnArmoredPartnerGetsAnAscAck) {
    partner_->openpgp->armor = true;
    startWatcher();
    drop(kName + ".asc", world().partnerSends(sourceFile(kSample), {"--armor"}));
    const fs::path ackFile = outbound() / ("ACK_" + kName + ".asc");
    const Opened ack = awaitAck(ackFile.filename().string());
    ASSERT_TRUE(ack.ok) << ack.status;
    EXPECT_EQ(readFile(ackFile).rfind("-----BEGIN PGP MESSAGE-----", 0), 0u);
    EXPECT_EQ(count(ack.plaintext, ",ACCEPTED,01"), 8u) << ack.plaintext;
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(PgpDropTest, APartnerThatCannotSignMayBeAllowedToSendUnsignedFiles) {
    partner_->openpgp->requireSignature = false;
    startWatcher();
    const auto cipher =
        world().partner.transform(sourceFile(kSample), {"--recipient", world().gatewayFpr, "--encrypt"});
    drop(kName + ".pgp", cipher);
    const Opened ack = awaitAck("ACK_" + kName + ".pgp");
    EXPECT_EQ(count(ack.plaintext, ",ACCEPTED,01"), 8u) << ack.plaintext;
    EXPECT_EQ(journaled(), 8u);
}

TEST_F(PgpDropTest, WithoutAKeyringTheFileWaitsInProcessingUnanswered) {
    startWatcher(nullptr);
    drop(kName + ".pgp", world().partnerSends(sourceFile(kSample)));
    ASSERT_TRUE(waitFor([&] { return fs::exists(processing() / (kName + ".pgp")); }));
    EXPECT_TRUE(waitFor([&] {
        return metrics_.value("lendgate_sftp_retries_total", {{"partner", "desert-valley-bank"}}) >= 1;
    }));
    EXPECT_EQ(entries(outbound()), 0u);
    EXPECT_EQ(journaled(), 0u);
}

TEST(ChooseFormatPgp, AnOpenPgpPartnersNamesMatchWithoutTheirPgpEnding) {
    config::Partner partner;
    partner.id = "p";
    partner.inbound.push_back({model::MessageType::DelinquencyNotice, "delimited", "/a.json", "P_DELQ_*.csv"});
    partner.inbound.push_back({model::MessageType::AccountUpdate, "delimited", "/b.json", "P_ACCT_*.csv"});
    EXPECT_FALSE(chooseFormat(partner, "P_ACCT_1.csv.pgp").refusal.empty()) << "only for OpenPGP partners";
    partner.openpgp = config::OpenPgpSettings{};
    for (const char *name : {"P_ACCT_1.csv.pgp", "P_ACCT_1.csv.gpg", "P_ACCT_1.csv.asc", "P_ACCT_1.csv"})
        EXPECT_EQ(chooseFormat(partner, name).declaredType, model::MessageType::AccountUpdate) << name;
    EXPECT_FALSE(chooseFormat(partner, "P_ACCT_1.csv.zip").refusal.empty());
    EXPECT_FALSE(chooseFormat(partner, "P_ACCT_1.pgp").refusal.empty()) << "only the ending goes";
    partner.openpgp->decryptInbound = false;
    EXPECT_FALSE(chooseFormat(partner, "P_ACCT_1.csv.pgp").refusal.empty());
}

}  // namespace
}  // namespace lendgate::sftp
