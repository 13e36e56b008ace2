// The SFTP client against a real OpenSSH server on loopback: file
// operations, and the refusals an operator must be able to act on (a host
// key that is not the pinned one, no pinned key, a key the server does not
// know), each named clearly.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>

#include "core/sftp/sftp_client.h"
#include "tests/core/sftp/test_sshd.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;
using testing::readText;
using testing::TestSshd;

class SftpClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const auto why = TestSshd::skipReason(); !why.empty()) GTEST_SKIP() << why;
        server_ = std::make_unique<TestSshd>();
    }

    std::unique_ptr<SftpClient> connect(const config::SftpRemote &remote) {
        auto client = SftpClient::connect(remote);
        EXPECT_TRUE(client) << client.error().message << "\n" << server_->log();
        return client ? std::move(client.value()) : nullptr;
    }

    std::unique_ptr<TestSshd> server_;
};

TEST_F(SftpClientTest, ListsDownloadsUploadsRenamesAndRemoves) {
    const auto folder = server_->folder("home/box");
    server_->put(folder / "a.csv", "alpha\n");
    server_->put(folder / "b.csv", std::string(100000, 'b'));
    auto client = connect(server_->remote(folder));
    ASSERT_TRUE(client);

    auto listed = client->list(folder.string());
    ASSERT_TRUE(listed) << listed.error().message;
    auto entries = listed.value();
    std::sort(entries.begin(), entries.end(), [](auto &x, auto &y) { return x.name < y.name; });
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].name, "a.csv");
    EXPECT_EQ(entries[0].size, 6u);
    EXPECT_TRUE(entries[0].regular);
    EXPECT_EQ(entries[1].size, 100000u);

    auto bytes = client->download(remotePath(folder.string(), "b.csv"), 1 << 20);
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_EQ(bytes.value(), std::string(100000, 'b'));
    auto capped = client->download(remotePath(folder.string(), "b.csv"), 1000);
    ASSERT_FALSE(capped);
    EXPECT_EQ(capped.error().code, "too_large");

    const std::string body(70000, 'u');  // more than one write request
    ASSERT_TRUE(client->upload(remotePath(folder.string(), "up.partial"), body));
    EXPECT_EQ(readText(folder / "up.partial"), body);
    auto again = client->upload(remotePath(folder.string(), "up.partial"), "x");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "exists");
    EXPECT_EQ(readText(folder / "up.partial"), body) << "an upload never replaces a file";

    ASSERT_TRUE(client->rename(remotePath(folder.string(), "up.partial"), remotePath(folder.string(), "up.csv")));
    EXPECT_FALSE(fs::exists(folder / "up.partial"));
    EXPECT_EQ(readText(folder / "up.csv"), body);
    auto over = client->rename(remotePath(folder.string(), "up.csv"), remotePath(folder.string(), "a.csv"));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "exists");
    EXPECT_EQ(readText(folder / "a.csv"), "alpha\n") << "a rename never replaces a file";

    ASSERT_TRUE(client->remove(remotePath(folder.string(), "a.csv")));
    EXPECT_FALSE(fs::exists(folder / "a.csv"));
    auto gone = client->stat(remotePath(folder.string(), "a.csv"));
    ASSERT_TRUE(gone);
    EXPECT_FALSE(gone.value().has_value());
    auto missing = client->list(folder.string() + "/nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "not_found");
}

TEST_F(SftpClientTest, AFolderTheAccountMayNotWriteIsPermissionDenied) {
    const auto locked = server_->folder("home/locked", false, 0755);
    auto client = connect(server_->remote(locked));
    ASSERT_TRUE(client);
    auto up = client->upload(remotePath(locked.string(), "x.partial"), "x");
    ASSERT_FALSE(up);
    EXPECT_EQ(up.error().code, "permission") << up.error().message;
    EXPECT_FALSE(retryableSftpError(up.error().code));
}

