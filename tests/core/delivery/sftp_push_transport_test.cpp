// sftp_push through the Dispatcher to a real OpenSSH server on loopback: the
// partner finds complete files under their final names, an outage is retried
// until it ends, and what retrying cannot fix (permission denied, a name
// taken by other content, a host key that is not the pinned one) is
// dead-lettered at once without overwriting anything.
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "core/delivery/dispatcher.h"
#include "core/delivery/sftp_push_transport.h"
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
using sftp::testing::TestSshd;

constexpr const char *kRepo = "sonoran_recovery";

class SftpPushTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const auto why = TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
        server_ = std::make_unique<TestSshd>();
        inbox_ = server_->folder("home/inbox");
        journal::SqliteJournalOptions options;
        options.path = dir_ / "journal.db";
        journal_ = std::move(journal::openSqliteJournal(options, clock_).value());
        config::Endpoint endpoint;
        endpoint.type = config::Endpoint::Type::SftpPush;
        endpoint.id = "sftp";
        endpoint.remote = server_->remote(inbox_);
        endpoint.fileName = "ASSIGN_{message_id}{ext}";
        config_.partners.push_back(partner(kRepo, {endpoint}));
        options_.retry.initialBackoffMs = 1000;
        options_.retry.maxAttempts = 5;
        options_.retry.jitter = 0;
        options_.workers = 1;
    }

    config::Endpoint &endpoint() { return config_.partners[0].endpoints[0]; }

    Dispatcher &dispatcher() {
        if (!dispatcher_)
            dispatcher_ =
                std::make_unique<Dispatcher>(*journal_, config_, catalog_, clock_, logger_, metrics_, options_);
        return *dispatcher_;
    }

    std::string send(const std::string &key) {
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "repossession_assignment";
        record.idempotencyKey = key;
        record.caseId = "case-" + key;
        record.body = assignment(key);
        record.routes.push_back(journal::Route{kRepo, "rule", false});
        journal::IntakeBatch batch;
        batch.sender = "desert_valley_bank";
        batch.idempotencyKey = "req-" + key;
        batch.channel = "http";
        batch.bodyHash = "hash-" + key;
        batch.records.push_back(std::move(record));
        return journal_->accept(batch).value().records.at(0).messageId;
    }

    journal::DeliveryInfo deliveryOf(const std::string &messageId) {
        auto deliveries = journal_->deliveriesOf(messageId);
        if (deliveries && !deliveries.value().empty()) return deliveries.value().front();
        ADD_FAILURE() << "no delivery of " << messageId;
        return {};
    }

    /// Starts recording what happens in the inbox (inotify).
    void watch() {
        inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        ASSERT_GE(inotify_, 0);
        ASSERT_GE(::inotify_add_watch(inotify_, inbox_.c_str(), IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO),
                  0);
    }

    std::vector<std::pair<std::uint32_t, std::string>> readEvents() {
        std::vector<std::pair<std::uint32_t, std::string>> out;
        alignas(inotify_event) char buffer[64 * 1024];
        for (;;) {
            const ssize_t n = ::read(inotify_, buffer, sizeof buffer);
            if (n <= 0) break;
            for (ssize_t at = 0; at < n;) {
                const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
                out.emplace_back(event->mask, event->len > 0 ? std::string(event->name) : std::string());
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        return out;
    }

    void TearDown() override {
        if (inotify_ >= 0) ::close(inotify_);
    }

    fs::path fileOf(const std::string &messageId) { return inbox_ / ("ASSIGN_" + messageId + ".json"); }

    std::unique_ptr<TestSshd> server_;
    fs::path inbox_;
    int inotify_ = -1;
    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<journal::Journal> journal_;
    config::GatewayConfig config_;
    plugin::PluginCatalog catalog_{TEST_PLUGIN_DIR, {}};
    RecordingLogger logger_;
    metrics::Registry metrics_;
    DispatcherOptions options_;
    std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(SftpPushTest, FilesArriveCompleteUnderTheirFinalNamesWrittenOnlyAsPartial) {
    watch();
    const std::string a = send("S-1"), b = send("S-2");
    EXPECT_EQ(dispatcher().runOnce(), 2u);
    for (const auto &id : {a, b}) {
        ASSERT_TRUE(fs::exists(fileOf(id))) << server_->log();
        auto parsed = model::parseMessage(readText(fileOf(id)));
        ASSERT_TRUE(parsed.ok()) << "the whole canonical message is there";
        EXPECT_EQ(parsed.message->envelope.receiver, kRepo);
        EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Delivered);
    }
    std::size_t files = 0;
    for (const auto &entry : fs::directory_iterator(inbox_)) {
        ++files;
        EXPECT_EQ(entry.path().extension(), ".json") << "no .partial left behind";
    }
    EXPECT_EQ(files, 2u);
    // What the folder saw: each file written as NAME.partial, closed, and
    // only then given its final name (OpenSSH renames by link + unlink,
    // so the final name is created or moved to, and never written through).
    const auto events = readEvents();
    for (const auto &id : {a, b}) {
        const std::string final = fileOf(id).filename().string(), partial = final + ".partial";
        std::size_t closed = events.size(), named = events.size();
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto &[mask, name] = events[i];
            if (name == partial && (mask & IN_CLOSE_WRITE) && closed == events.size()) closed = i;
            if (name == final && (mask & (IN_CREATE | IN_MOVED_TO)) && named == events.size()) named = i;
            if (name == final) {
                EXPECT_EQ(mask & (IN_MODIFY | IN_CLOSE_WRITE), 0u) << "written under the final name";
            }
        }
        ASSERT_LT(closed, events.size()) << "no NAME.partial was written";
        ASSERT_LT(named, events.size());
        EXPECT_LT(closed, named) << "the final name appeared before the partial file was complete";
    }
}

