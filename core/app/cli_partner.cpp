// `lendgate partner rotate-key`: a partner's API key, request-signing secret
// or webhook signing secret replaced with two valid at once. The new
// credential is printed once and never stored in the clear: an API key goes
// into the profile as its SHA-256 and lookup prefix, a signing secret into a
// file sealed with the key ring (core/config/sealed_secrets.h). Older ones get
// an expires_at, so the partner has the overlap to switch.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/api/request_auth.h"
#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/config/sealed_secrets.h"
#include "core/model/calendar.h"
#include "core/security/encoding.h"
#include "core/security/key_ring.h"
#include "core/security/secret.h"

namespace lendgate::cli {
namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kPartnerUsage =
    R"(usage: lendgate partner rotate-key PARTNER [--signing | --webhook] [--overlap HOURS] [--config FILE]
                                          [--plugin-dir DIR]

Makes a new credential for PARTNER, prints it once, and rewrites the partner's
profile (atomically, same permissions). Older credentials keep working for the
overlap (default 168 hours) and are refused from their expires_at on.

without --signing  a new API key: the profile keeps its SHA-256 and prefix only.
--signing          a new request-signing secret (HMAC of partner requests),
                   sealed with the key ring in <data_dir>/secrets/PARTNER-N.sealed.
--webhook          a new signing secret for the partner's webhook endpoints (HMAC
                   of what the gateway sends), sealed in
                   <data_dir>/secrets/PARTNER.webhook-N.sealed; until the old
                   secret expires each webhook carries both signatures.

The daemon reads partner profiles when it starts: restart it to take the new
credential in. Exit status: 0 done, 3 configuration or key ring problem, 64 usage.
)";

constexpr std::int64_t kDefaultOverlapHours = 168;

std::string rfc3339(std::int64_t unixSeconds) {
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::optional<std::string> randomHex(std::size_t bytes, std::ostream &err) {
    std::vector<std::uint8_t> raw(bytes);
    if (auto made = security::randomBytes(raw); !made) {
        err << "lendgate partner: " << made.error().message << "\n";
        return std::nullopt;
    }
    return security::toHex(raw);
}

// Replaces `file` with `text` so a reader sees the old profile or the new one,
// never a mix, and a crash leaves one of the two on disk.
Result<bool> replaceFileAtomically(const fs::path &file, const std::string &text) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return Error{"io", file.string() + ": " + std::strerror(errno)};
    const fs::path temporary = file.string() + ".rotate-tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 07777);
    if (fd < 0) return Error{"io", temporary.string() + ": " + std::strerror(errno)};
    bool ok = ::fchmod(fd, info.st_mode & 07777) == 0;
    std::size_t written = 0;
    while (ok && written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temporary.c_str());
        return Error{"io", "cannot rewrite " + file.string() + ": " + why};
    }
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

// Sets expires_at on each credential still valid at `now`, never later than
// an expiry it already has.
void expireBy(ordered_json &entry, std::int64_t now, std::int64_t expiresAt) {
    if (auto current = entry.find("expires_at"); current != entry.end() && current->is_string()) {
        auto when = model::Timestamp::parse(current->get<std::string>());
        if (when && (when->unixSeconds() <= now || when->unixSeconds() <= expiresAt)) return;
    }
    entry["expires_at"] = rfc3339(expiresAt);
}

struct Rotation {
    std::string secret;       ///< printed once
    std::string description;  ///< what was made, without the secret
    std::string overlap;      ///< how the old and the new coexist; empty: the usual line
};

// The next unused <data_dir>/secrets/STEM<n>.sealed, relative to the data
// folder. Numbers are never reused: a profile edited back by hand still
// points at the secret it was written with.
std::string nextSealedFile(const fs::path &dataDir, const std::string &stem) {
    int next = 1;
    std::error_code ec;
    for (fs::directory_iterator it(dataDir / "secrets", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(stem, 0) != 0 || it->path().extension() != ".sealed") continue;
        int n = 0;
        const std::string digits = name.substr(stem.size(), name.size() - stem.size() - 7);
        auto [end2, bad] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (bad == std::errc{} && end2 == digits.data() + digits.size() && n >= next) next = n + 1;
    }
    return "secrets/" + stem + std::to_string(next) + ".sealed";
}

