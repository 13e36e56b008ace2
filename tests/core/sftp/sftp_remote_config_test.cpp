// sftp_pull channels and sftp_push endpoints in a partner file: read with
// their defaults, and every mistake named by file and JSON Pointer, the way
// `lendgate config check` prints it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/config/gateway_config.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class SftpRemoteConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path source = LENDGATE_SOURCE_DIR "/config";
        fs::copy(source / "plugins", dir_.path() / "plugins", fs::copy_options::recursive);
        fs::copy(source / "partners", dir_.path() / "partners", fs::copy_options::recursive);
        fs::copy(source / "directories", dir_.path() / "directories", fs::copy_options::recursive);
        fs::copy_file(source / "routes.json", dir_.path() / "routes.json");
        fs::copy_file(source / "policies.json", dir_.path() / "policies.json");
        gateway_ = nlohmann::json::parse(readAll(source / "lendgate.json"));
        gateway_["plugin_dir"] = LENDGATE_PLUGIN_DIR;
        bank_ = nlohmann::json::parse(readAll(source / "partners/desert-valley-bank.json"));
        fs::create_directories(dir_.path() / "partners/keys");
        std::ofstream(dir_.path() / "partners/keys/dvb_known_hosts") << "sftp.dvb.example ssh-ed25519 AAAA\n";
        std::ofstream(dir_.path() / "partners/keys/gateway_key") << "key\n";
        ::chmod((dir_.path() / "partners/keys/gateway_key").c_str(), 0600);
        pull_ = {{"type", "sftp_pull"},
                 {"host", "sftp.dvb.example"},
                 {"user", "lendgate"},
                 {"private_key", {{"file", "keys/gateway_key"}}},
                 {"known_hosts", "keys/dvb_known_hosts"},
                 {"remote_folder", "/outbox"}};
        push_ = {{"id", "dvb-sftp"},
                 {"type", "sftp_push"},
                 {"host", "sftp.dvb.example"},
                 {"port", 2022},
                 {"user", "lendgate"},
                 {"private_key", {{"file", "keys/gateway_key"}}},
                 {"known_hosts", "keys/dvb_known_hosts"},
                 {"remote_folder", "/inbox"},
                 {"file_name", "LG_{message_type}_{message_id}{ext}"},
                 {"timeout_ms", 15000}};
    }

    config::LoadedConfig load() {
        std::ofstream(dir_.path() / "lendgate.json") << gateway_.dump(2);
        std::ofstream(dir_.path() / "partners/desert-valley-bank.json") << bank_.dump(2);
        return config::loadGatewayConfig(dir_.path() / "lendgate.json");
    }

    std::string problems(const config::LoadedConfig &loaded) {
        std::string out;
        for (const auto &p : loaded.problems) out += config::describe(p) + "\n";
        return out;
    }

    lendgate::testing::TempDir dir_;
    nlohmann::json gateway_, bank_, pull_, push_;
};

TEST_F(SftpRemoteConfigTest, PullChannelsAndPushEndpointsAreReadWithTheirDefaults) {
    bank_["channels"].push_back(pull_);
    push_["message_types"] = {"repossession_outcome"};
    bank_["endpoints"].push_back(push_);
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    const auto &bank = *loaded.config->partner("desert-valley-bank");
    const auto &channel = bank.channels.back();
    ASSERT_EQ(channel.type, config::InboundChannel::Type::SftpPull);
    ASSERT_TRUE(channel.remote);
    EXPECT_EQ(channel.remote->host, "sftp.dvb.example");
    EXPECT_EQ(channel.remote->port, 22);
    EXPECT_EQ(channel.remote->user, "lendgate");
    EXPECT_EQ(channel.remote->privateKey.kind, config::SecretRef::Kind::File);
    EXPECT_EQ(channel.remote->privateKey.name, (dir_.path() / "partners/keys/gateway_key").string());
    EXPECT_EQ(channel.remote->knownHosts, dir_.path() / "partners/keys/dvb_known_hosts");
    EXPECT_EQ(channel.remote->folder, "/outbox");
    EXPECT_EQ(channel.remote->timeoutMs, 30000u);
    EXPECT_EQ(channel.pollIntervalMs, 60000u);
    EXPECT_EQ(channel.afterPullMoveTo, "") << "delete by default";
    const auto &endpoint = bank.endpoints.back();
    ASSERT_EQ(endpoint.type, config::Endpoint::Type::SftpPush);
    ASSERT_TRUE(endpoint.remote);
    EXPECT_EQ(endpoint.remote->port, 2022);
    EXPECT_EQ(endpoint.remote->folder, "/inbox");
    EXPECT_EQ(endpoint.remote->timeoutMs, 15000u);
    EXPECT_EQ(endpoint.fileName, "LG_{message_type}_{message_id}{ext}");

    bank_["channels"].back()["after_pull"] = "move:/outbox/done";
    bank_["channels"].back()["poll_interval_ms"] = 300000;
    loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    const auto &moved = loaded.config->partner("desert-valley-bank")->channels.back();
    EXPECT_EQ(moved.afterPullMoveTo, "/outbox/done");
    EXPECT_EQ(moved.pollIntervalMs, 300000u);
}

