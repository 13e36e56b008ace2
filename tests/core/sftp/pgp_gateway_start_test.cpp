// The daemon's start-up with OpenPGP partners (core/app/gateway.cpp): every
// pinned partner key is imported into the keyring, and a gateway that would
// have to sign without a key of its own refuses to start, saying what to run.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "core/app/gateway.h"
#include "core/config/gateway_config.h"
#include "tests/core/pgp/pgp_test_support.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using pgp::testing::GpgHome;

class PgpGatewayStartTest : public ::testing::Test {
protected:
    void SetUp() override {
        config::LoadOptions options;
        options.pluginDir = LENDGATE_PLUGIN_DIR;
        auto loaded = config::loadGatewayConfig(std::string(LENDGATE_SOURCE_DIR) + "/config/lendgate.json", options);
        ASSERT_TRUE(loaded.config.has_value());
        config_ = std::move(*loaded.config);
        config_.dataDir = dir_.path() / "data";
        config_.pgpHome = gatewayHome_.path();
        config_.partnerApi.port = 0;
        config_.adminApi.port = 0;
        config_.sftp.reset();  // no drop folders: this is about start-up only
        // The sample world's secrets come from the environment of a real
        // deployment; start-up checks them before OpenPGP.
        for (auto &partner : config_.partners) {
            partner.requestSigningSecret.reset();
            partner.signatureRequired = false;
            for (auto &endpoint : partner.endpoints) endpoint.signingSecret.reset();
        }
        for (auto &channel : bank().channels)
            if (channel.type == config::InboundChannel::Type::SftpDrop)
                channel.type = config::InboundChannel::Type::Http;

        partnerFpr_ = partner_.generateKey("Desert Valley Bank test <pgp@dvb.example.test>");
        keyFile_ = dir_.path() / "dvb-pgp.asc";
        pgp::testing::writeFile(keyFile_, partner_.exportPublic(partnerFpr_));
        config::OpenPgpSettings settings;
        settings.partnerKey = keyFile_;
        settings.partnerFingerprint = partnerFpr_;
        bank().openpgp = settings;
    }

    void TearDown() override {
        gatewayHome_.stopAgent();
        partner_.stopAgent();
    }

    config::Partner &bank() {
        for (auto &p : config_.partners)
            if (p.id == "desert-valley-bank") return p;
        throw std::runtime_error("no desert-valley-bank in the sample world");
    }

    Result<std::unique_ptr<app::Gateway>> start() {
        app::GatewayOptions options;
        options.logStream = &log_;
        return app::Gateway::start(config_, options);
    }

    pgp::Keyring keyring() { return std::move(pgp::Keyring::open(gatewayHome_.path()).value()); }

    lendgate::testing::TempDir dir_;
    GpgHome gatewayHome_, partner_;
    std::string partnerFpr_;
    fs::path keyFile_;
    config::GatewayConfig config_;
    std::ostringstream log_;
};

TEST_F(PgpGatewayStartTest, WithoutAGatewayKeyTheDaemonRefusesToStartSayingWhatToRun) {
    auto started = start();
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().code, "openpgp");
    EXPECT_NE(started.error().message.find("lendgate pgp init"), std::string::npos) << started.error().message;
    EXPECT_NE(started.error().message.find(gatewayHome_.path()), std::string::npos) << started.error().message;
}

TEST_F(PgpGatewayStartTest, APartnerWhoOnlySendsNeedsNoGatewayKey) {
    bank().openpgp->encryptOutbound = false;
    auto started = start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    started.value()->stop();
    auto keys = keyring().list();
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys.value().size(), 1u);
    EXPECT_EQ(keys.value().front().fingerprint, partnerFpr_);
}

TEST_F(PgpGatewayStartTest, WithAGatewayKeyThePartnersKeyIsImportedAtEveryStart) {
    ASSERT_TRUE(keyring().generateGatewayKey("lendgate test <gw@example.test>", pgp::KeyAlgorithm::Ed25519).ok());
    for (int run = 0; run < 2; ++run) {  // importing again is no error
        auto started = start();
        ASSERT_TRUE(started.ok()) << started.error().message;
        started.value()->stop();
    }
    auto keys = keyring().list();
    ASSERT_TRUE(keys.ok());
    EXPECT_EQ(keys.value().size(), 2u);
}

TEST_F(PgpGatewayStartTest, AKeyFileHoldingAnotherKeyThanThePinnedOneStopsTheStartNamingThePartner) {
    ASSERT_TRUE(keyring().generateGatewayKey("lendgate test <gw@example.test>", pgp::KeyAlgorithm::Ed25519).ok());
    const std::string other = partner_.generateKey("Someone else <else@example.test>");
    pgp::testing::writeFile(keyFile_, partner_.exportPublic(other));
    auto started = start();
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("partner desert-valley-bank"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace lendgate::sftp
