// The admin API (/admin/v1/...), apart from the partner API: its own listener
// and its own bearer tokens, each with a role. A viewer reads, with personal
// data masked; an operator also replays; an admin does everything, including
// reading bodies unmasked. Every call is an audit line naming the token.
// /healthz, /readyz and /metrics are served here without a token, for the
// orchestrator and the scraper on the admin network.
#ifndef LENDGATE_API_ADMIN_API_H
#define LENDGATE_API_ADMIN_API_H

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/api/http_server.h"
#include "core/api/request_auth.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/journal/journal.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"

namespace lendgate::api {}  // namespace lendgate::api
namespace lendgate::privacy {
class FieldVault;
}  // namespace lendgate::privacy
namespace lendgate::api {

struct AdminApiServices {
    const config::GatewayConfig &config;
    journal::Journal &journal;
    const Clock &clock;
    Logger &logger;
    metrics::Registry &metrics;
    /// Called after a replay puts deliveries back (wakes the dispatcher).
    std::function<void()> afterReplay;
    /// False while starting or shutting down: /readyz answers 503.
    const std::atomic<bool> &ready;
    /// Opens sealed SSNs, dates of birth and account numbers for an admin's
    /// unmasked read (null: they stay sealed even then).
    const privacy::FieldVault *vault;
    /// Names the RELEASE_HOLD messages an operator's release sends (null:
    /// releasing a hold reason answers 503).
    journal::UlidGenerator *ulids;
};

class AdminApi {
public:
    explicit AdminApi(AdminApiServices services);

    HttpResponse handle(const HttpRequest &request);

private:
    HttpResponse route(const config::AdminToken &token, const HttpRequest &request);
    HttpResponse releaseHold(const config::AdminToken &token, const std::string &caseId, const HttpRequest &request);

    AdminApiServices s_;
    ApiKeyVerifier verifier_;
};

/// A canonical message with personal data masked for a viewer: names, SSN,
/// birth dates, addresses' street lines, phones, e-mails, account tokens and
/// VINs (last characters kept where that helps an operator match a record).
std::string maskPersonalData(std::string_view canonicalJson);

}  // namespace lendgate::api

#endif  // LENDGATE_API_ADMIN_API_H
