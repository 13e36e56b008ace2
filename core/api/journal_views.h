// The journal's records as JSON, one shape for every reader: the admin API,
// the partner API and the CLI print the same fields under the same names.
#ifndef LENDGATE_API_JOURNAL_VIEWS_H
#define LENDGATE_API_JOURNAL_VIEWS_H

#include <nlohmann/json_fwd.hpp>

#include "core/journal/journal.h"

namespace lendgate::api {

nlohmann::ordered_json summaryJson(const journal::MessageSummary &summary);
nlohmann::ordered_json deliveryJson(const journal::DeliveryInfo &delivery);
nlohmann::ordered_json eventJson(const journal::JournalEvent &event);

}  // namespace lendgate::api

#endif  // LENDGATE_API_JOURNAL_VIEWS_H
