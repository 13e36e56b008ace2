// `lendgate plugin test` as a plugin author runs it: one well-behaved plugin
// passes every check, and each deliberately broken one fails the check that
// names its defect, with a reason a person can act on, while the run goes on
// to the end (a crash or a hang in one check never stops the others).
#include <gtest/gtest.h>

#include <lendgate/plugin.h>
#include <filesystem>
#include <sstream>

#include "tests/support/run_command.h"

namespace lendgate::test {
namespace {

namespace fs = std::filesystem;

const std::string kCli = LENDGATE_CLI;
const std::string kDir = CONFORMANCE_DIR;
const std::string kConfig = kDir + "/config.json";
const std::string kSamples = kDir + "/samples";

std::string plugin(const std::string &variant) {
    return std::string(CONFORMANCE_PLUGIN_DIR) + "/lendgate-plugin-conf-" + variant + ".so";
}

CommandResult runSuite(const std::string &variant, std::vector<std::string> extra = {},
                       const std::string &samples = kSamples, const std::string &config = kConfig) {
    std::vector<std::string> argv = {kCli, "plugin", "test", plugin(variant), "--config", config, "--samples", samples};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runCommand(argv);
}

// The report's line for one check, e.g. "FAIL golden status: ..." ("" if none).
std::string line(const std::string &out, const std::string &check) {
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) {
        const auto space = l.find(' ');
        if (space != std::string::npos && l.compare(space + 1, check.size() + 1, check + ":") == 0) return l;
    }
    return "";
}

bool has(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

int countPrefix(const std::string &out, const std::string &prefix) {
    std::istringstream in(out);
    int n = 0;
    for (std::string l; std::getline(in, l);) n += l.rfind(prefix, 0) == 0;
    return n;
}

TEST(PluginTest, AWellBehavedPluginPassesEveryCheck) {
    CommandResult r = runSuite("good");
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(countPrefix(r.out, "FAIL"), 0) << r.out;
    EXPECT_EQ(countPrefix(r.out, "SKIP"), 0) << r.out;
    EXPECT_TRUE(has(r.out, "conf-good: conformant (19 checks passed)")) << r.out;
    EXPECT_TRUE(has(line(r.out, "descriptor"), "conf-good 1.0.0, plugin ABI 1." + std::to_string(LENDGATE_ABI_MINOR)))
        << r.out;
    EXPECT_TRUE(has(line(r.out, "config-schema"), "unknown keys refused at /")) << r.out;
    EXPECT_TRUE(has(line(r.out, "golden status"), "3 records and 0 errors as expected")) << r.out;
    // Bad records the sample means to carry: listed in its expected errors, so not a failure.
    EXPECT_TRUE(has(line(r.out, "canonical bad_lines"), "2 of 3 records valid; the one refused is listed")) << r.out;
    EXPECT_TRUE(has(line(r.out, "golden wrong_totals"), "refused as a whole (input: control_totals)")) << r.out;
    EXPECT_TRUE(has(line(r.out, "round-trip status"), "3 referral_update records encoded")) << r.out;
    for (const char *hostile : {"empty", "truncated", "random-bytes", "long-line", "invalid-utf8"})
        EXPECT_EQ(line(r.out, std::string("hostile ") + hostile).rfind("PASS", 0), 0u) << hostile << "\n" << r.out;
    EXPECT_EQ(r.err, "");
}

TEST(PluginTest, ADescriptorThatLiesIsNamedPointByPoint) {
    CommandResult r = runSuite("bad-descriptor");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    const std::string descriptor = line(r.out, "descriptor");
    EXPECT_EQ(descriptor.rfind("FAIL", 0), 0u) << r.out;
    EXPECT_TRUE(has(r.out, "file name: the gateway looks for 'conf-misnamed' as lendgate-plugin-conf-misnamed.so"))
        << r.out;
    EXPECT_TRUE(has(r.out, "version: 'one' is not semver")) << r.out;
    EXPECT_TRUE(has(r.out, "decodes: 'status_line' is not a canonical message type")) << r.out;
    EXPECT_TRUE(has(r.out, "conf-misnamed: NOT conformant (1 of 19 checks failed)")) << r.out;
}

TEST(PluginTest, AConfigSchemaThatTakesUnknownKeysFails) {
    CommandResult r = runSuite("lax-schema");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "config-schema").rfind("FAIL config-schema: the configuration schema takes unknown keys", 0),
              0u)
        << r.out;
    EXPECT_TRUE(has(r.out, "the schema at / takes keys it does not declare; add \"additionalProperties\": false"))
        << r.out;
    EXPECT_TRUE(
        has(r.out, "a config with the unknown key \"lendgate_conformance_unknown_key\" added at / was accepted"))
        << r.out;
    EXPECT_EQ(countPrefix(r.out, "FAIL"), 1) << r.out;
}

