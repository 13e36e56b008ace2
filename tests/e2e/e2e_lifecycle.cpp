#include "tests/e2e/e2e_lifecycle.h"

#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "tests/e2e/e2e_http.h"

namespace lendgate::e2e {

using delivery::testing::ReceivedRequest;
using delivery::testing::TestReceiver;
using nlohmann::json;
namespace fs = std::filesystem;

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
            const std::string &activeDutyStart) {
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
std::string post(const Daemon &daemon, const json &record, json *ackRecord) {
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

// The firm's recovery webhook for one of its assignments, in its own format.
std::string recovery(const std::string &caseId, const std::string &assignmentNumber) {
    json event = json::parse(readText(sourceDir() / "samples" / "valley-recovery" / "outcome_recovered.json"));
    event["lendgate"] = {{"case_id", caseId}};
    event["event_id"] = "LC-RECOVERED-1";
    event["assignment_number"] = assignmentNumber;
    event["occurred_at"] = arizona(0, true);
    return event.dump();
}

// The canonical message `messageId` as the partner's drop folder holds it (null until it is there).
json droppedFor(const GatewayWorld &world, const std::string &partner, const std::string &messageId) {
    std::error_code ec;
    for (const auto &file : fs::directory_iterator(world.root() / "outbound" / partner, ec)) {
        const json body = json::parse(readText(file.path()), nullptr, false);
        if (body.is_object() && body.value("message_id", "") == messageId) return body;
    }
    return nullptr;
}

// Posts one of the firm's webhook events; the gateway's message id for it.
std::string postAsFirm(const Daemon &daemon, const json &event) {
    const std::string key = event.at("event_id").get<std::string>();
    const auto answer = submit(daemon.partnerPort(), kRepoFirm, {event.dump(), "application/json", key, ""});
    const json ack = json::parse(answer.body, nullptr, false);
    if (answer.status != 202 || !ack.is_object() || ack["results"].size() != 1 ||
        !ack["results"][0].contains("gateway_message_id"))
        throw std::runtime_error("not accepted: " + std::to_string(answer.status) + " " + answer.body);
    return ack["results"][0]["gateway_message_id"].get<std::string>();
}

}  // namespace lendgate::e2e