TEST_F(SftpPushTest, WhileTheServerIsDownTheDeliveryIsRetriedAndThenSucceeds) {
    server_->stop();
    const std::string id = send("D-1");
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    auto pending = deliveryOf(id);
    EXPECT_EQ(pending.state, journal::DeliveryState::Pending);
    EXPECT_EQ(pending.attempts, 1);
    EXPECT_NE(pending.lastError.find("sftp_push sftp: "), std::string::npos) << pending.lastError;
    clock_.advance(1000);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Pending);
    ASSERT_TRUE(server_->start());
    clock_.advance(2000);
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Delivered) << deliveryOf(id).lastError;
    EXPECT_EQ(deliveryOf(id).attempts, 3);
    EXPECT_TRUE(fs::exists(fileOf(id)));
}

TEST_F(SftpPushTest, PermissionDeniedIsDeadLetteredAtOnce) {
    endpoint().remote->folder = server_->folder("home/readonly", false, 0755).string();
    const std::string id = send("P-1");
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    const auto dead = deliveryOf(id);
    EXPECT_EQ(dead.state, journal::DeliveryState::Dead);
    EXPECT_EQ(dead.attempts, 1);
    EXPECT_NE(dead.lastError.find("permission denied"), std::string::npos) << dead.lastError;
    ASSERT_EQ(logger_.lines("alert").size(), 1u);
    EXPECT_NE(logger_.lines("alert")[0].message.find("dead_letter"), std::string::npos);
}

// The real transport, keeping what it was asked to send.
class RecordingTransport final : public Transport {
public:
    TransportResult send(const OutboundMessage &message, const config::Endpoint &endpoint) override {
        sent.push_back(message);
        return real.send(message, endpoint);
    }
    SftpPushTransport real;
    std::vector<OutboundMessage> sent;
};

