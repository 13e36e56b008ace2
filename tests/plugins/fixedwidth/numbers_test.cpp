// Numbers in fixed-width columns: implied and written decimal points, signs
// in front, behind or punched into the last digit, exact to the minor unit.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "numbers.h"

namespace lendgate::fixedwidth {
namespace {

NumberFormat implied(int decimals, Sign sign = Sign::None) {
    return NumberFormat{decimals, false, sign};
}

std::string canonical(std::int64_t units, int decimals) {
    std::string out;
    appendDecimal(out, units, decimals);
    return out;
}

TEST(Numbers, ImpliedDecimalsReadAsMinorUnits) {
    EXPECT_EQ(readNumber("00012345", implied(2)), 12345);
    EXPECT_EQ(canonical(12345, 2), "123.45");
    EXPECT_EQ(readNumber("5", implied(2)), 5);
    EXPECT_EQ(canonical(5, 2), "0.05");
    EXPECT_EQ(readNumber("0000000", implied(2)), 0);
    EXPECT_EQ(canonical(0, 2), "0.00");
    EXPECT_EQ(canonical(7, 0), "7");
    EXPECT_EQ(readNumber("12.45", implied(2)), std::nullopt);  // no point in an implied field
    EXPECT_EQ(readNumber("12 45", implied(2)), std::nullopt);
    EXPECT_EQ(readNumber("-1245", implied(2)), std::nullopt);  // unsigned
}

TEST(Numbers, AWrittenPointIsPaddedToTheFieldsDecimals) {
    const NumberFormat point{2, true, Sign::Leading};
    EXPECT_EQ(readNumber("1224.8", point), 122480);
    EXPECT_EQ(readNumber("-0.05", point), -5);
    EXPECT_EQ(readNumber("12.", point), 1200);
    EXPECT_EQ(readNumber(".5", point), 50);
    EXPECT_EQ(readNumber("1224", point), 122400);
    EXPECT_EQ(readNumber("1.234", point), std::nullopt);  // more decimals than the field has
    EXPECT_EQ(readNumber(".", point), std::nullopt);
    EXPECT_EQ(readNumber("1.2.3", point), std::nullopt);
}

TEST(Numbers, LeadingAndTrailingSigns) {
    EXPECT_EQ(readNumber("-00012345", implied(2, Sign::Leading)), -12345);
    EXPECT_EQ(readNumber("+00012345", implied(2, Sign::Leading)), 12345);
    EXPECT_EQ(readNumber("00012345", implied(2, Sign::Leading)), 12345);
    EXPECT_EQ(readNumber("00012345-", implied(2, Sign::Trailing)), -12345);
    EXPECT_EQ(readNumber("00012345+", implied(2, Sign::Trailing)), 12345);
    EXPECT_EQ(readNumber("-", implied(2, Sign::Leading)), std::nullopt);
    EXPECT_EQ(readNumber("00012345-", implied(2, Sign::Leading)), std::nullopt);
    EXPECT_EQ(readNumber("-00012345", implied(2, Sign::Trailing)), std::nullopt);
    EXPECT_EQ(canonical(-12345, 2), "-123.45");
    EXPECT_EQ(canonical(-5, 2), "-0.05");
}

TEST(Numbers, OverpunchedSignsFollowCobolZonedDecimals) {
    const NumberFormat punch = implied(2, Sign::Overpunch);
    EXPECT_EQ(readNumber("0001234E", punch), 12345);
    EXPECT_EQ(readNumber("0001234N", punch), -12345);
    EXPECT_EQ(readNumber("0001234{", punch), 12340);
    EXPECT_EQ(readNumber("0001234}", punch), -12340);
    EXPECT_EQ(readNumber("00012345", punch), 12345);  // a plain last digit is positive
    EXPECT_EQ(readNumber("0001234Z", punch), std::nullopt);
    EXPECT_EQ(readNumber("J", punch), -1);
    const NumberFormat pointPunch{2, true, Sign::Overpunch};
    EXPECT_EQ(readNumber("123.4E", pointPunch), 12345);
    EXPECT_EQ(readNumber("123.45E", pointPunch), std::nullopt);  // three decimals with the punched one
}

TEST(Numbers, EighteenDigitsFitAndNineteenDoNot) {
    EXPECT_EQ(readNumber("999999999999999999", implied(0)), 999999999999999999);
    EXPECT_EQ(readNumber("0000999999999999999999", implied(0)), 999999999999999999);  // leading zeros are free
    EXPECT_EQ(readNumber("1000000000000000000", implied(0)), std::nullopt);
    EXPECT_EQ(readNumber("9999999999999999.9", NumberFormat{6, true, Sign::None}), std::nullopt);
    EXPECT_EQ(canonical(-999999999999999999, 4), "-99999999999999.9999");
    EXPECT_EQ(canonical(std::numeric_limits<std::int64_t>::min(), 0), "-9223372036854775808");
}

TEST(Numbers, CanonicalTextToMinorUnitsNeverRounds) {
    std::int64_t units = 0;
    EXPECT_EQ(parseDecimal("1224.8", 2, units), NumberProblem::None);
    EXPECT_EQ(units, 122480);
    EXPECT_EQ(parseDecimal("1224.800", 2, units), NumberProblem::None);  // zeros carry no value
    EXPECT_EQ(units, 122480);
    EXPECT_EQ(parseDecimal("-0.05", 2, units), NumberProblem::None);
    EXPECT_EQ(units, -5);
    EXPECT_EQ(parseDecimal("12", 0, units), NumberProblem::None);
    EXPECT_EQ(units, 12);
    EXPECT_EQ(parseDecimal("1.005", 2, units), NumberProblem::Precision);
    EXPECT_EQ(parseDecimal("1e5", 2, units), NumberProblem::Syntax);
    EXPECT_EQ(parseDecimal("", 2, units), NumberProblem::Syntax);
    EXPECT_EQ(parseDecimal("1.", 2, units), NumberProblem::Syntax);
    EXPECT_EQ(parseDecimal(".5", 2, units), NumberProblem::Syntax);
    EXPECT_EQ(parseDecimal("+5", 2, units), NumberProblem::Syntax);
    EXPECT_EQ(parseDecimal("99999999999999999.99", 2, units), NumberProblem::Range);
}

TEST(Numbers, FormattingPutsTheSignWhereTheFieldWantsIt) {
    std::string body;
    ASSERT_TRUE(formatNumber(12345, implied(2), body));
    EXPECT_EQ(body, "12345");
    ASSERT_TRUE(formatNumber(5, implied(2), body));
    EXPECT_EQ(body, "005");
    EXPECT_FALSE(formatNumber(-5, implied(2), body));
    ASSERT_TRUE(formatNumber(-12345, implied(2, Sign::Leading), body));
    EXPECT_EQ(body, "-12345");
    ASSERT_TRUE(formatNumber(12345, implied(2, Sign::Trailing), body));
    EXPECT_EQ(body, "12345+");
    ASSERT_TRUE(formatNumber(-12345, implied(2, Sign::Overpunch), body));
    EXPECT_EQ(body, "1234N");
    ASSERT_TRUE(formatNumber(0, implied(2, Sign::Overpunch), body));
    EXPECT_EQ(body, "00{");
    ASSERT_TRUE(formatNumber(-122480, NumberFormat{2, true, Sign::Trailing}, body));
    EXPECT_EQ(body, "1224.80-");
    for (const std::int64_t value : {0LL, 1LL, -1LL, 99LL, -100LL, 123456789LL, -987654321012LL}) {
        for (const Sign sign : {Sign::Leading, Sign::Trailing, Sign::Overpunch}) {
            for (const bool point : {false, true}) {
                const NumberFormat format{3, point, sign};
                ASSERT_TRUE(formatNumber(value, format, body));
                EXPECT_EQ(readNumber(body, format), value) << body;
            }
        }
    }
}

}  // namespace
}  // namespace lendgate::fixedwidth
