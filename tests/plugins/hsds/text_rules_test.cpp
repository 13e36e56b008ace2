// The value rules the plugin checks in C++ agree with the canonical schemas
// (sdk/schemas/common.schema.json) on the edge cases that matter.
#include "text_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "record_json.h"

namespace {

using namespace lendgate::hsds;

TEST(HsdsTextRules, DateTimesNeedAnOffsetAndADayThatExists) {
    for (const char *good : {"2026-11-23T10:15:00-07:00", "2026-11-23T17:15:00Z", "2028-02-29T00:00:00+00:00",
                             "2026-11-23T10:15:00.123456789+05:30", "2000-02-29T23:59:59Z"})
        EXPECT_TRUE(isDateTime(good)) << good;
    for (const char *bad :
         {"2026-11-23T10:15:00", "2026-11-23 10:15:00Z", "2026-11-23t10:15:00z", "2026-02-29T00:00:00Z",
          "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-23T24:00:00Z",
          "2026-11-23T10:60:00Z", "2026-11-23T10:15:60Z", "2026-11-23T10:15:00.Z", "2026-11-23T10:15:00.1234567890Z",
          "2026-11-23T10:15:00+24:00", "2026-11-23T10:15:00-0700", "2026-11-23T10:15:00Z ", ""})
        EXPECT_FALSE(isDateTime(bad)) << bad;
}

TEST(HsdsTextRules, LengthsCountCodePointsAndControlCharactersAreRefused) {
    EXPECT_EQ(codePoints("Peña"), 4u);
    EXPECT_TRUE(isSingleLine(std::string(64, 'a'), 64));
    EXPECT_FALSE(isSingleLine(std::string(65, 'a'), 64));
    EXPECT_TRUE(isSingleLine("ñññ", 3));  // six bytes, three characters
    EXPECT_FALSE(isSingleLine("", 64));
    EXPECT_FALSE(isSingleLine("a\tb", 64));
    EXPECT_FALSE(isSingleLine("a\x7F", 64));
    EXPECT_TRUE(isMultiLine("line one\r\nline\ttwo", 2000));
    EXPECT_FALSE(isMultiLine(std::string("a\0b", 3), 2000));
    EXPECT_FALSE(isMultiLine("bell\x07", 2000));
}

TEST(HsdsTextRules, FormatsMatchTheCanonicalPatterns) {
    EXPECT_TRUE(isE164("+16025550148"));
    EXPECT_TRUE(isE164("+1234567"));
    EXPECT_FALSE(isE164("+123456"));
    EXPECT_FALSE(isE164("+0602555014"));
    EXPECT_FALSE(isE164("6025550148"));
    EXPECT_FALSE(isE164("+1602555014812345"));
    EXPECT_TRUE(isPostalCode("85009"));
    EXPECT_TRUE(isPostalCode("85705-1204"));
    EXPECT_FALSE(isPostalCode("8500"));
    EXPECT_FALSE(isPostalCode("85705 1204"));
    EXPECT_TRUE(isLanguageTag("es"));
    EXPECT_TRUE(isLanguageTag("es-MX"));
    EXPECT_TRUE(isLanguageTag("zh-Hant-TW"));
    EXPECT_FALSE(isLanguageTag("e"));
    EXPECT_FALSE(isLanguageTag("es_MX"));
    EXPECT_FALSE(isLanguageTag("es-"));
}

TEST(HsdsTextRules, IdentifierShapesAreSpottedInFreeText) {
    for (const char *id : {"123-45-6789", "123456789", "4417 0099 1234 5678", "x123456"})
        EXPECT_TRUE(hasLongDigitRun(id)) << id;
    for (const char *text : {"Maricopa", "O'Brien-Smith", "Unit 12345", "John III", "85009"})
        EXPECT_FALSE(hasLongDigitRun(text)) << text;
    EXPECT_TRUE(isPlainMemberName("account_number"));
    EXPECT_FALSE(isPlainMemberName("123-45-6789"));
    EXPECT_FALSE(isPlainMemberName("Rosa Villanueva"));
    EXPECT_FALSE(isPlainMemberName("a123456"));
    EXPECT_FALSE(isPlainMemberName(std::string(41, 'a')));
}

TEST(HsdsTextRules, JsonStringsEscapeWhatJsonRequires) {
    std::string out;
    appendJsonString(out, "q\"b\\n\n\t\x01\x7F ñ");
    EXPECT_EQ(out, "\"q\\\"b\\\\n\\n\\t\\u0001\\u007f ñ\"");
}

TEST(HsdsRecordJson, DuplicateKeysAtAnyDepthAreRefused) {
    EXPECT_TRUE(parseRecord(R"({"a":{"b":1,"c":2},"d":[{"b":1},{"b":2}]})").ok);
    const auto top = parseRecord(R"({"a":1,"a":2})");
    EXPECT_FALSE(top.ok);
    EXPECT_EQ(top.code, "duplicate_key");
    EXPECT_EQ(parseRecord(R"({"a":[{"b":1,"b":1}]})").code, "duplicate_key");
}

TEST(HsdsRecordJson, ErrorsSayWhereButNeverQuoteTheText) {
    const auto broken = parseRecord(R"({"ssn":"123-45-6789" "x"})");
    EXPECT_EQ(broken.code, "syntax");
    EXPECT_EQ(broken.text.find("6789"), std::string::npos);
    EXPECT_NE(broken.text.find("byte"), std::string::npos);
    EXPECT_EQ(parseRecord("{\"a\":\"\xC3\x28\"}").code, "encoding");
    EXPECT_EQ(parseRecord(R"({"a":1e999})").code, "number_range");
    EXPECT_EQ(parseRecord(R"({"a":1} {"b":2})").code, "syntax");
}

}  // namespace
