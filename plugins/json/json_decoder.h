// Splits a stream of canonical JSON records and hands each one on as written.
//
// Input forms, told apart by the first byte that is not white space:
//   '['      one JSON array of records;
//   else     records one after another, separated by white space: JSON lines,
//            or pretty-printed objects spanning many lines.
// Only the record being read is held in memory, up to max_record_bytes.
//
// After a syntax error the decoder resynchronises on the next line whose first
// non-blank character is '{' at or left of the column where the broken record
// began: the next JSON line, or the next element of a pretty-printed array,
// without mistaking a nested object for a record.
#ifndef LENDGATE_PLUGINS_JSON_JSON_DECODER_H
#define LENDGATE_PLUGINS_JSON_JSON_DECODER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "json_syntax.h"
#include "json_tree.h"
#include "mapped_codec.h"

namespace lendgate::json_plugin {

class JsonDecoder {
public:
    /// Without `mapped`, records pass through as written (canonical mode).
    JsonDecoder(DecodeContext &ctx, std::size_t maxRecordBytes, const MappedConfig *mapped = nullptr);
    void run();

private:
    // The decoder reads the input in blocks of its own, so it can take a run of
    // plain string bytes at once instead of one byte per call.
    int peek() {
        if (pos_ == size_ && !fill()) return -1;
        return static_cast<unsigned char>(buffer_[pos_]);
    }
    bool fill();
    void consume() {
        if (pos_ == size_ && !fill()) return;
        const char c = buffer_[pos_++];
        if (c == '\n') {
            ++line_;
            column_ = 0;
            lineBlank_ = true;
            return;
        }
        ++column_;
        if (c != ' ' && c != '\t' && c != '\r') lineBlank_ = false;
    }
    void skipSpace();
    void skipByteOrderMark();
    void readSequence();
    void readArray();
    /// Reads one record starting at '{'; false when its syntax was broken, so the
    /// decoder has resynchronised (every problem is already reported).
    bool readRecord();
    /// Reports something that is not a record where one should start, and skips it.
    void readStray();
    void resync(std::uint64_t column);
    void passThrough(const Location &where);
    void mapRecord(const Location &where);
    Location here(std::uint64_t record) const;
    void syntaxError(const Location &where, SyntaxError error);

    DecodeContext &ctx_;
    InputStream &in_;
    std::size_t maxRecordBytes_;
    JsonSyntax syntax_;
    std::string record_;
    std::unique_ptr<char[]> buffer_;
    std::size_t pos_ = 0;
    std::size_t size_ = 0;
    std::uint64_t bufferOffset_ = 0;  // input offset of buffer_[0]
    bool eof_ = false;
    std::unique_ptr<MappedCodec> mapped_;
    JsonTree tree_;
    std::string mappedOut_;
    bool arrayMode_ = false;
    std::uint64_t records_ = 0;
    std::uint64_t line_ = 1;
    std::uint64_t column_ = 0;
    /// Nothing but blanks before the next byte on the current line.
    bool lineBlank_ = true;
    /// A resynchronisation ran into the end of the input.
    bool lostSync_ = false;
};

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_JSON_DECODER_H
