#include "core/security/encoding.h"

#include <gtest/gtest.h>

#include "core/security/hmac.h"

namespace lendgate::security {
namespace {

TEST(Encoding, HexRoundTrip) {
    const std::string raw("\x00\x01\xab\xff", 4);
    EXPECT_EQ(toHex(raw), "0001abff");
    EXPECT_EQ(fromHex("0001ABff"), raw);
    EXPECT_FALSE(fromHex("abc").has_value());
    EXPECT_FALSE(fromHex("zz").has_value());
}

TEST(Encoding, Base32MatchesRfc4648InLowerCaseWithoutPadding) {
    auto b32 = [](std::string_view text) {
        return toBase32Lower(std::span(reinterpret_cast<const std::uint8_t *>(text.data()), text.size()));
    };
    EXPECT_EQ(b32(""), "");
    EXPECT_EQ(b32("f"), "my");
    EXPECT_EQ(b32("fo"), "mzxq");
    EXPECT_EQ(b32("foobar"), "mzxw6ytboi");
}

TEST(Encoding, Crockford128IsUlidText) {
    std::array<std::uint8_t, 16> zeros{};
    std::array<std::uint8_t, 16> ones{};
    ones.fill(0xff);
    EXPECT_EQ(toCrockford128(zeros), "00000000000000000000000000");
    EXPECT_EQ(toCrockford128(ones), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    std::array<std::uint8_t, 16> one{};
    one[15] = 1;
    EXPECT_EQ(toCrockford128(one), "00000000000000000000000001");
}

TEST(Hmac, MatchesRfc4231TestCase2) {
    const std::string_view key = "Jefe";
    HmacSha256 mac(std::span(reinterpret_cast<const std::uint8_t *>(key.data()), key.size()));
    HmacSha256 copy(mac);  // the keyed state copies before any data
    mac.update("what do ya ");
    mac.update("want for nothing?");
    auto digest = mac.finish();
    ASSERT_TRUE(digest.ok());
    EXPECT_EQ(toHex(digest.value()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    copy.update("what do ya want for nothing?");
    EXPECT_EQ(copy.finish().value(), digest.value());
    EXPECT_FALSE(mac.finish().ok()) << "a finished MAC cannot be finished twice";
}

TEST(Sha256, MatchesFips180Example) {
    Sha256 sha;
    sha.update("ab");
    sha.update("c");
    EXPECT_EQ(toHex(sha.finish().value()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace lendgate::security
