#include "core/security/aead.h"

#include <gtest/gtest.h>

#include "core/security/encoding.h"
#include "core/security/key_ring.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::security {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

SecretKey keyFromHex(std::string_view hex) {
    const std::string raw = fromHex(hex).value();
    return SecretKey(std::span<const std::uint8_t, kKeyBytes>(reinterpret_cast<const std::uint8_t *>(raw.data()), 32));
}

TEST(AesGcm, MatchesGcmSpecificationTestCase16) {
    const SecretKey key = keyFromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    GcmNonce nonce{};
    const std::string iv = fromHex("cafebabefacedbaddecaf888").value();
    std::copy(iv.begin(), iv.end(), nonce.begin());
    const std::string plaintext = fromHex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de6"
        "57ba637b39").value();
    const std::string aad = fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2").value();

    std::string sealed(plaintext.size() + kGcmTagBytes, '\0');
    ASSERT_TRUE(aesGcmSeal(key, nonce, plaintext, aad, sealed.data()).ok());
    EXPECT_EQ(toHex(sealed),
              "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
              "93ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b");

    std::string opened(plaintext.size(), '\0');
    ASSERT_TRUE(aesGcmOpen(key, nonce, sealed, aad, opened.data()).ok());
    EXPECT_EQ(opened, plaintext);
}

class DataCipherTest : public ::testing::Test {
protected:
    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<KeyRing> ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
    DataCipher cipher_{*ring_};
};

TEST_F(DataCipherTest, RoundTripCarriesTheKeyId) {
    auto sealed = cipher_.encrypt("900-12-3456", "message:01J/ssn");
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    EXPECT_EQ(sealed.value().size(), 11 + DataCipher::kOverhead);
    EXPECT_EQ(sealed.value().find("900-12-3456"), std::string::npos);
    EXPECT_EQ(DataCipher::keyIdOf(sealed.value()), ring_->currentDataKeyId());
    auto opened = cipher_.decrypt(sealed.value(), "message:01J/ssn");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened.value(), "900-12-3456");
    EXPECT_EQ(cipher_.decrypt(cipher_.encrypt("", "a").value(), "a").value(), "");
}

TEST_F(DataCipherTest, EveryFlippedByteIsRefused) {
    const std::string sealed = cipher_.encrypt("4417123456789012", "message:01J/account").value();
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        std::string tampered = sealed;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        auto opened = cipher_.decrypt(tampered, "message:01J/account");
        EXPECT_FALSE(opened.ok()) << "flipping byte " << i << " went unnoticed";
    }
    std::string truncated = sealed.substr(0, sealed.size() - 1);
    EXPECT_FALSE(cipher_.decrypt(truncated, "message:01J/account").ok());
}

TEST_F(DataCipherTest, AssociatedDataBindsTheValueToItsPlace) {
    const std::string sealed = cipher_.encrypt("900-12-3456", "message:A/ssn").value();
    auto moved = cipher_.decrypt(sealed, "message:B/ssn");
    ASSERT_FALSE(moved.ok());
    EXPECT_EQ(moved.error().code, "decrypt_failed");
}

TEST_F(DataCipherTest, OlderKeysStillOpenAfterRotation) {
    const std::string before = cipher_.encrypt("old secret", "aad").value();
    auto rotated = ring_->rotateDataKey();
    ASSERT_TRUE(rotated.ok()) << rotated.error().message;
    const std::string after = cipher_.encrypt("new secret", "aad").value();
    EXPECT_EQ(DataCipher::keyIdOf(before), 1u);
    EXPECT_EQ(DataCipher::keyIdOf(after), rotated.value());
    EXPECT_EQ(cipher_.decrypt(before, "aad").value(), "old secret");
    EXPECT_EQ(cipher_.decrypt(after, "aad").value(), "new secret");
}

TEST_F(DataCipherTest, UnknownKeyIsNamed) {
    auto sealed = cipher_.encrypt(42, "x", "aad");
    ASSERT_FALSE(sealed.ok());
    EXPECT_EQ(sealed.error().code, "unknown_key");
    std::string forged = cipher_.encrypt("x", "aad").value();
    forged[4] = 42;  // key id 42 in the header
    auto opened = cipher_.decrypt(forged, "aad");
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "unknown_key");
    EXPECT_NE(opened.error().message.find("42"), std::string::npos);
}

}  // namespace
}  // namespace lendgate::security
