#include "core/delivery/renderer.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

#include "core/common/redact.h"
#include "core/delivery/ack_slices.h"
#include "core/model/message.h"
#include "core/pgp/pgp.h"
#include "core/privacy/field_vault.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kMaxRenderedBytes = 64u << 20;

Error renderError(std::string message) {
    return Error{std::string(render_errc::kRender), redactForLog(message, 500)};
}

/// Hands the plugin one ACK a slice at a time (LENDGATE_CAP_ACK_SLICES).
class AckSliceSource final : public plugin::RecordSource {
public:
    explicit AckSliceSource(std::string_view document) : slices_(document, kAckSliceRecords) {}
    bool next(std::string &json) override { return slices_.next(json); }

private:
    // About 130 KB of JSON a slice: small enough that no plugin's tree of it
    // matters, large enough that the per-record cost is the records'.
    static constexpr std::size_t kAckSliceRecords = 1000;
    AckSlices slices_;
};

/// Counts what the plugin wrote: writing nothing is a failure.
class CountingWriter final : public plugin::ByteWriter {
public:
    explicit CountingWriter(plugin::ByteWriter &to) : to_(to) {}
    void write(std::string_view bytes) override {
        to_.write(bytes);
        written += bytes.size();
    }
    std::size_t written = 0;

private:
    plugin::ByteWriter &to_;
};

/// Hands the plugin a file's records in order and counts them, so the
/// plugin's 1-based record numbers map back to the deliveries.
class ManyRecords final : public plugin::RecordSource {
public:
    explicit ManyRecords(const std::vector<std::string> &records) : records_(records) {}
    bool next(std::string &json) override {
        if (next_ == records_.size()) return false;
        json = records_[next_++];
        return true;
    }

private:
    const std::vector<std::string> &records_;
    std::size_t next_ = 0;
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

Renderer::Renderer(const config::GatewayConfig &config, plugin::PluginCatalog &catalog, const pgp::Keyring *keyring,
                   const privacy::FieldVault *vault)
    : config_(config), catalog_(catalog), keyring_(keyring), vault_(vault) {}

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
    auto message = prepare(*partner, claimed);
    if (!message) return message.error();

    auto out = renderFor(*partner, message.value(), "message " + delivery.messageId);
    if (!out) return out;
    if (auto protectedBody = protectFor(*partner, out.value()); !protectedBody) return protectedBody.error();
    out.value().messageId = delivery.messageId;
    out.value().destination = delivery.destination;
    out.value().caseId = claimed.caseId;
    return out;
}

Result<RenderedFile> Renderer::renderFile(std::span<const journal::ClaimedDelivery> claims) {
    if (claims.empty()) return renderError("a batch file needs at least one record");
    const std::string &destination = claims.front().delivery.destination;
    const std::string &messageType = claims.front().delivery.messageType;
    const config::Partner *partner = config_.partner(destination);
    if (partner == nullptr)
        return Error{std::string(render_errc::kUnknownPartner),
                     "destination " + redactForLog(destination, 100) + " is not a configured partner"};
    const auto type = model::messageTypeFromString(messageType);
    const config::FormatBinding *binding = type ? partner->outboundFormat(*type) : nullptr;
    if (binding == nullptr)
        return renderError("partner " + partner->id + " binds no plugin to " + messageType + ": it has no batch files");

    RenderedFile out;
    std::vector<std::string> records;
    std::vector<std::size_t> recordClaim;  // records[i] is claims[recordClaim[i]]
    for (std::size_t i = 0; i < claims.size(); ++i) {
        const journal::DeliveryInfo &d = claims[i].delivery;
        if (d.destination != destination || d.messageType != messageType) {
            out.refused.emplace_back(i, renderError("message " + d.messageId + " is a " + d.messageType + " to " +
                                                    d.destination + ", not part of this file"));
            continue;
        }
        auto message = prepare(*partner, claims[i]);
        if (!message) {
            out.refused.emplace_back(i, message.error());
            continue;
        }
        records.push_back(model::toCanonicalJson(message.value()));
        recordClaim.push_back(i);
    }
    if (records.empty()) return out;

    const std::string context = "plugin " + binding->plugin + " could not encode a " + messageType + " file";
    auto info = catalog_.info(binding->plugin);
    if (!info) return renderError(context + ": " + info.error().message);
    const auto format = std::find_if(info.value().encodes.begin(), info.value().encodes.end(),
                                     [&](const plugin::Format &f) { return f.messageType == messageType; });
    if (format == info.value().encodes.end()) return renderError(context + ": the plugin does not encode it");

    ManyRecords source(records);
    StringWriter writer;
    auto called = catalog_.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
        return instance.encode(messageType, source, writer);
    });
    if (!called) return renderError(context + ": " + called.error().message);
    const plugin::CallOutcome &outcome = called.value();
    if (!outcome.ok()) return renderError(context + ": " + outcome.code + ": " + outcome.message);
    // The plugin skipped these records; the file and its trailer hold the rest.
    std::vector<bool> skipped(records.size(), false);
    for (const plugin::RecordProblem &problem : outcome.encodeProblems) {
        if (problem.where.record == 0 || problem.where.record > records.size())
            return renderError(context + ": it refused a record without saying which (" + problem.code + ")");
        const std::size_t r = problem.where.record - 1;
        if (skipped[r]) continue;
        skipped[r] = true;
        out.refused.emplace_back(
            recordClaim[r],
            renderError("plugin " + binding->plugin + " could not encode message " +
                        claims[recordClaim[r]].delivery.messageId + ": " + problem.code +
                        (problem.field.empty() ? "" : " at " + problem.field) + ": " + problem.message));
    }
    for (std::size_t r = 0; r < records.size(); ++r)
        if (!skipped[r]) out.included.push_back(recordClaim[r]);
    if (out.included.empty()) return out;
    if (writer.out.empty()) return renderError(context + ": the plugin wrote nothing");

    out.file.messageType = messageType;
    out.file.destination = destination;
    out.file.body = std::move(writer.out);
    out.file.contentType = format->mediaType;
    out.file.fileExtension = fileExtensionFor(format->mediaType);
    out.plainExtension = out.file.fileExtension;
    if (auto protectedBody = protectFor(*partner, out.file); !protectedBody) return protectedBody.error();
    return out;
}

