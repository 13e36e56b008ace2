#include "core/app/gateway.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "core/api/admin_api.h"
#include "core/api/http_server.h"
#include "core/api/partner_api.h"
#include "core/config/sealed_secrets.h"
#include "core/config/secrets.h"
#include "core/delivery/alert_notifier.h"
#include "core/delivery/dispatcher.h"
#include "core/delivery/renderer.h"
#include "core/delivery/webhook_transport.h"
#include "core/intake/commit_queue.h"
#include "core/intake/intake_service.h"
#include "core/journal/fs_blob_store.h"
#include "core/journal/retention.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/journal/ulid.h"
#include "core/lifecycle/case_clock.h"
#include "core/metrics/metrics.h"
#include "core/pgp/pgp.h"
#include "core/plugin/plugin_catalog.h"
#include "core/privacy/field_vault.h"
#include "core/security/key_ring.h"
#include "core/security/tokenizer.h"
#include "core/sftp/drop_watcher.h"
#include "core/sftp/pull_poller.h"

namespace lendgate::app {

namespace fs = std::filesystem;

namespace {

/// Runs `job` every `interval` on a thread of its own until stopped; the
/// first run comes one interval after the start.
class PeriodicJob {
public:
    PeriodicJob(std::chrono::milliseconds interval, std::function<void()> job)
        : interval_(interval), job_(std::move(job)) {
        thread_ = std::thread([this] { run(); });
    }
    ~PeriodicJob() { stop(); }
    PeriodicJob(const PeriodicJob &) = delete;
    PeriodicJob &operator=(const PeriodicJob &) = delete;
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
            lock.unlock();
            job_();
            lock.lock();
        }
    }

    std::chrono::milliseconds interval_;
    std::function<void()> job_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

/// Picks up `lendgate keys rotate` (data or master key) while the daemon
/// runs: new blobs are then sealed with the new data key. A ring that no
/// longer opens keeps the keys in memory in use and is reported once.
std::unique_ptr<PeriodicJob> watchKeyRing(security::KeyRing &ring, Logger &logger) {
    auto reported = std::make_shared<std::string>();
    return std::make_unique<PeriodicJob>(std::chrono::seconds(2), [&ring, &logger, reported] {
        auto changed = ring.reloadIfChanged();
        if (changed && changed.value()) {
            reported->clear();
            logger.log(LogLevel::Info, "keys",
                       "key ring reloaded: data key " + std::to_string(ring.currentDataKeyId()) +
                           " is current, master key " + ring.masterInfo().id);
        } else if (!changed && changed.error().message != *reported) {
            *reported = changed.error().message;
            logger.log(LogLevel::Error, "keys",
                       "the key ring changed but cannot be read; the keys in memory stay in use: " + *reported);
        }
    });
}

/// The retention purge (core/journal/retention.h), every
/// retention.purge_interval_hours while the daemon runs.
std::unique_ptr<PeriodicJob> scheduleRetention(const config::GatewayConfig &config, journal::Journal &journal,
                                               journal::BlobStore &blobs, const Clock &clock, Logger &logger) {
    return std::make_unique<PeriodicJob>(
        std::chrono::hours(config.purgeIntervalHours), [&config, &journal, &blobs, &clock, &logger] {
            journal::PurgeRequest request;
            request.retentionDays = config.retentionDays;
            request.nowMs = clock.nowUnixMs();
            request.actor = "lendgated:retention";
            auto summary = journal::purgeExpired(journal, &blobs, config.dataDir / "keys", request);
            if (!summary) {
                logger.log(LogLevel::Error, "retention", "the retention purge failed: " + summary.error().message);
                return;
            }
            logger.log(LogLevel::Info, "retention",
                       "purged " + std::to_string(summary.value().cases) + " cases inactive for more than " +
                           std::to_string(config.retentionDays) +
                           " days: " + std::to_string(summary.value().messagesErased) + " messages erased, " +
                           std::to_string(summary.value().blobsPurged) + " input files' keys destroyed");
        });
}

/// The lifecycle clock (core/lifecycle/case_clock.h): overdue HOLD/CANCEL
/// acknowledgements and inventories become alerts.
std::unique_ptr<PeriodicJob> scheduleClock(const config::GatewayConfig &config, journal::Journal &journal,
                                           journal::UlidGenerator &ulids, const Clock &clock, Logger &logger,
                                           std::function<void()> wakeDelivery) {
    return std::make_unique<PeriodicJob>(
        std::chrono::seconds(config.alerts.clockIntervalSeconds),
        [&config, &journal, &ulids, &clock, &logger, wakeDelivery = std::move(wakeDelivery)] {
            auto pass = lifecycle::runClock(journal, config, clock.nowUnixMs(), ulids);
            if (!pass) {
                logger.log(LogLevel::Error, "clock", "the lifecycle clock's pass failed: " + pass.error().message);
                return;
            }
            if (pass.value().alertsRaised > 0)
                logger.log(LogLevel::Warning, "clock",
                           std::to_string(pass.value().alertsRaised) + " new alerts over " +
                               std::to_string(pass.value().casesLookedAt) + " watched cases");
            if (pass.value().holdChanges > 0) {
                logger.log(LogLevel::Info, "clock",
                           std::to_string(pass.value().holdChanges) + " cases' hold reasons ran out");
                wakeDelivery();
            }
        });
}

}  // namespace

