// The CLI as an operator or plugin author uses it: real processes, real files.
#include <gtest/gtest.h>

#include <lendgate/plugin.h>
#include <filesystem>

#include "tests/support/run_command.h"

namespace lendgate::test {
namespace {

const std::string kCli = LENDGATE_CLI;
const std::string kSource = SOURCE_DIR;
const std::string kDelimited = std::string(PLUGIN_DIR) + "/lendgate-plugin-delimited.so";
const std::string kJson = std::string(PLUGIN_DIR) + "/lendgate-plugin-json.so";
const std::string kDvbConfig = kSource + "/config/plugins/dvb-delinquency.json";
const std::string kDvbSample = kSource + "/samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";
const std::string kGolden = kSource + "/tests/plugins/delimited/golden";

std::size_t countLines(const std::string &text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, EveryCommandHasHelp) {
    for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                          {"plugin", "--help"},
                                          {"decode", "--help"},
                                          {"encode", "--help"},
                                          {"validate", "--help"}}) {
        args.insert(args.begin(), kCli);
        CommandResult r = runCommand(args);
        EXPECT_EQ(r.exitCode, 0) << args[1];
        EXPECT_NE(r.out.find("usage: lendgate"), std::string::npos) << args[1];
    }
}

TEST(Cli, UnknownCommandAndOptionAreOneLineUsageErrors) {
    CommandResult r = runCommand({kCli, "frobnicate"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_EQ(countLines(r.err), 1u) << r.err;
    r = runCommand({kCli, "decode", "--plugn", "x.so", "in.csv"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_NE(r.err.find("unknown option --plugn"), std::string::npos) << r.err;
}

TEST(Cli, InspectPrintsTheDescriptorAsJson) {
    CommandResult r = runCommand({kCli, "plugin", "inspect", kDelimited});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("\"name\": \"delimited\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"abi\": \"1." + std::to_string(LENDGATE_ABI_MINOR) + "\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"config_schema\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("delinquency_notice"), std::string::npos) << r.out;
}

TEST(Cli, InspectOfABrokenPluginIsOneClearLine) {
    CommandResult r =
        runCommand({kCli, "plugin", "inspect", std::string(TEST_PLUGIN_DIR) + "/lendgate-plugin-test-abi-major.so"});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_EQ(countLines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("lendgate-plugin-test-abi-major.so"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ABI 2." + std::to_string(LENDGATE_ABI_MINOR)), std::string::npos) << r.err;
}

TEST(Cli, ListShowsShippedPlugins) {
    CommandResult r = runCommand({kCli, "plugin", "list", PLUGIN_DIR});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("delimited\t"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("json\t"), std::string::npos) << r.out;
}

TEST(Cli, ListReportsPluginsThatFailToLoad) {
    CommandResult r = runCommand({kCli, "plugin", "list", TEST_PLUGIN_DIR});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.out.find("echo\t1.2.3"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("lendgate-plugin-test-abi-minor.so"), std::string::npos) << r.err;
}

TEST(Cli, DecodeOfTheSampleBankFileTakesEveryRecord) {
    CommandResult r = runCommand({kCli, "decode", "--plugin", kDelimited, "--config", kDvbConfig, kDvbSample});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_GE(countLines(r.out), 5u);
    EXPECT_NE(r.err.find("rejected"), std::string::npos);  // the summary line
    // Every line is a valid canonical record: feed it back through validate.
    CommandResult v = runCommand({kCli, "validate"}, r.out);
    EXPECT_EQ(v.exitCode, 0) << v.err;
}

// An XSD named relative to its configuration file is found from any working
// directory: the host tells the plugin where the configuration lives.
TEST(Cli, AConfigurationsRelativeXsdResolvesAgainstItsOwnFolder) {
    const std::string elsewhere = makeTempDir("cli-cwd");
    CommandResult r = runCommand({kCli, "decode", "--plugin", std::string(PLUGIN_DIR) + "/lendgate-plugin-xml.so",
                                  "--config", kSource + "/config/plugins/sfcu-hardship-application.json",
                                  kSource + "/samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml"},
                                 "", elsewhere);
    std::filesystem::remove_all(elsewhere);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_GE(countLines(r.out), 1u);
    EXPECT_EQ(r.err.find("xsd"), std::string::npos) << r.err;
}

TEST(Cli, DecodeOfAMalformedCopyReportsLinesAndKeepsTheGoodRecords) {
    std::string malformed = kGolden + "/DVB_DELQ_bad_records.csv";
    CommandResult good = runCommand({kCli, "decode", "--plugin", kDelimited, "--config", kDvbConfig, kDvbSample});
    CommandResult r = runCommand({kCli, "decode", "--plugin", kDelimited, "--config", kDvbConfig, malformed});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("/payload/collateral/vin: vin_check_digit"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(malformed + ":"), std::string::npos) << r.err;
    EXPECT_GT(countLines(r.out), 0u);
    EXPECT_LT(countLines(r.out), countLines(good.out));
    // No error line quotes personal data from the file.
    EXPECT_EQ(r.err.find("SMITH"), std::string::npos);
}

TEST(Cli, DecodeOfAFileWithWrongTrailerTotalsIsRejectedWhole) {
    CommandResult r = runCommand(
        {kCli, "decode", "--plugin", kDelimited, "--config", kDvbConfig, kGolden + "/DVB_DELQ_wrong_totals.csv"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << "records of a rejected file must not be printed";
    EXPECT_NE(r.err.find("rejected as a whole"), std::string::npos) << r.err;
}

TEST(Cli, DecodeWithAnUnknownConfigKeyNamesTheKey) {
    std::string dir = makeTempDir("lendgate-cli");
    writeFile(dir + "/bad.json", R"({"output":"jsonl","colour":"red"})");
    CommandResult r = runCommand({kCli, "decode", "--plugin", kJson, "--config", dir + "/bad.json", kDvbSample});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.err.find("colour"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(dir + "/bad.json"), std::string::npos) << r.err;
    std::filesystem::remove_all(dir);
}

TEST(Cli, DecodeWithAMissingPluginIsOneClearLine) {
    CommandResult r = runCommand({kCli, "decode", "--plugin", "/nowhere/p.so", "--config", kDvbConfig, kDvbSample});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_EQ(countLines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("/nowhere/p.so: file not found"), std::string::npos) << r.err;
}

TEST(Cli, JsonPluginRoundTripsDecodedRecords) {
    CommandResult decoded = runCommand({kCli, "decode", "--plugin", kDelimited, "--config", kDvbConfig, kDvbSample});
    ASSERT_EQ(decoded.exitCode, 0) << decoded.err;
    std::string dir = makeTempDir("lendgate-cli");
    writeFile(dir + "/json.json", R"({"output":"jsonl"})");
    CommandResult encoded =
        runCommand({kCli, "encode", "--plugin", kJson, "--config", dir + "/json.json", "--type", "delinquency_notice"},
                   decoded.out);
    ASSERT_EQ(encoded.exitCode, 0) << encoded.err;
    writeFile(dir + "/records.jsonl", encoded.out);
    CommandResult again =
        runCommand({kCli, "decode", "--plugin", kJson, "--config", dir + "/json.json", dir + "/records.jsonl"});
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(again.out, decoded.out);
    std::filesystem::remove_all(dir);
}

TEST(Cli, ValidateNamesLineFieldAndCodeButNotTheValue) {
    std::string record =
        R"({"message_type":"referral_update","schema_version":"1.0","idempotency_key":"k1",)"
        R"("occurred_at":"2026-11-23T09:15:00-07:00","payload":{"referral_id":"R1","status":"shredded"}})";
    CommandResult r = runCommand({kCli, "validate"}, "\n" + record + "\n");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("-:2: /payload/status: enum"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("shredded"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lendgate::test
