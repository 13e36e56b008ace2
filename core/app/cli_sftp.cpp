// `lendgate sftp`: the drop-folder server (core/sftp/).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>

#include <iostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/redact.h"
#include "core/config/gateway_config.h"
#include "core/sftp/provisioner.h"
#include "core/sftp/sshd_config.h"

namespace lendgate::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSftpUsage =
    R"(usage: lendgate sftp provision PARTNER [--key FILE.pub] [--config FILE] [--plugin-dir DIR]
       lendgate sftp config [--config FILE] [--plugin-dir DIR]
       lendgate sftp serve [--config FILE] [--plugin-dir DIR]

provision  creates the partner's Unix account (sftp user_prefix + id, no
           shell, no password), its chroot <sftp root>/PARTNER with inbound/
           and outbound/, and installs its public key (--key, or the
           channel's authorized_keys) as <sftp root>/.keys/ACCOUNT. Run as
           root; running it again repairs owners and modes.
config     prints the sshd_config for every sftp_drop partner: the Match
           blocks are what a system sshd needs (see README, "SFTP drop folders").
serve      runs a dedicated sshd with that configuration in the foreground
           (host key generated on first use), for the sample world and tests.

Exit status: 0 done, 3 configuration or system problem, 64 usage.
)";

std::optional<config::GatewayConfig> load(const Arguments &parsed, std::ostream &err) {
    auto config = loadConfigArgument(parsed, err);
    if (config && !config->sftp) {
        err << config->file.string() << ": has no \"sftp\" section\n";
        return std::nullopt;
    }
    return config;
}

int provision(const config::GatewayConfig &config, const Arguments &parsed, std::ostream &out, std::ostream &err) {
    const auto &id = parsed.positional()[1];
    const auto *partner = config.partner(id);
    if (partner == nullptr) {
        err << "lendgate sftp provision: no partner '" << redactForLog(id, 64) << "'\n";
        return kSetupFailed;
    }
    sftp::ProvisionOptions options;
    if (auto key = parsed.value("key")) options.publicKey = fs::absolute(*key);
    auto report = sftp::provisionPartner(config, *partner, options);
    if (!report) {
        err << "lendgate sftp provision " << id << ": " << report.error().message << "\n";
        return kSetupFailed;
    }
    for (const auto &line : report.value()) out << line << "\n";
    return auditOperatorAction(config.dataDir, "cli.sftp_provision", id, "", err) ? kAllTaken : kSetupFailed;
}

int run(const std::vector<std::string> &argv) {
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int serve(const config::GatewayConfig &config, std::ostream &err) {
    const auto &s = *config.sftp;
    const fs::path dir = config.dataDir / "sftp";
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::create_directories(s.hostKey.parent_path(), ec);
    // Debian's sshd wants its privilege-separation folder even with -f.
    fs::create_directories("/run/sshd", ec);
    ::chmod("/run/sshd", 0755);
    auto text = sftp::renderSshdConfig(config, dir / "sshd.pid");
    if (!text) {
        err << "lendgate sftp serve: " << text.error().message << "\n";
        return kSetupFailed;
    }
    const fs::path file = dir / "sshd_config";
    {
        std::ofstream o(file, std::ios::trunc);
        o << text.value();
        if (!o) {
            err << "lendgate sftp serve: cannot write " << file.string() << "\n";
            return kSetupFailed;
        }
    }
    if (!fs::exists(s.hostKey, ec) && run({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                                           "lendgate-sftp", "-f", s.hostKey.string()}) != 0) {
        err << "lendgate sftp serve: cannot generate the host key " << s.hostKey.string() << "\n";
        return kSetupFailed;
    }
    if (run({s.sshdBinary.string(), "-t", "-f", file.string()}) != 0) {
        err << "lendgate sftp serve: sshd refused " << file.string() << " (see above)\n";
        return kSetupFailed;
    }
    std::cout.flush();
    const std::string binary = s.sshdBinary.string(), path = file.string();
    // sshd in the foreground, logging to stderr; it takes our place, so a
    // supervisor's signals reach it directly.
    ::execl(binary.c_str(), binary.c_str(), "-D", "-e", "-f", path.c_str(), static_cast<char *>(nullptr));
    err << "lendgate sftp serve: cannot run " << binary << ": " << std::strerror(errno) << "\n";
    return kSetupFailed;
}

}  // namespace

int runSftpCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        out << kSftpUsage;
        return args.empty() ? Exit::kUsage : kAllTaken;
    }
    std::string error;
    auto parsed = Arguments::parse(args, {"config", "plugin-dir", "key"}, {"help"}, error);
    if (!parsed) {
        err << "lendgate sftp: " << error << "\n";
        return Exit::kUsage;
    }
    const auto &verb = parsed->positional().empty() ? std::string() : parsed->positional()[0];
    const std::size_t wanted = verb == "provision" ? 2 : 1;
    if ((verb != "provision" && verb != "config" && verb != "serve") || parsed->positional().size() != wanted ||
        (verb != "provision" && parsed->value("key"))) {
        err << kSftpUsage;
        return Exit::kUsage;
    }
    auto config = load(*parsed, err);
    if (!config) return kSetupFailed;
    if (verb == "provision") return provision(*config, *parsed, out, err);
    if (verb == "config") {
        auto text = sftp::renderSshdConfig(*config, config->dataDir / "sftp" / "sshd.pid");
        if (!text) {
            err << "lendgate sftp config: " << text.error().message << "\n";
            return kSetupFailed;
        }
        out << text.value();
        return kAllTaken;
    }
    return serve(*config, err);
}

}  // namespace lendgate::cli
