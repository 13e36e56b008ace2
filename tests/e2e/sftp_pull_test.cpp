// sftp_pull in the real daemon: the bank's file on the bank's own SFTP
// server (a real sshd, host key pinned) is fetched, journaled and only then
// removed; a daemon SIGKILLed while the file is being pulled and restarted
// ends with the file journaled once and gone from the server.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "tests/core/sftp/test_sshd.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sftp::testing::TestSshd;

const std::string kBank = "desert-valley-bank";
const std::string kFile = "DVB_DELQ_20261123_001.csv";
constexpr std::size_t kRecords = 8;

// The bank's profile with an sftp_pull channel to `server`'s outbox.
void addPullChannel(const GatewayWorld &world, const TestSshd &server, const fs::path &outbox) {
    const fs::path file = world.root() / "partners" / (kBank + ".json");
    auto partner = nlohmann::json::parse(readText(file));
    partner["channels"].push_back({{"type", "sftp_pull"},
                                   {"host", "127.0.0.1"},
                                   {"port", server.port()},
                                   {"user", server.user()},
                                   {"private_key", {{"file", (server.root() / "client_key").string()}}},
                                   {"known_hosts", (server.root() / "known_hosts").string()},
                                   {"remote_folder", outbox.string()},
                                   {"poll_interval_ms", 1000},
                                   {"timeout_ms", 5000}});
    sftp::testing::writeText(file, partner.dump(2));
}

TEST(SftpPull, TheBanksFileIsJournaledOnceAndRemovedEvenWhenTheDaemonIsKilledWhilePulling) {
    if (const auto why = TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
    TestSshd server;
    const fs::path outbox = server.folder("home/outbox");
    GatewayWorld world;
    addPullChannel(world, server, outbox);
    const std::string sample = readText(sourceDir() / "samples" / kBank / kFile);

    Daemon daemon(world);
    daemon.start();
    // Killed at seeded moments around the poll that finds the file.
    std::mt19937 random(20261124);
    server.put(outbox / kFile, sample);
    for (int round = 0; round < 3; ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1200)(random)));
        daemon.kill9();
        daemon.start();
    }
    ASSERT_TRUE(eventually([&] { return !fs::exists(outbox / kFile); }, 30s)) << daemon.logTail();
    EXPECT_TRUE(eventually([&] { return listAllMessages(daemon.adminPort(), kBank).size() >= kRecords; }, 10s));
    // Once more under another name: the journal recognises the content.
    server.put(outbox / "DVB_DELQ_20261123_002.csv", sample);
    ASSERT_TRUE(eventually([&] { return !fs::exists(outbox / "DVB_DELQ_20261123_002.csv"); }, 30s)) << daemon.logTail();
    EXPECT_EQ(listAllMessages(daemon.adminPort(), kBank).size(), kRecords) << "journaled once, whatever the kills";
    EXPECT_NE(readText(daemon.logFile()).find("content already journaled"), std::string::npos);
}

TEST(SftpPull, AServerWithAnotherHostKeyIsRefusedAndItsFileLeftAlone) {
    if (const auto why = TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
    TestSshd server;
    const fs::path outbox = server.folder("home/outbox");
    GatewayWorld world;
    addPullChannel(world, server, outbox);
    TestSshd::keygen(server.root() / "impostor");
    server.pinnedTo(server.root() / "known_hosts", server.root() / "impostor.pub");
    server.put(outbox / kFile, readText(sourceDir() / "samples" / kBank / kFile));
    Daemon daemon(world);
    daemon.start();
    ASSERT_TRUE(
        eventually([&] { return readText(daemon.logFile()).find("is not the one pinned") != std::string::npos; }, 20s))
        << daemon.logTail();
    EXPECT_TRUE(fs::exists(outbox / kFile));
    EXPECT_TRUE(listAllMessages(daemon.adminPort(), kBank).empty());
}

}  // namespace
}  // namespace lendgate::e2e
