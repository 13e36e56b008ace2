// Batch files end to end: a real SQLite journal, the real fixed-width plugin
// with Mesa's shipped layout, real files in a drop folder and a clock the test
// moves. Files leave by count and by time, their trailers add up, names follow
// the pattern with a sequence that survives a restart, a failed file retries
// every record and then delivers each once, and a HOLD never waits: it
// flushes the record of its case ahead of it and leaves alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/delivery/dispatcher.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/delivery/delivery_test_support.h"
#include "tests/core/security/security_test_support.h"
#include "tests/core/sftp/test_sshd.h"

namespace lendgate::delivery {
namespace {

namespace fs = std::filesystem;
using namespace testing;
using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

constexpr const char *kMesa = "mesa-asset-recovery";
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

/// What the receiving firm reads in one file: its records' keys, and what the
/// header and trailer say.
struct ReadFile {
    std::vector<std::string> keys;
    char firstLineCode = 0;
    long long trailerCount = -1;
    long long trailerPastDueCents = -1;
    long long trailerPayoffCents = -1;
};

class RecordCollector final : public plugin::DecodeHandler {
public:
    bool onRecord(std::string_view, std::string_view json, const plugin::RecordLocation &) override {
        keys.push_back(keyOf(std::string(json)));
        return true;
    }
    void onRecordError(const plugin::RecordProblem &problem) override { errors.push_back(problem.message); }
    std::vector<std::string> keys;
    std::vector<std::string> errors;
};

class StringReader final : public plugin::ByteReader {
public:
    explicit StringReader(std::string bytes) : bytes_(std::move(bytes)) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        const std::size_t n = std::min(capacity, bytes_.size() - at_);
        std::copy_n(bytes_.data() + at_, n, buffer);
        at_ += n;
        return n;
    }

private:
    std::string bytes_;
    std::size_t at_ = 0;
};

class BatchFileTest : public ::testing::Test {
protected:
    BatchFileTest() {
        openJournal();
        batch_.windowSeconds = 3600;
        batch_.maxRecords = 0;
        batch_.fileName = "MESA_ASSIGN_{date:%Y%m%d}_{seq:03}.txt";
        options_.retry.initialBackoffMs = 1000;
        options_.retry.maxBackoffMs = 8000;
        options_.retry.maxAttempts = 5;
        options_.retry.jitter = 0.2;
        options_.retry.criticalMaxBackoffMs = 4000;
        options_.random01 = [] { return 0.5; };  // every delay is 90% of its step
        options_.workers = 1;
    }

    void openJournal() {
        journal::SqliteJournalOptions options;
        options.path = dir_ / "state/journal.db";
        auto opened = journal::openSqliteJournal(options, clock_);
        if (!opened) throw std::runtime_error(opened.error().message);
        journal_ = std::move(opened).value();
    }

    /// Stops the dispatcher and closes the journal, as a daemon restart does.
    void restart() {
        dispatcher_.reset();
        journal_.reset();
        openJournal();
    }

    Dispatcher &dispatcher() {
        if (!dispatcher_) {
            config::Endpoint drop = directory(dropFolder_);
            if (sftpServer_) {
                drop.type = config::Endpoint::Type::SftpPush;
                drop.path.clear();
                drop.remote = sftpServer_->remote(dropFolder_);
            }
            drop.batch = batch_;
            config::Partner mesa = partner(kMesa, {drop});
            mesa.outbound.push_back(
                config::FormatBinding{model::MessageType::RepossessionAssignment, "fixedwidth", layout_, ""});
            config_.partners = {mesa};
            dispatcher_ =
                std::make_unique<Dispatcher>(*journal_, config_, catalog_, clock_, logger_, metrics_, options_);
        }
        return *dispatcher_;
    }

