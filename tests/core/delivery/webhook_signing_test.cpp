// Webhook signing secrets sealed with the key ring and rotated with two valid
// at once, against a real HTTP receiver on loopback: what a partner holding
// the old secret, or the new one, can verify, and when the old one stops.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "core/api/request_auth.h"
#include "core/config/sealed_secrets.h"
#include "core/delivery/webhook_transport.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;
using testing::TestReceiver;

constexpr const char *kPartner = "valley-recovery";
constexpr const char *kNewSecret = "lgs_new_9c41d07e2b5a";
constexpr const char *kOldSecret = "lgs_old_51f3a8c6e0d2";
constexpr const char *kOldVariable = "LENDGATE_TEST_WEBHOOK_OLD_SECRET";

std::string readFile(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t v1Count(const std::string &header) {
    std::size_t count = 0;
    for (auto at = header.find("v1="); at != std::string::npos; at = header.find("v1=", at + 1)) ++count;
    return count;
}

class WebhookSigningTest : public ::testing::Test {
protected:
    void SetUp() override { ::setenv(kOldVariable, kOldSecret, 1); }
    void TearDown() override { ::unsetenv(kOldVariable); }

    std::filesystem::path seal(const std::string &name, std::string_view secret,
                               std::string_view purpose = config::kWebhookSigningPurpose) {
        const auto file = dir_ / "data" / "secrets" / name;
        auto written = config::writeSealedSecret(file, secret, *ring_, kPartner, purpose);
        EXPECT_TRUE(written) << (written ? "" : written.error().message);
        return file;
    }

    // A gateway configuration with one partner whose only endpoint is a
    // webhook to the test receiver, signed with `current`.
    config::GatewayConfig configWith(config::SecretRef current, std::vector<config::RetiringSecret> previous = {}) {
        config::Endpoint endpoint;
        endpoint.type = config::Endpoint::Type::Webhook;
        endpoint.id = "webhook";
        endpoint.url = receiver_.url("/hooks/lendgate");
        endpoint.timeoutMs = 2000;
        endpoint.signingSecret = std::move(current);
        endpoint.previousSigningSecrets = std::move(previous);
        config::Partner partner;
        partner.id = kPartner;
        partner.file = dir_ / "partners" / "valley-recovery.json";
        partner.endpoints.push_back(std::move(endpoint));
        config::GatewayConfig config;
        config.dataDir = dir_ / "data";
        config.partners.push_back(std::move(partner));
        return config;
    }

    OutboundMessage message(const std::string &id) const {
        OutboundMessage m;
        m.messageId = id;
        m.messageType = "repossession_assignment";
        m.destination = kPartner;
        m.contentType = "application/json";
        m.body = R"({"message_type":"repossession_assignment","case_id":"CASE-7"})";
        return m;
    }

    // Sends one message and returns the signature header the receiver got.
    std::string deliver(WebhookTransport &transport, const config::GatewayConfig &config, const std::string &id) {
        const auto before = receiver_.total();
        TransportResult result = transport.send(message(id), config.partners[0].endpoints[0]);
        EXPECT_TRUE(result.delivered) << result.error;
        auto got = receiver_.requests();
        EXPECT_EQ(got.size(), before + 1);
        return got.empty() ? std::string() : got.back().header("Lendgate-Signature");
    }

    api::SignatureCheck verifyAs(const std::string &secret, const std::string &header) const {
        return api::verifyRequestSignature(header, receiver_.requests().back().body, {secret},
                                           clock_.nowUnixMs() / 1000);
    }

    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<security::KeyRing> ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
    TestReceiver receiver_;
};

TEST_F(WebhookSigningTest, ASealedSecretSignsDeliveriesAndItsFileHoldsNoClearBytes) {
    const auto file = seal("valley-recovery.webhook-1.sealed", kNewSecret);
    const std::string onDisk = readFile(file);
    EXPECT_EQ(onDisk.find(kNewSecret), std::string::npos);
    EXPECT_EQ(onDisk.find(std::string(kNewSecret).substr(4)), std::string::npos);
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()});
    auto secrets = openWebhookSecrets(config, *ring_, clock_.nowUnixMs() / 1000);
    ASSERT_TRUE(secrets) << secrets.error().message;
    WebhookTransport transport(clock_, std::nullopt, std::move(secrets.value()));

    const std::string header = deliver(transport, config, "01JDNPZX45HY43KWJRP1XPA7Z3");
    EXPECT_EQ(v1Count(header), 1u) << header;
    EXPECT_EQ(verifyAs(kNewSecret, header), api::SignatureCheck::Valid) << header;
    EXPECT_EQ(verifyAs(kOldSecret, header), api::SignatureCheck::Mismatch) << header;
}

