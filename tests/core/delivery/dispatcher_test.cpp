// The dispatcher end to end on a real SQLite journal, real HTTP receivers on
// loopback and a clock the test moves: retry schedules and dead letters (G4),
// poison records and replay in order (G5), critical HOLDs, at-least-once with
// a stable idempotency key (G3), the threaded path and file drops.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "core/delivery/dispatcher.h"
#include "core/delivery/webhook_transport.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/delivery/delivery_test_support.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

using namespace testing;
using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

constexpr const char *kValley = "valley_recovery";
constexpr const char *kMesa = "mesa_recovery";
constexpr const char *kCactus = "cactus_recovery";  // encodes through the poison plugin
constexpr const char *kDrop = "drop_recovery";      // directory endpoint
constexpr const char *kPull = "pull_recovery";      // fetches through the partner API

class DispatcherTest : public ::testing::Test {
protected:
    DispatcherTest() {
        journal::SqliteJournalOptions options;
        options.path = dir_ / "state/journal.db";
        auto opened = journal::openSqliteJournal(options, clock_);
        if (!opened) throw std::runtime_error(opened.error().message);
        journal_ = std::move(opened).value();

        config_.partners.push_back(partner(kValley, {webhook(valley_.url("/valley"))}));
        config_.partners.push_back(partner(kMesa, {webhook(mesa_.url("/mesa"))}));
        config::Partner cactus = partner(kCactus, {webhook(cactus_.url("/cactus"))});
        std::ofstream(dir_ / "poison.json") << "{}";
        cactus.outbound.push_back(
            config::FormatBinding{model::MessageType::RepossessionAssignment, "test-poison", dir_ / "poison.json", ""});
        config_.partners.push_back(std::move(cactus));
        config_.partners.push_back(partner(kDrop, {directory(dir_ / "drop")}));
        config::Endpoint pull;
        pull.type = config::Endpoint::Type::Pull;
        pull.id = "outbox";
        config_.partners.push_back(partner(kPull, {pull, webhook(valley_.url("/never"))}));

        // jitter 0.2 at random 0.5: every delay is 90% of its step.
        options_.retry.initialBackoffMs = 1000;
        options_.retry.maxBackoffMs = 8000;
        options_.retry.maxAttempts = 5;
        options_.retry.jitter = 0.2;
        options_.retry.criticalMaxBackoffMs = 4000;
        options_.random01 = [] { return 0.5; };
        options_.workers = 2;
        options_.idlePoll = std::chrono::milliseconds(100);
    }

    Dispatcher &dispatcher() {
        if (!dispatcher_)
            dispatcher_ =
                std::make_unique<Dispatcher>(*journal_, config_, catalog_, clock_, logger_, metrics_, options_);
        return *dispatcher_;
    }

    /// Journals one message (for `caseId`) routed to each destination; returns its id.
    std::string send(const std::string &key, const std::string &caseId, std::vector<std::string> destinations,
                     bool critical = false) {
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "repossession_assignment";
        record.idempotencyKey = key;
        record.caseId = caseId;
        record.body = critical ? hold(key) : assignment(key);
        for (auto &d : destinations) record.routes.push_back(journal::Route{d, "rule-" + d, critical});
        journal::IntakeBatch batch;
        batch.sender = "desert_valley_bank";
        batch.idempotencyKey = "req-" + key;
        batch.channel = "http";
        batch.bodyHash = "hash-" + key;
        batch.records.push_back(std::move(record));
        auto accepted = journal_->accept(batch);
        if (!accepted) throw std::runtime_error(accepted.error().message);
        return accepted.value().records.at(0).messageId;
    }

    journal::DeliveryInfo deliveryOf(const std::string &messageId, const std::string &destination) {
        auto deliveries = journal_->deliveriesOf(messageId);
        if (deliveries)
            for (const auto &d : deliveries.value())
                if (d.destination == destination) return d;
        ADD_FAILURE() << "no delivery of " << messageId << " to " << destination;
        return {};
    }

    static std::vector<std::string> keys(const std::vector<std::string> &bodies) {
        std::vector<std::string> out;
        for (const auto &body : bodies) out.push_back(keyOf(body));
        return out;
    }

    double counter(const char *name, metrics::Labels labels) { return metrics_.value(name, labels); }

