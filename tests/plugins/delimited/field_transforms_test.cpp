// Conversions from partner cell text to canonical values.
#include "field_transforms.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lendgate::delimited {
namespace {

std::optional<std::string> iso(const char *format, const char *text) {
    return DateFormat::parse(format).toIso(text);
}

TEST(DateFormat, ReadsUsSlashDatesInBothStyles) {
    EXPECT_EQ(iso("%m/%d/%Y", "11/22/2026"), "2026-11-22");
    EXPECT_EQ(iso("MM/DD/YYYY", "11/22/2026"), "2026-11-22");
    // Between separators, one digit is enough: many bank exports drop the leading zero.
    EXPECT_EQ(iso("%m/%d/%Y", "1/5/2026"), "2026-01-05");
}

TEST(DateFormat, ReadsRunTogetherDatesOnlyWithEveryDigit) {
    EXPECT_EQ(iso("YYYYMMDD", "20261123"), "2026-11-23");
    EXPECT_EQ(iso("%Y%m%d", "20261123"), "2026-11-23");
    EXPECT_EQ(iso("%Y%m%d", "2026113"), std::nullopt);
    EXPECT_EQ(iso("%Y%m%d", "202611230"), std::nullopt);
    EXPECT_EQ(iso("%Y-%m-%d", "2026-11-23"), "2026-11-23");
}

TEST(DateFormat, RefusesDaysNotOnTheCalendar) {
    EXPECT_EQ(iso("%m/%d/%Y", "02/30/2026"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "02/29/2026"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "02/29/2024"), "2024-02-29");
    EXPECT_EQ(iso("%m/%d/%Y", "02/29/2000"), "2000-02-29");
    EXPECT_EQ(iso("%m/%d/%Y", "02/29/1900"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "13/01/2026"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "00/10/2026"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "04/31/2026"), std::nullopt);
    EXPECT_EQ(iso("%m/%d/%Y", "12/31/0000"), std::nullopt);
}

TEST(DateFormat, RefusesTextThatDoesNotFitTheLayout) {
    for (const char *text :
         {"", "11-22-2026", "11/22/26", "11/22/2026 ", " 11/22/2026", "11/22/20261", "aa/bb/cccc", "111/22/2026"})
        EXPECT_EQ(iso("%m/%d/%Y", text), std::nullopt) << text;
}

TEST(DateFormat, RefusesLayoutsItCannotReadUnambiguously) {
    for (const char *format : {"%m/%d", "%Y%m%d%d", "YYYYMMD", "%m/%d/%y", "%H:%M", "MM/DD/YYYY%", "%Q"})
        EXPECT_THROW(DateFormat::parse(format), std::invalid_argument) << format;
    EXPECT_EQ(DateFormat::parse("%%%Y%m%d").toIso("%20260101"), "2026-01-01");
}

TEST(Transforms, TurnsCentsIntoExactDecimals) {
    EXPECT_EQ(centsToDecimal("61240"), "612.40");
    EXPECT_EQ(centsToDecimal("5"), "0.05");
    EXPECT_EQ(centsToDecimal("000061240"), "612.40");
    EXPECT_EQ(centsToDecimal("-125"), "-1.25");
    EXPECT_EQ(centsToDecimal("0"), "0.00");
    EXPECT_EQ(centsToDecimal("-0"), "0.00");
    EXPECT_EQ(centsToDecimal("999999999999999999"), "9999999999999999.99");
    for (const char *bad : {"", "-", "12.5", "1,000", "1e5", "+5", "1234567890123456789", " 5"})
        EXPECT_EQ(centsToDecimal(bad), std::nullopt) << bad;
}

TEST(Transforms, ChecksDecimalsWithoutChangingThem) {
    for (const char *good : {"612.4", "612.40", "0", "-0.05", "18234.55"}) EXPECT_TRUE(isDecimal(good)) << good;
    for (const char *bad :
         {"", ".5", "5.", "1,000.00", "1e3", "NaN", "+1", "--1", "12.3.4", "123456789012345678901234567890123"})
        EXPECT_FALSE(isDecimal(bad)) << bad;
}

TEST(Transforms, NormalisesIntegersIntoJsonNumbers) {
    EXPECT_EQ(normalizeInteger("045"), "45");
    EXPECT_EQ(normalizeInteger("0"), "0");
    EXPECT_EQ(normalizeInteger("-007"), "-7");
    EXPECT_EQ(normalizeInteger("-0"), "0");
    for (const char *bad : {"", "4.5", "1e3", "0x1F", "1234567890123456789", "12 "})
        EXPECT_EQ(normalizeInteger(bad), std::nullopt) << bad;
}

TEST(Transforms, ReadsTheUsualYesNoSpellings) {
    for (const char *yes : {"Y", "y", "YES", "Yes", "T", "true", "TRUE", "1"})
        EXPECT_EQ(parseBoolean(yes), true) << yes;
    for (const char *no : {"N", "n", "NO", "F", "false", "0"}) EXPECT_EQ(parseBoolean(no), false) << no;
    for (const char *bad : {"", "2", "YEP", "on", "X"}) EXPECT_EQ(parseBoolean(bad), std::nullopt) << bad;
}

TEST(Transforms, WritesNorthAmericanPhonesInE164) {
    EXPECT_EQ(phoneE164("(602) 555-0143"), "+16025550143");
    EXPECT_EQ(phoneE164("480.555.0171"), "+14805550171");
    EXPECT_EQ(phoneE164("4805550126"), "+14805550126");
    EXPECT_EQ(phoneE164("1-520-555-0118"), "+15205550118");
    EXPECT_EQ(phoneE164("+1 623 555 0159"), "+16235550159");
    for (const char *bad : {"555-0143", "(102) 555-0143", "602-155-0143", "602-555-01433", "602-555-O143",
                            "+44 20 7946 0018", "602+5550143", "2-602-555-0143"})
        EXPECT_EQ(phoneE164(bad), std::nullopt) << bad;
}

TEST(Transforms, ScalesAmountsToIntegerMinorUnits) {
    EXPECT_EQ(parseScaled("612.4", 2), 61240);
    EXPECT_EQ(parseScaled("612.40", 2), 61240);
    EXPECT_EQ(parseScaled("612", 2), 61200);
    EXPECT_EQ(parseScaled("-1.25", 2), -125);
    EXPECT_EQ(parseScaled("832630", 0), 832630);
    EXPECT_EQ(parseScaled("9223372036854775807", 0), INT64_MAX);
    EXPECT_EQ(parseScaled("9223372036854775808", 0), std::nullopt);
    EXPECT_EQ(parseScaled("92233720368547758.08", 2), std::nullopt);
    EXPECT_EQ(parseScaled("1.234", 2), std::nullopt);
    EXPECT_EQ(parseScaled("1.5", 0), std::nullopt);
    for (const char *bad : {"", "-", ".", "1.", "1,000", " 1", "1e2"})
        EXPECT_EQ(parseScaled(bad, 2), std::nullopt) << bad;
}

TEST(Transforms, TrimsBlanksAndUpperCasesAsciiOnly) {
    EXPECT_EQ(trimBlanks(" \t Phoenix \t"), "Phoenix");
    EXPECT_EQ(trimBlanks("   "), "");
    std::string text =
        "pe\xC3\xB1"
        "a ram";
    upperAscii(text);
    EXPECT_EQ(text,
              "PE\xC3\xB1"
              "A RAM");
}

}  // namespace
}  // namespace lendgate::delimited
