// What a directory endpoint writes into a partner's SFTP outbound/ is for
// that partner: its own sftp session (the real OpenSSH client against
// `lendgate sftp serve`, the account `lendgate sftp provision` made) fetches
// it, even when the daemon runs with the service's umask (0077), and the
// file is no wider than the folder lets anyone in.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/delivery/directory_transport.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_sftp.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kBank = "desert-valley-bank";

TEST(SftpOutboundModes, AFileADirectoryEndpointWritesIntoOutboundIsFetchedByThePartnersOwnSftpSession) {
    if (!fs::exists("/usr/sbin/sshd")) GTEST_SKIP() << "no /usr/sbin/sshd: install openssh-server (CI has it)";
    if (::geteuid() != 0) GTEST_SKIP() << "the drop-folder server chroots partners: run as root (CI does)";

    SftpRoot root("lendgate-e2e-modes");
    const std::uint16_t port = freePort();
    const std::string prefix = "lgm" + std::to_string(::getpid() % 100000) + "-";
    WorldOptions options;
    options.sftp = nlohmann::json{
        {"root", root.path().string()}, {"listen", {{"host", "127.0.0.1"}, {"port", port}}}, {"user_prefix", prefix}};
    GatewayWorld world(options);
    root.user = prefix + kBank;
    const fs::path key = world.root() / "bank_key";
    ASSERT_EQ(test::runCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.string()}).exitCode,
              0);
    const auto provisioned = test::runCommand({lendgateCli().string(), "sftp", "provision", kBank, "--config",
                                               world.configFile().string(), "--key", key.string() + ".pub"});
    ASSERT_EQ(provisioned.exitCode, 0) << provisioned.err;
    SftpServer server(world.configFile(), world.root() / "sshd.log");
    ASSERT_TRUE(eventually([&] { return accepting(port); }, 20s));

    // The daemon's side, with lendgated.service's umask.
    const fs::path outbound = root.path() / kBank / "outbound";
    config::Endpoint endpoint;
    endpoint.id = "sftp-outbound";
    endpoint.type = config::Endpoint::Type::Directory;
    endpoint.path = outbound;
    delivery::OutboundMessage message;
    message.messageId = "01JDVBOUTCOME0000000000001";
    message.fileExtension = ".csv";
    message.body = "H,DVB_OUTCOMES\nD,1,RECOVERED\nT,1\n";
    const mode_t previous = ::umask(077);
    const auto sent = delivery::DirectoryTransport().send(message, endpoint);
    ::umask(previous);
    ASSERT_TRUE(sent.delivered) << sent.error;
    const fs::path written = outbound / (message.messageId + ".csv");
    struct stat st {};
    ASSERT_EQ(::stat(written.c_str(), &st), 0);
    EXPECT_NE(st.st_uid, ::getpwnam(root.user.c_str())->pw_uid) << "the daemon's file, not the partner's";

    const fs::path got = world.root() / "fetched.csv";
    writeText(world.root() / "batch", "get outbound/" + written.filename().string() + " " + got.string() +
                                          "\nrm outbound/" + written.filename().string() + "\n");
    const auto fetched =
        test::runCommand({"/usr/bin/timeout", "60", "/usr/bin/sftp", "-b", (world.root() / "batch").string(), "-i",
                          key.string(), "-P", std::to_string(port), "-o", "BatchMode=yes", "-o",
                          "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", root.user + "@127.0.0.1"});
    ASSERT_EQ(fetched.exitCode, 0) << fetched.err;
    EXPECT_EQ(readText(got), message.body);
    EXPECT_FALSE(fs::exists(written)) << "the partner removes what it fetched";

    // Where the folder lets everyone in, the file is not for everyone.
    const fs::path open = world.root() / "shared";
    fs::create_directories(open);
    fs::permissions(open, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    endpoint.path = open;
    ASSERT_TRUE(delivery::DirectoryTransport().send(message, endpoint).delivered);
    ASSERT_EQ(::stat((open / (message.messageId + ".csv")).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
}

}  // namespace
}  // namespace lendgate::e2e
