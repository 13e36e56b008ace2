// G14 through the running daemon: partner reads and admin reads are entries
// in the audit chain, and `lendgate audit verify` finds the chain intact.
#include <gtest/gtest.h>

#include "core/common/log.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using namespace std::chrono_literals;

TEST(Audit, PartnerAndAdminReadsAreChainedEntries) {
    GatewayWorld world;
    Daemon daemon(world);
    daemon.start();
    const auto port = daemon.partnerPort();
    const auto posted = submit(
        port, kFixtureLender, {jsonLines({delinquencyNotice("AUD-1", "6500000001")}), "application/json", "AUD-1", ""});
    ASSERT_EQ(posted.status, 202) << posted.body;
    const auto id = acceptedMessageIds(posted.body).at(0);
    const auto submissionId = posted.json()["message_id"].get<std::string>();
    auto get = [&](const std::string &target) {
        return httpRequest(port, "GET", target, {}, {{"Authorization", "Bearer " + partnerKey(kFixtureLender)}});
    };
    ASSERT_EQ(get("/v1/messages/" + id).status, 200);
    ASSERT_EQ(get("/v1/acks/" + submissionId).status, 200);
    ASSERT_EQ(adminGet(daemon.adminPort(), "/admin/v1/messages/" + id, kViewerToken).status, 200);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();

    SystemClock clock;
    auto journal = journal::openSqliteJournal({world.journalFile()}, clock);
    ASSERT_TRUE(journal) << journal.error().message;
    auto entries = journal.value()->listAudit({});
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries.value().size(), 3u);
    const auto &e = entries.value();
    EXPECT_EQ(e[0].actor, "partner:" + std::string(kFixtureLender));
    EXPECT_EQ(e[0].action, "partner.read_message");
    EXPECT_EQ(e[0].target, id);
    EXPECT_EQ(e[1].action, "partner.read_ack");
    EXPECT_EQ(e[1].target, submissionId);
    EXPECT_EQ(e[2].actor, "admin:demo-viewer");
    EXPECT_EQ(e[2].action, "admin.read_message");
    journal.value().reset();

    auto verified = test::runCommand({lendgateCli().string(), "audit", "verify", "--config",
                                      world.configFile().string(), "--plugin-dir", pluginDir().string()});
    EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("intact: 3 entries"), std::string::npos) << verified.out;
}

}  // namespace
}  // namespace lendgate::e2e
