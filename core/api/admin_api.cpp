#include "core/api/admin_api.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/api/journal_views.h"
#include "core/api/request_auth.h"
#include "core/common/redact.h"
#include "core/journal/purge_ledger.h"
#include "core/lifecycle/hold_release.h"
#include "core/privacy/field_vault.h"

namespace lendgate::api {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using Role = config::AdminToken::Role;

HttpResponse ok(const ordered_json &doc) {
    return HttpResponse{200, "application/json", doc.dump(), {}};
}

std::string_view roleName(Role role) {
    switch (role) {
        case Role::Viewer: return "viewer";
        case Role::Operator: return "operator";
        case Role::Admin: return "admin";
    }
    return "viewer";
}

// Admin tokens are checked exactly as partner API keys are (prefix lookup,
// SHA-256, constant-time compare); the key id names the token.
ApiKeyVerifier adminVerifier(const config::GatewayConfig &config) {
    std::vector<StoredApiKey> keys;
    for (const auto &token : config.adminTokens)
        keys.push_back({"admin", token.id, token.prefix, token.sha256Hex, std::nullopt});
    return ApiKeyVerifier(std::move(keys));
}

HttpResponse journalError(const Error &error) {
    if (error.code == journal::errc::kNotFound) return jsonError(404, "not_found", "no such resource");
    if (error.code == journal::errc::kInvalidArgument) return jsonError(400, "invalid_argument", error.message);
    if (error.code == journal::errc::kUnavailable) return jsonError(503, "unavailable", "the journal is unavailable");
    if (error.code == journal::errc::kInvalidState) return jsonError(409, "invalid_state", error.message);
    return jsonError(500, "internal", error.message);
}

ordered_json holdsJson(const std::vector<policy::HoldReason> &reasons) {
    ordered_json out = ordered_json::array();
    for (const policy::HoldReason &reason : reasons) {
        ordered_json item{
            {"kind", policy::toString(reason.kind)}, {"key", reason.key}, {"since", reason.since.toString()}};
        if (reason.lastDay) item["last_day"] = reason.lastDay->toString();
        out.push_back(std::move(item));
    }
    return out;
}

std::optional<std::string> segment(const std::string &path, std::string_view prefix, std::string_view suffix = {}) {
    if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    auto middle = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    if (middle.find('/') != std::string::npos) return std::nullopt;
    return middle;
}

// Keys whose string values are personal data, by JSON member name.
const std::set<std::string, std::less<>> &maskedKeys() {
    static const std::set<std::string, std::less<>> keys{
        "first", "middle",  "last",  "suffix",      "full_name", "ssn",   "ssn_last4",     "date_of_birth",  "dob",
        "line1", "line2",   "phone", "number",      "narrative", "email", "account_token", "account_number", "vin",
        "plate", "summary", "note",  "outcome_note"};
    return keys;
}

void mask(json &node) {
    if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it.value().is_string() && maskedKeys().contains(it.key())) {
                const auto value = it.value().get<std::string>();
                it.value() =
                    it.key() == "vin" && value.size() > 6 ? "***" + value.substr(value.size() - 6) : maskValue(value);
            } else {
                mask(it.value());
            }
        }
    } else if (node.is_array()) {
        for (auto &item : node) mask(item);
    }
}

// A path segment that must be a whole decimal number (delivery, alert ids).
std::optional<std::int64_t> numericId(const std::string &text) {
    char *end = nullptr;
    const auto value = std::strtoll(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0') return std::nullopt;
    return value;
}

}  // namespace

std::string maskPersonalData(std::string_view canonicalJson) {
    auto doc = json::parse(canonicalJson, nullptr, false);
    if (doc.is_discarded()) return "{}";
    mask(doc);
    return doc.dump();
}

AdminApi::AdminApi(AdminApiServices services) : s_(std::move(services)), verifier_(adminVerifier(s_.config)) {}

