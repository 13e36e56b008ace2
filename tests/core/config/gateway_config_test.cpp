#include "core/config/gateway_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/referral/hsds_directory.h"
#include "tests/support/run_command.h"

namespace lendgate::config {
namespace {

namespace fs = std::filesystem;
using test::writeFile;

// A configuration folder of its own per test, with one partner to start from.
class ConfigFolder : public ::testing::Test {
protected:
    void SetUp() override {
        dir = test::makeTempDir("lendgate-config");
        fs::create_directories(dir + "/partners");
        writeFile(dir + "/json.json", R"({"output":"jsonl"})");
        writeFile(dir + "/routes.json", R"({"version":1,"rules":[]})");
        writeFile(dir + "/lendgate.json", R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                                              R"(","partners_dir":"partners","routes":"routes.json"})");
    }
    void TearDown() override { fs::remove_all(dir); }

    void writePartner(const std::string &id, const std::string &body) {
        writeFile(dir + "/partners/" + id + ".json", body);
    }

    LoadedConfig load() { return loadGatewayConfig(dir + "/lendgate.json"); }

    // Every problem as "file-name: /pointer: message".
    std::vector<std::string> errors(const LoadedConfig &loaded) {
        std::vector<std::string> out;
        for (const auto &p : loaded.problems)
            if (!p.warning) out.push_back(p.file.filename().string() + ": " + p.pointer + ": " + p.message);
        return out;
    }

    static std::string lender(const std::string &extra = "") {
        return R"({"id":"desert-valley-bank","name":"Desert Valley Bank","role":"lender",
                   "inbound":{"delinquency_notice":{"plugin":"json","plugin_config":"../json.json"}},
                   "outbound":{"ack":{"plugin":"json","plugin_config":"../json.json"}},
                   "channels":[{"type":"http"}],
                   "endpoints":[{"id":"outbox","type":"pull"}],
                   "credentials":{"api_keys":[{"id":"k1","prefix":"lgk_dvb1","sha256":")" +
               std::string(64, 'a') + R"("}]})" + extra + "}";
    }

    std::string dir;
};

bool contains(const std::vector<std::string> &lines, const std::string &needle) {
    for (const auto &line : lines)
        if (line.find(needle) != std::string::npos) return true;
    return false;
}

TEST_F(ConfigFolder, AGoodPartnerLoads) {
    writePartner("desert-valley-bank", lender());
    LoadedConfig loaded = load();
    ASSERT_TRUE(loaded.config.has_value()) << (loaded.problems.empty() ? "" : describe(loaded.problems[0]));
    const Partner *p = loaded.config->partner("desert-valley-bank");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->role, model::PartnerRole::Lender);
    ASSERT_NE(p->inboundFormat(model::MessageType::DelinquencyNotice), nullptr);
    EXPECT_EQ(p->inboundFormat(model::MessageType::DelinquencyNotice)->pluginConfig, fs::path(dir) / "json.json");
}

TEST_F(ConfigFolder, UnknownKeyNamesFileAndKey) {
    writePartner("desert-valley-bank", lender(R"(,"colour":"red")"));
    LoadedConfig loaded = load();
    EXPECT_FALSE(loaded.config.has_value());
    EXPECT_TRUE(contains(errors(loaded), "desert-valley-bank.json: /: ")) << describe(loaded.problems.at(0));
    EXPECT_TRUE(contains(errors(loaded), "colour"));
}

TEST_F(ConfigFolder, RoleMayNotSendTheType) {
    writePartner("sonoran-family-services",
                 R"({"id":"sonoran-family-services","name":"Sonoran Family Services","role":"nonprofit",
                     "inbound":{"repossession_outcome":{"plugin":"json","plugin_config":"../json.json"}}})");
    EXPECT_TRUE(contains(errors(load()),
                         "sonoran-family-services.json: /inbound/repossession_outcome: a nonprofit may not send"));
}

TEST_F(ConfigFolder, RoleMayNotReceiveTheType) {
    writePartner("valley-recovery", R"({"id":"valley-recovery","name":"Valley Recovery","role":"repo_firm",
        "outbound":{"delinquency_notice":{"plugin":"json","plugin_config":"../json.json"}},
        "endpoints":[{"id":"outbox","type":"pull"}]})");
    EXPECT_TRUE(contains(errors(load()), "/outbound/delinquency_notice: a repo_firm may not receive"));
}

