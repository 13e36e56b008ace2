// `lendgate plugin scaffold NAME [DIR]`: a new out-of-tree plugin project that
// builds against the installed SDK and passes its own conformance test as it
// stands, so an author starts from green and changes one thing at a time.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <regex>

#include "core/app/cli.h"

namespace lendgate::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kScaffoldUsage = R"(usage: lendgate plugin scaffold NAME [DIR]

Writes a new plugin project into DIR (default ./NAME), which must not exist
or be empty:

  CMakeLists.txt          find_package(LendgateSDK), lendgate_add_plugin(NAME)
                          and lendgate_plugin_test() (the conformance suite)
  NAME_plugin.cpp         a working decoder written against lendgate/plugin.hpp:
                          status lines with a trailer into referral_update records
  config.json             its configuration
  samples/example.txt     a sample input, and samples/example.expected.jsonl,
                          the canonical records it must decode to
  README.md               how to build, test and change it

NAME must match [a-z0-9][a-z0-9_-]* (the plugin file is lendgate-plugin-NAME.so).
Then, with the SDK installed under PREFIX:

  cmake -S DIR -B DIR/build -DCMAKE_PREFIX_PATH=PREFIX
  cmake --build DIR/build
  ctest --test-dir DIR/build --output-on-failure
)";

constexpr std::string_view kCMakeLists =
    R"TEMPLATE(# @NAME@: a lendgate format plugin. Build and test it against the installed SDK:
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=/path/to/lendgate-sdk
#   cmake --build build && ctest --test-dir build --output-on-failure
cmake_minimum_required(VERSION 3.20)
project(@NAME@ VERSION 0.1.0 LANGUAGES CXX)

find_package(LendgateSDK @SDK_VERSION@ REQUIRED)

# -> lendgate-plugin-@NAME@.so, exporting only lendgate_plugin_entry.
lendgate_add_plugin(@NAME@ SOURCES @SOURCE@)
target_compile_options(lendgate-plugin-@NAME@ PRIVATE -Wall -Wextra -Werror)

# The conformance suite as a ctest test: each samples/NAME.* decodes to
# samples/NAME.expected.jsonl, hostile inputs are refused, decoding is
# deterministic, the config schema refuses unknown keys (lendgate plugin test --help).
enable_testing()
lendgate_plugin_test(TARGET lendgate-plugin-@NAME@ CONFIG config.json SAMPLES samples)
)TEMPLATE";

constexpr std::string_view kSource = R"TEMPLATE(// @NAME@: a lendgate format plugin, made by `lendgate plugin scaffold`.
//
// It reads referral status lines, a starting point to change into your
// partner's format and the canonical records it carries:
//
//   # comment lines start with '#'
//   REFERRAL_ID|STATUS|UPDATED_AT|REASON
//   TRAILER|<number of status lines>
//
// and emits one canonical referral_update record per status line. A file with
// no trailer, or one whose count disagrees, is refused whole: it was cut short.
#include <lendgate/plugin.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr lendgate_format kDecodes[] = {{"referral_update", "text/plain"}};
// Memory stays bounded whatever the input: a longer line is an error, not a buffer.
constexpr std::size_t kMaxLine = 4096;

struct Line {
    std::string text;
    std::uint64_t number = 0;
    std::uint64_t offset = 0;
    bool tooLong = false;
};

// The next line without its line end; false at the end of the input.
bool readLine(lendgate::InputStream &in, Line &line) {
    line.offset = in.offset();
    line.text.clear();
    line.tooLong = false;
    int c = in.get();
    if (c == -1) return false;
    ++line.number;
    for (; c != -1 && c != '\n'; c = in.get()) {
        if (line.text.size() < kMaxLine)
            line.text.push_back(static_cast<char>(c));
        else
            line.tooLong = true;
    }
    if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
    return true;
}