    /// Moves the clock to just before and then to the next attempt; only then is it made.
    void expectNextAttemptAfter(std::int64_t delayMs, TestReceiver &receiver) {
        const std::size_t before = receiver.total();
        clock_.advance(delayMs - 1);
        EXPECT_EQ(dispatcher().runOnce(), 0u) << "not due 1 ms before " << delayMs << " ms";
        clock_.advance(1);
        EXPECT_EQ(dispatcher().runOnce(), 1u) << "due after " << delayMs << " ms";
        EXPECT_EQ(receiver.total(), before + 1);
    }

    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<journal::Journal> journal_;
    TestReceiver valley_, mesa_, cactus_;
    config::GatewayConfig config_;
    plugin::PluginCatalog catalog_{TEST_PLUGIN_DIR, {}};
    RecordingLogger logger_;
    metrics::Registry metrics_;
    DispatcherOptions options_;
    std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, ClaimsOnlyForPartnersWithAPushEndpointAndNoPullEndpoint) {
    EXPECT_EQ(Dispatcher::pushDestinations(config_), (std::vector<std::string>{kValley, kMesa, kCactus, kDrop}));
    const std::string id = send("PULL-1", "case-pull", {kPull});
    EXPECT_EQ(dispatcher().runOnce(), 0u);
    EXPECT_EQ(deliveryOf(id, kPull).attempts, 0) << "the partner API's outbox serves it";
    EXPECT_EQ(valley_.total(), 0u);
}

// G4: a destination answering 500 for hours follows the schedule, then its
// delivery is dead-lettered with an alert; another destination is unaffected.
TEST_F(DispatcherTest, AFailingDestinationFollowsTheScheduleAndDeadLettersWhileOthersFlow) {
    valley_.alwaysFail(500);
    const std::string first = send("A-1", "case-a", {kValley, kMesa});
    for (int i = 0; i < 5; ++i) send("M-" + std::to_string(i), "case-m" + std::to_string(i), {kMesa});

    EXPECT_EQ(dispatcher().runOnce(), 7u);
    EXPECT_EQ(mesa_.distinctKeys(), 6u) << "the healthy destination got everything at once";
    EXPECT_EQ(valley_.total(), 1u);

    for (std::int64_t delay : {900, 1800, 3600, 7200}) expectNextAttemptAfter(delay, valley_);

    const journal::DeliveryInfo dead = deliveryOf(first, kValley);
    EXPECT_EQ(dead.state, journal::DeliveryState::Dead);
    EXPECT_EQ(dead.attempts, 5);
    EXPECT_EQ(dead.lastStatus, 500);
    EXPECT_NE(dead.lastError.find("HTTP 500"), std::string::npos) << dead.lastError;
    clock_.advance(24LL * 3600 * 1000);
    EXPECT_EQ(dispatcher().runOnce(), 0u) << "a dead letter is not attempted again";
    EXPECT_EQ(valley_.total(), 5u);

    for (const auto &request : valley_.requests()) EXPECT_EQ(request.header("Idempotency-Key"), first);
    auto alerts = logger_.lines("alert");
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].level, LogLevel::Error);
    const std::vector<std::string> parts = {"\"alert\":\"dead_letter\"",
                                            "\"destination\":\"valley_recovery\"",
                                            "\"message_id\":\"" + first + "\"",
                                            "\"case_id\":\"case-a\"",
                                            "\"delivery_id\":" + std::to_string(dead.deliveryId),
                                            "\"attempts\":5",
                                            "HTTP 500"};
    for (const std::string &part : parts)
        EXPECT_NE(alerts[0].message.find(part), std::string::npos) << part << " in " << alerts[0].message;
    EXPECT_EQ(alerts[0].message.find("28411.05"), std::string::npos) << "never the body";

    const metrics::Labels valley = {{"destination", kValley}, {"type", "repossession_assignment"}};
    auto with = [](metrics::Labels labels, const char *result) {
        labels.emplace_back("result", result);
        return labels;
    };
    EXPECT_EQ(counter("lendgate_delivery_attempts_total", with(valley, "retry")), 4);
    EXPECT_EQ(counter("lendgate_delivery_attempts_total", with(valley, "dead_letter")), 1);
    EXPECT_EQ(counter("lendgate_messages_dead_lettered_total", valley), 1);
    EXPECT_EQ(
        counter("lendgate_messages_delivered_total", {{"destination", kMesa}, {"type", "repossession_assignment"}}), 6);
    EXPECT_EQ(counter("lendgate_alerts_total", {{"kind", "dead_letter"}}), 1);
    // Journaled for `lendgate alerts` and the operator webhook as well.
    auto journaled = journal_->listAlerts({});
    ASSERT_TRUE(journaled.ok());
    ASSERT_EQ(journaled.value().size(), 1u);
    EXPECT_EQ(journaled.value()[0].record.kind, "dead_letter");
    EXPECT_EQ(journaled.value()[0].record.partner, kValley);
    EXPECT_EQ(journaled.value()[0].record.deliveryId, dead.deliveryId);
    EXPECT_EQ(journaled.value()[0].record.caseId, "case-a");
    EXPECT_NE(journaled.value()[0].record.text.find("HTTP 500"), std::string::npos);
    EXPECT_NE(
        metrics_.renderPrometheus().find("lendgate_delivery_latency_seconds_count{destination=\"mesa_recovery\"} 6"),
        std::string::npos);
}

