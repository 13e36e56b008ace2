// A well-behaved plugin written with the C++ layer; each input line is a
// record, and a few magic lines exercise every failure path of the host.
#include <lendgate/plugin.hpp>

#include <stdexcept>
#include <string>

namespace {

constexpr lendgate_format kDecodes[] = {{"test_line", "text/plain"}};
constexpr lendgate_format kEncodes[] = {{"test_line", "text/plain"}};

std::string escape(const std::string &text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

class EchoPlugin final : public lendgate::Plugin {
public:
    static lendgate::PluginTraits traits() {
        return {"echo",
                "1.2.3",
                "Echoes lines as records (test plugin)",
                R"({"type":"object","additionalProperties":false,
                    "properties":{"prefix":{"type":"string","maxLength":8},"fail_create":{"type":"boolean"}}})",
                kDecodes,
                kEncodes};
    }

    EchoPlugin(const lendgate::Host &host, std::string_view config) : host_(host) {
        if (config.find("\"fail_create\":true") != std::string_view::npos ||
            config.find("\"fail_create\": true") != std::string_view::npos)
            throw lendgate::configError("config.refused", "the echo plugin was told to refuse its config");
        host_.log(LENDGATE_LOG_INFO, "echo plugin created");
    }

    void decode(lendgate::DecodeContext &ctx) override {
        std::string line;
        lendgate::Location where;
        std::uint64_t lineNumber = 0;
        auto flush = [&] {
            ++lineNumber;
            where.record = lineNumber;
            where.line = lineNumber;
            if (line == "BAD") {
                ctx.recordError(where, "bad_line", "/text", "the line says BAD");
            } else if (line.rfind("LEAK ", 0) == 0) {
                // A careless plugin quoting the value: the host must mask it.
                ctx.recordError(where, "leak", "/text", "value " + line.substr(5) + " is wrong");
            } else if (line == "FATAL") {
                throw lendgate::inputError("control_totals", "the input is truncated");
            } else if (line == "THROW") {
                throw std::runtime_error("boom");
            } else {
                ctx.emit("test_line", "{\"text\":\"" + escape(line) + "\"}", where);
            }
            line.clear();
            where.byteOffset = ctx.input().offset();
        };
        for (int c = ctx.input().get(); c != -1; c = ctx.input().get()) {
            if (c == '\n')
                flush();
            else
                line.push_back(static_cast<char>(c));
        }
        if (!line.empty()) flush();
    }

    void encode(lendgate::EncodeContext &ctx) override {
        std::string_view json;
        while (ctx.next(json)) {
            ctx.write(json);
            ctx.write("\n");
        }
    }

private:
    lendgate::Host host_;
};

}  // namespace

LENDGATE_EXPORT_PLUGIN(EchoPlugin)