struct Gateway::Parts {
    explicit Parts(const config::GatewayConfig &c) : config(c) {}

    const config::GatewayConfig &config;
    SystemClock clock;
    std::unique_ptr<JsonLinesLogger> logger;
    metrics::Registry metrics;
    std::atomic<bool> ready{false};
    std::unique_ptr<security::KeyRing> keys;
    std::unique_ptr<journal::FsBlobStore> blobs;
    std::unique_ptr<journal::Journal> journal;
    std::unique_ptr<plugin::PluginCatalog> plugins;
    std::optional<pgp::Keyring> pgp;  ///< set when a partner uses OpenPGP
    std::optional<security::AccountTokenizer> tokenizer;
    std::optional<privacy::FieldVault> vault;
    std::unique_ptr<journal::UlidGenerator> ulids;
    std::unique_ptr<delivery::Dispatcher> dispatcher;
    std::unique_ptr<intake::CommitQueue> commits;
    std::unique_ptr<intake::IntakeService> intake;
    std::unique_ptr<delivery::Renderer> renderer;
    std::unique_ptr<api::PartnerApi> partnerApi;
    std::unique_ptr<api::AdminApi> adminApi;
    std::unique_ptr<api::HttpListener> partnerListener;
    std::unique_ptr<api::HttpListener> adminListener;
    std::unique_ptr<sftp::DropWatcher> dropWatcher;
    std::unique_ptr<sftp::PullPoller> pullPoller;
    std::unique_ptr<PeriodicJob> keyWatch;
    std::unique_ptr<PeriodicJob> retention;
    std::unique_ptr<PeriodicJob> lifecycleClock;
    std::unique_ptr<delivery::WebhookTransport> alertTransport;
    std::unique_ptr<delivery::AlertNotifier> alertNotifier;
    std::unique_ptr<PeriodicJob> alertPosting;
    bool stopped = false;
};

