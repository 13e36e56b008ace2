// A scenario per compliance policy C3, C6, C7, C8 and C9 through the running
// daemon (issue 7): what the lender or the firm sent, what the gateway
// decided, what went out to the firm and the lender (or did not), and the
// journaled decision on the case's timeline that explains it.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_lifecycle.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::time_t kDay = 86400;

// Arizona time (UTC-7, no daylight time) at a moment, as the firm writes it.
std::string arizonaTime(std::time_t at) {
    at -= std::time_t{7} * 3600;
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S-07:00", &parts);
    return text;
}

// A loan governed by `state` whose right-to-cure notice went out `daysAgo` days ago.
json cureNotice(const std::string &key, const std::string &account, const std::string &state, int daysAgo) {
    json message = notice(key, account, "NOT_ACTIVE");
    message["payload"]["loan"]["governing_state"] = state;
    message["payload"]["notices_sent"] =
        json::array({{{"type", "RIGHT_TO_CURE"}, {"sent_date", arizona(daysAgo, false)}}});
    return message;
}

// The golden order attests a cure notice of its own; without it the case's notice decides.
json orderWithoutCureAttestation(const std::string &key, const std::string &account) {
    json message = order(key, account);
    message["payload"]["attestations"].erase("right_to_cure_notice_date");
    message["payload"]["attestations"].erase("right_to_cure_expiry_date");
    return message;
}

// A borrower at home in Glendale: her state sets the clock C9 reads contacts by.
json inGlendale(json message) {
    message["payload"]["parties"][0]["addresses"] = json::array({{{"type", "HOME"},
                                                                  {"line1", "8810 N 43rd Ave"},
                                                                  {"city", "Glendale"},
                                                                  {"state", "AZ"},
                                                                  {"postal_code", "85302"}}});
    return message;
}

json firmEvent(const std::string &type, const std::string &eventId, const std::string &caseId,
               const std::string &assignment) {
    return {{"event_id", eventId},
            {"event_type", type},
            {"occurred_at", arizona(0, true)},
            {"lendgate", {{"case_id", caseId}}},
            {"assignment_number", assignment},
            {"agent", {{"id", "VRC-AGT-07"}, {"name", "R. Tsosie"}}}};
}

// A notice and an order for the account, the order opened at the firm; the case id.
std::string openedCase(const Daemon &daemon, const TestReceiver &firm, const json &caseNotice, const json &caseOrder) {
    const std::size_t before = received(firm, "assignment.opened").size();
    post(daemon, caseNotice);
    const std::string orderId = post(daemon, caseOrder);
    if (!eventually([&] { return received(firm, "assignment.opened").size() == before + 1; }, 30s))
        throw std::runtime_error("the order did not reach the firm: " + daemon.logTail());
    return message(daemon, orderId)["case_id"].get<std::string>();
}

json onlyDecision(const std::vector<json> &decisions, const json &timeline) {
    if (decisions.size() != 1) throw std::runtime_error("not one decision: " + timeline["decisions"].dump(2));
    return decisions.front();
}

