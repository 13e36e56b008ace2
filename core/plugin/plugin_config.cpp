// Plugin configuration is checked by the host, against the JSON Schema the
// plugin publishes, before the plugin sees it: every plugin gets the same
// validation and unknown keys fail start-up with the key's name.
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/plugin/plugin_internal.h"

namespace lendgate::plugin {

namespace {

// valijson's `pattern` runs std::regex, which recurses per character and can
// overflow the stack on long strings: configuration strings stay short.
constexpr StrictJsonLimits kConfigLimits{1u << 20, 32, 16u << 10, 40};

// valijson names the path as {"<root>", "[key]", "[0]"}; we speak JSON Pointer.
std::string toPointer(const std::vector<std::string> &context) {
    std::string pointer;
    for (const std::string &part : context) {
        if (part == "<root>") continue;
        std::string_view token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
        if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
        appendPointerToken(pointer, token);
    }
    return pointer.empty() ? "/" : pointer;
}

bool isWrapperError(const std::string &description) {
    // Parent constraints repeat each child's failure; keep the specific one.
    return description.rfind("Failed to validate against", 0) == 0 ||
           description.rfind("Failed to validate item", 0) == 0;
}

}  // namespace

std::optional<std::string> PluginLibrary::Impl::compileConfigSchema() {
    JsonSyntaxError syntax;
    auto document = parseStrictJson(info.configSchema, syntax);
    if (!document) return "config schema is not valid JSON (" + syntax.code + " at " + syntax.pointer + ")";
    try {
        auto schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(*document);
        parser.populateSchema(adapter, *schema);
        configSchema = std::move(schema);
    } catch (const std::exception &e) {
        return std::string("config schema is not a usable JSON Schema: ") + redactForLog(e.what());
    }
    return std::nullopt;
}

std::optional<std::string> PluginLibrary::Impl::checkConfig(std::string_view configJson,
                                                            std::string_view origin) const {
    const std::string where = "config " + std::string(origin) + " for plugin " + info.name;
    JsonSyntaxError syntax;
    auto config = parseStrictJson(configJson, syntax, kConfigLimits);
    if (!config) {
        std::string at = syntax.pointer.empty() ? "" : " at " + syntax.pointer;
        return where + ": " + syntax.message + at;
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(*config);
    if (validator.validate(*configSchema, adapter, &results)) return std::nullopt;

    std::string reasons;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (isWrapperError(error.description)) continue;
        reasons += reasons.empty() ? "" : "\n";
        reasons += where + ": " + toPointer(error.context) + ": " + redactForLog(error.description, 300);
    }
    if (reasons.empty()) reasons = where + ": does not match the plugin's config schema";
    return reasons;
}

Result<bool> PluginLibrary::validateConfig(std::string_view configJson, std::string_view configOrigin) const {
    if (auto problem = impl_->checkConfig(configJson, configOrigin)) return Error{"plugin.bad_config", *problem};
    return true;
}

}  // namespace lendgate::plugin
