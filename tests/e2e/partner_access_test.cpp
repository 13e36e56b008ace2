// G10 and G11 through the partner API: concurrent retries make one message,
// partners see only their own, and malformed or unauthorised requests get the
// refusal the API documents.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"

namespace lendgate::e2e {
namespace {

using namespace std::chrono_literals;

const std::string kLender = kFixtureLender;
const std::string kOtherLender = "desert-valley-bank";
const std::string kRepoFirm = "mesa-asset-recovery";
constexpr std::uint64_t kMaxBody = 64 * 1024;

std::size_t messagesOf(const Daemon &daemon, const std::string &partner) {
    const auto list = adminGet(daemon.adminPort(), "/admin/v1/messages?partner=" + partner, kViewerToken);
    if (list.status != 200) throw std::runtime_error("listing failed: " + list.body);
    return list.json()["messages"].size();
}

TEST(PartnerAccess, SixteenConcurrentIdenticalPostsMakeOneMessage) {
    GatewayWorld world;
    Daemon daemon(world);
    daemon.start();

    const Submission same{jsonLines({delinquencyNotice("G10-ONCE", "6300000001")}), "application/json", "G10-same", ""};
    constexpr int kClients = 16;
    std::atomic<bool> go{false};
    std::vector<HttpResult> answers(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i)
        clients.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            answers[i] = submit(daemon.partnerPort(), kLender, same);
        });
    go = true;
    for (auto &client : clients) client.join();

    std::set<std::string> ids;
    int fresh = 0;
    for (const auto &answer : answers) {
        ASSERT_EQ(answer.status, 202) << answer.error << answer.body;
        const auto got = acceptedMessageIds(answer.body);
        ASSERT_EQ(got.size(), 1u) << answer.body;
        ids.insert(got.front());
        if (answer.header("idempotent-replayed") != "true") ++fresh;
    }
    EXPECT_EQ(ids.size(), 1u) << "every answer names the same message";
    EXPECT_EQ(fresh, 1) << "exactly one request made the submission; the others were answered from the journal";
    EXPECT_EQ(messagesOf(daemon, kLender), 1u);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

TEST(PartnerAccess, PartnersSeeOnlyTheirOwnAndBadRequestsAreRefused) {
    WorldOptions options;
    options.maxBodyBytes = kMaxBody;
    GatewayWorld world(options);
    Daemon daemon(world);
    daemon.start();
    const auto port = daemon.partnerPort();

    const auto posted =
        submit(port, kLender, {jsonLines({delinquencyNotice("G11-1", "6400000001")}), "application/json", "G11-1", ""});
    ASSERT_EQ(posted.status, 202) << posted.body;
    const auto id = acceptedMessageIds(posted.body).at(0);
    const auto submissionId = posted.json()["message_id"].get<std::string>();
    EXPECT_EQ(posted.header("location"), "/v1/acks/" + submissionId);

    auto get = [&](const std::string &partner, const std::string &target, const std::string &key = {}) {
        return httpRequest(port, "GET", target, {},
                           {{"Authorization", "Bearer " + (key.empty() ? partnerKey(partner) : key)}});
    };
    // The owner reads its message and its ACK; another partner finds nothing.
    EXPECT_EQ(get(kLender, "/v1/messages/" + id).status, 200);
    EXPECT_EQ(get(kLender, "/v1/acks/" + submissionId).status, 200);
    const auto foreignMessage = get(kOtherLender, "/v1/messages/" + id);
    EXPECT_EQ(foreignMessage.status, 404) << foreignMessage.body;
    EXPECT_EQ(foreignMessage.body.find(id), std::string::npos);
    EXPECT_EQ(get(kOtherLender, "/v1/acks/" + submissionId).status, 404);
    EXPECT_EQ(get(kOtherLender, "/v1/messages/" + id).body, get(kOtherLender, "/v1/messages/NOSUCHID").body)
        << "another partner's ID and a missing one look the same";

    const std::string notice = jsonLines({delinquencyNotice("G11-2", "6400000002")});
    // A wrong or missing API key.
    EXPECT_EQ(get(kLender, "/v1/messages/" + id, partnerKey(kLender) + "x").status, 401);
    EXPECT_EQ(httpRequest(port, "POST", "/v1/messages", notice, {{"Content-Type", "application/json"}}).status, 401);
    // A type the partner's role may not send.
    const auto wrongRole = submit(port, kRepoFirm, {notice, "application/json", "G11-3", "delinquency_notice"});
    EXPECT_EQ(wrongRole.status, 403) << wrongRole.body;
    const auto wrongType = submit(port, kLender, {notice, "application/json", "G11-4", "repossession_outcome"});
    EXPECT_EQ(wrongType.status, 403) << wrongType.body;
    // Over max_body_bytes: refused from the declared length, before the body
    // is read. Headers only: the server closes without draining the body, so
    // a client still writing one may get a connection reset, not the 413.
    const std::string oversized =
        "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + partnerKey(kLender) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(kMaxBody + 1) + "\r\n\r\n";
    const auto tooLarge = rawExchange(port, oversized);
    EXPECT_TRUE(tooLarge.starts_with("HTTP/1.1 413")) << tooLarge;
    // Not the media type the partner's plugin reads.
    const auto wrongMedia = submit(port, kLender, {notice, "text/plain", "G11-6", ""});
    EXPECT_EQ(wrongMedia.status, 415) << wrongMedia.body;
    // Content-Length and Transfer-Encoding together: request smuggling shape.
    const std::string smuggling = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                  partnerKey(kLender) +
                                  "\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    const auto raw = rawExchange(port, smuggling);
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 400")) << raw;

    // None of the refused requests left a message behind.
    EXPECT_EQ(messagesOf(daemon, kLender), 1u);
    EXPECT_EQ(messagesOf(daemon, kRepoFirm), 0u);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();

    // Each read of what was not the partner's is in the audit chain (G11).
    const auto audit = test::runCommand({lendgateCli().string(), "audit", "list", "--limit", "1000", "--config",
                                         world.configFile().string(), "--plugin-dir", pluginDir().string()});
    ASSERT_EQ(audit.exitCode, 0) << audit.err;
    std::size_t denied = 0;
    std::istringstream lines(audit.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find("partner.denied") != std::string::npos && line.find(kOtherLender) != std::string::npos) ++denied;
    EXPECT_EQ(denied, 4u) << audit.out;
}

}  // namespace
}  // namespace lendgate::e2e
