// `lendgate purge`: after the retention purge no command and no API can read
// the erased borrowers any more (messages show, case timeline, the admin
// API, a replay), the journal's bytes no longer hold them, and the purge is
// in the audit chain.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_scan.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kLossMit = "copper-state-lossmit";
// The golden notice's borrower and co-signer, and her phone number.
const std::vector<std::string> kPersonal = {"Quintero", "Marisol", "+16025550123", "Desert Willow"};

test::CommandResult cli(const std::vector<std::string> &args, const GatewayWorld &world) {
    std::vector<std::string> argv{lendgateCli().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", world.configFile().string(), "--plugin-dir", pluginDir().string()});
    return test::runCommand(argv);
}

std::string hits(const std::string &what, const std::string &text) {
    std::string out;
    for (const auto &value : kPersonal)
        if (text.find(value) != std::string::npos) out += what + " shows " + value + "\n";
    return out;
}

TEST(RetentionPurge, NoCommandCanReadAPurgedBorrowerAndThePurgeIsAudited) {
    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    auto daemon = std::make_unique<Daemon>(world);
    daemon->start();
    const auto posted =
        submit(daemon->partnerPort(), kFixtureLender,
               {partnerMessage("delinquency_notice_full", "PURGE-1").dump(), "application/json", "purge-1", ""});
    ASSERT_EQ(posted.status, 202) << posted.body;
    const auto ids = acceptedMessageIds(posted.body);
    ASSERT_EQ(ids.size(), 1u) << posted.body;
    const std::string id = ids[0];
    ASSERT_TRUE(lossMit.waitForDistinct(1, 60s)) << daemon->logTail();
    // Before: an admin can read her (the control for the checks below).
    const auto before = adminGet(daemon->adminPort(), "/admin/v1/messages/" + id + "?unmasked=true", kAdminToken);
    ASSERT_EQ(before.status, 200) << before.body;
    ASSERT_NE(hits("before", before.body), "");
    const std::string caseId = nlohmann::json::parse(before.body)["case_id"];
    ASSERT_EQ(daemon->terminate(30s), 0);

    const auto dry = cli({"purge", "--retention-days", "0", "--dry-run"}, world);
    EXPECT_EQ(dry.exitCode, 0) << dry.err;
    EXPECT_NE(dry.out.find("would purge 1 cases"), std::string::npos) << dry.out;
    const auto kept = cli({"purge"}, world);
    EXPECT_EQ(kept.exitCode, 0) << kept.err;
    EXPECT_NE(kept.out.find("purged 0 cases"), std::string::npos) << "a fresh case is inside the retention";
    const auto purged = cli({"purge", "--retention-days", "0"}, world);
    ASSERT_EQ(purged.exitCode, 0) << purged.err;
    EXPECT_NE(purged.out.find("purged 1 cases"), std::string::npos) << purged.out;
    EXPECT_NE(purged.out.find("1 messages erased, 1 input files' keys destroyed"), std::string::npos) << purged.out;

    const auto show = cli({"messages", "show", id}, world);
    EXPECT_EQ(hits("messages show", show.out + show.err), "");
    const auto timeline = cli({"case", "timeline", caseId}, world);
    EXPECT_EQ(hits("case timeline", timeline.out + timeline.err), "");

    const auto verify = cli({"audit", "verify"}, world);
    EXPECT_EQ(verify.exitCode, 0) << verify.out << verify.err;
    const auto audit = cli({"audit", "list"}, world);
    EXPECT_NE(audit.out.find("retention.purge"), std::string::npos) << audit.out;

    // The daemon again: the admin API shows nothing of her, and a replay
    // cannot send her data anywhere.
    daemon = std::make_unique<Daemon>(world);
    daemon->start();
    const auto read = adminGet(daemon->adminPort(), "/admin/v1/messages/" + id + "?unmasked=true", kAdminToken);
    EXPECT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(hits("admin API", read.body), "");
    const std::size_t deliveredBefore = lossMit.requests().size();
    const auto replay = cli({"replay", id, "--destination", kLossMit}, world);
    EXPECT_EQ(replay.exitCode, 0) << replay.err;
    std::this_thread::sleep_for(2s);  // a delivery, were one possible, would be made within the backoff
    for (std::size_t i = deliveredBefore; i < lossMit.requests().size(); ++i)
        EXPECT_EQ(hits("a replayed delivery", lossMit.requests()[i].body), "");
    ASSERT_EQ(daemon->terminate(30s), 0);
    EXPECT_EQ(findClearValues({world.dataDir()}, kPersonal).size(), 0u);
}

}  // namespace
}  // namespace lendgate::e2e
