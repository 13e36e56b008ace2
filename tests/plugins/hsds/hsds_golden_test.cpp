// Sonoran Family Services and Arizona Veterans Bridge through the hsds plugin
// with their shipped configurations: canonical referrals encode to exactly the
// golden HSDS documents, the nonprofits' update samples decode to exactly the
// golden canonical records (which the published schemas accept), and the ids a
// referral document carries come back in updates as the same referral.
//
// Set LENDGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hsds_test_support.h"

namespace {

using lendgate::test::readFile;
using namespace lendgate::test::hsds;

struct Partner {
    std::string config;   // config/plugins/hsds-<config>.json
    std::string sample;   // samples/<sample>/
    std::string golden;   // golden file prefix
    std::string updates;  // the batch sample's file name
};

const Partner kSonoran{"sonoran", "sonoran-family-services", "sonoran", "referral_updates_20261124.jsonl"};
const Partner kAvb{"avb", "arizona-veterans-bridge", "avb", "referral_updates_20261124.json"};

std::string samplePath(const Partner &p, const std::string &file) {
    return kRoot + "/samples/" + p.sample + "/" + file;
}

void expectEncodesToGolden(const Partner &p) {
    const auto result =
        instanceFor(p.config).encode(lines(readFile(kGolden + p.golden + "_referrals.input.jsonl")), "referral");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    expectGolden(result.output, p.golden + "_referrals.expected.jsonl");
    // The webhook body a partner receives for one referral is the first document, as the sample shows it.
    const auto one = instanceFor(p.config).encode(
        {lines(readFile(kGolden + p.golden + "_referrals.input.jsonl")).front()}, "referral");
    EXPECT_EQ(one.output, readFile(samplePath(p, "referral.json")));
}

void expectDecodesToGolden(const Partner &p, const std::string &file, const std::string &golden, std::size_t expected) {
    const std::string input = readFile(samplePath(p, file));
    const auto result = instanceFor(p.config).decode(input, "referral_update");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), expected);
    expectGolden(result.jsonLines(), golden);
    for (const auto &record : result.records) {
        EXPECT_EQ(record.messageType, "referral_update");
        EXPECT_EQ(canonicalSchemaProblems(record.json), "") << record.json;
    }
    // Reads of one byte at a time change nothing.
    EXPECT_EQ(instanceFor(p.config).decode(input, "referral_update", 1).jsonLines(), result.jsonLines());
}

TEST(HsdsGolden, SonoranReferralsEncodeToTheGoldenDocuments) {
    expectEncodesToGolden(kSonoran);
}
TEST(HsdsGolden, VeteransBridgeReferralsEncodeToTheGoldenDocuments) {
    expectEncodesToGolden(kAvb);
}

TEST(HsdsGolden, SonoranUpdateSamplesDecodeToTheGoldenRecords) {
    expectDecodesToGolden(kSonoran, kSonoran.updates, "sonoran_updates.expected.jsonl", 4);
    expectDecodesToGolden(kSonoran, "referral_update.json", "sonoran_update.expected.jsonl", 1);
}

TEST(HsdsGolden, VeteransBridgeUpdateSamplesDecodeToTheGoldenRecords) {
    expectDecodesToGolden(kAvb, kAvb.updates, "avb_updates.expected.jsonl", 3);
    expectDecodesToGolden(kAvb, "referral_update.json", "avb_update.expected.jsonl", 1);
}

TEST(HsdsGolden, EachDecodedUpdateKnowsWhereItCameFrom) {
    // The pretty-printed array: each element opens on lines 2, 13 and 21.
    const std::string input = readFile(samplePath(kAvb, kAvb.updates));
    const auto result = instanceFor("avb").decode(input, "referral_update", 7);
    ASSERT_EQ(result.records.size(), 3u);
    const std::uint64_t lines[] = {2, 13, 21};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(result.records[i].where.record, i + 1);
        EXPECT_EQ(result.records[i].where.line, lines[i]);
        EXPECT_EQ(input[result.records[i].where.byteOffset], '{');
    }
}

