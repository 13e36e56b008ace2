#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace lendgate::fixedwidth {
namespace {

constexpr std::size_t kChunk = 256 * 1024;
// Enough of an over-long line to read its record type and report it.
constexpr std::size_t kPrefixBytes = 64;

}  // namespace

LineReader::LineReader(InputStream &input, std::size_t maxLineBytes)
    : input_(input), max_(std::max<std::size_t>(maxLineBytes, 2)), buffer_(max_ + kChunk) {}

bool LineReader::fill() {
    if (eof_) return false;
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        base_ += begin_;
        end_ -= begin_;
        begin_ = 0;
    }
    const std::size_t n = input_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) eof_ = true;
    end_ += n;
    return n != 0;
}

void LineReader::finish(Line &line, std::size_t end) {
    std::size_t length = end - begin_;
    if (length > 0 && buffer_[end - 1] == '\r') --length;
    line.text = std::string_view(buffer_.data() + begin_, length);
    line.length = length;
    line.tooLong = false;
}

bool LineReader::next(Line &line) {
    if (!started_) {
        started_ = true;
        while (end_ - begin_ < 3 && fill()) {
        }
        if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
    }
    line.number = ++lines_;
    for (;;) {
        line.byteOffset = base_ + begin_;
        const std::size_t available = end_ - begin_;
        const char *start = buffer_.data() + begin_;
        const void *found = std::memchr(start + scanned_, '\n', available - scanned_);
        if (found != nullptr) {
            const auto end = static_cast<std::size_t>(static_cast<const char *>(found) - buffer_.data());
            if (end - begin_ + 1 > max_) break;  // complete but over the cap: report it like any other
            finish(line, end);
            begin_ = end + 1;
            scanned_ = 0;
            return true;
        }
        scanned_ = available;
        if (available >= max_) break;
        if (!fill()) {
            if (begin_ == end_) {
                --lines_;
                return false;
            }
            finish(line, end_);  // the last line has no line end
            begin_ = end_;
            scanned_ = 0;
            return true;
        }
    }
    // Over the cap: keep the first bytes, then skip to the line end without keeping anything.
    prefix_.assign(buffer_.data() + begin_, std::min(kPrefixBytes, end_ - begin_));
    std::uint64_t length = 0;
    for (;;) {
        const void *found = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
        if (found != nullptr) {
            const auto end = static_cast<std::size_t>(static_cast<const char *>(found) - buffer_.data());
            length += end - begin_;
            begin_ = end + 1;
            break;
        }
        length += end_ - begin_;
        begin_ = end_;
        if (!fill()) break;
    }
    scanned_ = 0;
    line.text = prefix_;
    line.length = length;
    line.tooLong = true;
    return true;
}

}  // namespace lendgate::fixedwidth
