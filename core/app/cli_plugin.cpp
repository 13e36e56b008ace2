// `lendgate plugin inspect|list|test|scaffold`: what a plugin author checks first.
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/app/cli.h"
#include "core/common/strict_json.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::cli {

namespace {

constexpr std::string_view kPluginUsage = R"(usage: lendgate plugin inspect FILE.so
       lendgate plugin list DIR
       lendgate plugin test FILE.so --config CONF.json --samples DIR [options]
       lendgate plugin scaffold NAME [DIR]

inspect   loads one plugin, checks its ABI version and descriptor, and prints
          the descriptor (name, version, types, config schema) as JSON.
list      loads every *.so in DIR and prints one line per plugin; plugins that
          fail to load are reported on stderr and make the exit status 3.
test      runs the conformance suite: descriptor, config schema, golden
          samples, canonical records, determinism, round trip, hostile inputs.
scaffold  writes a new out-of-tree plugin project that passes its own test.

Run 'lendgate plugin test --help' or 'lendgate plugin scaffold --help' for more.
)";

nlohmann::ordered_json formatsJson(const std::vector<plugin::Format> &formats) {
    auto out = nlohmann::ordered_json::array();
    for (const auto &f : formats) out.push_back({{"message_type", f.messageType}, {"media_type", f.mediaType}});
    return out;
}

nlohmann::ordered_json describe(const plugin::PluginInfo &info) {
    nlohmann::ordered_json d;
    d["file"] = info.file.string();
    d["name"] = info.name;
    d["version"] = info.version;
    d["description"] = info.description;
    d["abi"] = std::to_string(info.abiMajor) + "." + std::to_string(info.abiMinor);
    auto caps = nlohmann::ordered_json::array();
    if (info.canDecode()) caps.push_back("decode");
    if (info.canEncode()) caps.push_back("encode");
    if (info.streams()) caps.push_back("streaming");
    d["capabilities"] = caps;
    d["decodes"] = formatsJson(info.decodes);
    d["encodes"] = formatsJson(info.encodes);
    JsonSyntaxError syntax;
    auto schema = parseStrictJson(info.configSchema, syntax);  // the loader already proved it parses
    d["config_schema"] = schema ? nlohmann::ordered_json::parse(schema->dump()) : nlohmann::ordered_json();
    return d;
}

std::string typesOf(const std::vector<plugin::Format> &formats) {
    std::string out;
    for (const auto &f : formats) out += (out.empty() ? "" : ",") + f.messageType;
    return out.empty() ? "-" : out;
}

}  // namespace

int runPluginCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        out << kPluginUsage;
        return args.empty() ? kUsage : kAllTaken;
    }
    const std::string &sub = args[0];
    if (sub == "test") return runPluginTest({args.begin() + 1, args.end()}, out, err);
    if (sub == "scaffold") return runPluginScaffold({args.begin() + 1, args.end()}, out, err);
    std::string error;
    auto parsed = Arguments::parse({args.begin() + 1, args.end()}, {}, {"help"}, error);
    if (!parsed) {
        err << "lendgate plugin " << sub << ": " << error << "\n";
        return kUsage;
    }
    if (parsed->flag("help")) {
        out << kPluginUsage;
        return kAllTaken;
    }
    if (parsed->positional().size() != 1 || (sub != "inspect" && sub != "list")) {
        err << kPluginUsage;
        return kUsage;
    }
    const std::string &target = parsed->positional()[0];
    if (sub == "inspect") {
        auto loaded = plugin::PluginLibrary::load(target);
        if (!loaded) {
            err << "lendgate plugin inspect: " << loaded.error().message << "\n";
            return kSetupFailed;
        }
        out << describe(loaded.value()->info()).dump(2) << "\n";
        return kAllTaken;
    }
    plugin::PluginScan scan = plugin::scanPluginDirectory(target);
    for (const auto &library : scan.loaded) {
        const auto &info = library->info();
        out << info.name << "\t" << info.version << "\tdecodes=" << typesOf(info.decodes)
            << "\tencodes=" << typesOf(info.encodes) << "\t" << info.file.string() << "\n";
    }
    for (const auto &failure : scan.failures) err << "lendgate plugin list: " << failure.message << "\n";
    return scan.failures.empty() ? kAllTaken : kSetupFailed;
}

}  // namespace lendgate::cli
