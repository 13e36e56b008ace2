// Issue 6's scan: a bank's nightly CSV (eight borrowers' SSNs and account
// numbers) and a lender's JSON notices go in over HTTP, are journaled,
// delivered and backed up; then every byte the gateway wrote (journal and
// WAL, blob folder, deliveries, backup, its log) and every body it
// delivered is searched for those values in the clear. None may be found:
// they exist at rest only sealed, and only the owning lender gets them back.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
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

const std::string kBank = "desert-valley-bank";
const std::string kLossMit = "copper-state-lossmit";

std::string joined(const std::vector<std::string> &lines) {
    std::string out;
    for (const auto &line : lines) out += line + "\n";
    return out;
}

TEST(ClearValueScan, NoSsnOrAccountNumberIsWrittenOrDeliveredInTheClear) {
    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    const std::string csv = readText(sourceDir() / "samples" / "desert-valley-bank" / "DVB_DELQ_20261123_001.csv");
    std::vector<std::string> secrets = personalValuesOfBankCsv(csv);
    ASSERT_EQ(secrets.size(), 24u) << "eight records, each an account number and an SSN in two spellings";
    // A lender's own JSON: account number, SSN and date of birth of the golden notice.
    secrets.insert(secrets.end(), {"4400182263", "900-55-0142", "900550142"});

    const auto file =
        submit(daemon.partnerPort(), kBank, {csv, "text/csv", "DVB_DELQ_20261123_001", "delinquency_notice"});
    ASSERT_EQ(file.status, 202) << file.body;
    std::vector<nlohmann::json> notices;
    for (int i = 0; i < 3; ++i) {
        notices.push_back(partnerMessage("delinquency_notice_full", "SCAN-" + std::to_string(i)));
    }
    const auto lines =
        submit(daemon.partnerPort(), kFixtureLender, {jsonLines(notices), "application/json", "scan-json", ""});
    ASSERT_EQ(lines.status, 202) << lines.body;
    // A mistyped SSN is rejected: the reason names the field, not the value.
    auto bad = partnerMessage("delinquency_notice_full", "SCAN-BAD");
    bad["payload"]["parties"][0]["ssn"] = "900-55-01429";
    const auto rejected =
        submit(daemon.partnerPort(), kFixtureLender, {bad.dump(), "application/json", "scan-bad", ""});
    EXPECT_EQ(rejected.body.find("900-55-01429"), std::string::npos) << rejected.body;

    // The servicer gets every notice, by token.
    ASSERT_TRUE(lossMit.waitForDistinct(11, 60s)) << "got " << lossMit.distinctKeys() << "\n" << daemon.logTail();

    const auto backup =
        test::runCommand({lendgateCli().string(), "backup", (world.root() / "backup").string(), "--config",
                          world.configFile().string(), "--plugin-dir", pluginDir().string()});
    ASSERT_EQ(backup.exitCode, 0) << backup.err;
    ASSERT_EQ(daemon.terminate(30s), 0);

    // The daemon's log is part of what it wrote, wherever the run keeps it.
    EXPECT_EQ(joined(findClearValues({world.root(), daemon.logFile()}, secrets)), "");
    std::vector<std::pair<std::string, std::string>> delivered;
    for (const auto &request : lossMit.requests()) delivered.emplace_back("delivery " + request.uri, request.body);
    ASSERT_FALSE(delivered.empty());
    EXPECT_EQ(joined(findClearValuesIn(delivered, secrets)), "");
    EXPECT_EQ(joined(findClearValuesIn({{"ack", file.body}, {"ack", lines.body}}, secrets)), "");

    // The scan can fail: the uploaded CSV holds each account number and
    // dashed SSN once, and is found as a file as well as a text.
    writeText(world.root() / "control" / "upload.csv", csv);
    EXPECT_EQ(findClearValues({world.root() / "control"}, secrets).size(), 16u);
    EXPECT_EQ(findClearValuesIn({{"csv", csv}}, secrets).size(), 16u);
}

}  // namespace
}  // namespace lendgate::e2e