TEST_F(SftpPushTest, ANameTakenByOtherContentIsAConflictNotOverwrittenButOurOwnEarlierCopyCountsAsDelivered) {
    auto recording = std::make_shared<RecordingTransport>();
    dispatcher_ = std::make_unique<Dispatcher>(*journal_, config_, catalog_, clock_, logger_, metrics_, options_,
                                               nullptr, nullptr, recording);
    const std::string taken = send("C-1");
    server_->put(fileOf(taken), "someone else's file\n");
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    const auto conflict = deliveryOf(taken);
    EXPECT_EQ(conflict.state, journal::DeliveryState::Dead);
    EXPECT_EQ(conflict.attempts, 1);
    EXPECT_NE(conflict.lastError.find("conflict"), std::string::npos) << conflict.lastError;
    EXPECT_EQ(readText(fileOf(taken)), "someone else's file");

    const std::string ours = send("C-2");
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    ASSERT_EQ(deliveryOf(ours).state, journal::DeliveryState::Delivered);
    const std::string delivered = readText(fileOf(ours));
    // Sent again (a crash before the outcome was recorded): the same bytes are there, so it is delivered.
    const auto again = recording->real.send(recording->sent.back(), endpoint());
    EXPECT_TRUE(again.delivered) << again.error;
    EXPECT_EQ(readText(fileOf(ours)), delivered);
    auto other = recording->sent.back();
    other.body += " ";
    const auto changed = recording->real.send(other, endpoint());
    EXPECT_FALSE(changed.delivered);
    EXPECT_TRUE(changed.permanent);
}

TEST_F(SftpPushTest, AServerWhoseHostKeyIsNotThePinnedOneGetsNothing) {
    TestSshd::keygen(server_->root() / "impostor");
    server_->pinnedTo(server_->root() / "pinned_other", server_->root() / "impostor.pub");
    endpoint().remote->knownHosts = server_->root() / "pinned_other";
    const std::string id = send("H-1");
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    const auto dead = deliveryOf(id);
    EXPECT_EQ(dead.state, journal::DeliveryState::Dead);
    EXPECT_NE(dead.lastError.find("host 127.0.0.1 port " + std::to_string(server_->port())), std::string::npos)
        << dead.lastError;
    EXPECT_TRUE(fs::is_empty(inbox_));
}

TEST_F(SftpPushTest, ACriticalHoldIsRetriedEvenWhenTheFailureIsPermanent) {
    endpoint().remote->folder = server_->folder("home/readonly", false, 0755).string();
    journal::IntakeRecord record;
    record.recordNumber = 1;
    record.messageType = "repossession_assignment";
    record.idempotencyKey = "HOLD-1";
    record.caseId = "case-hold";
    record.body = hold("HOLD-1");
    record.routes.push_back(journal::Route{kRepo, "rule", true});
    journal::IntakeBatch batch;
    batch.sender = "desert_valley_bank";
    batch.idempotencyKey = "req-hold";
    batch.channel = "http";
    batch.bodyHash = "hash-hold";
    batch.records.push_back(std::move(record));
    const std::string id = journal_->accept(batch).value().records.at(0).messageId;
    EXPECT_EQ(dispatcher().runOnce(), 1u);
    EXPECT_EQ(deliveryOf(id).state, journal::DeliveryState::Pending);
}

TEST(SftpFileName, PatternsAreFilledAndUnsafeNamesRefused) {
    OutboundMessage m;
    m.messageId = "01JD0000000000000000000000";
    m.messageType = "repossession_assignment";
    m.caseId = "C-7";
    m.fileExtension = ".csv";
    EXPECT_EQ(sftpFileName("{message_type}_{case_id}_{message_id}{ext}", m).value(),
              "repossession_assignment_C-7_01JD0000000000000000000000.csv");
    m.caseId = "../etc";
    EXPECT_FALSE(sftpFileName("{case_id}{message_id}", m));
    m.caseId.clear();
    EXPECT_EQ(sftpFileName("{case_id}-{message_id}", m).value(), "none-01JD0000000000000000000000");
}

}  // namespace
}  // namespace lendgate::delivery
