// An operator ends one reason of a case's hold through the running daemon
// (issue 7): the admin API and the CLI list the reasons in force and release
// one; the firm gets RELEASE_HOLD when none remains, the order that waited
// goes out, and the timeline names who released what and why.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_lifecycle.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using nlohmann::json;
using namespace std::chrono_literals;

HttpResult releaseRequest(const Daemon &daemon, const std::string &caseId, const std::string &token, const json &body) {
    return httpRequest(daemon.adminPort(), "POST", "/admin/v1/cases/" + caseId + "/holds/release", body.dump(),
                       {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
}

TEST(OperatorRelease, AnOperatorEndsTheLastHoldReasonAndTheFirmIsReleased) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781004410";

    post(daemon, notice("OR-N-1", account, "NOT_ACTIVE"));
    const std::string first = post(daemon, order("OR-ORDER-1", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, first)["case_id"].get<std::string>();
    post(daemon, hardship("OR-HA-1", account, "OR-HA-1"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();
    json ack;
    post(daemon, order("OR-ORDER-2", account), &ack);
    ASSERT_EQ(ack["errors"][0]["code"], "policy_held") << ack.dump();

    // Anyone with a token sees the reasons; only an operator ends one.
    const auto holds = adminGet(daemon.adminPort(), "/admin/v1/cases/" + caseId + "/holds", kViewerToken);
    ASSERT_EQ(holds.status, 200) << holds.body;
    ASSERT_EQ(holds.json()["holds"].size(), 1u) << holds.body;
    EXPECT_EQ(holds.json()["holds"][0]["kind"], "HARDSHIP_APPLICATION");
    EXPECT_EQ(holds.json()["holds"][0]["key"], "OR-HA-1");
    EXPECT_EQ(caseOf(daemon, caseId)["holds"], holds.json()["holds"]) << "the case's page shows its hold too";
    const json body{{"kind", "HARDSHIP_APPLICATION"}, {"key", "OR-HA-1"}, {"note", "application withdrawn by phone"}};
    EXPECT_EQ(releaseRequest(daemon, caseId, kViewerToken, body).status, 403);
    const auto wrongKey =
        releaseRequest(daemon, caseId, kOperatorToken, {{"kind", "HARDSHIP_APPLICATION"}, {"key", "X"}});
    EXPECT_EQ(wrongKey.status, 409) << wrongKey.body;
    EXPECT_EQ(releaseRequest(daemon, caseId, kOperatorToken, {{"kind", "SOMETHING"}, {"key", "OR-HA-1"}}).status, 400);
    EXPECT_EQ(releaseRequest(daemon, "no-such-case", kOperatorToken, body).status, 404);

    const auto released = releaseRequest(daemon, caseId, kOperatorToken, body);
    ASSERT_EQ(released.status, 200) << released.body;
    EXPECT_EQ(released.json()["hold_ended"], true) << released.body;
    EXPECT_EQ(released.json()["release_holds_sent"], 1);
    EXPECT_TRUE(released.json()["holds"].empty());

    // The firm is released from the order it holds and gets the one that waited.
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold_released").size() == 1; }, 30s))
        << daemon.logTail();
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 2; }, 30s)) << daemon.logTail();
    EXPECT_EQ(received(firm, "assignment.hold_released")[0]["assignment"]["number"], "OR-ORDER-1");
    EXPECT_EQ(received(firm, "assignment.opened")[1]["assignment"]["number"], "OR-ORDER-2");

    const json timeline = caseOf(daemon, caseId);
    EXPECT_TRUE(timeline["holds"].empty()) << timeline["holds"].dump();
    const auto release = decisionsOf(timeline, "C4", "RELEASE");
    ASSERT_EQ(release.size(), 1u) << timeline["decisions"].dump(2);
    EXPECT_FALSE(release[0].contains("message_id") && !release[0]["message_id"].get<std::string>().empty())
        << "a decision about the case, not a message";
    const json &facts = release[0]["decision"]["facts"];
    EXPECT_EQ(facts["released_kind"], "HARDSHIP_APPLICATION");
    EXPECT_EQ(facts["released_by"], "admin:demo-operator");
    EXPECT_EQ(facts["note"], "application withdrawn by phone");

    // A later message of the case does not bring the released reason back.
    post(daemon, decision("OR-HD-1", account, "OR-HA-1", "UNDER_REVIEW"));
    const auto after = adminGet(daemon.adminPort(), "/admin/v1/cases/" + caseId + "/holds", kViewerToken);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(after.json()["holds"].size(), 1u) << "UNDER_REVIEW is a new statement: it holds again";
}

TEST(OperatorRelease, TheCliListsTheReasonsAndReleasesOneUnderTheOperatorsName) {
    TestReceiver firm;
    GatewayWorld world(lifecycleWorld(firm));
    Daemon daemon(world);
    daemon.start();
    const std::string account = "7781004411";
    post(daemon, notice("OR-N-2", account, "NOT_ACTIVE"));
    const std::string first = post(daemon, order("OR-ORDER-3", account));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.opened").size() == 1; }, 30s)) << daemon.logTail();
    const std::string caseId = message(daemon, first)["case_id"].get<std::string>();
    post(daemon, hardship("OR-HA-2", account, "OR-HA-2"));
    post(daemon, hardship("OR-HA-3", account, "OR-HA-3"));
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold").size() == 1; }, 30s)) << daemon.logTail();

    const auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), lendgateCli().string());
        args.insert(args.end(), {"--config", world.configFile().string(), "--plugin-dir", pluginDir().string()});
        return test::runCommand(args);
    };
    auto listed = cli({"case", "holds", caseId});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("HARDSHIP_APPLICATION  OR-HA-2"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("OR-HA-3"), std::string::npos) << listed.out;

    EXPECT_EQ(cli({"case", "release", caseId, "--kind", "HARDSHIP_APPLICATION"}).exitCode, 64) << "--key is needed";
    auto one = cli({"case", "release", caseId, "--kind", "HARDSHIP_APPLICATION", "--key", "OR-HA-2"});
    ASSERT_EQ(one.exitCode, 0) << one.err;
    EXPECT_NE(one.out.find("the hold continues"), std::string::npos) << one.out;
    EXPECT_NE(one.out.find("OR-HA-3"), std::string::npos) << one.out;
    auto again = cli({"case", "release", caseId, "--kind", "HARDSHIP_APPLICATION", "--key", "OR-HA-2"});
    EXPECT_EQ(again.exitCode, 1) << again.out;
    EXPECT_NE(again.err.find("no HARDSHIP_APPLICATION hold reason"), std::string::npos) << again.err;

    auto last = cli(
        {"case", "release", caseId, "--kind", "HARDSHIP_APPLICATION", "--key", "OR-HA-3", "--note", "both withdrawn"});
    ASSERT_EQ(last.exitCode, 0) << last.err;
    EXPECT_NE(last.out.find("the hold has ended: RELEASE_HOLD to 1 assignment"), std::string::npos) << last.out;
    // The running daemon delivers what the CLI journaled.
    ASSERT_TRUE(eventually([&] { return received(firm, "assignment.hold_released").size() == 1; }, 30s))
        << daemon.logTail();
    const auto audit = cli({"audit", "list"});
    EXPECT_NE(audit.out.find("cli.hold_release"), std::string::npos) << audit.out << audit.err;
}

}  // namespace
}  // namespace lendgate::e2e
