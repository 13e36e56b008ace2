// The gateway's GnuPG home: where it lives, which partner keys it takes, and
// the gateway's own key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "tests/core/pgp/pgp_world.h"

namespace lendgate::pgp::testing {
namespace {

using KeyringTest = PgpTest;

bool holds(const Keyring &keyring, const std::string &fingerprint) {
    auto keys = keyring.list();
    return keys && std::any_of(keys.value().begin(), keys.value().end(),
                               [&](const KeyInfo &k) { return k.fingerprint == fingerprint; });
}

TEST(KeyringHome, IsCreatedPrivateAndALooseModeIsTightened) {
    GpgHome parent;
    const fs::path home = parent.file("gnupg");
    auto opened = Keyring::open(home);
    ASSERT_TRUE(opened) << opened.error().message;
    struct stat st {};
    ASSERT_EQ(::stat(home.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    ::chmod(home.c_str(), 0755);
    ASSERT_TRUE(Keyring::open(home));
    ASSERT_EQ(::stat(home.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(KeyringHome, ASymlinkIsRefused) {
    GpgHome parent;
    fs::create_directory(parent.file("real"));
    fs::create_directory_symlink(parent.file("real"), parent.file("link"));
    auto opened = Keyring::open(parent.file("link"));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, errc::kSetup);
    EXPECT_NE(opened.error().message.find("symlink"), std::string::npos);
}

TEST(KeyringHome, APathTooLongForTheAgentSocketIsRefused) {
    GpgHome parent;
    const fs::path home = parent.file(std::string(90, 'd'));
    auto opened = Keyring::open(home);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, errc::kSetup);
    EXPECT_NE(opened.error().message.find("108 bytes"), std::string::npos) << opened.error().message;
    EXPECT_FALSE(fs::exists(home));
}

TEST_F(KeyringTest, APartnerKeyWithAnotherFingerprintIsRefusedAndNotImported) {
    GatewayHome fresh;
    const std::string armored = world().partner.exportPublic(world().partnerFpr);
    std::string wrong = world().strangerFpr;
    auto imported = fresh.keyring().importPartnerKeyData(armored, wrong);
    ASSERT_FALSE(imported);
    EXPECT_EQ(imported.error().code, errc::kKey);
    EXPECT_NE(imported.error().message.find(world().partnerFpr), std::string::npos) << imported.error().message;
    EXPECT_FALSE(holds(fresh.keyring(), world().partnerFpr));
}

TEST_F(KeyringTest, APartnerKeyFileIsImportedByItsPinnedFingerprintAgainAndAgain) {
    GatewayHome fresh;
    const fs::path file = fresh.home().file("dvb.asc");
    writeFile(file, world().partner.exportPublic(world().partnerFpr));
    // Profiles may write the fingerprint in groups, as gpg prints it.
    std::string spaced;
    for (std::size_t i = 0; i < world().partnerFpr.size(); i += 4) spaced += world().partnerFpr.substr(i, 4) + " ";
    for (int round = 0; round < 2; ++round) {
        auto imported = fresh.keyring().importPartnerKey(file, spaced);
        ASSERT_TRUE(imported) << imported.error().message;
        EXPECT_EQ(imported.value().fingerprint, world().partnerFpr);
        EXPECT_TRUE(imported.value().canEncrypt);
        EXPECT_FALSE(imported.value().secret);
    }
    EXPECT_TRUE(holds(fresh.keyring(), world().partnerFpr));
}

TEST_F(KeyringTest, AKeyFileWithTwoKeysIsRefused) {
    GatewayHome fresh;
    const std::string both = world().partner.gpg({"--armor", "--export", world().partnerFpr, world().strangerFpr});
    auto imported = fresh.keyring().importPartnerKeyData(both, world().partnerFpr);
    ASSERT_FALSE(imported);
    EXPECT_NE(imported.error().message.find("2 keys"), std::string::npos) << imported.error().message;
    EXPECT_FALSE(holds(fresh.keyring(), world().partnerFpr));
}

TEST_F(KeyringTest, AKeyFileWithSecretMaterialIsRefused) {
    GatewayHome fresh;
    const std::string secret = world().partner.gpg({"--armor", "--export-secret-keys", world().partnerFpr});
    auto imported = fresh.keyring().importPartnerKeyData(secret, world().partnerFpr);
    ASSERT_FALSE(imported);
    EXPECT_NE(imported.error().message.find("secret"), std::string::npos);
    EXPECT_FALSE(holds(fresh.keyring(), world().partnerFpr));
}

TEST_F(KeyringTest, ARevokedPartnerKeyIsRefused) {
    GpgHome partner;
    const std::string fpr = partner.generateKey("Revoked <r@example.test>");
    std::string certificate = readFile(partner.file("openpgp-revocs.d/" + fpr + ".rev"));
    certificate.replace(certificate.find(":-----BEGIN"), 1, "");
    partner.importKey(certificate);
    GatewayHome fresh;
    auto imported = fresh.keyring().importPartnerKeyData(partner.exportPublic(fpr), fpr);
    ASSERT_FALSE(imported);
    EXPECT_EQ(imported.error().code, errc::kKeyRevoked);
    EXPECT_FALSE(holds(fresh.keyring(), fpr));
}

TEST_F(KeyringTest, GarbageAndMissingFilesAreRefusedClearly) {
    GatewayHome fresh;
    auto garbage = fresh.keyring().importPartnerKeyData("not a key at all\n", world().partnerFpr);
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, errc::kKey);
    auto missing = fresh.keyring().importPartnerKey(fresh.home().file("absent.asc"), world().partnerFpr);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("absent.asc"), std::string::npos);
}

TEST_F(KeyringTest, TheGatewayKeyIsMadeOnceAndExportedWithoutSecrets) {
    const Keyring &keyring = world().gateway.keyring();
    auto own = keyring.gatewayKey();
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_EQ(own.value().fingerprint, world().gatewayFpr);
    EXPECT_TRUE(own.value().secret);
    EXPECT_TRUE(own.value().canSign);
    EXPECT_TRUE(own.value().canEncrypt);

    auto again = keyring.generateGatewayKey("second <s@example.test>", KeyAlgorithm::Ed25519);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find(world().gatewayFpr), std::string::npos);

    auto exported = keyring.exportPublicKey(world().gatewayFpr);
    ASSERT_TRUE(exported);
    EXPECT_NE(exported.value().find("BEGIN PGP PUBLIC KEY BLOCK"), std::string::npos);
    EXPECT_EQ(exported.value().find("PRIVATE"), std::string::npos);

    auto listed = keyring.list();
    ASSERT_TRUE(listed);
    for (const auto &key : listed.value()) EXPECT_EQ(key.secret, key.fingerprint == world().gatewayFpr);
}

TEST_F(KeyringTest, AnEmptyKeyringHasNoGatewayKeyAndSaysWhatToRun) {
    GatewayHome fresh;
    auto own = fresh.keyring().gatewayKey();
    ASSERT_FALSE(own);
    EXPECT_NE(own.error().message.find("lendgate pgp init"), std::string::npos);
}

TEST_F(KeyringTest, AnExportedGatewayKeyCanBeImportedIntoANewHome) {
    GpgHome old;
    const std::string fpr = old.generateKey("Moved gateway <gw@example.test>");
    const fs::path file = old.file("gateway-secret.asc");
    writeFile(file, old.gpg({"--armor", "--export-secret-keys", fpr}));
    GatewayHome fresh;
    auto imported = fresh.keyring().importGatewayKey(file, fpr);
    ASSERT_TRUE(imported) << imported.error().message;
    EXPECT_TRUE(imported.value().secret);
    EXPECT_EQ(fresh.keyring().gatewayKey().value().fingerprint, fpr);
}

TEST_F(KeyringTest, APassphraseProtectedGatewayKeyIsRefusedAndRemoved) {
    GpgHome old;
    old.gpg({"--quick-gen-key", "Protected <p@example.test>", "future-default", "default", "never"},
            {"--passphrase", "correct horse"});
    const std::string fpr = old.lastFingerprint("Protected <p@example.test>");
    const fs::path file = old.file("protected.asc");
    writeFile(file, old.gpg({"--armor", "--export-secret-keys", fpr}, {"--passphrase", "correct horse"}));
    GatewayHome fresh;
    auto imported = fresh.keyring().importGatewayKey(file, fpr);
    ASSERT_FALSE(imported);
    EXPECT_EQ(imported.error().code, errc::kKey);
    EXPECT_NE(imported.error().message.find("passphrase"), std::string::npos) << imported.error().message;
    EXPECT_FALSE(fresh.keyring().gatewayKey());
}

}  // namespace
}  // namespace lendgate::pgp::testing
