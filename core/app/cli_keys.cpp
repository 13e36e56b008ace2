// `lendgate keys`: the gateway's key ring (core/security/key_ring.h). It
// prints key IDs, dates and where the master key comes from; key material
// never leaves the ring through this tool.
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/security/key_ring.h"

namespace lendgate::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kKeysUsage =
    R"(usage: lendgate keys init|list [--config FILE | --dir DIR]
       lendgate keys rotate [--master] [--config FILE | --dir DIR]

The key ring is <data_dir>/keys of the configuration (default --config
config/lendgate.json), or DIR.

init          creates the ring if there is none: a token key, a first data
              key, and a master key that wraps them (from LENDGATE_MASTER_KEY,
              64 hexadecimal digits, or the file LENDGATE_MASTER_KEY_FILE
              names, or else a new master.key beside the ring).
              The daemon does this on its first start too.
list          the master key's ID and source, when the token key was made,
              and every data key with the current one marked.
rotate        adds a data key and makes it current: new data is sealed with
              it, older data still opens with the key that sealed it.
rotate --master
              wraps the ring with a new master key; no data is re-encrypted.
              A master from the environment (either form) is replaced by the
              one in LENDGATE_NEW_MASTER_KEY: give it to the daemon before
              its next start.
The token key is never rotated: account tokens and case keys depend on it.
A running daemon picks up a rotation within a few seconds.

Exit status: 0 done, 3 key ring problem, 64 usage.
)";

std::string utc(std::int64_t unixMs) {
    std::time_t t = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::optional<fs::path> ringDirectory(const Arguments &parsed, std::ostream &err) {
    if (auto dir = parsed.value("dir")) {
        if (parsed.value("config")) {
            err << "lendgate keys: give --dir or --config, not both\n";
            return std::nullopt;
        }
        return fs::path(*dir);
    }
    auto config = loadConfigArgument(parsed, err);
    if (!config) return std::nullopt;
    return config->dataDir / "keys";
}

void describe(const security::KeyRing &ring, std::ostream &out) {
    const auto master = ring.masterInfo();
    out << "key ring     " << ring.file().string() << "\n"
        << "master key   " << master.id << " (from " << master.source << ")\n"
        << "token key    made " << utc(ring.tokenKeyCreatedAtMs()) << " (never rotated)\n";
    for (const auto &key : ring.dataKeyInfo())
        out << "data key " << key.id << "   made " << utc(key.createdAtMs) << (key.current ? "  current" : "") << "\n";
}

}  // namespace

int runKeysCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << kKeysUsage;
        return args.empty() ? kUsage : kAllTaken;
    }
    const std::string sub = args[0];
    if (sub != "init" && sub != "list" && sub != "rotate") {
        err << "lendgate keys: unknown subcommand\n" << kKeysUsage;
        return kUsage;
    }
    std::string problem;
    auto parsed = Arguments::parse(std::vector<std::string>(args.begin() + 1, args.end()),
                                   {"config", "dir", "plugin-dir"}, {"master"}, problem);
    if (!parsed || !parsed->positional().empty() || (parsed->flag("master") && sub != "rotate")) {
        err << "lendgate keys: " << (problem.empty() ? "unexpected arguments" : problem) << "\n" << kKeysUsage;
        return kUsage;
    }
    auto dir = ringDirectory(*parsed, err);
    if (!dir) return kSetupFailed;
    std::error_code ec;
    const bool existed = fs::exists(*dir / security::kKeyRingFileName, ec);
    if (sub != "init" && !existed) {
        err << "lendgate keys: there is no key ring in " << dir->string() << "; run 'lendgate keys init'\n";
        return kSetupFailed;
    }
    SystemClock clock;
    auto ring = security::KeyRing::open(*dir, clock);
    if (!ring) {
        err << "lendgate keys: " << ring.error().message << "\n";
        return kSetupFailed;
    }
    if (sub == "init") {
        out << (existed ? "the key ring already exists; nothing changed\n" : "created the key ring\n");
        describe(*ring.value(), out);
        if (!existed && !auditOperatorAction(dir->parent_path(), "cli.keys_init", "key_ring", "", err))
            return kSetupFailed;
        return kAllTaken;
    }
    if (sub == "list") {
        describe(*ring.value(), out);
        return kAllTaken;
    }
    if (!parsed->flag("master")) {
        auto id = ring.value()->rotateDataKey();
        if (!id) {
            err << "lendgate keys: " << id.error().message << "\n";
            return kSetupFailed;
        }
        out << "data key " << id.value() << " is now current\n";
        return auditOperatorAction(dir->parent_path(), "cli.keys_rotate", std::to_string(id.value()), "data", err)
                   ? kAllTaken
                   : kSetupFailed;
    }
    std::optional<security::MasterKey> next;
    if (ring.value()->masterInfo().fromEnvironment) {
        const char *text = std::getenv(security::kNewMasterKeyEnv);
        if (text == nullptr || *text == '\0') {
            err << "lendgate keys: the master key comes from " << ring.value()->masterInfo().source
                << "; put the new one in " << security::kNewMasterKeyEnv << "\n";
            return kSetupFailed;
        }
        auto key = security::masterKeyFromHex(text, std::string("environment ") + security::kNewMasterKeyEnv, true);
        if (!key) {
            err << "lendgate keys: " << key.error().message << "\n";
            return kSetupFailed;
        }
        next = std::move(key.value());
    }
    auto id = ring.value()->rotateMasterKey(std::move(next));
    if (!id) {
        err << "lendgate keys: " << id.error().message << "\n";
        return kSetupFailed;
    }
    out << "the key ring is now wrapped by master key " << id.value() << "\n";
    if (ring.value()->masterInfo().fromEnvironment)
        out << "give the daemon the new master key (" << security::kMasterKeyEnv << ", or the file "
            << security::kMasterKeyFileEnv << " names) before it next starts\n";
    return auditOperatorAction(dir->parent_path(), "cli.keys_rotate", id.value(), "master", err) ? kAllTaken
                                                                                                 : kSetupFailed;
}

}  // namespace lendgate::cli