TEST(PolicyScenarios, AnOrderInsideTheColoradoCurePeriodWaitsAndOneAfterItGoesOut) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();

    // Colorado gives the borrower 20 days to cure; the notice went out 5 days ago.
    post(daemon, cureNotice("PS-CO-N", "7781007701", "CO", 5));
    json ack;
    const std::string held = post(daemon, orderWithoutCureAttestation("PS-CO-ORDER", "7781007701"), &ack);
    EXPECT_EQ(ack["status"], "ACCEPTED") << ack.dump();
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_held");
    EXPECT_EQ(ack["errors"][0]["text"].get<std::string>().rfind("C3: ", 0), 0u) << ack.dump();
    json waiting = message(daemon, held);
    ASSERT_EQ(waiting["deliveries"].size(), 1u) << waiting.dump();
    EXPECT_EQ(waiting["deliveries"][0]["destination"], kRepoFirm);
    EXPECT_EQ(waiting["deliveries"][0]["state"], "pending");
    EXPECT_EQ(waiting["deliveries"][0].value("held_by", "").rfind("C3: ", 0), 0u) << waiting.dump();

    // The timeline says until when, and from which day the order may go.
    const json timeline = caseOf(daemon, waiting["case_id"].get<std::string>());
    json hold = onlyDecision(decisionsOf(timeline, "C3", "HOLD"), timeline);
    EXPECT_EQ(hold["message_id"], held);
    json &facts = hold["decision"]["facts"];
    EXPECT_EQ(facts["governing_state"], "CO") << hold.dump(2);
    EXPECT_EQ(facts["notice_date"], arizona(5, false));
    EXPECT_EQ(facts["today"], arizona(0, false));
    EXPECT_EQ(facts["last_cure_day"], arizona(-15, false));
    EXPECT_EQ(facts["assignable_from"], arizona(-16, false));
    EXPECT_EQ(hold["decision"]["parameters"]["cure_days"], 20);

    // Another Colorado loan whose notice went out 30 days ago: the period is over and the order goes out.
    post(daemon, cureNotice("PS-CO-LATE-N", "7781007702", "CO", 30));
    const std::string late = post(daemon, orderWithoutCureAttestation("PS-CO-LATE", "7781007702"), &ack);
    EXPECT_TRUE(ack["errors"].empty()) << ack.dump();
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[0]["assignment"]["number"], "PS-CO-LATE");
    const json lateTimeline = caseOf(daemon, message(daemon, late)["case_id"].get<std::string>());
    json allowed = onlyDecision(decisionsOf(lateTimeline, "C3", "ALLOW"), lateTimeline);
    EXPECT_EQ(allowed["decision"]["facts"]["last_cure_day"], arizona(10, false)) << allowed.dump(2);
    EXPECT_EQ(message(daemon, held)["deliveries"][0]["state"], "pending") << "the first order still waits";
}

// Missouri loans with a cosigner, the cure period over long ago.
json missouriNotice(const std::string &key, const std::string &account, bool cosignerNotified) {
    json message = cureNotice(key, account, "MO", 40);
    message["payload"]["parties"].push_back({{"role", "COSIGNER"}, {"name", {{"last", "Okafor"}}}});
    message["payload"]["notices_sent"][0]["cosigners_notified"] = cosignerNotified;
    return message;
}

TEST(PolicyScenarios, AMissouriOrderWaitsUntilTheCosignerHasBeenNotifiedToo) {
    TestReceiver firm;
    TestReceiver operatorDesk;
    WorldOptions options = lifecycleWorld(firm);
    options.alertWebhookUrl = operatorDesk.url("/ops/alerts");  // and a clock pass every second
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    // The cosigner was never sent the notice Missouri requires: the order waits.
    post(daemon, missouriNotice("PS-MO-N", "7781007801", false));
    json ack;
    const std::string held = post(daemon, orderWithoutCureAttestation("PS-MO-ORDER", "7781007801"), &ack);
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_held");
    EXPECT_NE(ack["errors"][0]["text"].get<std::string>().find("cosigner"), std::string::npos) << ack.dump();
    const json timeline = caseOf(daemon, message(daemon, held)["case_id"].get<std::string>());
    json hold = onlyDecision(decisionsOf(timeline, "C3", "HOLD"), timeline);
    EXPECT_EQ(hold["decision"]["facts"]["has_cosigner"], true) << hold.dump(2);
    EXPECT_EQ(hold["decision"]["facts"]["cosigners_notified"], false);
    EXPECT_EQ(hold["decision"]["parameters"]["cosigner_notice_required"], true);

    // Another Missouri loan whose cosigner had the notice: its order goes out.
    post(daemon, missouriNotice("PS-MO2-N", "7781007802", true));
    post(daemon, orderWithoutCureAttestation("PS-MO2-ORDER", "7781007802"), &ack);
    EXPECT_TRUE(ack["errors"].empty()) << ack.dump();
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[0]["assignment"]["number"], "PS-MO2-ORDER");

    // The first lender's next notice records the cosigner's copy: the clock's next pass asks C3 again
    // and the held order goes out, with the decision that let it go on the timeline.
    post(daemon, missouriNotice("PS-MO-N-2", "7781007801", true));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 2; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.opened")[1]["assignment"]["number"], "PS-MO-ORDER");
    const json after = caseOf(daemon, message(daemon, held)["case_id"].get<std::string>());
    const auto allowed = decisionsOf(after, "C3", "ALLOW");
    ASSERT_EQ(allowed.size(), 1u) << after["decisions"].dump(2);
    EXPECT_EQ(allowed[0]["decision"]["facts"]["released_order"], held);
    EXPECT_EQ(allowed[0]["decision"]["facts"]["cosigners_notified"], true);
}