TEST_F(ConfigFolder, MissingPluginIsNamedAtItsPointer) {
    std::string body = lender();
    body.replace(body.find("\"plugin\":\"json\""), 15, "\"plugin\":\"xmlx\"");
    writePartner("desert-valley-bank", body);
    EXPECT_TRUE(contains(errors(load()), "/inbound/delinquency_notice/plugin: plugin "));
    EXPECT_TRUE(contains(errors(load()), "lendgate-plugin-xmlx.so: file not found"));
}

TEST_F(ConfigFolder, PluginConfigIsCheckedAgainstThePluginsSchema) {
    writeFile(dir + "/json.json", R"({"output":"jsonl","colour":"red"})");
    writePartner("desert-valley-bank", lender());
    auto lines = errors(load());
    EXPECT_TRUE(contains(lines, "/inbound/delinquency_notice/plugin_config: config ")) << lines.at(0);
    EXPECT_TRUE(contains(lines, "colour"));
}

TEST_F(ConfigFolder, PluginMustHandleTheBoundType) {
    std::string body = lender();
    body.replace(body.find("\"plugin\":\"json\""), 15, "\"plugin\":\"delimited\"");
    writePartner("desert-valley-bank", body);
    // The delimited plugin decodes delinquency notices but its config is json's: the config check names it.
    EXPECT_FALSE(load().config.has_value());
}

TEST_F(ConfigFolder, FileNameMustMatchId) {
    writePartner("dvb", lender());
    EXPECT_TRUE(contains(errors(load()), "dvb.json: /id: does not match the file name"));
}

TEST_F(ConfigFolder, InlineSecretsAreRefused) {
    writePartner("valley-recovery", R"({"id":"valley-recovery","name":"Valley Recovery","role":"repo_firm",
        "outbound":{"repossession_assignment":{"plugin":"json","plugin_config":"../json.json"}},
        "endpoints":[{"id":"hook","type":"webhook","url":"http://127.0.0.1:9/x","signing_secret":{"value":"hunter2"}}]})");
    LoadedConfig loaded = load();
    EXPECT_TRUE(contains(errors(loaded), "valley-recovery.json: /endpoints/0/signing_secret"));
    for (const auto &p : loaded.problems) EXPECT_EQ(describe(p).find("hunter2"), std::string::npos);
}

TEST_F(ConfigFolder, WebhookWithoutSigningSecretIsRefused) {
    writePartner("valley-recovery", R"({"id":"valley-recovery","name":"Valley Recovery","role":"repo_firm",
        "outbound":{"repossession_assignment":{"plugin":"json","plugin_config":"../json.json"}},
        "endpoints":[{"id":"hook","type":"webhook","url":"http://127.0.0.1:9/x"}]})");
    EXPECT_TRUE(contains(errors(load()), "/endpoints/0: a webhook endpoint needs a signing_secret"));
}

TEST_F(ConfigFolder, WeakSynchronousNeedsExplicitConsent) {
    writePartner("desert-valley-bank", lender());
    writeFile(dir + "/lendgate.json", R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                                          R"(","partners_dir":"partners","routes":"routes.json",
                                             "journal":{"synchronous":"NORMAL"}})");
    EXPECT_TRUE(contains(errors(load()), "lendgate.json: /journal/synchronous: synchronous=NORMAL can lose"));
    writeFile(dir + "/lendgate.json", R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                                          R"(","partners_dir":"partners","routes":"routes.json",
                                             "journal":{"synchronous":"NORMAL","allow_unsafe_synchronous":true}})");
    EXPECT_TRUE(load().config.has_value());
}

TEST_F(ConfigFolder, ASchemaLimitIsNamedAsTheSchemaWritesIt) {
    writePartner("desert-valley-bank", lender());
    writeFile(dir + "/lendgate.json", R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                                          R"(","partners_dir":"partners","routes":"routes.json",
                                             "retention":{"days":0}})");
    const auto problems = errors(load());
    EXPECT_TRUE(contains(problems, "lendgate.json: /retention/days: ")) << ::testing::PrintToString(problems);
    EXPECT_TRUE(contains(problems, "greater than or equal to 1")) << ::testing::PrintToString(problems);
    EXPECT_FALSE(contains(problems, "*")) << "a limit is not personal data: " << ::testing::PrintToString(problems);
}

