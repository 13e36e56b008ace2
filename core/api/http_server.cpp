#include "core/api/http_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/common/redact.h"

namespace lendgate::api {
namespace {

// AEAD suites only (TLS 1.2); TLS 1.3 suites are all AEAD.
constexpr const char *kCipherList =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

void send(Poco::Net::HTTPServerResponse &out, const HttpResponse &response) {
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.contentType);
    for (const auto &[name, value] : response.headers) out.set(name, value);
    out.set("Cache-Control", "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    out.send() << response.body << std::flush;
}

// An answer sent before the client finished sending its body (413): closing
// the socket with unread bytes in it makes the kernel send a reset, which can
// destroy the answer before the client reads it. So the server stops writing,
// then reads and drops what keeps arriving for a bounded time before the
// connection is closed (a "lingering close", as web servers do).
void lingerBeforeClose(Poco::Net::HTTPServerRequest &in) {
    auto *impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl *>(&in);
    if (impl == nullptr) return;
    constexpr std::size_t kMaxDrainBytes = 64u << 20;
    constexpr int kDrainMs = 2000;
    try {
        Poco::Net::StreamSocket &socket = impl->socket();
        socket.shutdownSend();
        socket.setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kDrainMs);
        char buffer[65536];
        std::size_t drained = 0;
        while (drained < kMaxDrainBytes && std::chrono::steady_clock::now() < deadline) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            drained += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception &) {
        // Timeout or reset: the client stopped sending or went away.
    }
}

// The fingerprint of the certificate the handshake verified (OpenSSL checked
// it against the client CA before any request was read), or "".
std::string clientCertificateSha256(Poco::Net::HTTPServerRequest &in) {
    auto *impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl *>(&in);
    if (impl == nullptr) return {};
    auto *secure = dynamic_cast<Poco::Net::SecureStreamSocketImpl *>(impl->socket().impl());
    if (secure == nullptr || !secure->havePeerCertificate()) return {};
    const Poco::Net::X509Certificate certificate = secure->peerCertificate();
    unsigned char *der = nullptr;
    const int length = i2d_X509(const_cast<X509 *>(certificate.certificate()), &der);
    if (length <= 0) return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    const bool hashed =
        EVP_Digest(der, static_cast<std::size_t>(length), digest, &digestLength, EVP_sha256(), nullptr) == 1;
    OPENSSL_free(der);
    if (!hashed) return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < digestLength; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0xf]);
    }
    return hex;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    Handler(const HttpHandler &handler, const ServerLimits &limits, Logger &logger, const std::string &name)
        : handler_(handler), limits_(limits), logger_(logger), name_(name) {}

    void handleRequest(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &out) override {
        try {
            serve(in, out);
        } catch (const std::exception &e) {
            // The client went away or broke the protocol mid-body: nothing to answer.
            logger_.log(LogLevel::Warning, name_, std::string("request aborted: ") + redactForLog(e.what()));
        }
    }

private:
    void serve(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &out) {
        // Poco has already decided keep-alive (the client's wish, the idle
        // timeout, the connection's request budget); below it is only ever
        // turned off. Turning it back on made the budget's last answer say
        // keep-alive on a connection about to close.
        if (in.size() > limits_.maxHeaderFields) {
            out.setKeepAlive(false);
            return send(out, jsonError(431, "headers_too_large", "too many header fields"));
        }
        const bool hasLength = in.has("Content-Length");
        const bool hasEncoding = in.has("Transfer-Encoding");
        if (hasLength && hasEncoding) {
            out.setKeepAlive(false);
            return send(out, jsonError(400, "ambiguous_length", "Content-Length and Transfer-Encoding together"));
        }
        if (hasEncoding && lower(in.get("Transfer-Encoding")) != "chunked") {
            out.setKeepAlive(false);
            return send(out, jsonError(400, "unsupported_encoding", "only chunked transfer encoding is accepted"));
        }
        const auto declared = in.getContentLength64();
        if (declared > 0 && static_cast<std::uint64_t>(declared) > limits_.maxBodyBytes) {
            out.setKeepAlive(false);
            send(out, jsonError(413, "too_large",
                                "the body is over the cap of " + std::to_string(limits_.maxBodyBytes) + " bytes"));
            return lingerBeforeClose(in);
        }

        HttpRequest request;
        request.method = in.getMethod();
        try {
            Poco::URI uri(in.getURI());
            request.path = uri.getPath();
            request.query = uri.getRawQuery();
        } catch (const Poco::Exception &) {
            out.setKeepAlive(false);  // the body was not read: the next bytes are not a request
            return send(out, jsonError(400, "bad_uri", "the request URI cannot be parsed"));
        }
        for (const auto &[name, value] : in) request.headers[lower(name)] = value;
        request.remote = in.clientAddress().host().toString();
        request.clientCertificateSha256 = clientCertificateSha256(in);

        if (hasLength || hasEncoding) {
            auto &stream = in.stream();
            if (declared > 0) request.body.reserve(static_cast<std::size_t>(declared));
            char buffer[65536];
            while (stream) {
                stream.read(buffer, sizeof buffer);
                const auto got = static_cast<std::size_t>(stream.gcount());
                if (got == 0) break;
                if (request.body.size() + got > limits_.maxBodyBytes) {
                    out.setKeepAlive(false);
                    send(out,
                         jsonError(413, "too_large",
                                   "the body is over the cap of " + std::to_string(limits_.maxBodyBytes) + " bytes"));
                    return lingerBeforeClose(in);
                }
                request.body.append(buffer, got);
            }
            if (declared > 0 && request.body.size() != static_cast<std::size_t>(declared)) {
                out.setKeepAlive(false);
                return send(out, jsonError(400, "short_body", "the body ended before its Content-Length"));
            }
        }
        HttpResponse response;
        try {
            response = handler_(request);
        } catch (const std::exception &e) {
            logger_.log(LogLevel::Error, name_, std::string("handler failed: ") + redactForLog(e.what()));
            out.setKeepAlive(false);
            response = jsonError(500, "internal", "the request could not be handled");
        }
        send(out, response);
    }

    const HttpHandler &handler_;
    const ServerLimits &limits_;
    Logger &logger_;
    const std::string &name_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(HttpHandler handler, ServerLimits limits, Logger &logger, std::string name)
        : handler_(std::move(handler)), limits_(limits), logger_(logger), name_(std::move(name)) {}

    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
        return new Handler(handler_, limits_, logger_, name_);
    }

