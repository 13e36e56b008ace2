// The README's first run: Desert Valley Bank posts its nightly delinquency
// CSV, the loss-mitigation partner's webhook gets one signed delivery per
// notice, and a retried upload is answered from the journal.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/api/request_auth.h"
#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {
namespace {

using delivery::testing::TestReceiver;
using namespace std::chrono_literals;

const std::string kBank = "desert-valley-bank";
const std::string kLossMit = "copper-state-lossmit";

std::string dvbCsv() {
    return readText(sourceDir() / "samples" / "desert-valley-bank" / "DVB_DELQ_20261123_001.csv");
}

// The value of a Prometheus sample whose labels include all of `labels`.
std::optional<double> metricValue(const std::string &exposition, const std::string &name,
                                  const std::vector<std::string> &labels) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(name + "{")) continue;
        bool all = true;
        for (const auto &label : labels) all = all && line.find(label) != std::string::npos;
        if (!all) continue;
        return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return std::nullopt;
}

TEST(EndToEndSmoke, BankCsvIsAcknowledgedDeliveredSignedAndReplayedFromTheJournal) {
    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();

    const Submission upload{dvbCsv(), "text/csv", "DVB_DELQ_20261123_001", "delinquency_notice"};
    const auto first = submit(daemon.partnerPort(), kBank, upload);
    ASSERT_EQ(first.status, 202) << first.error << first.body;
    // The bank reads its ACK as the per-record CSV its profile binds to `ack`.
    EXPECT_EQ(first.header("content-type"), "text/csv") << first.body;
    EXPECT_EQ(first.body.rfind("RECORD_TYPE,RECORD_NO,STATUS,MESSAGE_ID,SENDER_KEY,", 0), 0u) << first.body;
    EXPECT_NE(first.body.find("\nH,DVB_DELQ_20261123_001,"), std::string::npos) << first.body;
    EXPECT_NE(first.body.find(",ACCEPTED,"), std::string::npos) << first.body;
    EXPECT_NE(first.body.find("\nD,8,ACCEPTED,"), std::string::npos) << first.body;
    EXPECT_NE(first.body.find(",DVB-DQ-20261122-000417,N"), std::string::npos) << first.body;
    EXPECT_EQ(first.body.find("921-47-3856"), std::string::npos) << "an ACK carries no personal data";
    const auto ids = acceptedMessageIds(first.body);
    ASSERT_EQ(ids.size(), 8u) << first.body;
    const std::set<std::string> idSet(ids.begin(), ids.end());
    EXPECT_EQ(idSet.size(), 8u) << "message IDs are unique";
    EXPECT_TRUE(first.header("idempotent-replayed").empty());

    // Eight signed deliveries, keyed by message ID.
    ASSERT_TRUE(lossMit.waitForDistinct(8, 60s)) << "got " << lossMit.distinctKeys() << "\n" << daemon.logTail();
    std::set<std::string> deliveredKeys;
    for (const auto &request : lossMit.requests()) {
        if (request.answeredStatus != 200) continue;
        deliveredKeys.insert(request.header("Idempotency-Key"));
        EXPECT_EQ(request.uri, "/copper-state/lendgate");
        const auto check = api::verifyRequestSignature(request.header("Lendgate-Signature"), request.body,
                                                       {world.webhookSecret(kLossMit)}, std::time(nullptr));
        EXPECT_EQ(check, api::SignatureCheck::Valid) << api::toString(check);
        EXPECT_NE(request.body.find(request.header("Idempotency-Key")), std::string::npos)
            << "the delivered record carries its message ID";
    }
    EXPECT_EQ(deliveredKeys, idSet);

    const auto metrics = httpRequest(daemon.adminPort(), "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_EQ(metricValue(metrics.body, "lendgate_messages_received_total", {"partner=\"" + kBank + "\""}), 8.0)
        << metrics.body;

    // The bank's retry of the same upload: the same ACK, from the journal.
    const auto again = submit(daemon.partnerPort(), kBank, upload);
    ASSERT_EQ(again.status, 202) << again.body;
    EXPECT_EQ(again.header("idempotent-replayed"), "true");
    EXPECT_EQ(again.body, first.body);

    // The same key for another file is a mistake the bank must hear about.
    auto changed = upload;
    const auto at = changed.body.find("SILVER");
    ASSERT_NE(at, std::string::npos);
    changed.body.replace(at, 6, "YELLOW");
    const auto conflict = submit(daemon.partnerPort(), kBank, changed);
    EXPECT_EQ(conflict.status, 409) << conflict.body;

    // Nothing more reached the receiver because of the replay or the conflict.
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    EXPECT_EQ(lossMit.distinctKeys(), 8u);
}

}  // namespace
}  // namespace lendgate::e2e