TEST(PluginTest, RecordsTheCanonicalModelRefusesFailWithTheFieldAndReason) {
    CommandResult r = runSuite("invalid-records");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "canonical status").rfind("FAIL canonical status: records the canonical model refuses", 0),
              0u)
        << r.out;
    EXPECT_TRUE(has(r.out, "record 1 (line 1, byte 0): /payload/status: required: status is required")) << r.out;
    EXPECT_TRUE(has(r.out,
                    "fix the plugin, or, if the sample is meant to carry bad records, list them in "
                    "status.expected-errors.txt"))
        << r.out;
    EXPECT_EQ(line(r.out, "golden status").rfind("FAIL", 0), 0u) << r.out;
}

TEST(PluginTest, ANonDeterministicDecoderFailsAndSaysWhereTheRunsDiffer) {
    CommandResult r = runSuite("nondeterministic");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(
        line(r.out, "deterministic status").rfind("FAIL deterministic status: three decodes of status.txt disagree", 0),
        0u)
        << r.out;
    EXPECT_TRUE(has(r.out,
                    "decoding it again with the same instance: record 1 emitted: the JSON differs (at "
                    "/idempotency_key: expected \"conformance:REF-2001:1\", the plugin gave "
                    "\"conformance:REF-2001:2\")"))
        << r.out;
}

TEST(PluginTest, ACrashOnRandomBytesFailsThatCheckAndTheRunGoesOn) {
    CommandResult r = runSuite("crash");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    const std::string random = line(r.out, "hostile random-bytes");
    EXPECT_EQ(random.rfind("FAIL hostile random-bytes: the decode ", 0), 0u) << r.out;
    // A plain build dies of SIGSEGV; under AddressSanitizer the report ends in abort() or exit(1).
    EXPECT_TRUE(has(random, "crashed with signal") || has(random, "exit status")) << random;
    EXPECT_EQ(line(r.out, "hostile long-line").rfind("PASS", 0), 0u) << r.out;
    EXPECT_TRUE(has(r.out, "conf-crash: NOT conformant (1 of 19 checks failed)")) << r.out;
}

TEST(PluginTest, AnInternalErrorOnBadInputFailsAsABug) {
    CommandResult r = runSuite("throw");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "hostile random-bytes").rfind("FAIL hostile random-bytes: ended with status internal", 0), 0u)
        << r.out;
    EXPECT_TRUE(has(r.out, "plugin.internal: vector::at")) << r.out;
    EXPECT_TRUE(has(r.out, "bad input must be refused with lendgate::inputError()")) << r.out;
}

TEST(PluginTest, AHangIsKilledAfterTheTimeoutAndReported) {
    CommandResult r = runSuite("hang", {"--timeout", "2"});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "hostile long-line")
                  .rfind("FAIL hostile long-line: the decode gave no answer within 2 s (a hang?) and was killed", 0),
              0u)
        << r.out;
    EXPECT_EQ(line(r.out, "hostile invalid-utf8").rfind("PASS", 0), 0u) << r.out;
}

TEST(PluginTest, MemoryThatGrowsWithTheInputFails) {
    CommandResult r = runSuite("memory-hog", {"--max-rss-mb", "300"});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    const std::string longLine = line(r.out, "hostile long-line");
    EXPECT_EQ(longLine.rfind("FAIL hostile long-line: peak RSS ", 0), 0u) << r.out;
    EXPECT_TRUE(has(longLine, "MB, over the 300 MB limit")) << longLine;
}

TEST(PluginTest, AnEncoderThatLosesAFieldFailsTheRoundTrip) {
    CommandResult r = runSuite("lossy-encode");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "round-trip status").rfind("FAIL round-trip status: encoding 3 referral_update records", 0),
              0u)
        << r.out;
    EXPECT_TRUE(has(r.out,
                    "decoded back: record line 2: at /payload/reason: missing (expected \"intake call "
                    "scheduled\")"))
        << r.out;
}