TEST_F(SftpRemoteConfigTest, MistakesAreNamedByFileAndPointer) {
    auto expectProblem = [&](const std::string &what) {
        auto loaded = load();
        EXPECT_FALSE(loaded.config);
        EXPECT_NE(problems(loaded).find(what), std::string::npos) << "wanted: " << what << "\n" << problems(loaded);
    };
    auto pull = pull_;
    pull.erase("host");
    bank_["channels"].push_back(pull);
    expectProblem("desert-valley-bank.json: /channels/2: an sftp connection needs \"host\"");

    bank_["channels"][2] = pull_;
    bank_["channels"][2]["after_pull"] = "shred";
    expectProblem("desert-valley-bank.json: /channels/2/after_pull: ");

    bank_["channels"][2]["after_pull"] = "move:/outbox";
    expectProblem("desert-valley-bank.json: /channels/2/after_pull: must move files out of the remote folder");

    bank_["channels"][2] = pull_;
    bank_["channels"][1]["host"] = "sftp.dvb.example";  // the http channel
    expectProblem("desert-valley-bank.json: /channels/1/host: only an sftp_pull channel takes this");

    bank_["channels"][1].erase("host");
    bank_["channels"][2]["poll_interval_ms"] = 10;
    expectProblem("desert-valley-bank.json: /channels/2/poll_interval_ms: ");

    bank_["channels"][2] = pull_;
    push_["file_name"] = "outcome{ext}";
    bank_["endpoints"].push_back(push_);
    expectProblem("desert-valley-bank.json: /endpoints/1/file_name: must contain {message_id}");

    push_["file_name"] = "../{message_id}";
    bank_["endpoints"][1] = push_;
    expectProblem("desert-valley-bank.json: /endpoints/1/file_name: ");

    push_.erase("file_name");
    push_["path"] = "/inbox";
    bank_["endpoints"][1] = push_;
    expectProblem("desert-valley-bank.json: /endpoints/1/path: an sftp_push endpoint names its folder with");

    push_.erase("path");
    push_.erase("known_hosts");
    bank_["endpoints"][1] = push_;
    expectProblem("desert-valley-bank.json: /endpoints/1: an sftp connection needs \"known_hosts\"");

    bank_["endpoints"][1] = push_;
    bank_["endpoints"][0]["user"] = "lendgate";  // the directory endpoint
    expectProblem("desert-valley-bank.json: /endpoints/0/user: only an sftp_push endpoint takes this");
}

TEST_F(SftpRemoteConfigTest, AMissingKnownHostsFileIsAWarningNamingWhatItMeans) {
    pull_["known_hosts"] = "keys/not_there";
    bank_["channels"].push_back(pull_);
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    EXPECT_NE(problems(loaded).find("desert-valley-bank.json: /channels/2/known_hosts: warning: file not found"),
              std::string::npos)
        << problems(loaded);
}

}  // namespace
}  // namespace lendgate::sftp
