// A gateway installation of its own for each test: the sample configuration
// (config/lendgate.json, partners, routes, plugin configs) copied into a temp
// dir and rewritten to point at that dir, at port 0 and at the test's webhook
// receivers; plus canonical messages made from the model goldens, ready to be
// posted by a partner.
#ifndef LENDGATE_TESTS_E2E_E2E_WORLD_H
#define LENDGATE_TESTS_E2E_E2E_WORLD_H

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lendgate::e2e {

/// Where the build put what the tests run (compile definitions from CMake).
std::filesystem::path lendgatedBinary();
/// The `lendgate` command line tool.
std::filesystem::path lendgateCli();
std::filesystem::path pluginDir();
std::filesystem::path sourceDir();
/// A lender that posts canonical JSON; the sample world's lenders speak
/// their own file formats, so the world adds this one for the daemon tests.
inline constexpr const char *kFixtureLender = "e2e-lender";

/// A fresh directory under the temp dir, removed with everything in it.
class TempDir {
public:
    explicit TempDir(const std::string &prefix);
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct WorldOptions {
    /// Partner id → webhook URL for its "webhook" endpoint. Partners not
    /// named get an address nobody listens on.
    std::map<std::string, std::string> webhookUrls;
    std::uint32_t initialBackoffMs = 20;
    std::uint32_t maxBackoffMs = 200;
    std::uint32_t maxAttempts = 25;
    std::uint32_t deliveryWorkers = 4;
    std::optional<std::uint64_t> maxBodyBytes;
    /// Used as data_dir instead of <root>/data (e.g. a small tmpfs).
    std::optional<std::filesystem::path> dataDir;
    /// The compliance policies (config/policies.json). Off by default: the
    /// transport tests send orders that have no case history, which C1 and
    /// C3 would hold; the lifecycle tests turn them on.
    bool policies = false;
    /// Set: alerts.webhook posts every alert there, signed with alertSecret().
    std::optional<std::string> alertWebhookUrl;
    /// The "sftp" section of lendgate.json (drop folders), if any.
    std::optional<nlohmann::json> sftp;
};

class GatewayWorld {
public:
    explicit GatewayWorld(WorldOptions options = {});

    const std::filesystem::path &root() const { return root_.path(); }
    std::filesystem::path configFile() const { return root() / "lendgate.json"; }
    const std::filesystem::path &dataDir() const { return dataDir_; }
    std::filesystem::path journalFile() const { return dataDir_ / "journal.db"; }

    /// Environment the daemon needs: LENDGATE_SECRET_*_WEBHOOK=value.
    const std::map<std::string, std::string> &secretEnvironment() const { return secretEnv_; }
    /// The webhook signing secret of a partner's endpoint (empty if none).
    std::string webhookSecret(const std::string &partnerId) const;
    /// The operator webhook's signing secret (WorldOptions::alertWebhookUrl).
    static std::string alertSecret() { return "e2e-operator-alert-secret"; }

private:
    void writeGatewayConfig(const WorldOptions &options);
    void writePartners(const WorldOptions &options);
    void writeFixtureLender();

    TempDir root_;
    std::filesystem::path dataDir_;
    std::map<std::string, std::string> secretEnv_;
    std::map<std::string, std::string> secretByPartner_;
};

std::string readText(const std::filesystem::path &file);
void writeText(const std::filesystem::path &file, const std::string &text);

/// A golden canonical message (tests/core/model/golden/valid/NAME.json) as a
/// partner would post it: the fields the gateway assigns removed, and the
/// record's own idempotency key set.
nlohmann::json partnerMessage(const std::string &goldenName, const std::string &idempotencyKey);

/// A delinquency notice about account `accountNumber` (one account, one case).
nlohmann::json delinquencyNotice(const std::string &idempotencyKey, const std::string &accountNumber);

/// A NEW repossession order for a Glendale (Phoenix metro) borrower, which
/// routes.json sends to valley-recovery.
nlohmann::json phoenixAssignment(const std::string &idempotencyKey, const std::string &accountNumber);

/// Records as JSON lines, the json plugin's input.
std::string jsonLines(const std::vector<nlohmann::json> &records);

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_WORLD_H
