// The master key: what a copy of the ring file alone gives away (nothing),
// what a wrong or missing master says, and rotation that survives a crash.
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/security/aead.h"
#include "core/security/encoding.h"
#include "core/security/key_ring.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::security {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;
namespace fs = std::filesystem;

std::string readText(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const fs::path &file, const std::string &text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
}

/// Sets an environment variable for one test.
class ScopedEnv {
public:
    ScopedEnv(const char *name, const std::string &value) : name_(name) { ::setenv(name, value.c_str(), 1); }
    ~ScopedEnv() { ::unsetenv(name_); }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    const char *name_;
};

std::string randomKeyHex() {
    return toHex(SecretKey::random().value().bytes());
}

class MasterKeyTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::unsetenv(kMasterKeyEnv);
        ::unsetenv(kMasterKeyFileEnv);
    }
    std::unique_ptr<KeyRing> open() { return std::move(KeyRing::open(keys_, clock_)).value(); }

    TempDir dir_;
    ManualClock clock_;
    fs::path keys_ = dir_ / "keys";
};

TEST_F(MasterKeyTest, TheRingFileHoldsNoKeyInTheClear) {
    auto ring = open();
    const auto file = readText(keys_ / kKeyRingFileName);
    EXPECT_EQ(file.find(toHex(ring->tokenKey().bytes())), std::string::npos);
    EXPECT_EQ(file.find(toHex(ring->dataKey(1)->bytes())), std::string::npos);
    EXPECT_NE(file.find(ring->masterInfo().id), std::string::npos);
    EXPECT_NE(file.find("\"version\": 2"), std::string::npos);
}

TEST_F(MasterKeyTest, AClearVersionOneRingIsRewrittenWrappedWithTheSameKeys) {
    const std::string token = randomKeyHex();
    const std::string data = randomKeyHex();
    fs::create_directories(keys_);
    fs::permissions(keys_, fs::perms::owner_all);
    writeText(keys_ / kKeyRingFileName,
              R"({"format":"lendgate-keyring","version":1,"token_key":{"created_at_ms":1,"key":")" + token +
                  R"("},"data_keys":[{"id":1,"created_at_ms":1,"key":")" + data + R"("}],"current_data_key":1})");
    auto ring = open();
    EXPECT_EQ(toHex(ring->tokenKey().bytes()), token);
    EXPECT_EQ(toHex(ring->dataKey(1)->bytes()), data);
    const auto file = readText(keys_ / kKeyRingFileName);
    EXPECT_EQ(file.find(token), std::string::npos);
    EXPECT_EQ(file.find(data), std::string::npos);
    EXPECT_EQ(toHex(open()->tokenKey().bytes()), token);
}

TEST_F(MasterKeyTest, AWrongMasterIsNamedAndNothingIsCreated) {
    (void)open();
    const std::string stranger = randomKeyHex();
    ScopedEnv env(kMasterKeyEnv, stranger);
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring);
    EXPECT_EQ(ring.error().code, "keyring_master");
    EXPECT_NE(ring.error().message.find("environment LENDGATE_MASTER_KEY"), std::string::npos) << ring.error().message;
    EXPECT_EQ(ring.error().message.find(stranger), std::string::npos);
}

TEST_F(MasterKeyTest, AMissingMasterIsRefusedNotReplaced) {
    (void)open();
    fs::remove(keys_ / kMasterKeyFileName);
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring);
    EXPECT_EQ(ring.error().code, "keyring_master");
    EXPECT_NE(ring.error().message.find("restore"), std::string::npos) << ring.error().message;
    EXPECT_FALSE(fs::exists(keys_ / kMasterKeyFileName));
}

TEST_F(MasterKeyTest, AMasterFromTheEnvironmentIsNeverWrittenToDisk) {
    const std::string master = randomKeyHex();
    std::string token;
    {
        ScopedEnv env(kMasterKeyEnv, master);
        auto ring = open();
        token = toHex(ring->tokenKey().bytes());
        EXPECT_TRUE(ring->masterInfo().fromEnvironment);
    }
    EXPECT_FALSE(fs::exists(keys_ / kMasterKeyFileName));
    for (const auto &entry : fs::recursive_directory_iterator(dir_.path()))
        EXPECT_EQ(readText(entry.path()).find(master), std::string::npos) << entry.path();
    EXPECT_FALSE(KeyRing::open(keys_, clock_)) << "without the environment the ring does not open";
    ScopedEnv again(kMasterKeyEnv, master);
    EXPECT_EQ(toHex(open()->tokenKey().bytes()), token);
}

