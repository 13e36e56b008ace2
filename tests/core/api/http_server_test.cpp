// The HTTP front on a real socket: what a hostile or careless client meets
// before any API code runs.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/api/admin_api.h"
#include "core/api/http_server.h"
#include "tests/support/run_command.h"

namespace lendgate::api {
namespace {

class SilentLogger final : public Logger {
public:
    void log(LogLevel, std::string_view, std::string_view) override {}
};

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ServerLimits limits;
        limits.maxBodyBytes = 1024;
        limits.workerThreads = 4;
        limits.readTimeoutMs = 500;
        limits.maxHeaderFields = 16;
        auto started = HttpListener::start(
            config::Listener{"127.0.0.1", 0, {}, {}, {}, false}, limits,
            [this](const HttpRequest &request) {
                ++handled_;
                return HttpResponse{200,
                                    "text/plain",
                                    request.method + " " + request.path + " " + std::to_string(request.body.size()) +
                                        " " + request.param("x").value_or("-"),
                                    {}};
            },
            logger_, "test");
        ASSERT_TRUE(started) << started.error().message;
        listener_ = std::move(started.value());
    }

    // Sends raw bytes and returns everything the server answers until it closes
    // or goes quiet.
    std::string raw(const std::string &bytes) {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", listener_->port()));
        socket.setReceiveTimeout(Poco::Timespan(2, 0));
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
        std::string answer;
        char buffer[4096];
        try {
            for (;;) {
                const int n = socket.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) break;
                answer.append(buffer, static_cast<std::size_t>(n));
            }
        } catch (const Poco::Exception &) {
        }
        return answer;
    }

    static int status(const std::string &answer) { return answer.size() > 12 ? std::stoi(answer.substr(9, 3)) : 0; }

    SilentLogger logger_;
    std::atomic<int> handled_{0};
    std::unique_ptr<HttpListener> listener_;
};

TEST_F(HttpServerTest, AnOrdinaryRequestReachesTheHandlerWithBodyAndQuery) {
    auto answer =
        raw("POST /v1/messages?x=a%20b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    EXPECT_EQ(status(answer), 200) << answer;
    EXPECT_NE(answer.find("POST /v1/messages 5 a b"), std::string::npos) << answer;
    EXPECT_NE(answer.find("no-store"), std::string::npos);
}

// A connection is served for 200 requests; the 200th answer must say
// "Connection: close", or a client reusing the connection sends its next
// POST into a socket the server is closing and sees it fail.
TEST_F(HttpServerTest, TheLastAnswerOfAKeptAliveConnectionSaysItCloses) {
    std::string requests;
    for (int i = 0; i < 201; ++i) requests += "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";
    const std::string answer = raw(requests);
    std::vector<std::size_t> starts;
    for (auto at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 1))
        starts.push_back(at);
    ASSERT_EQ(starts.size(), 200u) << "one connection serves 200 requests";
    const std::string first = answer.substr(starts[0], starts[1] - starts[0]);
    const std::string last = answer.substr(starts.back());
    EXPECT_NE(first.find("Connection: Keep-Alive"), std::string::npos) << first;
    EXPECT_NE(last.find("Connection: Close"), std::string::npos) << last;
}

