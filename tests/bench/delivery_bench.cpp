// Delivery: N messages journaled with one webhook delivery each, spread over
// many cases, then the Dispatcher with its real WebhookTransport sends them to
// an in-process HTTP receiver answering 200. Times from start() until the
// receiver holds every idempotency key and the journal shows them delivered,
// once per worker count, each on a fresh journal. Prints deliveries/s.
//
//   delivery_bench [--messages N] [--workers 4,16] [--cases C] [--plugin-dir DIR]
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/config/gateway_config.h"
#include "core/delivery/dispatcher.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"
#include "tests/bench/bench_support.h"
#include "tests/core/delivery/delivery_test_support.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::bench {
namespace {

constexpr double kGoalDeliveriesPerSecond = 5000;
constexpr const char *kDestination = "bench-recovery";
constexpr const char *kSecretVariable = "LENDGATE_SECRET_BENCH_RECOVERY_WEBHOOK";

class QuietLogger final : public Logger {
public:
    void log(LogLevel level, std::string_view component, std::string_view message) override {
        if (level >= LogLevel::Error)
            std::cerr << "  [" << toString(level) << "] " << component << ": " << message << "\n";
    }
};

// Journals `messages` assignments, each routed to the receiver, in
// transactions of 500 (as a busy intake would group them).
std::vector<std::string> fill(journal::Journal &journal, std::size_t messages, std::size_t cases) {
    std::vector<std::string> messageIds;
    const std::string body = delivery::testing::assignment("BENCH-TEMPLATE");
    constexpr std::size_t kPerCommit = 500;
    for (std::size_t first = 0; first < messages; first += kPerCommit) {
        std::vector<journal::IntakeBatch> batches;
        for (std::size_t i = first; i < std::min(messages, first + kPerCommit); ++i) {
            const std::string key = "BENCH-" + std::to_string(i);
            journal::IntakeRecord record;
            record.recordNumber = 1;
            record.messageType = "repossession_assignment";
            record.idempotencyKey = key;
            record.caseId = "case-bench-" + std::to_string(i % cases);
            // Identical bodies are fine here: the receiver keys on the
            // Idempotency-Key header, which is each message's own id.
            record.body = body;
            record.routes.push_back(journal::Route{kDestination, "bench", false});
            journal::IntakeBatch batch;
            batch.sender = "bench-bank";
            batch.idempotencyKey = "req-" + key;
            batch.channel = "http";
            batch.bodyHash = "hash-" + key;
            batch.records.push_back(std::move(record));
            batches.push_back(std::move(batch));
        }
        for (const auto &result : journal.acceptMany(batches)) {
            if (!result) throw std::runtime_error("journal accept: " + result.error().message);
            messageIds.push_back(result.value().records.at(0).messageId);
        }
    }
    return messageIds;
}

// Deliveries the journal records as delivered (checked after the timing).
std::size_t delivered(journal::Journal &journal, const std::vector<std::string> &messageIds) {
    std::size_t count = 0;
    for (const auto &id : messageIds) {
        auto deliveries = journal.deliveriesOf(id);
        if (!deliveries) continue;
        for (const auto &d : deliveries.value()) count += d.state == journal::DeliveryState::Delivered;
    }
    return count;
}

struct Run {
    double seconds = 0;
    std::size_t requests = 0;
    std::size_t delivered = 0;
    bool complete = false;
};

Run runOnce(unsigned workers, std::size_t messages, std::size_t cases, const std::string &pluginDir) {
    testing::TempDir dir;
    SystemClock clock;
    QuietLogger logger;
    metrics::Registry metrics;
    delivery::testing::TestReceiver receiver;

    journal::SqliteJournalOptions options;
    options.path = dir / "journal.db";
    auto opened = journal::openSqliteJournal(options, clock);
    if (!opened) throw std::runtime_error("journal: " + opened.error().message);
    auto journal = std::move(opened).value();
    const auto messageIds = fill(*journal, messages, cases);

    config::GatewayConfig config;
    config::Endpoint endpoint = delivery::testing::webhook(receiver.url("/bench"));
    endpoint.signingSecret = config::SecretRef{config::SecretRef::Kind::Environment, kSecretVariable};
    config.partners.push_back(delivery::testing::partner(kDestination, {endpoint}));
    plugin::PluginCatalog catalog(pluginDir, plugin::HostServices{&logger, &clock});

    delivery::DispatcherOptions dispatcherOptions;
    dispatcherOptions.workers = workers;
    delivery::Dispatcher dispatcher(*journal, config, catalog, clock, logger, metrics, dispatcherOptions);

    Stopwatch watch;
    dispatcher.start();
    dispatcher.wake();
    const bool complete = receiver.waitForDistinct(messages, std::chrono::seconds(300));
    Run run;
    run.seconds = watch.seconds();
    dispatcher.stop();
    run.requests = receiver.total();
    run.delivered = delivered(*journal, messageIds);
    run.complete = complete && run.delivered == messages;
    return run;
}

int run(const std::vector<std::string> &args) {
    const std::size_t messages = std::stoull(option(args, "--messages", "20000"));
    const std::size_t cases = std::stoull(option(args, "--cases", "1000"));
    const std::string pluginDir = option(args, "--plugin-dir", LENDGATE_PLUGIN_DIR);
    std::vector<unsigned> workerCounts;
    std::stringstream list(option(args, "--workers", "4,16"));
    for (std::string item; std::getline(list, item, ',');) workerCounts.push_back(std::stoul(item));
    ::setenv(kSecretVariable, "bench-signing-secret-not-for-production", 1);

    int status = 0;
    for (const unsigned workers : workerCounts) {
        const Run run = runOnce(workers, messages, cases, pluginDir);
        const std::string label = "delivery, " + std::to_string(workers) + " workers";
        if (!run.complete) {
            printFigure(label,
                        "INCOMPLETE: " + std::to_string(run.delivered) + " of " + std::to_string(messages) +
                            " delivered after " + fixed(run.seconds, 1) + " s",
                        ">=5k deliveries/s", false);
            status = 1;
            continue;
        }
        const double rate = static_cast<double>(messages) / run.seconds;
        printFigure(label,
                    fixed(rate) + " deliveries/s (" + std::to_string(messages) + " over " + std::to_string(cases) +
                        " cases, " + fixed(run.seconds, 2) + " s, " + std::to_string(run.requests) + " requests)",
                    ">=5k deliveries/s", rate >= kGoalDeliveriesPerSecond);
    }
    return status;
}

}  // namespace
}  // namespace lendgate::bench

int main(int argc, char **argv) {
    try {
        return lendgate::bench::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception &e) {
        std::cerr << "delivery_bench: " << e.what() << "\n";
        return 1;
    }
}
