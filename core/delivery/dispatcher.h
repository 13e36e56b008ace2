// The delivery loop: claims due deliveries from the journal's outbox, renders
// and sends each one, and records the outcome (ARCHITECTURE.md decision 6).
//
//   claimDue ─> render (destination plugin) ─> transport ─> complete()
//                                                            Delivered | Retry (policy) | DeadLetter (+ alert)
//
// Delivery is at-least-once: the journal counts an attempt when it hands a
// delivery out, and a worker that dies before reporting leaves a lease that
// expires, so the delivery is sent again with the same idempotency key.
// Ordering per (destination, case) is the journal's (claimDue returns only
// queue heads), so a slow or dead destination holds up its own queues only.
//
// A file endpoint with batch settings sends many deliveries as one file
// (batcher.h): its records wait in the journal until the file is due.
//
// Only destinations with a push endpoint (webhook, directory, sftp_push) are claimed;
// a partner with a pull endpoint fetches its deliveries through the partner
// API's outbox, which completes them itself.
#ifndef LENDGATE_DELIVERY_DISPATCHER_H
#define LENDGATE_DELIVERY_DISPATCHER_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/delivery/batcher.h"
#include "core/delivery/renderer.h"
#include "core/delivery/retry_policy.h"
#include "core/delivery/transport.h"
#include "core/journal/journal.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"

namespace lendgate::delivery {

struct DispatcherOptions {
    unsigned workers = 4;
    std::size_t claimBatch = 16;
    /// A claim not reported within this is handed out again; keep it well
    /// above the longest endpoint timeout.
    std::int64_t leaseMs = 60000;
    /// How long an idle worker sleeps when nothing is due and no wake() came.
    std::chrono::milliseconds idlePoll{250};
    RetryPolicy retry;
    /// Source of the retry jitter, uniform in [0, 1). Empty: a generator of
    /// the dispatcher's own, seeded from std::random_device. Tests pass a
    /// constant to get the exact schedule.
    std::function<double()> random01;
    /// Seals files for partners that exchange OpenPGP (null: none do).
    const pgp::Keyring *keyring = nullptr;
    /// Gives each destination the personal fields it may see (null: none).
    const privacy::FieldVault *vault = nullptr;
};

class Dispatcher {
public:
    /// Everything passed by reference must outlive the dispatcher. Null
    /// transports are replaced by the real ones (WebhookTransport,
    /// DirectoryTransport, SftpPushTransport).
    Dispatcher(journal::Journal &journal, const config::GatewayConfig &config, plugin::PluginCatalog &catalog,
               const Clock &clock, Logger &logger, metrics::Registry &metrics, DispatcherOptions options,
               std::shared_ptr<Transport> webhook = {}, std::shared_ptr<Transport> directory = {},
               std::shared_ptr<Transport> sftpPush = {});
    /// Stops the workers if they are still running.
    ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    /// Starts options.workers threads. Calling it twice does nothing.
    void start();
    /// Stops claiming, lets each worker finish and record the delivery it is
    /// sending, hands back claimed deliveries it had not begun, and joins.
    void stop();
    /// New deliveries were committed: idle workers poll now.
    void wake();
    /// One claim-and-deliver round on the caller's thread; returns how many
    /// deliveries were attempted. For tests (with a manual clock) and tools.
    std::size_t runOnce();

    /// A delivery claimed elsewhere (the pull outbox) that failed before it
    /// could be handed over: the same retry policy, dead letter and alerts as
    /// a failed push.
    void reportFailure(const journal::ClaimedDelivery &claimed, const std::string &reason);

    /// The partners this dispatcher claims for: those with a webhook,
    /// directory or sftp_push endpoint and no pull endpoint.
    static std::vector<std::string> pushDestinations(const config::GatewayConfig &config);

private:
    struct Round {
        std::size_t attempted = 0;
        bool journalUnavailable = false;
    };

    /// Outcomes waiting for the end of the worker's round.
    struct RoundOutcomes {
        std::vector<const journal::ClaimedDelivery *> claims;
        std::vector<journal::DeliveryOutcome> outcomes;
    };
    static thread_local RoundOutcomes *roundOutcomes;

    Round round(const std::atomic<bool> *stopping);
    Round sendSingles(const std::atomic<bool> *stopping);
    /// Sends every batch file that is due; returns how many records they held.
    std::size_t sendDueFiles(const std::atomic<bool> *stopping);
    void flush(RoundOutcomes &outcomes);
    void deliverOne(const journal::ClaimedDelivery &claimed);
    /// One file of `lane` holding `claims`; each record's outcome is recorded.
    void deliverFile(const Batcher::Lane &lane, std::span<const journal::ClaimedDelivery> claims,
                     const std::string &why);
    Transport &transportFor(const config::Endpoint &endpoint);
    /// One attempt, timed; a throwing transport counts as a failed attempt.
    TransportResult send(Transport &transport, const OutboundMessage &message, const config::Endpoint &endpoint,
                         std::int64_t &latencyMs);
    void release(const journal::ClaimedDelivery &claimed);
    void record(const journal::ClaimedDelivery &claimed, const journal::DeliveryOutcome &outcome);
    void reportUnrecorded(const journal::ClaimedDelivery &claimed, const Error &error);
    /// `random01`: the jitter draw; records of one file share it, so a
    /// retried file's records fall due together and travel together again.
    void onFailure(const journal::ClaimedDelivery &claimed, journal::DeliveryOutcome outcome, const std::string &reason,
                   bool permanent = false, std::optional<double> random01 = std::nullopt);
    void alert(LogLevel level, const std::string &kind, const journal::ClaimedDelivery &claimed, int alertLevel,
               const std::string &reason);
    const config::Endpoint *endpointFor(const journal::DeliveryInfo &delivery) const;
    double nextRandom();
    void workerLoop();
    void describeMetrics();

    journal::Journal &journal_;
    const config::GatewayConfig &config_;
    const Clock &clock_;
    Logger &logger_;
    metrics::Registry &metrics_;
    DispatcherOptions options_;
    std::shared_ptr<Transport> webhook_;
    std::shared_ptr<Transport> directory_;
    std::shared_ptr<Transport> sftpPush_;
    Renderer renderer_;
    std::vector<std::string> destinations_;
    Batcher batcher_;

    // Workers busy per destination: a destination that is slow (timeouts)
    // may hold at most half the workers, so the others keep serving the
    // rest (G4: other destinations are not slowed).
    std::mutex busyMutex_;
    std::map<std::string, unsigned> busy_;
    std::vector<std::string> claimableDestinations();                                // busyMutex_ held
    void markBusy(const std::vector<journal::ClaimedDelivery> &claimed, int delta);  // busyMutex_ held

    std::mutex randomMutex_;
    std::mt19937_64 random_;

    std::mutex wakeMutex_;
    std::condition_variable wakeUp_;
    std::uint64_t wakeGeneration_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex lifecycleMutex_;
    std::vector<std::thread> workers_;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_DISPATCHER_H
