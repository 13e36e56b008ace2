// Writes the HTTP intake benchmark's configuration: the sample configuration
// with every partner endpoint replaced by a pull endpoint (pull partners are
// never claimed by the dispatcher, so no delivery work competes with intake),
// ports 0, and data and inbound folders inside OUT.
//
//   lendgate_bench_config --source-dir REPO --out DIR
//
// Writes DIR/lendgate.json and DIR/partners/*.json; routes and plugin configs
// stay where they are (referenced by absolute path).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/bench/bench_support.h"

namespace lendgate::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

ordered_json readJson(const fs::path &path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return ordered_json::parse(in);
}

void writeJson(const fs::path &path, const ordered_json &doc) {
    std::ofstream out(path, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

ordered_json pullPartner(ordered_json partner, const fs::path &sourceDir, const fs::path &out) {
    const std::string id = partner.at("id").get<std::string>();
    for (const char *direction : {"inbound", "outbound"}) {
        if (!partner.contains(direction)) continue;
        for (auto &[type, binding] : partner[direction].items()) {
            (void)type;
            if (binding.contains("plugin_config"))
                binding["plugin_config"] =
                    fs::absolute(sourceDir / binding["plugin_config"].get<std::string>()).lexically_normal().string();
        }
    }
    if (partner.contains("channels"))
        for (auto &channel : partner["channels"])
            if (channel.contains("path")) channel["path"] = (out / "inbound" / id).string();
    partner["endpoints"] = ordered_json::array({{{"id", "pull"}, {"type", "pull"}}});
    return partner;
}

int run(const std::vector<std::string> &args) {
    const fs::path source = fs::absolute(option(args, "--source-dir", ""));
    const fs::path out = fs::absolute(option(args, "--out", ""));
    if (source.empty() || out.empty() || option(args, "--out", "").empty()) {
        std::cerr << "usage: lendgate_bench_config --source-dir REPO --out DIR\n";
        return 2;
    }
    const fs::path configDir = source / "config";
    fs::create_directories(out / "partners");
    fs::create_directories(out / "data");

    ordered_json gateway = readJson(configDir / "lendgate.json");
    gateway["data_dir"] = (out / "data").string();
    gateway["partners_dir"] = (out / "partners").string();
    gateway["routes"] = (configDir / "routes.json").string();
    gateway["http"]["partner_api"]["port"] = 0;
    gateway["http"]["admin_api"]["port"] = 0;
    writeJson(out / "lendgate.json", gateway);

    for (const auto &entry : fs::directory_iterator(configDir / "partners")) {
        if (entry.path().extension() != ".json") continue;
        writeJson(out / "partners" / entry.path().filename(),
                  pullPartner(readJson(entry.path()), configDir / "partners", out));
    }
    return 0;
}

}  // namespace
}  // namespace lendgate::bench

int main(int argc, char **argv) {
    try {
        return lendgate::bench::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception &e) {
        std::cerr << "lendgate_bench_config: " << e.what() << "\n";
        return 1;
    }
}
