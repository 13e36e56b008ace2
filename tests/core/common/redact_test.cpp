#include "core/common/redact.h"

#include <gtest/gtest.h>

namespace lendgate {
namespace {

TEST(Redact, SsnKeepsOnlyLastFour) { EXPECT_EQ(redactForLog("ssn 900-12-3456 given"), "ssn ***-**-3456 given"); }

TEST(Redact, AccountNumbersAreMasked) {
    EXPECT_EQ(redactForLog("account 4417123456789012"), "account ************9012");
    EXPECT_EQ(redactForLog("record 12345"), "record 12345");  // short numbers (counts, lines) stay
}

TEST(Redact, VinIsMasked) { EXPECT_EQ(redactForLog("vin 1HGCM82633A004352"), "vin *************4352"); }

TEST(Redact, ControlCharactersAreEscapedAndLengthCapped) {
    EXPECT_EQ(redactForLog("a\nb"), "a\\x0ab");
    std::string capped = redactForLog(std::string(500, 'x'), 20);
    EXPECT_EQ(capped, std::string(20, 'x') + "...");
}

TEST(Redact, MaskValue) {
    EXPECT_EQ(maskValue("4417123456789012"), "************9012");
    EXPECT_EQ(maskValue("12"), "**");
}

}  // namespace
}  // namespace lendgate
