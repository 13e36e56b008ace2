// Delivery by HTTP(S) POST to a partner's webhook.
//
// Each request carries Idempotency-Key (the message id, the same on every
// retry), Lendgate-Message-Id, Lendgate-Message-Type and, when the endpoint
// has a signing secret, Lendgate-Signature "t=..,v1=.." over the exact body
// bytes (RELIABILITY.md G9). While a rotated-out secret
// (signing_secret_previous) has not expired, the header carries one v1 per
// secret, the current one first ("t=..,v1=NEW,v1=OLD"), so a receiver holding
// either verifies. Only 2xx counts as delivered. Redirects are never
// followed: a destination is exactly what the partner profile says. HTTPS
// requires TLS 1.2 or later with AEAD ciphers and verifies the server's
// certificate and host name.
#ifndef LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H
#define LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/delivery/transport.h"

namespace lendgate::security {
class KeyRing;
}

namespace lendgate::delivery {

/// A webhook signing secret in the clear, held in memory only.
struct WebhookSecret {
    std::string value;
    std::optional<std::int64_t> expiresAtUnix;  ///< a rotated-out secret: not used from this second on
};

/// Per webhook endpoint ("PARTNER/ENDPOINT"): the current secret first, then
/// those being rotated out.
using WebhookSecrets = std::map<std::string, std::vector<WebhookSecret>>;

/// Opens the signing secrets of every partner's webhook endpoints once, at
/// start-up: sealed ones with `ring` (bound to the partner and
/// config::kWebhookSigningPurpose), the others from their variable or file.
/// Rotated-out secrets already expired at `nowUnixSeconds` are skipped. A
/// secret that does not open fails with code "secret" (the daemon exits as
/// for a configuration error) and the message
/// "PARTNER FILE: /endpoints/N/signing_secret: why", never the secret.
Result<WebhookSecrets> openWebhookSecrets(const config::GatewayConfig &config, const security::KeyRing &ring,
                                          std::int64_t nowUnixSeconds);

class WebhookTransport final : public Transport {
public:
    /// `clock` stamps signatures and decides which rotated-out secrets still
    /// sign; it must outlive the transport. HTTPS servers must present a
    /// certificate chaining to a CA in `caBundle` (PEM; config
    /// outbound_tls.ca_bundle), or to the system's CAs without one, and naming
    /// the URL's host. `secrets` (openWebhookSecrets) is what the daemon
    /// signs with; an endpoint missing from it has its clear secrets read at
    /// each send, and a sealed one there is refused.
    explicit WebhookTransport(const Clock &clock, std::optional<std::filesystem::path> caBundle = std::nullopt,
                              WebhookSecrets secrets = {});
    ~WebhookTransport() override;
    WebhookTransport(const WebhookTransport &) = delete;
    WebhookTransport &operator=(const WebhookTransport &) = delete;

    /// Connect, send and receive each time out after endpoint.timeoutMs.
    TransportResult send(const OutboundMessage &message, const config::Endpoint &endpoint) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H
