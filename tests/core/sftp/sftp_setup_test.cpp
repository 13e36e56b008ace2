// Names, the sshd configuration (checked by the real sshd) and provisioning
// (real accounts and chroots; as root only).
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/sftp/layout.h"
#include "core/sftp/provisioner.h"
#include "core/sftp/sshd_config.h"
#include "tests/core/intake/intake_test_support.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;

constexpr const char *kSshd = "/usr/sbin/sshd";

std::string readAll(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(DropNames, ControlCharactersSlashesAndDotNamesAreProblems) {
    EXPECT_EQ(nameProblem("DVB_DELQ_20261123_001.csv"), "");
    EXPECT_EQ(nameProblem("with space é.csv"), "");
    EXPECT_EQ(nameProblem(std::string("a\nb")), "contains control characters");
    EXPECT_EQ(nameProblem(std::string("a\0b", 3)), "contains control characters");
    EXPECT_EQ(nameProblem("a\x7f"), "contains control characters");
    EXPECT_EQ(nameProblem("../x"), "contains a slash");
    EXPECT_EQ(nameProblem(".."), "is not a file name");
    EXPECT_EQ(nameProblem(std::string(256, 'a')), "is longer than 255 bytes");
    EXPECT_TRUE(isPartial("X.csv.partial"));
    EXPECT_FALSE(isPartial(".partial"));
    EXPECT_FALSE(isPartial("X.csv"));
}

TEST(DropNames, AckFilesHaveSafeNamesWithThePluginsExtension) {
    EXPECT_EQ(ackFileName("DVB_DELQ_20261123_001.csv", ".csv"), "ACK_DVB_DELQ_20261123_001.csv");
    EXPECT_EQ(ackFileName("CAF_DQAO_1.txt", ".txt"), "ACK_CAF_DQAO_1.txt");
    EXPECT_EQ(ackFileName("MESA_1.csv", ".json"), "ACK_MESA_1.csv.json");
    EXPECT_EQ(ackFileName("../../etc/passwd", ".csv"), "ACK__._.._etc_passwd.csv");
    EXPECT_EQ(safeName(".hidden"), "_hidden");
    EXPECT_EQ(safeName(std::string(300, 'x')).size(), 200u);
}

class SftpConfigTest : public intake::testing::IntakeTest {
protected:
    void SetUp() override {
        IntakeTest::SetUp();
        if (HasFatalFailure()) return;
        config::SftpSettings sftp;
        sftp.root = "/srv/lendgate-sftp";
        sftp.port = 2299;
        sftp.hostKey = dir_.path() / "host_key";
        config_.sftp = sftp;
    }
};

TEST_F(SftpConfigTest, EachDropPartnerGetsAChrootedSftpOnlyMatchBlock) {
    auto text = renderSshdConfig(config_, dir_.path() / "sshd.pid");
    ASSERT_TRUE(text) << text.error().message;
    const auto &t = text.value();
    EXPECT_NE(t.find("Port 2299\n"), std::string::npos);
    EXPECT_NE(t.find("PasswordAuthentication no\n"), std::string::npos);
    EXPECT_NE(t.find("AuthorizedKeysFile /srv/lendgate-sftp/.keys/%u\n"), std::string::npos);
    EXPECT_NE(t.find("AllowUsers lg-cactus-auto-finance lg-desert-valley-bank lg-mesa-asset-recovery\n"),
              std::string::npos)
        << t;
    EXPECT_NE(t.find("Match User lg-desert-valley-bank\n"
                     "    ChrootDirectory /srv/lendgate-sftp/desert-valley-bank\n"
                     "    ForceCommand internal-sftp"),
              std::string::npos)
        << t;
    EXPECT_EQ(t.find("{{"), std::string::npos) << "a placeholder was left";
    // Partners without an sftp_drop channel get no account.
    EXPECT_EQ(t.find("lg-saguaro-fcu"), std::string::npos);
}

TEST_F(SftpConfigTest, TheRealSshdAcceptsTheRenderedConfiguration) {
    if (!fs::exists(kSshd)) GTEST_SKIP() << "no " << kSshd << " (install openssh-server)";
    if (::geteuid() != 0) GTEST_SKIP() << "sshd -t reads host keys and needs root";
    ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N '' -f " + (dir_.path() / "host_key").string()).c_str()), 0);
    auto text = renderSshdConfig(config_, dir_.path() / "sshd.pid");
    ASSERT_TRUE(text);
    std::ofstream(dir_.path() / "sshd_config") << text.value();
    ::mkdir("/run/sshd", 0755);
    const std::string check = std::string(kSshd) + " -t -f " + (dir_.path() / "sshd_config").string();
    EXPECT_EQ(std::system(check.c_str()), 0) << readAll(dir_.path() / "sshd_config");
}

TEST_F(SftpConfigTest, NoDropPartnersOrNoSftpSectionIsAClearError) {
    config_.sftp.reset();
    auto none = renderSshdConfig(config_, "/tmp/pid");
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("no \"sftp\" section"), std::string::npos);
}