TEST_F(WebhookSigningTest, ASealedSecretThatDoesNotOpenIsAConfigurationErrorNamingTheFileAndPointer) {
    const auto file = seal("valley-recovery.webhook-1.sealed", kNewSecret);
    std::string hex = readFile(file);
    hex[hex.size() / 2] = hex[hex.size() / 2] == '0' ? '1' : '0';  // one altered nibble of the ciphertext
    std::filesystem::remove(file);
    {
        std::ofstream out(file, std::ios::binary);
        out << hex;
    }
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()});
    auto secrets = openWebhookSecrets(config, *ring_, clock_.nowUnixMs() / 1000);
    ASSERT_FALSE(secrets);
    const std::string &why = secrets.error().message;
    EXPECT_EQ(secrets.error().code, "secret");
    EXPECT_NE(why.find(config.partners[0].file.string()), std::string::npos) << why;
    EXPECT_NE(why.find("/endpoints/0/signing_secret"), std::string::npos) << why;
    EXPECT_NE(why.find(file.string()), std::string::npos) << why;
    EXPECT_EQ(why.find(kNewSecret), std::string::npos) << why;
    EXPECT_EQ(why.find(hex.substr(0, 32)), std::string::npos) << "the sealed bytes are not echoed: " << why;
}

TEST_F(WebhookSigningTest, ARequestSigningFileDoesNotOpenAsAWebhookSecret) {
    const auto file = seal("valley-recovery-1.sealed", kNewSecret, config::kRequestSigningPurpose);
    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()});
    auto secrets = openWebhookSecrets(config, *ring_, clock_.nowUnixMs() / 1000);
    ASSERT_FALSE(secrets);
    EXPECT_NE(secrets.error().message.find("does not open"), std::string::npos) << secrets.error().message;
}

TEST_F(WebhookSigningTest, DuringTheOverlapOneHeaderCarriesBothSignaturesAndAfterItOnlyTheNewOne) {
    const auto file = seal("valley-recovery.webhook-2.sealed", kNewSecret);
    const std::int64_t expiresAt = clock_.nowUnixMs() / 1000 + 3600;
    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()},
                             {{{config::SecretRef::Kind::Environment, kOldVariable}, expiresAt}});
    auto secrets = openWebhookSecrets(config, *ring_, clock_.nowUnixMs() / 1000);
    ASSERT_TRUE(secrets) << secrets.error().message;
    WebhookTransport transport(clock_, std::nullopt, std::move(secrets.value()));

    const std::string during = deliver(transport, config, "01JDNPZX45HY43KWJRP1XPA7Z4");
    EXPECT_EQ(v1Count(during), 2u) << during;
    EXPECT_EQ(receiver_.requests().back().headers.count("lendgate-signature"), 1u);
    EXPECT_EQ(verifyAs(kOldSecret, during), api::SignatureCheck::Valid) << "a receiver still on the old secret";
    EXPECT_EQ(verifyAs(kNewSecret, during), api::SignatureCheck::Valid) << "a receiver already on the new secret";
    EXPECT_EQ(verifyAs("lgs_someone_else", during), api::SignatureCheck::Mismatch);

    // The same transport, no restart: the clock alone ends the overlap.
    clock_.set((expiresAt + 1) * 1000);
    const std::string after = deliver(transport, config, "01JDNPZX45HY43KWJRP1XPA7Z5");
    EXPECT_EQ(v1Count(after), 1u) << after;
    EXPECT_EQ(verifyAs(kNewSecret, after), api::SignatureCheck::Valid);
    EXPECT_EQ(verifyAs(kOldSecret, after), api::SignatureCheck::Mismatch);
}

TEST_F(WebhookSigningTest, ASecretAlreadyExpiredAtStartIsNeitherOpenedNorSent) {
    const auto file = seal("valley-recovery.webhook-3.sealed", kNewSecret);
    const std::int64_t past = clock_.nowUnixMs() / 1000 - 60;
    // The expired one's file is gone, as an operator may remove it: start-up does not need it.
    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()},
                             {{{config::SecretRef::Kind::Sealed, (dir_ / "data/secrets/gone.sealed").string()}, past}});
    auto secrets = openWebhookSecrets(config, *ring_, clock_.nowUnixMs() / 1000);
    ASSERT_TRUE(secrets) << secrets.error().message;
    WebhookTransport transport(clock_, std::nullopt, std::move(secrets.value()));
    const std::string header = deliver(transport, config, "01JDNPZX45HY43KWJRP1XPA7Z6");
    EXPECT_EQ(v1Count(header), 1u) << header;
    EXPECT_EQ(verifyAs(kNewSecret, header), api::SignatureCheck::Valid);
}

TEST_F(WebhookSigningTest, ASealedSecretNotOpenedAtStartIsRefusedAndNothingIsSent) {
    const auto file = seal("valley-recovery.webhook-4.sealed", kNewSecret);
    auto config = configWith({config::SecretRef::Kind::Sealed, file.string()});
    WebhookTransport transport(clock_);  // no opened secrets: only clear ones can be read at send time
    TransportResult result = transport.send(message("01JDNPZX45HY43KWJRP1XPA7Z7"), config.partners[0].endpoints[0]);
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("signing secret"), std::string::npos) << result.error;
    EXPECT_EQ(receiver_.total(), 0u);
}

}  // namespace
}  // namespace lendgate::delivery
