#include "core/delivery/webhook_transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>

#include "core/api/request_auth.h"
#include "core/common/redact.h"
#include "core/config/sealed_secrets.h"
#include "core/config/secrets.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kMaxErrorText = 300;
// Enough of a response to keep the connection state sane; receivers' answers
// are not stored, so more would only cost memory.
constexpr std::streamsize kMaxResponseBytes = 64 * 1024;

TransportResult failed(std::string error, int status = 0) {
    return TransportResult{false, status, redactForLog(error, kMaxErrorText)};
}

void initializeSslOnce() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// AEAD suites only for TLS 1.2, as the listeners use; TLS 1.3 suites are all AEAD.
constexpr const char *kCipherList =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

// VERIFY_STRICT: a server without a certificate chaining to the trusted CAs
// is refused, and Poco then checks the certificate names the URL's host
// (extended verification, on by default).
Poco::Net::Context::Ptr makeClientContext(const std::optional<std::filesystem::path> &caBundle) {
    initializeSslOnce();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = !caBundle.has_value();
    if (caBundle) params.caLocation = caBundle->string();
    params.cipherList = kCipherList;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return context;
}

std::string secretsKey(std::string_view partnerId, std::string_view endpointId) {
    std::string key(partnerId);
    key.append("/").append(endpointId);
    return key;
}

using SecretOpener = std::function<Result<std::string>(const config::SecretRef &)>;

// The endpoint's current secret and its rotated-out ones not yet expired at
// `now`, each opened by `open`. On failure `failedAt` is the secret's JSON
// Pointer below the endpoint.
Result<std::vector<WebhookSecret>> openEndpointSecrets(const config::Endpoint &endpoint, const SecretOpener &open,
                                                       std::int64_t now, std::string &failedAt) {
    std::vector<WebhookSecret> secrets;
    if (!endpoint.signingSecret) return secrets;
    failedAt = "/signing_secret";
    auto current = open(*endpoint.signingSecret);
    if (!current) return current.error();
    secrets.push_back({std::move(current.value()), std::nullopt});
    for (std::size_t i = 0; i < endpoint.previousSigningSecrets.size(); ++i) {
        const config::RetiringSecret &previous = endpoint.previousSigningSecrets[i];
        if (previous.expiresAtUnix <= now) continue;
        failedAt = "/signing_secret_previous/" + std::to_string(i) + "/secret";
        auto old = open(previous.secret);
        if (!old) return old.error();
        secrets.push_back({std::move(old.value()), previous.expiresAtUnix});
    }
    failedAt.clear();
    return secrets;
}

}  // namespace

Result<WebhookSecrets> openWebhookSecrets(const config::GatewayConfig &config, const security::KeyRing &ring,
                                          std::int64_t nowUnixSeconds) {
    WebhookSecrets all;
    for (const config::Partner &partner : config.partners)
        for (std::size_t e = 0; e < partner.endpoints.size(); ++e) {
            const config::Endpoint &endpoint = partner.endpoints[e];
            if (endpoint.type != config::Endpoint::Type::Webhook) continue;
            const SecretOpener open = [&](const config::SecretRef &ref) {
                return config::resolvePartnerSecret(ref, ring, partner.id, config::kWebhookSigningPurpose);
            };
            std::string failedAt;
            auto secrets = openEndpointSecrets(endpoint, open, nowUnixSeconds, failedAt);
            if (!secrets)
                return Error{"secret", config::describe(config::ConfigProblem{
                                           partner.file, "/endpoints/" + std::to_string(e) + failedAt,
                                           secrets.error().message, false})};
            if (!secrets.value().empty()) all[secretsKey(partner.id, endpoint.id)] = std::move(secrets.value());
        }
    return all;
}

struct WebhookTransport::Impl {
    Impl(const Clock &c, std::optional<std::filesystem::path> bundle, WebhookSecrets opened)
        : clock(c), caBundle(std::move(bundle)), secrets(std::move(opened)) {}

    const Clock &clock;
    const std::optional<std::filesystem::path> caBundle;
    const WebhookSecrets secrets;
    std::once_flag tlsOnce;
    Poco::Net::Context::Ptr tls;  // made on first https use: most test setups never need it

    Poco::Net::Context::Ptr tlsContext() {
        std::call_once(tlsOnce, [this] { tls = makeClientContext(caBundle); });
        return tls;
    }