std::vector<std::string_view> split(std::string_view line, char separator) {
    std::vector<std::string_view> fields;
    for (;;) {
        const auto at = line.find(separator);
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

// A JSON string; other bytes are copied as they are, since the gateway's
// canonical model refuses a record that is not UTF-8.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

class @CLASS@ final : public lendgate::Plugin {
public:
    static lendgate::PluginTraits traits() {
        return {"@NAME@",
                "0.1.0",
                "Referral status lines with a trailer",
                // The host checks the configuration against this schema before create();
                // "additionalProperties": false makes a misspelt key an error, not a silent default.
                R"({"type":"object","additionalProperties":false,"required":["sender_id"],
                    "properties":{"sender_id":{"type":"string","pattern":"^[a-z0-9-]{1,64}$"}}})",
                kDecodes,
                {}};
    }

    @CLASS@(const lendgate::Host &, std::string_view config) {
        // The schema allows exactly one "sender_id" of [a-z0-9-]: nothing to unescape.
        const auto key = config.find("\"sender_id\"");
        const auto open = config.find('"', config.find(':', key) + 1);
        senderId_ = std::string(config.substr(open + 1, config.find('"', open + 1) - open - 1));
    }

    void decode(lendgate::DecodeContext &ctx) override {
        Line line;
        std::uint64_t records = 0;
        std::optional<std::uint64_t> trailer;
        while (readLine(ctx.input(), line)) {
            if (line.text.empty() || line.text[0] == '#') continue;
            if (trailer) throw lendgate::inputError("after_trailer", "content after the TRAILER line");
            if (line.text.rfind("TRAILER|", 0) == 0) {
                trailer = count(std::string_view(line.text).substr(8));
                if (!trailer) throw lendgate::inputError("trailer", "the TRAILER count is not a number");
                continue;
            }
            const lendgate::Location where{++records, line.number, line.offset, {}};
            if (line.tooLong)
                ctx.recordError(where, "line_too_long", "", "the line is longer than 4096 bytes");
            else
                decodeRecord(ctx, line.text, where);
        }
        if (!trailer) throw lendgate::inputError("truncated", "no TRAILER line: the file was cut short");
        if (*trailer != records)
            throw lendgate::inputError("control_totals", "the TRAILER counts " + std::to_string(*trailer) +
                                                             " status lines, the file has " + std::to_string(records));
    }

private:
    // Errors name the field and the reason, never the value (it may be personal data).
    void decodeRecord(lendgate::DecodeContext &ctx, std::string_view text, const lendgate::Location &where) {
        const auto fields = split(text, '|');
        if (fields.size() != 4) return ctx.recordError(where, "field_count", "", "expected 4 fields separated by |");
        if (fields[0].empty())
            return ctx.recordError(where, "required", "/payload/referral_id", "REFERRAL_ID is empty");
        // The canonical model checks the status vocabulary and the timestamp; the plugin only maps.
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

LENDGATE_EXPORT_PLUGIN(@CLASS@)
)TEMPLATE";

constexpr std::string_view kConfig = R"TEMPLATE({"sender_id": "example-partner"}
)TEMPLATE";

constexpr std::string_view kSample = R"TEMPLATE(# Example partner referral status, 2026-11-23
REF-1001|accepted|2026-11-23T09:15:00-07:00|
REF-1002|in-progress|2026-11-23T10:02:00-07:00|intake call scheduled
REF-1003|completed|2026-11-23T11:30:00-07:00|
TRAILER|3
)TEMPLATE";

constexpr std::string_view kExpected =
    R"TEMPLATE({"message_type":"referral_update","schema_version":"1.0","idempotency_key":"example-partner:REF-1001:2026-11-23T09:15:00-07:00","occurred_at":"2026-11-23T09:15:00-07:00","payload":{"referral_id":"REF-1001","status":"accepted"}}
{"message_type":"referral_update","schema_version":"1.0","idempotency_key":"example-partner:REF-1002:2026-11-23T10:02:00-07:00","occurred_at":"2026-11-23T10:02:00-07:00","payload":{"referral_id":"REF-1002","status":"in-progress","reason":"intake call scheduled"}}
{"message_type":"referral_update","schema_version":"1.0","idempotency_key":"example-partner:REF-1003:2026-11-23T11:30:00-07:00","occurred_at":"2026-11-23T11:30:00-07:00","payload":{"referral_id":"REF-1003","status":"completed"}}
)TEMPLATE";

constexpr std::string_view kReadme = R"TEMPLATE(# @NAME@

A lendgate format plugin: `lendgate-plugin-@NAME@.so` decodes referral status
lines with a trailer (`samples/example.txt`) into canonical `referral_update`
records. It was made by `lendgate plugin scaffold`; change `@SOURCE@`,
`config.json` and `samples/` into your partner's format.

## Build and test

    cmake -S . -B build -DCMAKE_PREFIX_PATH=/path/to/lendgate-sdk
    cmake --build build
    ctest --test-dir build --output-on-failure

