#include "core/security/tokenizer.h"

#include <regex>

#include <gtest/gtest.h>

#include "core/model/formats.h"
#include "core/security/key_ring.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::security {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

class TokenizerTest : public ::testing::Test {
protected:
    AccountTokenizer tokenizerIn(const TempDir &dir) {
        rings_.push_back(lendgate::testing::makeKeyRing(dir, clock_));
        return std::move(AccountTokenizer::create(*rings_.back())).value();
    }

    TempDir dir_;
    TempDir otherGateway_;
    ManualClock clock_;
    std::vector<std::unique_ptr<KeyRing>> rings_;
};

TEST_F(TokenizerTest, TokenIsDeterministicPerGateway) {
    const auto tokenizer = tokenizerIn(dir_);
    const auto again = tokenizerIn(dir_);  // the same ring, reopened
    const std::string token = tokenizer.token("desert_valley_bank", "9018901890").value();
    EXPECT_EQ(again.token("desert_valley_bank", "9018901890").value(), token);
    EXPECT_EQ(tokenizer.token("desert_valley_bank", "  9018901890\t").value(), token) << "blanks around are ignored";
    EXPECT_NE(tokenizerIn(otherGateway_).token("desert_valley_bank", "9018901890").value(), token);
}

TEST_F(TokenizerTest, TokenRevealsNothingAndFitsTheModel) {
    const auto tokenizer = tokenizerIn(dir_);
    // Only the digits 0, 1, 8 and 9, none of which base32 uses: any digit of
    // the account number showing up in the token would be a leak.
    const std::string account = "9018901890180";
    const std::string token = tokenizer.token("desert_valley_bank", account).value();
    EXPECT_TRUE(std::regex_match(token, std::regex("^tok1:[a-z2-7]{32}$"))) << token;
    EXPECT_TRUE(std::regex_match(token, std::regex("^[A-Za-z0-9_.:-]{1,128}$")));
    EXPECT_TRUE(model::isAccountToken(token));
    EXPECT_EQ(token.substr(5).find_first_of("0189"), std::string::npos) << token;
    EXPECT_NE(tokenizer.token("saguaro_fcu", account).value(), token) << "the lender is part of the token";
    EXPECT_NE(tokenizer.token("desert_valley_bank", "9018901891180").value(), token);
}

TEST_F(TokenizerTest, BadInputIsRefusedWithoutEchoingIt) {
    const auto tokenizer = tokenizerIn(dir_);
    auto empty = tokenizer.token("desert_valley_bank", "  ");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, "invalid_argument");
    const std::string longNumber(80, '7');
    auto tooLong = tokenizer.token("desert_valley_bank", longNumber);
    ASSERT_FALSE(tooLong.ok());
    EXPECT_EQ(tooLong.error().message.find("7777"), std::string::npos) << tooLong.error().message;
    EXPECT_FALSE(tokenizer.token("", "12345678").ok());
    EXPECT_FALSE(tokenizer.token("desert_valley_bank", std::string("1234\n5678")).ok());
}

TEST_F(TokenizerTest, CaseKeyIsAStableUlidShapedId) {
    const auto tokenizer = tokenizerIn(dir_);
    const std::string token = tokenizer.token("desert_valley_bank", "9018901890").value();
    const std::string caseKey = tokenizer.caseKey("desert_valley_bank", token).value();
    EXPECT_TRUE(model::isUlid(caseKey)) << caseKey;
    EXPECT_EQ(tokenizerIn(dir_).caseKey("desert_valley_bank", token).value(), caseKey);
    EXPECT_NE(tokenizer.caseKey("cactus_auto", token).value(), caseKey);
}

TEST_F(TokenizerTest, ContentIdStreamsAndIsKeyed) {
    rings_.push_back(lendgate::testing::makeKeyRing(dir_, clock_));
    auto hasher = std::move(ContentHasher::create(*rings_.back())).value();
    const std::string oneShot = hasher.of("header\nrow 1\nrow 2\n").value();
    hasher.update("header\n");
    hasher.update("row 1\nrow 2\n");
    EXPECT_EQ(hasher.finish().value(), oneShot);
    EXPECT_TRUE(std::regex_match(oneShot, std::regex("^[0-9a-f]{64}$")));
    rings_.push_back(lendgate::testing::makeKeyRing(otherGateway_, clock_));
    EXPECT_NE(std::move(ContentHasher::create(*rings_.back())).value().of("header\nrow 1\nrow 2\n").value(), oneShot);
}

}  // namespace
}  // namespace lendgate::security
