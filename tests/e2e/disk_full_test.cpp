// G6: the data dir on a small tmpfs filled to the brim. Input is refused with
// 503 (never a 202 that is then lost); once space is back, input is accepted
// again and every earlier 202 is still in the journal, across a restart too.
// Needs root (mount); skipped with the reason otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kLossMit = "copper-state-lossmit";

// A tmpfs mounted on `dir` for the test's lifetime.
class TmpfsMount {
public:
    TmpfsMount(std::filesystem::path dir, const std::string &size) : dir_(std::move(dir)) {
        const auto result = test::runCommand({"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir_.string()});
        mounted_ = result.exitCode == 0;
        error_ = result.err;
    }
    ~TmpfsMount() {
        if (!mounted_) return;
        if (test::runCommand({"umount", dir_.string()}).exitCode != 0)
            test::runCommand({"umount", "-l", dir_.string()});
    }
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;

    bool mounted() const { return mounted_; }
    const std::string &error() const { return error_; }
    bool resize(const std::string &size) {
        return test::runCommand({"mount", "-o", "remount,size=" + size, dir_.string()}).exitCode == 0;
    }

private:
    std::filesystem::path dir_;
    bool mounted_ = false;
    std::string error_;
};

Submission noticeBatch(const std::string &prefix, int records) {
    std::vector<nlohmann::json> batch;
    for (int i = 0; i < records; ++i) {
        const std::string key = prefix + "-" + std::to_string(i);
        batch.push_back(
            delinquencyNotice(key, std::to_string(9000000000LL + std::hash<std::string>{}(key) % 100000000)));
    }
    return {jsonLines(batch), "application/json", prefix, ""};
}

std::set<std::string> journaledIds(const Daemon &daemon) {
    std::set<std::string> ids;
    for (const auto &m : listAllMessages(daemon.adminPort(), kLender)) ids.insert(m["message_id"].get<std::string>());
    return ids;
}

TEST(DiskFull, FullDataVolumeAnswers503AndLosesNoAcknowledgedMessage) {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root (CI runs this test as root)";
    TempDir scratch("lendgate-e2e-diskfull");
    const auto dataDir = scratch.path() / "data";
    std::filesystem::create_directories(dataDir);
    TmpfsMount volume(dataDir, "8m");
    if (!volume.mounted()) GTEST_SKIP() << "cannot mount a tmpfs (no CAP_SYS_ADMIN?): " << volume.error();

    TestReceiver lossMit;
    WorldOptions options;
    options.dataDir = dataDir;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    std::vector<std::string> acked;
    std::vector<std::string> unexpected;
    int refusedInARow = 0, refused = 0;
    const auto deadline = std::chrono::steady_clock::now() + 150s;
    for (int n = 0; refusedInARow < 5 && std::chrono::steady_clock::now() < deadline; ++n) {
        const auto answer = submit(daemon.partnerPort(), kLender, noticeBatch("G6-" + std::to_string(n), 100));
        if (answer.status == 202) {
            const auto ids = acceptedMessageIds(answer.body);
            acked.insert(acked.end(), ids.begin(), ids.end());
            refusedInARow = 0;
        } else if (answer.status == 503) {
            EXPECT_FALSE(answer.header("retry-after").empty()) << "a 503 tells the client when to retry";
            ++refusedInARow;
            ++refused;
        } else {
            unexpected.push_back(std::to_string(answer.status) + " " + answer.error + answer.body);
            if (!daemon.running()) break;
            refusedInARow = 0;
        }
    }
    ASSERT_TRUE(daemon.running()) << "a full disk took the daemon down\n" << daemon.logTail();
    ASSERT_EQ(refusedInARow, 5) << "never answered 503 on a full disk\n" << daemon.logTail();
    EXPECT_TRUE(unexpected.empty()) << ::testing::PrintToString(unexpected);
    ASSERT_FALSE(acked.empty());
    std::cout << "[ info     ] " << acked.size() << " records acknowledged, " << refused << " inputs refused\n";

    // Space is back: input is taken again, and nothing acknowledged is gone.
    ASSERT_TRUE(volume.resize("64m"));
    HttpResult after;
    EXPECT_TRUE(eventually(
        [&] {
            after = submit(daemon.partnerPort(), kLender, noticeBatch("G6-after", 10));
            return after.status == 202;
        },
        30s, 200ms))
        << after.status << " " << after.body << "\n"
        << daemon.logTail();
    auto journaled = journaledIds(daemon);
    for (const auto &id : acked) ASSERT_TRUE(journaled.contains(id)) << "acknowledged, then lost: " << id;

    ASSERT_EQ(daemon.terminate(30s), 0) << daemon.logTail();
    daemon.start();
    journaled = journaledIds(daemon);
    for (const auto &id : acked) ASSERT_TRUE(journaled.contains(id)) << "lost across a restart: " << id;
    EXPECT_EQ(daemon.terminate(30s), 0) << daemon.logTail();
    const auto check =
        test::runCommand({"sqlite3", "-readonly", world.journalFile().string(), "PRAGMA integrity_check;"});
    EXPECT_EQ(check.out, "ok\n") << check.err;
}

}  // namespace
}  // namespace lendgate::e2e
