// Plugin configuration is checked by the host, against the JSON Schema the
// plugin publishes, before the plugin sees it: every plugin gets the same
// validation and unknown keys fail start-up with the key's name.
#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/plugin/plugin_internal.h"

namespace lendgate::plugin {

namespace {

// valijson's `pattern` runs std::regex, which recurses per character and can
// overflow the stack on long strings: configuration strings stay short.
constexpr StrictJsonLimits kConfigLimits{1u << 20, 32, 16u << 10, 40};

}  // namespace

std::optional<std::string> PluginLibrary::Impl::compileConfigSchema() {
    auto compiled = JsonSchema::compile(info.configSchema);
    if (!compiled) return "config schema: " + compiled.error().message;
    configSchema = std::move(compiled).value();
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
    std::string reasons;
    for (const SchemaViolation &violation : configSchema->validate(*config)) {
        reasons += reasons.empty() ? "" : "\n";
        reasons += where + ": " + violation.pointer + ": " + violation.message;
    }
    if (reasons.empty()) return std::nullopt;
    return reasons;
}

Result<bool> PluginLibrary::validateConfig(std::string_view configJson, std::string_view configOrigin) const {
    if (auto problem = impl_->checkConfig(configJson, configOrigin)) return Error{"plugin.bad_config", *problem};
    return true;
}

}  // namespace lendgate::plugin
