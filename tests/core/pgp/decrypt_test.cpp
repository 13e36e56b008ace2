// Inbound partner files: what the gateway accepts and every way it refuses.
#include <gtest/gtest.h>

#include <cstring>

#include "core/security/encoding.h"
#include "core/security/hmac.h"
#include "tests/core/pgp/pgp_world.h"

namespace lendgate::pgp::testing {
namespace {

const std::string kDelinquencyCsv =
    "record_type,account_number,days_past_due\nD,4000123412341234,61\nD,4000987698769876,95\n";

std::string sha256Hex(const std::string &bytes) {
    security::Sha256 hash;
    hash.update(bytes);
    return security::toHex(hash.finish().value());
}

using DecryptTest = PgpTest;

TEST_F(DecryptTest, PartnerFileSignedAndEncryptedIsDecryptedAndItsSignerReported) {
    const std::string cipher = world().partnerSends(kDelinquencyCsv);
    EXPECT_EQ(cipher.find("4000123412341234"), std::string::npos);
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_TRUE(result) << result.error().code << ": " << result.error().message;
    EXPECT_EQ(sink.bytes(), kDelinquencyCsv);
    EXPECT_EQ(result.value().signerFingerprint, world().partnerFpr);
    EXPECT_EQ(result.value().bytes, kDelinquencyCsv.size());
    EXPECT_EQ(result.value().sha256Hex, sha256Hex(kDelinquencyCsv));
    EXPECT_GT(result.value().signedAt, 1600000000);
}

TEST_F(DecryptTest, ArmoredFilesAreAcceptedToo) {
    const std::string cipher = world().partnerSends(kDelinquencyCsv, {"--armor"});
    ASSERT_EQ(cipher.rfind("-----BEGIN PGP MESSAGE-----", 0), 0u);
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(sink.bytes(), kDelinquencyCsv);
}

TEST_F(DecryptTest, TheSameContentEncryptedTwiceHasOnePlaintextHash) {
    const std::string first = world().partnerSends(kDelinquencyCsv);
    const std::string second = world().partnerSends(kDelinquencyCsv);
    ASSERT_NE(first, second);  // session keys differ on every encryption
    StringSink a, b;
    auto one = world().receive(first, a, world().fromPartner());
    auto two = world().receive(second, b, world().fromPartner());
    ASSERT_TRUE(one && two);
    EXPECT_EQ(one.value().sha256Hex, two.value().sha256Hex);
    EXPECT_EQ(one.value().sha256Hex, sha256Hex(kDelinquencyCsv));
}

TEST_F(DecryptTest, AFileSignedByAnotherKnownKeyIsRefusedAsTheWrongSigner) {
    // The stranger is another partner of ours: its key is in the keyring.
    ASSERT_TRUE(world().gateway.keyring().importPartnerKeyData(world().stranger.exportPublic(world().strangerFpr),
                                                               world().strangerFpr));
    const std::string cipher = world().stranger.transform(
        kDelinquencyCsv,
        {"--local-user", world().strangerFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kWrongSigner);
    EXPECT_NE(result.error().message.find(world().strangerFpr), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find(world().partnerFpr), std::string::npos);
}

TEST_F(DecryptTest, AFileSignedByAnUnknownKeyIsRefusedAsTheWrongSigner) {
    GpgHome impostor;
    const std::string impostorFpr = impostor.generateKey("Impostor <i@example.test>");
    impostor.importKey(world().gateway.keyring().exportPublicKey(world().gatewayFpr).value());
    const std::string cipher = impostor.transform(
        kDelinquencyCsv, {"--local-user", impostorFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kWrongSigner);
    EXPECT_NE(result.error().message.find("does not know"), std::string::npos) << result.error().message;
}

TEST_F(DecryptTest, AnUnsignedFileIsRefusedWhenASignatureIsRequired) {
    const std::string cipher =
        world().partner.transform(kDelinquencyCsv, {"--recipient", world().gatewayFpr, "--encrypt"});
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kUnsigned);

    DecryptOptions lenient = world().fromPartner();
    lenient.requireSignature = false;
    StringSink again;
    auto taken = world().receive(cipher, again, lenient);
    ASSERT_TRUE(taken) << taken.error().message;
    EXPECT_EQ(again.bytes(), kDelinquencyCsv);
    EXPECT_TRUE(taken.value().signerFingerprint.empty());
}

TEST_F(DecryptTest, ASignatureByAnotherKeyIsRefusedEvenWhenSignaturesAreOptional) {
    const std::string cipher = world().stranger.transform(
        kDelinquencyCsv,
        {"--local-user", world().strangerFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    DecryptOptions lenient = world().fromPartner();
    lenient.requireSignature = false;
    StringSink sink;
    auto result = world().receive(cipher, sink, lenient);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kWrongSigner);
}

TEST_F(DecryptTest, ASignedButUnencryptedFileIsRefused) {
    for (const char *mode : {"--sign", "--clear-sign"}) {
        const std::string signedOnly =
            world().partner.transform(kDelinquencyCsv, {"--local-user", world().partnerFpr, mode});
        StringSink sink;
        auto result = world().receive(signedOnly, sink, world().fromPartner());
        ASSERT_FALSE(result) << mode;
        EXPECT_EQ(result.error().code, errc::kNotEncrypted) << mode << ": " << result.error().message;
    }
}

TEST_F(DecryptTest, APlainFileIsRefusedAsNotEncrypted) {
    StringSink sink;
    auto result = world().receive(kDelinquencyCsv, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kNotEncrypted) << result.error().message;
    EXPECT_EQ(result.error().message.find("4000123412341234"), std::string::npos);
}

TEST_F(DecryptTest, AnEmptyFileIsRefused) {
    StringSink sink;
    auto result = world().receive("", sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kCorrupt);
}

TEST_F(DecryptTest, AFileEncryptedToAnotherKeyIsRefusedAsNotForUs) {
    const std::string cipher = world().partner.transform(
        kDelinquencyCsv,
        {"--local-user", world().partnerFpr, "--recipient", world().strangerFpr, "--sign", "--encrypt"});
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kNotForUs) << result.error().message;
    EXPECT_TRUE(sink.bytes().empty());
}

TEST_F(DecryptTest, AFileEncryptedWithAPassphraseIsRefusedAsNotForUs) {
    const std::string cipher = world().partner.transform(kDelinquencyCsv, {"--symmetric"}, {"--passphrase", "guess"});
    StringSink sink;
    auto result = world().receive(cipher, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kNotForUs) << result.error().message;
    EXPECT_TRUE(sink.bytes().empty());
}

TEST_F(DecryptTest, TruncatedFilesAreRefusedAsCorrupt) {
    std::string bigger;
    for (int i = 0; i < 2000; ++i) bigger += kDelinquencyCsv;
    const std::string cipher = world().partnerSends(bigger, {"--compress-algo", "none"});
    for (std::size_t keep :
         {cipher.size() - 1, cipher.size() - 40, cipher.size() / 2, std::size_t{200}, std::size_t{5}}) {
        StringSink sink;
        auto result = world().receive(cipher.substr(0, keep), sink, world().fromPartner());
        ASSERT_FALSE(result) << "kept " << keep << " of " << cipher.size();
        EXPECT_EQ(result.error().code, errc::kCorrupt) << "kept " << keep << ": " << result.error().message;
    }
}

TEST_F(DecryptTest, DamagedFilesAreRefused) {
    std::string bigger;
    for (int i = 0; i < 2000; ++i) bigger += kDelinquencyCsv;
    const std::string cipher = world().partnerSends(bigger, {"--compress-algo", "none"});
    for (std::size_t at : {cipher.size() / 2, cipher.size() - 10, std::size_t{30}, std::size_t{3}}) {
        std::string damaged = cipher;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
        StringSink sink;
        auto result = world().receive(damaged, sink, world().fromPartner());
        ASSERT_FALSE(result) << "byte " << at;
        EXPECT_TRUE(result.error().code == errc::kCorrupt || result.error().code == errc::kBadSignature ||
                    result.error().code == errc::kNotForUs || result.error().code == errc::kNotEncrypted)
            << "byte " << at << ": " << result.error().code << " " << result.error().message;
    }
}

TEST_F(DecryptTest, ACompressionBombStopsAtThePlaintextCap) {
    const std::string zeros(32u << 20, '\0');
    const std::string cipher = world().partnerSends(zeros, {"--compress-algo", "zlib", "--compress-level", "9"});
    ASSERT_LT(cipher.size(), 1u << 20);
    DecryptOptions capped = world().fromPartner();
    capped.maxPlaintextBytes = 1u << 20;
    StringSink sink;
    auto result = world().receive(cipher, sink, capped);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kTooLarge);
    EXPECT_LE(sink.bytes().size(), 1u << 20);
}

TEST_F(DecryptTest, ASignatureByAnExpiredPartnerKeyIsRefused) {
    GpgHome old;
    // A key made in 2020 that expired a day later, signing while it was
    // valid (the gateway's key, made today, is "not yet valid" then).
    const std::vector<std::string> then{"--faked-system-time", "20200101T120000", "--ignore-valid-from",
                                        "--ignore-time-conflict"};
    const std::string oldFpr = old.generateKey("Expired partner <e@example.test>", "1d", then);
    old.importKey(world().gateway.keyring().exportPublicKey(world().gatewayFpr).value());
    const std::string cipher = old.transform(
        kDelinquencyCsv, {"--local-user", oldFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"}, then);

    // Pinned before it expired (importPartnerKey refuses expired keys).
    world().gateway.home().importKey(old.exportPublic(oldFpr));
    DecryptOptions options;
    options.expectedSigner = oldFpr;
    StringSink sink;
    auto result = world().receive(cipher, sink, options);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kKeyExpired) << result.error().message;
}

TEST_F(DecryptTest, ASignatureByARevokedPartnerKeyIsRefused) {
    GpgHome revoked;
    const std::string fpr = revoked.generateKey("Revoked partner <r@example.test>");
    revoked.importKey(world().gateway.keyring().exportPublicKey(world().gatewayFpr).value());
    const std::string cipher = revoked.transform(
        kDelinquencyCsv, {"--local-user", fpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    world().gateway.home().importKey(revoked.exportPublic(fpr));
    // gpg keeps a revocation certificate for every new key, guarded by a ':'.
    std::string certificate = readFile(revoked.file("openpgp-revocs.d/" + fpr + ".rev"));
    certificate.replace(certificate.find(":-----BEGIN"), 1, "");
    world().gateway.home().importKey(certificate);

    DecryptOptions options;
    options.expectedSigner = fpr;
    StringSink sink;
    auto result = world().receive(cipher, sink, options);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kKeyRevoked) << result.error().message;
}

TEST_F(DecryptTest, AFingerprintThatIsNotOneIsRefusedBeforeReading) {
    DecryptOptions options;
    options.expectedSigner = "not-a-fingerprint";
    StringSink sink;
    auto result = world().receive("whatever", sink, options);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, errc::kKey);

    DecryptOptions none;
    auto unpinned = world().receive("whatever", sink, none);
    ASSERT_FALSE(unpinned);
    EXPECT_EQ(unpinned.error().code, errc::kKey);
}

/// A source that fails midway, like a disk error while reading a dropped file.
class FailingSource final : public journal::ByteSource {
public:
    explicit FailingSource(std::string data) : data_(std::move(data)) {}
    Result<std::size_t> read(char *buffer, std::size_t capacity) override {
        if (at_ >= data_.size() / 2) return Error{"io", "the disk went away"};
        const std::size_t n = std::min(capacity, data_.size() / 2 - at_);
        std::memcpy(buffer, data_.data() + at_, n);
        at_ += n;
        return n;
    }

private:
    std::string data_;
    std::size_t at_ = 0;
};

TEST_F(DecryptTest, ASourceErrorIsReportedAsItself) {
    std::string bigger;
    for (int i = 0; i < 2000; ++i) bigger += kDelinquencyCsv;
    FailingSource source(world().partnerSends(bigger));
    StringSink sink;
    auto result = world().gateway.keyring().decryptAndVerify(source, sink, world().fromPartner());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "io");
    EXPECT_EQ(result.error().message, "the disk went away");
}

}  // namespace
}  // namespace lendgate::pgp::testing