TEST_F(ConfigFolder, DuplicateKeyInAPartnerFileIsRefused) {
    writePartner("desert-valley-bank", R"({"id":"desert-valley-bank","id":"x","name":"n","role":"lender"})");
    EXPECT_TRUE(contains(errors(load()), "desert-valley-bank.json: /id: member appears more than once"));
}

TEST_F(ConfigFolder, AllProblemsAreReportedAtOnce) {
    writePartner("dvb", lender());
    writePartner("sonoran-family-services", R"({"id":"sonoran-family-services","name":"S","role":"nonprofit",
        "inbound":{"repossession_outcome":{"plugin":"json","plugin_config":"../json.json"}}})");
    EXPECT_GE(errors(load()).size(), 2u);
}

TEST_F(ConfigFolder, RoutesAreCheckedAgainstThePartners) {
    writePartner("desert-valley-bank", lender());
    writeFile(dir + "/routes.json",
              R"({"version":1,"rules":[{"id":"notices","match":{"message_types":["delinquency_notice"]},
        "destinations":["copper-state-lossmit"]}]})");
    auto lines = errors(load());
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(contains(lines, "routes.json: /rules/0/destinations/0: ")) << lines.at(0);
}

TEST_F(ConfigFolder, ThePoliciesFileIsLoadedAndItsProblemsNameItsPointers) {
    writePartner("desert-valley-bank", lender());
    writeFile(dir + "/lendgate.json", R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                                          R"(","partners_dir":"partners","routes":"routes.json",
        "policies":"policies.json"})");
    auto missing = errors(load());
    EXPECT_TRUE(contains(missing, "lendgate.json: /policies: file not found: ")) << missing.at(0);

    fs::copy_file(std::string(SOURCE_DIR) + "/config/policies.json", dir + "/policies.json");
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << errors(loaded).at(0);
    ASSERT_TRUE(loaded.config->policies);

    std::string text = test::readFile(dir + "/policies.json");
    text.replace(text.find("\"C1\": {\"enabled\": true, \"certificate_max_age_days\": 30}"), 55,
                 "\"C1\": {\"enabled\": true, \"certificate_max_age_days\": -3}");
    writeFile(dir + "/policies.json", text);
    auto lines = errors(load());
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(contains(lines, "policies.json: /policies/C1/certificate_max_age_days: ")) << lines.at(0);
}

TEST_F(ConfigFolder, TheAlertsSectionSetsTheClockAndASignedOperatorWebhook) {
    writePartner("desert-valley-bank", lender());
    const std::string head = R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                             R"(","partners_dir":"partners","routes":"routes.json",)";
    writeFile(dir + "/ops.secret", "lgs_ops_secret");
    writeFile(dir + "/lendgate.json", head + R"("alerts":{"clock_interval_seconds":30,"watch_days":120,
        "webhook":{"url":"https://ops.example.org/lendgate","signing_secret":{"file":"ops.secret"}}}})");
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << errors(loaded).at(0);
    EXPECT_EQ(loaded.config->alerts.clockIntervalSeconds, 30u);
    EXPECT_EQ(loaded.config->alerts.watchDays, 120u);
    ASSERT_TRUE(loaded.config->alerts.webhook);
    EXPECT_EQ(loaded.config->alerts.webhook->url, "https://ops.example.org/lendgate");
    EXPECT_EQ(loaded.config->alerts.webhook->signingSecret->name, dir + "/ops.secret");

    // Only the daemon's key ring opens sealed secrets, and they are partners'.
    writeFile(dir + "/lendgate.json", head + R"("alerts":{"webhook":{"url":"https://ops.example.org/lendgate",
        "signing_secret":{"sealed":"secrets/ops.sealed"}}}})");
    auto lines = errors(load());
    EXPECT_TRUE(contains(lines, "lendgate.json: /alerts/webhook/signing_secret: ")) << lines.at(0);
    // An unsigned operator webhook is refused by the schema.
    writeFile(dir + "/lendgate.json", head + R"("alerts":{"webhook":{"url":"https://ops.example.org/lendgate"}}})");
    lines = errors(load());
    EXPECT_TRUE(contains(lines, "lendgate.json: /alerts/webhook: ")) << lines.at(0);
}

