// Every canonical record the fixed-width tests decode or encode, through the
// gateway's own model: valid, and already in canonical form (member order,
// amounts as written), so what the plugin emits is exactly what the core
// would journal. Guards the shipped layouts when the model changes.
#include <gtest/gtest.h>

#include "core/model/message.h"
#include "golden_records.h"

namespace {

using lendgate::test::fixedwidth::goldenRecords;

TEST(FixedWidthModel, EveryGoldenRecordIsValidAndAlreadyCanonical) {
    const auto records = goldenRecords();
    ASSERT_EQ(records.size(), 15u + 8u + 8u + 12u + 1u + 1u + 6u + 6u + 6u);
    for (const auto &record : records) {
        const auto parsed = lendgate::model::parseMessage(record.json);
        ASSERT_TRUE(parsed.ok()) << record.file << ":" << record.line << ": " << parsed.errors.front().pointer << ": "
                                 << parsed.errors.front().message;
        EXPECT_EQ(lendgate::model::toCanonicalJson(*parsed.message), record.json) << record.file << ":" << record.line;
    }
}

}  // namespace
