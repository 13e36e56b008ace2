#include "referral_encoder.h"

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "record_json.h"
#include "text_rules.h"

namespace lendgate::hsds {
namespace {

using Json = nlohmann::json;
using Keys = std::initializer_list<std::string_view>;

// Member names that are personal or account data a nonprofit must never get;
// named in the refusal so an operator sees at once what leaked upstream.
constexpr std::string_view kForbidden[] = {
    "ssn",           "social_security_number",
    "date_of_birth", "dob",
    "account",       "account_number",
    "account_token", "vin",
    "collateral",    "balance",
    "payoff_amount", "amount_past_due",
    "loan",          "email",
    "address",       "addresses",
    "narrative",     "monthly_income",
};

bool isForbidden(std::string_view key) {
    return std::find(std::begin(kForbidden), std::end(kForbidden), key) != std::end(kForbidden);
}

bool isUlid(std::string_view text) {
    if (text.size() != 26 || text[0] < '0' || text[0] > '7') return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    });
}

class DocumentWriter {
public:
    DocumentWriter(const HsdsConfig &config, std::vector<ReferralEncoder::Problem> &problems)
        : config_(config), problems_(problems) {}

    std::string write(const Json &record) {
        if (!record.is_object()) {
            problem("type", "", "the record is not a JSON object");
            return {};
        }
        checkProfile(record);
        // Refused whole before anything is read from it: see referral_encoder.h.
        if (!problems_.empty()) return {};
        return render(record);
    }

private:
    void problem(std::string code, std::string field, std::string text) {
        if (problems_.size() < 10) problems_.push_back({std::move(code), std::move(field), std::move(text)});
    }

    // Refuses every member outside the profile; returns false when `value` (at `path`) is not an object.
    bool closed(const Json &value, const std::string &path, Keys keys) {
        if (!value.is_object()) {
            problem("type", path, path + " must be an object");
            return false;
        }
        for (const auto &item : value.items()) {
            if (std::find(keys.begin(), keys.end(), item.key()) != keys.end()) continue;
            const bool plain = isPlainMemberName(item.key());
            const std::string where = plain ? path + "/" + item.key() : path;
            if (plain && isForbidden(item.key()))
                problem("forbidden_field", where,
                        where + " is personal or account data a nonprofit must never receive; the referral is refused");
            else
                problem("not_in_profile", where,
                        (plain ? where : "a member of " + (path.empty() ? std::string("the record") : path)) +
                            " is not carried by the HSDS referral profile; the referral is refused");
        }
        return true;
    }

    void checkProfile(const Json &record) {
        closed(record, "",
               {"message_id", "message_type", "schema_version", "sender", "receiver", "case_id", "causation_id",
                "idempotency_key", "occurred_at", "received_at", "partner_refs", "payload"});
        const auto refs = record.find("partner_refs");
        if (refs != record.end()) {
            if (!refs->is_array()) problem("type", "/partner_refs", "/partner_refs must be an array");
            for (std::size_t i = 0; refs->is_array() && i < refs->size(); ++i)
                closed((*refs)[i], "/partner_refs/" + std::to_string(i), {"partner", "kind", "value"});
        }
        const auto payload = record.find("payload");
        if (payload == record.end()) return;
        if (!closed(*payload, "/payload",
                    {"referral_id", "source_event", "consent_id", "need", "target", "client", "urgency"}))
            return;
        if (payload->contains("source_event"))
            closed((*payload)["source_event"], "/payload/source_event", {"message_type", "message_id"});
        if (payload->contains("target"))
            closed((*payload)["target"], "/payload/target",
                   {"organization_id", "service_id", "location_id", "taxonomy_code"});
        const auto client = payload->find("client");
        if (client == payload->end()) return;
        if (!closed(*client, "/payload/client", {"name", "phone", "language", "best_time", "postal_code", "county"}))
            return;
        if (client->contains("name"))
            closed((*client)["name"], "/payload/client/name", {"first", "middle", "last", "suffix"});
        if (client->contains("phone")) closed((*client)["phone"], "/payload/client/phone", {"type", "number"});
    }

