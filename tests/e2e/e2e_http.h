// Talking to a running gateway the way partners and operators do: plain
// HTTP/1.1 on 127.0.0.1, one connection per request, plus the demo
// credentials of the sample configuration and small helpers on ACKs.
#ifndef LENDGATE_TESTS_E2E_E2E_HTTP_H
#define LENDGATE_TESTS_E2E_E2E_HTTP_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace lendgate::e2e {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
    int status = 0;     ///< 0: no answer (connection refused, reset, timeout)
    std::string error;  ///< why there was no answer
    std::string body;
    std::map<std::string, std::string> headers;  ///< names in lower case

    std::string header(const std::string &lowerName) const;
    nlohmann::json json() const;  ///< the body parsed; discarded value if it is not JSON
};

HttpResult httpRequest(std::uint16_t port, const std::string &method, const std::string &target,
                       const std::string &body = {}, const Headers &headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Sends `raw` bytes as they are and returns whatever the server answers
/// until it closes the connection (or the timeout).
std::string rawExchange(std::uint16_t port, const std::string &raw,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The sample configuration's demo credentials.
std::string partnerKey(const std::string &partnerId);
inline const std::string kViewerToken = "lga_demo_viewer_only_for_local_use";
inline const std::string kOperatorToken = "lga_demo_operator_only_for_local_use";
inline const std::string kAdminToken = "lga_demo_admin_only_for_local_use";

struct Submission {
    std::string body;
    std::string contentType = "application/json";
    std::string idempotencyKey;  ///< empty: no header
    std::string type;            ///< empty: no ?type=
};

/// POST /v1/messages as `partnerId`.
HttpResult submit(std::uint16_t partnerPort, const std::string &partnerId, const Submission &submission,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// GET with an admin bearer token (empty: no Authorization header).
HttpResult adminGet(std::uint16_t adminPort, const std::string &target, const std::string &token);
HttpResult adminPost(std::uint16_t adminPort, const std::string &target, const std::string &token);

/// Every message a partner sent, as the admin API lists them (paged by
/// ?limit=1000&after=LAST); throws if a page cannot be read.
std::vector<nlohmann::json> listAllMessages(std::uint16_t adminPort, const std::string &partner);

/// Message IDs of the ACCEPTED records of an ACK document, in record order.
std::vector<std::string> acceptedMessageIds(const std::string &ackDocument);

/// Polls `condition` every few milliseconds until it holds or `timeout` passes.
bool eventually(const std::function<bool()> &condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(20));

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_HTTP_H