    /// An assignment (or a HOLD) for `caseId`, journaled and routed to Mesa.
    /// Amounts differ per record so the trailer's sums mean something.
    std::string send(const std::string &key, const std::string &caseId, bool critical = false,
                     const std::string &pastDue = "100.00", const std::string &payoff = "2000.00") {
        auto parsed = model::parseMessage(critical ? hold(key) : assignment(key));
        if (!parsed.ok()) throw std::runtime_error("test message does not parse");
        model::Message message = *parsed.message;
        auto &payload = std::get<model::RepossessionAssignment>(message.payload);
        if (!critical) {
            payload.amounts->amountPastDue = model::Decimal::parse(pastDue);
            payload.amounts->payoffAmount = model::Decimal::parse(payoff);
        }
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "repossession_assignment";
        record.idempotencyKey = key;
        record.caseId = caseId;
        record.body = model::toCanonicalJson(message);
        record.routes.push_back(journal::Route{kMesa, "rule-mesa", critical});
        journal::IntakeBatch batch;
        batch.sender = "desert-valley-bank";
        batch.idempotencyKey = "req-" + key;
        batch.channel = "http";
        batch.bodyHash = "hash-" + key;
        batch.records.push_back(std::move(record));
        auto accepted = journal_->accept(batch);
        if (!accepted) throw std::runtime_error(accepted.error().message);
        return accepted.value().records.at(0).messageId;
    }

    journal::DeliveryInfo deliveryOf(const std::string &messageId) {
        auto deliveries = journal_->deliveriesOf(messageId);
        if (deliveries && deliveries.value().size() == 1) return deliveries.value().front();
        ADD_FAILURE() << "no single delivery of " << messageId;
        return {};
    }

