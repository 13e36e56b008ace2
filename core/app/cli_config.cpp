// `lendgate config check`: the whole configuration, every problem at once.
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/config/gateway_config.h"

namespace lendgate::cli {

namespace {

constexpr std::string_view kConfigUsage = R"(usage: lendgate config check [--config FILE] [--plugin-dir DIR]

Checks the daemon's configuration (default config/lendgate.json) and every
partner file it names: JSON syntax and duplicate keys, the configuration
schemas, role permissions for each message type, that each plugin loads and
handles its type, and that each plugin configuration satisfies the plugin's
own schema. --plugin-dir overrides the configured plugin folder. Every problem is printed as FILE: /json/pointer: reason.

Exit status: 0 usable (warnings may be printed), 3 not usable, 64 usage.
)";

}  // namespace

int runConfigCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        out << kConfigUsage;
        return args.empty() ? Exit::kUsage : kAllTaken;
    }
    std::string error;
    auto parsed = Arguments::parse({args.begin() + 1, args.end()}, {"config", "plugin-dir"}, {"help"}, error);
    if (!parsed || args[0] != "check" || !parsed->positional().empty()) {
        err << (parsed ? std::string(kConfigUsage) : "lendgate config: " + error + "\n");
        return Exit::kUsage;
    }
    if (parsed->flag("help")) {
        out << kConfigUsage;
        return kAllTaken;
    }
    const std::string file = parsed->value("config").value_or("config/lendgate.json");
    config::LoadOptions options;
    if (auto dir = parsed->value("plugin-dir")) options.pluginDir = *dir;
    config::LoadedConfig loaded = config::loadGatewayConfig(file, options);
    for (const config::ConfigProblem &problem : loaded.problems) err << config::describe(problem) << "\n";
    if (!loaded.config) {
        err << file << ": not usable\n";
        return kSetupFailed;
    }
    const config::GatewayConfig &config = *loaded.config;
    out << config.file.string() << ": ok, " << config.partners.size() << " partners, " << config.routes->size()
        << " routing rules\n";
    for (const config::Partner &p : config.partners)
        out << "  " << p.id << " (" << model::toString(p.role) << "): " << p.inbound.size() << " inbound, "
            << p.outbound.size() << " outbound formats, " << p.endpoints.size() << " endpoints\n";
    return kAllTaken;
}

std::optional<config::GatewayConfig> loadConfigArgument(const Arguments &args, std::ostream &err) {
    const std::string file = args.value("config").value_or("config/lendgate.json");
    config::LoadOptions options;
    if (auto dir = args.value("plugin-dir")) options.pluginDir = *dir;
    auto loaded = config::loadGatewayConfig(file, options);
    for (const auto &problem : loaded.problems)
        if (!problem.warning) err << config::describe(problem) << "\n";
    if (!loaded.config) {
        err << file << ": not usable\n";
        return std::nullopt;
    }
    return std::move(loaded.config);
}

}  // namespace lendgate::cli
