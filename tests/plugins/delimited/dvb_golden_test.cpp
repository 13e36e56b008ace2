// Desert Valley Bank's nightly delinquency file through the delimited plugin
// with the shipped configuration: the sample decodes to the golden canonical
// records exactly, damaged records are reported by line and skipped, and a
// file whose control totals are wrong or that was cut short is refused whole.
//
// Set LENDGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;

const std::string kRoot = LENDGATE_TEST_SOURCE_DIR;
const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/";
const std::string kSample = kRoot + "/samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

CallResult decode(const std::string &input, std::size_t chunk = 4096) {
    auto instance = plugin().create(readFile(kRoot + "/config/plugins/dvb-delinquency.json"));
    return instance.decode(input, "delinquency_notice", chunk);
}

void expectGolden(const std::string &actual, const std::string &goldenName) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) lendgate::test::writeFile(kGolden + goldenName, actual);
    EXPECT_EQ(actual, readFile(kGolden + goldenName)) << "golden file " << goldenName;
}

std::string replaceOnce(std::string text, const std::string &from, const std::string &to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

TEST(DesertValleyBank, SampleFileDecodesToTheGoldenRecords) {
    const auto result = decode(readFile(kSample));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    ASSERT_EQ(result.records.size(), 8u);
    expectGolden(result.jsonLines(), "DVB_DELQ_20261123_001.expected.jsonl");
    for (const auto &record : result.records) EXPECT_EQ(record.messageType, "delinquency_notice");
}

TEST(DesertValleyBank, EachRecordKnowsWhereItCameFrom) {
    // A quoted line break, as some exports write a two-line address, makes the sixth detail span two lines.
    const std::string input = replaceOnce(readFile(kSample), ",Unit 4,", ",\"Unit\n4\",");
    const auto result = decode(input);
    ASSERT_EQ(result.records.size(), 8u);
    EXPECT_NE(result.records[5].json.find(R"("line2":"Unit\n4")"), std::string::npos);
    // Line 1 names the columns, line 2 is the file header.
    const std::uint64_t lines[] = {3, 4, 5, 6, 7, 8, 10, 11};
    for (std::size_t i = 0; i < 8; ++i) {
        const auto &where = result.records[i].where;
        EXPECT_EQ(where.record, i + 1);
        EXPECT_EQ(where.line, lines[i]);
        const std::string start = "D,DQ-20261122-000" + std::to_string(417 + i);
        EXPECT_EQ(input.compare(where.byteOffset, start.size(), start), 0) << "record " << i + 1;
    }
}

TEST(DesertValleyBank, CrLfLineEndsAByteOrderMarkAndOneByteReadsChangeNothing) {
    const std::string input = readFile(kSample);
    // Line ends outside quotes only: a line break inside a quoted address is data and stays as it is.
    std::string windows = "\xEF\xBB\xBF";
    bool quoted = false;
    for (char c : input) {
        quoted ^= c == '"';
        windows += c == '\n' && !quoted ? std::string("\r\n") : std::string(1, c);
    }
    const std::string expected = decode(input).jsonLines();
    const auto crlf = decode(windows);
    EXPECT_EQ(crlf.status, LENDGATE_OK);
    EXPECT_EQ(crlf.jsonLines(), expected);
    EXPECT_EQ(crlf.records[6].where.line, 9u);
    const auto trickle = decode(windows, 1);
    EXPECT_EQ(trickle.status, LENDGATE_OK);
    EXPECT_EQ(trickle.jsonLines(), expected);
}

TEST(DesertValleyBank, BadRecordsAreReportedByLineAndTheRestStillComeOut) {
    const auto result = decode(readFile(kGolden + "DVB_DELQ_bad_records.csv"));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    expectGolden(result.errorLines(), "DVB_DELQ_bad_records.expected-errors.txt");
    expectGolden(result.jsonLines(), "DVB_DELQ_bad_records.expected.jsonl");
    // Records 1, 2 (its VIN check digit is the model's to refuse, not the plugin's), 6 and 8.
    ASSERT_EQ(result.records.size(), 4u);
    EXPECT_EQ(result.records[1].where.record, 2u);
    EXPECT_NE(result.records[1].json.find("1FTEW1EP0KFA61924"), std::string::npos);

    ASSERT_FALSE(result.errors.empty());
    const auto &badDate = result.errors[0];
    EXPECT_EQ(badDate.where.record, 3u);
    EXPECT_EQ(badDate.where.line, 5u);
    EXPECT_EQ(badDate.code, "date");
    EXPECT_EQ(badDate.field, "/payload/loan/contract_date");
    EXPECT_EQ(badDate.message, "column CONTRACT_DATE: date does not match format %m/%d/%Y or is not a calendar day");
    const auto &ragged = result.errors[1];
    EXPECT_EQ(ragged.where.line, 6u);
    EXPECT_EQ(ragged.message, "the row has 40 fields, the header row has 41");
    // The ragged row's amount cannot be read, so the amount total is not verified; the count still is.
    ASSERT_EQ(result.logs.size(), 1u);
    EXPECT_EQ(result.logs[0],
              "trailer TOTAL_PAST_DUE_CENTS not verified: 1 detail record has no readable AMT_PAST_DUE_CENTS");
}

TEST(DesertValleyBank, ErrorTextsNeverCarryTheBorrowersData) {
    const std::string input = readFile(kGolden + "DVB_DELQ_bad_records.csv");
    const auto result = decode(input);
    // Every data cell of the file, whatever the record: none may appear in what goes to logs and ACKs.
    std::vector<std::string> cells;
    std::string cell;
    for (char c : input.substr(input.find('\n') + 1)) {
        if (c == ',' || c == '\n' || c == '"') {
            if (cell.size() >= 3) cells.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    ASSERT_FALSE(result.errors.empty());
    for (const auto &error : result.errors) {
        for (const std::string &value : cells)
            EXPECT_EQ(error.message.find(value), std::string::npos) << value << " in " << error.message;
    }
}

TEST(DesertValleyBank, WrongControlTotalsRefuseTheWholeFile) {
    const auto result = decode(readFile(kGolden + "DVB_DELQ_wrong_totals.csv"));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(result.failureMessage(),
              "line 11: the trailer's TOTAL_PAST_DUE_CENTS does not match the sum of AMT_PAST_DUE_CENTS over the 8 "
              "detail records");
}

TEST(DesertValleyBank, AWrongRecordCountRefusesTheWholeFile) {
    const auto result = decode(replaceOnce(readFile(kSample), "T,8,", "T,9,"));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(result.failureMessage(),
              "line 11: the trailer's RECORD_COUNT says 9 detail records, the file has 8; it is probably truncated or "
              "damaged");
}

TEST(DesertValleyBank, ATruncatedFileIsRefusedWhole) {
    const auto result = decode(readFile(kGolden + "DVB_DELQ_truncated.csv"));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(result.failureMessage(), "the file has no trailer record; it is probably truncated");
    // The cut-off sixth detail was reported on the way; the host discards everything emitted.
    EXPECT_EQ(result.errorLines(), "line 8: record 6: -: ragged\n");
}

TEST(DesertValleyBank, RecordsAfterTheTrailerRefuseTheWholeFile) {
    const std::string input = readFile(kSample);
    const std::string extra = input.substr(input.find("D,DQ-20261122-000424"));
    const auto result = decode(input + extra.substr(0, extra.find('\n') + 1));
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "control_totals");
    EXPECT_EQ(result.failureMessage(), "line 12: a record follows the trailer record");
}

TEST(DesertValleyBank, FileStructureMistakesRefuseTheWholeFile) {
    const std::string input = readFile(kSample);
    const auto noHeader = decode(replaceOnce(input, "H,DVB,20261123,001,DELQ\n", ""));
    EXPECT_EQ(noHeader.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(noHeader.failureMessage(), "line 2: a record comes before the header record");
    const std::string header = "H,DVB,20261123,001,DELQ\n";
    const auto twoHeaders = decode(replaceOnce(input, header, header + "H,DVB,20261123,002,DELQ\n"));
    EXPECT_EQ(twoHeaders.failureCode(), "file_structure");
    const auto shortHeader = decode(replaceOnce(input, "H,DVB,20261123,001,DELQ", "H,DVB,20261123"));
    EXPECT_EQ(shortHeader.failureCode(), "file_header");
    EXPECT_EQ(shortHeader.failureMessage(), "line 2: the header record has 3 fields, its layout has 5");
    const auto badCount = decode(replaceOnce(input, "T,8,", "T,eight,"));
    EXPECT_EQ(badCount.failureMessage(), "line 11: the trailer's RECORD_COUNT is not a whole number");
    const auto onlyColumns = decode(input.substr(0, input.find('\n') + 1));
    EXPECT_EQ(onlyColumns.failureMessage(), "the file has no header record");
}

TEST(DesertValleyBank, HostileRowsAreRefusedOneByOneAndStillCounted) {
    const std::string input = readFile(kSample);
    std::string hostile = "D,NUL," + std::string(1, '\0') + "\n";
    hostile += "D,BAD-UTF8,\xC3\x28\n";
    hostile += "D,HUGE," + std::string(100000, 'x') + "\n";
    hostile += "Z,unknown record type\n";
    std::string tampered = replaceOnce(input, "T,8,", "T,11,");
    tampered.insert(tampered.find("T,11,"), hostile);
    const auto result = decode(tampered);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.records.size(), 8u);
    EXPECT_EQ(result.errorLines(),
              "line 11: record 9: -: nul_byte\n"
              "line 12: record 10: -: encoding\n"
              "line 13: record 11: -: record_too_large\n"
              "line 14: record 0: -: record_type\n");
    EXPECT_EQ(result.logs.size(), 1u);
}

}  // namespace