// A repo firm whose first endpoint is `endpoint` (JSON), receiving `types` through the json plugin.
std::string repoFirm(const std::string &endpoint, std::vector<std::string> types = {"repossession_assignment"}) {
    std::string outbound;
    for (const auto &type : types)
        outbound += (outbound.empty() ? "" : ",") +
                    ("\"" + type + "\":{\"plugin\":\"json\",\"plugin_config\":\"../json.json\"}");
    return R"({"id":"mesa-asset-recovery","name":"Mesa","role":"repo_firm","outbound":{)" + outbound +
           R"(},"endpoints":[)" + endpoint + "]}";
}

TEST_F(ConfigFolder, ABatchingFileEndpointLoads) {
    writePartner("mesa-asset-recovery",
                 repoFirm(R"({"id":"drop","type":"directory","path":"out","batch":{"window_seconds":3600,
                             "max_records":5000,"file_name":"MESA_ASSIGN_{date:%Y%m%d}_{seq:03}.txt"}})"));
    LoadedConfig loaded = load();
    ASSERT_TRUE(loaded.config.has_value()) << (loaded.problems.empty() ? "" : describe(loaded.problems[0]));
    const Endpoint &drop = loaded.config->partner("mesa-asset-recovery")->endpoints.at(0);
    ASSERT_TRUE(drop.batch.has_value());
    EXPECT_EQ(drop.batch->windowSeconds, 3600u);
    EXPECT_EQ(drop.batch->maxRecords, 5000u);
    std::string why;
    EXPECT_EQ(formatBatchFileName(drop.batch->fileName,
                                  {"mesa-asset-recovery", "repossession_assignment", 1764000000000, 7, ".txt"}, why),
              "MESA_ASSIGN_20251124_007.txt")
        << why;
}

TEST_F(ConfigFolder, BadBatchSettingsAreNamedAtTheirPointer) {
    auto batching = [](const std::string &type, const std::string &batch) {
        return R"({"id":"drop","type":")" + type + R"(","path":"out","batch":)" + batch + "}";
    };
    const std::string good = R"("file_name":"M_{date:%Y%m%d}_{seq}.txt")";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {repoFirm(R"({"id":"pull","type":"pull","batch":{"window_seconds":60,)" + good + "}}"),
         "mesa-asset-recovery.json: /endpoints/0/batch: only a directory or sftp_push endpoint"},
        {repoFirm(batching("directory", "{" + good + "}")),
         "/endpoints/0/batch: needs window_seconds, max_records or both"},
        {repoFirm(batching("directory", R"({"window_seconds":60,"file_name":"M_{date:%Y%m%d}.txt"})")),
         "/endpoints/0/batch/file_name: needs {seq}"},
        {repoFirm(batching("directory", R"({"window_seconds":60,"file_name":"M_{date:%Y%m}_{seq}.txt"})")),
         "/endpoints/0/batch/file_name: needs a {date:...} naming the day"},
        {repoFirm(batching("directory", R"({"window_seconds":60,"file_name":"M_{date:%Y%m%d}_{seq}_{case}"})")),
         "/endpoints/0/batch/file_name: {case} is not a placeholder"},
        {repoFirm(batching("directory", "{\"window_seconds\":60," + good + "}"), {"repossession_assignment", "ack"}),
         "/endpoints/0/batch/file_name: needs {type}"},
    };
    for (const auto &[partner, expected] : cases) {
        writePartner("mesa-asset-recovery", partner);
        LoadedConfig loaded = load();
        EXPECT_FALSE(loaded.config.has_value()) << expected;
        EXPECT_TRUE(contains(errors(loaded), expected))
            << expected << "\n got: " << (errors(loaded).empty() ? "no error" : errors(loaded).front());
    }
}

