// The account number comes back only to its lender. Desert Valley Bank's
// nightly CSV reaches the loss-mitigation servicer by token; the servicer's
// hardship decision names the account by that token; the bank's decision
// file carries its own clear account number, taken from the notice's sealed
// copy, while the servicer never sees the number.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kBank = "desert-valley-bank";
const std::string kLossMit = "copper-state-lossmit";
// The first record of the sample file.
const std::string kAccount = "4401009817";
const std::string kRecordId = "DQ-20261122-000417";

std::string filesHolding(const fs::path &folder, const std::string &needle) {
    std::string found;
    std::error_code ec;
    if (!fs::exists(folder, ec)) return found;
    for (const auto &entry : fs::recursive_directory_iterator(folder))
        if (entry.is_regular_file() && readText(entry.path()).find(needle) != std::string::npos)
            found += entry.path().filename().string() + "\n";
    return found;
}

TEST(LenderAccountNumber, TheBanksDecisionFileCarriesItsClearAccountNumberAndTheServicerOnlyTheToken) {
    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    const std::string csv = readText(sourceDir() / "samples" / "desert-valley-bank" / "DVB_DELQ_20261123_001.csv");
    const auto file =
        submit(daemon.partnerPort(), kBank, {csv, "text/csv", "DVB_DELQ_20261123_001", "delinquency_notice"});
    ASSERT_EQ(file.status, 202) << file.body;
    ASSERT_TRUE(lossMit.waitForDistinct(8, 60s)) << daemon.logTail();

    // The servicer's copy of the first notice: case and token, no number.
    nlohmann::json notice;
    for (const auto &request : lossMit.requests()) {
        EXPECT_EQ(request.body.find(kAccount), std::string::npos) << "the servicer got a clear account number";
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_object() && body.dump().find(kRecordId) != std::string::npos) notice = body;
    }
    ASSERT_TRUE(notice.is_object()) << "no delivery of record " << kRecordId;
    const std::string caseId = notice["gateway"]["case_id"].get<std::string>();
    const std::string token = notice["data"]["loan"]["token"].get<std::string>();
    ASSERT_FALSE(token.empty());

    const nlohmann::json decision = {{"id", "CSLM-HD-E2E-1"},
                                     {"type", "hardship.decision"},
                                     {"created", "2026-11-24T16:05:00-07:00"},
                                     {"gateway", {{"case_id", caseId}}},
                                     {"data",
                                      {{"loan_token", token},
                                       {"application_id", "DVB-HA-E2E-1"},
                                       {"decision", "approved"},
                                       {"program", "deferral"},
                                       {"effective", {{"start", "2026-12-01"}, {"end", "2027-02-28"}}},
                                       {"hold_repossession_until", "2027-02-28"}}}};
    const auto posted = submit(daemon.partnerPort(), kLossMit,
                               {decision.dump() + "\n", "application/json", "cslm-hd-e2e-1", "hardship_decision"});
    ASSERT_EQ(posted.status, 202) << posted.body;

    const fs::path bankDrop = world.root() / "outbound" / kBank;
    EXPECT_TRUE(eventually([&] { return !filesHolding(bankDrop, "DVB-HA-E2E-1").empty(); }, 30s)) << daemon.logTail();
    EXPECT_NE(filesHolding(bankDrop, kAccount), "") << "the bank's decision file names its own account number";
    EXPECT_EQ(filesHolding(bankDrop, token), "") << "the bank gets its number, not the gateway's token";
}

}  // namespace
}  // namespace lendgate::e2e
