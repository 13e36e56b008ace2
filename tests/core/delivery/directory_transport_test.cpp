// File drops: whole files only, the exact bytes, one file per message however
// often it is sent, and a clear error when the folder cannot be used.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/delivery/directory_transport.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

namespace fs = std::filesystem;
using lendgate::testing::TempDir;

std::string readFile(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> listing(const fs::path &folder) {
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

class DirectoryTransportTest : public ::testing::Test {
protected:
    OutboundMessage message(std::string body = "{\"a\":1}\n\x01\xff binary too") {
        OutboundMessage m;
        m.messageId = "01JDNPZX45HY43KWJRP1XPA7Z3";
        m.messageType = "repossession_assignment";
        m.destination = "valley_recovery";
        m.contentType = "application/json";
        m.fileExtension = ".json";
        m.body = std::move(body);
        return m;
    }
    config::Endpoint endpoint(fs::path path) {
        config::Endpoint e;
        e.type = config::Endpoint::Type::Directory;
        e.id = "drop";
        e.path = std::move(path);
        return e;
    }

    TempDir dir_;
    DirectoryTransport transport_;
};

TEST_F(DirectoryTransportTest, WritesTheExactBytesUnderTheMessageIdAndLeavesNoTemporaryFile) {
    const OutboundMessage m = message();
    TransportResult result = transport_.send(m, endpoint(dir_.path()));
    ASSERT_TRUE(result.delivered) << result.error;
    EXPECT_EQ(readFile(dir_ / "01JDNPZX45HY43KWJRP1XPA7Z3.json"), m.body);
    EXPECT_EQ(listing(dir_.path()), std::vector<std::string>{"01JDNPZX45HY43KWJRP1XPA7Z3.json"});
}

TEST_F(DirectoryTransportTest, SendingTheSameMessageAgainLeavesOneFile) {
    ASSERT_TRUE(transport_.send(message("first"), endpoint(dir_.path())).delivered);
    ASSERT_TRUE(transport_.send(message("second"), endpoint(dir_.path())).delivered);
    EXPECT_EQ(listing(dir_.path()), std::vector<std::string>{"01JDNPZX45HY43KWJRP1XPA7Z3.json"});
    EXPECT_EQ(readFile(dir_ / "01JDNPZX45HY43KWJRP1XPA7Z3.json"), "second");
}

TEST_F(DirectoryTransportTest, CreatesAMissingFolderReadableByTheGroupOnly) {
    const fs::path folder = dir_ / "outbox/valley";
    ASSERT_TRUE(transport_.send(message(), endpoint(folder)).delivered);
    struct stat info {};
    ASSERT_EQ(::stat(folder.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0750u);
    EXPECT_TRUE(fs::exists(folder / "01JDNPZX45HY43KWJRP1XPA7Z3.json"));
}

TEST_F(DirectoryTransportTest, AFolderThatCannotBeMadeIsAClearFailure) {
    // A file where the folder should be: unusable even for root, unlike modes.
    std::ofstream(dir_ / "not-a-folder") << "x";
    TransportResult result = transport_.send(message("secret body 123-45-6789"), endpoint(dir_ / "not-a-folder/sub"));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("directory drop: cannot create"), std::string::npos) << result.error;
    EXPECT_EQ(result.error.find("secret body"), std::string::npos);
}

TEST_F(DirectoryTransportTest, AMessageIdThatIsNotAPlainNameIsRefused) {
    OutboundMessage m = message();
    m.messageId = "../escape";
    TransportResult result = transport_.send(m, endpoint(dir_.path()));
    EXPECT_FALSE(result.delivered);
    EXPECT_NE(result.error.find("not usable as a file name"), std::string::npos) << result.error;
    EXPECT_TRUE(listing(dir_.path()).empty());
}

}  // namespace
}  // namespace lendgate::delivery
