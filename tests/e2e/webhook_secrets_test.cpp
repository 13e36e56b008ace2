// Rotating a partner's webhook signing secret with the real CLI and the real
// daemon: `lendgate partner rotate-key P --webhook` seals a new secret, the
// profile keeps the old one as signing_secret_previous, and the repo firm's
// receiver verifies with either secret until the old one expires, then with
// the new one only.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/api/request_auth.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;
using nlohmann::json;

const std::string kRepoFirm = "valley-recovery";

test::CommandResult cli(const GatewayWorld &world, std::vector<std::string> args) {
    args.insert(args.begin(), lendgateCli().string());
    args.push_back("--config");
    args.push_back(world.configFile().string());
    return test::runCommand(args);
}

std::size_t occurrences(const std::string &text, const std::string &needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
    return count;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Posts one Phoenix-area assignment (routed to the repo firm) and returns the
// signature header of its delivery.
delivery::testing::ReceivedRequest assignAndReceive(const Daemon &daemon, const TestReceiver &repoFirm,
                                                    const std::string &id) {
    const std::size_t before = repoFirm.distinctKeys();
    const auto answer =
        httpRequest(daemon.partnerPort(), "POST", "/v1/messages", jsonLines({phoenixAssignment(id, "6300000077")}),
                    {{"Authorization", "Bearer " + partnerKey(kFixtureLender)}, {"Content-Type", "application/json"}});
    EXPECT_EQ(answer.status, 202) << answer.body;
    EXPECT_TRUE(repoFirm.waitForDistinct(before + 1, 60s)) << daemon.logTail();
    auto requests = repoFirm.requests();
    if (requests.empty()) return {};
    return requests.back();
}

TEST(WebhookSecrets, ARotatedWebhookSecretIsSealedAndBothSignaturesAreSentUntilTheOldOneExpires) {
    TestReceiver repoFirm;
    WorldOptions options;
    options.webhookUrls[kRepoFirm] = repoFirm.url("/valley-recovery/assignments");
    GatewayWorld world(options);
    const std::string oldSecret = world.webhookSecret(kRepoFirm);
    ASSERT_FALSE(oldSecret.empty());
    {
        Daemon daemon(world);  // makes the key ring the new secret is sealed with
        daemon.start();
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }

    const auto rotated = cli(world, {"partner", "rotate-key", kRepoFirm, "--webhook", "--overlap", "24"});
    ASSERT_EQ(rotated.exitCode, 0) << rotated.err << rotated.out;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(rotated.out, match, std::regex("(^|\n)(lgs_[0-9a-f]{64})\n"))) << rotated.out;
    const std::string newSecret = match[2].str();
    EXPECT_EQ(occurrences(rotated.out + rotated.err, newSecret), 1u) << "the secret is printed once";
    EXPECT_NE(rotated.out.find("both the new and the old secret until"), std::string::npos) << rotated.out;

    const auto profileFile = world.root() / "partners" / (kRepoFirm + ".json");
    const std::string profileText = readText(profileFile);
    EXPECT_EQ(profileText.find(newSecret), std::string::npos);
    json profile = json::parse(profileText);
    const json &endpoint = profile["endpoints"][0];
    ASSERT_TRUE(endpoint["signing_secret"].contains("sealed")) << endpoint.dump();
    ASSERT_EQ(endpoint["signing_secret_previous"].size(), 1u) << endpoint.dump();
    EXPECT_EQ(endpoint["signing_secret_previous"][0]["secret"],
              json({{"env", "LENDGATE_SECRET_VALLEY_RECOVERY_WEBHOOK"}}));
    const auto sealedFile = world.dataDir() / endpoint["signing_secret"]["sealed"].get<std::string>();
    const std::string sealed = readText(sealedFile);
    EXPECT_FALSE(sealed.empty()) << sealedFile;
    EXPECT_EQ(sealed.find(newSecret.substr(4)), std::string::npos) << "sealed, never in the clear";
    const auto check = cli(world, {"config", "check"});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;

    {
        Daemon daemon(world);
        daemon.start();
        const auto got = assignAndReceive(daemon, repoFirm, "WHROT-1");
        const std::string header = got.header("Lendgate-Signature");
        EXPECT_EQ(occurrences(header, "v1="), 2u) << header;
        EXPECT_EQ(api::verifyRequestSignature(header, got.body, {oldSecret}, nowSeconds()), api::SignatureCheck::Valid)
            << "a receiver that has not switched yet";
        EXPECT_EQ(api::verifyRequestSignature(header, got.body, {newSecret}, nowSeconds()), api::SignatureCheck::Valid)
            << "a receiver that has switched";
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }

    // The overlap is over.
    profile["endpoints"][0]["signing_secret_previous"][0]["expires_at"] = "2020-01-01T00:00:00Z";
    writeText(profileFile, profile.dump(2));
    Daemon daemon(world);
    daemon.start();
    const auto got = assignAndReceive(daemon, repoFirm, "WHROT-2");
    const std::string header = got.header("Lendgate-Signature");
    EXPECT_EQ(occurrences(header, "v1="), 1u) << header;
    EXPECT_EQ(api::verifyRequestSignature(header, got.body, {newSecret}, nowSeconds()), api::SignatureCheck::Valid);
    EXPECT_EQ(api::verifyRequestSignature(header, got.body, {oldSecret}, nowSeconds()), api::SignatureCheck::Mismatch);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    const std::string log = readText(daemon.logFile());
    EXPECT_EQ(log.find(newSecret), std::string::npos);
    EXPECT_EQ(log.find(newSecret.substr(4)), std::string::npos);
    EXPECT_EQ(log.find(oldSecret), std::string::npos);
}

TEST(WebhookSecrets, ARotationForAPartnerWithoutAWebhookChangesNothing) {
    GatewayWorld world;
    {
        Daemon daemon(world);
        daemon.start();
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }
    const auto profileFile = world.root() / "partners" / (std::string(kFixtureLender) + ".json");
    const std::string before = readText(profileFile);
    const auto rotated = cli(world, {"partner", "rotate-key", kFixtureLender, "--webhook"});
    EXPECT_EQ(rotated.exitCode, 3) << rotated.out << rotated.err;
    EXPECT_NE(rotated.err.find("no webhook endpoint"), std::string::npos) << rotated.err;
    EXPECT_EQ(rotated.out.find("lgs_"), std::string::npos) << rotated.out;
    EXPECT_EQ(readText(profileFile), before);
}

}  // namespace
}  // namespace lendgate::e2e
