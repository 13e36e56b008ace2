// RFC 4180 reader for delimited partner files, hardened for hostile input.
//
// The reader pulls bytes through a callback and hands out one row at a time,
// so memory stays bounded whatever the file size: a row larger than the cap
// is reported and skipped, not buffered. A damaged row (NUL byte, invalid
// UTF-8, stray quote, unterminated quote, too large) is still returned, with
// the first problem found, so the caller can report it against the row's line
// and carry on with the next one.
#ifndef LENDGATE_PLUGINS_DELIMITED_CSV_READER_H
#define LENDGATE_PLUGINS_DELIMITED_CSV_READER_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::delimited {

struct CsvOptions {
    char delimiter = ',';
    /// '\0' turns quoting off: quote bytes are then ordinary data.
    char quote = '"';
    /// Raw bytes of one row, line end included; past it the row is skipped.
    std::size_t maxRecordBytes = 1024 * 1024;
    /// Bounds the memory a row of empty fields (",,,,") can take.
    std::size_t maxFields = 4096;
    /// A quote inside an unquoted field (`37.8"N`) is data instead of a
    /// MisplacedQuote problem. RFC 4180 forbids it; many exports write it anyway.
    bool bareQuoteIsData = false;
};

enum class CsvProblem {
    None,
    RecordTooLarge,
    TooManyFields,
    NulByte,
    InvalidUtf8,
    /// A quote inside an unquoted field, or data right after a closing quote.
    MisplacedQuote,
    /// The input ended inside a quoted field.
    UnterminatedQuote,
};

/// Stable short code for a problem, used as the record error code.
std::string_view problemCode(CsvProblem problem) noexcept;
/// One sentence for operators; never contains data from the row.
std::string_view problemText(CsvProblem problem) noexcept;

struct CsvRow {
    std::vector<std::string> fields;
    /// Physical line (1-based) where the row starts; quoted line breaks make a row span several lines.
    std::uint64_t line = 0;
    /// Offset of the row's first byte in the input (a UTF-8 BOM counts).
    std::uint64_t byteOffset = 0;
    /// First problem found in the row; fields may then be incomplete (a row
    /// past max_record_bytes keeps only the fields completed before the cap).
    CsvProblem problem = CsvProblem::None;
    /// Physical line where that problem was found.
    std::uint64_t problemLine = 0;
};

class CsvReader {
public:
    /// Fills the buffer with up to `capacity` bytes; returns 0 at the end of input.
    using ReadFunction = std::function<std::size_t(char *buffer, std::size_t capacity)>;

    CsvReader(ReadFunction read, CsvOptions options, std::size_t bufferSize = 64 * 1024);

    /// Reads the next row into `row`; false at the end of input. Empty lines
    /// are skipped: they carry no fields, and trailing ones are common.
    bool next(CsvRow &row);

    /// Bytes consumed so far.
    std::uint64_t offset() const noexcept { return offset_; }

private:
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };

    bool readRow(CsvRow &row);
    bool ensure(std::size_t count);
    int peekByte();
    int getByte();
    void skipBom();
    void flag(CsvRow &row, CsvProblem problem) const;
    void append(char c);
    /// Points field_ at the string the next field is read into.
    void beginField(CsvRow &row);
    void endField(CsvRow &row);
    void checkUtf8(CsvRow &row, unsigned char c);
    /// Buffered bytes from the current position within the row's cap: how far a
    /// run of plain ASCII data (no delimiter, quote, line end, NUL or UTF-8 lead) may go.
    std::size_t plainLimit() const noexcept;
    /// Consumes the LF of a CRLF pair; counts the line break.
    void finishLineBreak(int c);

    ReadFunction read_;
    CsvOptions options_;
    // Bytes that end a plain run: structure, NUL and UTF-8 (checked byte by byte). Without the quote for
    // a file without quoting.
    std::array<bool, 256> plainStop_{};
    std::array<bool, 256> plainStopUnquoted_{};
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    bool started_ = false;
    std::uint64_t offset_ = 0;
    std::uint64_t line_ = 1;

    // Per-row state.
    std::string *field_ = &overflow_;  // row.fields[count_], or overflow_ past max_fields
    std::string overflow_;
    std::size_t count_ = 0;  // fields of the row so far
    std::size_t rowBytes_ = 0;
    bool storing_ = true;
    int utf8Pending_ = 0;
    unsigned char utf8Low_ = 0x80;
    unsigned char utf8High_ = 0xBF;
};

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_CSV_READER_H
