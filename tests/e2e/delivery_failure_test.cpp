// G4 and G5 on the real clock with small backoffs: a destination that answers
// 500 gets its deliveries dead-lettered after max_attempts, the case behind a
// dead letter waits, other cases and destinations keep flowing, and an
// operator's replay after the fix delivers the case in order.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::ReceivedRequest;
using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kLossMit = "copper-state-lossmit";
const std::string kRepoFirm = "valley-recovery";
constexpr std::uint32_t kMaxAttempts = 4;

std::string postOne(const Daemon &daemon, const nlohmann::json &record) {
    const std::string key = record["idempotency_key"].get<std::string>();
    const auto answer = submit(daemon.partnerPort(), kLender, {jsonLines({record}), "application/json", key, ""});
    const auto ids = acceptedMessageIds(answer.body);
    if (answer.status != 202 || ids.size() != 1)
        throw std::runtime_error("not accepted: " + std::to_string(answer.status) + " " + answer.body);
    return ids.front();
}

std::vector<nlohmann::json> deadLetters(const Daemon &daemon) {
    const auto answer = adminGet(daemon.adminPort(), "/admin/v1/deadletters?destination=" + kLossMit, kViewerToken);
    if (answer.status != 200) return {};
    const auto list = answer.json()["dead_letters"];
    return {list.begin(), list.end()};
}

std::optional<nlohmann::json> deadLetterOf(const Daemon &daemon, const std::string &messageId) {
    for (const auto &d : deadLetters(daemon))
        if (d["message_id"] == messageId) return d;
    return std::nullopt;
}

std::size_t requestsWithKey(const TestReceiver &receiver, const std::string &key) {
    const auto all = receiver.requests();
    return static_cast<std::size_t>(std::count_if(
        all.begin(), all.end(), [&](const ReceivedRequest &r) { return r.header("Idempotency-Key") == key; }));
}

// Position of the first 200 for `key` among the receiver's requests.
std::ptrdiff_t firstAccepted(const std::vector<ReceivedRequest> &all, const std::string &key) {
    auto it = std::find_if(all.begin(), all.end(), [&](const ReceivedRequest &r) {
        return r.answeredStatus == 200 && r.header("Idempotency-Key") == key;
    });
    return it == all.end() ? -1 : it - all.begin();
}

TEST(DeliveryFailures, FailingDestinationDeadLettersStallsOnlyItsCaseAndReplaysInOrder) {
    TestReceiver lossMit;
    lossMit.alwaysFail(500);
    TestReceiver repoFirm;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    options.webhookUrls[kRepoFirm] = repoFirm.url("/valley-recovery/assignments");
    options.initialBackoffMs = 20;
    options.maxBackoffMs = 200;
    options.maxAttempts = kMaxAttempts;
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    // Case X's first notice fails max_attempts times, then is dead.
    const std::string caseX = "6100000001";
    const auto first = postOne(daemon, delinquencyNotice("G5-X-1", caseX));
    ASSERT_TRUE(eventually([&] { return deadLetterOf(daemon, first).has_value(); }, 30s)) << daemon.logTail();
    const auto dead = *deadLetterOf(daemon, first);
    EXPECT_EQ(dead["attempts"], kMaxAttempts) << dead.dump();
    EXPECT_EQ(dead["last_status"], 500) << dead.dump();
    EXPECT_EQ(requestsWithKey(lossMit, first), kMaxAttempts);

    // Behind it: a later notice of case X, a notice of case Y to the same
    // destination, and orders for the repo firm.
    const auto second = postOne(daemon, delinquencyNotice("G5-X-2", caseX));
    const auto otherCase = postOne(daemon, delinquencyNotice("G5-Y-1", "6100000002"));
    std::vector<std::string> orders;
    for (int i = 0; i < 5; ++i)
        orders.push_back(
            postOne(daemon, phoenixAssignment("G5-ORDER-" + std::to_string(i), "62000000" + std::to_string(i))));

    // The other destination is not held up.
    ASSERT_TRUE(repoFirm.waitForDistinct(orders.size(), 30s)) << repoFirm.distinctKeys() << "\n" << daemon.logTail();
    // Case Y is tried (and, the destination still down, dead-lettered in turn):
    // only case X waits, and in the time Y took, X's second notice was never sent.
    ASSERT_TRUE(eventually([&] { return deadLetterOf(daemon, otherCase).has_value(); }, 30s)) << daemon.logTail();
    EXPECT_EQ(requestsWithKey(lossMit, otherCase), kMaxAttempts);
    EXPECT_EQ(requestsWithKey(lossMit, second), 0u) << "a later message of a dead-lettered case was sent";
    const auto waiting = adminGet(daemon.adminPort(), "/admin/v1/messages/" + second, kViewerToken);
    ASSERT_EQ(waiting.status, 200) << waiting.body;
    ASSERT_EQ(waiting.json()["deliveries"].size(), 1u) << waiting.body;
    EXPECT_EQ(waiting.json()["deliveries"][0]["state"], "pending") << waiting.body;
    EXPECT_EQ(waiting.json()["deliveries"][0]["attempts"], 0) << waiting.body;

    // The partner fixes its endpoint; an operator replays its dead letters.
    lossMit.healthy();
    const auto replay =
        adminPost(daemon.adminPort(), "/admin/v1/deadletters/replay?destination=" + kLossMit, kOperatorToken);
    ASSERT_EQ(replay.status, 200) << replay.body;
    EXPECT_EQ(replay.json()["replayed"], 2) << replay.body;
    ASSERT_TRUE(lossMit.waitForDistinct(3, 30s)) << lossMit.distinctKeys() << "\n" << daemon.logTail();
    const auto all = lossMit.requests();
    const auto firstAt = firstAccepted(all, first), secondAt = firstAccepted(all, second);
    ASSERT_GE(firstAt, 0);
    ASSERT_GE(secondAt, 0) << "the waiting notice was not released by the replay";
    EXPECT_LT(firstAt, secondAt) << "case X was delivered out of order";
    EXPECT_GE(firstAccepted(all, otherCase), 0);
    EXPECT_TRUE(eventually([&] { return deadLetters(daemon).empty(); }, 10s));
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

}  // namespace
}  // namespace lendgate::e2e
