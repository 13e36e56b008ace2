// What the gateway writes back to Cactus Auto Finance: the fixed-width ACK of
// a file (a header with the file's status and counts, one status line per
// record, one line per error), the repossession outcome file, and the
// referral status updates, hardship decisions and account updates that reach
// the lender. The expected
// files in golden/ were written by an independent implementation of the
// layouts (see golden/README.md), byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ack_slices.h"
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

// The gateway hands a large ACK over in slices (LENDGATE_CAP_ACK_SLICES):
// the file is the same, file-level error lines (FE) included once.
TEST(CactusAck, AnAckInSlicesEncodesToTheSameFileAsTheWholeAck) {
    EXPECT_NE(plugin().descriptor().capabilities & LENDGATE_CAP_ACK_SLICES, 0u);
    auto ack = nlohmann::json::parse(lines(readFile(kGolden + "CAF_ACK_partial.input.jsonl")).front());
    ack["payload"]["errors"] = nlohmann::json::array({{{"code", "late"}, {"text", "the file came after the cut-off"}}});
    auto instance = plugin().create(config("cactus-ack.json"));
    const auto whole = instance.encode({ack.dump()}, "ack");
    ASSERT_EQ(whole.status, LENDGATE_OK) << whole.failureMessage();
    ASSERT_NE(whole.output.find("\nFE"), std::string::npos);
    for (std::size_t perSlice : {1u, 4u}) {
        auto sliced = plugin().create(config("cactus-ack.json"));
        const auto result = sliced.encode(lendgate::test::ackInSlices(ack.dump(), perSlice), "ack");
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.output, whole.output) << perSlice << " records a slice";
    }
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

// Every outbound type Cactus can be sent, in its own layout: the expected file,
// and the same records read back from it.
struct Outbound {
    const char *config, *type, *input, *expected;
};
const Outbound kMoreOutbound[] = {
    {"cactus-referral-updates.json", "referral_update", "CAF_REFUPD.input.jsonl", "CAF_REFUPD.expected.txt"},
    {"cactus-hardship-decisions.json", "hardship_decision", "CAF_HRDDEC.input.jsonl", "CAF_HRDDEC.expected.txt"},
    {"cactus-account-updates.json", "account_update", "CAF_ACCTUP.input.jsonl", "CAF_ACCTUP.expected.txt"},
};

TEST(CactusOutbound, UpdatesAndDecisionsEncodeToTheGoldenFiles) {
    for (const Outbound &o : kMoreOutbound) {
        SCOPED_TRACE(o.config);
        const auto result = encode(o.config, o.input, o.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.errorLines(), "");
        expectGolden(result.output, o.expected);
        for (const std::string &line : lines(result.output)) EXPECT_EQ(line.size(), 400u);
    }
}

TEST(CactusOutbound, UpdatesAndDecisionsReadBackToTheSameRecords) {
    for (const Outbound &o : kMoreOutbound) {
        SCOPED_TRACE(o.config);
        auto instance = plugin().create(config(o.config));
        const auto decoded = instance.decode(readFile(kGolden + o.expected), o.type);
        EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
        EXPECT_EQ(decoded.errorLines(), "");
        EXPECT_EQ(decoded.jsonLines(), readFile(kGolden + o.input));
    }
}

TEST(CactusOutbound, AReferralUpdateLineCarriesStatusCodeAndTexts) {
    const auto out = lines(encode("cactus-referral-updates.json", "CAF_REFUPD.input.jsonl", "referral_update").output);
    ASSERT_EQ(out.size(), 8u);  // header, 6 updates, trailer
    EXPECT_EQ(out[0].substr(0, 30), "HULENDGATEREFUPD20261122170000");
    EXPECT_EQ(out[2].substr(0, 20), "RUAVB-STATUS-000418 ");
    EXPECT_EQ(out[2].substr(68, 56),
              "20261120140233"
              "01KAM03E8G5J9K4N7P0Q2R6S3T"
              "              "
              "IP");
    EXPECT_EQ(out[6].substr(122, 2), "CX");
    EXPECT_EQ(out[7], "TU000000006" + std::string(389, ' '));
}

TEST(CactusOutbound, AHardshipDecisionLineCarriesItsMissingDocumentsOneCodeEach) {
    const auto out =
        lines(encode("cactus-hardship-decisions.json", "CAF_HRDDEC.input.jsonl", "hardship_decision").output);
    ASSERT_EQ(out.size(), 8u);
    EXPECT_EQ(out[2].substr(142, 2), "IN");
    EXPECT_EQ(out[2].substr(170, 22), "PSBSHL" + std::string(16, ' '));
    EXPECT_EQ(out[4].substr(142, 28),
              "APDF"
              "20261201"
              "20270228"
              "        ");
    EXPECT_EQ(out[7].substr(0, 11), "TH000000006");
}

TEST(CactusOutbound, ADecisionWithoutAnAccountNumberIsLeftOutWithARecordError) {
    std::vector<std::string> records = lines(readFile(kGolden + "CAF_HRDDEC.input.jsonl"));
    records[2] = replaceOnce(records[2], R"("account":{"account_number":"6120051290"},)", "");
    auto instance = plugin().create(config("cactus-hardship-decisions.json"));
    const auto result = instance.encode(records, "hardship_decision");
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.record, 3u);
    EXPECT_EQ(result.errors[0].code, "required");
    EXPECT_EQ(result.errors[0].field, "/payload/account/account_number");
    EXPECT_EQ(lines(result.output).back().substr(0, 11), "TH000000005");
}

TEST(CactusOutbound, AccountUpdatesCarryTheirDetailAndTheTrailerSumsThePayments) {
    const auto out = lines(encode("cactus-account-updates.json", "CAF_ACCTUP.input.jsonl", "account_update").output);
    ASSERT_EQ(out.size(), 8u);  // header, 6 updates, trailer
    EXPECT_EQ(out[0].substr(0, 30), "HCLENDGATEACCTUP20261122170000");
    EXPECT_EQ(out[2].substr(102, 29),
              "PP"
              "20261215"
              "20261215"
              "00000040830");
    EXPECT_EQ(out[3].substr(161, 40),
              "07"
              "20261205"
              "2:26-bk-11482" +
                  std::string(17, ' '));
    EXPECT_EQ(out[6].substr(270, 12), "-00000000589");  // a credit balance keeps its sign
    // 408.30 + 8240.00: the ARRANGEMENT_MADE line's amount is the plan's, not a payment.
    EXPECT_EQ(out[7],
              "TC000000006"
              "0000000864830" +
                  std::string(376, ' '));
}

}  // namespace
