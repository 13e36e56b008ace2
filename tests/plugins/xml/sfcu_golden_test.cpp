// Saguaro Federal Credit Union's XML exchange through the xml plugin with the
// shipped configurations: hardship applications and decisions in (with and
// without their XSDs), the ACK, outcomes, referral updates and the servicer's
// hardship decisions and account updates out, and every outbound document read
// back to the records it was written from.
//
// Set LENDGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "xml_test_support.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::readFile;
using namespace lendgate::xmltest;

const std::string kApplications = repoPath("samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml");

CallResult decodeWith(const std::string &config, const std::string &input, std::size_t chunk = 4096) {
    auto instance = plugin().create(config);
    return instance.decode(input, nullptr, chunk);
}

TEST(SaguaroFcu, HardshipApplicationsDecodeToTheGoldenRecordsWithTheirXsd) {
    const auto result = decodeWith(shippedConfig("sfcu-hardship-application.json"), readFile(kApplications));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(errorReport(result), "");
    ASSERT_EQ(result.records.size(), 8u);
    expectGolden(result.jsonLines(), "SFCU_HARDSHIP_20261124_001.expected.jsonl");
}

// The credit union's XML and the canonical JSON sample of the same application say the same thing.
TEST(SaguaroFcu, TheFirstApplicationIsTheCanonicalJsonSample) {
    const auto result = decodeWith(shippedConfig("sfcu-hardship-application.json"), readFile(kApplications));
    ASSERT_FALSE(result.records.empty());
    EXPECT_EQ(nlohmann::json::parse(result.records[0].json),
              nlohmann::json::parse(readFile(repoPath("samples/saguaro-fcu/hardship_application.json"))));
}

TEST(SaguaroFcu, HardshipApplicationsDecodeToTheSameRecordsWithoutTheXsd) {
    const auto result = decodeWith(shippedConfig("sfcu-hardship-application.json", false), readFile(kApplications), 1);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(errorReport(result), "");
    EXPECT_EQ(result.jsonLines(), readFile(goldenPath("SFCU_HARDSHIP_20261124_001.expected.jsonl")));
}

TEST(SaguaroFcu, EachRecordKnowsWhereItCameFrom) {
    const auto result = decodeWith(shippedConfig("sfcu-hardship-application.json"), readFile(kApplications));
    ASSERT_EQ(result.records.size(), 8u);
    const std::uint64_t lines[] = {5, 42, 67, 90, 125, 153, 178, 212};
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(result.records[i].where.record, i + 1);
        EXPECT_EQ(result.records[i].where.line, lines[i]) << "record " << i + 1;
        EXPECT_EQ(result.records[i].messageType, "hardship_application");
    }
}

// Each damaged record is reported and skipped; the good ones still come out.
// The XSD sees what the mapping cannot (an element the schema does not allow).
TEST(SaguaroFcu, DamagedApplicationsAreReportedWithAndWithoutTheXsd) {
    const std::string input = readFile(goldenPath("SFCU_HARDSHIP_bad_records.xml"));
    for (const bool withXsd : {true, false}) {
        const auto result = decodeWith(shippedConfig("sfcu-hardship-application.json", withXsd), input);
        const std::string suffix = withXsd ? ".xsd" : ".no-xsd";
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        expectGolden(errorReport(result), "SFCU_HARDSHIP_bad_records" + suffix + ".expected-errors.txt");
        expectGolden(result.jsonLines(), "SFCU_HARDSHIP_bad_records" + suffix + ".expected.jsonl");
        for (const auto &error : result.errors)
            for (const char *value :
                 {"2,480.55", "2026-11-31", "COVID19", "7781008864", "7781008875", "Quillfeather", "three"})
                EXPECT_EQ(error.message.find(value), std::string::npos) << error.message;
    }
}

