#include "core/api/partner_api.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/api/journal_views.h"
#include "core/common/redact.h"
#include "core/delivery/dispatcher.h"
#include "core/delivery/renderer.h"
#include "core/model/envelope.h"
#include "core/model/message.h"
#include "core/security/encoding.h"
#include "core/security/hmac.h"

namespace lendgate::api {
namespace {

using nlohmann::json;

HttpResponse jsonResponse(int status, std::string body) {
    return HttpResponse{status, "application/json", std::move(body), {}};
}

// "/v1/messages/ID" → "ID" when `path` is `prefix` + one segment.
std::optional<std::string> segmentAfter(const std::string &path, std::string_view prefix) {
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    auto rest = path.substr(prefix.size());
    if (rest.find('/') != std::string::npos) return std::nullopt;
    return rest;
}

bool mediaTypeMatches(std::string contentType, const std::string &expected) {
    if (auto semi = contentType.find(';'); semi != std::string::npos) contentType.resize(semi);
    while (!contentType.empty() && contentType.back() == ' ') contentType.pop_back();
    for (auto &c : contentType) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return contentType == expected;
}

}  // namespace

Result<std::unique_ptr<PartnerApi>> PartnerApi::create(PartnerApiServices services) {
    std::vector<StoredApiKey> keys;
    for (const auto &partner : services.config.partners)
        for (const auto &key : partner.apiKeys)
            keys.push_back({partner.id, key.id, key.prefix, key.sha256Hex, key.expiresAtUnix});
    auto outboxKey = security::deriveKey(services.keys.tokenKey(), "lendgate/outbox-item/v1");
    if (!outboxKey) return outboxKey.error();
    std::string keyBytes(reinterpret_cast<const char *>(outboxKey.value().bytes().data()),
                         outboxKey.value().bytes().size());
    return std::unique_ptr<PartnerApi>(new PartnerApi(std::move(services), ApiKeyVerifier(std::move(keys)), keyBytes));
}

HttpResponse PartnerApi::handle(const HttpRequest &request) {
    if (request.path == "/healthz") return jsonResponse(200, R"({"status":"ok"})");
    const auto authorization = request.header("authorization");
    const auto token = ApiKeyVerifier::bearerToken(authorization);
    std::optional<StoredApiKey> key;
    std::optional<StoredApiKey> expired;
    if (token) key = keys_.verify(*token, s_.clock.nowUnixMs() / 1000, expired);
    if (expired)
        s_.logger.log(LogLevel::Warning, "audit",
                      "API key " + expired->keyId + " of partner " + expired->partnerId + " refused: expired");
    if (!key) {
        s_.metrics.increment("lendgate_api_unauthenticated_total");
        return HttpResponse{
            401,
            "application/json",
            R"json({"error":{"code":"unauthenticated","message":"a valid API key is required (Authorization: Bearer)"}})json",
            {{"WWW-Authenticate", "Bearer"}}};
    }
    const auto *partner = s_.config.partner(key->partnerId);
    if (partner == nullptr) return jsonError(401, "unauthenticated", "the key's partner is not configured");
    // The pin binds the key to a certificate: a stolen key alone is not enough.
    if (!partner->clientCertificateSha256.empty() &&
        request.clientCertificateSha256 != partner->clientCertificateSha256) {
        s_.logger.log(LogLevel::Warning, "audit",
                      "partner " + partner->id + " refused: " +
                          (request.clientCertificateSha256.empty() ? "no client certificate"
                                                                   : "client certificate is not the pinned one"));
        return jsonError(403, "client_certificate",
                         "partner " + partner->id + " must connect with its pinned client certificate");
    }

    if (request.path == "/v1/messages") {
        if (request.method != "POST") return jsonError(405, "method_not_allowed", "use POST");
        return submit(*partner, request);
    }
    if (auto id = segmentAfter(request.path, "/v1/messages/"); id && request.method == "GET")
        return getMessage(*partner, *id, request);
    if (auto id = segmentAfter(request.path, "/v1/acks/"); id && request.method == "GET")
        return getAck(*partner, *id, request);
    if (request.path == "/v1/outbox" && request.method == "GET") return pullOutbox(*partner, request);
    if (request.path.starts_with("/v1/outbox/") && request.path.ends_with("/ack") && request.method == "POST") {
        auto item = request.path.substr(11, request.path.size() - 11 - 4);
        return ackOutbox(*partner, item);
    }
    return jsonError(404, "not_found", "no such resource");
}

HttpResponse PartnerApi::submit(const config::Partner &partner, const HttpRequest &request) {
    bool httpChannel = false;
    for (const auto &channel : partner.channels) httpChannel |= channel.type == config::InboundChannel::Type::Http;
    if (!httpChannel)
        return jsonError(403, "channel_not_allowed", "partner " + partner.id + " does not submit over HTTP");

    if (partner.signatureRequired) {
        static const std::vector<SigningSecret> kNone;
        const auto found = s_.signingSecrets.find(partner.id);
        const auto &secrets = found == s_.signingSecrets.end() ? kNone : found->second;
        const auto check = verifyRotatingSignature(request.header("lendgate-signature"), request.body, secrets,
                                                   s_.clock.nowUnixMs() / 1000);
        if (check != SignatureCheck::Valid) {
            s_.logger.log(LogLevel::Warning, "audit",
                          "signature refused for partner " + partner.id + ": " + std::string(toString(check)));
            return jsonError(401, "bad_signature",
                             "the Lendgate-Signature header is " + std::string(toString(check)) +
                                 " (sign \"timestamp.rawbody\" with HMAC-SHA256, within 300 s)");
        }
    }

    intake::IntakeRequest intake;
    intake.sender = partner.id;
    auto typeName = request.param("type");
    if (!typeName || typeName->empty()) {
        auto header = request.header("lendgate-message-type");
        if (!header.empty()) typeName = header;
    }
    if (typeName && !typeName->empty()) {
        intake.declaredType = model::messageTypeFromString(*typeName);
        if (!intake.declaredType) return jsonError(400, "unknown_type", "unknown message type: " + *typeName);
    }
    // The body must be in the media type the partner's plugin reads.
    const config::FormatBinding *binding = intake.declaredType
                                               ? partner.inboundFormat(*intake.declaredType)
                                               : (partner.inbound.empty() ? nullptr : &partner.inbound.front());
    if (binding != nullptr) {
        if (auto info = s_.plugins.info(binding->plugin)) {
            bool known = false, matches = false;
            for (const auto &format : info.value().decodes) {
                if (!intake.declaredType || format.messageType == toString(*intake.declaredType)) {
                    known = true;
                    matches |= mediaTypeMatches(request.header("content-type"), format.mediaType);
                }
            }
            if (known && !matches)
                return jsonError(415, "unsupported_media_type",
                                 "partner " + partner.id + " submits " + info.value().decodes.front().mediaType);
        }
    }
    const auto key = request.header("idempotency-key");
    if (key.size() > 255) return jsonError(400, "bad_idempotency_key", "Idempotency-Key is longer than 255 characters");
    for (const char c : key)
        if (c < 0x21 || c > 0x7e)
            return jsonError(400, "bad_idempotency_key", "Idempotency-Key must be printable ASCII without spaces");
    intake.idempotencyKey = key;
    intake.reference = key;
    intake.body = request.body;
    auto response = s_.intake.ingest(intake);
    const bool hasAck =
        response.status == intake::IntakeStatus::Accepted || response.status == intake::IntakeStatus::Partial ||
        response.status == intake::IntakeStatus::Rejected || response.status == intake::IntakeStatus::Unusable;
    HttpResponse out =
        hasAck
            ? ackResponse(partner, intake::httpStatusOf(response.status), response.document)
            : HttpResponse{intake::httpStatusOf(response.status), "application/json", std::move(response.document), {}};
    if (response.replayed) out.headers.emplace_back("Idempotent-Replayed", "true");
    if (!response.submissionId.empty()) out.headers.emplace_back("Location", "/v1/acks/" + response.submissionId);
    if (response.status == intake::IntakeStatus::Unavailable) out.headers.emplace_back("Retry-After", "5");
    return out;
}

HttpResponse PartnerApi::notFound(const config::Partner &partner, const HttpRequest &request) {
    // Not the partner's, or not there: the same answer, and an audit entry
    // (reading another partner's IDs is how an IDOR probe looks; G11). The
    // path is the partner's own input, so only its hash goes in the chain.
    // The answer does not wait for the entry: a missing one is logged.
    s_.logger.log(LogLevel::Warning, "audit",
                  "partner " + partner.id + " asked for " + redactForLog(request.path) + ": not found or not theirs");
    s_.metrics.increment("lendgate_api_not_found_total", {{"partner", partner.id}});
    if (!audited(partner, "partner.denied", "", request.path))
        s_.logger.log(LogLevel::Error, "audit", "a refused read by partner " + partner.id + " could not be chained");
    return jsonError(404, "not_found", "no such resource");
}

HttpResponse PartnerApi::getMessage(const config::Partner &partner, const std::string &id, const HttpRequest &request) {
    auto message = s_.journal.message(id, partner.id);
    if (!message) {
        if (message.error().code == journal::errc::kUnavailable)
            return jsonError(503, "unavailable", "try again later");
        return notFound(partner, request);
    }
    auto out = summaryJson(message.value().summary);
    if (message.value().summary.sender != partner.id) {
        // The sender's own references (which may embed its account numbers)
        // are not the destination's business.
        out.erase("idempotency_key");
        out.erase("submission_id");
        out.erase("record");
    }
    // A partner sees its own message, or the copy meant for it; other
    // destinations' delivery states are not its business.
    if (auto deliveries = s_.journal.deliveriesOf(id)) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto &d : deliveries.value())
            if (d.destination == partner.id || message.value().summary.sender == partner.id)
                list.push_back(
                    {{"destination", d.destination}, {"state", journal::toString(d.state)}, {"attempts", d.attempts}});
        out["deliveries"] = list;
    }
    if (!audited(partner, "partner.read_message", id)) return auditUnavailable();
    return jsonResponse(200, out.dump());
}

