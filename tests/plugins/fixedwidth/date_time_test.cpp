// Partner date layouts and RFC 3339: strict reading, offset arithmetic.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "date_time.h"

namespace lendgate::fixedwidth {
namespace {

std::string iso(const CivilTime &t, std::string_view offset = {}) {
    std::string out;
    if (offset.empty())
        appendIsoDate(out, t);
    else
        appendIsoDateTime(out, t, offset);
    return out;
}

std::string written(const DateTimeFormat &format, const CivilTime &t) {
    std::string out(format.width(), '?');
    format.write(t, out.data());
    return out;
}

TEST(DateTimeFormat, ReadsTheLayoutsPartnersWrite) {
    const auto ymd = DateTimeFormat::parse("YYYYMMDD");
    EXPECT_EQ(ymd.width(), 8u);
    EXPECT_EQ(iso(*ymd.read("20261122")), "2026-11-22");
    EXPECT_EQ(iso(*DateTimeFormat::parse("MMDDYYYY").read("02112022")), "2022-02-11");
    EXPECT_EQ(iso(*DateTimeFormat::parse("CCYY-MM-DD").read("2024-02-29")), "2024-02-29");
    EXPECT_EQ(iso(*DateTimeFormat::parse("MM/DD/YYYY").read("11/22/2026")), "2026-11-22");
    const auto stamp = DateTimeFormat::parse("YYYYMMDDhhmmss");
    EXPECT_TRUE(stamp.hasTime());
    EXPECT_TRUE(stamp.hasSeconds());
    EXPECT_EQ(iso(*stamp.read("20261122054500"), "-07:00"), "2026-11-22T05:45:00-07:00");
    const auto minutes = DateTimeFormat::parse("YYYY-MM-DD HH:mm");
    EXPECT_FALSE(minutes.hasSeconds());
    EXPECT_EQ(iso(*minutes.read("2026-11-22 23:59"), "Z"), "2026-11-22T23:59:00Z");
}

TEST(DateTimeFormat, RefusesWhatIsNotARealDayOrTime) {
    const auto ymd = DateTimeFormat::parse("YYYYMMDD");
    for (const char *text :
         {"20260230", "20251301", "20250229", "2026112", "202611220", "2026112X", "2026-11-", "00000000", "        "})
        EXPECT_EQ(ymd.read(text), std::nullopt) << text;
    const auto stamp = DateTimeFormat::parse("YYYYMMDDhhmmss");
    EXPECT_EQ(stamp.read("20261122240000"), std::nullopt);
    EXPECT_EQ(stamp.read("20261122236000"), std::nullopt);
    EXPECT_EQ(DateTimeFormat::parse("MM/DD/YYYY").read("11-22-2026"), std::nullopt);
}

TEST(DateTimeFormat, RefusesLayoutsThatCannotBeMeant) {
    for (const char *bad : {"YYMMDD", "YYYYMMD", "YYYYDD", "YYYYMMDDMM", "YYYYMMDDhh", "YYYYMMDDss", "YYYYMMDDhhmmhh",
                            "%Y%m%d", "DDMMYYYYx", ""})
        EXPECT_THROW(DateTimeFormat::parse(bad), std::invalid_argument) << bad;
}

TEST(DateTimeFormat, WritesWhatItReads) {
    const CivilTime t{2026, 3, 7, 8, 5, 9};
    EXPECT_EQ(written(DateTimeFormat::parse("MMDDYYYY"), t), "03072026");
    EXPECT_EQ(written(DateTimeFormat::parse("CCYYMMDDhhmmss"), t), "20260307080509");
    EXPECT_EQ(written(DateTimeFormat::parse("DD.MM.YYYY hh:mm"), t), "07.03.2026 08:05");
}

TEST(Rfc3339, ParsesDateTimesWithTheirOffset) {
    const auto stamp = parseRfc3339("2026-11-22T05:45:00-07:00");
    ASSERT_TRUE(stamp);
    EXPECT_EQ(stamp->offsetMinutes, -420);
    EXPECT_EQ(stamp->local, (CivilTime{2026, 11, 22, 5, 45, 0}));
    EXPECT_TRUE(parseRfc3339("2026-11-22T05:45:00.123456789Z"));
    EXPECT_TRUE(parseRfc3339("2026-11-22T05:45:00+14:00"));
    for (const char *bad : {"2026-11-22", "2026-11-22T05:45:00", "2026-11-22 05:45:00Z", "2026-02-30T00:00:00Z",
                            "2026-11-22T05:45:00.Z", "2026-11-22T05:45:00+7:00", "2026-11-22T24:00:00Z"})
        EXPECT_FALSE(parseRfc3339(bad)) << bad;
    EXPECT_TRUE(parseIsoDate("2024-02-29"));
    EXPECT_FALSE(parseIsoDate("2023-02-29"));
}

TEST(Rfc3339, ShiftsAcrossDaysMonthsAndYears) {
    // 2026-12-31T23:30 in Phoenix is 2027-01-01T06:30 UTC.
    EXPECT_EQ(shiftMinutes(CivilTime{2026, 12, 31, 23, 30, 0}, 420), (CivilTime{2027, 1, 1, 6, 30, 0}));
    EXPECT_EQ(shiftMinutes(CivilTime{2024, 3, 1, 0, 10, 5}, -20), (CivilTime{2024, 2, 29, 23, 50, 5}));
    EXPECT_EQ(shiftMinutes(CivilTime{2026, 11, 22, 12, 0, 0}, 0), (CivilTime{2026, 11, 22, 12, 0, 0}));
    EXPECT_EQ(fromUnixMs(1795392000000, -420), (CivilTime{2026, 11, 22, 17, 0, 0}));
    EXPECT_EQ(fromUnixMs(-1, 0), (CivilTime{1969, 12, 31, 23, 59, 59}));
    EXPECT_EQ(parseUtcOffset("Z"), 0);
    EXPECT_EQ(parseUtcOffset("+05:30"), 330);
    EXPECT_EQ(parseUtcOffset("-07:00"), -420);
    EXPECT_EQ(parseUtcOffset("07:00"), std::nullopt);
    EXPECT_EQ(parseUtcOffset("-24:00"), std::nullopt);
}

}  // namespace
}  // namespace lendgate::fixedwidth
