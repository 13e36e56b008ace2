#include "csv_reader.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lendgate::delimited {

std::string_view problemCode(CsvProblem problem) noexcept {
    switch (problem) {
        case CsvProblem::None: return "";
        case CsvProblem::RecordTooLarge: return "record_too_large";
        case CsvProblem::TooManyFields: return "too_many_fields";
        case CsvProblem::NulByte: return "nul_byte";
        case CsvProblem::InvalidUtf8: return "encoding";
        case CsvProblem::MisplacedQuote: return "quote";
        case CsvProblem::UnterminatedQuote: return "unterminated_quote";
    }
    return "";
}

std::string_view problemText(CsvProblem problem) noexcept {
    switch (problem) {
        case CsvProblem::None: return "";
        case CsvProblem::RecordTooLarge: return "the row is larger than max_record_bytes";
        case CsvProblem::TooManyFields: return "the row has too many fields";
        case CsvProblem::NulByte: return "the row contains a NUL byte";
        case CsvProblem::InvalidUtf8: return "the row is not valid UTF-8";
        case CsvProblem::MisplacedQuote: return "a quote appears inside an unquoted field or after a closing quote";
        case CsvProblem::UnterminatedQuote: return "the input ends inside a quoted field";
    }
    return "";
}

CsvReader::CsvReader(ReadFunction read, CsvOptions options, std::size_t bufferSize)
    : read_(std::move(read)), options_(options), buffer_(bufferSize < 16 ? 16 : bufferSize) {
    if (options_.delimiter == '\r' || options_.delimiter == '\n' || options_.delimiter == options_.quote)
        throw std::invalid_argument("the delimiter must differ from the quote and from line ends");
    if (options_.quote == '\r' || options_.quote == '\n')
        throw std::invalid_argument("the quote must not be a line end");
    for (int c = 0; c < 256; ++c) {
        const bool structural =
            c == static_cast<unsigned char>(options_.delimiter) || c == '\n' || c == '\r' || c == 0 || c >= 0x80;
        plainStopUnquoted_[static_cast<std::size_t>(c)] = structural;
        plainStop_[static_cast<std::size_t>(c)] =
            structural || (options_.quote != '\0' && c == static_cast<unsigned char>(options_.quote));
    }
}

bool CsvReader::ensure(std::size_t count) {
    while (end_ - pos_ < count && !eof_) {
        if (pos_ > 0) {
            std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
            end_ -= pos_;
            pos_ = 0;
        }
        std::size_t got = read_(buffer_.data() + end_, buffer_.size() - end_);
        if (got == 0) eof_ = true;
        end_ += got;
    }
    return end_ - pos_ >= count;
}

int CsvReader::peekByte() {
    if (pos_ == end_ && !ensure(1)) return -1;
    return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::getByte() {
    if (pos_ == end_ && !ensure(1)) return -1;
    ++offset_;
    return static_cast<unsigned char>(buffer_[pos_++]);
}

void CsvReader::skipBom() {
    static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
    if (ensure(3) && std::memcmp(buffer_.data() + pos_, kBom, 3) == 0) {
        pos_ += 3;
        offset_ += 3;
    }
}

void CsvReader::flag(CsvRow &row, CsvProblem problem) const {
    if (row.problem != CsvProblem::None) return;
    row.problem = problem;
    row.problemLine = line_;
}

void CsvReader::append(char c) {
    if (storing_) field_->push_back(c);
}

void CsvReader::beginField(CsvRow &row) {
    // Read straight into the row's own string, which keeps its buffer from row to row: a file of same-shaped
    // rows reads without an allocation, or a copy, per field.
    if (count_ < options_.maxFields) {
        if (count_ == row.fields.size()) row.fields.emplace_back();
        field_ = &row.fields[count_];
    } else {
        field_ = &overflow_;
    }
    field_->clear();
}

void CsvReader::endField(CsvRow &row) {
    if (!storing_) return;
    if (count_ == options_.maxFields) {
        flag(row, CsvProblem::TooManyFields);
        storing_ = false;
        field_->clear();
        return;
    }
    ++count_;
    beginField(row);
}

// Unicode 15, table 3-7: the ranges that make a byte sequence well-formed
// UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
void CsvReader::checkUtf8(CsvRow &row, unsigned char c) {
    if (utf8Pending_ > 0) {
        if (c < utf8Low_ || c > utf8High_) {
            flag(row, CsvProblem::InvalidUtf8);
            utf8Pending_ = 0;
            return;
        }
        --utf8Pending_;
        utf8Low_ = 0x80;
        utf8High_ = 0xBF;
        return;
    }
    if (c < 0x80) return;
    utf8Low_ = 0x80;
    utf8High_ = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        utf8Pending_ = 1;
    } else if (c == 0xE0) {
        utf8Pending_ = 2;
        utf8Low_ = 0xA0;
    } else if (c == 0xED) {
        utf8Pending_ = 2;
        utf8High_ = 0x9F;
    } else if (c >= 0xE1 && c <= 0xEF) {
        utf8Pending_ = 2;
    } else if (c == 0xF0) {
        utf8Pending_ = 3;
        utf8Low_ = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
        utf8Pending_ = 3;
    } else if (c == 0xF4) {
        utf8Pending_ = 3;
        utf8High_ = 0x8F;
    } else {
        flag(row, CsvProblem::InvalidUtf8);
    }
}