HttpResponse PartnerApi::getAck(const config::Partner &partner, const std::string &id, const HttpRequest &request) {
    auto submission = s_.journal.submission(id, partner.id);
    if (!submission) {
        if (submission.error().code == journal::errc::kUnavailable)
            return jsonError(503, "unavailable", "try again later");
        return notFound(partner, request);
    }
    if (!audited(partner, "partner.read_ack", id)) return auditUnavailable();
    return ackResponse(partner, 200, submission.value().resultDocument);
}

bool PartnerApi::audited(const config::Partner &partner, std::string_view action, std::string_view target,
                         std::string_view detail) {
    return s_.journal
        .appendAudit({"partner:" + partner.id, std::string(action), std::string(target), std::string(detail), 0})
        .ok();
}

HttpResponse PartnerApi::auditUnavailable() {
    return jsonError(503, "unavailable", "try again later");
}

HttpResponse PartnerApi::ackResponse(const config::Partner &partner, int status, const std::string &document) {
    // The journal keeps the canonical ACK; the partner reads it in the format
    // its profile binds to `ack`. The records are committed whatever happens
    // here, so a rendering failure must not hide the answer: the canonical
    // form goes out, marked, and the operator is told.
    auto fallback = [&](const std::string &why) {
        s_.logger.log(LogLevel::Error, "intake",
                      "the ACK for partner " + partner.id + " went out as canonical JSON: " + why);
        s_.metrics.increment("lendgate_ack_render_failures_total", {{"partner", partner.id}});
        HttpResponse out = jsonResponse(status, document);
        out.headers.emplace_back("Lendgate-Ack-Format", "canonical");
        return out;
    };
    auto parsed = model::parseMessage(document);
    if (!parsed.ok())
        return fallback("the stored ACK is not a valid canonical ack (" +
                        (parsed.errors.empty() ? std::string("unknown")
                                               : parsed.errors.front().pointer + " " + parsed.errors.front().code) +
                        ")");
    auto rendered = s_.renderer.renderFor(partner, *parsed.message, "the ACK");
    if (!rendered) return fallback(rendered.error().message);
    return HttpResponse{status, rendered.value().contentType, std::move(rendered.value().body), {}};
}

