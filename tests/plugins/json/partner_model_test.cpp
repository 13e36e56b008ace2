// The JSON partners' golden records through the canonical model: every record
// the mapped configurations decode, and every record the encode goldens start
// from, is valid (VIN check digits, dates in order, enums) and already in the
// model's canonical form, key order included.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "core/model/message.h"
#include "plugin_harness.h"

namespace {

namespace fs = std::filesystem;

TEST(JsonPartnerModel, GoldenRecordsAreValidAndAlreadyCanonical) {
    std::size_t records = 0;
    const fs::path root = fs::path(LENDGATE_TEST_GOLDEN_DIR) / "partners";
    for (const auto &entry : fs::recursive_directory_iterator(root)) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".input.jsonl") &&
            !(name.ends_with(".expected.jsonl") && entry.path().parent_path() == root))
            continue;
        std::istringstream in(lendgate::test::readFile(entry.path().string()));
        std::size_t line = 0;
        for (std::string record; std::getline(in, record);) {
            ++line;
            ++records;
            const auto parsed = lendgate::model::parseMessage(record);
            ASSERT_TRUE(parsed.ok()) << name << ":" << line << ": " << parsed.errors.front().pointer << ": "
                                     << parsed.errors.front().code << ": " << parsed.errors.front().message;
            EXPECT_EQ(lendgate::model::toCanonicalJson(*parsed.message), record) << name << ":" << line;
        }
    }
    EXPECT_GE(records, 40u);
}

}  // namespace
