#include "core/policy/policy_config.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "core/common/json_schema.h"
#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/model/formats.h"
#include "policy_schema.h"

namespace lendgate::policy {

namespace {

using json = nlohmann::json;

// Short strings only: valijson's "pattern" runs std::regex, which recurses
// per character.
constexpr StrictJsonLimits kPolicyLimits{1u << 20, 16, 4096, 40};

struct Problem {
    std::string pointer;
    std::string message;
};

// The key a valijson description names between its last pair of quotes.
std::string quotedName(const std::string &description) {
    const std::size_t end = description.rfind('\'');
    if (end == std::string::npos || end == 0) return {};
    const std::size_t begin = description.rfind('\'', end - 1);
    if (begin == std::string::npos) return {};
    return description.substr(begin + 1, end - begin - 1);
}

// valijson's descriptions are generic; the place in the file says more.
std::string explain(const std::string &pointer, const std::string &description) {
    if (description.starts_with("Object contains a property that could not be validated")) {
        const std::string key = redactForLog(quotedName(description), 40);
        if (pointer == "/policies") return "unknown policy id \"" + key + "\" (known: C1 to C12)";
        return "unknown key \"" + key + "\"";
    }
    if (description.starts_with("Missing required property")) {
        if (pointer == "/policies") {
            return "policy " + quotedName(description) +
                   " is not listed: list every policy, with enabled false to "
                   "switch one off";
        }
        return "missing required key \"" + quotedName(description) + "\"";
    }
    if (description.starts_with("Expected number greater than")) {
        return pointer.ends_with("_hours") ? "must be at least 1 hour" : "must not be negative";
    }
    if (description.starts_with("Expected number less than")) return "is larger than this gateway accepts";
    if (description.starts_with("Failed to match regex")) return "a time of day is written HH:MM, 00:00 to 23:59";
    if (description.starts_with("Value type not permitted")) return "wrong JSON type here";
    return description;
}

int minuteOfDay(const std::string &clock) {
    return std::stoi(clock.substr(0, 2)) * 60 + std::stoi(clock.substr(3, 2));
}

void readConfig(const json &doc, PolicyConfig &out, std::vector<Problem> &problems) {
    const json &p = doc.at("policies");
    out.c1.enabled = p.at("C1").at("enabled").get<bool>();
    out.c1.certificateMaxAgeDays = p.at("C1").at("certificate_max_age_days").get<int>();
    out.c2.enabled = p.at("C2").at("enabled").get<bool>();
    out.c3.enabled = p.at("C3").at("enabled").get<bool>();
    for (const auto &[state, period] : p.at("C3").at("states").items()) {
        if (!model::isUsStateCode(state)) {
            std::string pointer = "/policies/C3/states";
            appendPointerToken(pointer, state);
            problems.push_back({pointer, "\"" + redactForLog(state, 8) + "\" is not a USPS state code"});
            continue;
        }
        CurePeriod cure;
        cure.cureDays = period.at("cure_days").get<int>();
        cure.cosignerNoticeRequired = period.value("cosigner_notice_required", false);
        out.c3.states.emplace(state, cure);
    }
    out.c4.enabled = p.at("C4").at("enabled").get<bool>();
    out.c4.partialPaymentHoldDays = p.at("C4").at("partial_payment_hold_days").get<int>();
    out.c5.enabled = p.at("C5").at("enabled").get<bool>();
    out.c5.ackSlaHours = p.at("C5").at("ack_sla_hours").get<int>();
    out.c6.enabled = p.at("C6").at("enabled").get<bool>();
    out.c7.enabled = p.at("C7").at("enabled").get<bool>();
    out.c7.inventoryHours = p.at("C7").at("inventory_hours").get<int>();
    out.c8.enabled = p.at("C8").at("enabled").get<bool>();
    out.c8.dispositionNoticeDays = p.at("C8").at("disposition_notice_days").get<int>();
    out.c9.enabled = p.at("C9").at("enabled").get<bool>();
    out.c9.startMinute = minuteOfDay(p.at("C9").at("contact_window").at("start").get<std::string>());
    out.c9.endMinute = minuteOfDay(p.at("C9").at("contact_window").at("end").get<std::string>());
    if (out.c9.startMinute >= out.c9.endMinute) {
        problems.push_back({"/policies/C9/contact_window/end", "the window must end after it starts"});
    }
    out.c10.enabled = p.at("C10").at("enabled").get<bool>();
    out.c11.enabled = p.at("C11").at("enabled").get<bool>();
    out.c12.enabled = p.at("C12").at("enabled").get<bool>();
}

Error toError(std::string_view origin, std::vector<Problem> problems) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const Problem &a, const Problem &b) { return a.pointer < b.pointer; });
    std::string text;
    for (const Problem &problem : problems) {
        if (!text.empty()) text += '\n';
        text += std::string(origin) + ": " + (problem.pointer.empty() ? "/" : problem.pointer) + ": " + problem.message;
    }
    return Error{"policy.config", std::move(text)};
}

}  // namespace

Result<PolicyConfig> parsePolicyConfig(std::string_view text, std::string_view origin) {
    std::vector<Problem> problems;
    JsonSyntaxError syntax;
    const std::optional<json> document = parseStrictJson(text, syntax, kPolicyLimits);
    if (!document) {
        problems.push_back({syntax.pointer, syntax.message + " (" + syntax.code + ")"});
        return toError(origin, std::move(problems));
    }
    static const Result<std::shared_ptr<const JsonSchema>> schema = JsonSchema::compile(detail::policiesSchemaText());
    if (!schema.ok()) {
        problems.push_back({"", "the compiled-in policies schema is unusable: " + schema.error().message});
        return toError(origin, std::move(problems));
    }
    for (const SchemaViolation &violation : schema.value()->validate(*document)) {
        const std::string pointer = violation.pointer == "/" ? "" : violation.pointer;
        problems.push_back({pointer, explain(pointer, violation.message)});
    }
    if (!problems.empty()) return toError(origin, std::move(problems));
    PolicyConfig config;
    readConfig(*document, config, problems);
    if (!problems.empty()) return toError(origin, std::move(problems));
    return config;
}

Result<PolicyConfig> loadPolicyConfig(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{"policy.config", file.string() + ": /: cannot be opened"};
    std::ostringstream text;
    text << in.rdbuf();
    return parsePolicyConfig(text.str(), file.string());
}

}  // namespace lendgate::policy
