// RFC 4180 cases and hostile input for the delimited plugin's CSV reader.
#include "csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace lendgate::delimited {
namespace {

using Fields = std::vector<std::string>;

// Reads all of `input`, handed over `chunk` bytes per read to exercise every buffer boundary.
std::vector<CsvRow> readAll(const std::string &input, CsvOptions options = {}, std::size_t chunk = 4096,
                            std::size_t bufferSize = 64 * 1024) {
    std::size_t position = 0;
    CsvReader reader(
        [&](char *buffer, std::size_t capacity) {
            const std::size_t n = std::min({capacity, chunk, input.size() - position});
            std::memcpy(buffer, input.data() + position, n);
            position += n;
            return n;
        },
        options, bufferSize);
    std::vector<CsvRow> rows;
    CsvRow row;
    while (reader.next(row)) rows.push_back(row);
    return rows;
}

std::vector<Fields> fieldsOf(const std::vector<CsvRow> &rows) {
    std::vector<Fields> out;
    for (const CsvRow &row : rows) out.push_back(row.fields);
    return out;
}

TEST(CsvReader, SplitsPlainRowsOnLineFeeds) {
    const auto rows = readAll("a,b,c\n1,2,3\n");
    EXPECT_EQ(fieldsOf(rows), (std::vector<Fields>{{"a", "b", "c"}, {"1", "2", "3"}}));
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].byteOffset, 6u);
    EXPECT_EQ(rows[1].problem, CsvProblem::None);
}