// G5: behind a dead letter, later messages of the same case wait; replay after
// the receiver recovers releases them in order.
TEST_F(DispatcherTest, ALaterMessageWaitsBehindADeadLetterAndReplayReleasesTheQueueInOrder) {
    valley_.alwaysFail(503);
    const std::string first = send("C-1", "case-c", {kValley});
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    for (std::int64_t delay : {900, 1800, 3600, 7200}) expectNextAttemptAfter(delay, valley_);
    ASSERT_EQ(deliveryOf(first, kValley).state, journal::DeliveryState::Dead);

    const std::string second = send("C-2", "case-c", {kValley});
    const std::string third = send("C-3", "case-c", {kValley});
    send("D-1", "case-d", {kValley});
    valley_.healthy();
    clock_.advance(60000);
    EXPECT_EQ(dispatcher().runOnce(), 1u) << "only the other case moves";
    EXPECT_EQ(keys(valley_.acceptedBodies()), std::vector<std::string>{"D-1"});
    EXPECT_EQ(deliveryOf(second, kValley).attempts, 0);

    auto replayed = journal_->replayDeadLetters(kValley, clock_.nowUnixMs(), "operator:test");
    ASSERT_TRUE(replayed.ok());
    EXPECT_EQ(replayed.value(), 1);
    while (dispatcher().runOnce() > 0) {
    }
    EXPECT_EQ(keys(valley_.acceptedBodies()), (std::vector<std::string>{"D-1", "C-1", "C-2", "C-3"}));
    EXPECT_EQ(deliveryOf(third, kValley).state, journal::DeliveryState::Delivered);
}

// G5: a record the destination's plugin refuses is quarantined with the
// plugin's reason; its case waits, other cases flow, and replay after the fix
// releases the case in order.
TEST_F(DispatcherTest, APoisonRecordIsQuarantinedAndOnlyItsCaseWaits) {
    const std::string poison = send("P-POISON", "case-p", {kCactus});
    const std::string after = send("P-2", "case-p", {kCactus});
    send("Q-1", "case-q", {kCactus});
    EXPECT_EQ(dispatcher().runOnce(), 2u);
    EXPECT_EQ(keys(cactus_.acceptedBodies()), std::vector<std::string>{"Q-1"});
    for (std::int64_t delay : {900, 1800, 3600, 7200}) {
        clock_.advance(delay);
        EXPECT_EQ(dispatcher().runOnce(), 1u);
    }
    const journal::DeliveryInfo dead = deliveryOf(poison, kCactus);
    ASSERT_EQ(dead.state, journal::DeliveryState::Dead);
    EXPECT_NE(dead.lastError.find("plugin test-poison"), std::string::npos) << dead.lastError;
    EXPECT_NE(dead.lastError.find("POISON marker"), std::string::npos) << dead.lastError;
    EXPECT_EQ(cactus_.total(), 1u) << "nothing of the poison record was sent";
    auto alerts = logger_.lines("alert");
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_NE(alerts[0].message.find("plugin test-poison"), std::string::npos) << alerts[0].message;

    send("Q-2", "case-q", {kCactus});
    clock_.advance(60000);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(deliveryOf(after, kCactus).attempts, 0) << "P-2 waits behind the dead P-POISON";

    // The fix: the partner's profile no longer uses the refusing plugin.
    config_.partners[2].outbound.clear();
    ASSERT_TRUE(journal_->replay(dead.deliveryId, clock_.nowUnixMs(), "operator:test").ok());
    while (dispatcher().runOnce() > 0) {
    }
    EXPECT_EQ(keys(cactus_.acceptedBodies()), (std::vector<std::string>{"Q-1", "Q-2", "P-POISON", "P-2"}));
}

