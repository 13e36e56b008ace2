// The sample world's delimited files against the canonical model: every
// record the plugin decodes from the Desert Valley Bank and Mesa Asset
// Recovery samples is valid and already in canonical form, and every record
// the encode goldens start from is one the gateway could really hold.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/model/message.h"
#include "plugin_harness.h"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines(const fs::path &file) {
    std::istringstream in(lendgate::test::readFile(file.string()));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string firstError(const lendgate::model::ParseResult &parsed) {
    if (parsed.errors.empty()) return "";
    return parsed.errors.front().pointer + ": " + parsed.errors.front().code + ": " + parsed.errors.front().message;
}

const fs::path kGolden = LENDGATE_TEST_GOLDEN_DIR;

TEST(SampleWorldModel, DecodedSampleRecordsAreValidAndAlreadyCanonical) {
    for (const char *file : {"DVB_ASGN_20261122_001.expected.jsonl", "DVB_ACCT_20261122_001.expected.jsonl",
                             "MESA_OUTCOMES_20261122_01.expected.jsonl"}) {
        const auto records = lines(kGolden / file);
        ASSERT_GE(records.size(), 12u) << file;
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto parsed = lendgate::model::parseMessage(records[i]);
            ASSERT_TRUE(parsed.ok()) << file << " record " << i + 1 << ": " << firstError(parsed);
            EXPECT_EQ(lendgate::model::toCanonicalJson(*parsed.message), records[i]) << file << " record " << i + 1;
        }
    }
}

TEST(SampleWorldModel, EncodeInputsAreValidCanonicalRecords) {
    std::size_t files = 0;
    for (const auto &entry : fs::directory_iterator(kGolden / "encode")) {
        if (entry.path().string().find(".input.jsonl") == std::string::npos) continue;
        ++files;
        const auto records = lines(entry.path());
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto parsed = lendgate::model::parseMessage(records[i]);
            EXPECT_TRUE(parsed.ok()) << entry.path().filename() << " record " << i + 1 << ": " << firstError(parsed);
        }
    }
    EXPECT_EQ(files, 6u);
}

}  // namespace