HttpResponse AdminApi::handle(const HttpRequest &request) {
    if (request.path == "/healthz") return ok({{"status", "ok"}});
    if (request.path == "/readyz") {
        if (!s_.ready.load()) return jsonError(503, "not_ready", "starting or shutting down");
        journal::MessageQuery probe;
        probe.limit = 1;
        if (!s_.journal.listMessages(probe)) return jsonError(503, "journal_unavailable", "the journal cannot be read");
        return ok({{"status", "ready"}});
    }
    if (request.path == "/metrics")
        return HttpResponse{200, "text/plain; version=0.0.4", s_.metrics.renderPrometheus(), {}};
    if (!request.path.starts_with("/admin/v1/")) return jsonError(404, "not_found", "no such resource");
    const auto authorization = request.header("authorization");
    const auto bearer = ApiKeyVerifier::bearerToken(authorization);
    const auto key = bearer ? verifier_.verify(*bearer) : std::nullopt;
    const config::AdminToken *token = nullptr;
    if (key)
        for (const auto &candidate : s_.config.adminTokens)
            if (candidate.id == key->keyId) token = &candidate;
    if (token == nullptr) {
        s_.logger.log(
            LogLevel::Warning, "audit",
            "admin API refused a request without a valid token: " + redactForLog(request.method + " " + request.path));
        return HttpResponse{401,
                            "application/json",
                            R"({"error":{"code":"unauthenticated","message":"an admin token is required"}})",
                            {{"WWW-Authenticate", "Bearer"}}};
    }
    s_.logger.log(
        LogLevel::Info, "audit",
        "admin " + token->id + " (" + std::string(roleName(token->role)) + "): " +
            redactForLog(request.method + " " + request.path + (request.query.empty() ? "" : "?" + request.query)));
    return route(*token, request);
}