// A nonprofit's HSDS directory: loaded at start-up, validated against the
// official HSDS 3.0 schemas beside lendgate.json, with the need mapping.
TEST_F(ConfigFolder, ANonprofitsDirectoryIsLoadedValidatedAgainstHsdsAndItsNeedsMapped) {
    const fs::path source = SOURCE_DIR;
    fs::create_directories(dir + "/schemas");
    fs::copy(source / "config/schemas/hsds", dir + "/schemas/hsds", fs::copy_options::recursive);
    const std::string directory = test::readFile((source / "config/directories/sonoran-family-services.json").string());
    writeFile(dir + "/sonoran.json", directory);
    const std::string head = R"({"data_dir":"var","plugin_dir":")" + std::string(PLUGIN_DIR) +
                             R"(","partners_dir":"partners","routes":"routes.json",)";
    writeFile(dir + "/lendgate.json", head + R"("referrals":{"needs":{"food-insecurity":["BD-1800.2000"]}}})");
    const auto nonprofit = [](const std::string &directoryFile) {
        return R"({"id":"sonoran-family-services","name":"Sonoran","role":"nonprofit",
                   "outbound":{"referral":{"plugin":"json","plugin_config":"../json.json"}},
                   "endpoints":[{"id":"outbox","type":"pull"}],
                   "directory":{"file":")" +
               directoryFile + R"(","needs":["food-insecurity"]}})";
    };
    writePartner("sonoran-family-services", nonprofit("../sonoran.json"));
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << errors(loaded).at(0);
    const Partner *sonoran = loaded.config->partner("sonoran-family-services");
    ASSERT_NE(sonoran, nullptr);
    ASSERT_NE(sonoran->directory, nullptr);
    EXPECT_EQ(sonoran->directory->services.size(), 5u);
    EXPECT_EQ(sonoran->referralNeeds, std::vector<model::NeedCode>{model::NeedCode::FoodInsecurity});
    EXPECT_EQ(loaded.config->referrals.needTerms.at(model::NeedCode::FoodInsecurity),
              std::vector<std::string>{"BD-1800.2000"});

    // A directory HSDS does not accept is named with the partner file, its pointer and the directory's own.
    auto broken = nlohmann::json::parse(directory);
    broken[0]["status"] = "open";
    writeFile(dir + "/sonoran.json", broken.dump());
    auto lines = errors(load());
    EXPECT_TRUE(contains(lines, "sonoran-family-services.json: /directory/file: not valid HSDS 3.0: ")) << lines.at(0);
    EXPECT_TRUE(contains(lines, "/0/status")) << lines.at(0);
    writePartner("sonoran-family-services", nonprofit("../missing.json"));
    lines = errors(load());
    EXPECT_TRUE(contains(lines, "sonoran-family-services.json: /directory/file: ")) << lines.at(0);

    // Need codes are the one vocabulary; only a nonprofit has a directory.
    writeFile(dir + "/sonoran.json", directory);
    writePartner("sonoran-family-services", nonprofit("../sonoran.json"));
    writeFile(dir + "/lendgate.json", head + R"("referrals":{"needs":{"rides":["BT-8500"]}}})");
    lines = errors(load());
    EXPECT_TRUE(contains(lines, "lendgate.json: /referrals/needs/rides: is not a need code")) << lines.at(0);
    writeFile(dir + "/lendgate.json", head + R"("referrals":{}})");
    writePartner("desert-valley-bank", lender(R"(,"directory":{"file":"../sonoran.json"})"));
    lines = errors(load());
    EXPECT_TRUE(contains(lines, "desert-valley-bank.json: /directory: only a nonprofit has a service directory"))
        << lines.at(0);
}

TEST(ShippedConfig, SampleWorldPartnersLoad) {
    LoadOptions options;
    options.pluginDir = PLUGIN_DIR;
    LoadedConfig loaded = loadGatewayConfig(std::string(SOURCE_DIR) + "/config/lendgate.json", options);
    for (const auto &p : loaded.problems) EXPECT_TRUE(p.warning) << describe(p);
    ASSERT_TRUE(loaded.config.has_value());
    EXPECT_EQ(loaded.config->partners.size(), 8u);
    ASSERT_NE(loaded.config->routes, nullptr);
    EXPECT_GT(loaded.config->routes->size(), 0u);
    const Partner *mesa = loaded.config->partner("mesa-asset-recovery");
    ASSERT_NE(mesa, nullptr);
    ASSERT_TRUE(mesa->endpoints.at(0).batch.has_value()) << "Mesa takes assignments as batch files";
}

}  // namespace
}  // namespace lendgate::config
