// The conformance suite's own test plugin: referral status lines with a
// trailer, decoded into referral_update records and encoded back.
//
//   REFERRAL_ID|STATUS|UPDATED_AT|REASON
//   TRAILER|<number of status lines>
//
// Built once as it should be (conf-good) and once per deliberate defect, each
// switched on by one macro, so every check of `lendgate plugin test` has a
// plugin that must fail it, for the reason the check names.
#include <lendgate/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#ifndef CONF_NAME
#error "CONF_NAME names the plugin"
#endif

namespace {

#ifdef CONF_BAD_DESCRIPTOR
constexpr lendgate_format kDecodes[] = {{"referral_update", "text/plain"}, {"status_line", "plain"}};
constexpr const char *kVersion = "one";
constexpr const char *kName = "conf-misnamed";
#else
constexpr lendgate_format kDecodes[] = {{"referral_update", "text/plain"}};
constexpr const char *kVersion = "1.0.0";
constexpr const char *kName = CONF_NAME;
#endif
constexpr lendgate_format kEncodes[] = {{"referral_update", "text/plain"}};
constexpr std::size_t kMaxLine = 4096;

#ifdef CONF_LAX_SCHEMA
constexpr const char *kSchema = R"({"type":"object","properties":{"sender_id":{"type":"string"}}})";
#else
constexpr const char *kSchema =
    R"({"type":"object","additionalProperties":false,"properties":{"sender_id":{"type":"string"}}})";
#endif

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> fields;
    for (;;) {
        const auto at = line.find('|');
        fields.push_back(line.substr(0, at));
        if (at == std::string_view::npos) return fields;
        line.remove_prefix(at + 1);
    }
}

std::optional<std::uint64_t> count(std::string_view digits) {
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

[[maybe_unused]] void misbehaveOnBinary(std::string_view line) {
    for (char c : line) {
        if (static_cast<unsigned char>(c) >= 0x09) continue;
#ifdef CONF_CRASH_ON_BINARY
        volatile int *nowhere = nullptr;
        *nowhere = 1;
#endif
#ifdef CONF_THROW_ON_BINARY
        throw std::out_of_range("vector::at");
#endif
    }
}

class StatusPlugin final : public lendgate::Plugin {
public:
    static lendgate::PluginTraits traits() {
        return {kName, kVersion, "Conformance test plugin", kSchema, kDecodes, kEncodes};
    }

    StatusPlugin(const lendgate::Host &, std::string_view config) {
        auto parsed = nlohmann::json::parse(config);
        sender_ = parsed.value("sender_id", std::string("test"));
    }

    void decode(lendgate::DecodeContext &ctx) override {
#ifdef CONF_NONDETERMINISTIC
        static int calls = 0;  // shared by every decode: the defect under test
        ++calls;
#endif
        std::string line;
        bool tooLong = false;
        std::uint64_t lineNumber = 0, offset = 0, records = 0;
        std::optional<std::uint64_t> trailer;
        auto endOfLine = [&] {
            ++lineNumber;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) return;
#ifdef CONF_HANG_ON_LONG_LINE
            while (tooLong) std::this_thread::sleep_for(std::chrono::seconds(1));
#endif
#ifdef CONF_MEMORY_HOG
            if (tooLong) hoard_.assign(400u << 20, 'x');
#endif
            misbehaveOnBinary(line);
            if (trailer) throw lendgate::inputError("after_trailer", "content after the trailer");
            if (line.rfind("TRAILER|", 0) == 0) {
                trailer = count(std::string_view(line).substr(8));
                if (!trailer) throw lendgate::inputError("trailer", "the trailer count is not a number");
                return;
            }
            lendgate::Location where{++records, lineNumber, offset, {}};
            auto fields = split(line);
            if (tooLong || fields.size() != 4) return ctx.recordError(where, "field_count", "", "expected 4 fields");
            nlohmann::json record = {{"message_type", "referral_update"},
                                     {"schema_version", "1.0"},
                                     {"idempotency_key", sender_ + ":" + std::string(fields[0])},
                                     {"occurred_at", fields[2]},
                                     {"payload", {{"referral_id", fields[0]}, {"status", fields[1]}}}};
#ifdef CONF_NONDETERMINISTIC
            record["idempotency_key"] = sender_ + ":" + std::string(fields[0]) + ":" + std::to_string(calls);
#endif
#ifdef CONF_INVALID_RECORDS
            record["payload"].erase("status");
#endif
            if (!fields[3].empty()) record["payload"]["reason"] = fields[3];
            std::string json;
            try {
                json = record.dump();
            } catch (const nlohmann::json::type_error &) {
                return ctx.recordError(where, "encoding", "", "the line is not UTF-8");
            }
            ctx.emit("referral_update", json, where);
        };
        for (int c = ctx.input().get(); c != -1; c = ctx.input().get()) {
            if (c == '\n') {
                endOfLine();
                line.clear();
                tooLong = false;
                offset = ctx.input().offset();
            } else if (line.size() < kMaxLine) {
                line.push_back(static_cast<char>(c));
            } else {
                tooLong = true;
            }
        }
        endOfLine();
        if (!trailer) throw lendgate::inputError("truncated", "no trailer");
        if (*trailer != records) throw lendgate::inputError("control_totals", "the trailer count is wrong");
    }

    void encode(lendgate::EncodeContext &ctx) override {
        std::string_view json;
        std::uint64_t count = 0;
        while (ctx.next(json)) {
            auto record = nlohmann::json::parse(json);
            const auto &payload = record["payload"];
            std::string reason = payload.value("reason", std::string());
#ifdef CONF_LOSSY_ENCODE
            reason.clear();
#endif
            ctx.write(payload["referral_id"].get<std::string>() + "|" + payload["status"].get<std::string>() + "|" +
                      record["occurred_at"].get<std::string>() + "|" + reason + "\n");
            ++count;
        }
        ctx.write("TRAILER|" + std::to_string(count) + "\n");
    }

private:
    std::string sender_;
    std::string hoard_;
};

}  // namespace

LENDGATE_EXPORT_PLUGIN(StatusPlugin)