TEST(PolicyScenarios, AnOrderInsideTheCurePeriodStaysHeldWhenAnUnrelatedHardshipHoldEnds) {
    TestReceiver firm;
    TestReceiver operatorDesk;
    WorldOptions options = lifecycleWorld(firm);
    options.alertWebhookUrl = operatorDesk.url("/ops/alerts");  // and a clock pass every second
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781007703";

    // The borrower applies for hardship; the lender orders a repossession inside the cure period anyway.
    post(daemon, cureNotice("PS-CH-N", account, "CO", 5));
    post(daemon, hardship("PS-CH-HA", account, "PS-CH-HA"));
    const std::string held = post(daemon, orderWithoutCureAttestation("PS-CH-ORDER", account));
    EXPECT_EQ(message(daemon, held)["deliveries"][0].value("held_by", "").rfind("C3: ", 0), 0u);

    // The application is denied: C4's reason ends, but the cure period still runs for 15 days.
    post(daemon, decision("PS-CH-HD", account, "PS-CH-HA", "DENIED"));
    const json timeline = caseOf(daemon, message(daemon, held)["case_id"].get<std::string>());
    ASSERT_EQ(decisionsOf(timeline, "C4", "RELEASE").size(), 1u) << timeline["decisions"].dump(2);
    // The cure period still runs for 15 days: the order must not reach the firm, nor does the clock's
    // next pass, which asks C3 again, let it go.
    std::this_thread::sleep_for(2500ms);
    EXPECT_TRUE(received(firm, "assignment.opened").empty());
    EXPECT_EQ(message(daemon, held)["deliveries"][0].value("held_by", "").rfind("C3: ", 0), 0u);
}

TEST(PolicyScenarios, ARecoveryOverTheBorrowersObjectionOrFromAClosedGarageIsFlaggedAndStillReachesTheLender) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();

    struct Recovery {
        std::string account, key;
        bool objected, closedStructure;
    };
    for (const Recovery &r :
         {Recovery{"7781008801", "PS-C6-OBJ", true, false}, Recovery{"7781008802", "PS-C6-GARAGE", false, true}}) {
        SCOPED_TRACE(r.key);
        const std::string caseId =
            openedCase(daemon, firm, notice(r.key + "-N", r.account, "NOT_ACTIVE"), order(r.key, r.account));
        json event = json::parse(recovery(caseId, r.key));
        event["event_id"] = r.key + "-RECOVERED";
        event["recovery"]["debtor_objected"] = r.objected;
        event["recovery"]["entered_closed_structure"] = r.closedStructure;
        const std::string outcomeId = postAsFirm(daemon, event);

        const json timeline = caseOf(daemon, caseId);
        json flag = onlyDecision(decisionsOf(timeline, "C6", "FLAG"), timeline);
        EXPECT_EQ(flag["message_id"], outcomeId);
        EXPECT_EQ(flag["decision"]["facts"]["debtor_objected"], r.objected) << flag.dump(2);
        EXPECT_EQ(flag["decision"]["facts"]["closed_structure_entered"], r.closedStructure);
        EXPECT_EQ(flag["decision"]["facts"]["police_involved"], false);
        EXPECT_NE(flag["decision"]["reason"].get<std::string>().find("breach of the peace"), std::string::npos);

        // A flag is for review, not a stop: the lender gets the outcome as it happened.
        json delivered;
        ASSERT_TRUE(eventually([&] { return (delivered = droppedFor(world, kLender, outcomeId)).is_object(); }, 30s))
            << daemon.logTail();
        EXPECT_EQ(delivered["payload"]["event"], "RECOVERED");
        EXPECT_EQ(delivered["payload"]["recovery"]["debtor_objected"], r.objected) << delivered.dump(2);
        EXPECT_EQ(delivered["payload"]["recovery"]["closed_structure_entered"], r.closedStructure);
    }
}

