// Admin reads of personal data land in the audit chain (G14): the real admin
// API behind the real HTTP listener on 127.0.0.1, over a real journal file.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "core/api/admin_api.h"
#include "core/api/http_server.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::api {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

class SilentLogger final : public Logger {
public:
    void log(LogLevel, std::string_view, std::string_view) override {}
};

const std::string kViewerToken = "lgadm_viewer_5b0c2f6d8e1a4c7b9d3e";
const std::string kOperatorToken = "lgadm_operator_0d4f7a2c9e3b6a18";

class AdminAuditTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.dataDir = dir_ / "data";
        config_.adminTokens.push_back(
            {config::AdminToken::Role::Viewer, "ops-viewer-1", kViewerToken.substr(0, 12), sha256Hex(kViewerToken)});
        config_.adminTokens.push_back({config::AdminToken::Role::Operator, "ops-operator-1",
                                       kOperatorToken.substr(0, 12), sha256Hex(kOperatorToken)});
        auto opened = journal::openSqliteJournal({dir_ / "data" / "journal.db"}, clock_);
        ASSERT_TRUE(opened) << opened.error().message;
        journal_ = std::move(opened.value());

        journal::IntakeBatch batch;
        batch.sender = "desert-valley-bank";
        batch.bodyHash = "h1";
        batch.channel = "http";
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "delinquency_notice";
        record.idempotencyKey = "DVB-1";
        record.caseId = "case-key-1";
        record.body = R"({"payload":{"debtors":[{"ssn":"921-47-3856"}]}})";
        batch.records.push_back(record);
        auto accepted = journal_->accept(batch);
        ASSERT_TRUE(accepted) << accepted.error().message;
        messageId_ = accepted.value().records[0].messageId;

        api_ = std::make_unique<AdminApi>(
            AdminApiServices{config_, *journal_, clock_, logger_, metrics_, {}, ready_, nullptr, nullptr});
        auto started = HttpListener::start(
            config::Listener{"127.0.0.1", 0, {}, {}, {}, false}, ServerLimits{},
            [this](const HttpRequest &request) { return api_->handle(request); }, logger_, "admin");
        ASSERT_TRUE(started) << started.error().message;
        listener_ = std::move(started.value());
    }

    void TearDown() override {
        if (listener_) listener_->stop();
    }

    int get(const std::string &path, const std::string &token, std::string &body,
            const std::string &method = Poco::Net::HTTPRequest::HTTP_GET) {
        Poco::Net::HTTPClientSession session("127.0.0.1", listener_->port());
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!token.empty()) request.set("Authorization", "Bearer " + token);
        request.setContentLength(0);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::ostringstream text;
        text << session.receiveResponse(response).rdbuf();
        body = text.str();
        return response.getStatus();
    }

    std::vector<journal::AuditEntry> audit() {
        auto entries = journal_->listAudit({});
        EXPECT_TRUE(entries) << entries.error().message;
        return entries ? entries.value() : std::vector<journal::AuditEntry>{};
    }

    TempDir dir_;
    ManualClock clock_;
    SilentLogger logger_;
    metrics::Registry metrics_;
    std::atomic<bool> ready_{true};
    config::GatewayConfig config_;
    std::unique_ptr<journal::Journal> journal_;
    std::unique_ptr<AdminApi> api_;
    std::unique_ptr<HttpListener> listener_;
    std::string messageId_;
};

TEST_F(AdminAuditTest, AMessageReadIsAnAuditEntryNamingTheToken) {
    std::string body;
    ASSERT_EQ(get("/admin/v1/messages/" + messageId_, kViewerToken, body), 200) << body;
    auto entries = audit();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, "admin:ops-viewer-1");
    EXPECT_EQ(entries[0].action, "admin.read_message");
    EXPECT_EQ(entries[0].target, messageId_);

    ASSERT_EQ(get("/admin/v1/cases/case-key-1/timeline", kViewerToken, body), 200) << body;
    entries = audit();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].action, "admin.read_case");
    EXPECT_EQ(entries[1].target, "case-key-1");
    EXPECT_EQ(entries[1].prevHash, entries[0].entryHash);

    // Nothing personal in the chain, and it verifies.
    for (const auto &e : entries) {
        const std::string all = e.actor + e.action + e.target + e.detailSha256;
        EXPECT_EQ(all.find("921"), std::string::npos) << all;
    }
    auto verified = journal_->verifyAudit(std::nullopt);
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified.value().intact) << verified.value().problem;
}

TEST_F(AdminAuditTest, RefusedAndMissingReadsAddNoEntry) {
    std::string body;
    EXPECT_EQ(get("/admin/v1/messages/" + messageId_, "", body), 401);
    EXPECT_EQ(get("/admin/v1/messages/01JD3E28JT97KB6CQ643DZVMX0", kViewerToken, body), 404);
    EXPECT_TRUE(audit().empty());
}

TEST_F(AdminAuditTest, AlertsAreListedAndOnlyAnOperatorAcknowledgesOneWhichIsAudited) {
    journal::AlertRecord alert;
    alert.kind = "dead_letter";
    alert.severity = "warning";
    alert.caseId = "case-key-1";
    alert.text = "repossession_assignment to valley-recovery dead-lettered after 25 attempts: HTTP 500";
    const auto raised = journal_->raiseAlert(alert);
    ASSERT_TRUE(raised.ok() && raised.value());
    const std::string id = std::to_string(raised.value()->alertId);

    std::string body;
    ASSERT_EQ(get("/admin/v1/alerts", kViewerToken, body), 200) << body;
    EXPECT_NE(body.find("\"kind\":\"dead_letter\""), std::string::npos) << body;
    EXPECT_EQ(get("/admin/v1/alerts/" + id + "/ack", kViewerToken, body, "POST"), 403) << body;
    EXPECT_EQ(get("/admin/v1/alerts/" + id + "/ack", kOperatorToken, body, "POST"), 200) << body;
    EXPECT_NE(body.find("\"acknowledged\":true"), std::string::npos) << body;
    EXPECT_EQ(get("/admin/v1/alerts/" + id + "/ack", kOperatorToken, body, "POST"), 200) << body;
    EXPECT_NE(body.find("\"acknowledged\":false"), std::string::npos) << "once only: " << body;
    EXPECT_EQ(get("/admin/v1/alerts/77/ack", kOperatorToken, body, "POST"), 404) << body;

    ASSERT_EQ(get("/admin/v1/alerts", kViewerToken, body), 200);
    EXPECT_EQ(body.find("dead_letter"), std::string::npos) << "no longer open: " << body;
    ASSERT_EQ(get("/admin/v1/alerts?all=true", kViewerToken, body), 200);
    EXPECT_NE(body.find("\"acknowledged_by\":\"admin:ops-operator-1\""), std::string::npos) << body;

    const auto entries = audit();
    ASSERT_EQ(entries.size(), 1u) << "one acknowledgement, one entry";
    EXPECT_EQ(entries[0].action, "admin.alert_ack");
    EXPECT_EQ(entries[0].target, id);
}

}  // namespace
}  // namespace lendgate::api
