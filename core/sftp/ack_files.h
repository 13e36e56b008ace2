// ACK and NACK files for partner files, wherever the file came from (a drop
// folder, a pull from the partner's server): rendered by the partner's `ack`
// plugin, sealed with OpenPGP when its profile asks, and written atomically
// into the folder the partner fetches its answers from (its drop folder's
// outbound/), readable by the partner's SFTP account.
#ifndef LENDGATE_SFTP_ACK_FILES_H
#define LENDGATE_SFTP_ACK_FILES_H

#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/delivery/renderer.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"

namespace lendgate::sftp {

struct AckFileServices {
    delivery::Renderer &renderer;
    Logger &logger;
    metrics::Registry &metrics;
};

/// Writes the answer to the partner's file `name` (the canonical ACK
/// `document`) as `folder`/ACK_<name> in the partner's ACK format. False on
/// failure, which is logged; the caller keeps the file and tries again.
bool writeAckFile(const AckFileServices &services, const config::Partner &partner, const std::filesystem::path &folder,
                  const std::string &name, const std::string &document);

/// The NACK of a partner file refused as a whole (nothing journaled).
/// `reference` is what the ACK names the file by; `text` must not echo
/// personal values (see redactFileName).
std::string refusalDocument(const std::string &partnerId, const std::string &reference, std::string_view code,
                            const std::string &text, journal::UlidGenerator &ulids, const Clock &clock);

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_ACK_FILES_H
