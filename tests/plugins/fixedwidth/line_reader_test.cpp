// Lines out of any stream of bytes, with their numbers and offsets, in
// bounded memory whatever their length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "line_reader.h"

namespace lendgate::fixedwidth {
namespace {

struct Source {
    std::string_view data;
    std::size_t chunk;
    std::size_t position = 0;
    std::size_t largestRead = 0;

    static int read(void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
        auto *self = static_cast<Source *>(ctx);
        *n = std::min({capacity, self->chunk, self->data.size() - self->position});
        std::memcpy(buffer, self->data.data() + self->position, *n);
        self->position += *n;
        self->largestRead = std::max(self->largestRead, *n);
        return LENDGATE_OK;
    }
};

struct Read {
    std::string text;
    std::uint64_t number, offset, length;
    bool tooLong;
};

std::vector<Read> readAll(std::string_view data, std::size_t cap, std::size_t chunk = 7) {
    Source source{data, chunk};
    const lendgate_reader reader{&source, &Source::read};
    InputStream input(&reader, 16);
    LineReader lines(input, cap);
    std::vector<Read> out;
    Line line;
    while (lines.next(line))
        out.push_back({std::string(line.text), line.number, line.byteOffset, line.length, line.tooLong});
    return out;
}

TEST(LineReader, SplitsOnLineFeedsAndDropsTheCarriageReturnBeforeThem) {
    const auto lines = readAll("HD01\r\nDN02\nTR03", 64);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].text, "HD01");
    EXPECT_EQ(lines[1].text, "DN02");
    EXPECT_EQ(lines[1].number, 2u);
    EXPECT_EQ(lines[1].offset, 6u);
    EXPECT_EQ(lines[2].text, "TR03");  // no line end at the end of the input
    EXPECT_EQ(lines[2].offset, 11u);
}

TEST(LineReader, KeepsEmptyLinesAndCarriageReturnsInsideALine) {
    const auto lines = readAll("A\n\n\rB\r\n", 64);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1].length, 0u);
    EXPECT_EQ(lines[2].text, "\rB");
}

TEST(LineReader, DropsAByteOrderMarkButCountsItsBytes) {
    const auto lines = readAll("\xEF\xBB\xBFHD\nDN\n", 64, 1);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "HD");
    EXPECT_EQ(lines[0].offset, 3u);
    EXPECT_EQ(lines[1].offset, 6u);
    EXPECT_TRUE(readAll("", 64).empty());
    EXPECT_EQ(readAll("\xEF\xBB", 64)[0].text, "\xEF\xBB");
}

TEST(LineReader, AnOverlongLineKeepsOnlyItsStartAndTheNextLineIsIntact) {
    const std::string big = "DN" + std::string(5000, 'x');
    const auto lines = readAll(big + "\nTR01\n" + big, 100, 33);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_TRUE(lines[0].tooLong);
    EXPECT_EQ(lines[0].length, 5002u);
    EXPECT_EQ(lines[0].text.substr(0, 2), "DN");
    EXPECT_LE(lines[0].text.size(), 64u);
    EXPECT_FALSE(lines[1].tooLong);
    EXPECT_EQ(lines[1].text, "TR01");
    EXPECT_EQ(lines[1].offset, 5003u);
    EXPECT_TRUE(lines[2].tooLong);
    EXPECT_EQ(lines[2].length, 5002u);
}

TEST(LineReader, TheCapCountsTheLineEnd) {
    const auto fits = readAll(std::string(9, 'a') + "\n", 10);
    EXPECT_FALSE(fits[0].tooLong);
    const auto over = readAll(std::string(10, 'a') + "\n", 10);
    EXPECT_TRUE(over[0].tooLong);
    EXPECT_EQ(over[0].length, 10u);
}

}  // namespace
}  // namespace lendgate::fixedwidth