TEST(SaguaroFcu, HardshipDecisionsDecodeToTheGoldenRecords) {
    const std::string input = readFile(repoPath("samples/saguaro-fcu/SFCU_DECISIONS_20261201_001.xml"));
    const auto result = decodeWith(shippedConfig("sfcu-hardship-decision.json"), input);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(errorReport(result), "");
    ASSERT_EQ(result.records.size(), 7u);
    expectGolden(result.jsonLines(), "SFCU_DECISIONS_20261201_001.expected.jsonl");
    const auto without = decodeWith(shippedConfig("sfcu-hardship-decision.json", false), input);
    EXPECT_EQ(without.jsonLines(), result.jsonLines());
}

// The gateway shares one instance between its intake threads: decode calls run
// side by side on one compiled configuration and one compiled XSD.
TEST(SaguaroFcu, OneInstanceDecodesOnManyThreadsAtOnce) {
    auto instance = plugin().create(shippedConfig("sfcu-hardship-application.json"));
    const std::string input = readFile(kApplications);
    const std::string bad = readFile(goldenPath("SFCU_HARDSHIP_bad_records.xml"));
    const std::string expected = readFile(goldenPath("SFCU_HARDSHIP_20261124_001.expected.jsonl"));
    const std::string expectedErrors = readFile(goldenPath("SFCU_HARDSHIP_bad_records.xsd.expected-errors.txt"));
    std::vector<std::string> outputs(8);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < outputs.size(); ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 20; ++round) {
                const auto result = t % 2 == 0 ? instance.decode(input, nullptr, 1 + t * 97) : instance.decode(bad);
                outputs[t] = t % 2 == 0 ? result.jsonLines() : errorReport(result);
            }
        });
    for (auto &thread : threads) thread.join();
    for (std::size_t t = 0; t < outputs.size(); ++t) EXPECT_EQ(outputs[t], t % 2 == 0 ? expected : expectedErrors);
}

struct Outbound {
    const char *config;
    const char *type;
    const char *input;
    const char *expected;
};
const Outbound kOutbound[] = {
    {"sfcu-repossession-outcome.json", "repossession_outcome", "SFCU_OUTCOMES_20261205.input.jsonl",
     "SFCU_OUTCOMES_20261205.expected.xml"},
    {"sfcu-referral-update.json", "referral_update", "SFCU_REFERRAL_UPDATES_20261212.input.jsonl",
     "SFCU_REFERRAL_UPDATES_20261212.expected.xml"},
    {"sfcu-servicer-decision.json", "hardship_decision", "SFCU_SERVICER_DECISIONS_20261126.input.jsonl",
     "SFCU_SERVICER_DECISIONS_20261126.expected.xml"},
    {"sfcu-account-update.json", "account_update", "SFCU_ACCOUNT_UPDATES_20261210.input.jsonl",
     "SFCU_ACCOUNT_UPDATES_20261210.expected.xml"},
    {"sfcu-ack.json", "ack", "SFCU_ACK_20261124_001.input.jsonl", "SFCU_ACK_20261124_001.expected.xml"},
    {"sfcu-ack.json", "ack", "SFCU_ACK_20261125_001.input.jsonl", "SFCU_ACK_20261125_001.expected.xml"},
};

TEST(SaguaroFcu, OutboundRecordsEncodeToTheGoldenDocuments) {
    for (const Outbound &o : kOutbound) {
        auto instance = plugin().create(shippedConfig(o.config));
        const auto result = instance.encode(lines(readFile(goldenPath(o.input))), o.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << o.input << ": " << result.failureMessage();
        EXPECT_EQ(errorReport(result), "") << o.input;
        expectGolden(result.output, o.expected);
    }
}

TEST(SaguaroFcu, OutboundDocumentsDecodeBackToTheRecordsTheyWereWrittenFrom) {
    for (const Outbound &o : kOutbound) {
        auto instance = plugin().create(shippedConfig(o.config));
        const auto result = instance.decode(readFile(goldenPath(o.expected)), o.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << o.expected << ": " << result.failureMessage();
        EXPECT_EQ(errorReport(result), "") << o.expected;
        EXPECT_EQ(result.jsonLines(), readFile(goldenPath(o.input))) << o.expected;
    }
}

}  // namespace