namespace {

LogLevel levelOf(const std::string &name) {
    if (name == "debug") return LogLevel::Debug;
    if (name == "warning") return LogLevel::Warning;
    if (name == "error") return LogLevel::Error;
    return LogLevel::Info;
}

void describeMetrics(metrics::Registry &m) {
    using metrics::Kind;
    m.describe("lendgate_intake_requests_total", Kind::Counter, "Inputs submitted, by partner and channel.");
    m.describe("lendgate_messages_received_total", Kind::Counter,
               "Records accepted and journaled, by partner and type.");
    m.describe("lendgate_messages_rejected_total", Kind::Counter, "Records rejected, by partner and type.");
    m.describe("lendgate_inputs_rejected_total", Kind::Counter, "Inputs refused as a whole, by partner.");
    m.describe("lendgate_outbox_depth", Kind::Gauge,
               "Deliveries not yet delivered, by destination and state (dead: dead letters).");
    m.describe("lendgate_alerts_open", Kind::Gauge,
               "Alerts not yet acknowledged (lendgate alerts ack), by severity and kind.");
    m.describe("lendgate_alerts_raised", Kind::Gauge, "Alerts ever journaled, by severity and kind.");
    m.describe("lendgate_http_requests_total", Kind::Counter, "HTTP requests answered, by listener and status.");
    m.describe("lendgate_http_request_seconds", Kind::Histogram, "HTTP request latency, by listener.");
}

// Wraps a handler with request metrics.
api::HttpHandler measured(metrics::Registry &m, std::string listener,
                          std::function<api::HttpResponse(const api::HttpRequest &)> inner) {
    return [&m, listener = std::move(listener), inner = std::move(inner)](const api::HttpRequest &request) {
        const auto start = std::chrono::steady_clock::now();
        auto response = inner(request);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        m.increment("lendgate_http_requests_total",
                    {{"listener", listener}, {"status", std::to_string(response.status)}});
        m.observe("lendgate_http_request_seconds", {{"listener", listener}}, took.count());
        return response;
    };
}

// The keyring every OpenPGP partner needs: its pinned key imported (again:
// importing is idempotent, and a changed key file is caught here), and the
// gateway's own key present when something is to be signed.
Result<std::optional<pgp::Keyring>> openPgp(const config::GatewayConfig &config) {
    std::optional<pgp::Keyring> keyring;
    bool signs = false;
    for (const auto &partner : config.partners) {
        if (!partner.openpgp) continue;
        if (!keyring) {
            auto opened = pgp::Keyring::open(config.pgpHome);
            if (!opened) return Error{"openpgp", "the OpenPGP home: " + opened.error().message};
            keyring.emplace(std::move(opened.value()));
        }
        auto imported = keyring->importPartnerKey(partner.openpgp->partnerKey, partner.openpgp->partnerFingerprint);
        if (!imported) return Error{"openpgp", "partner " + partner.id + ": " + imported.error().message};
        signs |= partner.openpgp->encryptOutbound;
    }
    if (signs) {
        if (auto own = keyring->gatewayKey(); !own)
            return Error{"openpgp", "outbound files are to be signed but the gateway has no usable key in " +
                                        config.pgpHome.string() + " (" + own.error().message +
                                        "); run `lendgate pgp init`"};
    }
    return keyring;
}

Result<bool> writePortsFile(const fs::path &dataDir, std::uint16_t partner, std::uint16_t admin) {
    // Tests and scripts that ask for port 0 find the ports here.
    const auto file = dataDir / "lendgated.ports.json";
    const auto tmp = dataDir / ".lendgated.ports.json.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << R"({"partner_api":)" << partner << R"(,"admin_api":)" << admin << "}\n";
        if (!out) return Error{"io", "cannot write " + tmp.string()};
    }
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) return Error{"io", "cannot write " + file.string()};
    return true;
}

}  // namespace