Result<model::Message> Renderer::prepare(const config::Partner &partner,
                                         const journal::ClaimedDelivery &claimed) const {
    const journal::DeliveryInfo &delivery = claimed.delivery;
    if (claimed.body.canonicalJson.empty()) {
        if (!claimed.body.blobId.empty())
            return Error{std::string(render_errc::kUnsupported),
                         "message " + delivery.messageId +
                             " is stored only as a slice of its input file; delivering such bulk records needs "
                             "decoding the slice again, which the dispatcher does not do yet"};
        return renderError("message " + delivery.messageId + " has no stored body");
    }

    if (claimed.body.canonicalJson == journal::kErasedBody)
        return renderError("message " + delivery.messageId +
                           " was erased under the retention policy: there is nothing left to send");
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
    if (vault_ != nullptr) {
        auto restored =
            vault_->restoreFor(partner, message, delivery.messageId, claimed.body.sealedFields, claimed.caseId);
        // Retrying cannot bring a destroyed key back: a poison record (G5).
        if (!restored) return renderError("message " + delivery.messageId + ": " + restored.error().message);
    }
    return message;
}

Result<OutboundMessage> Renderer::renderFor(const config::Partner &partner, const model::Message &message,
                                            const std::string &what) {
    return renderCanonical(partner, message.type(), model::toCanonicalJson(message), what);
}

Result<OutboundMessage> Renderer::renderCanonical(const config::Partner &partner, model::MessageType type,
                                                  std::string canonicalJson, const std::string &what) {
    OutboundMessage out;
    out.messageType = std::string(model::toString(type));
    out.destination = partner.id;
    out.body = std::move(canonicalJson);
    if (partner.outboundFormat(type) == nullptr) {
        out.contentType = "application/json";
        out.fileExtension = ".json";
        return out;
    }
    StringWriter writer;
    auto format = renderCanonicalTo(partner, type, out.body, what, writer);
    if (!format) return format.error();
    out.body = std::move(writer.out);
    out.contentType = std::move(format.value().contentType);
    out.fileExtension = std::move(format.value().fileExtension);
    return out;
}

Result<EncodedFormat> Renderer::renderCanonicalTo(const config::Partner &partner, model::MessageType type,
                                                  std::string_view canonicalJson, const std::string &what,
                                                  plugin::ByteWriter &to) {
    const std::string messageType(model::toString(type));
    const config::FormatBinding *binding = partner.outboundFormat(type);
    if (binding == nullptr) {
        to.write(canonicalJson);
        return EncodedFormat{"application/json", ".json"};
    }

    const std::string context = "plugin " + binding->plugin + " could not encode " + what;
    auto info = catalog_.info(binding->plugin);
    if (!info) return renderError(context + ": " + info.error().message);
    const auto format = std::find_if(info.value().encodes.begin(), info.value().encodes.end(),
                                     [&](const plugin::Format &f) { return f.messageType == messageType; });
    if (format == info.value().encodes.end())
        return renderError(context + ": the plugin does not encode " + messageType);

    plugin::OneRecordSource whole(canonicalJson);
    AckSliceSource slices(canonicalJson);
    plugin::RecordSource &source = type == model::MessageType::Ack && info.value().takesAckSlices()
                                       ? static_cast<plugin::RecordSource &>(slices)
                                       : whole;
    CountingWriter writer(to);
    auto called = catalog_.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
        return instance.encode(messageType, source, writer);
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
    if (writer.written == 0) return renderError(context + ": the plugin wrote nothing");
    return EncodedFormat{format->mediaType, fileExtensionFor(format->mediaType)};
}

}  // namespace lendgate::delivery
