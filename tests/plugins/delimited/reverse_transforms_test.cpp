// The encode side of the conversions: canonical values back to partner text,
// and dates with a time of day, which both directions use.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "field_transforms.h"

namespace lendgate::delimited {
namespace {

TEST(ReverseTransforms, WritesIsoDaysInThePartnersLayout) {
    EXPECT_EQ(DateFormat::parse("%m/%d/%Y").fromIso("2026-01-05"), "01/05/2026");
    EXPECT_EQ(DateFormat::parse("YYYYMMDD").fromIso("2026-11-23"), "20261123");
    EXPECT_EQ(DateFormat::parse("%d.%m.%Y").fromIso("2024-02-29T13:45:00"), "29.02.2024");
    EXPECT_EQ(DateFormat::parse("%m/%d/%Y %H:%M:%S").fromIso("2026-11-23"), "11/23/2026 00:00:00");
    for (const char *bad : {"2026-02-29", "2026-13-01", "20261123", "2026-11-23T24:00:00", "2026-11-23T10:00", ""})
        EXPECT_FALSE(DateFormat::parse("%m/%d/%Y").fromIso(bad)) << bad;
}

TEST(ReverseTransforms, ReadsDatesWithATimeOfDay) {
    const DateFormat format = DateFormat::parse("%m/%d/%Y %H:%M");
    EXPECT_TRUE(format.hasTime());
    EXPECT_EQ(format.toIso("11/22/2026 07:30"), "2026-11-22T07:30:00");
    EXPECT_EQ(format.toIso("1/2/2026 7:05"), "2026-01-02T07:05:00");
    EXPECT_FALSE(format.toIso("11/22/2026 24:00"));
    EXPECT_FALSE(format.toIso("11/22/2026 07:60"));
    EXPECT_FALSE(format.toIso("11/22/2026"));
    EXPECT_EQ(DateFormat::parse("%Y-%m-%dT%H:%M:%S").toIso("2026-11-22T07:30:59"), "2026-11-22T07:30:59");
    EXPECT_FALSE(DateFormat::parse("%Y%m%d").hasTime());
    for (const char *bad : {"%Y-%m-%d %H", "%Y-%m-%d %M:%S", "%Y-%m-%d %H:%M %H", "%Y-%m-%d %S", "YYYY-MM-DDT"})
        EXPECT_THROW(DateFormat::parse(bad), std::invalid_argument) << bad;
}

TEST(ReverseTransforms, MovesDateTimesToTheConfiguredOffset) {
    EXPECT_EQ(localDateTime("2026-11-23T06:00:00Z", "-07:00"), "2026-11-22T23:00:00");
    EXPECT_EQ(localDateTime("2026-11-22T23:30:15-07:00", "Z"), "2026-11-23T06:30:15");
    EXPECT_EQ(localDateTime("2026-12-31T23:59:59.999-05:00", "+14:00"), "2027-01-01T18:59:59");
    EXPECT_EQ(localDateTime("2024-03-01T01:00:00+02:00", "Z"), "2024-02-29T23:00:00");
    EXPECT_EQ(localDateTime("2026-11-22T07:30:00-07:00", ""), "2026-11-22T07:30:00");
    EXPECT_EQ(localDateTime("2026-11-22", "-07:00"), "2026-11-22T00:00:00");
    for (const char *bad : {"2026-11-22T07:30:00", "2026-11-22T07:30:00+7:00", "2026-02-30T00:00:00Z",
                            "2026-11-22 07:30:00Z", "2026-11-22T25:00:00Z", "2026-11-22T07:30:00.Z", "x"})
        EXPECT_FALSE(localDateTime(bad, "Z")) << bad;
    EXPECT_FALSE(localDateTime("2026-11-22T07:30:00Z", "+7"));
}

TEST(ReverseTransforms, TurnsDecimalsBackIntoCents) {
    EXPECT_EQ(decimalToCents("612.40"), "61240");
    EXPECT_EQ(decimalToCents("612.4"), "61240");
    EXPECT_EQ(decimalToCents("612"), "61200");
    EXPECT_EQ(decimalToCents("0.05"), "5");
    EXPECT_EQ(decimalToCents("-0.05"), "-5");
    EXPECT_EQ(decimalToCents("0.00"), "0");
    EXPECT_EQ(decimalToCents("1.2500"), "125");
    EXPECT_EQ(decimalToCents("9999999999999999.99"), "999999999999999999");
    for (const char *bad : {"1.255", "10000000000000000.00", "1,00", "", "-", "1.", ".5", "abc"})
        EXPECT_FALSE(decimalToCents(bad)) << bad;
    EXPECT_EQ(*centsToDecimal(*decimalToCents("1234.56")), "1234.56");
}

TEST(ReverseTransforms, FormatsScaledTotalsExactly) {
    EXPECT_EQ(formatScaled(125010, 2), "1250.10");
    EXPECT_EQ(formatScaled(-5, 2), "-0.05");
    EXPECT_EQ(formatScaled(0, 2), "0.00");
    EXPECT_EQ(formatScaled(832630, 0), "832630");
    EXPECT_EQ(formatScaled(std::numeric_limits<std::int64_t>::min(), 2), "-92233720368547758.08");
    EXPECT_EQ(parseScaled(formatScaled(-123456789, 3), 3), -123456789);
}

TEST(ReverseTransforms, WritesPhoneNumbersInThePartnersLayout) {
    EXPECT_EQ(formatPhone("+16025550142", "(###) ###-####"), "(602) 555-0142");
    EXPECT_EQ(formatPhone("+16025550142", "##########"), "6025550142");
    EXPECT_FALSE(formatPhone("+442071234567", "###-###-####"));
    EXPECT_FALSE(formatPhone("+1602555014", "###-###-####"));
    EXPECT_FALSE(formatPhone("+16025550142", "###-####"));
    EXPECT_EQ(phoneE164(*formatPhone("+16025550142", "###.###.####")), "+16025550142");
}

TEST(ReverseTransforms, WritesTheTimeOfEncoding) {
    EXPECT_EQ(utcDateTime(1795392000000), "2026-11-23T00:00:00Z");
    EXPECT_EQ(utcDateTime(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(utcDateTime(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace lendgate::delimited
