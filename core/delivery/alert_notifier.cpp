#include "core/delivery/alert_notifier.h"

#include <nlohmann/json.hpp>

#include "core/api/journal_views.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kPage = 100;

}  // namespace

AlertNotifier::AlertNotifier(journal::Journal &journal, config::Endpoint webhook, Transport &transport,
                             const Clock &clock, Logger &logger)
    : journal_(journal), webhook_(std::move(webhook)), transport_(transport), clock_(clock), logger_(logger) {}

std::size_t AlertNotifier::postDue() {
    auto due = journal_.alertsToNotify(kPage);
    if (!due) {
        logger_.log(LogLevel::Error, "alerts", "cannot read alerts to post: " + due.error().message);
        return 0;
    }
    std::size_t posted = 0;
    for (const journal::Alert &alert : due.value()) {
        OutboundMessage message;
        // The receiver drops a repeat by this key (an alert posted, then the
        // journal write that records it lost).
        message.messageId = "alert-" + std::to_string(alert.alertId);
        message.messageType = "alert";
        message.destination = "operator";
        message.caseId = alert.record.caseId;
        message.contentType = "application/json";
        message.body = api::alertJson(alert).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        const TransportResult result = transport_.send(message, webhook_);
        if (!result.delivered) {
            const std::string why = "posting alerts to the operator webhook failed (" + result.error +
                                    "); they stay due and are posted when it answers";
            if (why != lastFailure_) logger_.log(LogLevel::Warning, "alerts", why);
            lastFailure_ = why;
            break;
        }
        lastFailure_.clear();
        const std::int64_t id = alert.alertId;
        if (auto marked = journal_.markAlertsNotified(std::span<const std::int64_t>(&id, 1), clock_.nowUnixMs());
            !marked) {
            logger_.log(LogLevel::Error, "alerts", "recording a posted alert failed: " + marked.error().message);
            break;
        }
        ++posted;
    }
    return posted;
}

}  // namespace lendgate::delivery