TEST(PolicyScenarios, ARecoveryStartsTheInventoryClockAnOverdueInventoryIsAlertedAndAFeeForBelongingsIsFlagged) {
    TestReceiver firm;
    TestReceiver operatorDesk;
    WorldOptions options = lifecycleWorld(firm);
    options.alertWebhookUrl = operatorDesk.url("/ops/alerts");  // and a clock pass every second
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const std::string caseId =
        openedCase(daemon, firm, notice("PS-C7-N", "7781009901", "NOT_ACTIVE"), order("PS-C7", "7781009901"));

    // The firm reports, three days late, a recovery it never sent the 48-hour inventory for.
    const std::time_t now = std::time(nullptr);
    json event = json::parse(recovery(caseId, "PS-C7"));
    event["event_id"] = "PS-C7-RECOVERED";
    event["occurred_at"] = arizonaTime(now - 3 * kDay);
    event.erase("interactions");
    const std::string recoveredId = postAsFirm(daemon, event);
    json timeline = caseOf(daemon, caseId);
    json due = onlyDecision(decisionsOf(timeline, "C7", "DERIVE"), timeline);
    EXPECT_EQ(due["message_id"], recoveredId);
    EXPECT_EQ(due["decision"]["facts"]["inventory_due_at"], arizonaTime(now - kDay)) << due.dump(2);
    EXPECT_EQ(due["decision"]["parameters"]["inventory_hours"], 48);

    // The clock finds it overdue: an operator sees the alert listed for the case.
    const auto inventoryAlerts = [&] {
        std::vector<json> out;
        json listed = adminGet(daemon.adminPort(), "/admin/v1/alerts?case=" + caseId, kViewerToken).json();
        for (const json &alert : listed["alerts"])
            if (alert["kind"] == "policy:C7") out.push_back(alert);
        return out;
    };
    ASSERT_TRUE(eventually([&] { return !inventoryAlerts().empty(); }, 30s)) << daemon.logTail();
    json alert = inventoryAlerts().front();
    EXPECT_EQ(alert["severity"], "warning") << alert.dump(2);
    EXPECT_EQ(alert["partner"], kRepoFirm);
    EXPECT_EQ(alert["detail"]["facts"]["assignment_id"], "PS-C7");
    EXPECT_EQ(alert["detail"]["facts"]["occurred_at"], event["occurred_at"]);

    // The borrower gets her child's car seat back only for a storage fee: flagged; the free toolbox is not counted.
    json released = firmEvent("outcome.property_released", "PS-C7-RELEASED", caseId, "PS-C7");
    released["personal_property"] = json::array(
        {{{"description", "Child car seat"}, {"qty", 1}, {"released_on", arizona(0, false)}, {"release_fee", 35.00}},
         {{"description", "Toolbox"}, {"qty", 1}, {"released_on", arizona(0, false)}, {"release_fee", 0}}});
    const std::string releasedId = postAsFirm(daemon, released);
    timeline = caseOf(daemon, caseId);
    json fee = onlyDecision(decisionsOf(timeline, "C7", "FLAG"), timeline);
    EXPECT_EQ(fee["message_id"], releasedId);
    EXPECT_EQ(fee["decision"]["facts"]["items_with_fee"], 1) << fee.dump(2);
}

