// The "openpgp" section of a partner file and of lendgate.json: read with
// its defaults, the key file resolved beside the profile, the fingerprint
// normalised, and every mistake named by file and JSON Pointer the way
// `lendgate config check` prints it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/config/gateway_config.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;

constexpr const char *kSpaced = "0a1b 2c3d 4e5f 6a7b 8c9d  0e1f 2a3b 4c5d 6e7f 8a9b";
constexpr const char *kNormal = "0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B";

std::string slurp(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class PgpConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path source = LENDGATE_SOURCE_DIR "/config";
        fs::copy(source / "plugins", dir_.path() / "plugins", fs::copy_options::recursive);
        fs::copy(source / "partners", dir_.path() / "partners", fs::copy_options::recursive);
        fs::copy(source / "directories", dir_.path() / "directories", fs::copy_options::recursive);
        fs::copy_file(source / "routes.json", dir_.path() / "routes.json");
        fs::copy_file(source / "policies.json", dir_.path() / "policies.json");
        gateway_ = nlohmann::json::parse(slurp(source / "lendgate.json"));
        gateway_["plugin_dir"] = LENDGATE_PLUGIN_DIR;
        bank_ = nlohmann::json::parse(slurp(source / "partners/desert-valley-bank.json"));
        fs::create_directories(dir_.path() / "partners/keys");
        std::ofstream(dir_.path() / "partners/keys/dvb-pgp.asc") << "-----BEGIN PGP PUBLIC KEY BLOCK-----\n";
        bank_["openpgp"] = {{"partner_key", "keys/dvb-pgp.asc"}, {"partner_fingerprint", kSpaced}};
    }

    config::LoadedConfig load() {
        std::ofstream(dir_.path() / "lendgate.json") << gateway_.dump(2);
        std::ofstream(dir_.path() / "partners/desert-valley-bank.json") << bank_.dump(2);
        return config::loadGatewayConfig(dir_.path() / "lendgate.json");
    }

    static std::string problems(const config::LoadedConfig &loaded) {
        std::string out;
        for (const auto &p : loaded.problems) out += config::describe(p) + "\n";
        return out;
    }

    lendgate::testing::TempDir dir_;
    nlohmann::json gateway_, bank_;
};

TEST_F(PgpConfigTest, TheSectionIsReadWithItsDefaultsAndTheKeyBesideTheProfile) {
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    const auto *bank = loaded.config->partner("desert-valley-bank");
    ASSERT_TRUE(bank->openpgp.has_value());
    EXPECT_EQ(bank->openpgp->partnerKey, dir_.path() / "partners/keys/dvb-pgp.asc");
    EXPECT_EQ(bank->openpgp->partnerFingerprint, kNormal);
    EXPECT_TRUE(bank->openpgp->decryptInbound);
    EXPECT_TRUE(bank->openpgp->requireSignature);
    EXPECT_TRUE(bank->openpgp->encryptOutbound);
    EXPECT_FALSE(bank->openpgp->armor);
    EXPECT_FALSE(loaded.config->partner("valley-recovery")->openpgp.has_value());
    // The keyring lives under data_dir unless lendgate.json says otherwise.
    EXPECT_EQ(loaded.config->pgpHome, loaded.config->dataDir / "gnupg");
}

TEST_F(PgpConfigTest, EverySwitchAndTheHomeCanBeSet) {
    bank_["openpgp"]["decrypt_inbound"] = true;
    bank_["openpgp"]["require_signature"] = false;
    bank_["openpgp"]["encrypt_outbound"] = false;
    bank_["openpgp"]["armor"] = true;
    gateway_["openpgp"] = {{"home", "/var/lib/lg/gpg"}};
    auto loaded = load();
    ASSERT_TRUE(loaded.config) << problems(loaded);
    const auto &settings = *loaded.config->partner("desert-valley-bank")->openpgp;
    EXPECT_FALSE(settings.requireSignature);
    EXPECT_FALSE(settings.encryptOutbound);
    EXPECT_TRUE(settings.armor);
    EXPECT_EQ(loaded.config->pgpHome, fs::path("/var/lib/lg/gpg"));
}

TEST_F(PgpConfigTest, AMissingKeyFileIsAnErrorAtItsPointer) {
    bank_["openpgp"]["partner_key"] = "keys/nowhere.asc";
    auto loaded = load();
    EXPECT_FALSE(loaded.config);
    EXPECT_NE(problems(loaded).find("desert-valley-bank.json: /openpgp/partner_key: file not found: " +
                                    (dir_.path() / "partners/keys/nowhere.asc").string()),
              std::string::npos)
        << problems(loaded);
}

TEST_F(PgpConfigTest, AFingerprintThatIsNot40HexDigitsIsRefused) {
    for (const char *bad : {"0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9", "0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0",
                            "0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9Z", "0x1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B"}) {
        bank_["openpgp"]["partner_fingerprint"] = bad;
        auto loaded = load();
        EXPECT_FALSE(loaded.config) << bad;
        EXPECT_NE(problems(loaded).find("/openpgp/partner_fingerprint"), std::string::npos) << problems(loaded);
    }
}

TEST_F(PgpConfigTest, UnknownKeysAndMissingRequiredKeysAreRefused) {
    bank_["openpgp"]["passphrase"] = "x";
    auto loaded = load();
    EXPECT_FALSE(loaded.config);
    EXPECT_NE(problems(loaded).find("passphrase"), std::string::npos) << problems(loaded);

    bank_["openpgp"].erase("passphrase");
    bank_["openpgp"].erase("partner_fingerprint");
    loaded = load();
    EXPECT_FALSE(loaded.config);
    EXPECT_NE(problems(loaded).find("partner_fingerprint"), std::string::npos) << problems(loaded);

    bank_["openpgp"]["partner_fingerprint"] = kSpaced;
    gateway_["openpgp"] = {{"homedir", "/x"}};
    loaded = load();
    EXPECT_FALSE(loaded.config);
    EXPECT_NE(problems(loaded).find("homedir"), std::string::npos) << problems(loaded);
}

}  // namespace
}  // namespace lendgate::sftp
