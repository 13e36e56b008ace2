// Webhooks over real TLS on loopback, with certificates the test makes: the
// server must chain to the configured CA bundle and name the URL's host, and
// a redirect is never followed, whatever the scheme.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "core/delivery/webhook_transport.h"
#include "tests/core/security/security_test_support.h"
#include "tests/support/test_certificates.h"

namespace lendgate::delivery {
namespace {

using lendgate::testing::ManualClock;

// An HTTPS receiver presenting `certificate`; it answers `status` (302 with
// a Location elsewhere) and counts the requests that reach it.
class TlsReceiver {
public:
    TlsReceiver(const std::string &certificate, const std::string &key, int status) {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key, certificate,
                                                                 "", Poco::Net::Context::VERIFY_NONE);
        Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16, context);
        port_ = socket.address().port();
        auto *params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(false);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(status, hits_), socket, params);
        server_->start();
    }
    ~TlsReceiver() { server_->stopAll(true); }

    std::string url(const std::string &host = "127.0.0.1") const {
        return "https://" + host + ":" + std::to_string(port_) + "/hook";
    }
    int hits() const { return hits_.load(); }

private:
    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        Handler(int status, std::atomic<int> &hits) : status_(status), hits_(hits) {}
        void handleRequest(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &out) override {
            ++hits_;
            in.stream().ignore(1 << 20);
            out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
            if (status_ == 302) out.set("Location", "https://127.0.0.1:9/stolen");
            out.setContentLength(0);
            out.send();
        }

    private:
        int status_;
        std::atomic<int> &hits_;
    };
    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        Factory(int status, std::atomic<int> &hits) : status_(status), hits_(hits) {}
        Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
            return new Handler(status_, hits_);
        }

    private:
        int status_;
        std::atomic<int> &hits_;
    };

    std::atomic<int> hits_{0};
    std::uint16_t port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

class WebhookTlsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("lendgate-webhook-tls-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        pki_ = std::make_unique<test::TestPki>(dir_.string());
        pki_->selfSigned("partner-ca");
        pki_->signedBy("partner-ca", "receiver", "IP:127.0.0.1");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    static OutboundMessage message() {
        OutboundMessage m;
        m.messageId = "01JDNPZX45HY43KWJRP1XPA7Z3";
        m.messageType = "repossession_assignment";
        m.contentType = "application/json";
        m.body = R"({"message_type":"repossession_assignment"})";
        return m;
    }
    static config::Endpoint endpoint(std::string url) {
        config::Endpoint e;
        e.id = "webhook";
        e.url = std::move(url);
        e.timeoutMs = 3000;
        return e;
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::TestPki> pki_;
    ManualClock clock_;
};

TEST_F(WebhookTlsTest, AServerTrustedThroughTheCaBundleReceivesTheDelivery) {
    TlsReceiver receiver(pki_->pem("receiver"), pki_->key("receiver"), 200);
    WebhookTransport transport(clock_, std::filesystem::path(pki_->pem("partner-ca")));
    const auto result = transport.send(message(), endpoint(receiver.url()));
    EXPECT_TRUE(result.delivered) << result.error;
    EXPECT_EQ(receiver.hits(), 1);
}

TEST_F(WebhookTlsTest, AnUntrustedSelfSignedServerIsRefusedWithAClearError) {
    pki_->selfSigned("stranger", "IP:127.0.0.1");
    TlsReceiver receiver(pki_->pem("stranger"), pki_->key("stranger"), 200);
    WebhookTransport transport(clock_, std::filesystem::path(pki_->pem("partner-ca")));
    const auto result = transport.send(message(), endpoint(receiver.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("certificate was not accepted"), std::string::npos) << result.error;
    EXPECT_EQ(receiver.hits(), 0) << "nothing is sent before the server is verified";
}

TEST_F(WebhookTlsTest, ACertificateForAnotherHostIsRefused) {
    pki_->signedBy("partner-ca", "elsewhere", "DNS:elsewhere.example");
    TlsReceiver receiver(pki_->pem("elsewhere"), pki_->key("elsewhere"), 200);
    WebhookTransport transport(clock_, std::filesystem::path(pki_->pem("partner-ca")));
    const auto result = transport.send(message(), endpoint(receiver.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("certificate was not accepted"), std::string::npos) << result.error;
    EXPECT_EQ(receiver.hits(), 0);
}

TEST_F(WebhookTlsTest, ARedirectOverTlsIsNotFollowed) {
    TlsReceiver receiver(pki_->pem("receiver"), pki_->key("receiver"), 302);
    WebhookTransport transport(clock_, std::filesystem::path(pki_->pem("partner-ca")));
    const auto result = transport.send(message(), endpoint(receiver.url()));
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.status, 302);
    EXPECT_NE(result.error.find("redirect not followed"), std::string::npos) << result.error;
    EXPECT_EQ(receiver.hits(), 1);
}

}  // namespace
}  // namespace lendgate::delivery