TEST(PolicyScenarios, AnAuctionWaitsForADispositionNoticeAndARedemptionCancelsTheAuctionAFirmHolds) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    const auto auction = [](const std::string &key, const std::string &account) {
        json message = order(key, account);
        message["payload"]["order_type"] = "AUCTION";
        return message;
    };

    // The lender sent the notice of disposition 12 days ago (C8 asks for 10): the auction order goes out.
    json noticed = notice("PS-C8-N", "7781006601", "NOT_ACTIVE");
    noticed["payload"]["notices_sent"] = json::array({{{"type", "DISPOSITION"}, {"sent_date", arizona(12, false)}}});
    Daemon daemon(world);
    daemon.start();
    const std::string caseId = openedCase(daemon, firm, noticed, auction("PS-C8-AUCTION", "7781006601"));
    EXPECT_EQ(received(firm, "assignment.opened")[0]["assignment"]["order"], "AUCTION");
    const json allowedTimeline = caseOf(daemon, caseId);
    json allowed = onlyDecision(decisionsOf(allowedTimeline, "C8", "ALLOW"), allowedTimeline);
    EXPECT_EQ(allowed["decision"]["facts"]["disposition_notice_sent"], arizona(12, false)) << allowed.dump(2);

    // Another loan's notice names none: its auction order waits.
    post(daemon, notice("PS-C8-N2", "7781006602", "NOT_ACTIVE"));
    json ack;
    const std::string held = post(daemon, auction("PS-C8-AUCTION-2", "7781006602"), &ack);
    ASSERT_EQ(ack["errors"].size(), 1u) << ack.dump();
    EXPECT_EQ(ack["errors"][0]["code"], "policy_held");
    EXPECT_EQ(ack["errors"][0]["text"].get<std::string>().rfind("C8: ", 0), 0u) << ack.dump();
    json waiting = message(daemon, held);
    EXPECT_EQ(waiting["deliveries"][0].value("held_by", "").rfind("C8: ", 0), 0u) << waiting.dump();
    const json heldTimeline = caseOf(daemon, waiting["case_id"].get<std::string>());
    json hold = onlyDecision(decisionsOf(heldTimeline, "C8", "HOLD"), heldTimeline);
    EXPECT_EQ(hold["decision"]["parameters"]["disposition_notice_days"], 10) << hold.dump(2);
    EXPECT_FALSE(hold["decision"]["facts"].contains("disposition_notice_sent")) << hold.dump(2);

    // The first borrower redeems the car: the firm is told to cancel the sale.
    const std::string redeemedId =
        postAsFirm(daemon, firmEvent("outcome.redeemed", "PS-C8-REDEEMED", caseId, "PS-C8-AUCTION"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.cancelled").size() == 1; }, 30s))
        << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.cancelled")[0]["assignment"]["number"], "PS-C8-AUCTION");
    const json timeline = caseOf(daemon, caseId);
    json cancel = onlyDecision(decisionsOf(timeline, "C8", "CANCEL"), timeline);
    EXPECT_EQ(cancel["message_id"], redeemedId);
    EXPECT_EQ(cancel["decision"]["firms"], json::array({kRepoFirm})) << cancel.dump(2);
    EXPECT_EQ(cancel["decision"]["facts"]["open_auction_orders"], 1);

    // The lender hears of the redemption, coded for its credit reporting (Metro 2 AZ).
    json delivered;
    ASSERT_TRUE(eventually([&] { return (delivered = droppedFor(world, kLender, redeemedId)).is_object(); }, 30s))
        << daemon.logTail();
    EXPECT_EQ(delivered["payload"]["metro2"]["special_comment"], "AZ") << delivered.dump(2);
    EXPECT_EQ(received(firm, "assignment.opened").size(), 1u) << "the held auction order never went out";
}

TEST(PolicyScenarios, AContactOutsideTheWindowInTheBorrowersLocalTimeIsFlagged) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string caseId = openedCase(daemon, firm, inGlendale(notice("PS-C9-N", "7781005501", "NOT_ACTIVE")),
                                          order("PS-C9", "7781005501"));

    // A neighbour at mid-morning is fine; the agent's phone, still on California time, logs the call to the
    // borrower at 20:30, which was 21:30 in Glendale: after the window.
    const std::string day = arizona(1, false);
    json located = firmEvent("outcome.located", "PS-C9-LOCATED", caseId, "PS-C9");
    located["interactions"] =
        json::array({{{"at", day + "T10:15:00-07:00"}, {"channel", "door_knock"}, {"with", "third_party"}},
                     {{"at", day + "T20:30:00-08:00"}, {"channel", "phone"}, {"with", "borrower"}}});
    const std::string locatedId = postAsFirm(daemon, located);

    const json timeline = caseOf(daemon, caseId);
    json flag = onlyDecision(decisionsOf(timeline, "C9", "FLAG"), timeline);
    EXPECT_EQ(flag["message_id"], locatedId);
    json &facts = flag["decision"]["facts"];
    EXPECT_EQ(facts["interaction"], 1) << flag.dump(2);
    EXPECT_EQ(facts["channel"], "PHONE_CALL");
    EXPECT_EQ(facts["party"], "BORROWER");
    EXPECT_EQ(facts["borrower_state"], "AZ");
    EXPECT_EQ(facts["time_zones"], "America/Phoenix");
    EXPECT_EQ(facts["local_time"], "21:30");
    EXPECT_EQ(flag["decision"]["parameters"]["window_end"], "21:00");
}

