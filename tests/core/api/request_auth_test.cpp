#include "core/api/request_auth.h"

#include <gtest/gtest.h>

namespace lendgate::api {
namespace {

constexpr std::int64_t kNow = 1795500000;
const std::string kBody = R"({"message_type":"consent"})";

TEST(ApiKeys, TheRightKeyFindsItsPartner) {
    ApiKeyVerifier verifier({{"desert-valley-bank", "k1", "lgk_dvb1", sha256Hex("lgk_dvb1_secretpart"), {}},
                             {"valley-recovery", "k2", "lgk_vrc1", sha256Hex("lgk_vrc1_othersecret"), {}}});
    auto match = verifier.verify("lgk_vrc1_othersecret");
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->partnerId, "valley-recovery");
    EXPECT_FALSE(verifier.verify("lgk_vrc1_othersecreT").has_value());
    EXPECT_FALSE(verifier.verify("lgk_dvb1_othersecret").has_value());
    EXPECT_FALSE(verifier.verify("").has_value());
}

TEST(ApiKeys, BearerTokenIsTakenFromTheHeader) {
    EXPECT_EQ(ApiKeyVerifier::bearerToken("Bearer abc"), "abc");
    EXPECT_EQ(ApiKeyVerifier::bearerToken("bearer  abc "), "abc");
    EXPECT_FALSE(ApiKeyVerifier::bearerToken("Basic abc").has_value());
    EXPECT_FALSE(ApiKeyVerifier::bearerToken("Bearer ").has_value());
}

TEST(Signatures, KnownVector) {
    // HMAC-SHA256("secret", "1795500000.{...}") computed independently with openssl dgst.
    EXPECT_EQ(signRequest("secret", kNow, kBody),
              "t=1795500000,v1=0c2982de58e8e19665270c355fa27803738a4d55484b12eb3a73fa200b5830b0");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Signatures, ToleranceIsPlusMinus300Seconds) {
    for (std::int64_t skew : {-299, 0, 299}) {
        std::string header = signRequest("secret", kNow + skew, kBody);
        EXPECT_EQ(verifyRequestSignature(header, kBody, {"secret"}, kNow), SignatureCheck::Valid) << skew;
    }
    for (std::int64_t skew : {-301, 301}) {
        std::string header = signRequest("secret", kNow + skew, kBody);
        EXPECT_EQ(verifyRequestSignature(header, kBody, {"secret"}, kNow), SignatureCheck::OutsideTolerance) << skew;
    }
}

TEST(Signatures, OneFlippedBitFails) {
    std::string header = signRequest("secret", kNow, kBody);
    std::string body = kBody;
    body[5] ^= 0x01;
    EXPECT_EQ(verifyRequestSignature(header, body, {"secret"}, kNow), SignatureCheck::Mismatch);
    std::string tampered = header;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    EXPECT_EQ(verifyRequestSignature(tampered, kBody, {"secret"}, kNow), SignatureCheck::Mismatch);
}

TEST(Signatures, ReserialisedBodyFails) {
    std::string header = signRequest("secret", kNow, kBody);
    EXPECT_EQ(verifyRequestSignature(header, R"({"message_type": "consent"})", {"secret"}, kNow),
              SignatureCheck::Mismatch);
}

TEST(Signatures, TwoSecretsAreValidDuringRotation) {
    std::string header = signRequest("old-secret", kNow, kBody);
    EXPECT_EQ(verifyRequestSignature(header, kBody, {"new-secret", "old-secret"}, kNow), SignatureCheck::Valid);
    EXPECT_EQ(verifyRequestSignature(header, kBody, {"new-secret"}, kNow), SignatureCheck::Mismatch);
}

TEST(Signatures, MissingAndMalformedHeaders) {
    EXPECT_EQ(verifyRequestSignature("", kBody, {"s"}, kNow), SignatureCheck::Missing);
    EXPECT_EQ(verifyRequestSignature("v1=abcd", kBody, {"s"}, kNow), SignatureCheck::Malformed);
    EXPECT_EQ(verifyRequestSignature("t=12x,v1=abcd", kBody, {"s"}, kNow), SignatureCheck::Malformed);
    EXPECT_EQ(verifyRequestSignature("t=1795500000", kBody, {"s"}, kNow), SignatureCheck::Malformed);
}

// During a rotation both keys work; from its expires_at the old one answers
// exactly like an unknown key, and the caller learns which key expired.
TEST(ApiKeys, AnExpiredKeyIsRefusedAndNamed) {
    ApiKeyVerifier verifier({{"desert-valley-bank", "old", "lgk_dvb1", sha256Hex("lgk_dvb1_old"), 1795500000},
                             {"desert-valley-bank", "new", "lgk_dvb2", sha256Hex("lgk_dvb2_new"), {}}});
    std::optional<StoredApiKey> expired;
    EXPECT_EQ(verifier.verify("lgk_dvb1_old", 1795499999, expired)->keyId, "old");
    EXPECT_FALSE(expired.has_value());
    EXPECT_FALSE(verifier.verify("lgk_dvb1_old", 1795500000, expired).has_value());
    ASSERT_TRUE(expired.has_value());
    EXPECT_EQ(expired->keyId, "old");
    EXPECT_EQ(verifier.verify("lgk_dvb2_new", 1795500000, expired)->keyId, "new");
    EXPECT_FALSE(expired.has_value());
    EXPECT_FALSE(verifier.verify("lgk_dvb1_wrong", 1795400000, expired).has_value());
    EXPECT_FALSE(expired.has_value());
}

TEST(RequestSignatures, ARetiringSecretCountsUntilItExpires) {
    const std::int64_t now = 1795500000;
    const std::vector<SigningSecret> secrets{{"new-secret", std::nullopt}, {"old-secret", now + 60}};
    const auto oldSigned = signRequest("old-secret", now, "{}");
    EXPECT_EQ(verifyRotatingSignature(signRequest("new-secret", now, "{}"), "{}", secrets, now), SignatureCheck::Valid);
    EXPECT_EQ(verifyRotatingSignature(oldSigned, "{}", secrets, now), SignatureCheck::Valid);
    EXPECT_EQ(verifyRotatingSignature(signRequest("old-secret", now + 60, "{}"), "{}", secrets, now + 60),
              SignatureCheck::Mismatch);
}

}  // namespace
}  // namespace lendgate::api
