// G1/G2 at the storage layer: a writer killed with SIGKILL at a random moment
// loses nothing it reported committed and journals nothing twice.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

using namespace Poco::Data::Keywords;

constexpr int kRecordsPerBatch = 3;

IntakeBatch numbered(std::uint32_t n) {
    std::vector<IntakeRecord> records;
    for (int r = 1; r <= kRecordsPerBatch; ++r) {
        const std::string key = "DVB-" + std::to_string(n) + "-" + std::to_string(r);
        records.push_back(record(static_cast<std::uint64_t>(r), key, "CASE-" + std::to_string(n % 7),
                                 {Route{"copper_state", "notices", false}}));
    }
    return batch("desert_valley_bank", "req-" + std::to_string(n), std::move(records));
}

/// The child: accepts batches forever, writing each batch number to the pipe
/// only after accept() returned, i.e. after the commit was durable.
[[noreturn]] void acceptUntilKilled(const std::filesystem::path &path, std::uint32_t first, int reportFd) {
    ManualClock clock;
    SqliteJournalOptions options;
    options.path = path;
    auto journal = openSqliteJournal(options, clock);
    if (!journal) ::_exit(10);
    for (std::uint32_t n = first;; ++n) {
        clock.advance(1);
        auto result = journal.value()->accept(numbered(n));
        if (!result || result.value().disposition != AcceptDisposition::Accepted) ::_exit(11);
        if (::write(reportFd, &n, sizeof n) != sizeof n) ::_exit(12);
    }
}

using CrashTest = JournalTest;

TEST_F(CrashTest, AWriterKilledAtRandomLosesNothingAndDuplicatesNothing) {
    journal_.reset();
    std::mt19937 random(std::random_device{}());
    std::set<std::uint32_t> committed;
    std::uint32_t next = 1;
    for (int round = 0; round < 3; ++round) {
        int pipeFds[2];
        ASSERT_EQ(::pipe(pipeFds), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(pipeFds[0]);
            acceptUntilKilled(path_, next, pipeFds[1]);
        }
        ::close(pipeFds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(40, 250)(random)));
        ::kill(child, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself with code " << WEXITSTATUS(status);
        std::uint32_t n = 0;
        while (::read(pipeFds[0], &n, sizeof n) == static_cast<ssize_t>(sizeof n)) {
            committed.insert(n);
            next = std::max(next, n + 1);
        }
        ::close(pipeFds[0]);
        next += 1;  // the batch in flight at the kill may or may not have committed; never reuse its number

        journal_ = open();
        ASSERT_TRUE(journal_);
        std::string integrity;
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session(Poco::Data::Session("SQLite", path_.string())) << "PRAGMA integrity_check",
            into(integrity), now;
        ASSERT_EQ(integrity, "ok");
        for (std::uint32_t c : committed) {
            auto stored = journal_->submissionByKey("desert_valley_bank", "req-" + std::to_string(c));
            ASSERT_TRUE(stored.ok()) << "batch " << c << " was reported committed but is missing";
            EXPECT_EQ(stored.value().acceptedCount, kRecordsPerBatch);
        }
        const long submissions = rows("submissions");
        EXPECT_GE(submissions, static_cast<long>(committed.size()));
        EXPECT_LE(submissions, static_cast<long>(committed.size()) + round + 1) << "at most one unreported per kill";
        EXPECT_EQ(rows("messages"), submissions * kRecordsPerBatch) << "all of a batch or none of it";
        EXPECT_EQ(rows("deliveries"), rows("messages")) << "never accepted but unrouted";
        EXPECT_EQ(rows("messages", "idempotency_key IN (SELECT idempotency_key FROM messages "
                                   "GROUP BY sender, idempotency_key HAVING COUNT(*) > 1)"),
                  0);
        journal_.reset();
    }
    EXPECT_FALSE(committed.empty()) << "the writer never committed anything in time";
    journal_ = open();
    ASSERT_TRUE(journal_);
    EXPECT_EQ(acceptOk(numbered(*committed.rbegin())).disposition, AcceptDisposition::Replayed);
}

}  // namespace
}  // namespace lendgate::journal::testing