TEST_F(SftpClientTest, AHostKeyOtherThanThePinnedOneIsRefusedNamingTheHostAndBothFingerprints) {
    auto remote = server_->remote(server_->home());
    TestSshd::keygen(server_->root() / "impostor");
    server_->pinnedTo(server_->root() / "pinned_other", server_->root() / "impostor.pub");
    remote.knownHosts = server_->root() / "pinned_other";
    auto client = SftpClient::connect(remote);
    ASSERT_FALSE(client);
    const auto &e = client.error();
    EXPECT_EQ(e.code, "host_key");
    EXPECT_FALSE(retryableSftpError(e.code));
    EXPECT_NE(e.message.find("host 127.0.0.1 port " + std::to_string(server_->port())), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(testing::fingerprintOf(server_->root() / "host_key.pub")), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(testing::fingerprintOf(server_->root() / "impostor.pub")), std::string::npos) << e.message;
    // Refused before logging in: the server never saw our key.
    EXPECT_EQ(server_->log().find("Accepted publickey"), std::string::npos);
}

TEST_F(SftpClientTest, AServerWithNoPinnedKeyIsRefusedNotTrustedOnFirstUse) {
    auto remote = server_->remote(server_->home());
    // Pinned for another port only.
    testing::writeText(server_->root() / "other_port", "[127.0.0.1]:1 " + readText(server_->root() / "host_key.pub"));
    remote.knownHosts = server_->root() / "other_port";
    auto client = SftpClient::connect(remote);
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, "host_unknown");
    EXPECT_NE(client.error().message.find("pins no key"), std::string::npos) << client.error().message;
    EXPECT_NE(client.error().message.find(testing::fingerprintOf(server_->root() / "host_key.pub")), std::string::npos);
    EXPECT_EQ(readText(server_->root() / "other_port").find(std::to_string(server_->port())), std::string::npos)
        << "nothing is learned into known_hosts";

    remote.knownHosts = server_->root() / "no_such_file";
    auto none = SftpClient::connect(remote);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "host_unknown");
    EXPECT_NE(none.error().message.find("is missing"), std::string::npos) << none.error().message;
}

TEST_F(SftpClientTest, AKeyTheServerDoesNotKnowIsRefused) {
    auto remote = server_->remote(server_->home());
    remote.privateKey.name = (server_->root() / "other_key").string();
    auto client = SftpClient::connect(remote);
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, "auth");
    EXPECT_NE(client.error().message.find("refused the gateway's key for user " + server_->user()), std::string::npos)
        << client.error().message;
}

TEST_F(SftpClientTest, AnUnusablePrivateKeyIsAConfigurationErrorThatNeverReachesTheServer) {
    auto remote = server_->remote(server_->home());
    testing::writeText(server_->root() / "junk_key", "not a key\n");
    ::chmod((server_->root() / "junk_key").c_str(), 0600);
    remote.privateKey.name = (server_->root() / "junk_key").string();
    auto client = SftpClient::connect(remote);
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, "config");
    EXPECT_EQ(client.error().message.find("not a key"), std::string::npos) << "the key's content is never echoed";
    ::chmod((server_->root() / "client_key").c_str(), 0644);
    auto readable = SftpClient::connect(server_->remote(server_->home()));
    ASSERT_FALSE(readable);
    EXPECT_EQ(readable.error().code, "config") << "a key file others may read is refused";
}

TEST_F(SftpClientTest, NoServerListeningIsARetryableConnectError) {
    server_->stop();
    auto client = SftpClient::connect(server_->remote(server_->home()));
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, "connect");
    EXPECT_TRUE(retryableSftpError(client.error().code));
}

TEST_F(SftpClientTest, AServerThatStopsAnsweringMidSessionTimesOutInsteadOfHangingTheCaller) {
    auto remote = server_->remote(server_->home());
    remote.timeoutMs = 1500;
    auto client = connect(remote);
    ASSERT_TRUE(client);
    // Freeze the session's server processes (not the listener): the TCP
    // connection stays open but nothing answers.
    server_->freezeSessions(true);
    const auto started = std::chrono::steady_clock::now();
    auto listed = client->list(server_->home().string());
    const auto took = std::chrono::steady_clock::now() - started;
    server_->freezeSessions(false);
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code, "timeout") << listed.error().message;
    EXPECT_TRUE(retryableSftpError(listed.error().code));
    EXPECT_LT(took, std::chrono::seconds(10));
}

}  // namespace
}  // namespace lendgate::sftp
