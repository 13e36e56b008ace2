#include "core/model/formats.h"

#include <string>

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

TEST(Vin, CheckDigitPer49Cfr565) {
    EXPECT_TRUE(isValidVin("1HGCM82633A004352"));
    EXPECT_TRUE(isValidVin("1M8GDM9AXKP042788"));  // remainder 10 is written 'X'
    EXPECT_TRUE(isValidVin("5GZCZ43D13S812715"));
    EXPECT_TRUE(isValidVin("11111111111111111"));
    EXPECT_EQ(vinCheckDigit("1HGCM82603A004352"), '3');
    EXPECT_FALSE(isValidVin("1HGCM82643A004352"));
    EXPECT_FALSE(isValidVin("1M8GDM9A1KP042788"));
}

TEST(Vin, SyntaxExcludesIOQAndLowerCase) {
    EXPECT_TRUE(isVinSyntax("1HGCM82633A004352"));
    EXPECT_FALSE(isVinSyntax("1HGCM82633A00435"));    // 16 characters
    EXPECT_FALSE(isVinSyntax("1HGCM82633A0043521"));  // 18 characters
    EXPECT_FALSE(isVinSyntax("IHGCM82633A004352"));
    EXPECT_FALSE(isVinSyntax("1HGCM82633AO04352"));
    EXPECT_FALSE(isVinSyntax("1HGCM82633A0Q4352"));
    EXPECT_FALSE(isVinSyntax("1hgcm82633a004352"));
    EXPECT_FALSE(vinCheckDigit("1HGCM8263-A004352").has_value());
}

TEST(StateCode, FiftyStatesDcTerritoriesAndMilitary) {
    int accepted = 0;
    for (char a = 'A'; a <= 'Z'; ++a) {
        for (char b = 'A'; b <= 'Z'; ++b) accepted += isUsStateCode(std::string{a, b}) ? 1 : 0;
    }
    EXPECT_EQ(accepted, 50 + 1 + 5 + 3);
    for (const char *code : {"AZ", "DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP", "WY"}) {
        EXPECT_TRUE(isUsStateCode(code)) << code;
    }
    for (const char *code : {"az", "XX", "UM", "FM", "MH", "PW", "CZ", "A", "AZZ", ""}) {
        EXPECT_FALSE(isUsStateCode(code)) << code;
    }
}

TEST(Formats, PostalPhoneSsn) {
    EXPECT_TRUE(isUsPostalCode("85004"));
    EXPECT_TRUE(isUsPostalCode("85004-1234"));
    EXPECT_FALSE(isUsPostalCode("8500"));
    EXPECT_FALSE(isUsPostalCode("85004 1234"));
    EXPECT_FALSE(isUsPostalCode("850041234"));

    EXPECT_TRUE(isE164Phone("+16025550123"));
    EXPECT_TRUE(isE164Phone("+4420794601"));
    EXPECT_FALSE(isE164Phone("16025550123"));
    EXPECT_FALSE(isE164Phone("+06025550123"));
    EXPECT_FALSE(isE164Phone("+1 602 555 0123"));
    EXPECT_FALSE(isE164Phone("+1234567890123456"));

    EXPECT_TRUE(isSsnSyntax("900-55-0142"));
    EXPECT_TRUE(isSsnSyntax("900550142"));
    EXPECT_FALSE(isSsnSyntax("900-550142"));
    EXPECT_FALSE(isSsnSyntax("90055014"));
}

TEST(Formats, EmailLanguageIdentifiers) {
    EXPECT_TRUE(isEmailAddress("m.quintero@example.net"));
    EXPECT_TRUE(isEmailAddress("a+b@mail.example.co"));
    EXPECT_FALSE(isEmailAddress("no-at-sign.example.net"));
    EXPECT_FALSE(isEmailAddress("user@localhost"));
    EXPECT_FALSE(isEmailAddress("user@-bad.example"));
    EXPECT_FALSE(isEmailAddress("us er@example.net"));

    EXPECT_TRUE(isLanguageTag("en"));
    EXPECT_TRUE(isLanguageTag("es-MX"));
    EXPECT_TRUE(isLanguageTag("zh-Hant-TW"));
    EXPECT_FALSE(isLanguageTag("e"));
    EXPECT_FALSE(isLanguageTag("en_US"));
    EXPECT_FALSE(isLanguageTag("en-"));

    EXPECT_TRUE(isUlid("01JDM9S346Q3D25VT4F5V37E3S"));
    EXPECT_FALSE(isUlid("81JDM9S346Q3D25VT4F5V37E3S"));  // above 128 bits
    EXPECT_FALSE(isUlid("01JDM9S346Q3D25VT4F5V37E3U"));  // U is not Crockford

    EXPECT_TRUE(isJsonPointer(""));
    EXPECT_TRUE(isJsonPointer("/payload/parties/0/name/last"));
    EXPECT_TRUE(isJsonPointer("/a~1b/c~0d"));
    EXPECT_FALSE(isJsonPointer("payload"));
    EXPECT_FALSE(isJsonPointer("/a~2"));
    EXPECT_FALSE(isJsonPointer("/a~"));

    EXPECT_TRUE(isPartnerId("desert_valley_bank"));
    EXPECT_FALSE(isPartnerId("_leading"));
    EXPECT_TRUE(isCodeToken("vin_check_digit"));
    EXPECT_FALSE(isCodeToken("VIN"));
    EXPECT_TRUE(isSha256Hex(std::string(64, 'a')));
    EXPECT_FALSE(isSha256Hex(std::string(64, 'A')));
    EXPECT_TRUE(isAccountNumber("DVB-0001"));
    EXPECT_FALSE(isAccountNumber("-0001"));
    EXPECT_TRUE(isAccountToken("tok_v1:AbC-9.z"));
    EXPECT_TRUE(isPlate("CRV 4821"));
    EXPECT_FALSE(isPlate("crv4821"));
}

TEST(Formats, TextLengthCountsCodePointsAsJsonSchemaDoes) {
    EXPECT_EQ(codePointCount("Muñoz"), 5u);
    EXPECT_EQ(codePointCount("Nguyễn"), 6u);
    EXPECT_EQ(codePointCount("\xF0\x9F\x9A\x97"), 1u);  // one emoji, four bytes
    EXPECT_TRUE(isSingleLine("Muñoz Ávila"));
    EXPECT_FALSE(isSingleLine("a\tb"));
    EXPECT_FALSE(isSingleLine(std::string("a\0b", 3)));
    EXPECT_TRUE(isMultiLine("line one\r\nline two\tend"));
    EXPECT_FALSE(isMultiLine("bell\a"));
    EXPECT_FALSE(isMultiLine("del\x7F"));
}

}  // namespace
}  // namespace lendgate::model
