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
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kRepoFirm = "valley-recovery";

// Client threads that post one new assignment after another until stopped,
// and remember every message ID a 202 gave them.
class ContinuousPoster {
public:
    ContinuousPoster(std::uint16_t port, std::string keyPrefix, int threads) : prefix_(std::move(keyPrefix)) {
        for (int t = 0; t < threads; ++t) threads_.emplace_back([this, port, t] { run(port, t); });
    }
    ~ContinuousPoster() { stop(); }

    void stop() {
        stop_ = true;
        for (auto &thread : threads_)
            if (thread.joinable()) thread.join();
    }
    std::size_t acks() const { return acks_.load(); }
    std::vector<std::string> ackedIds() const {
        std::lock_guard lock(mutex_);
        return ids_;
    }
    /// Answers that are neither 202, 503 nor "no answer" (the process died).
    std::vector<std::string> unexpected() const {
        std::lock_guard lock(mutex_);
        return unexpected_;
    }

private:
    void run(std::uint16_t port, int thread) {
        for (int n = 0; !stop_; ++n) {
            const std::string key = prefix_ + "-t" + std::to_string(thread) + "-n" + std::to_string(n);
            const std::string account = std::to_string(7100000000LL + thread * 100000 + n);
            const auto answer =
                submit(port, kLender, {jsonLines({phoenixAssignment(key, account)}), "application/json", key, ""}, 20s);
            std::lock_guard lock(mutex_);
            if (answer.status == 202) {
                const auto ids = acceptedMessageIds(answer.body);
                if (ids.size() != 1) unexpected_.push_back("202 without one message ID: " + answer.body);
                ids_.insert(ids_.end(), ids.begin(), ids.end());
                ++acks_;
            } else if (answer.status != 0 && answer.status != 503) {
                unexpected_.push_back(std::to_string(answer.status) + " " + answer.body);
            }
            if (answer.status == 0 && !stop_) std::this_thread::sleep_for(10ms);  // the daemon is gone
        }
    }

    std::string prefix_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> acks_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> ids_;
    std::vector<std::string> unexpected_;
    std::vector<std::thread> threads_;
};

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
