#include "core/delivery/dispatcher.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/common/redact.h"
#include "core/delivery/directory_transport.h"
#include "core/delivery/sftp_push_transport.h"
#include "core/delivery/webhook_transport.h"

namespace lendgate::delivery {
namespace {

constexpr std::string_view kComponent = "delivery";
constexpr std::size_t kMaxErrorText = 500;

constexpr const char *kAttempts = "lendgate_delivery_attempts_total";
constexpr const char *kDelivered = "lendgate_messages_delivered_total";
constexpr const char *kDeadLettered = "lendgate_messages_dead_lettered_total";
constexpr const char *kLatency = "lendgate_delivery_latency_seconds";
constexpr const char *kAlerts = "lendgate_alerts_total";

bool isPush(config::Endpoint::Type type) {
    return type == config::Endpoint::Type::Webhook || type == config::Endpoint::Type::Directory ||
           type == config::Endpoint::Type::SftpPush;
}

std::string describeDelivery(const journal::DeliveryInfo &d) {
    return "delivery " + std::to_string(d.deliveryId) + " of message " + d.messageId + " to " + d.destination;
}

}  // namespace

Dispatcher::Dispatcher(journal::Journal &journal, const config::GatewayConfig &config, plugin::PluginCatalog &catalog,
                       const Clock &clock, Logger &logger, metrics::Registry &metrics, DispatcherOptions options,
                       std::shared_ptr<Transport> webhook, std::shared_ptr<Transport> directory,
                       std::shared_ptr<Transport> sftpPush)
    : journal_(journal),
      config_(config),
      clock_(clock),
      logger_(logger),
      metrics_(metrics),
      options_(std::move(options)),
      webhook_(webhook ? std::move(webhook) : std::make_shared<WebhookTransport>(clock, config.outboundCaBundle)),
      directory_(directory ? std::move(directory) : std::make_shared<DirectoryTransport>()),
      sftpPush_(sftpPush ? std::move(sftpPush) : std::make_shared<SftpPushTransport>()),
      renderer_(config, catalog, options_.keyring, options_.vault),
      destinations_(pushDestinations(config)),
      batcher_(journal, config, renderer_, destinations_),
      random_(std::random_device{}()) {
    options_.claimBatch = std::max<std::size_t>(options_.claimBatch, 1);
    describeMetrics();
}

Dispatcher::~Dispatcher() {
    stop();
}

std::vector<std::string> Dispatcher::pushDestinations(const config::GatewayConfig &config) {
    std::vector<std::string> out;
    for (const config::Partner &partner : config.partners) {
        bool push = false, pull = false;
        for (const config::Endpoint &endpoint : partner.endpoints) {
            push = push || isPush(endpoint.type);
            pull = pull || endpoint.type == config::Endpoint::Type::Pull;
        }
        if (push && !pull) out.push_back(partner.id);
    }
    return out;
}

void Dispatcher::describeMetrics() {
    metrics_.describe(kAttempts, metrics::Kind::Counter,
                      "Delivery attempts by destination, message type and result (delivered, retry, dead_letter).");
    metrics_.describe(kDelivered, metrics::Kind::Counter, "Messages delivered, by destination and message type.");
    metrics_.describe(kDeadLettered, metrics::Kind::Counter,
                      "Deliveries dead-lettered after exhausting their retries, by destination and message type.");
    metrics_.describe(kLatency, metrics::Kind::Histogram,
                      "Time to send one delivery (render excluded), by destination.");
    metrics_.describe(kAlerts, metrics::Kind::Counter, "Alerts raised, by kind (dead_letter, critical_retry).");
}

void Dispatcher::start() {
    std::lock_guard lock(lifecycleMutex_);
    if (!workers_.empty()) return;
    stopping_ = false;
    const unsigned count = std::max(options_.workers, 1u);
    for (unsigned i = 0; i < count; ++i) workers_.emplace_back([this] { workerLoop(); });
}

void Dispatcher::stop() {
    std::lock_guard lock(lifecycleMutex_);
    if (workers_.empty()) return;
    {
        std::lock_guard wakeLock(wakeMutex_);
        stopping_ = true;
    }
    wakeUp_.notify_all();
    for (std::thread &worker : workers_) worker.join();
    workers_.clear();
    stopping_ = false;
}

void Dispatcher::wake() {
    {
        std::lock_guard lock(wakeMutex_);
        ++wakeGeneration_;
    }
    wakeUp_.notify_all();
}

std::size_t Dispatcher::runOnce() {
    return round(nullptr).attempted;
}

void Dispatcher::workerLoop() {
    while (!stopping_) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(wakeMutex_);
            seen = wakeGeneration_;
        }
        const Round done = round(&stopping_);
        if (done.attempted > 0 && !done.journalUnavailable) continue;
        std::unique_lock lock(wakeMutex_);
        // A wake() that arrived during the round counts (the generation
        // moved), so a commit between claim and wait is never slept through.
        // While the journal is unavailable only stop() cuts the pause short.
        wakeUp_.wait_for(lock, options_.idlePoll,
                         [&] { return stopping_.load() || (!done.journalUnavailable && wakeGeneration_ != seen); });
    }
}

