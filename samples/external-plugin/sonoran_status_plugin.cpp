// Sonoran Family Services (a fictional nonprofit) reports the status of the
// referrals it received as pipe-separated lines:
//
//   # comment
//   REFERRAL_ID|STATUS|UPDATED_AT|REASON
//
// This plugin turns each line into a canonical referral_update record. It is
// built outside the lendgate tree, against the installed SDK only.
#include <lendgate/plugin.hpp>

#include <string>
#include <vector>

namespace {

constexpr lendgate_format kDecodes[] = {{"referral_update", "text/plain"}};

// JSON string escaping for the few characters a status line can carry.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) continue;  // control characters carry no meaning here
                out.push_back(c);
        }
    }
    return out + "\"";
}

std::vector<std::string_view> split(std::string_view line, char separator) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == separator) {
            fields.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    }
    return fields;
}

class SonoranStatus final : public lendgate::Plugin {
public:
    static lendgate::PluginTraits traits() {
        return {"sonoran-status",
                "1.0.0",
                "Sonoran Family Services referral status lines",
                R"({"type":"object","additionalProperties":false,"required":["sender_id"],
                    "properties":{"sender_id":{"type":"string","minLength":1,"maxLength":64}}})",
                kDecodes,
                {}};
    }

    SonoranStatus(const lendgate::Host &, std::string_view config) {
        // The host validated the config against the schema; only the value is needed.
        auto key = config.find("\"sender_id\"");
        auto open = config.find('"', config.find(':', key) + 1);
        auto close = config.find('"', open + 1);
        senderId_ = std::string(config.substr(open + 1, close - open - 1));
    }

    void decode(lendgate::DecodeContext &ctx) override {
        std::string line;
        std::uint64_t lineNumber = 0, record = 0, lineStart = 0;
        auto finish = [&] {
            ++lineNumber;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!line.empty() && line.front() != '#') handle(ctx, line, {++record, lineNumber, lineStart, {}});
            line.clear();
            lineStart = ctx.input().offset();
        };
        for (int c = ctx.input().get(); c != -1; c = ctx.input().get()) {
            if (c == '\n')
                finish();
            else if (line.size() < 4096)
                line.push_back(static_cast<char>(c));
        }
        if (!line.empty()) finish();
    }

private:
    void handle(lendgate::DecodeContext &ctx, const std::string &line, const lendgate::Location &where) {
        auto fields = split(line, '|');
        if (fields.size() != 4) {
            ctx.recordError(where, "field_count", "", "expected 4 fields separated by |");
            return;
        }
        if (fields[0].empty()) {
            ctx.recordError(where, "required", "/payload/referral_id", "REFERRAL_ID is empty");
            return;
        }
        // Status values are checked by the gateway's canonical model, which
        // knows the vocabulary; this plugin only maps.
        std::string json = "{\"message_type\":\"referral_update\",\"schema_version\":\"1.0\",\"idempotency_key\":" +
                           quoted(senderId_ + ":" + std::string(fields[0]) + ":" + std::string(fields[2])) +
                           ",\"occurred_at\":" + quoted(fields[2]) +
                           ",\"payload\":{\"referral_id\":" + quoted(fields[0]) + ",\"status\":" + quoted(fields[1]);
        if (!fields[3].empty()) json += ",\"reason\":" + quoted(fields[3]);
        json += "}}";
        ctx.emit("referral_update", json, where);
    }

    std::string senderId_;
};

}  // namespace

LENDGATE_EXPORT_PLUGIN(SonoranStatus)
