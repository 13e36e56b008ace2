// The conversions between partner text and canonical values, and the layout
// that writes records without a JSON DOM: strict, total, and never fooled by
// near misses (a 30 February, an offset of +15:00, an overlong UTF-8 byte).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "json_layout.h"
#include "value_transforms.h"

namespace {

using namespace lendgate::xml;

TEST(XmlValues, TrimsXmlWhiteSpaceOnly) {
    EXPECT_EQ(trimXmlSpace(" \t\r\n 612.40 \n"), "612.40");
    EXPECT_EQ(trimXmlSpace("\xC2\xA0x"), "\xC2\xA0x");  // a no-break space is text, not XML white space
    EXPECT_TRUE(isBlank(" \n\t\r"));
    EXPECT_TRUE(isBlank(""));
    EXPECT_FALSE(isBlank(" 0 "));
}

TEST(XmlValues, ReadsPartnerDateLayouts) {
    EXPECT_EQ(DatePattern::parse("YYYYMMDD").toIso("20260901"), "2026-09-01");
    EXPECT_EQ(DatePattern::parse("MM/DD/YYYY").toIso("12/01/2026"), "2026-12-01");
    EXPECT_EQ(DatePattern::parse("%m/%d/%Y").toIso("1/5/2026"), "2026-01-05");
    EXPECT_EQ(DatePattern::parse("%d.%m.%Y").toIso("29.02.2028"), "2028-02-29");
    EXPECT_FALSE(DatePattern::parse("YYYYMMDD").toIso("2026091"));
    EXPECT_FALSE(DatePattern::parse("MM/DD/YYYY").toIso("02/30/2026"));
    EXPECT_FALSE(DatePattern::parse("MM/DD/YYYY").toIso("02/29/2027"));
    EXPECT_FALSE(DatePattern::parse("MM/DD/YYYY").toIso("12/01/2026 "));
    EXPECT_EQ(DatePattern::parse("MM/DD/YYYY").fromIso("2027-02-28"), "02/28/2027");
    EXPECT_FALSE(DatePattern::parse("MM/DD/YYYY").fromIso("2027-02-30"));
    EXPECT_THROW(DatePattern::parse("YYYYMMD"), std::invalid_argument);
    EXPECT_THROW(DatePattern::parse("MM/YYYY"), std::invalid_argument);
    EXPECT_THROW(DatePattern::parse("%Y-%m-%d %H"), std::invalid_argument);
}

TEST(XmlValues, ReadsXmlSchemaDatesAndTimes) {
    EXPECT_EQ(isoDate("2026-11-24"), "2026-11-24");
    EXPECT_EQ(isoDate("2026-11-24Z"), "2026-11-24");
    EXPECT_EQ(isoDate("2026-11-24-07:00"), "2026-11-24");
    EXPECT_FALSE(isoDate("2026-11-31"));
    EXPECT_FALSE(isoDate("2026-11-24+15:00"));
    EXPECT_FALSE(isoDate("26-11-24"));

    EXPECT_EQ(rfc3339DateTime("2026-11-24T15:20:00-07:00", ""), "2026-11-24T15:20:00-07:00");
    EXPECT_EQ(rfc3339DateTime("2026-11-24T15:20:00.125Z", ""), "2026-11-24T15:20:00.125Z");
    EXPECT_EQ(rfc3339DateTime("2026-11-24T15:20:00", "-07:00"), "2026-11-24T15:20:00-07:00");
    EXPECT_FALSE(rfc3339DateTime("2026-11-24T15:20:00", ""));
    EXPECT_FALSE(rfc3339DateTime("2026-11-24T24:00:00Z", ""));
    EXPECT_FALSE(rfc3339DateTime("2026-11-24T15:20:60Z", ""));
    EXPECT_FALSE(rfc3339DateTime("2026-11-24 15:20:00Z", ""));
    EXPECT_FALSE(rfc3339DateTime("2026-11-24T15:20:00.Z", ""));
    EXPECT_FALSE(rfc3339DateTime("2026-11-24T15:20:00z", ""));
    EXPECT_TRUE(isUtcOffset("+14:00"));
    EXPECT_FALSE(isUtcOffset("+14:60"));
    EXPECT_FALSE(isUtcOffset("0700"));
}

TEST(XmlValues, KeepsMoneyAsWrittenAndNumbersExact) {
    EXPECT_EQ(canonicalDecimal("612.40"), "612.40");
    EXPECT_EQ(canonicalDecimal("+12"), "12");
    EXPECT_EQ(canonicalDecimal("-0.05"), "-0.05");
    EXPECT_FALSE(canonicalDecimal("2,480.00"));
    EXPECT_FALSE(canonicalDecimal("1e3"));
    EXPECT_FALSE(canonicalDecimal(".5"));
    EXPECT_FALSE(canonicalDecimal(std::string(33, '1')));
    EXPECT_EQ(canonicalInteger("007"), "7");
    EXPECT_EQ(canonicalInteger("-0"), "0");
    EXPECT_EQ(canonicalInteger("+42"), "42");
    EXPECT_FALSE(canonicalInteger("1.0"));
    EXPECT_FALSE(canonicalInteger("1234567890123456789"));
    EXPECT_EQ(parseBoolean("true"), true);
    EXPECT_EQ(parseBoolean("0"), false);
    EXPECT_EQ(parseBoolean("y"), true);
    EXPECT_FALSE(parseBoolean("maybe"));
}

TEST(XmlValues, KnowsWhichCharactersXmlCanCarry) {
    EXPECT_TRUE(isXmlText("tab\there\nand\r\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x97"));
    EXPECT_FALSE(isXmlText(std::string("nul\0", 4)));
    EXPECT_FALSE(isXmlText("bell\x07"));
    EXPECT_FALSE(isXmlText("\xEF\xBF\xBE"));      // U+FFFE
    EXPECT_FALSE(isXmlText("\xED\xA0\x80"));      // a surrogate
    EXPECT_FALSE(isXmlText("\xC0\xAF"));          // overlong
    EXPECT_FALSE(isXmlText("\xE2\x82"));          // cut short
    EXPECT_FALSE(isXmlText("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(XmlValues, EscapesJsonStrings) {
    std::string out;
    appendJsonString(out, "a\"b\\c\nd\x01\xC3\xA9");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\xC3\xA9\"");
}

TEST(XmlLayout, WritesRecordsInConfigurationOrderAndClosesUpArrays) {
    JsonLayout layout;
    layout.addLeaf(JsonLayout::kRoot, "/payload/b", 0);
    layout.addLeaf(JsonLayout::kRoot, "/payload/parties/1/name", 1);
    layout.addLeaf(JsonLayout::kRoot, "/payload/parties/0/name", 2);
    const std::size_t element = layout.addRepeat(JsonLayout::kRoot, "/payload/items", 0, false);
    layout.addLeaf(element, "/amount", 0);
    const std::size_t codes = layout.addRepeat(JsonLayout::kRoot, "/payload/codes", 1, true);
    (void)codes;
    layout.addLeaf(JsonLayout::kRoot, "/message_type", 3);
    layout.orderRoot({"message_type", "payload"});

    Frame record;
    record.values = {{Scalar::Type::String, "x"}, {Scalar::Type::String, "Second"}, {}, {Scalar::Type::String, "t"}};
    record.repeats.resize(2);
    record.repeats[0].push_back(Frame{{{Scalar::Type::Number, "1"}}, {}});
    record.repeats[0].push_back(Frame{{{}}, {}});  // nothing in it: left out
    record.repeats[0].push_back(Frame{{{Scalar::Type::String, "3.00"}}, {}});
    record.repeats[1].push_back(Frame{{{Scalar::Type::Boolean, "true"}}, {}});
    std::string out;
    layout.write(record, out);
    EXPECT_EQ(out, R"({"message_type":"t","payload":{"b":"x","parties":[{"name":"Second"}],)"
                   R"("items":[{"amount":1},{"amount":"3.00"}],"codes":[true]}})");
}

TEST(XmlLayout, RefusesPointersThatCollide) {
    JsonLayout layout;
    layout.addLeaf(JsonLayout::kRoot, "/a/b", 0);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "/a/b", 1), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "/a/b/c", 1), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "/a/0", 1), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "a", 1), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "/a//b", 1), std::invalid_argument);
    layout.addRepeat(JsonLayout::kRoot, "/list", 0, true);
    EXPECT_THROW(layout.addLeaf(JsonLayout::kRoot, "/list/0", 1), std::invalid_argument);
    EXPECT_EQ(pointerSegments("/a~1b/c~0d"), (std::vector<std::string>{"a/b", "c~d"}));
}

}  // namespace