TEST(PluginTest, AGoldenFileThatDisagreesNamesTheFirstDifferentField) {
    CommandResult r = runSuite("good", {}, kDir + "/wrong-golden");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_EQ(line(r.out, "golden status").rfind("FAIL golden status: status.txt does not decode as expected", 0), 0u)
        << r.out;
    EXPECT_TRUE(has(r.out,
                    "status.expected.jsonl line 2: at /payload/status: expected \"on-hold\", the plugin gave "
                    "\"in-progress\""))
        << r.out;
    EXPECT_TRUE(has(r.out, "status.expected-errors.txt has 1 line; the plugin's run gave 0")) << r.out;
}

TEST(PluginTest, UpdateGoldenWritesTheExpectedFilesFromTheRun) {
    const std::string dir = makeTempDir("conformance-update");
    for (const char *file : {"status.txt", "bad_lines.txt"}) fs::copy_file(kSamples + "/" + file, dir + "/" + file);
    CommandResult before = runSuite("good", {}, dir);
    EXPECT_EQ(before.exitCode, 1);
    EXPECT_TRUE(has(before.out, "no expected files yet: run with --update-golden")) << before.out;

    CommandResult update = runSuite("good", {"--update-golden"}, dir);
    EXPECT_EQ(update.exitCode, 0) << update.out;
    EXPECT_TRUE(has(line(update.out, "golden bad_lines"), "updated: 2 records, 2 errors written")) << update.out;
    for (const char *file : {"status.expected.jsonl", "bad_lines.expected.jsonl", "bad_lines.expected-errors.txt"})
        EXPECT_EQ(readFile(dir + "/" + file), readFile(kSamples + "/" + file)) << file;
    EXPECT_FALSE(fs::exists(dir + "/status.expected-errors.txt"));

    CommandResult after = runSuite("good", {}, dir);
    EXPECT_EQ(after.exitCode, 0) << after.out;
    fs::remove_all(dir);
}

TEST(PluginTest, AConfigWithAnUnknownKeyStopsTheRunNamingTheKey) {
    CommandResult r = runSuite("good", {}, kSamples, kDir + "/config_unknown_key.json");
    EXPECT_EQ(r.exitCode, 3) << r.out;
    EXPECT_EQ(line(r.out, "config").rfind("FAIL config: refused by the plugin's configuration schema", 0), 0u) << r.out;
    EXPECT_TRUE(has(r.out, "'sendr'")) << r.out;
    EXPECT_TRUE(has(r.out, "conf-good: stopped after 2 checks")) << r.out;
}

TEST(PluginTest, APluginThatCannotBeLoadedStopsTheRun) {
    CommandResult r = runSuite("no-such-variant");
    EXPECT_EQ(r.exitCode, 3) << r.out;
    EXPECT_TRUE(has(r.out, "FAIL descriptor: the plugin cannot be loaded")) << r.out;
    EXPECT_TRUE(has(r.out, "lendgate-plugin-conf-no-such-variant.so: file not found")) << r.out;
}

TEST(PluginTest, ExpectedFilesWithoutTheirInputAreAnError) {
    const std::string dir = makeTempDir("conformance-orphan");
    fs::copy_file(kSamples + "/status.expected.jsonl", dir + "/statuss.expected.jsonl");
    CommandResult r = runSuite("good", {}, dir);
    EXPECT_EQ(r.exitCode, 3) << r.out;
    EXPECT_TRUE(has(r.out, "FAIL samples: " + dir + ": expected files for statuss but no input statuss.* beside them"))
        << r.out;
    fs::remove_all(dir);
}

TEST(PluginTest, UsageErrors) {
    CommandResult r = runCommand({kCli, "plugin", "test", plugin("good"), "--config", kConfig});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(has(r.err, "usage: lendgate plugin test")) << r.err;
    r = runCommand(
        {kCli, "plugin", "test", plugin("good"), "--config", kConfig, "--samples", kSamples, "--timeout", "soon"});
    EXPECT_EQ(r.exitCode, 64);
    EXPECT_TRUE(has(r.err, "--timeout needs a number of seconds")) << r.err;
    r = runCommand({kCli, "plugin", "test", "--help"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(has(r.out, "NAME.expected-errors.txt")) << r.out;
    r = runCommand({kCli, "plugin", "--help"});
    EXPECT_TRUE(has(r.out, "lendgate plugin scaffold NAME [DIR]")) << r.out;
}

}  // namespace
}  // namespace lendgate::test
