// One field both ways: a column's bytes to a canonical value, a canonical
// value to exactly the column's bytes.
#include <gtest/gtest.h>

#include <string>

#include "field_codec.h"

namespace lendgate::fixedwidth {
namespace {

FieldSpec spec(FieldType type, std::size_t length) {
    FieldSpec f;
    f.name = "F";
    f.type = type;
    f.length = length;
    const bool numeric = type == FieldType::Integer || type == FieldType::Decimal;
    f.align = numeric ? Align::Right : Align::Left;
    f.pad = numeric ? '0' : ' ';
    return f;
}

FieldSpec dated(FieldType type, std::size_t length, const char *format, const char *offset = nullptr) {
    FieldSpec f = spec(type, length);
    f.format = DateTimeFormat::parse(format);
    if (offset != nullptr) {
        f.dateTime = true;
        f.utcOffset = offset;
        f.offsetMinutes = *parseUtcOffset(offset);
    }
    return f;
}

// "S:text", "N:text", "B:text", "-" (absent) or "!code"
std::string decoded(const FieldSpec &f, std::string_view raw, bool checkText = true) {
    FieldValue value;
    const FieldProblem problem = decodeField(f, raw, checkText, value);
    if (!problem.ok()) return "!" + std::string(problem.code);
    switch (value.type) {
        case FieldValue::Type::Absent: return "-";
        case FieldValue::Type::String: return "S:" + value.text;
        case FieldValue::Type::Number: return "N:" + value.text;
        case FieldValue::Type::Boolean: return "B:" + value.text;
    }
    return "?";
}

// The field's bytes, or "!code".
std::string encoded(const FieldSpec &f, FieldValue::Type type, const std::string &text) {
    std::string out(f.length, '#'), scratch;
    const FieldProblem problem = encodeField(f, FieldValue{type, text}, out.data(), scratch);
    return problem.ok() ? out : "!" + std::string(problem.code);
}

constexpr auto S = FieldValue::Type::String;
constexpr auto N = FieldValue::Type::Number;
constexpr auto B = FieldValue::Type::Boolean;

TEST(FieldCodec, TextIsTrimmedAsConfiguredAndBlankIsAbsent) {
    FieldSpec f = spec(FieldType::Text, 10);
    EXPECT_EQ(decoded(f, "  Ana Ruiz"), "S:Ana Ruiz");
    EXPECT_EQ(decoded(f, "          "), "-");
    f.trim = Trim::None;
    EXPECT_EQ(decoded(f, " Ana      "), "S: Ana      ");
    EXPECT_EQ(decoded(f, "          "), "-");
    f.trim = Trim::Right;
    EXPECT_EQ(decoded(f, " Ana      "), "S: Ana");
    f.trim = Trim::Left;
    EXPECT_EQ(decoded(f, " Ana      "), "S:Ana      ");
    f.trim = Trim::Both;
    f.upper = true;
    EXPECT_EQ(decoded(f, "az        "), "S:AZ");
}

TEST(FieldCodec, TextMustBeCleanUtf8) {
    const FieldSpec f = spec(FieldType::Text, 8);
    EXPECT_EQ(decoded(f, "Zo\xC3\xAB    "), "S:Zo\xC3\xAB");
    EXPECT_EQ(decoded(f, "Zo\xC3    "), "!encoding");         // cut in the middle of a character
    EXPECT_EQ(decoded(f, "\xED\xA0\x80     "), "!encoding");  // a surrogate
    EXPECT_EQ(decoded(f, "\xC0\xAF      "), "!encoding");     // an overlong slash
    EXPECT_EQ(decoded(f, "A\tB     "), "!control_character");
    EXPECT_EQ(decoded(f, std::string_view("A\0B     ", 8)), "!control_character");
    EXPECT_TRUE(isValidUtf8("\xF0\x9F\x9A\x97"));
    EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(FieldCodec, CodeTablesWorkBothWays) {
    FieldSpec f = spec(FieldType::Text, 2);
    f.codes = {{"LN", "AUTO_LOAN"}, {"RC", "AUTO_RIC"}, {"RI", "AUTO_RIC"}};
    f.reverseCodes = {{"AUTO_LOAN", "LN"}, {"AUTO_RIC", "RC"}};
    EXPECT_EQ(decoded(f, "RC"), "S:AUTO_RIC");
    EXPECT_EQ(decoded(f, "RI"), "S:AUTO_RIC");
    EXPECT_EQ(decoded(f, "XX"), "!code");
    EXPECT_EQ(encoded(f, S, "AUTO_RIC"), "RC");
    EXPECT_EQ(encoded(f, S, "AUTO_LEASE"), "!code");
}

TEST(FieldCodec, ImpliedDecimalsAndSignsDecodeToCanonicalAmounts) {
    FieldSpec f = spec(FieldType::Decimal, 11);
    f.number.decimals = 2;
    EXPECT_EQ(decoded(f, "00000052418"), "S:524.18");
    EXPECT_EQ(decoded(f, "      52418"), "S:524.18");
    EXPECT_EQ(decoded(f, "00000000000"), "S:0.00");
    EXPECT_EQ(decoded(f, "           "), "-");
    EXPECT_EQ(decoded(f, "0000005241O"), "!amount");
    f.number.sign = Sign::Trailing;
    EXPECT_EQ(decoded(f, "0000004510-"), "S:-45.10");
    const FieldSpec i = spec(FieldType::Integer, 4);
    EXPECT_EQ(decoded(i, "0038"), "N:38");
    EXPECT_EQ(decoded(i, "0000"), "N:0");
    EXPECT_EQ(decoded(i, "3 8 "), "!integer");
}

TEST(FieldCodec, AmountsEncodeExactlyOrNotAtAll) {
    FieldSpec f = spec(FieldType::Decimal, 11);
    f.number.decimals = 2;
    EXPECT_EQ(encoded(f, S, "524.18"), "00000052418");
    EXPECT_EQ(encoded(f, S, "524.1"), "00000052410");
    EXPECT_EQ(encoded(f, N, "12"), "00000001200");
    EXPECT_EQ(encoded(f, S, "524.185"), "!precision");
    EXPECT_EQ(encoded(f, S, "-1.00"), "!sign");
    EXPECT_EQ(encoded(f, S, "1234567890.00"), "!too_long");
    EXPECT_EQ(encoded(f, S, "12,50"), "!type");
    EXPECT_EQ(encoded(f, B, "true"), "!type");
    f.number.sign = Sign::Leading;
    EXPECT_EQ(encoded(f, S, "-45.10"), "-0000004510");  // the zeros go after the sign
    f.pad = ' ';
    EXPECT_EQ(encoded(f, S, "-45.10"), "      -4510");
    f.number.sign = Sign::Overpunch;
    f.pad = '0';
    EXPECT_EQ(encoded(f, S, "-45.10"), "0000000451}");
    f.number.decimalPoint = true;
    f.number.sign = Sign::None;
    EXPECT_EQ(encoded(f, S, "45.1"), "00000045.10");
    f.align = Align::Left;
    f.pad = ' ';
    EXPECT_EQ(encoded(f, S, "45.1"), "45.10      ");
}

TEST(FieldCodec, DatesReadAndWriteInThePartnersLayout) {
    const FieldSpec mdy = dated(FieldType::Date, 8, "MMDDYYYY");
    EXPECT_EQ(decoded(mdy, "02112022"), "S:2022-02-11");
    EXPECT_EQ(decoded(mdy, "00000000"), "-");  // "no date" on a mainframe
    EXPECT_EQ(decoded(mdy, "02302022"), "!date");
    EXPECT_EQ(encoded(mdy, S, "2022-02-11"), "02112022");
    EXPECT_EQ(encoded(mdy, S, "2022-02-11T10:00:00Z"), "!date");  // a date field holds no time
    EXPECT_EQ(encoded(mdy, S, "2022-02-30"), "!date");
    const FieldSpec wide = dated(FieldType::Date, 10, "YYYYMMDD");
    EXPECT_EQ(decoded(wide, "20221122  "), "S:2022-11-22");
    EXPECT_EQ(encoded(wide, S, "2022-11-22"), "20221122  ");
}

TEST(FieldCodec, ADateWithAnOffsetStandsForADateTime) {
    FieldSpec f = dated(FieldType::Date, 8, "YYYYMMDD", "-07:00");
    f.timeOfDay.hour = 6;
    EXPECT_EQ(decoded(f, "20261122"), "S:2026-11-22T06:00:00-07:00");
    // Written on the partner's calendar: 03:30 UTC on the 23rd is still the 22nd in Phoenix.
    EXPECT_EQ(encoded(f, S, "2026-11-23T03:30:00Z"), "20261122");
    EXPECT_EQ(encoded(f, S, "2026-11-22"), "20261122");
}

TEST(FieldCodec, DateTimesShiftToTheConfiguredOffset) {
    const FieldSpec f = dated(FieldType::DateTime, 14, "YYYYMMDDhhmmss", "-07:00");
    EXPECT_EQ(decoded(f, "20261122054500"), "S:2026-11-22T05:45:00-07:00");
    EXPECT_EQ(encoded(f, S, "2026-11-22T05:45:00-07:00"), "20261122054500");
    EXPECT_EQ(encoded(f, S, "2026-11-23T00:00:00Z"), "20261122170000");
    EXPECT_EQ(encoded(f, S, "2026-11-22T05:45:00.999-07:00"), "20261122054500");
    EXPECT_EQ(encoded(f, S, "2026-11-22"), "!date");
    EXPECT_EQ(encoded(f, S, "9999-12-31T23:00:00-08:00"), "!date");  // the year 10000 in Phoenix
    const FieldSpec minutes = dated(FieldType::DateTime, 12, "YYYYMMDDhhmm", "Z");
    EXPECT_EQ(encoded(minutes, S, "2026-11-22T05:45:00Z"), "202611220545");
    EXPECT_EQ(encoded(minutes, S, "2026-11-22T05:45:30Z"), "!precision");
}

TEST(FieldCodec, FlagsAndPhones) {
    FieldSpec flag = spec(FieldType::Boolean, 1);
    EXPECT_EQ(decoded(flag, "Y"), "B:true");
    EXPECT_EQ(decoded(flag, "n"), "B:false");
    EXPECT_EQ(decoded(flag, "X"), "!boolean");
    EXPECT_EQ(decoded(flag, " "), "-");
    EXPECT_EQ(encoded(flag, B, "true"), "Y");
    EXPECT_EQ(encoded(flag, S, "Y"), "!type");
    flag.trueCode = "1";
    flag.falseCode = "0";
    EXPECT_EQ(decoded(flag, "0"), "B:false");
    const FieldSpec phone = spec(FieldType::Phone, 10);
    EXPECT_EQ(decoded(phone, "6025550131"), "S:+16025550131");
    EXPECT_EQ(decoded(phone, "555014    "), "!phone");
    EXPECT_EQ(decoded(phone, "1025550131"), "!phone");  // no area code starts with 1
    EXPECT_EQ(encoded(phone, S, "+16025550131"), "6025550131");
    EXPECT_EQ(encoded(phone, S, "+442079460000"), "!phone");
}

TEST(FieldCodec, TextTooLongIsRefusedUnlessTheFieldTruncates) {
    FieldSpec f = spec(FieldType::Text, 6);
    EXPECT_EQ(encoded(f, S, "Begay"), "Begay ");
    EXPECT_EQ(encoded(f, S, "Villalobos"), "!too_long");
    EXPECT_EQ(encoded(f, S, "two\nlines"), "!control_character");
    EXPECT_EQ(encoded(f, N, "2022"), "2022  ");
    f.truncate = true;
    EXPECT_EQ(encoded(f, S, "Villalobos"), "Villal");
    EXPECT_EQ(encoded(f, S, "Ram\xC3\xADrez"), "Ram\xC3\xADr");  // the cut falls after the two bytes of í
    // Never half a character: where the cut would split í, it backs up before it and pads.
    EXPECT_EQ(encoded(f, S, "Ramos\xC3\xAD"), "Ramos ");
    f.align = Align::Right;
    f.pad = '0';
    f.truncate = false;
    EXPECT_EQ(encoded(f, S, "417"), "000417");
}

}  // namespace
}  // namespace lendgate::fixedwidth