TEST(AuthorizedKeys, KeysAreRestrictedAndOptionsOrJunkRefused) {
    auto keys = authorizedKeysFrom(
        "# the bank's key\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHoybvuDYJG+LWhII0IVgXhDnVlvcqnyvR8Kl68/hM7D dvb\n");
    ASSERT_TRUE(keys) << keys.error().message;
    EXPECT_EQ(keys.value(),
              "restrict ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHoybvuDYJG+LWhII0IVgXhDnVlvcqnyvR8Kl68/hM7D dvb\n");
    auto withOptions = authorizedKeysFrom("command=\"/bin/sh\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHoyb\n");
    ASSERT_FALSE(withOptions);
    EXPECT_NE(withOptions.error().message.find("line 1"), std::string::npos);
    EXPECT_FALSE(authorizedKeysFrom("# nothing\n"));
    EXPECT_FALSE(authorizedKeysFrom("ssh-ed25519 not*base64*at*all\n"));
}

// Real accounts and folders under /var/lib (sshd refuses chroots below a
// world-writable /tmp), removed afterwards.
class ProvisionTest : public SftpConfigTest {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "provisioning creates Unix accounts: run as root (CI does)";
        SftpConfigTest::SetUp();
        if (HasFatalFailure()) return;
        char pattern[] = "/var/lib/lendgate-sftp-test-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        root_ = pattern;
        ::chmod(root_.c_str(), 0755);
        config_.sftp->root = root_;
        config_.sftp->userPrefix = "lgut" + std::to_string(::getpid() % 100000) + "-";
        user_ = config_.sftpUser(*config_.partner("desert-valley-bank"));
        ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N '' -f " + (dir_.path() / "user_key").string()).c_str()), 0);
    }
    void TearDown() override {
        if (!user_.empty() && ::getpwnam(user_.c_str()) != nullptr)
            (void)std::system(("/usr/sbin/userdel " + user_ + " 2>/dev/null").c_str());
        std::error_code ec;
        if (!root_.empty()) fs::remove_all(root_, ec);
        SftpConfigTest::TearDown();
    }

    fs::path root_;
    std::string user_;
};

