// The assignment batch the gateway sends Mesa Asset Recovery: canonical
// assignment orders (NEW, UPDATE, HOLD, RELEASE_HOLD, CANCEL, CLOSE) to one
// fixed-width file with CRLF line ends and a trailer carrying the record count
// and the amount totals. Encoding gives the golden file byte for byte, and
// decoding that file with the same configuration gives back the same records.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixedwidth_test_support.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

const std::string kInput = "MESA_ASSIGN.input.jsonl";

CallResult encodeBatch(const std::vector<std::string> &records) {
    auto instance = plugin().create(config("mesa-assignments.json"));
    return instance.encode(records, "repossession_assignment");
}

TEST(MesaAssetRecovery, TheBatchEncodesToTheGoldenFileAndTheSample) {
    const auto result = encodeBatch(lines(readFile(kGolden + kInput)));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    expectGolden(result.output, "MESA_ASSIGN.expected.txt");
    EXPECT_EQ(readFile(kRoot + "/samples/mesa-asset-recovery/MESA_ASSIGN_20261122_001.txt"), result.output);
}

TEST(MesaAssetRecovery, TheTrailerCarriesTheCountAndTheTotalsOfWhatWasWritten) {
    const auto result = encodeBatch(lines(readFile(kGolden + kInput)));
    const std::string &out = result.output;
    const std::string trailer = out.substr(out.rfind("\r\nT") + 2);
    // 12 assignments; amounts past due and payoffs added up to the cent.
    EXPECT_EQ(trailer.substr(0, 40), "T000000012000000000842632000000016388724");
    EXPECT_EQ(trailer.size(), 1200u + 2u);
    std::size_t lineCount = 0;
    for (std::size_t at = out.find("\r\n"); at != std::string::npos; at = out.find("\r\n", at + 2)) ++lineCount;
    EXPECT_EQ(lineCount, 14u);
    EXPECT_EQ(out.find('\n'), out.find("\r\n") + 1);  // CRLF only
}

TEST(MesaAssetRecovery, DecodingTheBatchGivesBackTheSameRecords) {
    const auto encoded = encodeBatch(lines(readFile(kGolden + kInput)));
    auto instance = plugin().create(config("mesa-assignments.json"));
    const auto decoded = instance.decode(encoded.output, "repossession_assignment");
    EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
    EXPECT_EQ(decoded.errorLines(), "");
    EXPECT_EQ(decoded.jsonLines(), readFile(kGolden + kInput));
}

TEST(MesaAssetRecovery, ARecordThatDoesNotFitIsLeftOutAndTheTotalsFollow) {
    std::vector<std::string> records = lines(readFile(kGolden + kInput));
    // Record 4's instructions grow past the 200-byte field; record 7 names a phone Mesa's layout cannot hold.
    records[3] =
        replaceOnce(records[3], "before any recovery attempt.", "before any recovery attempt." + std::string(120, '.'));
    records[6] = replaceOnce(records[6], "\"action\":\"UPDATE\"",
                             "\"action\":\"UPDATE\",\"lienholder\":{\"name\":\"X\",\"phone\":{\"type\":\"WORK\","
                             "\"number\":\"+442079460000\"}}");
    const auto result = encodeBatch(records);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 0: record 4: /payload/instructions: too_long\n"
              "line 0: record 7: /payload/lienholder/phone/number: phone\n");
    EXPECT_EQ(result.errors[0].message,
              "field INSTRUCTIONS (columns 928-1127): the value needs 208 bytes, the field holds 200");
    const std::string trailer = result.output.substr(result.output.rfind("\r\nT") + 2, 40);
    // Record 4 carried 2840.00 past due and 51977.30 payoff; record 7 1611.44 and 24092.78.
    EXPECT_EQ(trailer, "T000000010000000000397488000000008781716");
}

TEST(MesaAssetRecovery, AnEmptyBatchIsAHeaderAndAZeroTrailer) {
    const auto result = encodeBatch({});
    EXPECT_EQ(result.status, LENDGATE_OK);
    const auto out = lines(result.output);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].substr(0, 37), "HLENDGATEMESAAR  20261122170000ASSIGN");
    EXPECT_EQ(out[1].substr(0, 40), "T000000000000000000000000000000000000000");
}

}  // namespace
