#include "core/journal/ulid.h"

#include <set>

#include <gtest/gtest.h>

#include "tests/core/security/security_test_support.h"

namespace lendgate::journal {
namespace {

TEST(Ulid, CarriesTheTimeAndSortsInOrderMade) {
    lendgate::testing::ManualClock clock(1767225600123);
    UlidGenerator ulids(clock);
    std::vector<std::string> ids;
    for (int i = 0; i < 1000; ++i) ids.push_back(ulids.next());  // all in one millisecond
    clock.advance(1);
    ids.push_back(ulids.next());
    std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size());
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    for (const auto &id : ids) EXPECT_TRUE(isUlidText(id)) << id;
    EXPECT_EQ(ulidTimestampMs(ids.front()), 1767225600123u);
    EXPECT_EQ(ulidTimestampMs(ids.back()), 1767225600124u);
}

TEST(Ulid, StaysMonotonicWhenTheClockStepsBack) {
    lendgate::testing::ManualClock clock(1767225600000);
    UlidGenerator ulids(clock);
    const std::string before = ulids.next();
    clock.set(1767225500000);  // NTP stepped the clock back 100 s
    const std::string after = ulids.next();
    EXPECT_LT(before, after);
    EXPECT_EQ(ulidTimestampMs(after), 1767225600000u);
}

TEST(Ulid, RecognisesItsTextForm) {
    EXPECT_TRUE(isUlidText("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    EXPECT_FALSE(isUlidText("01ARZ3NDEKTSV4RRFFQ69G5FA"));   // 25 characters
    EXPECT_FALSE(isUlidText("81ARZ3NDEKTSV4RRFFQ69G5FAV"));  // overflows 128 bits
    EXPECT_FALSE(isUlidText("01ARZ3NDEKTSV4RRFFQ69G5FAU"));  // U is not Crockford
    EXPECT_EQ(ulidTimestampMs("not a ulid"), 0u);
}

}  // namespace
}  // namespace lendgate::journal
