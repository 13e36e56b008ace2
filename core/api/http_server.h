// A small HTTP front over Poco's HTTPServer: requests and answers as plain
// structs, so the API code is testable without sockets and no Poco type
// reaches a header.
//
// Slow and hostile clients are contained before any handler runs: Poco reads
// the request line and headers itself, so the socket's per-read timeout, a
// cap on header fields, a cap on connections (threads plus a short queue) and
// the body cap are what bound them. Conflicting Content-Length and
// Transfer-Encoding is refused with 400 (request smuggling). For exposure to
// the internet, put a reverse proxy in front (README).
#ifndef LENDGATE_API_HTTP_SERVER_H
#define LENDGATE_API_HTTP_SERVER_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::api {

struct HttpRequest {
    std::string method;
    std::string path;                            ///< decoded path without the query
    std::string query;                           ///< raw query string
    std::map<std::string, std::string> headers;  ///< names in lower case
    std::string body;
    std::string remote;
    /// Lower-case hex SHA-256 of the DER client certificate the TLS handshake
    /// verified against the listener's client CA; empty without one.
    std::string clientCertificateSha256;

    /// Header value or empty.
    std::string header(const std::string &lowerName) const;
    /// Decoded query parameter or nullopt.
    std::optional<std::string> param(const std::string &name) const;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

HttpResponse jsonError(int status, std::string_view code, std::string_view message);

using HttpHandler = std::function<HttpResponse(const HttpRequest &)>;

struct ServerLimits {
    std::uint64_t maxBodyBytes = 64u << 20;
    std::uint32_t maxConnections = 256;
    std::uint32_t workerThreads = 16;
    std::uint32_t readTimeoutMs = 5000;
    std::uint32_t maxHeaderFields = 64;
};

class HttpListener {
public:
    /// Binds and starts serving; port 0 picks a free one (see port()).
    static Result<std::unique_ptr<HttpListener>> start(const config::Listener &listener, const ServerLimits &limits,
                                                       HttpHandler handler, Logger &logger, std::string name);
    ~HttpListener();
    HttpListener(const HttpListener &) = delete;
    HttpListener &operator=(const HttpListener &) = delete;

    std::uint16_t port() const;
    /// Stops accepting and waits for requests in progress to finish.
    void stop();
    /// The two halves of stop(), so several listeners stop accepting at once
    /// and then wait together (an idle keep-alive connection holds its worker
    /// until the keep-alive timeout).
    void stopAccepting();
    void join();

    struct Impl;

private:
    explicit HttpListener(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace lendgate::api

#endif  // LENDGATE_API_HTTP_SERVER_H
