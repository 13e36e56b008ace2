// Webhooks against a real HTTP server on loopback: what the receiver gets
// (headers, signature, exact body), and every way an attempt can fail.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>

#include "core/api/request_auth.h"
#include "core/delivery/webhook_transport.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

using lendgate::testing::ManualClock;
using testing::TestReceiver;

constexpr const char *kSecretVariable = "LENDGATE_TEST_DELIVERY_WEBHOOK_SECRET";
constexpr const char *kSecret = "whsec_test_4f9a1c2e8b7d";

class WebhookTransportTest : public ::testing::Test {
protected:
    void SetUp() override { ::setenv(kSecretVariable, kSecret, 1); }
    void TearDown() override { ::unsetenv(kSecretVariable); }

    OutboundMessage message() {
        OutboundMessage m;
        m.messageId = "01JDNPZX45HY43KWJRP1XPA7Z3";
        m.messageType = "repossession_assignment";
        m.destination = "valley_recovery";
        m.contentType = "application/json";
        m.fileExtension = ".json";
        m.body = R"({"message_type":"repossession_assignment","amount":"100.10","ssn":"123-45-6789"})";
        return m;
    }
    config::Endpoint endpoint(std::string url, bool signedRequests = true) {
        config::Endpoint e;
        e.type = config::Endpoint::Type::Webhook;
        e.id = "webhook";
        e.url = std::move(url);
        e.timeoutMs = 2000;
        if (signedRequests) e.signingSecret = config::SecretRef{config::SecretRef::Kind::Environment, kSecretVariable};
        return e;
    }

    ManualClock clock_;
    WebhookTransport transport_{clock_};
    TestReceiver receiver_;
};

TEST_F(WebhookTransportTest, PostsTheExactBodySignedWithTheMessageIdAsIdempotencyKey) {
    const OutboundMessage m = message();
    TransportResult result = transport_.send(m, endpoint(receiver_.url("/valley/assignments?v=1")));
    ASSERT_TRUE(result.delivered) << result.error;
    EXPECT_EQ(result.status, 200);

    auto got = receiver_.requests();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].method, "POST");
    EXPECT_EQ(got[0].uri, "/valley/assignments?v=1");
    EXPECT_EQ(got[0].body, m.body);
    EXPECT_EQ(got[0].header("Content-Type"), "application/json");
    EXPECT_EQ(got[0].header("Idempotency-Key"), m.messageId);
    EXPECT_EQ(got[0].header("Lendgate-Message-Id"), m.messageId);
    EXPECT_EQ(got[0].header("Lendgate-Message-Type"), "repossession_assignment");

    const std::string signature = got[0].header("Lendgate-Signature");
    const std::int64_t now = clock_.nowUnixMs() / 1000;
    EXPECT_EQ(signature.rfind("t=" + std::to_string(now) + ",v1=", 0), 0u) << signature;
    EXPECT_EQ(api::verifyRequestSignature(signature, got[0].body, {kSecret}, now), api::SignatureCheck::Valid);
    EXPECT_EQ(api::verifyRequestSignature(signature, got[0].body + " ", {kSecret}, now), api::SignatureCheck::Mismatch);
    EXPECT_EQ(api::verifyRequestSignature(signature, got[0].body, {"another secret"}, now),
              api::SignatureCheck::Mismatch);
}

TEST_F(WebhookTransportTest, EveryRetryCarriesTheSameIdempotencyKey) {
    receiver_.failFirst(2);
    for (int i = 0; i < 3; ++i) transport_.send(message(), endpoint(receiver_.url()));
    auto got = receiver_.requests();
    ASSERT_EQ(got.size(), 3u);
    for (const auto &r : got) EXPECT_EQ(r.header("Idempotency-Key"), "01JDNPZX45HY43KWJRP1XPA7Z3");
    EXPECT_EQ(receiver_.distinctKeys(), 1u);
}

TEST_F(WebhookTransportTest, WithoutASigningSecretThereIsNoSignatureHeader) {
    ASSERT_TRUE(transport_.send(message(), endpoint(receiver_.url(), false)).delivered);
    EXPECT_EQ(receiver_.requests().at(0).header("Lendgate-Signature"), "");
}

TEST_F(WebhookTransportTest, AServerErrorIsAFailureThatNeverQuotesTheBody) {
    receiver_.alwaysFail(503);
    TransportResult result = transport_.send(message(), endpoint(receiver_.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.status, 503);
    EXPECT_NE(result.error.find("HTTP 503"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find("100.10"), std::string::npos);
    EXPECT_EQ(result.error.find("6789"), std::string::npos);
}

TEST_F(WebhookTransportTest, ARedirectIsNotFollowed) {
    TestReceiver elsewhere;
    receiver_.redirect(elsewhere.url("/stolen"));
    TransportResult result = transport_.send(message(), endpoint(receiver_.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.status, 302);
    EXPECT_NE(result.error.find("redirect not followed"), std::string::npos) << result.error;
    EXPECT_EQ(receiver_.total(), 1u);
    EXPECT_EQ(elsewhere.total(), 0u);
}

TEST_F(WebhookTransportTest, ASlowReceiverTimesOutAfterTheEndpointTimeout) {
    receiver_.slow(std::chrono::milliseconds(5000));
    config::Endpoint e = endpoint(receiver_.url());
    e.timeoutMs = 300;
    const auto started = std::chrono::steady_clock::now();
    TransportResult result = transport_.send(message(), e);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.status, 0);
    EXPECT_NE(result.error.find("timed out after 300 ms"), std::string::npos) << result.error;
    EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST_F(WebhookTransportTest, ARefusedConnectionIsAFailure) {
    std::string url;
    {
        TestReceiver gone;
        url = gone.url();
    }
    TransportResult result = transport_.send(message(), endpoint(url));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("webhook webhook:"), std::string::npos) << result.error;
}

TEST_F(WebhookTransportTest, AMissingSigningSecretSendsNothing) {
    ::unsetenv(kSecretVariable);
    TransportResult result = transport_.send(message(), endpoint(receiver_.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("signing secret"), std::string::npos) << result.error;
    EXPECT_EQ(receiver_.total(), 0u);
}

TEST_F(WebhookTransportTest, OnlyHttpAndHttpsUrlsAreUsed) {
    TransportResult result = transport_.send(message(), endpoint("ftp://127.0.0.1/x"));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("http:// or https://"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace lendgate::delivery
