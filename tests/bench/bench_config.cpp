// Writes the HTTP intake benchmark's configuration: the sample configuration
// with every partner endpoint replaced by a pull endpoint (pull partners are
// never claimed by the dispatcher, so no delivery work competes with intake),
// ports 0, and data and inbound folders inside OUT.
//
//   lendgate_bench_config --source-dir REPO --out DIR [--sftp-root DIR --sftp-port N]
//
// Without --sftp-root no drop folder is watched; with it, the sample's drop
// folders (Desert Valley Bank's among them) live under that root and the
// drop-folder sshd listens on 127.0.0.1:N (run.sh's SFTP drop benchmark).
//
// Writes DIR/lendgate.json and DIR/partners/*.json; routes and plugin configs
// stay where they are (referenced by absolute path). Also adds "bench-lender",
// a lender that submits canonical JSON over HTTP (the sample lenders submit
// fixed-width or CSV files), and DIR/intake_sample.json, the body run.sh
// POSTs: a delinquency notice with an account number, SSN and date of birth,
// so every request pays for tokenizing and sealing like a real one.
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
    // A nonprofit's service directory is named relative to its partner file.
    if (partner.contains("directory") && partner["directory"].contains("file"))
        partner["directory"]["file"] =
            fs::absolute(sourceDir / partner["directory"]["file"].get<std::string>()).lexically_normal().string();
    if (partner.contains("channels"))
        for (auto &channel : partner["channels"])
            if (channel.contains("path")) channel["path"] = (out / "inbound" / id).string();
    partner["endpoints"] = ordered_json::array({{{"id", "pull"}, {"type", "pull"}}});
    return partner;
}

// The key run.sh sends; its SHA-256 is below (keys are stored hashed).
constexpr const char *kBenchLenderKeySha256 = "652be807d7e9d214ebf25e994804c756c43d41cb77f6ac3b284ec2214b226cdf";

ordered_json benchLender(const fs::path &configDir) {
    const ordered_json canonical = {{"plugin", "json"},
                                    {"plugin_config", (configDir / "plugins" / "json.json").string()}};
    return {
        {"id", "bench-lender"},
        {"name", "Benchmark Lender"},
        {"role", "lender"},
        {"inbound", {{"delinquency_notice", canonical}, {"repossession_assignment", canonical}}},
        {"outbound", {{"ack", canonical}}},
        {"channels", ordered_json::array({{{"type", "http"}}})},
        {"endpoints", ordered_json::array({{{"id", "pull"}, {"type", "pull"}}})},
        {"credentials",
         {{"api_keys",
           ordered_json::array(
               {{{"id", "bench-lender-key"}, {"prefix", "lgk_bench_le"}, {"sha256", kBenchLenderKeySha256}}})}}},
    };
}

// The golden full notice as a partner would send it: the gateway assigns
// sender, receipt time and references itself.
ordered_json intakeSample(const fs::path &sourceDir) {
    ordered_json message = readJson(sourceDir / "tests/core/model/golden/valid/delinquency_notice_full.json");
    for (const char *assigned : {"message_id", "sender", "receiver", "received_at", "case_id", "partner_refs"})
        message.erase(assigned);
    message["idempotency_key"] = "BENCH-NOTICE-KEY";
    return message;
}

int run(const std::vector<std::string> &args) {
    const fs::path source = fs::absolute(option(args, "--source-dir", ""));
    const fs::path out = fs::absolute(option(args, "--out", ""));
    if (source.empty() || out.empty() || option(args, "--out", "").empty()) {
        std::cerr << "usage: lendgate_bench_config --source-dir REPO --out DIR [--sftp-root DIR --sftp-port N]\n";
        return 2;
    }
    const fs::path configDir = source / "config";
    fs::create_directories(out / "partners");
    fs::create_directories(out / "data");

    ordered_json gateway = readJson(configDir / "lendgate.json");
    gateway["data_dir"] = (out / "data").string();
    gateway["partners_dir"] = (out / "partners").string();
    gateway["routes"] = (configDir / "routes.json").string();
    gateway["policies"] = (configDir / "policies.json").string();
    gateway["http"]["partner_api"]["port"] = 0;
    gateway["http"]["admin_api"]["port"] = 0;
    if (const std::string root = option(args, "--sftp-root", ""); !root.empty()) {
        gateway["sftp"]["root"] = fs::absolute(root).string();
        gateway["sftp"]["listen"] = {{"host", "127.0.0.1"}, {"port", std::stoi(option(args, "--sftp-port", "2222"))}};
        gateway["sftp"]["max_file_bytes"] = 1LL << 30;  // the 1M-record file is about 300 MB
    } else {
        gateway.erase("sftp");
    }
    writeJson(out / "lendgate.json", gateway);

    for (const auto &entry : fs::directory_iterator(configDir / "partners")) {
        if (entry.path().extension() != ".json") continue;
        writeJson(out / "partners" / entry.path().filename(),
                  pullPartner(readJson(entry.path()), configDir / "partners", out));
    }
    writeJson(out / "partners" / "bench-lender.json", benchLender(configDir));
    writeJson(out / "intake_sample.json", intakeSample(source));
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