    // The string at `path` below `object`, or nullptr (with a problem when it is required or not a string).
    const std::string *text(const Json &object, std::string_view key, const std::string &path, bool required) {
        const auto found = object.is_object() ? object.find(key) : object.end();
        if (found == object.end()) {
            if (required) problem("required", path, path + " is required");
            return nullptr;
        }
        if (!found->is_string()) {
            problem("type", path, path + " must be a string");
            return nullptr;
        }
        return &found->get_ref<const std::string &>();
    }

    const std::string *line(const Json &object, std::string_view key, const std::string &path, bool required,
                            std::size_t maxPoints) {
        const std::string *value = text(object, key, path, required);
        if (value != nullptr && !isSingleLine(*value, maxPoints)) {
            problem("format", path, path + " must be 1 to " + std::to_string(maxPoints) + " characters on one line");
            return nullptr;
        }
        return value;
    }

    // Names and counties are free text; a long run of digits there is an identifier in the wrong field.
    const std::string *freeText(const Json &object, std::string_view key, const std::string &path, bool required,
                                std::size_t maxPoints) {
        const std::string *value = line(object, key, path, required, maxPoints);
        if (value != nullptr && hasLongDigitRun(*value)) {
            problem("identifier_in_text", path,
                    path +
                        " holds a long run of digits (the shape of an SSN or account number); the referral is "
                        "refused");
            return nullptr;
        }
        return value;
    }

    const Json &objectAt(const Json &parent, std::string_view key) {
        static const Json kEmpty = Json::object();
        const auto found = parent.is_object() ? parent.find(key) : parent.end();
        return found != parent.end() && found->is_object() ? *found : kEmpty;
    }

    std::string render(const Json &record) {
        const std::string *type = text(record, "message_type", "/message_type", true);
        if (type != nullptr && *type != "referral")
            problem("wrong_type", "/message_type", "the hsds plugin encodes referral records only");
        const std::string *version = text(record, "schema_version", "/schema_version", true);
        if (version != nullptr && *version != "1.0")
            problem("schema_version", "/schema_version", "/schema_version must be 1.0");
        const std::string *messageId = text(record, "message_id", "/message_id", false);
        if (messageId != nullptr && !isUlid(*messageId)) {
            problem("format", "/message_id", "/message_id must be a ULID");
            messageId = nullptr;
        }
        const std::string *occurredAt = text(record, "occurred_at", "/occurred_at", true);
        if (occurredAt != nullptr && !isDateTime(*occurredAt)) {
            problem("format", "/occurred_at", "/occurred_at must be an RFC 3339 date-time with an offset");
            occurredAt = nullptr;
        }
        if (!record.contains("payload")) problem("required", "/payload", "/payload is required");
        const Json &payload = objectAt(record, "payload");
        const std::string *referralId = line(payload, "referral_id", "/payload/referral_id", true, 64);
        const std::string *consentId = line(payload, "consent_id", "/payload/consent_id", true, 64);
        const std::string *urgency = text(payload, "urgency", "/payload/urgency", true);
        if (urgency != nullptr && *urgency != "ROUTINE" && *urgency != "URGENT" && *urgency != "CRISIS")
            problem("enum", "/payload/urgency", "/payload/urgency must be ROUTINE, URGENT or CRISIS");

        const std::string *need = text(payload, "need", "/payload/need", true);
        const Service *service = need != nullptr ? config_.serviceForNeed(*need) : nullptr;
        if (need != nullptr && service == nullptr)
            problem("unmapped_need", "/payload/need", "/payload/need is served by none of this partner's services");
        const std::string *locationId = checkTarget(objectAt(payload, "target"), payload.contains("target"), service);

        const Json &client = objectAt(payload, "client");
        if (!payload.contains("client")) problem("required", "/payload/client", "/payload/client is required");
        std::string clientJson = renderClient(client);
        if (!problems_.empty()) return {};

        std::string out = R"({"profile":"lendgate-hsds-referral/1.0","referral_id":)";
        appendJsonString(out, *referralId);
        if (messageId != nullptr) {
            out += R"(,"message_id":)";
            appendJsonString(out, *messageId);
        }
        out += R"(,"created_at":)";
        appendJsonString(out, *occurredAt);
        out += R"(,"urgency":)";
        appendJsonString(out, *urgency);
        out += R"(,"need":)";
        appendJsonString(out, *need);
        out += R"(,"consent_id":)";
        appendJsonString(out, *consentId);
        out += R"(,"organization":{"id":)";
        appendJsonString(out, config_.organizationId);
        out += R"(,"name":)";
        appendJsonString(out, config_.organizationName);
        out += R"(},"service":{"id":)";
        appendJsonString(out, service->id);
        out += R"(,"organization_id":)";
        appendJsonString(out, config_.organizationId);
        out += R"(,"name":)";
        appendJsonString(out, service->name);
        out += '}';
        if (locationId != nullptr) {
            out += R"(,"location":{"id":)";
            appendJsonString(out, *locationId);
            out += '}';
        }
        if (service->taxonomyTerm) {
            const TaxonomyTerm &term = *service->taxonomyTerm;
            out += R"(,"taxonomy_term":{)";
            if (term.id) {
                out += R"("id":)";
                appendJsonString(out, *term.id);
                out += ',';
            }
            out += R"("code":)";
            appendJsonString(out, term.code);
            if (term.name) {
                out += R"(,"name":)";
                appendJsonString(out, *term.name);
            }
            out += R"(,"taxonomy":)";
            appendJsonString(out, term.taxonomy);
            out += '}';
        }
        out += R"(,"client":)";
        out += clientJson;
        out += '}';
        return out;
    }

