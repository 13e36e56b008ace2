#include "update_decoder.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "record_json.h"
#include "record_reader.h"
#include "text_rules.h"

namespace lendgate::hsds {
namespace {

using Json = nlohmann::json;

// Deeper than any update needs; the framer refuses more before anything is parsed.
constexpr std::size_t kMaxDepth = 16;
// A record with more problems than this is broken throughout; the rest add nothing.
constexpr std::size_t kMaxProblemsPerRecord = 10;

struct Member {
    std::string_view name;
    std::string_view field;  // where it lands in the canonical record, or its own name
    std::size_t maxPoints;
    bool multiLine;
};

constexpr std::array<Member, 10> kMembers = {{
    {"id", "/idempotency_key", 64, false},
    {"referral_id", "/payload/referral_id", 64, false},
    {"organization_id", "organization_id", 64, false},
    {"service_id", "service_id", 64, false},
    {"location_id", "location_id", 64, false},
    {"taxonomy_code", "taxonomy_code", 64, false},
    {"status", "/payload/status", 32, false},
    {"updated_at", "/occurred_at", 35, false},
    {"reason", "/payload/reason", 2000, true},
    {"note", "/payload/outcome_note", 2000, true},
}};

const Member *memberNamed(std::string_view name) {
    const auto found = std::find_if(kMembers.begin(), kMembers.end(), [&](const Member &m) { return m.name == name; });
    return found == kMembers.end() ? nullptr : &*found;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char &c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

class UpdateReader {
public:
    UpdateReader(const HsdsConfig &config, std::vector<UpdateDecoder::Problem> &problems)
        : config_(config), problems_(problems) {}

    std::string read(const Json &update) {
        if (!update.is_object()) {
            problem("not_an_object", "", "the update is not a JSON object");
            return {};
        }
        for (const auto &item : update.items()) {
            const Member *member = memberNamed(item.key());
            if (member == nullptr) {
                // A member name could itself be personal data: only a plain name is repeated.
                const bool plain = isPlainMemberName(item.key());
                problem("unknown_field", plain ? item.key() : "",
                        plain ? "member " + item.key() + " is not part of the HSDS referral update profile"
                              : "a member the HSDS referral update profile does not define");
                continue;
            }
            checkText(*member, item.value());
        }
        if (!problems_.empty()) return {};
        for (std::string_view required : {"referral_id", "service_id", "status", "updated_at"})
            if (!update.contains(required)) {
                const Member &m = *memberNamed(required);
                problem("required", std::string(m.field), std::string(required) + " is required");
            }
        if (!problems_.empty()) return {};
        return translate(update);
    }

private:
    void problem(std::string code, std::string field, std::string text) {
        if (problems_.size() < kMaxProblemsPerRecord)
            problems_.push_back({std::move(code), std::move(field), std::move(text)});
    }

    void checkText(const Member &member, const Json &value) {
        const std::string field(member.field);
        const std::string name(member.name);
        if (!value.is_string()) {
            problem("type", field, name + " must be a string");
            return;
        }
        const std::string &text = value.get_ref<const std::string &>();
        const bool fits = member.multiLine ? isMultiLine(text, member.maxPoints) : isSingleLine(text, member.maxPoints);
        if (fits) return;
        if (text.empty())
            problem("too_short", field, name + " is empty");
        else if (codePoints(text) > member.maxPoints)
            problem("too_long", field, name + " is longer than " + std::to_string(member.maxPoints) + " characters");
        else
            problem("format", field, name + " holds a control character");
    }

    std::string translate(const Json &update) {
        const std::string &serviceId = update["service_id"].get_ref<const std::string &>();
        const Service *service = config_.serviceById(serviceId);
        if (service == nullptr) problem("unknown_service", "service_id", "service_id is not a service of this partner");
        if (update.contains("organization_id") && update["organization_id"] != config_.organizationId)
            problem("unknown_organization", "organization_id", "organization_id is not this partner's organization");
        if (service != nullptr && update.contains("location_id") &&
            !service->hasLocation(update["location_id"].get_ref<const std::string &>()))
            problem("unknown_location", "location_id", "location_id is not a location of the service");
        if (service != nullptr && update.contains("taxonomy_code") &&
            (!service->taxonomyTerm || update["taxonomy_code"] != service->taxonomyTerm->code))
            problem("unknown_taxonomy_term", "taxonomy_code", "taxonomy_code is not the service's taxonomy term");
        const std::string code = upper(update["status"].get_ref<const std::string &>());
        const auto status = config_.statuses.find(code);
        if (status == config_.statuses.end())
            problem("enum", "/payload/status", "status is not one of this partner's status codes");
        const std::string &updatedAt = update["updated_at"].get_ref<const std::string &>();
        if (!isDateTime(updatedAt))
            problem("format", "/occurred_at", "updated_at is not an RFC 3339 date-time with an offset");
        if (!problems_.empty()) return {};

        const std::string &referralId = update["referral_id"].get_ref<const std::string &>();
        std::string out = R"({"message_type":"referral_update","schema_version":"1.0","idempotency_key":)";
        // The nonprofit's own id for the update when it sends one; otherwise what makes the update unique.
        appendJsonString(
            out, update.contains("id") ? update["id"].get<std::string>() : referralId + "/" + code + "/" + updatedAt);
        out += R"(,"occurred_at":)";
        appendJsonString(out, updatedAt);
        out += R"(,"partner_refs":[{"partner":)";
        appendJsonString(out, config_.partnerId);
        out += R"(,"kind":"hsds_service","value":)";
        appendJsonString(out, serviceId);
        out += '}';
        if (update.contains("location_id")) {
            out += R"(,{"partner":)";
            appendJsonString(out, config_.partnerId);
            out += R"(,"kind":"hsds_location","value":)";
            appendJsonString(out, update["location_id"].get_ref<const std::string &>());
            out += '}';
        }
        out += R"(],"payload":{"referral_id":)";
        appendJsonString(out, referralId);
        out += R"(,"status":)";
        appendJsonString(out, status->second);
        if (update.contains("reason")) {
            out += R"(,"reason":)";
            appendJsonString(out, update["reason"].get_ref<const std::string &>());
        }
        if (update.contains("note")) {
            out += R"(,"outcome_note":)";
            appendJsonString(out, update["note"].get_ref<const std::string &>());
        }
        out += "}}";
        return out;
    }

    const HsdsConfig &config_;
    std::vector<UpdateDecoder::Problem> &problems_;
};

}  // namespace

UpdateDecoder::UpdateDecoder(const HsdsConfig &config, DecodeContext &ctx) : config_(config), ctx_(ctx) {}

std::string UpdateDecoder::toCanonical(const HsdsConfig &config, std::string_view updateJson,
                                       std::vector<Problem> &problems) {
    const ParsedRecord parsed = parseRecord(updateJson);
    if (!parsed.ok) {
        problems.push_back({parsed.code, "", parsed.text});
        return {};
    }
    return UpdateReader(config, problems).read(parsed.value);
}

void UpdateDecoder::run() {
    if (!ctx_.expectedType().empty() && ctx_.expectedType() != "referral_update")
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported",
                          "the hsds plugin decodes referral_update only");
    RecordReader reader(ctx_.input(), config_.maxRecordBytes, kMaxDepth);
    std::vector<Problem> problems;
    reader.run(
        [&](const Location &where, std::string_view text) {
            problems.clear();
            const std::string record = toCanonical(config_, text, problems);
            for (const Problem &p : problems) ctx_.recordError(where, p.code, p.field, p.text);
            if (problems.empty()) ctx_.emit("referral_update", record, where);
        },
        [&](const Location &where, std::string_view code, const std::string &text) {
            ctx_.recordError(where, code, "", text);
        });
}

}  // namespace lendgate::hsds
