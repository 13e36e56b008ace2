// Posts journaled alerts to the operator webhook (config alerts.webhook):
// one signed JSON request per alert (api::alertJson), oldest first, each until the receiver
// answers 2xx. An alert the webhook has not taken stays due in the journal,
// so a receiver that is down gets every alert once it is back.
#ifndef LENDGATE_DELIVERY_ALERT_NOTIFIER_H
#define LENDGATE_DELIVERY_ALERT_NOTIFIER_H

#include <cstddef>
#include <string>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/delivery/transport.h"
#include "core/journal/journal.h"

namespace lendgate::delivery {

class AlertNotifier {
public:
    /// `transport` is a webhook transport; `webhook` the operator endpoint.
    AlertNotifier(journal::Journal &journal, config::Endpoint webhook, Transport &transport, const Clock &clock,
                  Logger &logger);

    /// Posts what is due; stops at the first refusal (tried again on the
    /// next call). Returns how many were taken.
    std::size_t postDue();

private:
    journal::Journal &journal_;
    config::Endpoint webhook_;
    Transport &transport_;
    const Clock &clock_;
    Logger &logger_;
    std::string lastFailure_;  // reported once, not on every pass
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_ALERT_NOTIFIER_H