    // The target the gateway chose must be this partner's; returns the location to send, if any.
    const std::string *checkTarget(const Json &target, bool present, const Service *service) {
        if (!present) {
            problem("required", "/payload/target", "/payload/target is required");
            return nullptr;
        }
        const std::string *organization = text(target, "organization_id", "/payload/target/organization_id", true);
        if (organization != nullptr && *organization != config_.organizationId)
            problem("target_mismatch", "/payload/target/organization_id",
                    "/payload/target/organization_id is not this partner's organization");
        if (service == nullptr) return nullptr;
        const std::string *serviceId = text(target, "service_id", "/payload/target/service_id", false);
        if (serviceId != nullptr && *serviceId != service->id)
            problem("target_mismatch", "/payload/target/service_id",
                    "/payload/target/service_id is not the service this partner has for the need");
        const std::string *taxonomy = text(target, "taxonomy_code", "/payload/target/taxonomy_code", false);
        if (taxonomy != nullptr && (!service->taxonomyTerm || *taxonomy != service->taxonomyTerm->code))
            problem("target_mismatch", "/payload/target/taxonomy_code",
                    "/payload/target/taxonomy_code is not the taxonomy term of the service for the need");
        const std::string *location = text(target, "location_id", "/payload/target/location_id", false);
        if (location != nullptr && !service->hasLocation(*location)) {
            problem("target_mismatch", "/payload/target/location_id",
                    "/payload/target/location_id is not a location of the service for the need");
            return nullptr;
        }
        return location;
    }