    std::vector<std::string> files() const {
        std::vector<std::string> names;
        std::error_code ec;
        if (!fs::is_directory(dropFolder_, ec)) return names;
        for (const auto &entry : fs::directory_iterator(dropFolder_)) names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    /// The file as Mesa reads it: decoded by the same plugin and layout
    /// (which refuses a file whose trailer does not add up), and the header
    /// and trailer fields read at their columns.
    ReadFile read(const std::string &name) {
        const std::string bytes = readText(dropFolder_ / name) + "\r\n";
        ReadFile out;
        RecordCollector collector;
        StringReader reader(bytes);
        auto called = catalog_.with("fixedwidth", layout_, [&](plugin::PluginInstance &instance) {
            return instance.decode("repossession_assignment", reader, collector);
        });
        EXPECT_TRUE(called.ok() && called.value().ok())
            << name << ": " << (called.ok() ? called.value().code + ": " + called.value().message : "no call");
        EXPECT_TRUE(collector.errors.empty()) << name << ": " << collector.errors.front();
        out.keys = collector.keys;
        out.firstLineCode = bytes.empty() ? 0 : bytes.front();
        const std::size_t lastLine = bytes.rfind("\r\n", bytes.size() - 3);
        const std::string trailer = bytes.substr(lastLine == std::string::npos ? 0 : lastLine + 2);
        EXPECT_EQ(trailer.front(), 'T') << name << " ends with its trailer";
        out.trailerCount = std::stoll(trailer.substr(1, 9));
        out.trailerPastDueCents = std::stoll(trailer.substr(10, 15));
        out.trailerPayoffCents = std::stoll(trailer.substr(25, 15));
        return out;
    }

    std::unique_ptr<sftp::testing::TestSshd> sftpServer_;  // set: Mesa's endpoint is sftp_push to it
    TempDir dir_;
    fs::path dropFolder_ = dir_ / "outbound/mesa";
    fs::path layout_ = fs::path(SOURCE_DIR) / "config/plugins/mesa-assignments.json";
    ManualClock clock_;  // 2026-01-01T00:00:00Z
    std::unique_ptr<journal::Journal> journal_;
    config::BatchSettings batch_;
    config::GatewayConfig config_;
    plugin::PluginCatalog catalog_{PLUGIN_DIR, {}};
    RecordingLogger logger_;
    metrics::Registry metrics_;
    DispatcherOptions options_;
    std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(BatchFileTest, AFileLeavesOnceMaxRecordsWaitAndNeverHoldsMore) {
    batch_.maxRecords = 3;
    send("A", "case-a");
    send("B", "case-b");
    EXPECT_EQ(dispatcher().runOnce(), 0u) << "two of three: the file waits";
    EXPECT_TRUE(files().empty());
    const std::string c = send("C", "case-c");
    EXPECT_EQ(dispatcher().runOnce(), 3u);
    ASSERT_EQ(files(), std::vector<std::string>{"MESA_ASSIGN_20260101_001.txt"});
    EXPECT_EQ(read(files()[0]).keys, (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(deliveryOf(c).state, journal::DeliveryState::Delivered);

    for (const char *key : {"D", "E", "F", "G"}) send(key, std::string("case-") + key);
    EXPECT_EQ(dispatcher().runOnce(), 3u);
    EXPECT_EQ(dispatcher().runOnce(), 0u) << "G alone waits for two more";
    ASSERT_EQ(files().size(), 2u);
    EXPECT_EQ(read("MESA_ASSIGN_20260101_002.txt").keys, (std::vector<std::string>{"D", "E", "F"}));
}

TEST_F(BatchFileTest, AFileLeavesWhenItsOldestRecordHasWaitedTheWindow) {
    batch_.windowSeconds = 60;
    send("A", "case-a");
    clock_.advance(30000);
    send("B", "case-b");
    clock_.advance(29999);
    EXPECT_EQ(dispatcher().runOnce(), 0u) << "1 ms before A has waited 60 s";
    EXPECT_TRUE(files().empty());
    clock_.advance(1);
    EXPECT_EQ(dispatcher().runOnce(), 2u);
    ASSERT_EQ(files().size(), 1u);
    EXPECT_EQ(read(files()[0]).keys, (std::vector<std::string>{"A", "B"})) << "B rides with A, its window not yet over";
}

TEST_F(BatchFileTest, HeaderAndTrailerTotalsMatchTheRecords) {
    batch_.maxRecords = 3;
    send("A", "case-a", false, "1224.80", "28411.05");
    send("B", "case-b", false, "0.01", "99.99");
    send("C", "case-c", false, "350.00", "12000.50");
    ASSERT_EQ(dispatcher().runOnce(), 3u);
    ASSERT_EQ(files().size(), 1u);
    const ReadFile file = read(files()[0]);
    EXPECT_EQ(file.firstLineCode, 'H');
    EXPECT_EQ(file.keys.size(), 3u);
    EXPECT_EQ(file.trailerCount, 3);
    EXPECT_EQ(file.trailerPastDueCents, 122480 + 1 + 35000);
    EXPECT_EQ(file.trailerPayoffCents, 2841105 + 9999 + 1200050);
}

TEST_F(BatchFileTest, NamesFollowThePatternAndTheSequenceSurvivesARestartAndStartsAgainEachDay) {
    batch_.maxRecords = 1;
    send("A", "case-a");
    ASSERT_EQ(dispatcher().runOnce(), 1u);
    send("B", "case-b");
    ASSERT_EQ(dispatcher().runOnce(), 1u);

    restart();
    send("C", "case-c");
    ASSERT_EQ(dispatcher().runOnce(), 1u);
    clock_.advance(kDayMs);
    send("D", "case-d");
    ASSERT_EQ(dispatcher().runOnce(), 1u);

    EXPECT_EQ(files(), (std::vector<std::string>{"MESA_ASSIGN_20260101_001.txt", "MESA_ASSIGN_20260101_002.txt",
                                                 "MESA_ASSIGN_20260101_003.txt", "MESA_ASSIGN_20260102_001.txt"}));
    EXPECT_EQ(read("MESA_ASSIGN_20260101_003.txt").keys, std::vector<std::string>{"C"});
}

TEST_F(BatchFileTest, AFailedFileRetriesEveryRecordTogetherAndThenDeliversEachOnce) {
    batch_.maxRecords = 3;
    // A plain file where the folder should be: the drop cannot be written.
    fs::create_directories(dropFolder_.parent_path());
    std::ofstream(dropFolder_) << "in the way";
    std::vector<std::string> ids;
    for (const char *key : {"A", "B", "C"}) ids.push_back(send(key, std::string("case-") + key));
    ASSERT_EQ(dispatcher().runOnce(), 3u);
    for (const auto &id : ids) {
        const journal::DeliveryInfo d = deliveryOf(id);
        EXPECT_EQ(d.state, journal::DeliveryState::Pending);
        EXPECT_EQ(d.attempts, 1);
        // Digit runs are masked in stored errors (they could be account numbers).
        EXPECT_NE(d.lastError.find("batch file MESA_ASSIGN_"), std::string::npos) << d.lastError;
        EXPECT_NE(d.lastError.find("Not a directory"), std::string::npos) << d.lastError;
        EXPECT_EQ(d.nextAttemptAtMs, clock_.nowUnixMs() + 900) << "one schedule for the whole file";
    }

    fs::remove(dropFolder_);
    clock_.advance(899);
    EXPECT_EQ(dispatcher().runOnce(), 0u);
    clock_.advance(1);
    EXPECT_EQ(dispatcher().runOnce(), 3u) << "the three retry together, as one file";
    EXPECT_EQ(dispatcher().runOnce(), 0u);
    ASSERT_EQ(files(), std::vector<std::string>{"MESA_ASSIGN_20260101_002.txt"}) << "a name is never used twice";
    EXPECT_EQ(read(files()[0]).keys, (std::vector<std::string>{"A", "B", "C"}));
    for (const auto &id : ids) {
        EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Delivered);
        EXPECT_EQ(deliveryOf(id).attempts, 2);
    }
}

// The same file pushed to a real OpenSSH server: whole, under its batch name.
TEST_F(BatchFileTest, AnSftpPushEndpointReceivesTheFileUnderItsBatchName) {
    if (const auto why = sftp::testing::TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
    sftpServer_ = std::make_unique<sftp::testing::TestSshd>();
    dropFolder_ = sftpServer_->folder("home/inbox");
    batch_.maxRecords = 2;
    send("A", "case-a");
    send("B", "case-b");
    ASSERT_EQ(dispatcher().runOnce(), 2u);
    ASSERT_EQ(files(), std::vector<std::string>{"MESA_ASSIGN_20260101_001.txt"}) << sftpServer_->log();
    EXPECT_EQ(read(files()[0]).keys, (std::vector<std::string>{"A", "B"}));
}

// G5 in a batch: a record the plugin cannot write is left out and retried on
// its own; the file carries the others, and its trailer counts only them.
TEST_F(BatchFileTest, ARecordThePluginRefusesIsLeftOutAndTheOthersStillGo) {
    batch_.maxRecords = 3;
    send("A", "case-a");
    const std::string poison = send("ORDER-NUMBER-TOO-LONG-FOR-MESA", "case-p");  // ORDER_NO holds 20
    send("C", "case-c");
    ASSERT_EQ(dispatcher().runOnce(), 3u);
    ASSERT_EQ(files().size(), 1u);
    const ReadFile file = read(files()[0]);
    EXPECT_EQ(file.keys, (std::vector<std::string>{"A", "C"}));
    EXPECT_EQ(file.trailerCount, 2);
    const journal::DeliveryInfo refused = deliveryOf(poison);
    EXPECT_EQ(refused.state, journal::DeliveryState::Pending);
    EXPECT_NE(refused.lastError.find("plugin fixedwidth could not encode message " + poison), std::string::npos)
        << refused.lastError;
}

TEST_F(BatchFileTest, AHoldBehindABatchedRecordFlushesItFirstThenLeavesAloneAndOrderPerCaseHolds) {
    const std::string a1 = send("A1", "case-a");
    const std::string b1 = send("B1", "case-b");
    EXPECT_EQ(dispatcher().runOnce(), 0u) << "the window is an hour";

    // A HOLD of a case with nothing waiting leaves at once, alone; the batch waits on.
    const std::string holdC = send("HC", "case-c", true);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    ASSERT_EQ(files(), std::vector<std::string>{"MESA_ASSIGN_20260101_001.txt"});
    EXPECT_EQ(read(files()[0]).keys, std::vector<std::string>{"HC"});
    EXPECT_EQ(deliveryOf(a1).state, journal::DeliveryState::Pending);

    // A HOLD of case A waits behind A1: A1's file leaves now, with B1, and then the HOLD.
    const std::string holdA = send("HA", "case-a", true);
    EXPECT_EQ(dispatcher().runOnce(), 2u);
    EXPECT_EQ(deliveryOf(a1).state, journal::DeliveryState::Delivered);
    EXPECT_EQ(deliveryOf(holdA).state, journal::DeliveryState::Pending) << "the HOLD follows A1, never passes it";
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(dispatcher().runOnce(), 0u);
    ASSERT_EQ(files(), (std::vector<std::string>{"MESA_ASSIGN_20260101_001.txt", "MESA_ASSIGN_20260101_002.txt",
                                                 "MESA_ASSIGN_20260101_003.txt"}));
    EXPECT_EQ(read("MESA_ASSIGN_20260101_002.txt").keys, (std::vector<std::string>{"A1", "B1"}));
    EXPECT_EQ(read("MESA_ASSIGN_20260101_003.txt").keys, std::vector<std::string>{"HA"});
    for (const auto &id : {a1, b1, holdC, holdA}) EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Delivered);
    EXPECT_EQ(clock_.nowUnixMs(), 1767225600000) << "nothing waited for the clock";
}

}  // namespace
}  // namespace lendgate::delivery
