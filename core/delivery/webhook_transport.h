// Delivery by HTTP(S) POST to a partner's webhook.
//
// Each request carries Idempotency-Key (the message id, the same on every
// retry), Lendgate-Message-Id, Lendgate-Message-Type and, when the endpoint
// has a signing secret, Lendgate-Signature "t=..,v1=.." over the exact body
// bytes (RELIABILITY.md G9). Only 2xx counts as delivered. Redirects are never
// followed: a destination is exactly what the partner profile says. HTTPS
// requires TLS 1.2 or later and verifies the server's certificate.
#ifndef LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H
#define LENDGATE_DELIVERY_WEBHOOK_TRANSPORT_H

#include <memory>

#include "core/common/log.h"
#include "core/delivery/transport.h"

namespace lendgate::delivery {

class WebhookTransport final : public Transport {
public:
    /// `clock` stamps signatures; it must outlive the transport.
    explicit WebhookTransport(const Clock &clock);
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