TEST_F(MasterKeyTest, RotatingTheMasterRewrapsWithoutTouchingData) {
    auto ring = open();
    const std::string token = toHex(ring->tokenKey().bytes());
    const auto sealed = DataCipher(*ring).encrypt("4401009817", "message:01J/account").value();
    const std::string oldMaster = readText(keys_ / kMasterKeyFileName);
    const std::string oldId = ring->masterInfo().id;

    auto rotated = ring->rotateMasterKey();
    ASSERT_TRUE(rotated) << rotated.error().message;
    EXPECT_NE(rotated.value(), oldId);
    EXPECT_NE(readText(keys_ / kMasterKeyFileName), oldMaster);
    EXPECT_FALSE(fs::exists(keys_ / kNextMasterKeyFileName));

    auto reopened = open();
    EXPECT_EQ(reopened->masterInfo().id, rotated.value());
    EXPECT_EQ(toHex(reopened->tokenKey().bytes()), token);
    EXPECT_EQ(DataCipher(*reopened).decrypt(sealed, "message:01J/account").value(), "4401009817");
    // The old master opens nothing any more.
    ScopedEnv env(kMasterKeyEnv, oldMaster);
    auto withOld = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(withOld);
    EXPECT_NE(withOld.error().message.find(oldId), std::string::npos) << withOld.error().message;
}

TEST_F(MasterKeyTest, ARotationCutShortAfterTheRingWasRewrappedIsFinishedOnOpen) {
    auto ring = open();
    const std::string token = toHex(ring->tokenKey().bytes());
    const std::string oldMaster = readText(keys_ / kMasterKeyFileName);
    ASSERT_TRUE(ring->rotateMasterKey());
    // As if the crash came between rewrapping the ring and installing the key.
    fs::rename(keys_ / kMasterKeyFileName, keys_ / kNextMasterKeyFileName);
    writeText(keys_ / kMasterKeyFileName, oldMaster);
    auto reopened = open();
    EXPECT_EQ(toHex(reopened->tokenKey().bytes()), token);
    EXPECT_FALSE(fs::exists(keys_ / kNextMasterKeyFileName));
    EXPECT_NE(readText(keys_ / kMasterKeyFileName), oldMaster);
}

TEST_F(MasterKeyTest, ARotationCutShortBeforeTheRingWasRewrappedKeepsTheOldMaster) {
    const std::string oldId = open()->masterInfo().id;
    writeText(keys_ / kNextMasterKeyFileName, randomKeyHex() + "\n");
    auto reopened = open();
    EXPECT_EQ(reopened->masterInfo().id, oldId);
    EXPECT_FALSE(fs::exists(keys_ / kNextMasterKeyFileName));
}

TEST_F(MasterKeyTest, AnEnvironmentMasterRotatesOnlyToTheNextOneGiven) {
    ScopedEnv env(kMasterKeyEnv, randomKeyHex());
    auto ring = open();
    auto refused = ring->rotateMasterKey();
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find(kNewMasterKeyEnv), std::string::npos);

    const std::string next = randomKeyHex();
    auto nextKey = masterKeyFromHex(next, "test", true);
    ASSERT_TRUE(nextKey);
    ASSERT_TRUE(ring->rotateMasterKey(nextKey.value()));
    EXPECT_FALSE(fs::exists(keys_ / kMasterKeyFileName));
    ScopedEnv switched(kMasterKeyEnv, next);
    EXPECT_TRUE(KeyRing::open(keys_, clock_));
}

TEST_F(MasterKeyTest, AMasterFileNamedByTheEnvironmentIsUsedAndNeverCopied) {
    // How systemd's LoadCredential= hands the key over: a private file.
    const auto credential = dir_ / "credential-master-key";
    const std::string master = randomKeyHex();
    writeText(credential, master + "\n");
    ScopedEnv env(kMasterKeyFileEnv, credential.string());
    auto ring = open();
    EXPECT_TRUE(ring->masterInfo().fromEnvironment);
    EXPECT_NE(ring->masterInfo().source.find(credential.string()), std::string::npos);
    EXPECT_FALSE(fs::exists(keys_ / kMasterKeyFileName));
    EXPECT_FALSE(ring->rotateMasterKey()) << "the file belongs to the service manager";
    ScopedEnv same(kMasterKeyEnv, master);
    EXPECT_TRUE(KeyRing::open(keys_, clock_)) << "the same key, given directly";

    fs::permissions(credential, fs::perms::group_read, fs::perm_options::add);
    ::unsetenv(kMasterKeyEnv);
    auto exposed = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(exposed);
    EXPECT_EQ(exposed.error().code, "keyring_permissions");
}

TEST_F(MasterKeyTest, AMalformedMasterIsRefusedWithoutQuotingIt) {
    ScopedEnv env(kMasterKeyEnv, "not-a-key-0123");
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring);
    EXPECT_EQ(ring.error().code, "keyring_master");
    EXPECT_EQ(ring.error().message.find("not-a-key-0123"), std::string::npos);
}

}  // namespace
}  // namespace lendgate::security
