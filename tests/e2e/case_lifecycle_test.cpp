// The compliance policies through the running daemon (issue 7): a hardship
// application holds every order a firm has out and the orders that follow,
// the hold's end releases them, an order the SCRA forbids is refused, and a
// recovery reported after a HOLD was sent is a critical alert.
// Each test reads the case's journaled decisions, as an auditor would.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/api/request_auth.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_lifecycle.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::ReceivedRequest;
using delivery::testing::TestReceiver;
using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST(CaseLifecycle, AHardshipApplicationHoldsTheFirmsOrdersUntilItIsDecided) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781002934";

    post(daemon, notice("LC-N-1", account, "NOT_ACTIVE"));
    const std::string first = post(daemon, order("LC-ORDER-1", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, first)["case_id"].get<std::string>();

    // The application: the firm holding the order gets a HOLD for it.
    const std::string application = post(daemon, hardship("LC-HA-1", account, "LC-HA-1"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.hold")[0]["assignment"]["number"], "LC-ORDER-1");

    // A new order for the same loan waits while the hold lasts.
    json ack;
    const std::string second = post(daemon, order("LC-ORDER-2", account), &ack);
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_held") << ack.dump();
    const json waiting = message(daemon, second);
    ASSERT_EQ(waiting["deliveries"].size(), 1u) << waiting.dump();
    EXPECT_EQ(waiting["deliveries"][0]["state"], "pending");
    EXPECT_NE(waiting["deliveries"][0].value("held_by", "").find("C4"), std::string::npos) << waiting.dump();

    json timeline = caseOf(daemon, caseId);
    const auto started = decisionsOf(timeline, "C4", "HOLD");
    ASSERT_GE(started.size(), 2u) << timeline["decisions"].dump(2);
    EXPECT_EQ(started[0]["message_id"], application);
    EXPECT_EQ(started[0]["decision"]["facts"]["transition"], "started");
    EXPECT_EQ(started[0]["decision"]["firms"], json::array({kRepoFirm}));
    EXPECT_EQ(started[1]["message_id"], second);

    // Denied: the last reason ends, the firm gets RELEASE_HOLD and the order that waited.
    post(daemon, decision("LC-HD-1", account, "LC-HA-1", "DENIED"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 2; }, 30s)) << daemon.logTail();
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold_released").size() == 1; }, 30s))
        << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[1]["assignment"]["number"], "LC-ORDER-2");
    timeline = caseOf(daemon, caseId);
    ASSERT_EQ(decisionsOf(timeline, "C4", "RELEASE").size(), 1u) << timeline["decisions"].dump(2);
    EXPECT_EQ(decisionsOf(timeline, "C4", "RELEASE")[0]["decision"]["facts"]["transition"], "ended");
    EXPECT_EQ(received(firm, "assignment.hold").size(), 1u) << "the hold went out once";
}

TEST(CaseLifecycle, AnOrderForAServicememberWhoseLoanPredatesServiceIsRefusedWithoutACourtOrder) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();

    post(daemon, notice("LC-VET-N", "6300000001", "ACTIVE", "2025-02-01"));
    json ack;
    const std::string refused = post(daemon, order("LC-VET-ORDER", "6300000001"), &ack);
    // The lender reads why in its ACK: accepted (journaled), with a warning.
    EXPECT_EQ(ack["status"], "ACCEPTED") << ack.dump();
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_refused");
    EXPECT_EQ(ack["errors"][0]["severity"], "WARNING");
    EXPECT_EQ(ack["errors"][0]["text"].get<std::string>().rfind("C1: ", 0), 0u) << ack.dump();
    const json stored = message(daemon, refused);
    EXPECT_EQ(stored["state"], "stored") << stored.dump();
    EXPECT_TRUE(stored["deliveries"].empty()) << "a refused order goes to no firm: " << stored.dump();

    const json timeline = caseOf(daemon, stored["case_id"].get<std::string>());
    const auto c1 = decisionsOf(timeline, "C1", "REFUSE");
    ASSERT_EQ(c1.size(), 1u) << timeline["decisions"].dump(2);
    EXPECT_EQ(c1[0]["message_id"], refused);
    EXPECT_EQ(c1[0]["decision"]["facts"]["loan_predates_service"], "yes") << c1[0].dump(2);
    EXPECT_EQ(c1[0]["decision"]["facts"]["court_order_attached"], false) << c1[0].dump(2);

    // A court order makes the same order lawful: it goes out.
    json ordered = order("LC-VET-ORDER-COURT", "6300000001");
    ordered["payload"]["attestations"]["court_order_reference"] = "CV2026-004417";
    post(daemon, ordered);
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[0]["assignment"]["number"], "LC-VET-ORDER-COURT");
}

