#include "core/model/calendar.h"

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

TEST(Date, ParsesRealDaysOnly) {
    EXPECT_EQ(Date::parse("2026-11-22"), (Date{2026, 11, 22}));
    EXPECT_TRUE(Date::parse("2028-02-29"));
    EXPECT_TRUE(Date::parse("2000-02-29"));
    EXPECT_TRUE(Date::parse("0000-01-01"));
    EXPECT_TRUE(Date::parse("9999-12-31"));
    for (const char *text :
         {"2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-05",
          "26-01-05", "2026/01/05", "2026-01-05T00:00:00Z", "", "2026-01-0a", " 2026-01-05"}) {
        EXPECT_FALSE(Date::parse(text).has_value()) << text;
    }
}

TEST(Date, CountsDaysAcrossMonthsAndLeapYears) {
    EXPECT_EQ(Date::parse("1970-01-01")->daysSinceEpoch(), 0);
    EXPECT_EQ(Date::parse("2028-03-01")->daysSinceEpoch() - Date::parse("2028-02-28")->daysSinceEpoch(), 2);
    EXPECT_EQ(Date::parse("1969-12-31")->daysSinceEpoch(), -1);
    EXPECT_EQ(Date::fromDaysSinceEpoch(Date::parse("2026-11-22")->daysSinceEpoch()).toString(), "2026-11-22");
    EXPECT_LT(*Date::parse("2026-11-02"), *Date::parse("2026-11-22"));
}

TEST(Timestamp, ParsesOffsetsAndFractions) {
    const auto phoenix = Timestamp::parse("2026-11-23T06:00:00-07:00");
    ASSERT_TRUE(phoenix);
    EXPECT_EQ(phoenix->offsetMinutes(), -420);
    EXPECT_EQ(phoenix->toString(), "2026-11-23T06:00:00-07:00");
    const auto utc = Timestamp::parse("2026-11-23T13:00:00Z");
    ASSERT_TRUE(utc);
    EXPECT_EQ(*phoenix, *utc);  // the same instant
    const auto fraction = Timestamp::parse("2026-11-23T13:00:00.5+05:30");
    ASSERT_TRUE(fraction);
    EXPECT_EQ(fraction->nanos(), 500000000u);
    EXPECT_LT(*Timestamp::parse("2026-11-23T13:00:00.000000001Z"), *Timestamp::parse("2026-11-23T13:00:00.00000001Z"));
}

TEST(Timestamp, RefusesWhatRfc3339WithOffsetDoesNot) {
    for (const char *text :
         {"2026-11-23T06:00:00", "2026-11-23 06:00:00Z", "2026-11-23t06:00:00z", "2026-11-23T24:00:00Z",
          "2026-11-23T23:59:60Z", "2026-11-23T06:00Z", "2026-11-23T06:00:00.Z", "2026-11-23T06:00:00.1234567890Z",
          "2026-11-23T06:00:00+0700", "2026-11-23T06:00:00+07", "2026-11-23T06:00:00+24:00", "2026-02-30T06:00:00Z",
          "2026-11-23T06:00:00-07:00 "}) {
        EXPECT_FALSE(Timestamp::parse(text).has_value()) << text;
    }
}

TEST(Timestamp, LocalTimeIsWhereItWasWritten) {
    // 21:30 in Phoenix is already the next day in UTC: policy C9 needs the local view.
    const auto late = Timestamp::parse("2026-12-04T21:30:00-07:00");
    ASSERT_TRUE(late);
    EXPECT_EQ(late->localDate().toString(), "2026-12-04");
    EXPECT_EQ(late->localSecondOfDay(), 21 * 3600 + 30 * 60);
    EXPECT_EQ(Timestamp::fromUnix(late->unixSeconds()).localDate().toString(), "2026-12-05");
}

TEST(Timestamp, FromUnixWritesCanonicalText) {
    EXPECT_EQ(Timestamp::fromUnix(0).toString(), "1970-01-01T00:00:00Z");
    EXPECT_EQ(Timestamp::fromUnix(1795438800, 0, -420).toString(), "2026-11-23T06:00:00-07:00");
    EXPECT_EQ(Timestamp::fromUnix(1795438800, 512000000).toString(), "2026-11-23T13:00:00.512Z");
    EXPECT_EQ(Timestamp::fromUnix(-1, 0, 330).toString(), "1970-01-01T05:29:59+05:30");
    const Timestamp written = Timestamp::fromUnix(1795438800, 7, 60);
    EXPECT_EQ(Timestamp::parse(written.toString()), written);
}

}  // namespace
}  // namespace lendgate::model