thread_local Dispatcher::RoundOutcomes *Dispatcher::roundOutcomes = nullptr;

Dispatcher::Round Dispatcher::round(const std::atomic<bool> *stopping) {
    Round done = sendSingles(stopping);
    if (!done.journalUnavailable) done.attempted += sendDueFiles(stopping);
    return done;
}

Dispatcher::Round Dispatcher::sendSingles(const std::atomic<bool> *stopping) {
    Round done;
    if (destinations_.empty()) return done;
    journal::ClaimQuery query;
    query.nowMs = clock_.nowUnixMs();
    query.limit = options_.claimBatch;
    query.leaseMs = options_.leaseMs;
    query.batchedLanes = batcher_.laneKeys();
    // Choosing the destinations, claiming and counting the claim happen under
    // one lock, or workers starting together would all pick the slow one.
    std::unique_lock claiming(busyMutex_);
    query.destinations = claimableDestinations();
    if (query.destinations.empty()) return done;
    auto claimed = journal_.claimDue(query);
    if (claimed) markBusy(claimed.value(), +1);
    claiming.unlock();
    if (!claimed) {
        const bool unavailable = claimed.error().code == journal::errc::kUnavailable;
        logger_.log(unavailable ? LogLevel::Warning : LogLevel::Error, kComponent,
                    "claiming due deliveries failed (" + claimed.error().code + "): " + claimed.error().message +
                        "; trying again shortly");
        done.journalUnavailable = true;
        return done;
    }
    // Outcomes of a round are recorded together: one journal commit (one
    // fsync) for the round instead of one per delivery. A crash before the
    // commit resends them, with the same idempotency keys (G3).
    RoundOutcomes outcomes;
    roundOutcomes = &outcomes;
    for (const journal::ClaimedDelivery &delivery : claimed.value()) {
        if (stopping != nullptr && stopping->load()) {
            release(delivery);
            continue;
        }
        deliverOne(delivery);
        ++done.attempted;
    }
    roundOutcomes = nullptr;
    flush(outcomes);
    {
        std::lock_guard lock(busyMutex_);
        markBusy(claimed.value(), -1);
    }
    return done;
}

std::size_t Dispatcher::sendDueFiles(const std::atomic<bool> *stopping) {
    std::size_t attempted = 0;
    for (std::size_t i = 0; i < batcher_.lanes().size(); ++i) {
        if (stopping != nullptr && stopping->load()) break;
        auto due = batcher_.claimIfDue(i, clock_.nowUnixMs(), options_.leaseMs);
        if (!due) {
            logger_.log(due.error().code == journal::errc::kUnavailable ? LogLevel::Warning : LogLevel::Error,
                        kComponent,
                        "checking the batch file of " + batcher_.lanes()[i].key.destination + " (" +
                            batcher_.lanes()[i].key.messageType + ") failed (" + due.error().code +
                            "): " + due.error().message + "; trying again shortly");
            continue;
        }
        if (due.value().claims.empty()) continue;
        // One commit per file: its records' outcomes stand or fall together.
        RoundOutcomes outcomes;
        roundOutcomes = &outcomes;
        deliverFile(batcher_.lanes()[i], due.value().claims, due.value().reason);
        roundOutcomes = nullptr;
        flush(outcomes);
        attempted += due.value().claims.size();
    }
    return attempted;
}

std::vector<std::string> Dispatcher::claimableDestinations() {
    const unsigned cap = std::max(1u, options_.workers / 2);
    std::vector<std::string> out;
    out.reserve(destinations_.size());
    for (const auto &destination : destinations_) {
        auto it = busy_.find(destination);
        if (it == busy_.end() || it->second < cap) out.push_back(destination);
    }
    return out;
}

