// Referrals with consent (C11) through the running daemon: the seed's two
// stories (a single mother referred for rides and emergency funds after her
// hardship application; a veteran referred to veterans' services after a
// court-ordered recovery), a need that waits for consent, and a REVOKE that
// stops a referral before it goes out. Each test reads the case's timeline.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_lifecycle.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::ReceivedRequest;
using delivery::testing::TestReceiver;
using nlohmann::json;
using namespace std::chrono_literals;

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

TEST(Referrals, SeedStoryASingleMothersHardshipHoldsTheOrderAndHerConsentBringsLocalHelp) {
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
    EXPECT_EQ(consents[0]["state"], "stored") << "a consent is kept, not unroutable";
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

TEST(Referrals, SeedStoryAVeteransTruckIsRecoveredOnlyByCourtOrderAndHeIsReferredToVeteransServices) {
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
    const auto consentAnswer =
        submit(daemon.partnerPort(), kRepoFirm, {consent.dump(), "application/json", "VET-CONSENT", ""});
    ASSERT_EQ(consentAnswer.status, 202) << consentAnswer.body;
    // Kept by the gateway, which it gates referrals for: not an unroutable message.
    const std::string consentId =
        json::parse(consentAnswer.body)["results"][0]["gateway_message_id"].get<std::string>();
    EXPECT_EQ(message(daemon, consentId)["state"], "stored");
    std::this_thread::sleep_for(1100ms);
    const auto recovered = submit(daemon.partnerPort(), kRepoFirm,
                                  {recovery(caseId, "VET-ORDER-COURT"), "application/json", "VET-RECOVERED", ""});
    ASSERT_EQ(recovered.status, 202) << recovered.body;
    const std::string recoveredId = json::parse(recovered.body)["results"][0]["gateway_message_id"].get<std::string>();

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

    // The lender's outcome carries Metro 2 status 96 with special comment AI (on active duty).
    json delivered;
    ASSERT_TRUE(eventually([&] { return (delivered = droppedFor(world, kLender, recoveredId)).is_object(); }, 30s))
        << daemon.logTail();
    EXPECT_EQ(delivered["payload"]["metro2"], json({{"account_status", "96"}, {"special_comment", "AI"}}))
        << delivered.dump(2);
    EXPECT_FALSE(delivered["payload"].contains("compliance_alerts")) << "a court-ordered recovery raises no alert";
}

// No consent, no referral, and the timeline says so; a consent given later
// covers the need stated before it; a REVOKE stops the referral still waiting.
TEST(Referrals, ANeedStatedWithoutConsentWaitsForOneAndARevokeStopsTheReferralNotYetDelivered) {
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

    // Later she consents again: the need, no longer met by the stopped referral, is referred anew.
    json again = grant;
    again["idempotency_key"] = "RV-GRANT-2";
    again["payload"]["consent_id"] = "RV-CONSENT-2";
    post(daemon, again);
    timeline = caseOf(daemon, caseId);
    ASSERT_EQ(messagesOfType(timeline, "referral").size(), 2u) << timeline["messages"].dump(2);
}

}  // namespace
}  // namespace lendgate::e2e
