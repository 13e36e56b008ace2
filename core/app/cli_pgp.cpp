// `lendgate pgp`: the gateway's OpenPGP keyring (core/pgp/). Prints
// fingerprints, user ids and public keys only; secret material never leaves
// the keyring through this tool.
#include <ctime>
#include <iomanip>
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/config/gateway_config.h"
#include "core/pgp/pgp.h"

namespace lendgate::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPgpUsage =
    R"(usage: lendgate pgp init --user-id "NAME <EMAIL>" [--algorithm rsa3072|ed25519] [HOME]
       lendgate pgp init --import FILE --fingerprint FPR [HOME]
       lendgate pgp import-partner-key --file FILE.asc --fingerprint FPR [HOME]
       lendgate pgp export-public-key [--fingerprint FPR] [HOME]
       lendgate pgp list [HOME]

HOME is --home DIR, or --config FILE [--plugin-dir DIR] for <data_dir>/gnupg
(default --config config/lendgate.json). Keep the path short: gpg-agent's
socket lives in it and must fit in 108 bytes.

init               makes the gateway's key pair (signing key and encryption
                   subkey, no passphrase: the gateway signs unattended; the
                   folder is 0700), or imports an exported one (--import)
                   that must carry FPR and need no passphrase. rsa3072 (the
                   default) is read by every partner's OpenPGP tool.
import-partner-key imports a partner's public key if the file holds exactly
                   that one key (FPR, as pinned in the partner profile), not
                   revoked or expired.
export-public-key  prints a public key, armored (default: the gateway's),
                   to hand to partners.
list               prints every key: fingerprint, public/secret, algorithm,
                   capabilities, expiry, state and user id.

Exit status: 0 done, 3 key or keyring problem, 64 usage.
)";

std::optional<pgp::Keyring> openKeyring(const Arguments &parsed, std::ostream &err) {
    fs::path home;
    if (auto dir = parsed.value("home")) {
        if (parsed.value("config")) {
            err << "lendgate pgp: give --home or --config, not both\n";
            return std::nullopt;
        }
        home = *dir;
    } else {
        auto config = loadConfigArgument(parsed, err);
        if (!config) return std::nullopt;
        home = config->pgpHome;
    }
    auto keyring = pgp::Keyring::open(home);
    if (!keyring) {
        err << "lendgate pgp: " << keyring.error().message << "\n";
        return std::nullopt;
    }
    return std::move(keyring.value());
}

std::string date(std::int64_t unixSeconds) {
    if (unixSeconds == 0) return "never";
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

void printKey(const pgp::KeyInfo &key, std::ostream &out) {
    std::string caps = std::string(key.canSign ? "S" : "") + (key.canEncrypt ? "E" : "");
    const char *state = key.revoked ? "revoked" : key.expired ? "expired" : "valid";
    out << key.fingerprint << "  " << (key.secret ? "sec" : "pub") << "  " << std::left << std::setw(9) << key.algorithm
        << " " << std::setw(3) << (caps.empty() ? "-" : caps) << " created " << date(key.createdAt) << "  expires "
        << std::setw(10) << date(key.expiresAt) << "  " << std::setw(7) << state << "  " << key.userId << "\n";
}

int failed(const std::string &verb, const Error &error, std::ostream &err) {
    err << "lendgate pgp " << verb << ": " << error.code << ": " << error.message << "\n";
    return kSetupFailed;
}

int init(const pgp::Keyring &keyring, const Arguments &parsed, std::ostream &out, std::ostream &err) {
    Result<pgp::KeyInfo> key = Error{};
    if (auto file = parsed.value("import")) {
        auto fingerprint = parsed.value("fingerprint");
        if (!fingerprint || parsed.value("user-id") || parsed.value("algorithm")) {
            err << kPgpUsage;
            return kUsage;
        }
        key = keyring.importGatewayKey(*file, *fingerprint);
    } else {
        auto userId = parsed.value("user-id");
        const std::string algorithm = parsed.value("algorithm").value_or("rsa3072");
        if (!userId || parsed.value("fingerprint") || (algorithm != "rsa3072" && algorithm != "ed25519")) {
            err << kPgpUsage;
            return kUsage;
        }
        key = keyring.generateGatewayKey(
            *userId, algorithm == "ed25519" ? pgp::KeyAlgorithm::Ed25519 : pgp::KeyAlgorithm::Rsa3072);
    }
    if (!key) return failed("init", key.error(), err);
    out << "gateway key in " << keyring.home().string() << ":\n";
    printKey(key.value(), out);
    out << "give partners its public key: lendgate pgp export-public-key\n";
    return kAllTaken;
}

}  // namespace

int runPgpCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        out << kPgpUsage;
        return args.empty() ? Exit::kUsage : kAllTaken;
    }
    std::string error;
    auto parsed = Arguments::parse(
        args, {"home", "config", "plugin-dir", "user-id", "algorithm", "import", "fingerprint", "file"}, {"help"},
        error);
    if (!parsed) {
        err << "lendgate pgp: " << error << "\n";
        return Exit::kUsage;
    }
    const auto &verb = parsed->positional().empty() ? std::string() : parsed->positional()[0];
    const bool known = verb == "init" || verb == "import-partner-key" || verb == "export-public-key" || verb == "list";
    if (!known || parsed->positional().size() != 1 || (verb != "import-partner-key" && parsed->value("file")) ||
        (verb != "init" && (parsed->value("user-id") || parsed->value("algorithm") || parsed->value("import")))) {
        err << kPgpUsage;
        return Exit::kUsage;
    }
    if (verb == "import-partner-key" && (!parsed->value("file") || !parsed->value("fingerprint"))) {
        err << kPgpUsage;
        return Exit::kUsage;
    }
    auto keyring = openKeyring(*parsed, err);
    if (!keyring) return kSetupFailed;

    if (verb == "init") {
        const int made = init(*keyring, *parsed, out, err);
        if (made != kAllTaken) return made;
        return auditOperatorAction(*parsed, "cli.pgp_init", "gateway_key", "", err) ? kAllTaken : kSetupFailed;
    }
    if (verb == "import-partner-key") {
        auto key = keyring->importPartnerKey(*parsed->value("file"), *parsed->value("fingerprint"));
        if (!key) return failed(verb, key.error(), err);
        out << "imported partner key:\n";
        printKey(key.value(), out);
        return auditOperatorAction(*parsed, "cli.pgp_import", key.value().fingerprint, "partner", err) ? kAllTaken
                                                                                                       : kSetupFailed;
    }
    if (verb == "export-public-key") {
        std::string fingerprint;
        if (auto given = parsed->value("fingerprint")) {
            fingerprint = *given;
        } else {
            auto own = keyring->gatewayKey();
            if (!own) return failed(verb, own.error(), err);
            fingerprint = own.value().fingerprint;
        }
        auto armored = keyring->exportPublicKey(fingerprint);
        if (!armored) return failed(verb, armored.error(), err);
        out << armored.value();
        return kAllTaken;
    }
    auto keys = keyring->list();
    if (!keys) return failed(verb, keys.error(), err);
    if (keys.value().empty()) out << "no keys in " << keyring->home().string() << "; run `lendgate pgp init`\n";
    for (const auto &key : keys.value()) printKey(key, out);
    return kAllTaken;
}

}  // namespace lendgate::cli
