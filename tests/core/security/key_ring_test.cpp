#include "core/security/key_ring.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/security/encoding.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::security {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

mode_t modeOf(const std::filesystem::path &path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
}

std::string tokenKeyHex(const KeyRing &ring) {
    return toHex(ring.tokenKey().bytes());
}

class KeyRingTest : public ::testing::Test {
protected:
    TempDir dir_;
    ManualClock clock_;
    std::filesystem::path keys_ = dir_ / "state/keys";
};

TEST_F(KeyRingTest, FirstStartCreatesAPrivateRing) {
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    EXPECT_EQ(modeOf(keys_), 0700u);
    EXPECT_EQ(modeOf(keys_ / kKeyRingFileName), 0600u);
    EXPECT_EQ(ring.value()->dataKeyIds(), std::vector<std::uint32_t>{1});
    EXPECT_EQ(ring.value()->currentDataKeyId(), 1u);
    EXPECT_NE(tokenKeyHex(*ring.value()), std::string(64, '0'));
    EXPECT_EQ(modeOf(keys_ / kMasterKeyFileName), 0600u);
    // The ring and the master that wraps it, and no temp files.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(keys_), std::filesystem::directory_iterator()), 2);
}

TEST_F(KeyRingTest, ReopeningGivesTheSameKeys) {
    auto first = KeyRing::open(keys_, clock_);
    auto second = KeyRing::open(keys_, clock_);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(tokenKeyHex(*first.value()), tokenKeyHex(*second.value()));
    EXPECT_EQ(toHex(first.value()->dataKey(1)->bytes()), toHex(second.value()->dataKey(1)->bytes()));
}

TEST_F(KeyRingTest, RefusesAFileOthersCanRead) {
    ASSERT_TRUE(KeyRing::open(keys_, clock_).ok());
    const auto file = keys_ / kKeyRingFileName;
    ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring.ok());
    EXPECT_EQ(ring.error().code, "keyring_permissions");
    EXPECT_NE(ring.error().message.find(file.string()), std::string::npos) << ring.error().message;
    EXPECT_NE(ring.error().message.find("0644"), std::string::npos) << ring.error().message;
    EXPECT_NE(ring.error().message.find("chmod 600"), std::string::npos) << ring.error().message;
}

TEST_F(KeyRingTest, RefusesADirectoryOthersCanList) {
    ASSERT_TRUE(KeyRing::open(keys_, clock_).ok());
    ASSERT_EQ(::chmod(keys_.c_str(), 0755), 0);
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring.ok());
    EXPECT_EQ(ring.error().code, "keyring_permissions");
    EXPECT_NE(ring.error().message.find("0755"), std::string::npos) << ring.error().message;
}

TEST_F(KeyRingTest, RefusesASymbolicLink) {
    ASSERT_TRUE(KeyRing::open(keys_, clock_).ok());
    const auto file = keys_ / kKeyRingFileName;
    std::filesystem::rename(file, keys_ / "elsewhere.json");
    std::filesystem::create_symlink(keys_ / "elsewhere.json", file);
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring.ok());
    EXPECT_EQ(ring.error().code, "keyring_permissions");
}

TEST_F(KeyRingTest, InvalidFileIsNamedWithoutKeyMaterial) {
    ASSERT_TRUE(KeyRing::open(keys_, clock_).ok());
    const auto file = keys_ / kKeyRingFileName;
    const std::string secret = std::string(63, 'a') + "Z";  // not hex: refused
    {
        std::ofstream out(file, std::ios::trunc);
        out << R"({"format":"lendgate-keyring","version":1,"token_key":{"key":")" << secret
            << R"("},"data_keys":[],"current_data_key":1})";
    }
    auto ring = KeyRing::open(keys_, clock_);
    ASSERT_FALSE(ring.ok());
    EXPECT_EQ(ring.error().code, "keyring_invalid");
    EXPECT_NE(ring.error().message.find("/token_key/key"), std::string::npos) << ring.error().message;
    EXPECT_EQ(ring.error().message.find(secret), std::string::npos);
}

TEST_F(KeyRingTest, RotationKeepsOlderKeysAndSurvivesRestart) {
    auto ring = std::move(KeyRing::open(keys_, clock_)).value();
    const std::string token = tokenKeyHex(*ring);
    const std::string first = toHex(ring->dataKey(1)->bytes());
    auto rotated = ring->rotateDataKey();
    ASSERT_TRUE(rotated.ok()) << rotated.error().message;
    EXPECT_EQ(rotated.value(), 2u);
    EXPECT_EQ(ring->currentDataKey().first, 2u);
    EXPECT_EQ(modeOf(keys_ / kKeyRingFileName), 0600u);

    auto reopened = std::move(KeyRing::open(keys_, clock_)).value();
    EXPECT_EQ(tokenKeyHex(*reopened), token) << "the token key never rotates";
    EXPECT_EQ(reopened->dataKeyIds(), (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(reopened->currentDataKeyId(), 2u);
    EXPECT_EQ(toHex(reopened->dataKey(1)->bytes()), first);
    EXPECT_NE(toHex(reopened->dataKey(2)->bytes()), first);
}

TEST_F(KeyRingTest, ReloadPicksUpARotationByAnotherProcess) {
    auto daemon = std::move(KeyRing::open(keys_, clock_)).value();
    auto cli = std::move(KeyRing::open(keys_, clock_)).value();
    ASSERT_TRUE(cli->rotateDataKey().ok());
    EXPECT_FALSE(daemon->dataKey(2).has_value());
    ASSERT_TRUE(daemon->reload().ok());
    EXPECT_EQ(daemon->currentDataKeyId(), 2u);
}

TEST_F(KeyRingTest, ADaemonNoticesARotationOnlyWhenTheFileChanged) {
    auto daemon = std::move(KeyRing::open(keys_, clock_)).value();
    auto cli = std::move(KeyRing::open(keys_, clock_)).value();
    EXPECT_FALSE(daemon->reloadIfChanged().value());
    ASSERT_TRUE(cli->rotateDataKey().ok());
    EXPECT_TRUE(daemon->reloadIfChanged().value());
    EXPECT_EQ(daemon->currentDataKeyId(), 2u);
    EXPECT_FALSE(daemon->reloadIfChanged().value());
    ASSERT_TRUE(cli->rotateMasterKey().ok());
    EXPECT_TRUE(daemon->reloadIfChanged().value());
    EXPECT_EQ(daemon->masterInfo().id, cli->masterInfo().id);
}

TEST_F(KeyRingTest, ConcurrentFirstStartsShareOneRing) {
    std::string a;
    std::string b;
    std::thread first([&] { a = tokenKeyHex(*std::move(KeyRing::open(keys_, clock_)).value()); });
    std::thread second([&] { b = tokenKeyHex(*std::move(KeyRing::open(keys_, clock_)).value()); });
    first.join();
    second.join();
    EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace lendgate::security
