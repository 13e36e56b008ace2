#include "tests/e2e/e2e_world.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "tests/e2e/e2e_http.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path lendgatedBinary() {
    return LENDGATED_BINARY;
}
fs::path lendgateCli() {
    return LENDGATE_CLI_BINARY;
}
fs::path pluginDir() {
    return E2E_PLUGIN_DIR;
}
fs::path sourceDir() {
    return E2E_SOURCE_DIR;
}

TempDir::TempDir(const std::string &prefix) : path_(test::makeTempDir(prefix)) {}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string readText(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeText(const fs::path &file, const std::string &text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

GatewayWorld::GatewayWorld(WorldOptions options)
    : root_("lendgate-e2e"), dataDir_(options.dataDir.value_or(root_.path() / "data")) {
    const fs::path config = sourceDir() / "config";
    fs::copy(config / "plugins", root() / "plugins", fs::copy_options::recursive);
    fs::copy(config / "schemas", root() / "schemas", fs::copy_options::recursive);
    fs::copy(config / "directories", root() / "directories", fs::copy_options::recursive);
    fs::copy_file(config / "routes.json", root() / "routes.json");
    writeGatewayConfig(options);
    writePartners(options);
}

std::string GatewayWorld::webhookSecret(const std::string &partnerId) const {
    auto it = secretByPartner_.find(partnerId);
    return it == secretByPartner_.end() ? std::string() : it->second;
}

void GatewayWorld::writeGatewayConfig(const WorldOptions &options) {
    auto doc = json::parse(readText(sourceDir() / "config" / "lendgate.json"));
    doc["data_dir"] = dataDir_.string();
    doc["plugin_dir"] = pluginDir().string();
    doc["partners_dir"] = "partners";
    doc["routes"] = "routes.json";
    if (options.policies)
        doc["policies"] = (sourceDir() / "config" / "policies.json").string();
    else
        doc.erase("policies");
    doc["http"]["partner_api"]["port"] = 0;
    doc["http"]["admin_api"]["port"] = 0;
    if (options.maxBodyBytes) doc["http"]["max_body_bytes"] = *options.maxBodyBytes;
    doc["delivery"]["workers"] = options.deliveryWorkers;
    doc["delivery"]["initial_backoff_ms"] = options.initialBackoffMs;
    doc["delivery"]["max_backoff_ms"] = options.maxBackoffMs;
    doc["delivery"]["max_attempts"] = options.maxAttempts;
    if (options.alertWebhookUrl) {
        doc["alerts"] = {{"clock_interval_seconds", 1},
                         {"webhook",
                          {{"url", *options.alertWebhookUrl},
                           {"timeout_ms", 5000},
                           {"signing_secret", {{"env", "LENDGATE_E2E_ALERT_WEBHOOK"}}}}}};
        secretEnv_["LENDGATE_E2E_ALERT_WEBHOOK"] = alertSecret();
    }
    // Only a world that asks for drop folders watches any: the sample's root is a system folder.
    if (options.sftp)
        doc["sftp"] = *options.sftp;
    else
        doc.erase("sftp");
    writeText(configFile(), doc.dump(2));
}

void GatewayWorld::writePartners(const WorldOptions &options) {
    for (const auto &entry : fs::directory_iterator(sourceDir() / "config" / "partners")) {
        if (entry.path().extension() != ".json") continue;
        auto partner = json::parse(readText(entry.path()));
        const std::string id = partner.at("id").get<std::string>();
        for (auto &channel : partner["channels"]) {
            // A drop folder's place comes from the sftp section.
            if (channel["type"] == "sftp_drop") channel.erase("path");
            if (channel.contains("path")) channel["path"] = (root() / "inbound" / id).string();
        }
        for (auto &endpoint : partner["endpoints"]) {
            const std::string type = endpoint.at("type").get<std::string>();
            if (type == "directory") endpoint["path"] = (root() / "outbound" / id).string();
            if (type != "webhook") continue;
            auto url = options.webhookUrls.find(id);
            // Port 9 (discard) on loopback: nobody answers, deliveries retry.
            endpoint["url"] = url != options.webhookUrls.end() ? url->second : "http://127.0.0.1:9/" + id;
            if (endpoint.contains("signing_secret") && endpoint["signing_secret"].contains("env")) {
                const auto variable = endpoint["signing_secret"]["env"].get<std::string>();
                const std::string secret = "e2e-webhook-secret-of-" + id;
                secretEnv_[variable] = secret;
                secretByPartner_[id] = secret;
            }
        }
        writeText(root() / "partners" / entry.path().filename(), partner.dump(2));
    }
    writeFixtureLender();
}

void GatewayWorld::writeFixtureLender() {
    const std::string id = kFixtureLender;
    const std::string key = partnerKey(id);
    Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
    sha256.update(key);
    const json canonical = {{"plugin", "json"}, {"plugin_config", (sourceDir() / "config/plugins/json.json").string()}};
    json partner = {
        {"id", id},
        {"name", "E2E Fixture Lender"},
        {"role", "lender"},
        {"inbound",
         {{"delinquency_notice", canonical},
          {"repossession_assignment", canonical},
          {"account_update", canonical},
          {"hardship_application", canonical},
          {"hardship_decision", canonical},
          {"consent", canonical}}},
        {"outbound", {{"ack", canonical}, {"repossession_outcome", canonical}, {"referral_update", canonical}}},
        {"channels", json::array({{{"type", "http"}}})},
        {"endpoints",
         json::array({{{"id", "drop"}, {"type", "directory"}, {"path", (root() / "outbound" / id).string()}}})},
        {"credentials",
         {{"api_keys", json::array({{{"id", id + "-key"},
                                     {"prefix", key.substr(0, 12)},
                                     {"sha256", Poco::DigestEngine::digestToHex(sha256.digest())}}})}}},
    };
    writeText(root() / "partners" / (id + ".json"), partner.dump(2));
}

json partnerMessage(const std::string &goldenName, const std::string &idempotencyKey) {
    auto message =
        json::parse(readText(sourceDir() / "tests" / "core" / "model" / "golden" / "valid" / (goldenName + ".json")));
    for (const char *assigned : {"message_id", "sender", "receiver", "received_at", "case_id"}) message.erase(assigned);
    message["idempotency_key"] = idempotencyKey;
    return message;
}

json delinquencyNotice(const std::string &idempotencyKey, const std::string &accountNumber) {
    auto message = partnerMessage("delinquency_notice_minimal", idempotencyKey);
    auto &loan = message["payload"]["loan"];
    loan.erase("account_token");
    loan["account_number"] = accountNumber;
    return message;
}

json phoenixAssignment(const std::string &idempotencyKey, const std::string &accountNumber) {
    auto message = partnerMessage("repossession_assignment_new", idempotencyKey);
    auto &payload = message["payload"];
    payload["assignment_id"] = idempotencyKey;
    payload["account"] = json{{"account_number", accountNumber}};
    return message;
}

std::string jsonLines(const std::vector<json> &records) {
    std::string out;
    for (const auto &record : records) out += record.dump() + "\n";
    return out;
}

}  // namespace lendgate::e2e