void Dispatcher::markBusy(const std::vector<journal::ClaimedDelivery> &claimed, int delta) {
    // A worker counts once per destination it holds, however many deliveries.
    std::vector<std::string> held;
    for (const auto &c : claimed)
        if (std::find(held.begin(), held.end(), c.delivery.destination) == held.end())
            held.push_back(c.delivery.destination);
    for (const auto &destination : held) {
        auto &count = busy_[destination];
        count = delta > 0 ? count + 1 : (count > 0 ? count - 1 : 0);
    }
}

void Dispatcher::flush(RoundOutcomes &outcomes) {
    if (outcomes.outcomes.empty()) return;
    auto results = journal_.complete(outcomes.outcomes);
    for (std::size_t i = 0; i < results.size(); ++i)
        if (!results[i]) reportUnrecorded(*outcomes.claims[i], results[i].error());
    outcomes = {};
}

const config::Endpoint *Dispatcher::endpointFor(const journal::DeliveryInfo &delivery) const {
    const config::Partner *partner = config_.partner(delivery.destination);
    if (partner == nullptr) return nullptr;
    const auto type = model::messageTypeFromString(delivery.messageType);
    for (const config::Endpoint &endpoint : partner->endpoints) {
        if (!isPush(endpoint.type)) continue;
        if (endpoint.messageTypes.empty()) return &endpoint;
        if (type &&
            std::find(endpoint.messageTypes.begin(), endpoint.messageTypes.end(), *type) != endpoint.messageTypes.end())
            return &endpoint;
    }
    return nullptr;
}