TEST(HsdsGolden, TheSameReferralLooksDifferentForEachPartnerOnlyWhereTheirConfigurationsDiffer) {
    const std::vector<std::string> records = lines(readFile(kGolden + "avb_referrals.input.jsonl"));
    const auto doc = nlohmann::json::parse(instanceFor("avb").encode({records[0]}, "referral").output);
    // Arizona Veterans Bridge serves by county too; Sonoran's configuration leaves the county out.
    EXPECT_EQ(doc.at("client").at("county"), "Pima");
    const auto sonoran =
        nlohmann::json::parse(instanceFor("sonoran")
                                  .encode({lines(readFile(kGolden + "sonoran_referrals.input.jsonl"))[0]}, "referral")
                                  .output);
    EXPECT_FALSE(sonoran.at("client").contains("county"));
    EXPECT_EQ(sonoran.at("client").at("phone"), nlohmann::json::parse(R"({"number":"+16025550148","type":"cell"})"));
    // The envelope's routing fields stay inside the gateway.
    for (const char *internal : {"case_id", "sender", "receiver", "causation_id", "source_event", "idempotency_key"}) {
        EXPECT_FALSE(doc.contains(internal)) << internal;
        EXPECT_FALSE(sonoran.contains(internal)) << internal;
    }
}

TEST(HsdsGolden, ArrayOutputHoldsTheSameDocuments) {
    auto config = nlohmann::json::parse(configText("sonoran"));
    config["output"] = "array";
    const std::vector<std::string> records = lines(readFile(kGolden + "sonoran_referrals.input.jsonl"));
    const auto result = plugin().create(config.dump()).encode(records, "referral");
    ASSERT_EQ(result.status, LENDGATE_OK);
    const auto array = nlohmann::json::parse(result.output);
    const std::vector<std::string> documents = lines(readFile(kGolden + "sonoran_referrals.expected.jsonl"));
    ASSERT_EQ(array.size(), documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) EXPECT_EQ(array[i], nlohmann::json::parse(documents[i]));
    // Nothing to send is still a well-formed array.
    EXPECT_EQ(plugin().create(config.dump()).encode({}, "referral").output, "[]\n");
}

// The ids a nonprofit receives are the ids it answers with: for every service, every status code of the
// partner, the update comes back as the referral it answers, with the canonical status its table names.
void expectIdsRoundTrip(const Partner &p) {
    const auto config = nlohmann::json::parse(configText(p.config));
    const std::string canonical = lines(readFile(kGolden + p.golden + "_referrals.input.jsonl")).front();
    for (const auto &service : config.at("services")) {
        for (const std::string need : service.at("needs")) {
            auto referral = nlohmann::json::parse(canonical);
            referral["payload"]["need"] = need;
            referral["payload"]["target"] = {{"organization_id", config["organization"]["id"]}};
            const auto sent = instanceFor(p.config).encode({referral.dump()}, "referral");
            ASSERT_EQ(sent.errorLines(), "") << need;
            const auto doc = nlohmann::json::parse(sent.output);
            EXPECT_EQ(doc["service"]["id"], service["id"]);
            for (const auto &status : config.at("statuses").items()) {
                const nlohmann::json update = {{"referral_id", doc["referral_id"]},
                                               {"organization_id", doc["organization"]["id"]},
                                               {"service_id", doc["service"]["id"]},
                                               {"status", status.key()},
                                               {"updated_at", "2026-11-24T09:00:00-07:00"}};
                const auto back = instanceFor(p.config).decode(update.dump(), "referral_update");
                ASSERT_EQ(back.records.size(), 1u) << back.errorLines();
                const auto record = nlohmann::json::parse(back.records[0].json);
                EXPECT_EQ(record["payload"]["referral_id"], referral["payload"]["referral_id"]);
                EXPECT_EQ(record["payload"]["status"], status.value());
                EXPECT_EQ(record["partner_refs"][0]["value"], service["id"]);
                EXPECT_EQ(canonicalSchemaProblems(back.records[0].json), "");
            }
        }
    }
}

TEST(HsdsGolden, SonoranIdsRoundTrip) {
    expectIdsRoundTrip(kSonoran);
}
TEST(HsdsGolden, VeteransBridgeIdsRoundTrip) {
    expectIdsRoundTrip(kAvb);
}

TEST(HsdsGolden, EveryGoldenInputIsACanonicalReferralThePublishedSchemaAccepts) {
    for (const char *file : {"sonoran_referrals.input.jsonl", "avb_referrals.input.jsonl"})
        for (const std::string &record : lines(readFile(kGolden + file)))
            EXPECT_EQ(canonicalSchemaProblems(record), "") << file;
}

}  // namespace
