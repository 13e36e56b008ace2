// The Desert Valley Bank configuration against the canonical model: what the
// plugin writes for the sample is valid and already in canonical form, and a
// wrong VIN check digit, which the plugin only maps, is caught by the model.
// Guards the mapping when the model or the bank's configuration changes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/model/message.h"
#include "plugin_harness.h"

namespace {

std::vector<std::string> lines(const std::string &file) {
    std::istringstream in(lendgate::test::readFile(std::string(LENDGATE_TEST_GOLDEN_DIR) + "/" + file));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

TEST(DesertValleyBankModel, SampleRecordsAreValidAndAlreadyCanonical) {
    const auto records = lines("DVB_DELQ_20261123_001.expected.jsonl");
    ASSERT_EQ(records.size(), 8u);
    for (const std::string &record : records) {
        const auto parsed = lendgate::model::parseMessage(record);
        ASSERT_TRUE(parsed.ok()) << parsed.errors.front().pointer << ": " << parsed.errors.front().message;
        EXPECT_EQ(lendgate::model::toCanonicalJson(*parsed.message), record);
    }
}

TEST(DesertValleyBankModel, TheModelRefusesTheVinThePluginOnlyMapped) {
    const auto records = lines("DVB_DELQ_bad_records.expected.jsonl");
    ASSERT_EQ(records.size(), 4u);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto parsed = lendgate::model::parseMessage(records[i]);
        if (i != 1) {
            EXPECT_TRUE(parsed.ok()) << "record " << i + 1;
            continue;
        }
        ASSERT_EQ(parsed.errors.size(), 1u);
        EXPECT_EQ(parsed.errors[0].pointer, "/payload/collateral/vin");
        EXPECT_EQ(parsed.errors[0].code, "vin_check_digit");
    }
}

}  // namespace
