// Outbound files to a partner whose profile asks for OpenPGP: what lands in
// the partner's folder decrypts with the partner's key (and no other), and
// its signature verifies as the gateway's, checked with the gpg command line
// the way the partner's own tools would.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/delivery/directory_transport.h"
#include "core/delivery/renderer.h"
#include "tests/core/delivery/delivery_test_support.h"
#include "tests/core/pgp/pgp_world.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

namespace fs = std::filesystem;
using pgp::testing::readFile;
using pgp::testing::run;

constexpr const char *kMessageId = "01JF00000000000000000000AB";

journal::ClaimedDelivery claimedFor(const std::string &destination, std::string body) {
    journal::ClaimedDelivery c;
    c.delivery.deliveryId = 7;
    c.delivery.messageId = kMessageId;
    c.delivery.messageType = "repossession_assignment";
    c.delivery.destination = destination;
    c.delivery.attempts = 1;
    c.claim = 1;
    c.body.canonicalJson = std::move(body);
    return c;
}

struct Opened {
    bool ok = false;
    std::string plaintext;
    std::string status;  ///< gpg's --status-fd lines
};

class PgpOutboundTest : public pgp::testing::PgpTest {
protected:
    void SetUp() override {
        out_ = dir_.path() / "outbox";
        config_.partners.push_back(testing::partner("valley_recovery", {testing::directory(out_)}));
        config::OpenPgpSettings settings;
        settings.partnerFingerprint = world().partnerFpr;
        config_.partners.back().openpgp = settings;
    }

    config::Partner &partner() { return config_.partners.back(); }

    /// Renders and delivers to the directory endpoint; the file written.
    fs::path deliver(Result<OutboundMessage> &rendered) {
        EXPECT_TRUE(rendered.ok()) << rendered.error().message;
        if (!rendered.ok()) return {};
        DirectoryTransport transport;
        const auto sent = transport.send(rendered.value(), partner().endpoints.front());
        EXPECT_TRUE(sent.delivered) << sent.error;
        return out_ / (std::string(kMessageId) + rendered.value().fileExtension);
    }

    /// `gpg --decrypt` in `home`, as the partner (or a stranger) runs it.
    static Opened open(const pgp::testing::GpgHome &home, const fs::path &file) {
        const fs::path plain = home.file("plain.out");
        Opened o;
        std::string err;
        o.ok = run({"gpg", "--homedir", home.path(), "--batch", "--yes", "--no-tty", "--trust-model", "always",
                    "--status-fd", "1", "--output", plain.string(), "--decrypt", file.string()},
                   &o.status, &err) == 0;
        o.plaintext = readFile(plain);
        fs::remove(plain);
        return o;
    }

    lendgate::testing::TempDir dir_;
    fs::path out_;
    config::GatewayConfig config_;
};

TEST_F(PgpOutboundTest, ADirectoryDeliveryDecryptsWithThePartnersKeyAndIsSignedByTheGateway) {
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer plain(config_, catalog);
    const auto body = testing::assignment("KEY-PGP-1");
    // What the partner would have received without OpenPGP.
    partner().openpgp->encryptOutbound = false;
    auto clear = plain.render(claimedFor("valley_recovery", body));
    ASSERT_TRUE(clear.ok()) << clear.error().message;
    partner().openpgp->encryptOutbound = true;

    Renderer renderer(config_, catalog, &world().gateway.keyring());
    auto rendered = renderer.render(claimedFor("valley_recovery", body));
    const fs::path file = deliver(rendered);
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(rendered.value().fileExtension, ".json.pgp");
    EXPECT_EQ(rendered.value().contentType, "application/octet-stream");
    EXPECT_EQ(rendered.value().messageId, kMessageId);

    const std::string onDisk = readFile(file);
    ASSERT_FALSE(onDisk.empty()) << file;
    // The folder holds no plaintext: not the key, not the VIN or amounts.
    EXPECT_EQ(onDisk.find("KEY-PGP-1"), std::string::npos);
    EXPECT_EQ(onDisk.find("28411.05"), std::string::npos);

    const Opened opened = open(world().partner, file);
    ASSERT_TRUE(opened.ok) << opened.status;
    EXPECT_EQ(opened.plaintext, clear.value().body);
    EXPECT_NE(opened.status.find("[GNUPG:] VALIDSIG " + world().gatewayFpr), std::string::npos) << opened.status;
    EXPECT_NE(opened.status.find("[GNUPG:] DECRYPTION_OKAY"), std::string::npos) << opened.status;

    // Encrypted to the partner only: someone else's key opens nothing.
    const Opened stranger = open(world().stranger, file);
    EXPECT_FALSE(stranger.ok);
    EXPECT_TRUE(stranger.plaintext.empty());
}

TEST_F(PgpOutboundTest, AnArmoredPartnerGetsAnAscTextFile) {
    partner().openpgp->armor = true;
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog, &world().gateway.keyring());
    auto rendered = renderer.render(claimedFor("valley_recovery", testing::assignment("KEY-PGP-2")));
    const fs::path file = deliver(rendered);
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(rendered.value().fileExtension, ".json.asc");
    EXPECT_EQ(rendered.value().body.rfind("-----BEGIN PGP MESSAGE-----", 0), 0u);
    const Opened opened = open(world().partner, file);
    ASSERT_TRUE(opened.ok) << opened.status;
    EXPECT_NE(opened.plaintext.find("KEY-PGP-2"), std::string::npos);
    EXPECT_NE(opened.status.find("[GNUPG:] VALIDSIG " + world().gatewayFpr), std::string::npos) << opened.status;
}

TEST_F(PgpOutboundTest, WithEncryptOutboundOffTheFileGoesOutAsRendered) {
    partner().openpgp->encryptOutbound = false;
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog, &world().gateway.keyring());
    auto rendered = renderer.render(claimedFor("valley_recovery", testing::assignment("KEY-PGP-3")));
    ASSERT_TRUE(rendered.ok()) << rendered.error().message;
    EXPECT_EQ(rendered.value().fileExtension, ".json");
    EXPECT_NE(rendered.value().body.find("KEY-PGP-3"), std::string::npos);
}

TEST_F(PgpOutboundTest, WithoutAKeyringNothingGoesOutRatherThanPlaintext) {
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);
    auto rendered = renderer.render(claimedFor("valley_recovery", testing::assignment("KEY-PGP-4")));
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code, pgp::errc::kSetup);
    EXPECT_NE(rendered.error().message.find("valley_recovery"), std::string::npos) << rendered.error().message;
}

TEST_F(PgpOutboundTest, APartnerKeyTheKeyringDoesNotHoldIsAnErrorNamingThePartner) {
    partner().openpgp->partnerFingerprint = world().strangerFpr;  // never imported into the gateway's keyring
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog, &world().gateway.keyring());
    auto rendered = renderer.render(claimedFor("valley_recovery", testing::assignment("KEY-PGP-5")));
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code.rfind("pgp_", 0), 0u) << rendered.error().code;
    EXPECT_NE(rendered.error().message.find("valley_recovery"), std::string::npos) << rendered.error().message;
    EXPECT_EQ(rendered.error().message.find("KEY-PGP-5"), std::string::npos);
}

}  // namespace
}  // namespace lendgate::delivery
