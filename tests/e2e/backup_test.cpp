// Backup under load and restore into a fresh data folder: everything
// acknowledged before the backup is there, and a blob purged after the
// backup stays purged (the ledger kept with the key ring is applied again).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "core/common/log.h"
#include "core/journal/purge_ledger.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_load.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

test::CommandResult cli(const std::vector<std::string> &args, const GatewayWorld &world) {
    std::vector<std::string> argv{lendgateCli().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", world.configFile().string(), "--plugin-dir", pluginDir().string()});
    return test::runCommand(argv);
}

std::string blobOfSubmission(const GatewayWorld &world, const std::string &key) {
    SystemClock clock;
    journal::SqliteJournalOptions options;
    options.path = world.journalFile();
    auto journal = journal::openSqliteJournal(options, clock);
    if (!journal) return "journal: " + journal.error().message;
    auto submission = journal.value()->submissionByKey(kFixtureLender, key);
    return submission ? submission.value().blobId : "submission: " + submission.error().message;
}

TEST(Backup, TakenUnderLoadItRestoresEverythingAcknowledgedBeforeItAndNothingPurgedAfter) {
    GatewayWorld world;
    Daemon daemon(world);
    daemon.start();
    const std::string purgedKey = "BK-PURGED";
    const auto first =
        submit(daemon.partnerPort(), kFixtureLender,
               {jsonLines({phoenixAssignment(purgedKey, "7300000001")}), "application/json", purgedKey, ""}, 20s);
    ASSERT_EQ(first.status, 202) << first.body;

    ContinuousPoster poster(daemon.partnerPort(), "BK", 4);
    ASSERT_TRUE(eventually([&] { return poster.acks() >= 20; }, 60s)) << daemon.logTail();
    const auto acknowledgedBefore = poster.ackedIds();
    const fs::path backupDir = world.root() / "backup";
    const auto backup = cli({"backup", backupDir.string()}, world);
    ASSERT_EQ(backup.exitCode, 0) << backup.err;
    EXPECT_NE(backup.out.find("the key ring is not in it"), std::string::npos) << backup.out;
    // The daemon kept taking messages while the backup ran.
    const auto during = poster.acks();
    ASSERT_TRUE(eventually([&] { return poster.acks() >= during + 5; }, 60s)) << daemon.logTail();
    poster.stop();
    EXPECT_TRUE(poster.unexpected().empty()) << ::testing::PrintToString(poster.unexpected());
    EXPECT_FALSE(fs::exists(backupDir / "keys"));

    // After the backup, the operator purges the first submission's raw file.
    const std::string blobId = blobOfSubmission(world, purgedKey);
    ASSERT_TRUE(journal::looksLikeBlobId(blobId)) << blobId;
    ASSERT_EQ(adminPost(daemon.adminPort(), "/admin/v1/blobs/" + blobId + "/purge", kAdminToken).status, 200);
    ASSERT_EQ(daemon.terminate(60s), 0);

    // A new machine: the key ring comes back from its own backup first.
    GatewayWorld restored;
    const auto refusedWithoutKeys = cli({"restore", backupDir.string()}, restored);
    EXPECT_EQ(refusedWithoutKeys.exitCode, 3);
    EXPECT_NE(refusedWithoutKeys.err.find("restore it there first"), std::string::npos) << refusedWithoutKeys.err;
    fs::create_directories(restored.dataDir());
    fs::copy(world.dataDir() / "keys", restored.dataDir() / "keys", fs::copy_options::recursive);
    const auto restore = cli({"restore", backupDir.string()}, restored);
    ASSERT_EQ(restore.exitCode, 0) << restore.err;
    EXPECT_NE(restore.out.find("purged again 1 blobs"), std::string::npos) << restore.out;
    EXPECT_EQ(cli({"restore", backupDir.string()}, restored).exitCode, 3) << "never over a journal";

    Daemon again(restored);
    again.start();
    std::vector<std::string> missing;
    for (const auto &id : acknowledgedBefore)
        if (adminGet(again.adminPort(), "/admin/v1/messages/" + id, kViewerToken).status != 200) missing.push_back(id);
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acknowledgedBefore.size()
                                 << " acknowledged before the backup are missing";
    const auto replayed =
        submit(again.partnerPort(), kFixtureLender,
               {jsonLines({phoenixAssignment(purgedKey, "7300000001")}), "application/json", purgedKey, ""}, 20s);
    EXPECT_EQ(replayed.body, first.body) << "the restored journal answers a retry with the original ACK";
    ASSERT_EQ(again.terminate(60s), 0);

    SystemClock clock;
    journal::SqliteJournalOptions options;
    options.path = restored.journalFile();
    auto journal = std::move(journal::openSqliteJournal(options, clock)).value();
    auto blob = journal->blob(blobId);
    ASSERT_FALSE(blob);
    EXPECT_EQ(blob.error().code, journal::errc::kPurged);
}

}  // namespace
}  // namespace lendgate::e2e
