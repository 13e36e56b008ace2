// The RFC 4180 writer and the spreadsheet (formula injection) guard.
#include "csv_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lendgate::delimited {
namespace {

std::string row(const CsvWriteOptions &options, const std::vector<std::string> &cells) {
    CsvWriter writer(options);
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) EXPECT_TRUE(writer.appendCell(out, cells[i], i == 0));
    writer.endRow(out);
    return out;
}

TEST(CsvWriter, QuotesCellsWithDelimitersQuotesAndLineBreaksOnly) {
    EXPECT_EQ(row({}, {"a", "b c", "", "x,y", "say \"hi\"", "1\n2", "3\r4", " pad "}),
              "a,b c,,\"x,y\",\"say \"\"hi\"\"\",\"1\n2\",\"3\r4\", pad \r\n");
}

TEST(CsvWriter, QuotesEverythingWhenAsked) {
    CsvWriteOptions options;
    options.alwaysQuote = true;
    options.lineEnd = "\n";
    EXPECT_EQ(row(options, {"a", "", "\""}), "\"a\",\"\",\"\"\"\"\n");
}

TEST(CsvWriter, OtherDelimitersAndNoQuoting) {
    CsvWriteOptions options;
    options.delimiter = '|';
    options.quote = '\0';
    options.lineEnd = "\n";
    EXPECT_EQ(row(options, {"a,b", "\"c\""}), "a,b|\"c\"\n");
    CsvWriter writer(options);
    std::string out = "kept";
    EXPECT_FALSE(writer.appendCell(out, "x|y", false));
    EXPECT_FALSE(writer.appendCell(out, "x\ny", true));
    EXPECT_EQ(out, "kept");
}

TEST(CsvWriter, RecognisesWhatASpreadsheetWouldRun) {
    for (const char *formula : {"=1+1",
                                "+1",
                                "-1+1",
                                "@A1",
                                "\tx",
                                "\rx",
                                "\nx",
                                "  =x",
                                "-",
                                "+",
                                "=",
                                "\xEF\xBC\x9D"
                                "1",
                                "\xEF\xBC\x8B"
                                "1",
                                "\xEF\xBC\x8D"
                                "1",
                                "\xEF\xBC\xA0"
                                "x",
                                "-1e5",
                                "-0x10",
                                "--1",
                                "-1.",
                                "-.5",
                                "- 1"})
        EXPECT_TRUE(startsLikeFormula(formula)) << formula;
    for (const char *plain : {"", "a", "1", "-1", "-12.50", "0.05", "a=b", " ", "'=x", "12-3", "\xEF\xBC\x9C"})
        EXPECT_FALSE(startsLikeFormula(plain)) << plain;
}

TEST(CsvWriter, NeutralisesFormulasWithALeadingApostrophe) {
    CsvWriteOptions options;
    options.spreadsheetSafe = true;
    options.lineEnd = "\n";
    EXPECT_EQ(row(options, {"=HYPERLINK(\"x\")", "-5", "@x", "+1,2"}), "\"'=HYPERLINK(\"\"x\"\")\",-5,'@x,\"'+1,2\"\n");
}

}  // namespace
}  // namespace lendgate::delimited
