// Delivery by HTTP(S) POST to a partner's webhook.
//
// Each request carries Idempotency-Key (the message id, the same on every
// retry), Lendgate-Message-Id, Lendgate-Message-Type and, when the endpoint
// has a signing secret, Lendgate-Signature "t=..,v1=.." over the exact body
// bytes (RELIABILITY.md G9). Only 2xx counts as delivered. Redirects are never
// followed: a destination is exactly what the partner profile says. HTTPS
// requires TLS 1.2 or later with AEAD ciphers and verifies the server's
// certificate and host name.
#ifndef LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H
#define LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H

#include <filesystem>
#include <memory>
#include <optional>

#include "core/common/log.h"
#include "core/delivery/transport.h"

namespace lendgate::delivery {

class WebhookTransport final : public Transport {
public:
    /// `clock` stamps signatures; it must outlive the transport. HTTPS
    /// servers must present a certificate chaining to a CA in `caBundle`
    /// (PEM; config outbound_tls.ca_bundle), or to the system's CAs without one,
    /// and naming the URL's host.
    explicit WebhookTransport(const Clock &clock, std::optional<std::filesystem::path> caBundle = std::nullopt);
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