HttpResponse AdminApi::route(const config::AdminToken &token, const HttpRequest &request) {
    const auto &path = request.path;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    auto forbidden = [&](std::string_view need) {
        return jsonError(403, "forbidden", "this needs the " + std::string(need) + " role");
    };
    const bool canOperate = token.role != Role::Viewer;
    // An audit entry per read of personal data and per change (G14). A read
    // that cannot be audited is not served.
    auto audited = [&](std::string_view action, std::string_view target) {
        return s_.journal
            .appendAudit({"admin:" + token.id, std::string(action), std::string(target),
                          request.method + " " + path + "?" + request.query, 0})
            .ok();
    };
    const auto auditUnavailable = [] { return jsonError(503, "unavailable", "the audit log cannot be written"); };

    if (get && path == "/admin/v1/messages") {
        journal::MessageQuery query;
        query.sender = request.param("partner");
        query.destination = request.param("destination");
        if (auto state = request.param("state")) {
            query.state = journal::messageStateFromString(*state);
            if (!query.state) return jsonError(400, "bad_state", "unknown state: " + *state);
        }
        query.afterMessageId = request.param("after").value_or("");
        if (auto limit = request.param("limit"))
            query.limit = std::clamp<std::size_t>(std::strtoul(limit->c_str(), nullptr, 10), 1, 1000);
        auto list = s_.journal.listMessages(query);
        if (!list) return journalError(list.error());
        ordered_json items = ordered_json::array();
        for (const auto &m : list.value()) items.push_back(summaryJson(m));
        return ok({{"messages", items}});
    }
    if (auto id = segment(path, "/admin/v1/messages/"); get && id) {
        auto message = s_.journal.message(*id, std::nullopt);
        if (!message) return journalError(message.error());
        auto out = summaryJson(message.value().summary);
        const auto &body = message.value().body.canonicalJson;
        const bool unmasked = token.role == Role::Admin && request.param("unmasked") == "true";
        if (!audited(unmasked ? "admin.read_message_unmasked" : "admin.read_message", *id)) return auditUnavailable();
        if (!body.empty()) out["body"] = json::parse(unmasked ? body : maskPersonalData(body), nullptr, false);
        if (unmasked && s_.vault != nullptr && out.contains("body") && out["body"].is_object()) {
            // The sealed fields, opened where they were taken from.
            auto opened = s_.vault->open(message.value().body.sealedFields, *id);
            if (!opened) return journalError(opened.error());
            for (const auto &field : opened.value().fields)
                out["body"][ordered_json::json_pointer(field.pointer)] = field.value;
        }
        if (auto deliveries = s_.journal.deliveriesOf(*id)) {
            ordered_json list = ordered_json::array();
            for (const auto &d : deliveries.value()) list.push_back(deliveryJson(d));
            out["deliveries"] = list;
        }
        return ok(out);
    }
    if (auto id = segment(path, "/admin/v1/cases/", "/holds"); get && id) {
        auto holds = lifecycle::holdsInForce(s_.journal, s_.config, *id, s_.clock.nowUnixMs());
        if (!holds) return journalError(holds.error());
        return ok({{"case_id", *id}, {"holds", holdsJson(holds.value())}});
    }
    if (auto id = segment(path, "/admin/v1/cases/", "/holds/release"); post && id) {
        if (!canOperate) return forbidden("operator");
        return releaseHold(token, *id, request);
    }
    auto caseId = segment(path, "/admin/v1/cases/", "/timeline");
    if (!caseId) caseId = segment(path, "/admin/v1/cases/");
    if (get && caseId) {
        auto timeline = s_.journal.caseTimeline(*caseId);
        if (!timeline) return journalError(timeline.error());
        if (!audited("admin.read_case", *caseId)) return auditUnavailable();
        ordered_json out = timelineJson(*caseId, timeline.value());
        // The hold as it stands, beside the decisions that made it.
        if (auto holds = lifecycle::holdsInForce(s_.journal, s_.config, *caseId, s_.clock.nowUnixMs()))
            out["holds"] = holdsJson(holds.value());
        return ok(out);
    }
    if (get && path == "/admin/v1/deadletters") {
        journal::DeadLetterQuery query;
        query.destination = request.param("destination");
        if (auto after = request.param("after")) query.afterDeliveryId = std::strtoll(after->c_str(), nullptr, 10);
        auto list = s_.journal.listDeadLetters(query);
        if (!list) return journalError(list.error());
        ordered_json items = ordered_json::array();
        for (const auto &d : list.value()) items.push_back(deliveryJson(d));
        return ok({{"dead_letters", items}});
    }
    if (auto id = segment(path, "/admin/v1/deliveries/", "/replay"); post && id) {
        if (!canOperate) return forbidden("operator");
        const auto deliveryId = numericId(*id);
        if (!deliveryId) return jsonError(400, "bad_id", "delivery ids are numbers");
        auto replayed = s_.journal.replay(*deliveryId, s_.clock.nowUnixMs(), "admin:" + token.id);
        if (!replayed) return journalError(replayed.error());
        if (!audited("admin.replay", *id)) return auditUnavailable();
        if (s_.afterReplay) s_.afterReplay();
        return ok({{"replayed", 1}});
    }
    if (post && path == "/admin/v1/deadletters/replay") {
        if (!canOperate) return forbidden("operator");
        auto destination = request.param("destination");
        if (!destination || s_.config.partner(*destination) == nullptr)
            return jsonError(400, "bad_destination", "name a configured partner with ?destination=");
        auto replayed = s_.journal.replayDeadLetters(*destination, s_.clock.nowUnixMs(), "admin:" + token.id);
        if (!replayed) return journalError(replayed.error());
        if (!audited("admin.replay_deadletters", *destination)) return auditUnavailable();
        if (s_.afterReplay) s_.afterReplay();
        return ok({{"replayed", replayed.value()}});
    }
    if (get && path == "/admin/v1/alerts") {
        journal::AlertQuery query;
        query.includeAcknowledged = request.param("all") == "true";
        query.severity = request.param("severity");
        query.caseId = request.param("case");
        query.partner = request.param("partner");
        if (auto after = request.param("after")) query.afterAlertId = std::strtoll(after->c_str(), nullptr, 10);
        if (auto limit = request.param("limit"))
            query.limit = std::clamp<std::size_t>(std::strtoul(limit->c_str(), nullptr, 10), 1, 1000);
        auto list = s_.journal.listAlerts(query);
        if (!list) return journalError(list.error());
        ordered_json items = ordered_json::array();
        for (const auto &a : list.value()) items.push_back(alertJson(a));
        return ok({{"alerts", items}});
    }
    if (auto id = segment(path, "/admin/v1/alerts/", "/ack"); post && id) {
        if (!canOperate) return forbidden("operator");
        const auto alertId = numericId(*id);
        if (!alertId) return jsonError(400, "bad_id", "alert ids are numbers");
        auto acknowledged = s_.journal.acknowledgeAlert(*alertId, "admin:" + token.id, s_.clock.nowUnixMs());
        if (!acknowledged) return journalError(acknowledged.error());
        if (acknowledged.value() && !audited("admin.alert_ack", *id)) return auditUnavailable();
        return ok({{"alert_id", *alertId}, {"acknowledged", acknowledged.value()}});
    }
    if (auto id = segment(path, "/admin/v1/blobs/", "/purge"); post && id) {
        if (token.role != Role::Admin) return forbidden("admin");
        // Recorded with the key ring first, so restoring an older backup
        // cannot bring the blob back (journal/purge_ledger.h).
        if (!journal::looksLikeBlobId(*id)) return jsonError(404, "not_found", "no such resource");
        if (auto recorded = journal::recordPurge(s_.config.dataDir / "keys", *id, s_.clock.nowUnixMs()); !recorded)
            return jsonError(503, "unavailable", recorded.error().message);
        auto purged = s_.journal.purgeBlobKey(*id, s_.clock.nowUnixMs());
        if (!purged) return journalError(purged.error());
        if (!audited("admin.purge_blob", *id)) return auditUnavailable();
        return ok({{"purged", *id}});
    }
    return jsonError(404, "not_found", "no such resource");
}

