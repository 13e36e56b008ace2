// Desert Valley Bank's nightly file over SFTP, as the bank sends it: the real
// sshd (`lendgate sftp serve`), the real OpenSSH sftp client uploading
// NAME.partial and renaming it, the real daemon journaling it and answering
// with the bank's ACK CSV in outbound/, which the bank downloads. Afterwards
// nothing in the bank's chroot holds what it sent.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_scan.h"
#include "tests/e2e/e2e_sftp.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kBank = "desert-valley-bank";
const std::string kFile = "DVB_DELQ_20261123_001.csv";

std::vector<fs::path> filesUnder(const fs::path &dir) {
    std::vector<fs::path> files;
    for (const auto &entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
    return files;
}

TEST(SftpDrop, TheBanksUploadIsJournaledAnsweredWithItsAckCsvAndLeavesNothingInTheChroot) {
    if (!fs::exists("/usr/sbin/sshd")) GTEST_SKIP() << "no /usr/sbin/sshd: install openssh-server (CI has it)";
    if (::geteuid() != 0) GTEST_SKIP() << "the drop-folder server chroots partners: run as root (CI does)";

    SftpRoot root;
    const std::uint16_t port = freePort();
    WorldOptions options;
    options.sftp = nlohmann::json{{"root", root.path().string()},
                                  {"listen", {{"host", "127.0.0.1"}, {"port", port}}},
                                  {"user_prefix", "lge2e" + std::to_string(::getpid() % 100000) + "-"},
                                  {"quiet_period_ms", 500}};
    GatewayWorld world(options);
    root.user = "lge2e" + std::to_string(::getpid() % 100000) + "-" + kBank;
    const fs::path key = world.root() / "bank_key";
    ASSERT_EQ(test::runCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.string()}).exitCode,
              0);

    const auto provisioned = test::runCommand({lendgateCli().string(), "sftp", "provision", kBank, "--config",
                                               world.configFile().string(), "--key", key.string() + ".pub"});
    ASSERT_EQ(provisioned.exitCode, 0) << provisioned.err;
    SftpServer server(world.configFile(), world.root() / "sshd.log");
    ASSERT_TRUE(eventually([&] { return accepting(port); }, 20s)) << readText(world.root() / "sshd.log");
    Daemon daemon(world);
    daemon.start();

    const fs::path sample = sourceDir() / "samples" / kBank / kFile;
    const fs::path got = world.root() / "downloaded_ack.csv";
    auto sftp = [&](const std::string &commands) {
        writeText(world.root() / "batch", commands);
        return test::runCommand({"/usr/bin/timeout", "60", "/usr/bin/sftp", "-b", (world.root() / "batch").string(),
                                 "-i", key.string(), "-P", std::to_string(port), "-o", "BatchMode=yes", "-o",
                                 "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                 root.user + "@127.0.0.1"});
    };
    // The convention: upload under NAME.partial, rename when complete.
    const auto upload = sftp("cd inbound\nput " + sample.string() + " " + kFile + ".partial\nrename " + kFile +
                             ".partial " + kFile + "\n");
    ASSERT_EQ(upload.exitCode, 0) << upload.err << readText(world.root() / "sshd.log");

    const fs::path outbound = root.path() / kBank / "outbound";
    ASSERT_TRUE(eventually([&] { return fs::exists(outbound / ("ACK_" + kFile)); }, 30s)) << daemon.logTail();
    const auto download = sftp("get outbound/ACK_" + kFile + " " + got.string() + "\nrm outbound/ACK_" + kFile + "\n");
    ASSERT_EQ(download.exitCode, 0) << download.err;
    const std::string ack = readText(got);
    EXPECT_EQ(ack.rfind("RECORD_TYPE,RECORD_NO,STATUS,MESSAGE_ID,SENDER_KEY,", 0), 0u) << ack;
    EXPECT_NE(ack.find("\nH," + kFile + ","), std::string::npos) << ack;
    EXPECT_NE(ack.find("\nD,8,ACCEPTED,"), std::string::npos) << ack;
    EXPECT_NE(ack.find("\nT,8,8,8,0,"), std::string::npos) << ack;

    // Journaled: the admin API lists the bank's 8 notices, via sftp.
    const auto messages = listAllMessages(daemon.adminPort(), kBank);
    EXPECT_EQ(messages.size(), 8u);

    // The bank's bytes are in the (encrypted) blob store only.
    const std::string original = readText(sample);
    EXPECT_TRUE(eventually([&] { return fs::is_empty(root.path() / kBank / "inbound"); }, 10s));
    EXPECT_TRUE(fs::is_empty(root.path() / ".processing" / kBank));
    for (const auto &file : filesUnder(root.path() / kBank)) {
        const std::string text = readText(file);
        EXPECT_NE(text, original) << file;
        EXPECT_EQ(text.find("4401009817"), std::string::npos) << file << " holds an account number";
    }
    // And the bank cannot get out of its folder or run anything.
    const auto escape = sftp("get /etc/passwd " + (world.root() / "passwd").string() + "\n");
    EXPECT_NE(escape.exitCode, 0);
    EXPECT_FALSE(fs::exists(world.root() / "passwd"));
    EXPECT_TRUE(server.running());

    // No SSN or account number of the file is anywhere in the clear: not in
    // the chroots or processing folders, the journal, the blobs or the logs.
    ASSERT_EQ(daemon.terminate(30s), 0);
    std::string leaks;
    for (const auto &hit : findClearValues({root.path(), world.root()}, personalValuesOfBankCsv(original)))
        leaks += hit + "\n";
    EXPECT_EQ(leaks, "");
}

}  // namespace
}  // namespace lendgate::e2e