TEST(PolicyScenarios, AnOrderCarriesTheCeaseAndAttorneyFlagsToTheFirmAndAContactDespiteThemIsFlagged) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781005502";

    // The borrower asked the lender to stop calling and has a lawyer; the lender's order says nothing of it.
    json restricted = inGlendale(notice("PS-C9R-N", account, "NOT_ACTIVE"));
    restricted["payload"]["flags"]["cease_communication"] = true;
    restricted["payload"]["flags"]["attorney_represented"] = true;
    const std::string caseId = openedCase(daemon, firm, restricted, order("PS-C9R", account));
    json timeline = caseOf(daemon, caseId);
    json derived = onlyDecision(decisionsOf(timeline, "C9", "DERIVE"), timeline);
    EXPECT_EQ(derived["decision"]["facts"]["cease_communication"], true) << derived.dump(2);
    EXPECT_EQ(derived["decision"]["facts"]["attorney_represented"], true);

    // The agent knocks on her door in the afternoon anyway: flagged though the hour is fine.
    json located = firmEvent("outcome.located", "PS-C9R-LOCATED", caseId, "PS-C9R");
    located["interactions"] =
        json::array({{{"at", arizona(1, false) + "T14:00:00-07:00"}, {"channel", "door_knock"}, {"with", "borrower"}}});
    postAsFirm(daemon, located);
    timeline = caseOf(daemon, caseId);
    json flag = onlyDecision(decisionsOf(timeline, "C9", "FLAG"), timeline);
    EXPECT_FALSE(flag["decision"]["facts"].contains("local_time")) << flag.dump(2);
    EXPECT_EQ(flag["decision"]["facts"]["cease_communication"], true);
    EXPECT_NE(flag["decision"]["reason"].get<std::string>().find("cease-communication"), std::string::npos);

    // The firm's order carries the case's restrictions, though the lender's order said "none".
    const json told = received(firm, "assignment.opened")[0]["assignment"]["contact_restrictions"];
    EXPECT_EQ(told["cease_communication"], true) << told.dump();
    EXPECT_EQ(told["attorney_represented"], true) << told.dump();
}

}  // namespace
}  // namespace lendgate::e2e
