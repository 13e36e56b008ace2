#include "core/model/decimal.h"

#include <limits>

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

Decimal dec(std::string_view text) {
    const std::optional<Decimal> value = Decimal::parse(text);
    EXPECT_TRUE(value.has_value()) << text;
    return value.value_or(Decimal{});
}

TEST(Decimal, KeepsTheDigitsAsWritten) {
    for (const char *text : {"100.10", "0", "0.0001", "-612.40", "-0.00", "14250.00", "999999999999999.9999",
                             "-999999999999999.9999", "7"}) {
        EXPECT_EQ(dec(text).toString(), text);
    }
    EXPECT_EQ(dec("100.10").scale(), 2);
}

TEST(Decimal, RefusesEverythingOutsideTheWireSyntax) {
    for (const char *text : {"", "-", ".5", "5.", "+5", "1e3", "1,000.00", " 1.00", "1.00 ", "0x10", "1.23456",
                             "1234567890123456", "NaN", "--1", "1.2.3", "１.00"}) {
        EXPECT_FALSE(Decimal::parse(text).has_value()) << text;
    }
}

TEST(Decimal, SumsAreExactWhereBinaryFloatingPointIsNot) {
    // 0.1 + 0.2 is the classic double failure.
    EXPECT_EQ(dec("0.1").plus(dec("0.2"))->toString(), "0.3");
    Decimal total;
    for (int i = 0; i < 1000; ++i) total = *total.plus(dec("0.01"));
    EXPECT_EQ(total.toString(), "10.00");
    EXPECT_EQ(dec("612.40").plus(dec("14250.00"))->plus(dec("14890.12"))->toString(), "29752.52");
}

TEST(Decimal, SumTakesTheLargerScale) {
    EXPECT_EQ(dec("1").plus(dec("0.25"))->toString(), "1.25");
    EXPECT_EQ(dec("1.5").plus(dec("2.50"))->toString(), "4.00");
    EXPECT_EQ(dec("10.0000").plus(dec("5"))->toString(), "15.0000");
}

TEST(Decimal, SignedArithmetic) {
    EXPECT_EQ(dec("5.00").plus(dec("-7.25"))->toString(), "-2.25");
    EXPECT_EQ(dec("-5.00").plus(dec("7.25"))->toString(), "2.25");
    EXPECT_EQ(dec("-5.00").plus(dec("-7.25"))->toString(), "-12.25");
    EXPECT_EQ(dec("5.00").minus(dec("5.00"))->toString(), "0.00");
    EXPECT_EQ(dec("5.00").minus(dec("7.5"))->toString(), "-2.50");
    EXPECT_EQ(dec("3").negated().toString(), "-3");
    EXPECT_EQ(dec("0.00").negated().toString(), "0.00");
}

TEST(Decimal, ZeroHasNoSignInArithmeticOrComparison) {
    EXPECT_FALSE(dec("-0.00").isNegative());
    EXPECT_TRUE(dec("-0.00").isZero());
    EXPECT_EQ(dec("-0.00"), dec("0"));
    EXPECT_EQ(dec("-0.00").plus(dec("0.00"))->toString(), "0.00");
}

TEST(Decimal, ComparesNumericallyAcrossScales) {
    EXPECT_EQ(dec("100.1"), dec("100.10"));
    EXPECT_FALSE(dec("100.1").identical(dec("100.10")));
    EXPECT_TRUE(dec("100.10").identical(dec("100.10")));
    EXPECT_LT(dec("99.9999"), dec("100"));
    EXPECT_LT(dec("-100"), dec("-99.99"));
    EXPECT_LT(dec("-0.01"), dec("0"));
    EXPECT_GT(dec("999999999999999.9999"), dec("999999999999999.999"));
    EXPECT_LT(dec("0.0001"), dec("0.001"));
}

TEST(Decimal, OverflowIsReportedNotWrapped) {
    const Decimal big = dec("999999999999999.9999");
    std::optional<Decimal> sum = big;
    int additions = 0;
    while (sum && additions < 10) {
        sum = sum->plus(big);
        ++additions;
    }
    EXPECT_FALSE(sum.has_value());
    EXPECT_EQ(additions, 1);  // 2 * 9.99e18 units exceeds 64 bits
}

TEST(Decimal, UnitsForImpliedDecimalFields) {
    EXPECT_EQ(Decimal::fromUnits(123456, 2)->toString(), "1234.56");
    EXPECT_EQ(Decimal::fromUnits(-5, 4)->toString(), "-0.0005");
    EXPECT_EQ(Decimal::fromUnits(std::numeric_limits<std::int64_t>::min(), 0)->toString(), "-9223372036854775808");
    EXPECT_FALSE(Decimal::fromUnits(1, 5).has_value());
    EXPECT_EQ(dec("1234.5").unitsAt(2), 123450);
    EXPECT_EQ(dec("-1234.50").unitsAt(1), -12345);
    EXPECT_FALSE(dec("1234.55").unitsAt(1).has_value());               // would drop a digit
    EXPECT_FALSE(dec("999999999999999.9999").unitsAt(4).has_value());  // above INT64_MAX
    EXPECT_EQ(dec("922337203685477.5807").unitsAt(4), std::numeric_limits<std::int64_t>::max());
}

TEST(Decimal, UsableInConstantExpressions) {
    static_assert(Decimal::parse("100.10")->scale() == 2);
    static_assert(*Decimal::parse("0.1")->plus(*Decimal::parse("0.2")) == *Decimal::parse("0.30"));
}

}  // namespace
}  // namespace lendgate::model
