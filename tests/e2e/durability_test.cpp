// G1 and orderly shutdown: a 202 means the message is in the journal, whatever
// happens to the process right after (kill -9, or SIGTERM with requests in
// flight).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_load.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kRepoFirm = "valley-recovery";

// IDs the journal does not know, asked through the admin API.
std::vector<std::string> missingFromJournal(std::uint16_t adminPort, const std::vector<std::string> &ids) {
    std::vector<std::string> missing;
    for (const auto &id : ids) {
        const auto answer = adminGet(adminPort, "/admin/v1/messages/" + id, kViewerToken);
        if (answer.status != 200) missing.push_back(id + " (" + std::to_string(answer.status) + ")");
    }
    return missing;
}

std::set<std::string> deliveredKeys(const TestReceiver &receiver) {
    std::set<std::string> keys;
    for (const auto &request : receiver.requests())
        if (request.answeredStatus >= 200 && request.answeredStatus < 300)
            keys.insert(request.header("Idempotency-Key"));
    return keys;
}

TEST(Durability, EveryAcknowledgedMessageSurvivesKill9AndIsDelivered) {
    TestReceiver repoFirm;
    WorldOptions options;
    options.webhookUrls[kRepoFirm] = repoFirm.url("/valley-recovery/assignments");
    GatewayWorld world(options);
    Daemon daemon(world);

    std::vector<std::string> acknowledged;
    constexpr int kRounds = 5;
    for (int round = 0; round < kRounds; ++round) {
        daemon.start();
        const auto missing = missingFromJournal(daemon.adminPort(), acknowledged);
        ASSERT_TRUE(missing.empty()) << "round " << round
                                     << ": acknowledged, then lost after kill -9: " << ::testing::PrintToString(missing)
                                     << "\n"
                                     << daemon.logTail();

        ContinuousPoster poster(daemon.partnerPort(), "G1-r" + std::to_string(round), 4);
        ASSERT_TRUE(eventually([&] { return poster.acks() >= 12; }, 60s)) << daemon.logTail();
        daemon.kill9();  // with requests in flight
        poster.stop();
        EXPECT_TRUE(poster.unexpected().empty()) << ::testing::PrintToString(poster.unexpected());
        const auto ids = poster.ackedIds();
        acknowledged.insert(acknowledged.end(), ids.begin(), ids.end());
    }

    daemon.start();
    const auto missing = missingFromJournal(daemon.adminPort(), acknowledged);
    EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);

    // Each acknowledged order reaches the repo firm, restarts notwithstanding.
    const std::set<std::string> expected(acknowledged.begin(), acknowledged.end());
    ASSERT_EQ(expected.size(), acknowledged.size()) << "a message ID was handed out twice";
    const bool allDelivered = eventually(
        [&] {
            const auto got = deliveredKeys(repoFirm);
            return std::includes(got.begin(), got.end(), expected.begin(), expected.end());
        },
        120s, 100ms);
    EXPECT_TRUE(allDelivered) << "delivered " << repoFirm.distinctKeys() << " of " << expected.size() << " acked\n"
                              << daemon.logTail();
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

TEST(Durability, SigtermWithRequestsInFlightExitsZeroAndKeepsEveryAcknowledgedMessage) {
    TestReceiver repoFirm;
    WorldOptions options;
    options.webhookUrls[kRepoFirm] = repoFirm.url("/valley-recovery/assignments");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    ContinuousPoster poster(daemon.partnerPort(), "TERM", 8);
    ASSERT_TRUE(eventually([&] { return poster.acks() >= 20; }, 60s)) << daemon.logTail();
    const auto signalled = std::chrono::steady_clock::now();
    const auto exitCode = daemon.terminate(10s);
    const auto took = std::chrono::steady_clock::now() - signalled;
    poster.stop();
    EXPECT_EQ(exitCode, 0) << daemon.logTail();
    EXPECT_LT(took, 5s);
    EXPECT_TRUE(poster.unexpected().empty()) << ::testing::PrintToString(poster.unexpected());

    daemon.start();
    const auto acked = poster.ackedIds();
    const auto missing = missingFromJournal(daemon.adminPort(), acked);
    EXPECT_TRUE(missing.empty()) << "acknowledged before SIGTERM, then lost: " << ::testing::PrintToString(missing);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

}  // namespace
}  // namespace lendgate::e2e
