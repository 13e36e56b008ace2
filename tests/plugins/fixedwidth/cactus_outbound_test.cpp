// What the gateway writes back to Cactus Auto Finance: the fixed-width ACK of
// a file (a header with the file's status and counts, one status line per
// record, one line per error) and the repossession outcome file. The expected
// files in golden/ were written by an independent implementation of the
// layouts (see golden/README.md), byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixedwidth_test_support.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

CallResult encode(const std::string &configName, const std::string &inputName, const char *type) {
    auto instance = plugin().create(config(configName));
    return instance.encode(lines(readFile(kGolden + inputName)), type);
}

TEST(CactusAck, APartialAckListsEveryRecordAndEveryErrorLine) {
    const auto result = encode("cactus-ack.json", "CAF_ACK_partial.input.jsonl", "ack");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    expectGolden(result.output, "CAF_ACK_partial.expected.txt");
    EXPECT_EQ(readFile(kRoot + "/samples/cactus-auto-finance/CAF_ACK_20261122_001.txt"), result.output);
    const auto out = lines(result.output);
    // Header, 15 record lines, 3 error lines, trailer.
    ASSERT_EQ(out.size(), 20u);
    EXPECT_EQ(out[0].substr(154, 37), "P000000015000000013000000002000000001");
    EXPECT_EQ(out[3].substr(0, 12), "RS000000003R");
    EXPECT_EQ(out[4].substr(0, 12), "RE000000003 ");  // no severity given: blank, which the model reads as ERROR
    EXPECT_EQ(out[11].substr(0, 12), "RE000000009 ");
    EXPECT_EQ(out[12].substr(0, 12), "RE000000009W");
    EXPECT_EQ(out[15].substr(98, 1), "Y");  // record 12 was a duplicate
    EXPECT_EQ(out[19], "TA000000020000000015000000003" + std::string(171, ' '));
    for (const std::string &line : out) EXPECT_EQ(line.size(), 200u);
}

TEST(CactusAck, AnErrorTextTooLongForItsFieldIsCutOnPurpose) {
    const auto result = encode("cactus-ack.json", "CAF_ACK_rejected.input.jsonl", "ack");
    EXPECT_EQ(result.errorLines(), "");
    const auto out = lines(result.output);
    ASSERT_EQ(out.size(), 3u);
    // 104 bytes of text in a 96-byte field marked truncate: cut, never an error that would lose the whole ACK.
    EXPECT_EQ(out[1].substr(104),
              "line 17: the trailer's TOTAL_PAST_DUE does not match the sum of AMT_PAST_DUE over the 15 detail ");
}

TEST(CactusAck, ARejectedFileGetsOnlyItsFileLevelErrors) {
    const auto result = encode("cactus-ack.json", "CAF_ACK_rejected.input.jsonl", "ack");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    expectGolden(result.output, "CAF_ACK_rejected.expected.txt");
    const auto out = lines(result.output);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].substr(154, 28), "R000000000000000000000000000");
    EXPECT_EQ(out[1].substr(0, 44), "FE         Econtrol_totals                  ");
}

TEST(CactusOutcomes, OutcomesEncodeToTheGoldenFileAndTheSample) {
    const auto result = encode("cactus-outcomes.json", "CAF_REPOUT.input.jsonl", "repossession_outcome");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    expectGolden(result.output, "CAF_REPOUT.expected.txt");
    EXPECT_EQ(readFile(kRoot + "/samples/cactus-auto-finance/CAF_REPOUT_20261122_001.txt"), result.output);
    EXPECT_EQ(lines(result.output).back(), "TO000000008" + std::string(389, ' '));
}

TEST(CactusOutcomes, DecodingTheOutcomeFileGivesBackTheSameRecords) {
    const auto encoded = encode("cactus-outcomes.json", "CAF_REPOUT.input.jsonl", "repossession_outcome");
    auto instance = plugin().create(config("cactus-outcomes.json"));
    const auto decoded = instance.decode(encoded.output, "repossession_outcome");
    EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
    EXPECT_EQ(decoded.errorLines(), "");
    EXPECT_EQ(decoded.jsonLines(), readFile(kGolden + "CAF_REPOUT.input.jsonl"));
}

TEST(CactusOutcomes, ANoteTooLongForItsFieldIsARecordErrorAndTheRecordIsLeftOut) {
    std::vector<std::string> records = lines(readFile(kGolden + "CAF_REPOUT.input.jsonl"));
    const std::string note = "Keys handed over at the Chandler branch lot.";
    records[3] = replaceOnce(records[3], note, note + std::string(60, '!'));
    auto instance = plugin().create(config("cactus-outcomes.json"));
    const auto result = instance.encode(records, "repossession_outcome");
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.record, 4u);
    EXPECT_EQ(result.errors[0].code, "too_long");
    EXPECT_EQ(result.errors[0].field, "/payload/note");
    EXPECT_EQ(result.errors[0].message, "field NOTE (columns 263-362): the value needs 104 bytes, the field holds 100");
    const auto out = lines(result.output);
    ASSERT_EQ(out.size(), 9u);  // header, 7 outcomes, trailer
    EXPECT_EQ(out.back().substr(0, 11), "TO000000007");
    EXPECT_EQ(result.output.find("MAR-OUT-112200019"), std::string::npos);
}

}  // namespace
