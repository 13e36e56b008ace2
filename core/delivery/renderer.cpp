#include "core/delivery/renderer.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

#include "core/common/redact.h"
#include "core/model/message.h"
#include "core/pgp/pgp.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kMaxRenderedBytes = 64u << 20;

Error renderError(std::string message) {
    return Error{std::string(render_errc::kRender), redactForLog(message, 500)};
}

/// Hands the plugin exactly one record.
class OneRecord final : public plugin::RecordSource {
public:
    explicit OneRecord(const std::string &json) : json_(json) {}
    bool next(std::string &json) override {
        if (done_) return false;
        json = json_;
        done_ = true;
        return true;
    }

private:
    const std::string &json_;
    bool done_ = false;
};

class StringWriter final : public plugin::ByteWriter {
public:
    void write(std::string_view bytes) override {
        // A runaway encoder must not exhaust memory; the host turns this throw
        // into an I/O failure of the call.
        if (out.size() + bytes.size() > kMaxRenderedBytes) throw std::length_error("rendered message exceeds 64 MiB");
        out.append(bytes);
    }
    std::string out;
};

}  // namespace

std::string fileExtensionFor(std::string_view mediaType) {
    std::string type(mediaType.substr(0, mediaType.find(';')));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type == "application/json" || type.ends_with("+json")) return ".json";
    if (type == "text/csv") return ".csv";
    if (type == "application/xml" || type == "text/xml" || type.ends_with("+xml")) return ".xml";
    if (type == "text/plain") return ".txt";
    return ".dat";
}

Renderer::Renderer(const config::GatewayConfig &config, plugin::PluginCatalog &catalog, const pgp::Keyring *keyring)
    : config_(config), catalog_(catalog), keyring_(keyring) {}

Result<bool> Renderer::protectFor(const config::Partner &partner, OutboundMessage &message) const {
    if (!partner.openpgp || !partner.openpgp->encryptOutbound) return false;
    const std::string context = "encrypting a " + message.messageType + " for partner " + partner.id + ": ";
    if (keyring_ == nullptr)
        return Error{std::string(pgp::errc::kSetup), context + "the gateway has no OpenPGP keyring"};
    pgp::EncryptOptions options;
    options.recipient = partner.openpgp->partnerFingerprint;
    options.armor = partner.openpgp->armor;
    journal::StringSource plain(message.body);
    // Compression keeps ciphertext near the plaintext's size; armor adds a third.
    pgp::StringSink cipher(2 * kMaxRenderedBytes);
    auto sealed = keyring_->encryptAndSign(plain, cipher, options);
    if (!sealed) return Error{sealed.error().code, context + sealed.error().message};
    message.body = std::move(cipher.bytes());
    message.fileExtension += partner.openpgp->armor ? ".asc" : ".pgp";
    message.contentType = "application/octet-stream";
    return true;
}

Result<OutboundMessage> Renderer::render(const journal::ClaimedDelivery &claimed) {
    const journal::DeliveryInfo &delivery = claimed.delivery;
    const config::Partner *partner = config_.partner(delivery.destination);
    if (partner == nullptr)
        return Error{std::string(render_errc::kUnknownPartner),
                     "destination " + redactForLog(delivery.destination, 100) + " is not a configured partner"};

    if (claimed.body.canonicalJson.empty()) {
        if (!claimed.body.blobId.empty())
            return Error{std::string(render_errc::kUnsupported),
                         "message " + delivery.messageId +
                             " is stored only as a slice of its input file; delivering such bulk records needs "
                             "decoding the slice again, which the dispatcher does not do yet"};
        return renderError("message " + delivery.messageId + " has no stored body");
    }

    model::ParseResult parsed = model::parseMessage(claimed.body.canonicalJson);
    if (!parsed.ok()) {
        std::string why = parsed.errors.empty() ? std::string("unknown problem")
                                                : parsed.errors.front().pointer + " " + parsed.errors.front().code;
        return renderError("message " + delivery.messageId + ": the stored record is not a valid canonical message (" +
                           why + ")");
    }
    model::Message message = std::move(*parsed.message);
    message.envelope.receiver = delivery.destination;
    // The journal's id is the message's identity and the receivers' idempotency
    // key; a body decoded before the id was assigned may lack it.
    message.envelope.messageId = delivery.messageId;

    auto out = renderFor(*partner, message, "message " + delivery.messageId);
    if (!out) return out;
    if (auto protectedBody = protectFor(*partner, out.value()); !protectedBody) return protectedBody.error();
    out.value().messageId = delivery.messageId;
    out.value().destination = delivery.destination;
    out.value().caseId = claimed.caseId;
    return out;
}

Result<OutboundMessage> Renderer::renderFor(const config::Partner &partner, const model::Message &message,
                                            const std::string &what) {
    OutboundMessage out;
    out.messageType = std::string(model::toString(message.type()));
    out.destination = partner.id;
    out.body = model::toCanonicalJson(message);

    const config::FormatBinding *binding = partner.outboundFormat(message.type());
    if (binding == nullptr) {
        out.contentType = "application/json";
        out.fileExtension = ".json";
        return out;
    }

    const std::string context = "plugin " + binding->plugin + " could not encode " + what;
    auto info = catalog_.info(binding->plugin);
    if (!info) return renderError(context + ": " + info.error().message);
    const auto format = std::find_if(info.value().encodes.begin(), info.value().encodes.end(),
                                     [&](const plugin::Format &f) { return f.messageType == out.messageType; });
    if (format == info.value().encodes.end())
        return renderError(context + ": the plugin does not encode " + out.messageType);

    OneRecord source(out.body);
    StringWriter writer;
    auto called = catalog_.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
        return instance.encode(out.messageType, source, writer);
    });
    if (!called) return renderError(context + ": " + called.error().message);
    const plugin::CallOutcome &outcome = called.value();
    if (!outcome.ok()) return renderError(context + ": " + outcome.code + ": " + outcome.message);
    // Encoders report a bad record and skip it; with one record that leaves
    // nothing to send, and sending nothing would look like a success.
    if (!outcome.encodeProblems.empty()) {
        const plugin::RecordProblem &problem = outcome.encodeProblems.front();
        return renderError(context + ": " + problem.code + (problem.field.empty() ? "" : " at " + problem.field) +
                           ": " + problem.message);
    }
    if (writer.out.empty()) return renderError(context + ": the plugin wrote nothing");

    out.body = std::move(writer.out);
    out.contentType = format->mediaType;
    out.fileExtension = fileExtensionFor(format->mediaType);
    return out;
}

}  // namespace lendgate::delivery