std::string PartnerApi::outboxItemId(const std::string &partner, std::int64_t deliveryId, std::int64_t claim) const {
    // The item id carries the claim and a MAC over (partner, delivery, claim):
    // a partner can acknowledge only what was handed to it.
    const auto base = std::to_string(deliveryId) + "." + std::to_string(claim);
    security::HmacSha256 mac(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t *>(outboxKey_.data()), outboxKey_.size()));
    mac.update(partner + "\n" + base);
    auto digest = mac.finish();
    if (!digest) return base + ".x";
    return base + "." + security::toHex(std::span<const std::uint8_t>(digest.value().data(), 16));
}

HttpResponse PartnerApi::pullOutbox(const config::Partner &partner, const HttpRequest &request) {
    bool pulls = false;
    for (const auto &endpoint : partner.endpoints) pulls |= endpoint.type == config::Endpoint::Type::Pull;
    if (!pulls) return jsonError(403, "no_outbox", "partner " + partner.id + " receives by push, not from an outbox");
    std::size_t limit = 100;
    if (auto l = request.param("limit")) {
        try {
            limit = std::clamp<std::size_t>(std::stoul(*l), 1, 500);
        } catch (const std::exception &) {
            return jsonError(400, "bad_limit", "limit must be a number from 1 to 500");
        }
    }
    journal::ClaimQuery query;
    query.nowMs = s_.clock.nowUnixMs();
    query.limit = limit;
    query.leaseMs = s_.outboxVisibilityMs;
    query.destinations = {partner.id};
    auto claimed = s_.journal.claimDue(query);
    if (!claimed) return jsonError(503, "unavailable", "the outbox cannot be read right now; try again later");
    json items = json::array();
    std::int64_t last = 0;
    for (const auto &c : claimed.value()) {
        auto rendered = s_.renderer.render(c);
        if (!rendered) {
            s_.dispatcher.reportFailure(c, rendered.error().code + ": " + rendered.error().message);
            continue;
        }
        last = c.delivery.deliveryId;
        items.push_back({{"id", outboxItemId(partner.id, c.delivery.deliveryId, c.claim)},
                         {"message_id", c.delivery.messageId},
                         {"message_type", c.delivery.messageType},
                         {"case_id", c.caseId},
                         {"content_type", rendered.value().contentType},
                         {"body", rendered.value().body}});
    }
    std::string handedOut;  // ids only: the detail hash must not be a hash of personal data
    for (const auto &item : items) handedOut += item["message_id"].get<std::string>() + "\n";
    if (!items.empty() && !audited(partner, "partner.pull_outbox", partner.id, handedOut))
        return auditUnavailable();  // the claims lapse and the items are handed out again
    json doc{{"items", items}, {"visibility_timeout_ms", s_.outboxVisibilityMs}};
    if (last != 0) doc["cursor"] = std::to_string(last);
    return jsonResponse(200, doc.dump());
}

