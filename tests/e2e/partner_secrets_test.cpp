// Partner secrets and mutual TLS against the real daemon and the real CLI:
// `lendgate partner rotate-key` leaves old and new credentials valid for the
// overlap and the old refused after it; a partner pinned to a client
// certificate gets in with that certificate only.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/api/request_auth.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"
#include "tests/support/run_command.h"
#include "tests/support/test_certificates.h"

namespace lendgate::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kLender = kFixtureLender;

std::filesystem::path profileOf(const GatewayWorld &world) {
    return world.root() / "partners" / (kLender + ".json");
}

test::CommandResult cli(const GatewayWorld &world, std::vector<std::string> args) {
    args.insert(args.begin(), lendgateCli().string());
    args.push_back("--config");
    args.push_back(world.configFile().string());
    return test::runCommand(args);
}

// The one line of the CLI's output that is the new credential.
std::string printedSecret(const std::string &out, const std::string &prefix) {
    std::smatch match;
    static const std::regex line("(^|\n)(lg[ks]_[0-9a-f]+)\n");
    EXPECT_TRUE(std::regex_search(out, match, line)) << out;
    const std::string secret = match.size() > 2 ? match[2].str() : std::string();
    EXPECT_EQ(secret.rfind(prefix, 0), 0u) << out;
    return secret;
}

std::size_t occurrences(const std::string &text, const std::string &needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
    return count;
}

HttpResult post(const Daemon &daemon, const std::string &key, const std::string &idempotencyKey,
                const Headers &extra = {}, const std::string &body = {}) {
    const std::string payload = body.empty() ? jsonLines({delinquencyNotice(idempotencyKey, "6300000042")}) : body;
    Headers headers{{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return httpRequest(daemon.partnerPort(), "POST", "/v1/messages", payload, headers);
}

void setExpiry(const std::filesystem::path &profile, const std::function<void(json &)> &edit) {
    json doc = json::parse(readText(profile));
    edit(doc);
    writeText(profile, doc.dump(2));
}

TEST(PartnerSecrets, ARotatedApiKeyOverlapsTheOldOneWhichIsThenRefused) {
    GatewayWorld world;
    const std::string oldKey = partnerKey(kLender);
    const auto rotated = cli(world, {"partner", "rotate-key", kLender, "--overlap", "24"});
    ASSERT_EQ(rotated.exitCode, 0) << rotated.err << rotated.out;
    const std::string newKey = printedSecret(rotated.out, "lgk_");
    EXPECT_EQ(occurrences(rotated.out + rotated.err, newKey), 1u) << "the key is printed once";
    EXPECT_NE(rotated.out.find("restart"), std::string::npos) << rotated.out;
    EXPECT_EQ(readText(profileOf(world)).find(newKey), std::string::npos) << "only the hash is stored";
    const auto check = cli(world, {"config", "check"});
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;

    {
        Daemon daemon(world);
        daemon.start();
        EXPECT_EQ(post(daemon, oldKey, "ROT-1").status, 202);
        EXPECT_EQ(post(daemon, newKey, "ROT-2").status, 202);
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }
    // The overlap is over: the old key's expires_at is in the past.
    setExpiry(profileOf(world), [&](json &doc) {
        for (auto &key : doc["credentials"]["api_keys"])
            if (key.contains("expires_at")) key["expires_at"] = "2020-01-01T00:00:00Z";
    });
    Daemon daemon(world);
    daemon.start();
    const auto refused = post(daemon, oldKey, "ROT-3");
    const auto unknown = post(daemon, "lgk_e2e_lend_not_a_key", "ROT-4");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.body, unknown.body) << "an expired key is answered like an unknown one";
    EXPECT_EQ(post(daemon, newKey, "ROT-5").status, 202);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();

    const std::string log = readText(daemon.logFile());
    EXPECT_NE(log.find("API key " + kLender + "-key of partner " + kLender + " refused: expired"), std::string::npos);
    EXPECT_EQ(log.find(oldKey), std::string::npos);
    EXPECT_EQ(log.find(newKey), std::string::npos);
}

TEST(PartnerSecrets, SigningSecretsRotateSealedWithTwoValidInTheOverlap) {
    GatewayWorld world;
    {
        Daemon daemon(world);  // makes the key ring the sealed secrets are wrapped with
        daemon.start();
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }
    const auto first = cli(world, {"partner", "rotate-key", kLender, "--signing"});
    ASSERT_EQ(first.exitCode, 0) << first.err << first.out;
    const std::string oldSecret = printedSecret(first.out, "lgs_");
    setExpiry(profileOf(world), [](json &doc) { doc["credentials"]["request_signing"]["required"] = true; });
    const auto second = cli(world, {"partner", "rotate-key", kLender, "--signing"});
    ASSERT_EQ(second.exitCode, 0) << second.err << second.out;
    const std::string newSecret = printedSecret(second.out, "lgs_");
    EXPECT_EQ(cli(world, {"config", "check"}).exitCode, 0);

    for (const auto &entry : std::filesystem::directory_iterator(world.dataDir() / "secrets")) {
        const std::string sealed = readText(entry.path());
        for (const std::string &secret : {oldSecret, newSecret}) {
            EXPECT_EQ(sealed.find(secret), std::string::npos) << entry.path();
            EXPECT_EQ(sealed.find(secret.substr(4)), std::string::npos) << entry.path();
        }
        EXPECT_EQ(std::filesystem::status(entry.path()).permissions() & std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }

    auto signedPost = [&](const Daemon &daemon, const std::string &secret, const std::string &id) {
        const std::string body = jsonLines({delinquencyNotice(id, "6300000043")});
        const auto now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        return post(daemon, partnerKey(kLender), id, {{"Lendgate-Signature", api::signRequest(secret, now, body)}},
                    body);
    };
    {
        Daemon daemon(world);
        daemon.start();
        EXPECT_EQ(signedPost(daemon, oldSecret, "SIG-1").status, 202);
        EXPECT_EQ(signedPost(daemon, newSecret, "SIG-2").status, 202);
        EXPECT_EQ(signedPost(daemon, "lgs_someone_else", "SIG-3").status, 401);
        EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    }
    setExpiry(profileOf(world), [](json &doc) {
        for (auto &old : doc["credentials"]["request_signing"]["previous"]) old["expires_at"] = "2020-01-01T00:00:00Z";
    });
    Daemon daemon(world);
    daemon.start();
    EXPECT_EQ(signedPost(daemon, oldSecret, "SIG-4").status, 401);
    EXPECT_EQ(signedPost(daemon, newSecret, "SIG-5").status, 202);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
    const std::string log = readText(daemon.logFile());
    EXPECT_EQ(log.find(oldSecret), std::string::npos);
    EXPECT_EQ(log.find(newSecret), std::string::npos);
}

// A client over TLS with an optional client certificate.
int tlsStatus(std::uint16_t port, const test::TestPki &pki, const std::string &clientName, const std::string &key,
              const std::string &method, const std::string &target, const std::string &body) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, clientName.empty() ? "" : pki.key(clientName),
        clientName.empty() ? "" : pki.pem(clientName), pki.pem("gateway-ca"), Poco::Net::Context::VERIFY_RELAXED);
    Poco::Net::HTTPSClientSession session("127.0.0.1", port, context);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + key);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
    return static_cast<int>(response.getStatus());
}

