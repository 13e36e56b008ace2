// The partner API (/v1/...): submit messages, read back one's own messages
// and ACKs, and pull one's outbox. Every request is authenticated by API key
// and every read is filtered by the authenticated partner: another partner's
// IDs answer 404 exactly as missing ones do, and leave an audit line (G11).
#ifndef LENDGATE_API_PARTNER_API_H
#define LENDGATE_API_PARTNER_API_H

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/api/http_server.h"
#include "core/api/request_auth.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/intake/intake_service.h"
#include "core/journal/journal.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"
#include "core/security/key_ring.h"

namespace lendgate::delivery {
class Dispatcher;
class Renderer;
}  // namespace lendgate::delivery

namespace lendgate::api {

struct PartnerApiServices {
    const config::GatewayConfig &config;
    journal::Journal &journal;
    intake::IntakeService &intake;
    delivery::Renderer &renderer;
    /// Records a pulled item that cannot be rendered, by the delivery policy.
    delivery::Dispatcher &dispatcher;
    plugin::PluginCatalog &plugins;
    const security::KeyRing &keys;
    const Clock &clock;
    Logger &logger;
    metrics::Registry &metrics;
    /// Request signing secrets per partner (resolved at start-up): the
    /// current one and those being rotated out, until they expire.
    std::map<std::string, std::vector<SigningSecret>> signingSecrets;
    /// How long a pulled outbox item stays invisible to the next pull.
    std::int64_t outboxVisibilityMs = 300000;
};

class PartnerApi {
public:
    static Result<std::unique_ptr<PartnerApi>> create(PartnerApiServices services);

    HttpResponse handle(const HttpRequest &request);

private:
    PartnerApi(PartnerApiServices services, ApiKeyVerifier keys, std::string outboxKey)
        : s_(std::move(services)), keys_(std::move(keys)), outboxKey_(std::move(outboxKey)) {}

    HttpResponse submit(const config::Partner &partner, const HttpRequest &request);
    HttpResponse getMessage(const config::Partner &partner, const std::string &id, const HttpRequest &request);
    HttpResponse getAck(const config::Partner &partner, const std::string &id, const HttpRequest &request);
    HttpResponse pullOutbox(const config::Partner &partner, const HttpRequest &request);
    HttpResponse ackOutbox(const config::Partner &partner, const std::string &itemId);
    HttpResponse notFound(const config::Partner &partner, const HttpRequest &request);
    /// Appends a partner read to the audit chain (G14); false if it cannot.
    bool audited(const config::Partner &partner, std::string_view action, std::string_view target,
                 std::string_view detail = {});
    HttpResponse auditUnavailable();
    HttpResponse ackResponse(const config::Partner &partner, int status, const std::string &document);

    std::string outboxItemId(const std::string &partner, std::int64_t deliveryId, std::int64_t claim) const;

    PartnerApiServices s_;
    ApiKeyVerifier keys_;
    std::string outboxKey_;
};

}  // namespace lendgate::api

#endif  // LENDGATE_API_PARTNER_API_H