TEST_F(DispatcherTest, ACriticalHoldIsNeverDeadLetteredAndItsAlertsEscalate) {
    valley_.alwaysFail(500);
    const std::string id = send("HOLD-1", "case-h", {kValley}, true);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    // 900, 1800, 3600, then the critical cap (4000 * 0.9) from there on.
    for (std::int64_t delay : {900, 1800, 3600, 3600, 3600, 3600, 3600}) expectNextAttemptAfter(delay, valley_);

    const journal::DeliveryInfo d = deliveryOf(id, kValley);
    EXPECT_EQ(d.state, journal::DeliveryState::Pending);
    EXPECT_EQ(d.attempts, 8) << "past maxAttempts (5) and still trying";
    EXPECT_EQ(counter("lendgate_alerts_total", {{"kind", "dead_letter"}}), 0);
    EXPECT_EQ(counter("lendgate_alerts_total", {{"kind", "critical_retry"}}), 8) << "every failure is an alert";

    auto alerts = logger_.lines("alert");
    ASSERT_EQ(alerts.size(), 8u);
    EXPECT_EQ(alerts.front().level, LogLevel::Warning);
    EXPECT_NE(alerts.front().message.find("\"level\":1"), std::string::npos) << alerts.front().message;
    EXPECT_NE(alerts[2].message.find("\"level\":2"), std::string::npos) << alerts[2].message;
    EXPECT_EQ(alerts[2].level, LogLevel::Error);
    EXPECT_NE(alerts.back().message.find("\"level\":3"), std::string::npos) << alerts.back().message;
    EXPECT_NE(alerts.back().message.find("\"critical\":true"), std::string::npos);
    // The journal keeps one alert per level reached, not one per retry.
    auto journaled = journal_->listAlerts({});
    ASSERT_TRUE(journaled.ok());
    std::vector<std::string> severities;
    for (const journal::Alert &alert : journaled.value()) severities.push_back(alert.record.severity);
    EXPECT_EQ(severities, (std::vector<std::string>{"warning", "critical", "critical"}));

    valley_.healthy();
    clock_.advance(4000);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(deliveryOf(id, kValley).state, journal::DeliveryState::Delivered);
}

// G3: a worker dies after the receiver said 200 but before the outcome was
// recorded; the lease expires and the message goes again with the same key.
TEST_F(DispatcherTest, AfterACrashBetweenSendAndRecordTheCopyCarriesTheSameKey) {
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) ids.push_back(send("G-" + std::to_string(i), "case-g" + std::to_string(i), {kValley}));

    journal::ClaimQuery query;
    query.nowMs = clock_.nowUnixMs();
    query.leaseMs = 30000;
    query.destinations = {kValley};
    auto claimed = journal_->claimDue(query);
    ASSERT_TRUE(claimed.ok());
    ASSERT_EQ(claimed.value().size(), 4u);
    Renderer renderer(config_, catalog_);
    WebhookTransport transport(clock_);
    for (const auto &c : claimed.value()) {
        auto rendered = renderer.render(c);
        ASSERT_TRUE(rendered.ok());
        ASSERT_TRUE(transport.send(rendered.value(), config_.partners[0].endpoints[0]).delivered);
    }
    // ...and the "crashed" worker never calls complete().

    EXPECT_EQ(dispatcher().runOnce(), 0u) << "leased to the dead worker";
    clock_.advance(30000);
    EXPECT_EQ(dispatcher().runOnce(), 4u);
    EXPECT_EQ(valley_.total(), 8u);
    EXPECT_EQ(valley_.distinctKeys(), 4u) << "a deduplicating receiver sees each message once";
    for (const auto &id : ids) {
        EXPECT_EQ(deliveryOf(id, kValley).state, journal::DeliveryState::Delivered);
        int copies = 0;
        for (const auto &r : valley_.requests()) copies += r.header("Idempotency-Key") == id;
        EXPECT_EQ(copies, 2) << id;
    }
}

TEST_F(DispatcherTest, RetriesCarryTheSameKeyAndADedupingReceiverEndsWithExactlyN) {
    mesa_.failFirst(3);
    constexpr int kMessages = 10;
    for (int i = 0; i < kMessages; ++i) send("R-" + std::to_string(i), "case-r" + std::to_string(i), {kMesa});
    for (int round = 0; round < 10 && mesa_.distinctKeys() < kMessages; ++round) {
        dispatcher().runOnce();
        clock_.advance(10000);
    }
    EXPECT_EQ(mesa_.distinctKeys(), static_cast<std::size_t>(kMessages));
    EXPECT_EQ(mesa_.total(), static_cast<std::size_t>(kMessages + 3));
}