double Dispatcher::nextRandom() {
    std::lock_guard lock(randomMutex_);
    if (options_.random01) return options_.random01();
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

void Dispatcher::deliverOne(const journal::ClaimedDelivery &claimed) {
    const journal::DeliveryInfo &d = claimed.delivery;
    journal::DeliveryOutcome outcome;
    outcome.deliveryId = d.deliveryId;
    outcome.claim = claimed.claim;

    const config::Endpoint *endpoint = endpointFor(d);
    if (endpoint == nullptr) {
        outcome.atMs = clock_.nowUnixMs();
        onFailure(claimed, outcome, "no endpoint for " + d.messageType);
        return;
    }
    // Only a HOLD or CANCEL of a batching lane is claimed alone: it leaves at
    // once, as a file of its own.
    if (const Batcher::Lane *lane = batcher_.laneOf(d)) {
        deliverFile(*lane, std::span<const journal::ClaimedDelivery>(&claimed, 1), "it is a HOLD or CANCEL");
        return;
    }
    auto rendered = renderer_.render(claimed);
    if (!rendered) {
        outcome.atMs = clock_.nowUnixMs();
        onFailure(claimed, outcome, rendered.error().code + ": " + rendered.error().message);
        return;
    }

    const TransportResult sent = send(transportFor(*endpoint), rendered.value(), *endpoint, outcome.latencyMs);
    outcome.atMs = clock_.nowUnixMs();
    outcome.status = sent.status;
    if (!sent.delivered) {
        onFailure(claimed, outcome, sent.error.empty() ? std::string("not delivered") : sent.error, sent.permanent);
        return;
    }
    outcome.kind = journal::OutcomeKind::Delivered;
    metrics_.increment(kAttempts, {{"destination", d.destination}, {"type", d.messageType}, {"result", "delivered"}});
    metrics_.increment(kDelivered, {{"destination", d.destination}, {"type", d.messageType}});
    record(claimed, outcome);
}

Transport &Dispatcher::transportFor(const config::Endpoint &endpoint) {
    return endpoint.type == config::Endpoint::Type::Webhook    ? *webhook_
           : endpoint.type == config::Endpoint::Type::SftpPush ? *sftpPush_
                                                               : *directory_;
}

TransportResult Dispatcher::send(Transport &transport, const OutboundMessage &message, const config::Endpoint &endpoint,
                                 std::int64_t &latencyMs) {
    // Latency from a monotonic clock: the wall clock may step (NTP) mid-send.
    const auto started = std::chrono::steady_clock::now();
    TransportResult sent;
    try {
        sent = transport.send(message, endpoint);
    } catch (const std::exception &e) {
        // The contract says transports do not throw; a thread must not die if one does.
        sent = TransportResult{false, 0, std::string("transport threw: ") + e.what()};
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    metrics_.observe(kLatency, {{"destination", message.destination}}, elapsed.count());
    latencyMs = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    return sent;
}

void Dispatcher::deliverFile(const Batcher::Lane &lane, std::span<const journal::ClaimedDelivery> claims,
                             const std::string &why) {
    auto outcomeOf = [&](const journal::ClaimedDelivery &claimed) {
        journal::DeliveryOutcome outcome;
        outcome.deliveryId = claimed.delivery.deliveryId;
        outcome.claim = claimed.claim;
        outcome.atMs = clock_.nowUnixMs();
        return outcome;
    };
    const double jitter = nextRandom();
    auto file = batcher_.makeFile(lane, claims, clock_.nowUnixMs());
    if (!file) {
        for (const auto &claimed : claims)
            onFailure(claimed, outcomeOf(claimed), file.error().code + ": " + file.error().message, false, jitter);
        return;
    }
    // Records the plugin refused are poison (G5): each fails on its own.
    for (const auto &[index, error] : file.value().refused)
        onFailure(claims[index], outcomeOf(claims[index]), error.code + ": " + error.message, false, jitter);
    const std::vector<std::size_t> &included = file.value().included;
    if (included.empty()) return;

    journal::DeliveryOutcome sentOutcome;
    const TransportResult sent =
        send(transportFor(*lane.endpoint), file.value().message, *lane.endpoint, sentOutcome.latencyMs);
    const std::string &name = file.value().message.fileName;
    for (std::size_t index : included) {
        const journal::DeliveryInfo &d = claims[index].delivery;
        journal::DeliveryOutcome outcome = outcomeOf(claims[index]);
        outcome.status = sent.status;
        outcome.latencyMs = sentOutcome.latencyMs;
        if (!sent.delivered) {
            const std::string error = sent.error.empty() ? std::string("not delivered") : sent.error;
            onFailure(claims[index], outcome, "batch file " + name + ": " + error, sent.permanent, jitter);
            continue;
        }
        outcome.kind = journal::OutcomeKind::Delivered;
        metrics_.increment(kAttempts,
                           {{"destination", d.destination}, {"type", d.messageType}, {"result", "delivered"}});
        metrics_.increment(kDelivered, {{"destination", d.destination}, {"type", d.messageType}});
        record(claims[index], outcome);
    }
    if (sent.delivered)
        logger_.log(LogLevel::Info, kComponent,
                    "batch file " + name + " sent to " + lane.key.destination + " with " +
                        std::to_string(included.size()) + " " + lane.key.messageType + " records (" + why + ")");
}

void Dispatcher::reportFailure(const journal::ClaimedDelivery &claimed, const std::string &reason) {
    journal::DeliveryOutcome outcome;
    outcome.deliveryId = claimed.delivery.deliveryId;
    outcome.claim = claimed.claim;
    outcome.atMs = clock_.nowUnixMs();
    onFailure(claimed, outcome, reason);
}

void Dispatcher::onFailure(const journal::ClaimedDelivery &claimed, journal::DeliveryOutcome outcome,
                           const std::string &reason, bool permanent, std::optional<double> random01) {
    const journal::DeliveryInfo &d = claimed.delivery;
    outcome.error = redactForLog(reason, kMaxErrorText);
    RetryDecision decision = decideAfterFailure(options_.retry, d, outcome.atMs, random01 ? *random01 : nextRandom());
    // A critical message is never given up on, whatever the transport says.
    if (permanent && !d.critical) decision.deadLetter = true;

    if (decision.deadLetter) {
        outcome.kind = journal::OutcomeKind::DeadLetter;
        auto recorded = journal_.complete(std::span<const journal::DeliveryOutcome>(&outcome, 1)).at(0);
        if (recorded) {
            metrics_.increment(kAttempts,
                               {{"destination", d.destination}, {"type", d.messageType}, {"result", "dead_letter"}});
            metrics_.increment(kDeadLettered, {{"destination", d.destination}, {"type", d.messageType}});
            alert(LogLevel::Error, "dead_letter", claimed, kAlertNone, outcome.error);
            return;
        }
        if (recorded.error().code != journal::errc::kInvalidState) {
            reportUnrecorded(claimed, recorded.error());
            return;
        }
        // The journal knows the delivery is critical even if the claim said
        // otherwise: it must keep retrying, so retry at the critical cap.
        journal::DeliveryInfo critical = d;
        critical.critical = true;
        decision = decideAfterFailure(options_.retry, critical, outcome.atMs, random01 ? *random01 : nextRandom());
    }

    outcome.kind = journal::OutcomeKind::Retry;
    outcome.nextAttemptAtMs = decision.nextAttemptAtMs;
    metrics_.increment(kAttempts, {{"destination", d.destination}, {"type", d.messageType}, {"result", "retry"}});
    if (d.critical || decision.alertLevel > kAlertNone) {
        // Never silent: every failed attempt of a HOLD or CANCEL is an alert,
        // louder as it keeps failing.
        const int level = std::max<int>(decision.alertLevel, kAlertWarning);
        alert(level >= kAlertPage ? LogLevel::Error : LogLevel::Warning, "critical_retry", claimed, level,
              outcome.error);
    } else {
        logger_.log(LogLevel::Info, kComponent,
                    describeDelivery(d) + " failed (attempt " + std::to_string(d.attempts) + "): " + outcome.error +
                        "; next attempt in " + std::to_string((decision.nextAttemptAtMs - outcome.atMs) / 1000) + " s");
    }
    record(claimed, outcome);
}

void Dispatcher::release(const journal::ClaimedDelivery &claimed) {
    // Claimed but not begun when stop() came: handed back unsent, so the next
    // start sends it at once and its attempt budget is untouched.
    auto released = journal_.releaseClaim(claimed.delivery.deliveryId, claimed.claim, clock_.nowUnixMs());
    if (!released) reportUnrecorded(claimed, released.error());
}

void Dispatcher::record(const journal::ClaimedDelivery &claimed, const journal::DeliveryOutcome &outcome) {
    if (roundOutcomes != nullptr) {
        roundOutcomes->claims.push_back(&claimed);
        roundOutcomes->outcomes.push_back(outcome);
        return;
    }
    auto recorded = journal_.complete(std::span<const journal::DeliveryOutcome>(&outcome, 1)).at(0);
    if (!recorded) reportUnrecorded(claimed, recorded.error());
}

void Dispatcher::reportUnrecorded(const journal::ClaimedDelivery &claimed, const Error &error) {
    if (error.code == journal::errc::kStaleClaim) {
        logger_.log(LogLevel::Warning, kComponent,
                    describeDelivery(claimed.delivery) +
                        ": its lease expired before the outcome was recorded; another worker has it now (" +
                        error.message + ")");
        return;
    }
    logger_.log(LogLevel::Error, kComponent,
                describeDelivery(claimed.delivery) + ": recording the outcome failed (" + error.code + ": " +
                    error.message + "); it will be sent again when its lease expires");
}

void Dispatcher::alert(LogLevel level, const std::string &kind, const journal::ClaimedDelivery &claimed, int alertLevel,
                       const std::string &reason) {
    const journal::DeliveryInfo &d = claimed.delivery;
    nlohmann::ordered_json text;
    text["alert"] = kind;
    if (alertLevel > kAlertNone) text["level"] = alertLevel;
    text["destination"] = d.destination;
    text["message_id"] = d.messageId;
    text["message_type"] = d.messageType;
    text["case_id"] = claimed.caseId;
    text["delivery_id"] = d.deliveryId;
    text["attempts"] = d.attempts;
    text["critical"] = d.critical;
    text["reason"] = redactForLog(reason, kMaxErrorText);
    logger_.log(level, "alert", text.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    metrics_.increment(kAlerts, {{"kind", kind}});

    // Journaled too, for `lendgate alerts`, the console and the operator
    // webhook: a dead letter once per attempt that ended it, a failing HOLD
    // or CANCEL once per level it reaches (not once per retry).
    journal::AlertRecord record;
    record.kind = kind;
    record.severity = alertLevel >= kAlertPage ? "critical" : "warning";
    record.dedupeKey =
        kind + ":" + std::to_string(d.deliveryId) + ":" +
        (alertLevel > kAlertNone ? "level-" + std::to_string(alertLevel) : std::to_string(claimed.claim));
    record.caseId = claimed.caseId;
    record.messageId = d.messageId;
    record.partner = d.destination;
    record.deliveryId = d.deliveryId;
    record.text = std::string(d.critical ? "critical " : "") + d.messageType + " to " + d.destination +
                  (kind == "dead_letter" ? " dead-lettered" : " keeps failing") + " after " +
                  std::to_string(d.attempts) + " attempts: " + redactForLog(reason, kMaxErrorText);
    record.atMs = clock_.nowUnixMs();
    if (auto raised = journal_.raiseAlert(record); !raised) {
        logger_.log(LogLevel::Error, kComponent,
                    "journaling the " + kind + " alert failed (" + raised.error().code + ": " + raised.error().message +
                        "); it was logged above");
    }
}

}  // namespace lendgate::delivery