HttpResponse PartnerApi::ackOutbox(const config::Partner &partner, const std::string &itemId) {
    const auto firstDot = itemId.find('.');
    const auto secondDot = itemId.find('.', firstDot == std::string::npos ? 0 : firstDot + 1);
    if (firstDot == std::string::npos || secondDot == std::string::npos)
        return jsonError(404, "not_found", "no such outbox item");
    std::int64_t deliveryId = 0, claim = 0;
    try {
        deliveryId = std::stoll(itemId.substr(0, firstDot));
        claim = std::stoll(itemId.substr(firstDot + 1, secondDot - firstDot - 1));
    } catch (const std::exception &) {
        return jsonError(404, "not_found", "no such outbox item");
    }
    const auto expected = outboxItemId(partner.id, deliveryId, claim);
    if (expected.size() != itemId.size() || CRYPTO_memcmp(expected.data(), itemId.data(), expected.size()) != 0)
        return jsonError(404, "not_found", "no such outbox item");
    journal::DeliveryOutcome done{deliveryId, claim, journal::OutcomeKind::Delivered, s_.clock.nowUnixMs(), 200, -1,
                                  {},         0};
    auto marked = s_.journal.markDelivered(done);
    if (!marked) {
        if (marked.error().code == journal::errc::kStaleClaim)
            return jsonError(409, "stale", "the item's visibility timeout passed; pull the outbox again");
        if (marked.error().code == journal::errc::kUnavailable) return jsonError(503, "unavailable", "try again later");
        return jsonError(404, "not_found", "no such outbox item");
    }
    s_.metrics.increment("lendgate_messages_delivered_total", {{"destination", partner.id}, {"type", "pull"}});
    return jsonResponse(200, R"({"status":"delivered"})");
}

}  // namespace lendgate::api
