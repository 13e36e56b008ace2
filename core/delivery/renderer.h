// Turning a journaled message into the bytes one destination receives.
//
// The stored canonical record gets the destination as its receiver and is
// then either sent as canonical JSON or encoded by the plugin the partner's
// profile binds to that message type. A record the plugin refuses is a
// "poison record" (RELIABILITY.md G5): the error says which plugin refused
// which message and why, and the dispatcher quarantines it.
#ifndef LENDGATE_DELIVERY_RENDERER_H
#define LENDGATE_DELIVERY_RENDERER_H

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.h"
#include "core/config/gateway_config.h"
#include "core/delivery/transport.h"
#include "core/journal/journal.h"
#include "core/model/message.h"
#include "core/plugin/plugin_catalog.h"

namespace lendgate::pgp {
class Keyring;
}
namespace lendgate::privacy {
class FieldVault;
}

namespace lendgate::delivery {

/// Error::code values of render().
namespace render_errc {
inline constexpr std::string_view kRender = "render";            ///< the record or its plugin failed
inline constexpr std::string_view kUnsupported = "unsupported";  ///< a body kept only in a blob slice
inline constexpr std::string_view kUnknownPartner = "unknown_partner";
}  // namespace render_errc

/// The file extension for a media type: .json, .csv, .xml, .txt (others .dat).
std::string fileExtensionFor(std::string_view mediaType);

/// Many deliveries rendered as one file (renderFile()).
struct RenderedFile {
    OutboundMessage file;               ///< the whole file; the caller names it
    std::string plainExtension;         ///< the plugin's extension, before OpenPGP added .pgp or .asc
    std::vector<std::size_t> included;  ///< the records in the file: indexes into the claims, in file order
    std::vector<std::pair<std::size_t, Error>> refused;  ///< records left out (poison, G5), with why
};

/// What renderCanonicalTo() wrote.
struct EncodedFormat {
    std::string contentType;
    std::string fileExtension;
};

class Renderer {
public:
    /// Both must outlive the renderer. render() may be called from several
    /// threads at once (the catalog hands each call its own plugin instance).
    /// `keyring` (may be null when no partner uses OpenPGP) must outlive it
    /// too, and so must `vault` (null: no destination gets SSN, date of birth
    /// or account number back; see core/privacy/field_vault.h).
    Renderer(const config::GatewayConfig &config, plugin::PluginCatalog &catalog, const pgp::Keyring *keyring = nullptr,
             const privacy::FieldVault *vault = nullptr);

    /// The message as its destination receives it: renderFor(), then
    /// protectFor() (encrypted when the partner's profile says so).
    Result<OutboundMessage> render(const journal::ClaimedDelivery &claimed);

    /// Deliveries to one partner, all of one message type the partner's
    /// profile binds to a plugin, as one file: the plugin writes one header,
    /// the records in the order given, and one trailer whose totals cover
    /// exactly the records it wrote. A record that cannot be rendered is left
    /// out and listed in `refused`; the others still make the file. An error
    /// means no file at all (the plugin or OpenPGP failed, or no record fits).
    Result<RenderedFile> renderFile(std::span<const journal::ClaimedDelivery> claims);

    /// `message` (addressed to `partner`) in the format the partner's profile
    /// binds to its type, or as canonical JSON when it binds none. `what`
    /// names the record in errors.
    Result<OutboundMessage> renderFor(const config::Partner &partner, const model::Message &message,
                                      const std::string &what);
    /// The same for a document the gateway wrote itself and knows to be
    /// canonical (an ACK): no parse and re-serialization, which for a
    /// million-record file's ACK cost more memory than anything else.
    Result<OutboundMessage> renderCanonical(const config::Partner &partner, model::MessageType type,
                                            std::string canonicalJson, const std::string &what);
    /// The same, written to `to` as the plugin makes it, with no cap on its
    /// size (the caller's sink decides): an ACK file for a million records
    /// goes to disk, not through memory. A plugin that takes an ACK in slices
    /// (LENDGATE_CAP_ACK_SLICES) gets it a thousand records at a time. On an
    /// error `to` may hold part of the output.
    Result<EncodedFormat> renderCanonicalTo(const config::Partner &partner, model::MessageType type,
                                            std::string_view canonicalJson, const std::string &what,
                                            plugin::ByteWriter &to);

    /// For a partner with openpgp.encrypt_outbound: the body encrypted to the
    /// partner's pinned key and signed with the gateway's, the extension
    /// gaining .pgp (.asc when armored), the content type
    /// application/octet-stream. Unchanged for other partners. Fails (never
    /// sending plaintext instead) with a pgp_* code when it cannot encrypt.
    Result<bool> protectFor(const config::Partner &partner, OutboundMessage &message) const;

private:
    /// The stored record of a delivery, addressed to its destination.
    /// The stored message as `partner` may see it: addressed to it, with the
    /// personal fields its role allows put back.
    Result<model::Message> prepare(const config::Partner &partner, const journal::ClaimedDelivery &claimed) const;

    const config::GatewayConfig &config_;
    plugin::PluginCatalog &catalog_;
    const pgp::Keyring *keyring_;
    const privacy::FieldVault *vault_;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_RENDERER_H
