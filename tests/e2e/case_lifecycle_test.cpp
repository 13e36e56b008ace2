// The compliance policies through the running daemon (issue 7): a hardship
// application holds every order a firm has out and the orders that follow,
// the hold's end releases them, an order the SCRA forbids is refused, and a
// recovery reported after a HOLD was sent is a critical alert.
// Each test reads the case's journaled decisions, as an auditor would.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/api/request_auth.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::ReceivedRequest;
using delivery::testing::TestReceiver;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kRepoFirm = "valley-recovery";

// A date or time `days` ago in Arizona (UTC-7, no daylight time).
std::string arizona(int daysAgo, bool withTime) {
    const std::time_t at = std::time(nullptr) - 7 * 3600 - static_cast<std::time_t>(daysAgo) * 86400;
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[40];
    std::strftime(text, sizeof text, withTime ? "%Y-%m-%dT%H:%M:%S-07:00" : "%Y-%m-%d", &parts);
    return text;
}

// An Arizona loan (no statutory cure period) for the golden order's vehicle,
// with a current SCRA check of the given status.
json notice(const std::string &key, const std::string &account, const std::string &scraStatus,
            const std::string &activeDutyStart = "") {
    json message = delinquencyNotice(key, account);
    auto &payload = message["payload"];
    payload["loan"]["governing_state"] = "AZ";
    payload["loan"]["contract_date"] = "2023-05-01";
    payload["collateral"]["vin"] = "1C6SRFFT3NN123456";
    json scra = {{"status", scraStatus}, {"checked_at", arizona(1, true)}};
    if (!activeDutyStart.empty()) scra["active_duty_start"] = activeDutyStart;
    payload["flags"] = {{"scra", scra}};
    return message;
}

json order(const std::string &key, const std::string &account) {
    json message = phoenixAssignment(key, account);
    message["payload"]["attestations"]["scra_certificate_date"] = arizona(1, false);
    message["payload"]["attestations"]["bankruptcy_check_date"] = arizona(1, false);
    return message;
}

json hardship(const std::string &key, const std::string &account, const std::string &applicationId) {
    json message = partnerMessage("hardship_application", key);
    message["payload"]["account"] = {{"account_number", account}};
    message["payload"]["application_id"] = applicationId;
    return message;
}

json decision(const std::string &key, const std::string &account, const std::string &applicationId,
              const std::string &status) {
    json message = partnerMessage("hardship_decision_approved", key);
    auto &payload = message["payload"];
    payload = {{"account", {{"account_number", account}}}, {"application_id", applicationId}, {"status", status}};
    return message;
}

// Posts one record as the lender; its message id. `ackRecord` gets the
// ACK's entry for it (the canonical ACK: the fixture lender binds no plugin).
std::string post(const Daemon &daemon, const json &record, json *ackRecord = nullptr) {
    const std::string key = record["idempotency_key"].get<std::string>();
    const auto answer = submit(daemon.partnerPort(), kLender, {jsonLines({record}), "application/json", key, ""});
    const auto ids = acceptedMessageIds(answer.body);
    if (answer.status != 202 || ids.size() != 1)
        throw std::runtime_error("not accepted: " + std::to_string(answer.status) + " " + answer.body);
    if (ackRecord != nullptr) *ackRecord = json::parse(answer.body)["payload"]["records"][0];
    return ids.front();
}

json message(const Daemon &daemon, const std::string &messageId) {
    const auto answer = adminGet(daemon.adminPort(), "/admin/v1/messages/" + messageId, kViewerToken);
    if (answer.status != 200) throw std::runtime_error("message " + messageId + ": " + answer.body);
    return answer.json();
}

json caseOf(const Daemon &daemon, const std::string &caseId) {
    const auto answer = adminGet(daemon.adminPort(), "/admin/v1/cases/" + caseId, kViewerToken);
    if (answer.status != 200) throw std::runtime_error("case " + caseId + ": " + answer.body);
    return answer.json();
}

