// Turning a journaled message into the bytes one destination receives.
//
// The stored canonical record gets the destination as its receiver and is
// then either sent as canonical JSON or encoded by the plugin the partner's
// profile binds to that message type. A record the plugin refuses is a
// "poison record" (RELIABILITY.md G5): the error says which plugin refused
// which message and why, and the dispatcher quarantines it.
#ifndef LENDGATE_DELIVERY_RENDERER_H
#define LENDGATE_DELIVERY_RENDERER_H

#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/config/gateway_config.h"
#include "core/delivery/transport.h"
#include "core/journal/journal.h"
#include "core/model/message.h"
#include "core/plugin/plugin_catalog.h"

namespace lendgate::delivery {

/// Error::code values of render().
namespace render_errc {
inline constexpr std::string_view kRender = "render";            ///< the record or its plugin failed
inline constexpr std::string_view kUnsupported = "unsupported";  ///< a body kept only in a blob slice
inline constexpr std::string_view kUnknownPartner = "unknown_partner";
}  // namespace render_errc

/// The file extension for a media type: .json, .csv, .xml, .txt (others .dat).
std::string fileExtensionFor(std::string_view mediaType);

class Renderer {
public:
    /// Both must outlive the renderer. render() may be called from several
    /// threads at once (the catalog hands each call its own plugin instance).
    Renderer(const config::GatewayConfig &config, plugin::PluginCatalog &catalog);

    Result<OutboundMessage> render(const journal::ClaimedDelivery &claimed);

    /// `message` (addressed to `partner`) in the format the partner's profile
    /// binds to its type, or as canonical JSON when it binds none. `what`
    /// names the record in errors.
    Result<OutboundMessage> renderFor(const config::Partner &partner, const model::Message &message,
                                      const std::string &what);

private:
    const config::GatewayConfig &config_;
    plugin::PluginCatalog &catalog_;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_RENDERER_H
