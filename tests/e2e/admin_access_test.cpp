// The admin API's roles, as an operations team meets them: viewers read with
// personal data masked, operators also replay, only admins see the clear
// values; no token, a wrong one, or a partner's API key get 401.
#include <gtest/gtest.h>

#include <regex>

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

std::string digitsOf(const std::string &text) {
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

// The SSNs in the sample file, in record order.
std::vector<std::string> ssnsIn(const std::string &csv) {
    static const std::regex ssn(R"(\b\d{3}-\d{2}-\d{4}\b)");
    std::vector<std::string> found;
    for (auto it = std::sregex_iterator(csv.begin(), csv.end(), ssn); it != std::sregex_iterator(); ++it)
        found.push_back(it->str());
    return found;
}

bool showsAnySsn(const std::string &text, const std::vector<std::string> &ssns) {
    for (const auto &ssn : ssns)
        if (text.find(ssn) != std::string::npos || text.find(digitsOf(ssn)) != std::string::npos) return true;
    return false;
}

TEST(AdminAccess, RolesDecideWhoSeesPersonalDataAndWhoReplays) {
    TestReceiver lossMit;
    WorldOptions options;
    options.webhookUrls[kLossMit] = lossMit.url("/copper-state/lendgate");
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const auto admin = daemon.adminPort();

    const std::string csv = readText(sourceDir() / "samples" / "desert-valley-bank" / "DVB_DELQ_20261123_001.csv");
    const auto ssns = ssnsIn(csv);
    ASSERT_FALSE(ssns.empty()) << "the sample file has SSNs to hide";
    const auto posted = submit(daemon.partnerPort(), kBank, {csv, "text/csv", "DVB-ADMIN-1", "delinquency_notice"});
    ASSERT_EQ(posted.status, 202) << posted.body;
    const auto ids = acceptedMessageIds(posted.body);
    ASSERT_EQ(ids.size(), 8u);
    ASSERT_TRUE(lossMit.waitForDistinct(8, 60s)) << daemon.logTail();

    // Viewer: lists and reads, masked.
    const auto list = adminGet(admin, "/admin/v1/messages?partner=" + kBank, kViewerToken);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json()["messages"].size(), 8u);
    EXPECT_FALSE(showsAnySsn(list.body, ssns));
    for (const auto &id : ids) {
        const auto read = adminGet(admin, "/admin/v1/messages/" + id, kViewerToken);
        ASSERT_EQ(read.status, 200) << read.body;
        EXPECT_TRUE(read.json().contains("body")) << read.body;
        EXPECT_FALSE(showsAnySsn(read.body, ssns)) << read.body;
        // Asking for the clear text is not enough without the admin role.
        const auto sneaky = adminGet(admin, "/admin/v1/messages/" + id + "?unmasked=true", kViewerToken);
        EXPECT_FALSE(showsAnySsn(sneaky.body, ssns)) << sneaky.body;
        const auto operatorRead = adminGet(admin, "/admin/v1/messages/" + id + "?unmasked=true", kOperatorToken);
        EXPECT_FALSE(showsAnySsn(operatorRead.body, ssns)) << operatorRead.body;
    }

    // Admin: the clear value, on request.
    const auto clear = adminGet(admin, "/admin/v1/messages/" + ids.front() + "?unmasked=true", kAdminToken);
    ASSERT_EQ(clear.status, 200) << clear.body;
    const auto party = clear.json()["body"]["payload"]["parties"][0];
    ASSERT_TRUE(party.contains("ssn")) << clear.body;
    EXPECT_EQ(digitsOf(party["ssn"].get<std::string>()), digitsOf(ssns.front()));

    // Replays: a viewer may not, an operator may.
    const auto message = adminGet(admin, "/admin/v1/messages/" + ids.front(), kViewerToken).json();
    ASSERT_EQ(message["deliveries"].size(), 1u) << message.dump();
    const auto deliveryId = std::to_string(message["deliveries"][0]["delivery_id"].get<std::int64_t>());
    const std::string replayOne = "/admin/v1/deliveries/" + deliveryId + "/replay";
    const std::string replayDead = "/admin/v1/deadletters/replay?destination=" + kLossMit;
    EXPECT_EQ(adminPost(admin, replayOne, kViewerToken).status, 403);
    EXPECT_EQ(adminPost(admin, replayDead, kViewerToken).status, 403);
    const auto before = lossMit.total();
    const auto replayed = adminPost(admin, replayOne, kOperatorToken);
    EXPECT_EQ(replayed.status, 200) << replayed.body;
    EXPECT_TRUE(eventually([&] { return lossMit.total() > before; }, 30s)) << "the replay was not sent";
    EXPECT_EQ(lossMit.distinctKeys(), 8u) << "a replay carries the same Idempotency-Key";
    EXPECT_EQ(adminPost(admin, replayDead, kOperatorToken).status, 200);
    EXPECT_EQ(adminPost(admin, "/admin/v1/blobs/anything/purge", kOperatorToken).status, 403);

    // Who is not an admin client at all.
    EXPECT_EQ(adminGet(admin, "/admin/v1/messages", "").status, 401);
    EXPECT_EQ(adminGet(admin, "/admin/v1/messages", kAdminToken + "x").status, 401);
    EXPECT_EQ(adminGet(admin, "/admin/v1/messages", partnerKey(kBank)).status, 401);
    EXPECT_EQ(adminPost(admin, replayDead, partnerKey(kBank)).status, 401);
    // Health and metrics stay open for probes and scrapers.
    EXPECT_EQ(httpRequest(admin, "GET", "/healthz").status, 200);
    EXPECT_EQ(httpRequest(admin, "GET", "/metrics").status, 200);

    // Nothing personal in the daemon's own log either.
    EXPECT_FALSE(showsAnySsn(readText(daemon.logFile()), ssns));
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

}  // namespace
}  // namespace lendgate::e2e
