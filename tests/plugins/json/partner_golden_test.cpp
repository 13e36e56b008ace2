// The sample world's JSON partners through the mapped mode, as the host runs
// them: Valley Recovery Co. (repo firm) and Copper State Loss Mitigation
// (servicer). Each partner sample decodes to its golden canonical records;
// each outbound golden encodes to the partner's exact bytes; and every
// configuration reads back what it writes.
//
// After a deliberate change of output, LENDGATE_UPDATE_GOLDEN=1 rewrites the
// golden files; review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_harness.h"

namespace {

using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;

const std::string kRoot = std::string(LENDGATE_TEST_SOURCE_DIR) + "/";
const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/partners/";

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

std::string config(const std::string &name) {
    return readFile(kRoot + "config/plugins/" + name);
}

std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Compares with a golden file, or rewrites it when asked to.
void expectGolden(const std::string &actual, const std::string &path) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) lendgate::test::writeFile(path, actual);
    EXPECT_EQ(actual, readFile(path)) << path;
}

struct DecodeCase {
    const char *config;
    const char *sample;  // under samples/
    const char *golden;  // under golden/partners/
    const char *expectedType;
    std::size_t records;
};

const DecodeCase kDecodeCases[] = {
    {"valley-inbound.json", "valley-recovery/outcome_recovered.json", "valley_outcome_recovered.expected.jsonl",
     "repossession_outcome", 1},
    {"valley-inbound.json", "valley-recovery/outcome_events.jsonl", "valley_outcome_events.expected.jsonl",
     "repossession_outcome", 7},
    {"valley-inbound.json", "valley-recovery/consent_captured.json", "valley_consent_captured.expected.jsonl",
     "consent", 1},
    {"valley-assignment.json", "valley-recovery/assignment_opened.json", "valley_assignment_opened.expected.jsonl",
     "repossession_assignment", 1},
    {"valley-assignment.json", "valley-recovery/assignment_events.jsonl", "valley_assignment_events.expected.jsonl",
     "repossession_assignment", 5},
    {"copper-events.json", "copper-state-lossmit/hardship_decisions.jsonl", "copper_hardship_decisions.expected.jsonl",
     "hardship_decision", 4},
    {"copper-events.json", "copper-state-lossmit/account_updates.jsonl", "copper_account_updates.expected.jsonl",
     "account_update", 5},
    {"copper-events.json", "copper-state-lossmit/consent_granted.json", "copper_consent_granted.expected.jsonl",
     "consent", 1},
    {"copper-delinquency-notice.json", "copper-state-lossmit/delinquency_reported.json",
     "copper_delinquency_reported.expected.jsonl", "delinquency_notice", 1},
    {"copper-hardship-application.json", "copper-state-lossmit/hardship_application_submitted.json",
     "copper_hardship_application_submitted.expected.jsonl", "hardship_application", 1},
};

TEST(PartnerGolden, EverySampleDecodesToItsGoldenRecords) {
    for (const DecodeCase &c : kDecodeCases) {
        SCOPED_TRACE(c.sample);
        auto instance = plugin().create(config(c.config));
        const auto result = instance.decode(readFile(kRoot + "samples/" + c.sample), c.expectedType);
        EXPECT_EQ(result.status, LENDGATE_OK);
        EXPECT_EQ(result.errorLines(), "");
        EXPECT_EQ(result.records.size(), c.records);
        for (const auto &record : result.records) EXPECT_EQ(record.messageType, c.expectedType);
        expectGolden(result.jsonLines(), kGolden + c.golden);
        // The same webhook body, whatever the host's read sizes.
        EXPECT_EQ(instance.decode(readFile(kRoot + "samples/" + c.sample), nullptr, 7).jsonLines(), result.jsonLines());
    }
}

// Every decoded record encodes back to the partner's shape and decodes to itself again.
TEST(PartnerGolden, EveryConfigurationReadsBackWhatItWrites) {
    for (const DecodeCase &c : kDecodeCases) {
        SCOPED_TRACE(c.sample);
        auto instance = plugin().create(config(c.config));
        const auto decoded = instance.decode(readFile(kRoot + "samples/" + c.sample), c.expectedType);
        std::vector<std::string> records;
        for (const auto &r : decoded.records) records.push_back(r.json);
        const auto encoded = instance.encode(records, c.expectedType);
        EXPECT_EQ(encoded.status, LENDGATE_OK);
        EXPECT_EQ(encoded.errorLines(), "");
        const auto again = instance.decode(encoded.output, c.expectedType);
        EXPECT_EQ(again.errorLines(), "");
        EXPECT_EQ(again.jsonLines(), decoded.jsonLines());
    }
}

