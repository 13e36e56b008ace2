// G2 and G3: 10,000 records posted over HTTP while the daemon is killed with
// SIGKILL at random moments (seeded) and restarted, during ingest and during
// delivery. Nothing is lost, nothing is journaled twice, and a receiver that
// dedupes on Idempotency-Key ends with exactly 10,000 messages.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kLender = kFixtureLender;
const std::string kLossMit = "copper-state-lossmit";
constexpr int kRecords = 10000;
constexpr int kBatchSize = 10;
constexpr int kBatches = kRecords / kBatchSize;
constexpr int kClients = 8;
constexpr unsigned kSeed = 20261123;

std::string batchBody(int batch) {
    std::vector<nlohmann::json> records;
    for (int i = 0; i < kBatchSize; ++i) {
        const int n = batch * kBatchSize + i;
        records.push_back(delinquencyNotice("G2-" + std::to_string(n), std::to_string(8000000000LL + n)));
    }
    return jsonLines(records);
}

// Eight partners' worth of clients: each batch is retried with its own
// Idempotency-Key until a 202, as the API asks clients to do.
class BatchClients {
public:
    BatchClients(std::atomic<std::uint16_t> &port, Clock::time_point deadline) : port_(port), deadline_(deadline) {
        for (int t = 0; t < kClients; ++t) threads_.emplace_back([this] { run(); });
    }
    ~BatchClients() { join(); }
    void join() {
        for (auto &thread : threads_)
            if (thread.joinable()) thread.join();
    }
    bool finished() const { return finished_.load() == kBatches; }
    std::vector<std::string> ids() const {
        std::lock_guard lock(mutex_);
        return ids_;
    }
    std::vector<std::string> problems() const {
        std::lock_guard lock(mutex_);
        return problems_;
    }

private:
    void run() {
        for (int batch = next_++; batch < kBatches; batch = next_++) {
            const Submission submission{batchBody(batch), "application/json", "G2-batch-" + std::to_string(batch), ""};
            for (;;) {
                if (Clock::now() > deadline_) return note("batch " + std::to_string(batch) + " never acknowledged");
                const auto answer = submit(port_.load(), kLender, submission, 15s);
                if (answer.status == 202) {
                    const auto ids = acceptedMessageIds(answer.body);
                    std::lock_guard lock(mutex_);
                    if (ids.size() != kBatchSize) problems_.push_back("short ACK: " + answer.body);
                    ids_.insert(ids_.end(), ids.begin(), ids.end());
                    ++finished_;
                    break;
                }
                // No answer (killed), 503 (not ready), 404 (a stale port now
                // someone else's): retry the same key.
                if (answer.status == 0 || answer.status == 503 || answer.status == 404) {
                    std::this_thread::sleep_for(20ms);
                    continue;
                }
                return note(std::to_string(answer.status) + " " + answer.body);
            }
        }
    }
    void note(std::string problem) {
        std::lock_guard lock(mutex_);
        problems_.push_back(std::move(problem));
    }

    std::atomic<std::uint16_t> &port_;
    const Clock::time_point deadline_;
    std::atomic<int> next_{0};
    std::atomic<int> finished_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> ids_;
    std::vector<std::string> problems_;
    std::vector<std::thread> threads_;
};

TEST(CrashDuringIngest, TenThousandRecordsSurviveRandomKill9sExactlyOnceDownstream) {
    RecordProperty("seed", std::to_string(kSeed));
    std::mt19937 random(kSeed);
    std::uniform_int_distribution<int> pauseMs(100, 700);

    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    options.deliveryWorkers = 8;
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    std::atomic<std::uint16_t> port{daemon.partnerPort()};

    int kills = 0;
    auto killAndRestart = [&] {
        daemon.kill9();
        ++kills;
        daemon.start();
        port = daemon.partnerPort();
    };
    // Sleeps here are the chaos schedule, not waits for a condition.
    auto randomPause = [&](const std::function<bool()> &over) {
        eventually(over, std::chrono::milliseconds(pauseMs(random)), 10ms);
    };

    const auto ingestStart = Clock::now();
    BatchClients clients(port, Clock::now() + 150s);
    while (!clients.finished() && kills < 8) {
        randomPause([&] { return clients.finished(); });
        if (!clients.finished()) killAndRestart();
    }
    clients.join();
    const int ingestKills = kills;
    const auto ingestTook = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - ingestStart);
    ASSERT_TRUE(clients.problems().empty()) << ::testing::PrintToString(clients.problems()) << daemon.logTail();
    const auto acked = clients.ids();
    const std::set<std::string> ackedSet(acked.begin(), acked.end());
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kRecords));
    ASSERT_EQ(ackedSet.size(), static_cast<std::size_t>(kRecords)) << "a message ID was acknowledged twice";

    // Kills while deliveries are in flight: between a receiver's 200 and the
    // journal's "delivered" some are sent again, with the same key.
    for (int k = 0; k < 2 && lossMit.distinctKeys() < static_cast<std::size_t>(kRecords); ++k) {
        randomPause([] { return false; });
        killAndRestart();
    }
    EXPECT_GE(ingestKills, 3) << "too few crashes during ingest to mean anything";

    const bool delivered = lossMit.waitForDistinct(kRecords, 200s);
    EXPECT_TRUE(delivered) << "delivered " << lossMit.distinctKeys() << "\n" << daemon.logTail();
    std::set<std::string> keys;
    for (const auto &request : lossMit.requests())
        if (request.answeredStatus == 200) keys.insert(request.header("Idempotency-Key"));
    EXPECT_EQ(keys.size(), static_cast<std::size_t>(kRecords));
    EXPECT_TRUE(keys == ackedSet) << "the receiver's keys are not the acknowledged message IDs";
    std::cout << "[ info     ] ingest " << ingestTook.count() << " ms with " << ingestKills << " kills; " << kills
              << " kills in all; " << lossMit.total() << " webhook requests for " << keys.size() << " messages\n";

    const auto journal = listAllMessages(daemon.adminPort(), kLender);
    std::set<std::string> journalIds, journalKeys;
    for (const auto &m : journal) {
        journalIds.insert(m["message_id"].get<std::string>());
        journalKeys.insert(m["idempotency_key"].get<std::string>());
    }
    EXPECT_EQ(journal.size(), static_cast<std::size_t>(kRecords)) << "journaled twice, or lost";
    EXPECT_EQ(journalKeys.size(), static_cast<std::size_t>(kRecords));
    EXPECT_TRUE(journalIds == ackedSet);

    ASSERT_EQ(daemon.terminate(30s), 0) << daemon.logTail();
    const auto check =
        test::runCommand({"sqlite3", "-readonly", world.journalFile().string(), "PRAGMA integrity_check;"});
    EXPECT_EQ(check.exitCode, 0) << check.err;
    EXPECT_EQ(check.out, "ok\n") << check.err;
}

}  // namespace
}  // namespace lendgate::e2e