TEST_F(HttpServerTest, ADeclaredBodyOverTheCapIsRefusedBeforeItIsRead) {
    auto answer = raw("POST /v1/messages HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(status(answer), 413) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

// A client that keeps sending the body it announced must still read the 413:
// closing on unread bytes would reset the connection and destroy the answer.
TEST_F(HttpServerTest, AnEarly413ReachesAClientStillSendingItsBody) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", listener_->port()));
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    socket.setSendTimeout(Poco::Timespan(5, 0));
    const std::string body(32u << 20, 'a');
    const std::string head =
        "POST /v1/messages HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    std::size_t sent = 0;
    try {
        while (sent < body.size()) {
            const int n = socket.sendBytes(body.data() + sent,
                                           static_cast<int>(std::min<std::size_t>(65536, body.size() - sent)));
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception &) {
    }
    std::string answer;
    char buffer[4096];
    try {
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
            answer.append(buffer, static_cast<std::size_t>(n));
    } catch (const Poco::Exception &) {
    }
    EXPECT_EQ(sent, body.size());
    EXPECT_EQ(status(answer), 413) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, AChunkedBodyOverTheCapIsRefused) {
    std::string chunk(2000, 'a');
    std::ostringstream request;
    request << "POST /v1/messages HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            << std::hex << chunk.size() << "\r\n"
            << chunk << "\r\n0\r\n\r\n";
    auto answer = raw(request.str());
    EXPECT_EQ(status(answer), 413) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, ContentLengthWithTransferEncodingIsRefused) {
    auto answer = raw(
        "POST /v1/messages HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    EXPECT_EQ(status(answer), 400) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, TooManyHeaderFieldsAreRefused) {
    std::string request = "GET / HTTP/1.1\r\nHost: t\r\n";
    for (int i = 0; i < 40; ++i) request += "X-Filler-" + std::to_string(i) + ": y\r\n";
    auto answer = raw(request + "\r\n");
    EXPECT_EQ(status(answer), 431) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, ABodyShorterThanDeclaredIsRefusedAfterTheReadTimeout) {
    auto answer = raw("POST /v1/messages HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nshort");
    EXPECT_NE(status(answer), 200) << answer;
    EXPECT_EQ(handled_.load(), 0);
}

// A listener configured with a certificate serves TLS 1.2+ only.
TEST(HttpServerTls, ServesTls12AndRefusesOlderProtocols) {
    const auto dir = lendgate::test::makeTempDir("tls");
    auto made = lendgate::test::runCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                                            "/CN=127.0.0.1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"});
    ASSERT_EQ(made.exitCode, 0) << made.err;
    SilentLogger logger;
    config::Listener listener{
        "127.0.0.1", 0, std::filesystem::path(dir + "/cert.pem"), std::filesystem::path(dir + "/key.pem"), {}, false};
    auto started = HttpListener::start(
        listener, ServerLimits{},
        [](const HttpRequest &) {
            return HttpResponse{200, "text/plain", "secure", {}};
        },
        logger, "tls");
    ASSERT_TRUE(started) << started.error().message;

    auto get = [&](Poco::Net::Context::Protocols maximum) {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
        if (maximum == Poco::Net::Context::PROTO_TLSV1_1)
            context->disableProtocols(Poco::Net::Context::PROTO_TLSV1_2 | Poco::Net::Context::PROTO_TLSV1_3);
        Poco::Net::HTTPSClientSession session("127.0.0.1", started.value()->port(), context);
        session.setTimeout(Poco::Timespan(3, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        std::getline(session.receiveResponse(response), body);
        return body;
    };
    EXPECT_EQ(get(Poco::Net::Context::PROTO_TLSV1_3), "secure");
    EXPECT_ANY_THROW(get(Poco::Net::Context::PROTO_TLSV1_1));
    started.value()->stop();
    std::filesystem::remove_all(dir);
}

TEST(AdminMasking, PersonalDataIsMaskedForViewers) {
    const std::string body =
        R"({"payload":{"debtors":[{"name":{"first":"Maria","last":"Delgado"},"ssn":"921-47-3856",)"
        R"("phones":[{"type":"MOBILE","number":"+16025550143"}],"narrative":"lost my job in March",)"
        R"("addresses":[{"line1":"1420 E Camelback Rd","postal_code":"85014"}]}],"collateral":{"vin":"4T1B11HK5M0214873"}}})";
    const auto masked = maskPersonalData(body);
    EXPECT_EQ(masked.find("Delgado"), std::string::npos);
    EXPECT_EQ(masked.find("921-47"), std::string::npos);
    EXPECT_EQ(masked.find("Camelback"), std::string::npos);
    EXPECT_EQ(masked.find("6025550"), std::string::npos);
    EXPECT_EQ(masked.find("lost my job"), std::string::npos);
    EXPECT_EQ(masked.find("4T1B11HK5M0"), std::string::npos);
    EXPECT_NE(masked.find("85014"), std::string::npos);   // a ZIP helps an operator and is not personal on its own
    EXPECT_NE(masked.find("214873"), std::string::npos);  // the VIN's last six, as repo firms quote it
}

}  // namespace
}  // namespace lendgate::api