The test is the lendgate conformance suite (`lendgate plugin test --help`).

## Samples

Each `samples/NAME.EXT` is an input; beside it:

* `NAME.expected.jsonl`: the canonical records the gateway takes from it, one
  per line, in order;
* `NAME.expected-errors.txt` (when the sample has bad records): one
  `line L: record R: FIELD: CODE` per error, and `input: CODE` last when the
  whole input is refused;
* `NAME.type` (optional): the message type to ask the plugin for.

After a deliberate change of output, rewrite the expected files and review
the diff:

    lendgate plugin test build/lendgate-plugin-@NAME@.so --config config.json \
        --samples samples --update-golden
)TEMPLATE";

std::string className(const std::string &name) {
    std::string out;
    bool upper = true;
    for (char c : name) {
        if (c == '-' || c == '_') {
            upper = true;
            continue;
        }
        out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        upper = false;
    }
    if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(0, "Plugin");
    return out + "Plugin";
}

std::string fill(std::string_view text, const std::vector<std::pair<std::string, std::string>> &values) {
    std::string out(text);
    for (const auto &[key, value] : values)
        for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
            out.replace(at, key.size(), value);
    return out;
}

}  // namespace

int runPluginScaffold(const std::vector<std::string> &rawArgs, std::ostream &out, std::ostream &err) {
    std::string error;
    auto args = Arguments::parse(rawArgs, {}, {"help"}, error);
    if (!args) {
        err << "lendgate plugin scaffold: " << error << "\n";
        return kUsage;
    }
    if (args->flag("help")) {
        out << kScaffoldUsage;
        return kAllTaken;
    }
    const auto &positional = args->positional();
    if (positional.empty() || positional.size() > 2) {
        err << kScaffoldUsage;
        return kUsage;
    }
    const std::string &name = positional[0];
    static const std::regex valid("^[a-z0-9][a-z0-9_-]{0,63}$");
    if (!std::regex_match(name, valid)) {
        err << "lendgate plugin scaffold: the name must match [a-z0-9][a-z0-9_-]* (at most 64 characters)\n";
        return kUsage;
    }
    const fs::path dir = positional.size() == 2 ? fs::path(positional[1]) : fs::path(name);
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
        err << "lendgate plugin scaffold: " << dir.string() << " exists and is not an empty folder; nothing written\n";
        return kSetupFailed;
    }
    std::string source = name + "_plugin.cpp";
    std::replace(source.begin(), source.end(), '-', '_');
    const std::string version = LENDGATE_VERSION;
    const std::vector<std::pair<std::string, std::string>> values = {
        {"@NAME@", name},
        {"@CLASS@", className(name)},
        {"@SOURCE@", source},
        {"@SDK_VERSION@", version.substr(0, version.find('.', version.find('.') + 1))}};
    const std::vector<std::pair<fs::path, std::string_view>> files = {{"CMakeLists.txt", kCMakeLists},
                                                                      {source, kSource},
                                                                      {"config.json", kConfig},
                                                                      {"samples/example.txt", kSample},
                                                                      {"samples/example.expected.jsonl", kExpected},
                                                                      {"README.md", kReadme},
                                                                      {".gitignore", "build/\n"}};
    fs::create_directories(dir / "samples", ec);
    if (ec) {
        err << "lendgate plugin scaffold: " << dir.string() << ": " << ec.message() << "\n";
        return kSetupFailed;
    }
    for (const auto &[file, text] : files) {
        std::ofstream stream(dir / file, std::ios::binary | std::ios::trunc);
        stream << fill(text, values);
        if (!stream.flush()) {
            err << "lendgate plugin scaffold: " << (dir / file).string() << ": cannot be written\n";
            return kSetupFailed;
        }
    }
    out << "created " << dir.string() << "/ with the plugin " << name << " (" << source
        << "), its config, a sample and its conformance test\n"
        << "next, with the SDK installed under PREFIX:\n"
        << "  cmake -S " << dir.string() << " -B " << (dir / "build").string() << " -DCMAKE_PREFIX_PATH=PREFIX\n"
        << "  cmake --build " << (dir / "build").string() << "\n"
        << "  ctest --test-dir " << (dir / "build").string() << " --output-on-failure\n";
    return kAllTaken;
}

}  // namespace lendgate::cli