TEST_F(ProvisionTest, MakesTheAccountChrootAndKeyTheWaySshdDemandsAndCanBeRunAgain) {
    const auto &partner = *config_.partner("desert-valley-bank");
    ProvisionOptions options;
    options.publicKey = dir_.path() / "user_key.pub";
    auto report = provisionPartner(config_, partner, options);
    ASSERT_TRUE(report) << report.error().message;
    const struct passwd *account = ::getpwnam(user_.c_str());
    ASSERT_NE(account, nullptr);
    EXPECT_STREQ(account->pw_shell, "/usr/sbin/nologin");
    struct stat st {};
    ASSERT_EQ(::stat((root_ / "desert-valley-bank").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u);
    EXPECT_EQ(st.st_mode & 07777, 0755u);
    EXPECT_TRUE(checkRootOwnedPath(root_ / "desert-valley-bank"));
    ASSERT_EQ(::stat((root_ / "desert-valley-bank/inbound").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, account->pw_uid);
    EXPECT_EQ(st.st_mode & 07777, 02770u);
    ASSERT_EQ(::stat((root_ / ".keys" / user_).c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u);
    EXPECT_EQ(st.st_mode & 07777, 0644u);
    EXPECT_EQ(readAll(root_ / ".keys" / user_).rfind("restrict ssh-ed25519 ", 0), 0u);
    // Again, with the key already installed: repairs, does not fail.
    ::chmod((root_ / "desert-valley-bank").c_str(), 0775);
    auto again = provisionPartner(config_, partner);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_EQ(::stat((root_ / "desert-valley-bank").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755u);
}

TEST_F(ProvisionTest, AChrootBelowAWorldWritableFolderIsRefusedNamingIt) {
    char pattern[] = "/var/lib/lendgate-sftp-unsafe-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    ::chmod(pattern, 0777);
    config_.sftp->root = fs::path(pattern) / "root";
    ProvisionOptions options;
    options.publicKey = dir_.path() / "user_key.pub";
    auto report = provisionPartner(config_, *config_.partner("desert-valley-bank"), options);
    std::error_code ec;
    fs::remove_all(pattern, ec);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, "unsafe_path");
    EXPECT_NE(report.error().message.find(pattern), std::string::npos) << report.error().message;
}

// `lendgate config check` names the file, the pointer and the reason.
class SftpConfigCheckTest : public ::testing::Test {
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
        for (auto &channel : bank_["channels"])
            if (channel["type"] == "sftp_drop") channel.erase("path");
    }

    config::LoadedConfig load() {
        std::ofstream(dir_.path() / "lendgate.json") << gateway_.dump(2);
        std::ofstream(dir_.path() / "partners/desert-valley-bank.json") << bank_.dump(2);
        config::LoadOptions options;
        return config::loadGatewayConfig(dir_.path() / "lendgate.json", options);
    }

    std::string problems(const config::LoadedConfig &loaded) {
        std::string out;
        for (const auto &p : loaded.problems) out += config::describe(p) + "\n";
        return out;
    }

    lendgate::testing::TempDir dir_;
    nlohmann::json gateway_;
    nlohmann::json bank_;
};

TEST_F(SftpConfigCheckTest, TheSftpSectionIsReadWithDefaultsAndTheChannelsOverrides) {
    gateway_["sftp"] = {{"root", "/srv/lendgate-sftp"}, {"listen", {{"port", 2222}}}, {"quiet_period_ms", 5000}};
    bank_["channels"][0]["quiet_period_ms"] = 60000;
    bank_["channels"][0]["authorized_keys"] = "keys/dvb.pub";
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    const auto &sftp = *loaded.config->sftp;
    EXPECT_EQ(sftp.root, "/srv/lendgate-sftp");
    EXPECT_EQ(sftp.port, 2222);
    EXPECT_EQ(sftp.host, "127.0.0.1");
    EXPECT_EQ(sftp.hostKey, loaded.config->dataDir / "sftp/ssh_host_ed25519_key");
    const auto &bank = *loaded.config->partner("desert-valley-bank");
    const auto *channel = config::GatewayConfig::sftpDrop(bank);
    ASSERT_NE(channel, nullptr);
    EXPECT_EQ(channel->quietPeriodMs, 60000u);
    EXPECT_EQ(channel->authorizedKeys, dir_.path() / "partners/keys/dvb.pub");
    EXPECT_EQ(loaded.config->sftpUser(bank), "lg-desert-valley-bank");
}

TEST_F(SftpConfigCheckTest, MistakesAreNamedByFileAndPointer) {
    gateway_["sftp"] = {{"root", "/srv/lendgate-sftp"}, {"quiet_period_ms", 5}};
    auto loaded = load();
    EXPECT_FALSE(loaded.config);
    EXPECT_NE(problems(loaded).find("lendgate.json: /sftp/quiet_period_ms: "), std::string::npos) << problems(loaded);

    gateway_["sftp"] = {{"root", "/srv/lendgate-sftp"}};
    bank_["channels"][0]["user"] = "lg-a-very-long-account-name-for-the-bank";
    bank_["channels"][1]["quiet_period_ms"] = 1000;  // the http channel
    loaded = load();
    EXPECT_FALSE(loaded.config);
    const auto text = problems(loaded);
    EXPECT_NE(text.find("desert-valley-bank.json: /channels/0/user: "), std::string::npos) << text;

    bank_["channels"][0]["user"] = "lg-dvb";
    loaded = load();
    EXPECT_NE(problems(loaded).find("desert-valley-bank.json: /channels/1/quiet_period_ms: only an sftp_drop channel"),
              std::string::npos)
        << problems(loaded);
}

TEST_F(SftpConfigCheckTest, ADropChannelWithoutAnSftpSectionIsAWarningNotAnError) {
    gateway_.erase("sftp");
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    EXPECT_NE(problems(loaded).find("desert-valley-bank.json: /channels/0: warning: lendgate.json has no sftp section"),
              std::string::npos)
        << problems(loaded);
}

}  // namespace
}  // namespace lendgate::sftp