namespace {

// The bytes that end a plain run, as plainStop_ has them, compared sixteen at a time: the delimiter, the
// quote, line ends, NUL and every byte from 0x80 (its own high bit). Without quoting, LF stands in for the quote.
// Built once per row: the per-field calls then only load and compare.
class PlainScan {
public:
    PlainScan(const bool *stop, [[maybe_unused]] char delimiter, [[maybe_unused]] int quote) : stop_(stop) {
#if defined(__SSE2__)
        delimiter_ = _mm_set1_epi8(delimiter);
        quote_ = _mm_set1_epi8(quote < 0 ? '\n' : static_cast<char>(quote));
        lf_ = _mm_set1_epi8('\n');
        cr_ = _mm_set1_epi8('\r');
#endif
    }

    std::size_t operator()(const unsigned char *bytes, std::size_t limit) const noexcept {
        std::size_t n = 0;
#if defined(__SSE2__)
        for (; n + 16 <= limit; n += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + n));
            const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delimiter_), _mm_cmpeq_epi8(v, quote_)),
                                             _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf_), _mm_cmpeq_epi8(v, cr_)),
                                                          _mm_cmpeq_epi8(v, _mm_setzero_si128())));
            const int mask = _mm_movemask_epi8(_mm_or_si128(hit, v));
            if (mask != 0) return n + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        }
#endif
        while (n < limit && !stop_[bytes[n]]) ++n;
        return n;
    }

private:
    const bool *stop_;
#if defined(__SSE2__)
    __m128i delimiter_, quote_, lf_, cr_;
#endif
};

}  // namespace

std::size_t CsvReader::plainLimit() const noexcept {
    const std::size_t room = options_.maxRecordBytes - std::min(rowBytes_, options_.maxRecordBytes);
    return std::min(end_ - pos_, room);
}

void CsvReader::finishLineBreak(int c) {
    if (c == '\r' && peekByte() == '\n') getByte();
    ++line_;
}

bool CsvReader::next(CsvRow &row) {
    count_ = 0;
    const bool got = readRow(row);
    row.fields.resize(count_);
    return got;
}

