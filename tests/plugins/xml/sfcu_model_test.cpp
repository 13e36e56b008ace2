// The Saguaro FCU configurations against the canonical model: every record the
// plugin decodes from the samples, and every record the outbound goldens are
// written from, is valid and already in canonical form (members in model
// order), so the gateway journals exactly what the golden files show.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/model/message.h"
#include "plugin_harness.h"

namespace {

std::vector<std::string> goldenLines(const std::string &file) {
    const std::string text = lendgate::test::readFile(std::string(LENDGATE_TEST_GOLDEN_DIR) + "/" + file);
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
        out.push_back(text.substr(start, end - start));
    return out;
}

void expectValidAndCanonical(const std::string &file, std::size_t count) {
    const auto records = goldenLines(file);
    ASSERT_EQ(records.size(), count) << file;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto parsed = lendgate::model::parseMessage(records[i]);
        ASSERT_TRUE(parsed.ok()) << file << " record " << i + 1 << ": " << parsed.errors.front().pointer << ": "
                                 << parsed.errors.front().message;
        EXPECT_EQ(lendgate::model::toCanonicalJson(*parsed.message), records[i]) << file << " record " << i + 1;
    }
}

TEST(SaguaroFcuModel, DecodedHardshipApplicationsAreValidAndCanonical) {
    expectValidAndCanonical("SFCU_HARDSHIP_20261124_001.expected.jsonl", 8);
    expectValidAndCanonical("SFCU_HARDSHIP_bad_records.xsd.expected.jsonl", 1);
    expectValidAndCanonical("SFCU_HARDSHIP_bad_records.no-xsd.expected.jsonl", 2);
}

TEST(SaguaroFcuModel, DecodedHardshipDecisionsAreValidAndCanonical) {
    expectValidAndCanonical("SFCU_DECISIONS_20261201_001.expected.jsonl", 7);
}

TEST(SaguaroFcuModel, TheOutboundGoldenInputsAreValidAndCanonical) {
    expectValidAndCanonical("SFCU_OUTCOMES_20261205.input.jsonl", 7);
    expectValidAndCanonical("SFCU_REFERRAL_UPDATES_20261212.input.jsonl", 6);
    expectValidAndCanonical("SFCU_SERVICER_DECISIONS_20261126.input.jsonl", 6);
    expectValidAndCanonical("SFCU_ACCOUNT_UPDATES_20261210.input.jsonl", 6);
    expectValidAndCanonical("SFCU_ACK_20261124_001.input.jsonl", 1);
    expectValidAndCanonical("SFCU_ACK_20261125_001.input.jsonl", 1);
}

}  // namespace
