// Canonical JSON in, canonical JSON out: the format of partners that already
// speak the canonical model (JSON webhooks, JSON lines files). See README.md.
#include <lendgate/plugin.hpp>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "json_decoder.h"
#include "json_encoder.h"

namespace lendgate::json_plugin {
namespace {

constexpr const char *kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/json.config.json",
  "title": "lendgate json plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "output": {"enum": ["jsonl", "array"], "default": "jsonl",
               "description": "Encode as JSON lines (one record per line) or as one JSON array."},
    "max_record_bytes": {"type": "integer", "minimum": 64, "maximum": 67108864, "default": 1048576,
                         "description": "A decoded record larger than this is refused and skipped."},
    "pretty": {"type": "boolean", "default": false,
               "description": "Indent encoded records; only with output array."}
  }
})json";

// The canonical model is the same whatever the message type, so every type passes through.
constexpr lendgate_format kFormats[] = {
    {"delinquency_notice", "application/json"},   {"account_update", "application/json"},
    {"consent", "application/json"},              {"hardship_application", "application/json"},
    {"hardship_decision", "application/json"},    {"repossession_assignment", "application/json"},
    {"repossession_outcome", "application/json"}, {"referral", "application/json"},
    {"referral_update", "application/json"},      {"ack", "application/json"},
};

class JsonPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "json",
            "1.0.0",
            "Canonical JSON records as JSON lines, concatenated objects or one array, passed through unchanged",
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

    void decode(DecodeContext &ctx) override { JsonDecoder(ctx, maxRecordBytes_).run(); }
    void encode(EncodeContext &ctx) override { JsonEncoder(ctx, form_, pretty_).run(); }

private:
    OutputForm form_ = OutputForm::JsonLines;
    std::size_t maxRecordBytes_ = 1024 * 1024;
    bool pretty_ = false;
};

}  // namespace
}  // namespace lendgate::json_plugin

LENDGATE_EXPORT_PLUGIN(lendgate::json_plugin::JsonPlugin)