    std::string renderClient(const Json &client) {
        std::string out = R"({"name":{)";
        const Json &name = objectAt(client, "name");
        if (client.is_object() && !client.contains("name"))
            problem("required", "/payload/client/name", "/payload/client/name is required");
        bool first = true;
        for (std::string_view part : {"first", "middle", "last"}) {
            const std::string path = "/payload/client/name/" + std::string(part);
            const std::string *value = freeText(name, part, path, part == "last" && client.contains("name"), 100);
            if (value == nullptr) continue;
            if (!first) out += ',';
            first = false;
            appendJsonString(out, part);
            out += ':';
            appendJsonString(out, *value);
        }
        if (const std::string *suffix = freeText(name, "suffix", "/payload/client/name/suffix", false, 100)) {
            out += R"(,"suffix":)";
            appendJsonString(out, *suffix);
        }
        out += '}';
        // Fields the partner is not configured to receive are left out, unread: minimisation, not an error.
        if (config_.sendsClientField("phone") && client.contains("phone")) {
            const Json &phone = objectAt(client, "phone");
            const std::string *number = text(phone, "number", "/payload/client/phone/number", true);
            const std::string *type = text(phone, "type", "/payload/client/phone/type", true);
            if (number != nullptr && !isE164(*number))
                problem("format", "/payload/client/phone/number", "/payload/client/phone/number must be E.164");
            std::string_view hsdsType;
            if (type != nullptr) {
                // HSDS phone types follow RFC 6350: a mobile is "cell", any other line "voice".
                if (*type == "MOBILE")
                    hsdsType = "cell";
                else if (*type == "HOME" || *type == "WORK" || *type == "OTHER")
                    hsdsType = "voice";
                else
                    problem("enum", "/payload/client/phone/type", "/payload/client/phone/type is not a phone type");
            }
            if (number != nullptr && !hsdsType.empty()) {
                out += R"(,"phone":{"number":)";
                appendJsonString(out, *number);
                out += R"(,"type":)";
                appendJsonString(out, hsdsType);
                out += '}';
            }
        }
        if (config_.sendsClientField("language")) {
            const std::string *language = text(client, "language", "/payload/client/language", false);
            if (language != nullptr && !isLanguageTag(*language))
                problem("format", "/payload/client/language", "/payload/client/language must be a BCP 47 tag");
            else if (language != nullptr)
                appendMember(out, "language", *language);
        }
        if (config_.sendsClientField("best_time")) {
            const std::string *best = text(client, "best_time", "/payload/client/best_time", false);
            if (best != nullptr && *best != "MORNING" && *best != "AFTERNOON" && *best != "EVENING" &&
                *best != "ANYTIME")
                problem("enum", "/payload/client/best_time",
                        "/payload/client/best_time must be MORNING, AFTERNOON, EVENING or ANYTIME");
            else if (best != nullptr)
                appendMember(out, "best_time", *best);
        }
        if (config_.sendsClientField("postal_code")) {
            const std::string *zip = text(client, "postal_code", "/payload/client/postal_code", false);
            if (zip != nullptr && !isPostalCode(*zip))
                problem("format", "/payload/client/postal_code", "/payload/client/postal_code must be a ZIP code");
            else if (zip != nullptr)
                appendMember(out, "postal_code", *zip);
        }
        if (config_.sendsClientField("county")) {
            if (const std::string *county = freeText(client, "county", "/payload/client/county", false, 200))
                appendMember(out, "county", *county);
        }
        out += '}';
        return out;
    }

    static void appendMember(std::string &out, std::string_view key, std::string_view value) {
        out += ',';
        appendJsonString(out, key);
        out += ':';
        appendJsonString(out, value);
    }

    const HsdsConfig &config_;
    std::vector<ReferralEncoder::Problem> &problems_;
};

}  // namespace

ReferralEncoder::ReferralEncoder(const HsdsConfig &config, EncodeContext &ctx) : config_(config), ctx_(ctx) {}

std::string ReferralEncoder::toDocument(const HsdsConfig &config, std::string_view canonicalJson,
                                        std::vector<Problem> &problems) {
    const ParsedRecord parsed = parseRecord(canonicalJson);
    if (!parsed.ok) {
        problems.push_back({parsed.code, "", parsed.text});
        return {};
    }
    return DocumentWriter(config, problems).write(parsed.value);
}

void ReferralEncoder::run() {
    if (!ctx_.messageType().empty() && ctx_.messageType() != "referral")
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported", "the hsds plugin encodes referral only");
    const bool array = config_.output == OutputForm::Array;
    if (array) ctx_.write("[");
    bool first = true;
    std::string_view json;
    std::vector<Problem> problems;
    while (ctx_.next(json)) {
        problems.clear();
        std::string document = toDocument(config_, json, problems);
        const Location where{ctx_.recordNumber(), 0, 0, {}};
        for (const Problem &p : problems) ctx_.recordError(where, p.code, p.field, p.text);
        if (!problems.empty()) continue;
        if (array) ctx_.write(first ? "\n" : ",\n");
        document += array ? "" : "\n";
        ctx_.write(document);
        first = false;
    }
    if (array) ctx_.write(first ? "]\n" : "\n]\n");
}

}  // namespace lendgate::hsds