// POST /admin/v1/cases/{id}/holds/release {"kind", "key", "note"?}: one
// reason of the case's hold ends; when it was the last, RELEASE_HOLD goes to
// every firm holding an assignment and the orders held for the case go out.
HttpResponse AdminApi::releaseHold(const config::AdminToken &token, const std::string &caseId,
                                   const HttpRequest &request) {
    if (s_.ulids == nullptr) return jsonError(503, "unavailable", "this listener cannot release holds");
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("kind") || !body["kind"].is_string() || !body.contains("key") ||
        !body["key"].is_string() || (body.contains("note") && !body["note"].is_string()))
        return jsonError(400, "bad_request", R"(send {"kind": "...", "key": "...", "note": "..."} (note optional))");
    lifecycle::HoldRelease release{caseId, body["kind"].get<std::string>(), body["key"].get<std::string>(),
                                   "admin:" + token.id, body.value("note", "")};
    auto released = lifecycle::releaseHold(s_.journal, s_.config, release, s_.clock.nowUnixMs(), *s_.ulids);
    if (!released) return journalError(released.error());
    if (!s_.journal
             .appendAudit(
                 {"admin:" + token.id, "admin.hold_release", caseId, release.kind + " " + redactForLog(release.key), 0})
             .ok())
        return jsonError(503, "unavailable", "the audit log cannot be written");
    if (s_.afterReplay) s_.afterReplay();
    return ok({{"case_id", caseId},
               {"released", {{"kind", release.kind}, {"key", release.key}}},
               {"hold_ended", released.value().holdEnded},
               {"release_holds_sent", released.value().releaseHoldsSent},
               {"holds", holdsJson(released.value().remaining)}});
}

}  // namespace lendgate::api