TEST_F(DispatcherTest, WorkersDeliverWhatIsCommittedAndStopPromptly) {
    dispatcher().start();
    constexpr int kMessages = 30;
    for (int i = 0; i < kMessages; ++i) {
        send("T-" + std::to_string(i), "case-t" + std::to_string(i % 7), {i % 2 == 0 ? kValley : kMesa});
        dispatcher().wake();
    }
    EXPECT_TRUE(valley_.waitForDistinct(kMessages / 2, std::chrono::seconds(20)));
    EXPECT_TRUE(mesa_.waitForDistinct(kMessages / 2, std::chrono::seconds(20)));

    const auto started = std::chrono::steady_clock::now();
    dispatcher().stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    EXPECT_EQ(valley_.total() + mesa_.total(), static_cast<std::size_t>(kMessages)) << "no duplicates without faults";

    // Order per case held across two workers.
    std::map<std::string, int> lastOfCase;
    for (const auto &body : valley_.acceptedBodies()) {
        const int n = std::stoi(keyOf(body).substr(2));
        const std::string caseKey = std::to_string(n % 7);
        EXPECT_LT(lastOfCase.count(caseKey) ? lastOfCase[caseKey] : -1, n);
        lastOfCase[caseKey] = n;
    }
}

TEST_F(DispatcherTest, ASlowDestinationHoldsAtMostHalfTheWorkers) {
    options_.workers = 4;
    mesa_.slow(std::chrono::milliseconds(200));
    // Enough slow deliveries, due first, to fill every worker's claim.
    constexpr int kSlow = 64;
    constexpr int kFast = 16;
    for (int i = 0; i < kSlow; ++i) send("SLOW-" + std::to_string(i), "case-slow" + std::to_string(i), {kMesa});
    for (int i = 0; i < kFast; ++i) send("FAST-" + std::to_string(i), "case-fast" + std::to_string(i), {kValley});
    dispatcher().start();
    dispatcher().wake();
    ASSERT_TRUE(valley_.waitForDistinct(kFast, std::chrono::seconds(30)));
    // Every fast delivery arrived while most slow ones still waited: the slow
    // destination never had every worker.
    EXPECT_LT(mesa_.total(), static_cast<std::size_t>(kSlow / 2)) << "the slow destination held every worker";
    dispatcher().stop();
}

TEST_F(DispatcherTest, StopHandsBackWhatItHadNotBegunWithItsAttemptsUntouched) {
    options_.workers = 1;
    valley_.slow(std::chrono::milliseconds(300));
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(send("R-" + std::to_string(i), "case-r" + std::to_string(i), {kValley}));
    dispatcher().start();
    dispatcher().wake();
    for (int i = 0; i < 200 && deliveryOf(ids[0], kValley).attempts == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    dispatcher().stop();
    int handedBack = 0;
    for (const auto &id : ids) {
        const auto d = deliveryOf(id, kValley);
        if (d.state == journal::DeliveryState::Delivered) continue;
        EXPECT_EQ(d.state, journal::DeliveryState::Pending) << id;
        EXPECT_EQ(d.attempts, 0) << "a delivery never sent keeps its whole budget";
        ++handedBack;
    }
    EXPECT_GT(handedBack, 0);
}

TEST_F(DispatcherTest, StopFinishesTheDeliveryInFlight) {
    valley_.slow(std::chrono::milliseconds(600));
    const std::string id = send("S-1", "case-s", {kValley});
    dispatcher().start();
    dispatcher().wake();
    for (int i = 0; i < 100 && valley_.total() == 0 && deliveryOf(id, kValley).attempts == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dispatcher().stop();
    const journal::DeliveryInfo d = deliveryOf(id, kValley);
    EXPECT_EQ(d.state, journal::DeliveryState::Delivered) << "stop() waited for the send and recorded it";
}

TEST_F(DispatcherTest, DirectoryDestinationsReceiveFiles) {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(send("F-" + std::to_string(i), "case-f" + std::to_string(i), {kDrop}));
    EXPECT_EQ(dispatcher().runOnce(), 3u);
    for (const auto &id : ids) {
        const std::filesystem::path file = dir_ / ("drop/" + id + ".json");
        ASSERT_TRUE(std::filesystem::exists(file)) << file;
        auto parsed = model::parseMessage(readText(file));
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed.message->envelope.receiver, kDrop);
        EXPECT_EQ(deliveryOf(id, kDrop).state, journal::DeliveryState::Delivered);
    }
}

TEST_F(DispatcherTest, ADestinationWithNoEndpointForTheTypeFailsWithAClearReason) {
    config_.partners[1].endpoints[0].messageTypes = {model::MessageType::Consent};
    const std::string id = send("N-1", "case-n", {kMesa});
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    const journal::DeliveryInfo d = deliveryOf(id, kMesa);
    EXPECT_EQ(d.state, journal::DeliveryState::Pending);
    EXPECT_EQ(d.lastError, "no endpoint for repossession_assignment");
    EXPECT_EQ(mesa_.total(), 0u);
}

}  // namespace
}  // namespace lendgate::delivery
