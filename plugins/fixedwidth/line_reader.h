// Hands out the input one line at a time, in bounded memory.
//
// Lines end at LF; a CR right before it is dropped, so CRLF and LF files read
// the same. A line longer than the cap is not buffered: the reader keeps its
// first bytes (enough to tell its record type), skips to its end and reports
// its length, so a 10 GB line costs no more memory than a short one.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_LINE_READER_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_LINE_READER_H

#include <lendgate/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::fixedwidth {

struct Line {
    /// The line without its line end; for a line over the cap, only its first bytes.
    std::string_view text;
    std::uint64_t number = 0;      ///< 1-based physical line number
    std::uint64_t byteOffset = 0;  ///< offset of its first byte in the input (a UTF-8 BOM counts)
    std::uint64_t length = 0;      ///< its full length without the line end
    bool tooLong = false;          ///< longer than the cap: `text` is cut short
};

class LineReader {
public:
    /// `maxLineBytes` caps a line, its line end included.
    LineReader(InputStream &input, std::size_t maxLineBytes);

    /// The next line (valid until the next call), or false at the end of the input.
    bool next(Line &line);

private:
    /// Moves the unread bytes to the front and reads more; false at the end of input.
    bool fill();
    void finish(Line &line, std::size_t end);

    InputStream &input_;
    std::size_t max_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;    // first unread byte
    std::size_t end_ = 0;      // end of the bytes read
    std::size_t scanned_ = 0;  // bytes after begin_ already searched for a line end
    std::uint64_t base_ = 0;   // input offset of buffer_[0]
    std::uint64_t lines_ = 0;
    bool eof_ = false;
    bool started_ = false;
    std::string prefix_;  // first bytes of an over-long line
};

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_LINE_READER_H