// A new random secret sealed for `partnerId` and `purpose`; empty on failure
// (reported on `err`).
std::optional<std::pair<std::string, std::string>> sealNewSecret(const config::GatewayConfig &config,
                                                                 const std::string &partnerId, std::string_view purpose,
                                                                 const std::string &stem, std::ostream &err) {
    SystemClock clock;
    auto ring = security::KeyRing::open(config.dataDir / "keys", clock);
    if (!ring) {
        err << "lendgate partner: " << ring.error().message << "\n";
        return std::nullopt;
    }
    auto random = randomHex(32, err);
    if (!random) return std::nullopt;
    std::string secret = "lgs_" + *random;
    std::string relative = nextSealedFile(config.dataDir, stem);
    auto sealed = config::writeSealedSecret(config.dataDir / relative, secret, *ring.value(), partnerId, purpose);
    if (!sealed) {
        err << "lendgate partner: " << sealed.error().message << "\n";
        return std::nullopt;
    }
    return std::pair{std::move(secret), std::move(relative)};
}

// Keeps the rotated-out entries of `list` still valid at `now` (capped at
// the new expiry) and adds `retiring` with expiry `expiresAt`.
ordered_json retire(const ordered_json *list, ordered_json retiring, std::int64_t now, std::int64_t expiresAt) {
    ordered_json kept = ordered_json::array();
    if (list != nullptr && list->is_array())
        for (ordered_json old : *list) {
            auto when = model::Timestamp::parse(old.value("expires_at", ""));
            if (when && when->unixSeconds() > now) {
                expireBy(old, now, expiresAt);
                kept.push_back(std::move(old));
            }
        }
    kept.push_back(ordered_json{{"secret", std::move(retiring)}, {"expires_at", rfc3339(expiresAt)}});
    return kept;
}

std::optional<Rotation> rotateApiKey(ordered_json &profile, std::int64_t now, std::int64_t expiresAt,
                                     std::ostream &err) {
    auto random = randomHex(24, err);
    if (!random) return std::nullopt;
    const std::string key = "lgk_" + *random;
    ordered_json &keys = profile["credentials"]["api_keys"];
    if (!keys.is_array()) keys = ordered_json::array();
    for (auto &old : keys) expireBy(old, now, expiresAt);
    std::string id = "key-" + rfc3339(now).substr(0, 10);
    for (int n = 2;; ++n) {
        bool taken = false;
        for (const auto &old : keys) taken |= old.value("id", "") == id;
        if (!taken) break;
        id = "key-" + rfc3339(now).substr(0, 10) + "-" + std::to_string(n);
    }
    keys.push_back(ordered_json{{"id", id}, {"prefix", key.substr(0, 12)}, {"sha256", api::sha256Hex(key)}});
    return Rotation{key, "API key " + id, {}};
}

std::optional<Rotation> rotateSigningSecret(ordered_json &profile, const config::GatewayConfig &config,
                                            const std::string &partnerId, std::int64_t now, std::int64_t expiresAt,
                                            std::ostream &err) {
    auto made = sealNewSecret(config, partnerId, config::kRequestSigningPurpose, partnerId + "-", err);
    if (!made) return std::nullopt;
    auto &[secret, relative] = *made;
    ordered_json &signing = profile["credentials"]["request_signing"];
    if (!signing.is_object() || !signing.contains("secret")) {
        signing = ordered_json{{"required", false}, {"secret", {{"sealed", relative}}}};
        return Rotation{secret,
                        "request-signing secret " + relative +
                            " (request_signing.required is false: set it true once the partner signs)",
                        {}};
    }
    auto previous = signing.find("previous");
    signing["previous"] = retire(previous != signing.end() ? &*previous : nullptr, signing["secret"], now, expiresAt);
    signing["secret"] = ordered_json{{"sealed", relative}};
    return Rotation{secret, "request-signing secret " + relative, {}};
}

// Every webhook endpoint of the partner signs with the new secret; the one
// each had moves to its signing_secret_previous and is sent beside the new
// one until it expires, so the partner's receiver keeps verifying meanwhile.
std::optional<Rotation> rotateWebhookSecret(ordered_json &profile, const config::GatewayConfig &config,
                                            const std::string &partnerId, std::int64_t now, std::int64_t expiresAt,
                                            std::ostream &err) {
    std::vector<ordered_json *> webhooks;
    if (auto endpoints = profile.find("endpoints"); endpoints != profile.end() && endpoints->is_array())
        for (auto &endpoint : *endpoints)
            if (endpoint.is_object() && endpoint.value("type", "") == "webhook") webhooks.push_back(&endpoint);
    if (webhooks.empty()) {
        err << "lendgate partner: partner " << partnerId << " has no webhook endpoint to rotate a signing secret for\n";
        return std::nullopt;
    }
    // '.' never occurs in a partner id, so these names cannot meet another
    // partner's request-signing files (PARTNER-N.sealed).
    auto made = sealNewSecret(config, partnerId, config::kWebhookSigningPurpose, partnerId + ".webhook-", err);
    if (!made) return std::nullopt;
    auto &[secret, relative] = *made;
    std::string ids;
    for (ordered_json *endpoint : webhooks) {
        ordered_json &e = *endpoint;
        if (e.contains("signing_secret")) {
            auto previous = e.find("signing_secret_previous");
            e["signing_secret_previous"] =
                retire(previous != e.end() ? &*previous : nullptr, e["signing_secret"], now, expiresAt);
        }
        e["signing_secret"] = ordered_json{{"sealed", relative}};
        ids += (ids.empty() ? "" : ", ") + e.value("id", "?");
    }
    return Rotation{secret, "webhook signing secret " + relative + " (endpoints " + ids + ")",
                    "Give it to the partner: webhooks to " + partnerId +
                        " carry signatures with both the new and the old secret until " + rfc3339(expiresAt) +
                        ", then with the new one only."};
}