private:
    HttpHandler handler_;
    ServerLimits limits_;
    Logger &logger_;
    std::string name_;
};

}  // namespace

std::string HttpRequest::header(const std::string &lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> HttpRequest::param(const std::string &name) const {
    try {
        Poco::URI uri("/?" + query);
        for (const auto &[key, value] : uri.getQueryParameters())
            if (key == name) return value;
    } catch (const Poco::Exception &) {
    }
    return std::nullopt;
}

HttpResponse jsonError(int status, std::string_view code, std::string_view message) {
    return HttpResponse{status, "application/json", errorDocument(code, message), {}};
}

struct HttpListener::Impl {
    Poco::ThreadPool pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::uint16_t port = 0;
    bool stopped = false;
    bool joined = false;

    explicit Impl(int threads) : pool(2, threads) {}
};

HttpListener::HttpListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpListener::~HttpListener() {
    stop();
}

std::uint16_t HttpListener::port() const {
    return impl_->port;
}

void HttpListener::stop() {
    stopAccepting();
    join();
}

void HttpListener::stopAccepting() {
    if (impl_ == nullptr || impl_->stopped) return;
    impl_->stopped = true;
    // Connections in progress finish their current request, then close.
    impl_->server->stopAll(false);
}

void HttpListener::join() {
    if (impl_ == nullptr || impl_->joined) return;
    impl_->joined = true;
    impl_->pool.joinAll();
}

Result<std::unique_ptr<HttpListener>> HttpListener::start(const config::Listener &listener, const ServerLimits &limits,
                                                          HttpHandler handler, Logger &logger, std::string name) {
    const int threads = static_cast<int>(std::max<std::uint32_t>(limits.workerThreads, 2));
    auto impl = std::make_unique<Impl>(threads + 1);
    try {
        Poco::Net::SocketAddress address(listener.host, listener.port);
        Poco::Net::ServerSocket socket;
        if (listener.tlsCertificate && listener.tlsPrivateKey) {
            const bool verifyClients = listener.tlsClientCa.has_value();
            Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_SERVER_USE, listener.tlsPrivateKey->string(), listener.tlsCertificate->string(),
                verifyClients ? listener.tlsClientCa->string() : std::string(),
                !verifyClients                       ? Poco::Net::Context::VERIFY_NONE
                : listener.clientCertificateOptional ? Poco::Net::Context::VERIFY_RELAXED
                                                     : Poco::Net::Context::VERIFY_STRICT,
                9, false, kCipherList);
            context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            context->preferServerCiphers();
            socket = Poco::Net::SecureServerSocket(address, 128, context);
        } else {
            socket = Poco::Net::ServerSocket(address, 128);
        }
        impl->port = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(threads);
        // Connections beyond the workers wait in a short queue; past the cap
        // they are refused rather than left to pile up.
        params->setMaxQueued(static_cast<int>(std::max<std::uint32_t>(limits.maxConnections, 1)));
        params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(limits.readTimeoutMs) * 1000));
        params->setKeepAlive(true);
        // Poco serves a connection on one worker until it closes, so an idle
        // keep-alive connection holds a worker: keep idle time short, and
        // close after a modest number of requests so queued clients get a turn.
        params->setKeepAliveTimeout(Poco::Timespan(
            static_cast<Poco::Timespan::TimeDiff>(std::min<std::uint32_t>(limits.readTimeoutMs, 2000)) * 1000));
        params->setMaxKeepAliveRequests(200);
        // A worker idle between connections waits this long before it sees a
        // stop; Poco's 10 s default made SIGTERM take 10 s now and then.
        params->setThreadIdleTime(Poco::Timespan(1, 0));
        impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(handler), limits, logger, name),
                                                               impl->pool, socket, params);
        impl->server->start();
    } catch (const Poco::Exception &e) {
        return Error{"listen", name + ": cannot listen on " + listener.host + ":" + std::to_string(listener.port) +
                                   ": " + e.displayText()};
    }
    return std::unique_ptr<HttpListener>(new HttpListener(std::move(impl)));
}

}  // namespace lendgate::api
