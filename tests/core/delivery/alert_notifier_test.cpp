// Alerts posted to the operator webhook, against a real HTTP receiver on
// loopback: signed, oldest first, each once; a receiver that is down loses
// none of them, it gets them all once it answers.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "core/api/request_auth.h"
#include "core/delivery/alert_notifier.h"
#include "core/delivery/webhook_transport.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;
using testing::TestReceiver;

constexpr const char *kSecretVariable = "LENDGATE_TEST_ALERT_WEBHOOK_SECRET";
constexpr const char *kSecret = "lgs_ops_7d1e5a90c3b2";

class CollectingLogger final : public Logger {
public:
    void log(LogLevel level, std::string_view, std::string_view message) override {
        if (level >= LogLevel::Warning) warnings.emplace_back(message);
    }
    std::vector<std::string> warnings;
};

class AlertNotifierTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv(kSecretVariable, kSecret, 1);
        journal::SqliteJournalOptions options;
        options.path = dir_ / "journal.db";
        journal_ = std::move(journal::openSqliteJournal(options, clock_).value());
        webhook_.type = config::Endpoint::Type::Webhook;
        webhook_.id = "operator";
        webhook_.url = receiver_.url("/ops/alerts");
        webhook_.timeoutMs = 2000;
        webhook_.signingSecret = config::SecretRef{config::SecretRef::Kind::Environment, kSecretVariable};
    }
    void TearDown() override { ::unsetenv(kSecretVariable); }

    void raise(const std::string &text, const std::string &severity) {
        journal::AlertRecord alert;
        alert.kind = "policy:C5";
        alert.severity = severity;
        alert.caseId = "case-1";
        alert.partner = "valley-recovery";
        alert.text = text;
        alert.detail = R"({"policy_id":"C5","outcome":"ALERT"})";
        ASSERT_TRUE(journal_->raiseAlert(alert).ok());
    }

    TempDir dir_;
    ManualClock clock_{1767225600000};
    std::unique_ptr<journal::Journal> journal_;
    TestReceiver receiver_;
    config::Endpoint webhook_;
    CollectingLogger logger_;
};

TEST_F(AlertNotifierTest, EachAlertIsPostedOnceSignedAndOldestFirst) {
    raise("the firm has not acknowledged a HOLD within the SLA", "warning");
    raise("RECOVERED after a HOLD was sent: possible wrongful repossession", "critical");
    WebhookTransport transport(clock_);
    AlertNotifier notifier(*journal_, webhook_, transport, clock_, logger_);

    EXPECT_EQ(notifier.postDue(), 2u);
    EXPECT_EQ(notifier.postDue(), 0u) << "posted alerts are not posted again";
    const auto requests = receiver_.requests();
    ASSERT_EQ(requests.size(), 2u);
    const auto first = nlohmann::json::parse(requests[0].body);
    const auto second = nlohmann::json::parse(requests[1].body);
    EXPECT_EQ(first["severity"], "warning");
    EXPECT_EQ(second["severity"], "critical");
    EXPECT_EQ(second["kind"], "policy:C5");
    EXPECT_EQ(second["case_id"], "case-1");
    EXPECT_EQ(second["detail"]["outcome"], "ALERT");
    EXPECT_EQ(second["raised_at"], "2026-01-01T00:00:00Z");
    EXPECT_EQ(requests[1].header("Idempotency-Key"), "alert-" + std::to_string(second["alert_id"].get<long>()));
    EXPECT_EQ(api::verifyRequestSignature(requests[1].header("Lendgate-Signature"), requests[1].body, {kSecret},
                                          clock_.nowUnixMs() / 1000),
              api::SignatureCheck::Valid);
}

TEST_F(AlertNotifierTest, AReceiverThatIsDownGetsEveryAlertOnceItAnswers) {
    receiver_.alwaysFail(503);
    raise("first", "warning");
    raise("second", "critical");
    WebhookTransport transport(clock_);
    AlertNotifier notifier(*journal_, webhook_, transport, clock_, logger_);

    EXPECT_EQ(notifier.postDue(), 0u);
    EXPECT_EQ(notifier.postDue(), 0u);
    EXPECT_EQ(receiver_.total(), 2u) << "each pass stops at the first refusal";
    ASSERT_EQ(logger_.warnings.size(), 1u) << "the failure is reported once, not on every pass";
    EXPECT_NE(logger_.warnings[0].find("503"), std::string::npos) << logger_.warnings[0];

    receiver_.healthy();
    EXPECT_EQ(notifier.postDue(), 2u);
    std::vector<std::string> texts;
    for (const auto &request : receiver_.requests())
        if (request.answeredStatus == 200) texts.push_back(nlohmann::json::parse(request.body)["text"]);
    EXPECT_EQ(texts, (std::vector<std::string>{"first", "second"}));
}

}  // namespace
}  // namespace lendgate::delivery