struct EncodeCase {
    const char *config;
    const char *name;  // golden/partners/encode/NAME.input.jsonl -> NAME.expected.jsonl
    const char *messageType;
    const char *sample;  // the partner's readable sample of the first body, under samples/
    const char *rest;    // the partner's sample of the other bodies, one per line, byte for byte
};

const EncodeCase kEncodeCases[] = {
    {"valley-assignment.json", "valley_assignments", "repossession_assignment",
     "valley-recovery/assignment_opened.json", "valley-recovery/assignment_events.jsonl"},
    {"copper-delinquency-notice.json", "copper_delinquency_notices", "delinquency_notice",
     "copper-state-lossmit/delinquency_reported.json", nullptr},
    {"copper-hardship-application.json", "copper_hardship_applications", "hardship_application",
     "copper-state-lossmit/hardship_application_submitted.json", nullptr},
    {"copper-events.json", "copper_account_updates_out", "account_update", nullptr, nullptr},
    // A lender's own decisions (Saguaro FCU's XML file, decoded) go to the servicer as its webhooks.
    {"copper-events.json", "copper_hardship_decisions_out", "hardship_decision", nullptr, nullptr},
    // The answers to their webhook requests, in their own shapes.
    {"copper-ack.json", "copper_acks", "ack", nullptr, nullptr},
    {"valley-ack.json", "valley_acks", "ack", nullptr, nullptr},
    {"nonprofit-ack.json", "nonprofit_acks", "ack", nullptr, nullptr},
};

TEST(PartnerGolden, EveryOutboundTypeEncodesToThePartnersBytes) {
    for (const EncodeCase &c : kEncodeCases) {
        SCOPED_TRACE(c.name);
        auto instance = plugin().create(config(c.config));
        const std::vector<std::string> input = lines(readFile(kGolden + "encode/" + c.name + ".input.jsonl"));
        const auto encoded = instance.encode(input, c.messageType);
        EXPECT_EQ(encoded.status, LENDGATE_OK);
        EXPECT_EQ(encoded.errorLines(), "");
        expectGolden(encoded.output, kGolden + "encode/" + c.name + ".expected.jsonl");
        // One webhook body per line, the same JSON as the partner's readable sample.
        const std::vector<std::string> bodies = lines(encoded.output);
        ASSERT_EQ(bodies.size(), input.size());
        if (c.sample != nullptr) {
            EXPECT_EQ(nlohmann::json::parse(bodies.front()),
                      nlohmann::json::parse(readFile(kRoot + "samples/" + c.sample)));
        }
        if (c.rest != nullptr) {
            EXPECT_EQ(std::vector<std::string>(bodies.begin() + 1, bodies.end()),
                      lines(readFile(kRoot + "samples/" + c.rest)));
        }
        // And back: the partner's bytes decode to the records they were written from.
        const auto decoded = instance.decode(encoded.output, c.messageType);
        EXPECT_EQ(decoded.errorLines(), "");
        std::string expected;
        for (const std::string &line : input) expected += line + "\n";
        EXPECT_EQ(decoded.jsonLines(), expected);
    }
}

// Copper's decisions written back out are the webhook bodies Copper sent (the
// same JSON; the encoder puts the event type first): the mapping describes one
// format, in both directions.
TEST(PartnerGolden, CopperDecisionsEncodeBackToTheSampleBodies) {
    auto instance = plugin().create(config("copper-events.json"));
    const auto encoded =
        instance.encode(lines(readFile(kGolden + "copper_hardship_decisions.expected.jsonl")), "hardship_decision");
    EXPECT_EQ(encoded.status, LENDGATE_OK);
    EXPECT_EQ(encoded.errorLines(), "");
    const std::vector<std::string> bodies = lines(encoded.output);
    const std::vector<std::string> sample =
        lines(readFile(kRoot + "samples/copper-state-lossmit/hardship_decisions.jsonl"));
    ASSERT_EQ(bodies.size(), sample.size());
    for (std::size_t i = 0; i < bodies.size(); ++i)
        EXPECT_EQ(nlohmann::json::parse(bodies[i]), nlohmann::json::parse(sample[i])) << "body " << i + 1;
}

}  // namespace
