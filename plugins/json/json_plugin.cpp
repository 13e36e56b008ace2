// JSON records in and out: canonical records passed through as written, or a
// partner's own JSON shape mapped to and from the canonical model by JSON
// Pointer (mode "mapped"). See README.md.
#include <lendgate/plugin.hpp>

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "config_schema.h"
#include "json_decoder.h"
#include "json_encoder.h"
#include "mapping_config.h"

namespace lendgate::json_plugin {
namespace {

// Pass-through handles every type; a mapped configuration handles the types it maps (the host checks).
constexpr lendgate_format kFormats[] = {
    {"delinquency_notice", "application/json"},
    {"account_update", "application/json"},
    {"consent", "application/json"},
    {"hardship_application", "application/json"},
    {"hardship_decision", "application/json"},
    {"repossession_assignment", "application/json"},
    {"repossession_outcome", "application/json"},
    {"referral", "application/json"},
    {"referral_update", "application/json"},
    {"ack", "application/json"},
};

class JsonPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "json",
            "1.0.0",
            "JSON records as JSON lines, concatenated objects or one array: canonical ones passed through, or a "
            "partner's JSON mapped to and from the canonical model by JSON Pointer",
            kConfigSchema,
            kFormats,
            kFormats,
            true,
        };
    }

    JsonPlugin(const Host &, std::string_view configText) {
        nlohmann::json config;
        try {
            config = configText.empty() ? nlohmann::json::object() : nlohmann::json::parse(configText);
        } catch (const nlohmann::json::parse_error &) {
            throw configError("config", "the configuration is not valid JSON");
        }
        if (!config.is_object()) throw configError("config", "the configuration must be a JSON object");
        for (const auto &item : config.items())
            if (item.key() != "mode" && item.key() != "output" && item.key() != "max_record_bytes" &&
                item.key() != "pretty" && item.key() != "schema_version" && item.key() != "types")
                throw configError("config", "unknown key " + item.key());
        if (config.contains("mode") && config["mode"] != "canonical") {
            if (config["mode"] != "mapped") throw configError("config", "mode: must be canonical or mapped");
            try {
                mapped_ = parseMappedConfig(configText);
            } catch (const nlohmann::json::exception &) {
                throw configError("config", "the mapped configuration has a value of the wrong type");
            }
        } else if (config.contains("types") || config.contains("schema_version")) {
            throw configError("config", "types and schema_version need mode mapped");
        }
        if (config.contains("output")) {
            const auto &output = config["output"];
            if (output == "array")
                form_ = OutputForm::Array;
            else if (output != "jsonl")
                throw configError("config", "output: must be jsonl or array");
        }
        if (config.contains("max_record_bytes")) {
            const auto &limit = config["max_record_bytes"];
            if (!limit.is_number_integer() || limit.get<std::int64_t>() < 64 || limit.get<std::int64_t>() > (64 << 20))
                throw configError("config", "max_record_bytes: must be an integer from 64 to 67108864");
            maxRecordBytes_ = limit.get<std::size_t>();
        }
        if (config.contains("pretty")) {
            if (!config["pretty"].is_boolean()) throw configError("config", "pretty: must be true or false");
            pretty_ = config["pretty"].get<bool>();
        }
        if (pretty_ && form_ != OutputForm::Array)
            throw configError("config", "pretty: needs output array, since JSON lines hold one record per line");
    }

    void decode(DecodeContext &ctx) override { JsonDecoder(ctx, maxRecordBytes_, mapped_.get()).run(); }
    void encode(EncodeContext &ctx) override { JsonEncoder(ctx, form_, pretty_, mapped_.get()).run(); }

private:
    OutputForm form_ = OutputForm::JsonLines;
    std::size_t maxRecordBytes_ = 1024 * 1024;
    bool pretty_ = false;
    std::unique_ptr<MappedConfig> mapped_;
};

}  // namespace
}  // namespace lendgate::json_plugin

LENDGATE_EXPORT_PLUGIN(lendgate::json_plugin::JsonPlugin)