bool CsvReader::readRow(CsvRow &row) {
    row.problem = CsvProblem::None;
    row.problemLine = 0;
    beginField(row);
    rowBytes_ = 0;
    storing_ = true;
    utf8Pending_ = 0;
    if (!started_) {
        skipBom();
        started_ = true;
    }

    const int delimiter = static_cast<unsigned char>(options_.delimiter);
    const int quote = options_.quote == '\0' ? -2 : static_cast<unsigned char>(options_.quote);
    State state = State::FieldStart;
    bool rowStarted = false;

    const PlainScan scan(quote < 0 ? plainStopUnquoted_.data() : plainStop_.data(), options_.delimiter, quote);
    // A delimiter outside the ASCII range takes part in the UTF-8 check, so only the byte-by-byte path sees it.
    const bool asciiDelimiter = delimiter < 0x80;
    for (;;) {
        if (storing_ && utf8Pending_ == 0 &&
            (state == State::Unquoted || state == State::Quoted || (state == State::FieldStart && rowStarted))) {
            // Most bytes are plain ASCII data: take them a run at a time rather than through the state machine.
            const std::size_t run = scan(reinterpret_cast<const unsigned char *>(buffer_.data() + pos_), plainLimit());
            if (run > 0) {
                field_->append(buffer_.data() + pos_, run);
                pos_ += run;
                offset_ += run;
                rowBytes_ += run;
                if (state == State::FieldStart) state = State::Unquoted;
                continue;
            }
            // And most runs end at a delimiter: the same as the state machine does with it, without its checks.
            if (state == State::Unquoted && asciiDelimiter && pos_ < end_ &&
                static_cast<unsigned char>(buffer_[pos_]) == delimiter && rowBytes_ < options_.maxRecordBytes) {
                ++pos_;
                ++offset_;
                ++rowBytes_;
                endField(row);
                state = State::FieldStart;
                continue;
            }
        }
        const int c = getByte();
        if (c < 0) {
            if (!rowStarted) return false;
            if (state == State::Quoted) flag(row, CsvProblem::UnterminatedQuote);
            if (utf8Pending_ > 0) flag(row, CsvProblem::InvalidUtf8);
            endField(row);
            return true;
        }
        const bool lineEnd = c == '\n' || c == '\r';
        if (!rowStarted) {
            if (lineEnd) {
                finishLineBreak(c);
                continue;
            }
            rowStarted = true;
            row.line = line_;
            row.byteOffset = offset_ - 1;
        }
        if (++rowBytes_ > options_.maxRecordBytes && storing_) {
            // Fields already complete stay: the record type in the first column still tells what was skipped.
            flag(row, CsvProblem::RecordTooLarge);
            storing_ = false;
            field_->clear();
        }
        if (c == 0) flag(row, CsvProblem::NulByte);
        checkUtf8(row, static_cast<unsigned char>(c));

        switch (state) {
            case State::FieldStart:
                if (c == quote) {
                    state = State::Quoted;
                } else if (c == delimiter) {
                    endField(row);
                } else if (lineEnd) {
                    endField(row);
                    finishLineBreak(c);
                    return true;
                } else {
                    append(static_cast<char>(c));
                    state = State::Unquoted;
                }
                break;
            case State::Unquoted:
                if (c == delimiter) {
                    endField(row);
                    state = State::FieldStart;
                } else if (lineEnd) {
                    endField(row);
                    finishLineBreak(c);
                    return true;
                } else {
                    if (c == quote && !options_.bareQuoteIsData) flag(row, CsvProblem::MisplacedQuote);
                    append(static_cast<char>(c));
                }
                break;
            case State::Quoted:
                if (c == quote) {
                    state = State::QuoteInQuoted;
                } else {
                    append(static_cast<char>(c));
                    if (lineEnd) {
                        // A line break inside quotes is data, kept as written; it still advances the line count.
                        if (c == '\r' && peekByte() == '\n') {
                            getByte();
                            ++rowBytes_;
                            append('\n');
                        }
                        ++line_;
                    }
                }
                break;
            case State::QuoteInQuoted:
                if (c == quote) {
                    append(static_cast<char>(c));
                    state = State::Quoted;
                } else if (c == delimiter) {
                    endField(row);
                    state = State::FieldStart;
                } else if (lineEnd) {
                    endField(row);
                    finishLineBreak(c);
                    return true;
                } else {
                    flag(row, CsvProblem::MisplacedQuote);
                    append(static_cast<char>(c));
                    state = State::Unquoted;
                }
                break;
        }
    }
}

}  // namespace lendgate::delimited