// The firm's accepted webhooks of one event type, in arrival order.
std::vector<json> received(const TestReceiver &firm, const std::string &eventType) {
    std::vector<json> out;
    for (const ReceivedRequest &request : firm.requests()) {
        if (request.answeredStatus != 200) continue;
        json body = json::parse(request.body, nullptr, false);
        if (body.is_object() && body.value("event_type", "") == eventType) out.push_back(body);
    }
    return out;
}

std::vector<json> decisionsOf(const json &timeline, const std::string &policyId, const std::string &outcome) {
    std::vector<json> out;
    for (const json &d : timeline["decisions"])
        if (d["policy_id"] == policyId && d["outcome"] == outcome) out.push_back(d);
    return out;
}

// A world with the policies on and the firm's webhook at `firm`.
WorldOptions lifecycleWorld(const TestReceiver &firm) {
    WorldOptions options;
    options.policies = true;
    options.webhookUrls[kRepoFirm] = firm.url("/valley-recovery/assignments");
    return options;
}

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

// The firm's recovery webhook for one of its assignments, in its own format.
std::string recovery(const std::string &caseId, const std::string &assignmentNumber) {
    json event = json::parse(readText(sourceDir() / "samples" / "valley-recovery" / "outcome_recovered.json"));
    event["lendgate"] = {{"case_id", caseId}};
    event["event_id"] = "LC-RECOVERED-1";
    event["assignment_number"] = assignmentNumber;
    event["occurred_at"] = arizona(0, true);
    return event.dump();
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

// ---- Referrals with consent (C11): the seed's two stories.

// The borrower as the lender knows her: name, mobile phone, language and a
// home address whose ZIP places her in a nonprofit's service area.
json withBorrower(json message, const std::string &first, const std::string &last, const std::string &zip,
                  const std::string &city) {
    json &party = message["payload"]["parties"][0];
    party["name"] = {{"first", first}, {"last", last}};
    party["phones"] = json::array({{{"type", "MOBILE"}, {"number", "+16025550177"}}});
    party["addresses"] = json::array(
        {{{"type", "HOME"}, {"line1", "2215 W Pima St"}, {"city", city}, {"state", "AZ"}, {"postal_code", zip}}});
    party["language"] = "es";
    return message;
}

json consentedHardship(const std::string &key, const std::string &account, const std::string &applicationId,
                       const std::vector<std::string> &scope) {
    json message = hardship(key, account, applicationId);
    json &consent = message["payload"]["consent"];
    consent["consent_id"] = applicationId + "-CONSENT";
    consent["scope"] = scope;
    consent["captured_at"] = arizona(0, true);
    return message;
}

// The webhooks a nonprofit accepted (its own HSDS-aligned referral JSON), by need.
std::map<std::string, json> referralsByNeed(const TestReceiver &nonprofit) {
    std::map<std::string, json> out;
    for (const ReceivedRequest &request : nonprofit.requests()) {
        if (request.answeredStatus != 200) continue;
        json body = json::parse(request.body);
        out[body["need"].get<std::string>()] = body;
    }
    return out;
}

std::vector<json> messagesOfType(const json &timeline, const std::string &type) {
    std::vector<json> out;
    for (const json &m : timeline["messages"])
        if (m["message_type"] == type) out.push_back(m);
    return out;
}

json valleyEvent(const std::string &sample, const std::string &caseId, const std::string &eventId) {
    json event = json::parse(readText(sourceDir() / "samples" / "valley-recovery" / sample));
    event["lendgate"] = {{"case_id", caseId}};
    event["event_id"] = eventId;
    return event;
}

TEST(CaseLifecycle, SeedStoryASingleMothersHardshipHoldsTheOrderAndHerConsentBringsLocalHelp) {
    TestReceiver firm;
    TestReceiver sonoran;
    WorldOptions options = lifecycleWorld(firm);
    options.webhookUrls["sonoran-family-services"] = sonoran.url("/sonoran/referrals");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781004410";

    post(daemon, withBorrower(notice("SM-N", account, "NOT_ACTIVE"), "Marisol", "Quintero", "85009", "Phoenix"));
    const std::string orderId = post(daemon, order("SM-ORDER", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, orderId)["case_id"].get<std::string>();

    // She applies for hardship and, on the form, agrees to be referred for rides and emergency funds.
    post(daemon, consentedHardship("SM-HA", account, "SM-HA", {"transportation-insecurity", "financial-insecurity"}));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();
    const json ack = {{"event_id", "SM-HOLD-ACK"},       {"event_type", "outcome.hold_acknowledged"},
                      {"occurred_at", arizona(0, true)}, {"lendgate", {{"case_id", caseId}}},
                      {"assignment_number", "SM-ORDER"}, {"agent", {{"id", "VRC-DSP-02"}, {"name", "Dispatch"}}}};
    ASSERT_EQ(submit(daemon.partnerPort(), kRepoFirm, {ack.dump(), "application/json", "SM-HOLD-ACK", ""}).status, 202);

    // Sonoran Family Services serves both needs in 85009: two referrals, minimum data.
    ASSERT_TRUE(eventually([&] { return referralsByNeed(sonoran).size() == 2; }, 30s)) << daemon.logTail();
    auto referrals = referralsByNeed(sonoran);
    const json &funds = referrals["financial-insecurity"];
    EXPECT_EQ(funds["consent_id"], "SM-HA-CONSENT");
    EXPECT_EQ(funds["service"]["id"], "29f2283d-52b4-5e3b-be9f-c504095fbe48") << funds.dump(2);
    EXPECT_EQ(funds["location"]["id"], "56b9ba16-c393-54d0-bfbb-a6972958fa72") << "the Phoenix center in her ZIP";
    EXPECT_EQ(funds["taxonomy_term"]["code"], "NL-6000.2000");
    EXPECT_EQ(funds["client"]["name"]["first"], "Marisol");
    EXPECT_EQ(funds["client"]["postal_code"], "85009");
    const json &rides = referrals["transportation-insecurity"];
    EXPECT_EQ(rides["service"]["id"], "43285613-a90a-5bed-acd4-a8682ce21121") << rides.dump(2);
    for (const auto &[need, body] : referrals) {
        const std::string text = body.dump();
        EXPECT_EQ(text.find(account), std::string::npos) << need << ": no account number";
        EXPECT_EQ(text.find("balance"), std::string::npos) << need << ": no balance";
        EXPECT_EQ(text.find("account"), std::string::npos) << need << ": " << text;
    }

    // The timeline explains: the consent recorded from the form, C11 allowing each referral, the hold and its ACK.
    json timeline = caseOf(daemon, caseId);
    const auto consents = messagesOfType(timeline, "consent");
    ASSERT_EQ(consents.size(), 1u) << timeline["messages"].dump(2);
    EXPECT_EQ(consents[0]["sender"], "lendgate");
    EXPECT_EQ(decisionsOf(timeline, "C11", "ALLOW").size(), 2u) << timeline["decisions"].dump(2);
    EXPECT_EQ(messagesOfType(timeline, "referral").size(), 2u);
    EXPECT_EQ(decisionsOf(timeline, "C4", "HOLD").size(), 1u) << timeline["decisions"].dump(2);

    // Sonoran's status update finds its case by the referral id and goes on to the lender.
    json update = json::parse(readText(sourceDir() / "samples" / "sonoran-family-services" / "referral_update.json"));
    update["id"] = "SM-UPD-1";
    update["referral_id"] = funds["referral_id"];
    update["status"] = "ACCEPTED";
    update["updated_at"] = arizona(0, true);
    const auto answer =
        submit(daemon.partnerPort(), "sonoran-family-services", {update.dump(), "application/json", "SM-UPD-1", ""});
    ASSERT_EQ(answer.status, 202) << answer.body;
    timeline = caseOf(daemon, caseId);
    const auto updates = messagesOfType(timeline, "referral_update");
    ASSERT_EQ(updates.size(), 1u) << timeline["messages"].dump(2);
    EXPECT_EQ(updates[0]["sender"], "sonoran-family-services");
    ASSERT_TRUE(eventually(
        [&] { return message(daemon, updates[0]["message_id"].get<std::string>())["state"] == "delivered"; }, 30s))
        << daemon.logTail();

    // An update for a referral Sonoran never received is refused, and says why.
    update["id"] = "SM-UPD-2";
    update["referral_id"] = "01JDB2K4ZQ8V3N6R9T1W5X7Y20";
    const auto refused =
        submit(daemon.partnerPort(), "sonoran-family-services", {update.dump(), "application/json", "SM-UPD-2", ""});
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("unknown_referral"), std::string::npos) << refused.body;
}

TEST(CaseLifecycle, SeedStoryAVeteransTruckIsRecoveredOnlyByCourtOrderAndHeIsReferredToVeteransServices) {
    TestReceiver firm;
    TestReceiver veterans;
    WorldOptions options = lifecycleWorld(firm);
    options.webhookUrls["arizona-veterans-bridge"] = veterans.url("/avb/referrals");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const std::string account = "6300004471";

    // On active duty since 2025, on a 2023 loan: no repossession without a court order (C1).
    post(daemon,
         withBorrower(notice("VET-N", account, "ACTIVE", "2025-02-01"), "Daniel", "Begay", "85302", "Glendale"));
    json ack;
    const std::string refusedId = post(daemon, order("VET-ORDER", account), &ack);
    EXPECT_EQ(ack["errors"][0]["code"], "policy_refused") << ack.dump();
    const std::string caseId = message(daemon, refusedId)["case_id"].get<std::string>();
    json ordered = order("VET-ORDER-COURT", account);
    ordered["payload"]["attestations"]["court_order_reference"] = "CV2026-005120";
    post(daemon, ordered);
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[0]["assignment"]["number"], "VET-ORDER-COURT");

    // At the recovery the agent listens; he consents on the spot to veterans' services, rides and counseling.
    json consent = valleyEvent("consent_captured.json", caseId, "VET-CONSENT");
    consent["captured_at"] = arizona(0, true);
    consent["assignment_number"] = "VET-ORDER-COURT";
    ASSERT_EQ(submit(daemon.partnerPort(), kRepoFirm, {consent.dump(), "application/json", "VET-CONSENT", ""}).status,
              202);
    std::this_thread::sleep_for(1100ms);
    ASSERT_EQ(submit(daemon.partnerPort(), kRepoFirm,
                     {recovery(caseId, "VET-ORDER-COURT"), "application/json", "VET-RECOVERED", ""})
                  .status,
              202);

    ASSERT_TRUE(eventually([&] { return referralsByNeed(veterans).size() == 1; }, 30s)) << daemon.logTail();
    const json referral = referralsByNeed(veterans)["veteran-status"];
    EXPECT_EQ(referral["consent_id"], "VRC-CONSENT-000781") << referral.dump(2);
    EXPECT_EQ(referral["service"]["id"], "1275630e-8769-58e4-bd81-6826a7f67d0a") << "VA Benefits Navigation";
    EXPECT_EQ(referral["urgency"], "URGENT") << "he has just lost his truck";
    EXPECT_EQ(referral["client"]["name"]["last"], "Begay");

    // No partner serves rides or counseling in 853xx for a non-veteran program: the timeline says so.
    const json timeline = caseOf(daemon, caseId);
    const auto unserved = decisionsOf(timeline, "C11", "FLAG");
    ASSERT_EQ(unserved.size(), 2u) << timeline["decisions"].dump(2);
    for (const json &d : unserved) {
        EXPECT_EQ(d["decision"]["facts"]["referral_state"], "no_service") << d.dump(2);
        EXPECT_EQ(d["decision"]["facts"]["zip3"], "853");
    }
    EXPECT_EQ(decisionsOf(timeline, "C11", "ALLOW").size(), 3u) << "the consent covers all three needs";
}

