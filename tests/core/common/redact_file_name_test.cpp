// File names as NACKs, error texts and logs show them: a partner may name a
// file after an account or a borrower, so long digit runs are masked.
#include <gtest/gtest.h>

#include "core/common/redact.h"

namespace lendgate {
namespace {

TEST(RedactFileName, ALongDigitRunKeepsOnlyItsLastFourDigits) {
    EXPECT_EQ(redactFileName("dvb_4401009817.csv"), "dvb_******9817.csv");
    EXPECT_EQ(redactFileName("dvb_123456.csv"), "dvb_**3456.csv");
}

TEST(RedactFileName, LettersAroundTheDigitsDoNotProtectThem) {
    // redactForLog leaves these alone: the digits are inside a word.
    EXPECT_EQ(redactFileName("acct4401009817.csv"), "acct******9817.csv");
    EXPECT_EQ(redactFileName("4401009817x.txt"), "******9817x.txt");
    EXPECT_EQ(redactForLog("acct4401009817.csv"), "acct4401009817.csv");
}

TEST(RedactFileName, ShortRunsSequenceNumbersAndPlainNamesStayReadable) {
    EXPECT_EQ(redactFileName("MESA_OUTCOMES_01.csv"), "MESA_OUTCOMES_01.csv");
    EXPECT_EQ(redactFileName("CAF_DQAO_12345.txt"), "CAF_DQAO_12345.txt");
    EXPECT_EQ(redactFileName(""), "");
}

TEST(RedactFileName, DatesAreDigitRunsLikeAnyOtherAndKeepTheirLastFour) {
    // An 8-digit run may as well be an account number: the day stays visible.
    EXPECT_EQ(redactFileName("DVB_DELQ_20261123_001.csv"), "DVB_DELQ_****1123_001.csv");
}

TEST(RedactFileName, SsnShapesAndSeveralRunsInOneNameAreEachMasked) {
    EXPECT_EQ(redactFileName("hardship_123-45-6789.xml"), "hardship_***-**-6789.xml");
    EXPECT_EQ(redactFileName("a1234567b7654321.csv"), "a***4567b***4321.csv");
}

TEST(RedactFileName, ControlCharactersAreEscapedAndTheLengthCapped) {
    EXPECT_EQ(redactFileName(std::string("a\nb.csv")), "a\\x0ab.csv");
    EXPECT_EQ(redactFileName(std::string(300, 'x'), 10), "xxxxxxxxxx...");
}

}  // namespace
}  // namespace lendgate