    // The secrets that sign a request sent at `now`: the current one, then
    // each rotated-out one until its expiry. Decided per request, so an
    // overlap ends on time without a restart.
    Result<std::vector<std::string>> signingSecrets(const std::string &partnerId, const config::Endpoint &endpoint,
                                                    std::int64_t now) const {
        std::vector<WebhookSecret> opened;
        if (auto found = secrets.find(secretsKey(partnerId, endpoint.id)); found != secrets.end()) {
            opened = found->second;
        } else {
            std::string failedAt;
            auto clear = openEndpointSecrets(endpoint, config::resolveSecret, now, failedAt);
            if (!clear) return clear.error();
            opened = std::move(clear.value());
        }
        std::vector<std::string> valid;
        for (WebhookSecret &secret : opened)
            if (!secret.expiresAtUnix || now < *secret.expiresAtUnix) valid.push_back(std::move(secret.value));
        return valid;
    }
};

namespace {

// Per delivery thread: each worker keeps its own connections, so no locking.
std::map<std::string, std::unique_ptr<Poco::Net::HTTPClientSession>> &keptSessions() {
    thread_local std::map<std::string, std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
    return sessions;
}

}  // namespace

WebhookTransport::WebhookTransport(const Clock &clock, std::optional<std::filesystem::path> caBundle,
                                   WebhookSecrets secrets)
    : impl_(std::make_unique<Impl>(clock, std::move(caBundle), std::move(secrets))) {}

WebhookTransport::~WebhookTransport() = default;

TransportResult WebhookTransport::send(const OutboundMessage &message, const config::Endpoint &endpoint) {
    const std::string where = "webhook " + endpoint.id;
    try {
        Poco::URI uri(endpoint.url);
        const std::string scheme = uri.getScheme();
        if ((scheme != "http" && scheme != "https") || uri.getHost().empty())
            return failed(where + ": the URL must be http:// or https:// with a host");

        std::string signature;
        const std::int64_t now = impl_->clock.nowUnixMs() / 1000;
        auto secrets = impl_->signingSecrets(message.destination, endpoint, now);
        if (!secrets) return failed(where + ": signing secret: " + secrets.error().message);
        if (!secrets.value().empty()) signature = api::signRequestWithEach(secrets.value(), now, message.body);

        // Connections are kept per (thread, destination): a TCP (and TLS)
        // handshake per delivery costs more than the delivery. A kept
        // connection the receiver has closed in the meantime fails on first
        // use; then the request goes once more on a fresh one, with the same
        // idempotency key.
        const std::string key = scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
        Poco::Net::HTTPResponse response;
        bool reused = false;
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto &session = keptSessions()[key];
            reused = session != nullptr;
            if (!session) {
                if (scheme == "https")
                    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                              impl_->tlsContext());
                else
                    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
                session->setKeepAlive(true);
            }
            const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(endpoint.timeoutMs) * 1000);
            session->setTimeout(timeout, timeout, timeout);

            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                           uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            request.setContentType(message.contentType);
            request.setContentLength(static_cast<std::streamsize>(message.body.size()));
            request.set("Idempotency-Key", message.messageId);
            request.set("Lendgate-Message-Id", message.messageId);
            request.set("Lendgate-Message-Type", message.messageType);
            if (!signature.empty()) request.set("Lendgate-Signature", signature);
            try {
                std::ostream &out = session->sendRequest(request);
                out.write(message.body.data(), static_cast<std::streamsize>(message.body.size()));
                out.flush();
                if (!out) throw Poco::IOException("sending the request failed");
                std::istream &in = session->receiveResponse(response);
                char discard[4096];
                std::streamsize read = 0;
                while (read < kMaxResponseBytes && in.read(discard, sizeof discard)) read += in.gcount();
                read += in.gcount();
                // A long answer is not read to its end: that connection cannot be reused.
                if (read >= kMaxResponseBytes || !response.getKeepAlive()) keptSessions().erase(key);
                break;
            } catch (const Poco::TimeoutException &) {
                keptSessions().erase(key);
                throw;
            } catch (const Poco::Exception &) {
                keptSessions().erase(key);
                if (!reused || attempt == 1) throw;
            }
        }

        const int status = static_cast<int>(response.getStatus());
        if (status >= 200 && status < 300) return TransportResult{true, status, {}};
        std::string error = where + ": HTTP " + std::to_string(status);
        if (status >= 300 && status < 400) error += " redirect not followed";
        if (!response.getReason().empty()) error += " (" + response.getReason() + ")";
        return failed(error, status);
    } catch (const Poco::TimeoutException &) {
        return failed(where + ": timed out after " + std::to_string(endpoint.timeoutMs) + " ms");
    } catch (const Poco::Net::SSLException &e) {
        return failed(where + ": TLS: the server's certificate was not accepted (untrusted, expired or not for " +
                      "this host; trust comes from outbound_tls.ca_bundle or the system CAs): " + e.displayText());
    } catch (const Poco::Exception &e) {
        return failed(where + ": " + e.displayText());
    } catch (const std::exception &e) {
        return failed(where + ": " + e.what());
    }
}

}  // namespace lendgate::delivery