// No consent, no referral, and the timeline says so; a consent given later
// covers the need stated before it; a REVOKE stops the referral still waiting.
TEST(CaseLifecycle, ANeedStatedWithoutConsentWaitsForOneAndARevokeStopsTheReferralNotYetDelivered) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));  // Sonoran's webhook answers nobody: its referrals wait
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781005520";
    post(daemon, withBorrower(notice("RV-N", account, "NOT_ACTIVE"), "Ana", "Lucero", "85201", "Mesa"));
    const std::string orderId = post(daemon, order("RV-ORDER", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, orderId)["case_id"].get<std::string>();

    // The agent finds her; she says the family is short of food. Nobody has asked her consent yet.
    const json located = {{"event_id", "RV-LOCATED"},
                          {"event_type", "outcome.located"},
                          {"occurred_at", arizona(0, true)},
                          {"lendgate", {{"case_id", caseId}}},
                          {"assignment_number", "RV-ORDER"},
                          {"agent", {{"id", "VRC-AGT-07"}, {"name", "R. Tsosie"}}},
                          {"interactions", json::array({{{"at", arizona(0, true)},
                                                         {"channel", "door_knock"},
                                                         {"with", "borrower"},
                                                         {"stated_needs", json::array({"food"})}}})}};
    ASSERT_EQ(submit(daemon.partnerPort(), kRepoFirm, {located.dump(), "application/json", "RV-LOCATED", ""}).status,
              202);
    json timeline = caseOf(daemon, caseId);
    EXPECT_TRUE(messagesOfType(timeline, "referral").empty());
    const auto refused = decisionsOf(timeline, "C11", "REFUSE");
    ASSERT_EQ(refused.size(), 1u) << timeline["decisions"].dump(2);
    EXPECT_EQ(refused[0]["decision"]["facts"]["consent_state"], "not_recorded");

    // The bank records her consent for food help: the need she stated is referred now.
    json grant = partnerMessage("consent_revoke", "RV-GRANT");
    grant["payload"] = {{"consent_id", "RV-CONSENT"},
                        {"action", "GRANT"},
                        {"account", {{"account_number", account}}},
                        {"scope", json::array({"food-insecurity"})},
                        {"captured_at", arizona(0, true)},
                        {"captured_by", {{"role", "LENDER"}}},
                        {"method", "WRITTEN"}};
    grant["occurred_at"] = arizona(0, true);
    post(daemon, grant);
    timeline = caseOf(daemon, caseId);
    const auto referrals = messagesOfType(timeline, "referral");
    ASSERT_EQ(referrals.size(), 1u) << timeline["messages"].dump(2);
    const std::string referralId = referrals[0]["message_id"].get<std::string>();

    // She withdraws it before Sonoran could be reached: the referral never goes.
    json revoke = grant;
    revoke["idempotency_key"] = "RV-REVOKE";
    revoke["payload"]["action"] = "REVOKE";
    post(daemon, revoke);
    const json stopped = message(daemon, referralId);
    EXPECT_EQ(stopped["state"], "cancelled") << stopped.dump(2);
    ASSERT_EQ(stopped["deliveries"].size(), 1u);
    EXPECT_EQ(stopped["deliveries"][0]["state"], "cancelled");
    EXPECT_EQ(decisionsOf(caseOf(daemon, caseId), "C11", "CANCEL").size(), 1u);
}

}  // namespace
}  // namespace lendgate::e2e