TEST(PartnerSecrets, APinnedPartnerGetsInWithItsOwnCertificateOnly) {
    GatewayWorld world;
    test::TestPki pki(world.root().string());
    pki.selfSigned("gateway-ca");
    pki.signedBy("gateway-ca", "gateway", "IP:127.0.0.1");
    pki.signedBy("gateway-ca", "lender-client", "DNS:" + kLender);
    pki.signedBy("gateway-ca", "other-client", "DNS:desert-valley-bank");
    setExpiry(world.configFile(), [&](json &doc) {
        doc["http"]["partner_api"]["tls"] = {{"certificate", pki.pem("gateway")},
                                             {"private_key", pki.key("gateway")},
                                             {"client_ca", pki.pem("gateway-ca")},
                                             {"client_certificate", "optional"}};
    });
    setExpiry(profileOf(world), [&](json &doc) { doc["client_certificate_sha256"] = pki.sha256("lender-client"); });
    EXPECT_EQ(cli(world, {"config", "check"}).exitCode, 0);

    Daemon daemon(world);
    daemon.start();
    const std::string key = partnerKey(kLender);
    auto submitAs = [&](const std::string &client, const std::string &id) {
        return tlsStatus(daemon.partnerPort(), pki, client, key, "POST", "/v1/messages",
                         jsonLines({delinquencyNotice(id, "6300000044")}));
    };
    EXPECT_EQ(submitAs("lender-client", "MTLS-1"), 202);
    EXPECT_EQ(submitAs("other-client", "MTLS-2"), 403);
    EXPECT_EQ(submitAs("", "MTLS-3"), 403);
    // A partner without a pin is unaffected: it needs no certificate.
    EXPECT_EQ(tlsStatus(daemon.partnerPort(), pki, "", partnerKey("desert-valley-bank"), "GET",
                        "/v1/messages/01JDNPZX45HY43KWJRP1XPA7Z3", ""),
              404);
    EXPECT_EQ(daemon.terminate(20s), 0) << daemon.logTail();
}

}  // namespace
}  // namespace lendgate::e2e