Gateway::Gateway(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Gateway::~Gateway() {
    stop();
}

std::uint16_t Gateway::partnerPort() const {
    return parts_->partnerListener->port();
}
std::uint16_t Gateway::adminPort() const {
    return parts_->adminListener->port();
}

Result<std::unique_ptr<Gateway>> Gateway::start(const config::GatewayConfig &config, const GatewayOptions &options) {
    auto p = std::make_unique<Parts>(config);
    p->logger = std::make_unique<JsonLinesLogger>(options.logStream != nullptr ? *options.logStream : std::cout,
                                                  p->clock, levelOf(config.logLevel));
    describeMetrics(p->metrics);

    // Secrets first: a gateway that cannot sign or check signatures must not
    // start half-working.
    for (const auto &partner : config.partners) {
        // An SFTP key that cannot be read would dead-letter every push and
        // fail every pull: refused here instead.
        for (const auto &channel : partner.channels)
            if (channel.remote)
                if (auto key = config::resolveSecret(channel.remote->privateKey); !key)
                    return Error{"secret", "partner " + partner.id + " sftp_pull private key: " + key.error().message};
        for (const auto &endpoint : partner.endpoints)
            if (endpoint.remote)
                if (auto key = config::resolveSecret(endpoint.remote->privateKey); !key)
                    return Error{"secret", "partner " + partner.id + " endpoint " + endpoint.id +
                                               " private key: " + key.error().message};
    }

    std::error_code ec;
    fs::create_directories(config.dataDir, ec);
    if (ec) return Error{"data_dir", "cannot create " + config.dataDir.string() + ": " + ec.message()};
    ::chmod(config.dataDir.c_str(), 0700);

    auto keys = security::KeyRing::open(config.dataDir / "keys", p->clock);
    if (!keys) return keys.error();
    p->keys = std::move(keys.value());
    // Request-signing secrets may be sealed with the ring, so they come after it.
    std::map<std::string, std::vector<api::SigningSecret>> signingSecrets;
    for (const auto &partner : config.partners) {
        if (!partner.requestSigningSecret) continue;
        auto secret = config::resolvePartnerSecret(*partner.requestSigningSecret, *p->keys, partner.id,
                                                   config::kRequestSigningPurpose);
        if (!secret) return Error{"secret", "partner " + partner.id + ": " + secret.error().message};
        signingSecrets[partner.id].push_back({secret.value(), std::nullopt});
        for (const auto &previous : partner.previousSigningSecrets) {
            if (previous.expiresAtUnix <= p->clock.nowUnixMs() / 1000) continue;
            auto old =
                config::resolvePartnerSecret(previous.secret, *p->keys, partner.id, config::kRequestSigningPurpose);
            if (!old)
                return Error{"secret", "partner " + partner.id + " previous signing secret: " + old.error().message};
            signingSecrets[partner.id].push_back({old.value(), previous.expiresAtUnix});
        }
    }
    // Webhook signing secrets, sealed or not, are opened here once.
    auto webhookSecrets = delivery::openWebhookSecrets(config, *p->keys, p->clock.nowUnixMs() / 1000);
    if (!webhookSecrets) return webhookSecrets.error();
    auto blobs = journal::FsBlobStore::create({config.dataDir / "blobs"}, *p->keys);
    if (!blobs) return blobs.error();
    p->blobs = std::move(blobs.value());
    journal::SqliteJournalOptions journalOptions;
    journalOptions.path = config.dataDir / "journal.db";
    journalOptions.synchronous = config.synchronous;
    journalOptions.allowUnsafeSynchronous = config.allowUnsafeSynchronous;
    auto journal = journal::openSqliteJournal(journalOptions, p->clock);
    if (!journal) return journal.error();
    p->journal = std::move(journal.value());
    auto tokenizer = security::AccountTokenizer::create(*p->keys);
    if (!tokenizer) return tokenizer.error();
    p->tokenizer.emplace(std::move(tokenizer.value()));
    p->vault.emplace(*p->keys, *p->tokenizer, p->journal.get());
    p->ulids = std::make_unique<journal::UlidGenerator>(p->clock);
    p->plugins =
        std::make_unique<plugin::PluginCatalog>(config.pluginDir, plugin::HostServices{p->logger.get(), &p->clock});

    auto keyring = openPgp(config);
    if (!keyring) return keyring.error();
    p->pgp = std::move(keyring.value());
    const pgp::Keyring *pgpKeyring = p->pgp ? &*p->pgp : nullptr;

    delivery::DispatcherOptions dispatch;
    dispatch.keyring = pgpKeyring;
    dispatch.vault = &*p->vault;
    dispatch.workers = config.deliveryWorkers;
    dispatch.retry = delivery::RetryPolicy::fromConfig(config);
    // A worker sends its claimed round one by one, and each send may take
    // connect + send + receive timeouts: the lease must outlast the round, or
    // another worker takes the tail and sends it again out of order. After a
    // crash the lease costs nothing: expireClaims() below frees it at start.
    std::int64_t slowest = 0;
    for (const auto &partner : config.partners)
        for (const auto &endpoint : partner.endpoints) slowest = std::max<std::int64_t>(slowest, endpoint.timeoutMs);
    dispatch.leaseMs =
        std::max<std::int64_t>(60000, static_cast<std::int64_t>(dispatch.claimBatch) * 3 * slowest + 10000);
    // One node owns this journal: deliveries a killed predecessor had
    // claimed go out again now instead of when their leases run out.
    if (auto expired = p->journal->expireClaims(p->clock.nowUnixMs()); expired && expired.value() > 0)
        p->logger->log(LogLevel::Info, "lendgated",
                       std::to_string(expired.value()) + " deliveries claimed before a restart are due again");
    p->dispatcher = std::make_unique<delivery::Dispatcher>(
        *p->journal, config, *p->plugins, p->clock, *p->logger, p->metrics, dispatch,
        std::make_shared<delivery::WebhookTransport>(p->clock, config.outboundCaBundle,
                                                     std::move(webhookSecrets.value())));
    auto *dispatcher = p->dispatcher.get();
    p->commits = std::make_unique<intake::CommitQueue>(*p->journal, intake::CommitQueueOptions{},
                                                       [dispatcher] { dispatcher->wake(); });
    p->intake = std::make_unique<intake::IntakeService>(
        intake::IntakeServices{config, *p->journal, *p->blobs, *p->plugins, *p->tokenizer, *p->vault, *p->commits,
                               p->clock, *p->logger, p->metrics, *p->ulids});
    p->renderer = std::make_unique<delivery::Renderer>(config, *p->plugins, pgpKeyring, &*p->vault);

    auto partnerApi = api::PartnerApi::create(
        api::PartnerApiServices{config, *p->journal, *p->intake, *p->renderer, *p->dispatcher, *p->plugins, *p->keys,
                                p->clock, *p->logger, p->metrics, std::move(signingSecrets)});
    if (!partnerApi) return partnerApi.error();
    p->partnerApi = std::move(partnerApi.value());
    p->adminApi = std::make_unique<api::AdminApi>(
        api::AdminApiServices{config, *p->journal, p->clock, *p->logger, p->metrics,
                              [dispatcher] { dispatcher->wake(); }, p->ready, &*p->vault, &*p->ulids});

    auto *journalPtr = p->journal.get();
    p->metrics.addCollector([journalPtr](metrics::Registry &m) {
        auto depth = journalPtr->outboxDepth();
        if (!depth) return;
        for (const auto &row : depth.value())
            m.set("lendgate_outbox_depth",
                  {{"destination", row.destination}, {"state", std::string(journal::toString(row.state))}},
                  static_cast<double>(row.count));
        auto alerts = journalPtr->alertCounts();
        if (!alerts) return;
        for (const auto &row : alerts.value()) {
            const metrics::Labels labels{{"severity", row.severity}, {"kind", row.kind}};
            m.set("lendgate_alerts_open", labels, static_cast<double>(row.open));
            m.set("lendgate_alerts_raised", labels, static_cast<double>(row.total));
        }
    });

    api::ServerLimits limits;
    limits.maxBodyBytes = config.maxBodyBytes;
    limits.maxConnections = config.maxConnections;
    limits.workerThreads = config.workerThreads;
    limits.readTimeoutMs = config.readTimeoutMs;
    auto *partnerHandler = p->partnerApi.get();
    auto partnerListener = api::HttpListener::start(
        config.partnerApi, limits,
        measured(p->metrics, "partner",
                 [partnerHandler](const api::HttpRequest &r) { return partnerHandler->handle(r); }),
        *p->logger, "partner_api");
    if (!partnerListener) return partnerListener.error();
    p->partnerListener = std::move(partnerListener.value());
    auto adminLimits = limits;
    adminLimits.workerThreads = 4;
    adminLimits.maxBodyBytes = 1 << 20;
    auto *adminHandler = p->adminApi.get();
    auto adminListener = api::HttpListener::start(
        config.adminApi, adminLimits,
        measured(p->metrics, "admin", [adminHandler](const api::HttpRequest &r) { return adminHandler->handle(r); }),
        *p->logger, "admin_api");
    if (!adminListener) return adminListener.error();
    p->adminListener = std::move(adminListener.value());

    if (auto folders = sftp::dropFoldersOf(config); !folders.empty()) {
        p->dropWatcher = std::make_unique<sftp::DropWatcher>(
            sftp::DropServices{*p->intake, *p->renderer, *p->ulids, p->clock, *p->logger, p->metrics, pgpKeyring},
            std::move(folders));
        if (auto started = p->dropWatcher->start(); !started) return started.error();
    }
    if (auto sources = sftp::pullSourcesOf(config); !sources.empty()) {
        sftp::PullOptions pull;
        if (config.sftp) pull.maxFileBytes = config.sftp->maxFileBytes;
        p->pullPoller =
            std::make_unique<sftp::PullPoller>(sftp::PullServices{*p->intake, *p->logger, p->metrics, p->renderer.get(),
                                                                  p->ulids.get(), &p->clock, pgpKeyring},
                                               std::move(sources), std::move(pull));
        p->pullPoller->start();
    }

    p->dispatcher->start();
    p->keyWatch = watchKeyRing(*p->keys, *p->logger);
    p->retention = scheduleRetention(config, *p->journal, *p->blobs, p->clock, *p->logger);
    if (config.policies)
        p->lifecycleClock =
            scheduleClock(config, *p->journal, *p->ulids, p->clock, *p->logger, [dispatcher] { dispatcher->wake(); });
    if (config.alerts.webhook) {
        p->alertTransport = std::make_unique<delivery::WebhookTransport>(p->clock, config.outboundCaBundle);
        p->alertNotifier = std::make_unique<delivery::AlertNotifier>(*p->journal, *config.alerts.webhook,
                                                                     *p->alertTransport, p->clock, *p->logger);
        auto *notifier = p->alertNotifier.get();
        p->alertPosting = std::make_unique<PeriodicJob>(std::chrono::seconds(1), [notifier] { notifier->postDue(); });
    }
    (void)writePortsFile(config.dataDir, p->partnerListener->port(), p->adminListener->port());
    p->ready = true;
    p->logger->log(LogLevel::Info, "lendgated",
                   "ready: partner API on " + config.partnerApi.host + ":" +
                       std::to_string(p->partnerListener->port()) + ", admin API on " + config.adminApi.host + ":" +
                       std::to_string(p->adminListener->port()) + ", " + std::to_string(config.partners.size()) +
                       " partners, data in " + config.dataDir.string());
    return std::unique_ptr<Gateway>(new Gateway(std::move(p)));
}

void Gateway::stop() {
    if (parts_ == nullptr || parts_->stopped) return;
    auto &p = *parts_;
    p.stopped = true;
    p.ready = false;
    p.logger->log(LogLevel::Info, "lendgated", "stopping: finishing requests and deliveries in progress");
    // Requests in progress commit and are answered before the queue stops.
    if (p.partnerListener) p.partnerListener->stopAccepting();
    if (p.adminListener) p.adminListener->stopAccepting();
    if (p.partnerListener) p.partnerListener->join();
    if (p.adminListener) p.adminListener->join();
    // The file in hand is journaled and answered before the queue stops.
    if (p.dropWatcher) p.dropWatcher->stop();
    if (p.pullPoller) p.pullPoller->stop();
    if (p.commits) p.commits->stop();
    if (p.dispatcher) p.dispatcher->stop();
    if (p.pgp) (void)p.pgp->stopAgent();  // GPGME started it; nothing uses it now
    if (p.keyWatch) p.keyWatch->stop();
    if (p.retention) p.retention->stop();
    if (p.lifecycleClock) p.lifecycleClock->stop();
    if (p.alertPosting) p.alertPosting->stop();
    p.logger->log(LogLevel::Info, "lendgated", "stopped");
}

}  // namespace lendgate::app