TEST(CaseLifecycle, ARecoveryAfterAHoldWasSentIsACriticalAlertPostedToTheOperatorAndListed) {
    TestReceiver firm;
    TestReceiver operatorDesk;
    WorldOptions options = lifecycleWorld(firm);
    options.alertWebhookUrl = operatorDesk.url("/ops/alerts");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781003361";

    post(daemon, notice("LC-RA-N", account, "NOT_ACTIVE"));
    const std::string orderId = post(daemon, order("LC-RA-ORDER", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, orderId)["case_id"].get<std::string>();
    post(daemon, hardship("LC-RA-HA", account, "LC-RA-HA"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();

    // The firm recovers the car anyway (its clock is in whole seconds).
    std::this_thread::sleep_for(1100ms);
    const auto answer =
        submit(daemon.partnerPort(), kRepoFirm, {recovery(caseId, "LC-RA-ORDER"), "application/json", "LC-RA-OUT", ""});
    ASSERT_EQ(answer.status, 202) << answer.body;
    // Valley's own ACK format names the gateway's message per line.
    const json ack = json::parse(answer.body);
    ASSERT_EQ(ack["results"].size(), 1u) << answer.body;
    const std::string outcomeId = ack["results"][0]["gateway_message_id"].get<std::string>();

    const json timeline = caseOf(daemon, caseId);
    ASSERT_EQ(timeline["alerts"].size(), 1u) << timeline.dump(2);
    const json &alert = timeline["alerts"][0];
    EXPECT_EQ(alert["kind"], "policy:C5");
    EXPECT_EQ(alert["severity"], "critical");
    EXPECT_EQ(alert["partner"], kRepoFirm);
    EXPECT_EQ(alert["message_id"], outcomeId);
    EXPECT_EQ(alert["detail"]["facts"]["control_action"], "HOLD") << alert.dump(2);
    EXPECT_EQ(decisionsOf(timeline, "C5", "ALERT").size(), 1u) << timeline["decisions"].dump(2);

    // The lender receives the outcome marked: the critical alert and its Metro 2 status.
    json delivered;
    ASSERT_TRUE(eventually([&] { return (delivered = droppedFor(world, kLender, outcomeId)).is_object(); }, 30s))
        << daemon.logTail();
    const json &marks = delivered["payload"]["compliance_alerts"];
    ASSERT_EQ(marks.size(), 1u) << delivered.dump(2);
    EXPECT_EQ(marks[0]["policy_id"], "C5");
    EXPECT_EQ(marks[0]["severity"], "critical");
    EXPECT_NE(marks[0]["text"].get<std::string>().find("wrongful"), std::string::npos) << marks.dump();
    EXPECT_EQ(delivered["payload"]["metro2"]["account_status"], "96") << delivered.dump(2);

    // The operator's webhook gets it, signed, keyed by the alert.
    ASSERT_TRUE(eventually([&] { return operatorDesk.distinctKeys() >= 1; }, 30s)) << daemon.logTail();
    const ReceivedRequest posted = operatorDesk.requests().front();
    EXPECT_EQ(posted.uri, "/ops/alerts");
    EXPECT_EQ(posted.header("Idempotency-Key"), "alert-" + std::to_string(alert["alert_id"].get<long>()));
    EXPECT_EQ(api::verifyRequestSignature(posted.header("Lendgate-Signature"), posted.body,
                                          {GatewayWorld::alertSecret()}, std::time(nullptr)),
              api::SignatureCheck::Valid);
    const json body = json::parse(posted.body);
    EXPECT_EQ(body["severity"], "critical");
    EXPECT_EQ(body["case_id"], caseId);

    // /metrics counts it; the CLI lists it until an operator acknowledges it.
    const auto metrics = httpRequest(daemon.adminPort(), "GET", "/metrics");
    EXPECT_NE(metrics.body.find("lendgate_alerts_open{severity=\"critical\",kind=\"policy:C5\"} 1"), std::string::npos)
        << metrics.body;
    const auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), lendgateCli().string());
        args.insert(args.end(), {"--config", world.configFile().string(), "--plugin-dir", pluginDir().string()});
        return test::runCommand(args);
    };
    auto listed = cli({"alerts", "--severity", "critical"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("possible wrongful repossession"), std::string::npos) << listed.out;
    const auto acked = cli({"alerts", "ack", std::to_string(alert["alert_id"].get<long>())});
    ASSERT_EQ(acked.exitCode, 0) << acked.err;
    listed = cli({"alerts", "--severity", "critical"});
    EXPECT_EQ(listed.out, "no open alerts\n");

    // The period's report counts the story, for the whole gateway and for the firm.
    const auto report = cli({"report", "--from", arizona(1, false), "--to", arizona(-1, false), "--format", "json"});
    ASSERT_EQ(report.exitCode, 0) << report.err;
    const json figures = json::parse(report.out);
    EXPECT_EQ(figures["delinquency_notices"], 1) << figures.dump(2);
    EXPECT_EQ(figures["assignments"], 1);
    EXPECT_EQ(figures["hardship_applications"], 1);
    EXPECT_EQ(figures["holds_sent"], 1);
    EXPECT_EQ(figures["holds_acknowledged"], 0);
    EXPECT_EQ(figures["recoveries"], 1);
    const auto firmReport = cli(
        {"report", "--from", arizona(1, false), "--to", arizona(-1, false), "--partner", kRepoFirm, "--format", "csv"});
    ASSERT_EQ(firmReport.exitCode, 0) << firmReport.err;
    EXPECT_NE(firmReport.out.find("delinquency_notices,0\n"), std::string::npos) << firmReport.out;
    EXPECT_NE(firmReport.out.find("recoveries,1\n"), std::string::npos) << firmReport.out;
}

json accountUpdate(const std::string &golden, const std::string &key, const std::string &account) {
    json message = partnerMessage(golden, key);
    message["payload"]["account"] = {{"account_number", account}};
    message["payload"]["effective_date"] = arizona(0, false);
    return message;
}

TEST(CaseLifecycle, APaymentHoldsTheFirmsOrderAndACureCancelsIt) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781004417";
    post(daemon, notice("LC-PAY-N", account, "NOT_ACTIVE"));
    const std::string orderId = post(daemon, order("LC-PAY-ORDER", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();

    // C4: a partial payment holds the order for the configured days.
    json payment = accountUpdate("account_update_payment_posted", "LC-PAY-1", account);
    payment["payload"]["payment"]["date"] = arizona(0, false);
    const std::string paymentId = post(daemon, payment);
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.hold")[0]["assignment"]["number"], "LC-PAY-ORDER");

    // C4: cured, the matter is over: the firm's order is cancelled.
    post(daemon, accountUpdate("account_update_cured", "LC-PAY-CURED", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.cancelled").size() == 1; }, 30s))
        << daemon.logTail();

    const json timeline = caseOf(daemon, message(daemon, orderId)["case_id"].get<std::string>());
    const auto holds = decisionsOf(timeline, "C4", "HOLD");
    ASSERT_FALSE(holds.empty()) << timeline["decisions"].dump(2);
    EXPECT_EQ(holds[0]["message_id"], paymentId);
    EXPECT_NE(holds[0]["decision"]["facts"]["trigger"].get<std::string>().find("PAYMENT_POSTED"), std::string::npos)
        << holds[0].dump(2);
    EXPECT_FALSE(decisionsOf(timeline, "C4", "CANCEL").empty()) << timeline["decisions"].dump(2);
}

TEST(CaseLifecycle, AnOrderForAnotherVehicleOrDuringBankruptcyIsRefusedAndTheLenderToldWhy) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();

    // C12: the case's vehicle is 1C6SRFFT3NN123456; an order names another.
    post(daemon, notice("LC-VIN-N", "7781005523", "NOT_ACTIVE"));
    json otherCar = order("LC-VIN-ORDER", "7781005523");
    otherCar["payload"]["collateral"]["vin"] = "4T1B11HK5M0214873";
    json ack;
    const std::string vinOrder = post(daemon, otherCar, &ack);
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_refused");
    EXPECT_EQ(ack["errors"][0]["text"].get<std::string>().rfind("C12: ", 0), 0u) << ack.dump();
    EXPECT_TRUE(message(daemon, vinOrder)["deliveries"].empty());

    // C2: the borrower filed for bankruptcy: no repossession order goes out.
    json bankrupt = notice("LC-BK-N", "7781006615", "NOT_ACTIVE");
    bankrupt["payload"]["flags"]["bankruptcy"] = {{"chapter", 13}, {"filed_date", arizona(3, false)}};
    post(daemon, bankrupt);
    const std::string bkOrder = post(daemon, order("LC-BK-ORDER", "7781006615"), &ack);
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["text"].get<std::string>().rfind("C2: ", 0), 0u) << ack.dump();
    const json stored = message(daemon, bkOrder);
    EXPECT_TRUE(stored["deliveries"].empty()) << stored.dump();
    EXPECT_EQ(decisionsOf(caseOf(daemon, stored["case_id"].get<std::string>()), "C2", "REFUSE").size(), 1u);

    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(received(firm, "assignment.opened").empty()) << "neither order reached the firm";
}

}  // namespace
}  // namespace lendgate::e2e
