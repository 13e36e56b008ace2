// The intake service on the sample configuration, with a real key ring, blob
// store, SQLite journal and the shipped plugins, in a temporary directory.
#ifndef LENDGATE_TESTS_CORE_INTAKE_INTAKE_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_INTAKE_INTAKE_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "core/config/gateway_config.h"
#include "core/intake/commit_queue.h"
#include "core/intake/intake_service.h"
#include "core/journal/fs_blob_store.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"
#include "core/security/key_ring.h"
#include "core/security/tokenizer.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::intake::testing {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

inline std::string sourceFile(const std::string &relative) {
    std::ifstream in(std::string(LENDGATE_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Intake is called from many request threads at once, like the real logger.
class NullLogger final : public Logger {
public:
    void log(LogLevel, std::string_view, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class IntakeTest : public ::testing::Test {
protected:
    // These tests are about what intake does with records, so some sample
    // partners post canonical JSON here; their own formats (fixed-width, XML,
    // mapped JSON) have golden tests beside their plugins.
    void postCanonicalJsonAs(const std::string &partnerId) {
        for (auto &partner : config_.partners) {
            if (partner.id != partnerId) continue;
            partner.inbound.clear();
            for (auto type : {model::MessageType::DelinquencyNotice, model::MessageType::RepossessionAssignment,
                              model::MessageType::AccountUpdate, model::MessageType::HardshipApplication,
                              model::MessageType::HardshipDecision})
                partner.inbound.push_back(
                    {type, "json", std::string(LENDGATE_SOURCE_DIR) + "/config/plugins/json.json", ""});
        }
    }

    void SetUp() override {
        config::LoadOptions options;
        options.pluginDir = LENDGATE_PLUGIN_DIR;
        auto loaded = config::loadGatewayConfig(std::string(LENDGATE_SOURCE_DIR) + "/config/lendgate.json", options);
        ASSERT_TRUE(loaded.config.has_value()) << (loaded.problems.empty() ? "" : config::describe(loaded.problems[0]));
        config_ = std::move(*loaded.config);
        postCanonicalJsonAs("cactus-auto-finance");
        postCanonicalJsonAs("saguaro-fcu");
        postCanonicalJsonAs("copper-state-lossmit");
        keys_ = std::move(security::KeyRing::open(dir_ / "keys", clock_).value());
        blobs_ = std::move(journal::FsBlobStore::create({dir_ / "blobs"}, *keys_).value());
        journal::SqliteJournalOptions journalOptions;
        journalOptions.path = dir_ / "journal.db";
        journal_ = std::move(journal::openSqliteJournal(journalOptions, clock_).value());
        plugins_ = std::make_unique<plugin::PluginCatalog>(config_.pluginDir, plugin::HostServices{&logger_, &clock_});
        tokenizer_.emplace(security::AccountTokenizer::create(*keys_).value());
        vault_.emplace(*keys_, *tokenizer_, journal_.get());
        ulids_ = std::make_unique<journal::UlidGenerator>(clock_);
        commits_ = std::make_unique<CommitQueue>(*journal_, CommitQueueOptions{});
        intake_ =
            std::make_unique<IntakeService>(IntakeServices{config_, *journal_, *blobs_, *plugins_, *tokenizer_, *vault_,
                                                           *commits_, clock_, logger_, metrics_, *ulids_});
    }

    void TearDown() override {
        if (commits_) commits_->stop();
    }

    IntakeResponse post(const std::string &sender, const std::string &body, const std::string &key = {},
                        std::optional<model::MessageType> type = std::nullopt) {
        IntakeRequest request;
        request.sender = sender;
        request.declaredType = type;
        request.idempotencyKey = key;
        request.reference = key;
        request.body = body;
        return intake_->ingest(request);
    }

    TempDir dir_;
    ManualClock clock_;
    NullLogger logger_;
    metrics::Registry metrics_;
    config::GatewayConfig config_;
    std::unique_ptr<security::KeyRing> keys_;
    std::unique_ptr<journal::FsBlobStore> blobs_;
    std::unique_ptr<journal::Journal> journal_;
    std::unique_ptr<plugin::PluginCatalog> plugins_;
    std::optional<security::AccountTokenizer> tokenizer_;
    std::optional<privacy::FieldVault> vault_;
    std::unique_ptr<journal::UlidGenerator> ulids_;
    std::unique_ptr<CommitQueue> commits_;
    std::unique_ptr<IntakeService> intake_;
};

}  // namespace lendgate::intake::testing

#endif  // LENDGATE_TESTS_CORE_INTAKE_INTAKE_TEST_SUPPORT_H
