// `lendgate keys` as an operator runs it: init, list, rotate, rotate --master,
// with the master in a file or in the environment; never a key on screen.
#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "core/common/log.h"
#include "core/security/encoding.h"
#include "core/security/key_ring.h"
#include "tests/support/run_command.h"

namespace lendgate::test {
namespace {

namespace fs = std::filesystem;

const std::string kCli = LENDGATE_CLI;

class CliKeysTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::unsetenv(security::kMasterKeyEnv);
        ::unsetenv(security::kMasterKeyFileEnv);
        ::unsetenv(security::kNewMasterKeyEnv);
        dir_ = makeTempDir("cli-keys");
        keys_ = dir_ + "/keys";
    }
    void TearDown() override {
        ::unsetenv(security::kMasterKeyEnv);
        ::unsetenv(security::kNewMasterKeyEnv);
        fs::remove_all(dir_);
    }
    CommandResult keys(std::vector<std::string> args) {
        args.insert(args.begin(), {kCli, "keys"});
        args.insert(args.end(), {"--dir", keys_});
        return runCommand(args);
    }
    std::string tokenKeyHex() {
        SystemClock clock;
        return security::toHex(std::move(security::KeyRing::open(keys_, clock)).value()->tokenKey().bytes());
    }

    std::string dir_;
    std::string keys_;
};

TEST_F(CliKeysTest, InitListAndRotateShowIdsButNeverKeys) {
    auto list = keys({"list"});
    EXPECT_EQ(list.exitCode, 3);
    EXPECT_NE(list.err.find("lendgate keys init"), std::string::npos) << list.err;

    auto init = keys({"init"});
    ASSERT_EQ(init.exitCode, 0) << init.err;
    EXPECT_NE(init.out.find("created the key ring"), std::string::npos) << init.out;
    EXPECT_NE(init.out.find("data key 1"), std::string::npos) << init.out;
    const std::string token = tokenKeyHex();
    EXPECT_EQ(init.out.find(token), std::string::npos);
    const std::string master = readFile(keys_ + "/master.key");
    EXPECT_EQ(init.out.find(master.substr(0, 64)), std::string::npos);

    EXPECT_NE(keys({"init"}).out.find("already exists"), std::string::npos);

    auto rotate = keys({"rotate"});
    ASSERT_EQ(rotate.exitCode, 0) << rotate.err;
    EXPECT_NE(rotate.out.find("data key 2 is now current"), std::string::npos) << rotate.out;

    auto rotateMaster = keys({"rotate", "--master"});
    ASSERT_EQ(rotateMaster.exitCode, 0) << rotateMaster.err;
    EXPECT_NE(readFile(keys_ + "/master.key"), master);

    list = keys({"list"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find("data key 2"), std::string::npos);
    EXPECT_NE(list.out.find("current"), std::string::npos);
    EXPECT_NE(list.out.find("never rotated"), std::string::npos);
    const auto newId = rotateMaster.out.substr(rotateMaster.out.rfind(' ') + 1);
    EXPECT_NE(list.out.find(newId.substr(0, 16)), std::string::npos) << list.out;
    EXPECT_EQ(tokenKeyHex(), token) << "the token key survives every rotation";
}

TEST_F(CliKeysTest, AnEnvironmentMasterRotatesToTheNextOneGiven) {
    const std::string first = std::string(64, 'a');
    const std::string second = std::string(64, 'b');
    ::setenv(security::kMasterKeyEnv, first.c_str(), 1);
    ASSERT_EQ(keys({"init"}).exitCode, 0);
    EXPECT_FALSE(fs::exists(keys_ + "/master.key"));

    auto refused = keys({"rotate", "--master"});
    EXPECT_EQ(refused.exitCode, 3);
    EXPECT_NE(refused.err.find("LENDGATE_NEW_MASTER_KEY"), std::string::npos) << refused.err;

    ::setenv(security::kNewMasterKeyEnv, second.c_str(), 1);
    auto rotated = keys({"rotate", "--master"});
    ASSERT_EQ(rotated.exitCode, 0) << rotated.err;
    EXPECT_NE(rotated.out.find("give the daemon the new master key"), std::string::npos) << rotated.out;
    EXPECT_EQ(rotated.out.find(second), std::string::npos);

    EXPECT_EQ(keys({"list"}).exitCode, 3) << "the old master no longer opens the ring";
    ::setenv(security::kMasterKeyEnv, second.c_str(), 1);
    EXPECT_EQ(keys({"list"}).exitCode, 0);
}

TEST_F(CliKeysTest, UsageErrorsExit64) {
    EXPECT_EQ(keys({"list", "--master"}).exitCode, 64);
    EXPECT_EQ(keys({"turn"}).exitCode, 64);
    EXPECT_EQ(runCommand({kCli, "keys"}).exitCode, 64);
}

}  // namespace
}  // namespace lendgate::test
