// Desert Valley Bank's nightly file over SFTP, as the bank sends it: the real
// sshd (`lendgate sftp serve`), the real OpenSSH sftp client uploading
// NAME.partial and renaming it, the real daemon journaling it and answering
// with the bank's ACK CSV in outbound/, which the bank downloads. Afterwards
// nothing in the bank's chroot holds what it sent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kBank = "desert-valley-bank";
const std::string kFile = "DVB_DELQ_20261123_001.csv";

std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

bool accepting(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

// The chroots (sshd wants them root-owned all the way up, so not under
// /tmp) and the partner account, removed whatever happens.
class SftpRoot {
public:
    SftpRoot() {
        char pattern[] = "/var/lib/lendgate-e2e-sftp-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
        ::chmod(pattern, 0755);
    }
    ~SftpRoot() {
        if (!user.empty() && ::getpwnam(user.c_str()) != nullptr) (void)test::runCommand({"/usr/sbin/userdel", user});
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path &path() const { return path_; }
    std::string user;

private:
    fs::path path_;
};

// `lendgate sftp serve` (which becomes sshd) as a child, killed at the end.
class SftpServer {
public:
    SftpServer(const fs::path &config, const fs::path &log) {
        const std::string cli = lendgateCli().string(), file = config.string();
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(125);
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
            ::execl(cli.c_str(), cli.c_str(), "sftp", "serve", "--config", file.c_str(), static_cast<char *>(nullptr));
            ::_exit(127);
        }
    }
    ~SftpServer() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(20ms);
        if (::waitpid(pid_, &status, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
    }
    bool running() { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

private:
    pid_t pid_ = -1;
};

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