TEST(CsvReader, AcceptsCrLfCrAndLfLineEndsAlike) {
    const auto rows = readAll("a,b\r\nc,d\re,f\ng,h");
    EXPECT_EQ(fieldsOf(rows), (std::vector<Fields>{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
    EXPECT_EQ(rows[3].line, 4u);
    EXPECT_EQ(rows[1].byteOffset, 5u);
    EXPECT_EQ(rows[3].byteOffset, 13u);
}

TEST(CsvReader, KeepsDelimitersAndDoubledQuotesInsideQuotedFields) {
    const auto rows = readAll("\"Delgado, Maria\",\"5'11\"\"\",\"\"\"quoted\"\"\"\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"Delgado, Maria", "5'11\"", "\"quoted\""}));
}

TEST(CsvReader, KeepsLineBreaksInsideQuotesAndCountsPhysicalLines) {
    const auto rows = readAll("id,addr\n1,\"7301 E Indian School Rd\r\nUnit 4\"\n2,\"a\nb\rc\"\n3,x\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].fields[1], "7301 E Indian School Rd\r\nUnit 4");
    EXPECT_EQ(rows[2].fields[1], "a\nb\rc");
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[2].line, 4u);
    EXPECT_EQ(rows[3].line, 7u);
}

TEST(CsvReader, TellsEmptyFieldsApart) {
    const auto rows = readAll(",,\n\"\",x,\nlast\n");
    EXPECT_EQ(fieldsOf(rows), (std::vector<Fields>{{"", "", ""}, {"", "x", ""}, {"last"}}));
}

TEST(CsvReader, SkipsBlankLinesButCountsThem) {
    const auto rows = readAll("\n\na\r\n\r\n\nb\n\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].line, 3u);
    EXPECT_EQ(rows[1].line, 6u);
    EXPECT_TRUE(readAll("\r\n\n\r").empty());
    EXPECT_TRUE(readAll("").empty());
}

TEST(CsvReader, ReadsTheLastRowWithoutALineEnd) {
    EXPECT_EQ(fieldsOf(readAll("a,b\nc,\"d\"")), (std::vector<Fields>{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReader, StripsAUtf8ByteOrderMarkAtTheStartOnly) {
    const auto rows = readAll("\xEF\xBB\xBFid,name\n1,\xEF\xBB\xBFx\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields[0], "id");
    EXPECT_EQ(rows[0].byteOffset, 3u);
    EXPECT_EQ(rows[1].fields[1], "\xEF\xBB\xBFx");
    EXPECT_EQ(fieldsOf(readAll("\xEF\xBB")), (std::vector<Fields>{{"\xEF\xBB"}}));
    EXPECT_EQ(readAll("\xEF\xBB")[0].problem, CsvProblem::InvalidUtf8);
}

TEST(CsvReader, SupportsTabPipeAndSemicolonDelimiters) {
    for (const char delimiter : {'\t', '|', ';'}) {
        const std::string d(1, delimiter);
        CsvOptions options;
        options.delimiter = delimiter;
        const auto rows = readAll("a" + d + "\"b" + d + "c\"" + d + "\n", options);
        ASSERT_EQ(rows.size(), 1u) << d;
        EXPECT_EQ(rows[0].fields, (Fields{"a", "b" + d + "c", ""})) << d;
        EXPECT_EQ(rows[0].problem, CsvProblem::None);
    }
}

TEST(CsvReader, UsesAConfiguredQuoteOrNone) {
    CsvOptions single;
    single.quote = '\'';
    EXPECT_EQ(readAll("'a,b','it''s',\"x\"\n", single)[0].fields, (Fields{"a,b", "it's", "\"x\""}));
    CsvOptions none;
    none.quote = '\0';
    const auto rows = readAll("\"a,b\"\n", none);
    EXPECT_EQ(rows[0].fields, (Fields{"\"a", "b\""}));
    EXPECT_EQ(rows[0].problem, CsvProblem::None);
}

TEST(CsvReader, RefusesADelimiterThatIsAlsoTheQuoteOrALineEnd) {
    CsvOptions same;
    same.delimiter = '"';
    EXPECT_THROW(readAll("", same), std::invalid_argument);
    CsvOptions newline;
    newline.delimiter = '\n';
    EXPECT_THROW(readAll("", newline), std::invalid_argument);
}

TEST(CsvReader, ReportsANulByteAndCarriesOn) {
    const auto rows = readAll(std::string("a,b\n1,x\0y\n2,z\n", 14));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].problem, CsvProblem::NulByte);
    EXPECT_EQ(rows[1].problemLine, 2u);
    EXPECT_EQ(rows[2].problem, CsvProblem::None);
    EXPECT_EQ(rows[2].fields, (Fields{"2", "z"}));
}

TEST(CsvReader, AcceptsWellFormedUtf8) {
    const auto rows = readAll(
        "Pe\xC3\xB1"
        "a,\xE2\x82\xAC,\xF0\x9F\x9A\x97\n");
    EXPECT_EQ(rows[0].problem, CsvProblem::None);
    EXPECT_EQ(rows[0].fields[0],
              "Pe\xC3\xB1"
              "a");
}

TEST(CsvReader, ReportsEachKindOfInvalidUtf8) {
    const char *cases[] = {
        "\xFF",              // never valid
        "\xC0\xAF",          // overlong '/'
        "\xE0\x80\xAF",      // overlong three-byte form
        "\xED\xA0\x80",      // UTF-16 surrogate
        "\xF4\x90\x80\x80",  // past U+10FFFF
        "\xC3",              // cut short at the end of the row
        "\xC3,",             // cut short by a delimiter
        "\x80",              // lone continuation byte
    };
    for (const char *bad : cases) {
        const auto rows = readAll(std::string("a") + bad + "\nok\n");
        ASSERT_EQ(rows.size(), 2u) << bad;
        EXPECT_EQ(rows[0].problem, CsvProblem::InvalidUtf8) << bad;
        EXPECT_EQ(rows[1].problem, CsvProblem::None) << bad;
    }
    EXPECT_EQ(readAll("a,\xC3")[0].problem, CsvProblem::InvalidUtf8);
}

TEST(CsvReader, ReportsStrayQuotes) {
    const auto rows = readAll("ab\"c,d\n\"abc\"d,e\nfine,row\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].problem, CsvProblem::MisplacedQuote);
    EXPECT_EQ(rows[1].problem, CsvProblem::MisplacedQuote);
    EXPECT_EQ(rows[2].problem, CsvProblem::None);
}

TEST(CsvReader, ReportsAQuoteLeftOpenAtTheEnd) {
    const auto rows = readAll("a,b\n1,\"never closed\n2,3\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].problem, CsvProblem::UnterminatedQuote);
    EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReader, SkipsAnEnormousRowAndResynchronisesOutsideQuotes) {
    CsvOptions options;
    options.maxRecordBytes = 64;
    const std::string huge =
        "D,first," + std::string(10000, 'x') + ",\"quoted\nline break " + std::string(500, 'y') + "\",tail\n";
    const auto rows = readAll("H,1\n" + huge + "D,next\n", options);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].problem, CsvProblem::RecordTooLarge);
    EXPECT_EQ(rows[1].line, 2u);
    // Completed fields survive, so the record type of what was skipped is still known.
    EXPECT_EQ(rows[1].fields, (Fields{"D", "first"}));
    EXPECT_EQ(rows[2].fields, (Fields{"D", "next"}));
    EXPECT_EQ(rows[2].line, 4u);
    EXPECT_EQ(rows[2].problem, CsvProblem::None);
}

TEST(CsvReader, KeepsMemoryBoundedOnALineOfNothingButDelimiters) {
    CsvOptions options;
    options.maxFields = 100;
    const auto rows = readAll(std::string(5000, ',') + "\nnext\n", options);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].problem, CsvProblem::TooManyFields);
    EXPECT_LE(rows[0].fields.size(), 100u);
    EXPECT_EQ(rows[1].fields, (Fields{"next"}));
}

TEST(CsvReader, GivesTheSameRowsWhateverTheReadSizes) {
    const std::string input =
        "\xEF\xBB\xBFid,name,note\r\n1,\"Pe\xC3\xB1"
        "a, Ana\",\"two\r\nlines\"\r\n\r\n2,\"\"\"q\"\"\",\r3,x,y";
    const auto whole = readAll(input);
    ASSERT_EQ(whole.size(), 4u);
    for (std::size_t chunk = 1; chunk <= 9; ++chunk) {
        const auto pieces = readAll(input, {}, chunk, 16);
        ASSERT_EQ(pieces.size(), whole.size()) << chunk;
        for (std::size_t i = 0; i < whole.size(); ++i) {
            EXPECT_EQ(pieces[i].fields, whole[i].fields) << chunk;
            EXPECT_EQ(pieces[i].line, whole[i].line) << chunk;
            EXPECT_EQ(pieces[i].byteOffset, whole[i].byteOffset) << chunk;
            EXPECT_EQ(pieces[i].problem, CsvProblem::None) << chunk;
        }
    }
    EXPECT_EQ(whole[2].fields, (Fields{"2", "\"q\"", ""}));
    EXPECT_EQ(whole[3].line, 6u);
}

TEST(CsvReader, NamesProblemsWithoutData) {
    for (CsvProblem p : {CsvProblem::RecordTooLarge, CsvProblem::TooManyFields, CsvProblem::NulByte,
                         CsvProblem::InvalidUtf8, CsvProblem::MisplacedQuote, CsvProblem::UnterminatedQuote}) {
        EXPECT_FALSE(problemCode(p).empty());
        EXPECT_FALSE(problemText(p).empty());
    }
    EXPECT_TRUE(problemCode(CsvProblem::None).empty());
}

// Plain data is scanned many bytes at a time: every byte that ends a run must still be seen wherever it falls.
TEST(CsvReader, FindsEveryStructuralByteAtEveryOffsetOfALongField) {
    for (std::size_t at = 0; at <= 40; ++at) {
        const std::string head(at, 'a'), tail(40 - at, 'b');
        EXPECT_EQ(fieldsOf(readAll(head + "," + tail + "\n")), (std::vector<Fields>{{head, tail}})) << at;
        EXPECT_EQ(fieldsOf(readAll("x," + head + "\r\n" + tail + "z\n")),
                  (std::vector<Fields>{{"x", head}, {tail + "z"}}))
            << at;
        const auto utf8 = readAll(head + "\xC3\xB1" + tail + "\n");
        ASSERT_EQ(utf8.size(), 1u);
        EXPECT_EQ(utf8[0].problem, CsvProblem::None) << at;
        EXPECT_EQ(utf8[0].fields, (Fields{head + "\xC3\xB1" + tail})) << at;
        EXPECT_EQ(readAll(head + std::string(1, '\0') + tail + "\n")[0].problem, CsvProblem::NulByte) << at;
        EXPECT_EQ(readAll(head + "\xFF" + tail + "\n")[0].problem, CsvProblem::InvalidUtf8) << at;
        EXPECT_EQ(readAll("x" + head + "\"" + tail + "\n")[0].problem, CsvProblem::MisplacedQuote) << at;
        EXPECT_EQ(fieldsOf(readAll("\"" + head + "\"\"" + tail + "\",z\n")),
                  (std::vector<Fields>{{head + "\"" + tail, "z"}}))
            << at;
    }
}

}  // namespace
}  // namespace lendgate::delimited