int rotateKey(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    std::string problem;
    auto parsed = Arguments::parse(args, {"config", "plugin-dir", "overlap"}, {"signing", "webhook"}, problem);
    if (!parsed || parsed->positional().size() != 1) {
        err << "lendgate partner: " << (problem.empty() ? "name one partner" : problem) << "\n" << kPartnerUsage;
        return kUsage;
    }
    if (parsed->flag("signing") && parsed->flag("webhook")) {
        err << "lendgate partner: --signing and --webhook rotate different secrets: one at a time\n";
        return kUsage;
    }
    std::int64_t overlapHours = kDefaultOverlapHours;
    if (auto text = parsed->value("overlap")) {
        auto [end, bad] = std::from_chars(text->data(), text->data() + text->size(), overlapHours);
        if (bad != std::errc{} || end != text->data() + text->size() || overlapHours < 0 || overlapHours > 24 * 366) {
            err << "lendgate partner: --overlap takes whole hours, 0 to 8784\n";
            return kUsage;
        }
    }
    auto config = loadConfigArgument(*parsed, err);
    if (!config) return kSetupFailed;
    const std::string partnerId = parsed->positional()[0];
    const config::Partner *partner = config->partner(partnerId);
    if (partner == nullptr) {
        err << "lendgate partner: no partner '" << partnerId << "' in " << config->partnersDir.string() << "\n";
        return kSetupFailed;
    }
    std::string readError;
    auto original = readSmallFile(partner->file.string(), readError);
    if (!original) {
        err << "lendgate partner: " << readError << "\n";
        return kSetupFailed;
    }
    ordered_json profile = ordered_json::parse(*original, nullptr, false);
    if (!profile.is_object()) {
        err << "lendgate partner: " << partner->file.string() << " is not a JSON object\n";
        return kSetupFailed;
    }
    const std::int64_t now = SystemClock().nowUnixMs() / 1000;
    const std::int64_t expiresAt = now + overlapHours * 3600;
    auto rotation = parsed->flag("signing")   ? rotateSigningSecret(profile, *config, partnerId, now, expiresAt, err)
                    : parsed->flag("webhook") ? rotateWebhookSecret(profile, *config, partnerId, now, expiresAt, err)
                                              : rotateApiKey(profile, now, expiresAt, err);
    if (!rotation) return kSetupFailed;

    if (auto written = replaceFileAtomically(partner->file, profile.dump(2) + "\n"); !written) {
        err << "lendgate partner: " << written.error().message << "\n";
        return kSetupFailed;
    }
    // The rewritten profile must load as the old one did; if not, the old one goes back.
    config::LoadOptions options;
    if (auto dir = parsed->value("plugin-dir")) options.pluginDir = *dir;
    auto reloaded = config::loadGatewayConfig(config->file, options);
    if (!reloaded.config) {
        for (const auto &p : reloaded.problems)
            if (!p.warning) err << config::describe(p) << "\n";
        (void)replaceFileAtomically(partner->file, *original);
        err << "lendgate partner: the rotated profile did not pass the configuration check; " << partner->file.string()
            << " is unchanged\n";
        return kSetupFailed;
    }
    out << "New " << rotation->description << " for " << partnerId
        << "; shown only this once, give it to the partner over a secure channel:\n"
        << rotation->secret << "\n";
    if (rotation->overlap.empty())
        out << "Older credentials stay valid until " << rfc3339(expiresAt) << ".";
    else
        out << rotation->overlap;
    out << " Updated " << partner->file.string()
        << ".\nA running lendgated reads partner profiles only at start: restart it to use the new credential.\n";
    return kAllTaken;
}

}  // namespace

int runPartnerCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << kPartnerUsage;
        return args.empty() ? kUsage : kAllTaken;
    }
    if (args[0] != "rotate-key") {
        err << "lendgate partner: unknown subcommand\n" << kPartnerUsage;
        return kUsage;
    }
    return rotateKey(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
}

}  // namespace lendgate::cli
