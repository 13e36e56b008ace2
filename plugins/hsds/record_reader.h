// Frames the JSON objects of a stream one at a time, so decoding holds no more
// than the largest record (capped at max_record_bytes) whatever the input size.
//
// Input forms, told apart by the first byte that is not white space (after an
// optional UTF-8 byte order mark):
//   '['   one JSON array of objects;
//   '{'   one object (a webhook body), or objects one after another: JSON lines
//         or pretty-printed objects.
// Anything else is not an update document and the input is refused whole.
//
// The framer only balances brackets outside strings; the record's grammar is
// checked when it is parsed. Damage stays local: a raw line break inside a
// string, or a '{' that starts a line at or left of the column where the
// current record began while it is still open, ends the broken record, and
// reading resumes at the next line that starts a record.
#ifndef LENDGATE_PLUGINS_HSDS_RECORD_READER_H
#define LENDGATE_PLUGINS_HSDS_RECORD_READER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace lendgate::hsds {

class RecordReader {
public:
    /// Gets each whole record's text (valid during the call).
    using RecordFn = std::function<void(const Location &, std::string_view)>;
    /// Gets each problem that costs one record or one stray value; reading goes on.
    using ProblemFn = std::function<void(const Location &, std::string_view code, const std::string &text)>;

    RecordReader(InputStream &in, std::size_t maxRecordBytes, std::size_t maxDepth);

    /// Reads to the end. Throws lendgate::inputError when the input as a whole
    /// is unusable: empty, not JSON objects, or cut off inside a record or array.
    void run(const RecordFn &onRecord, const ProblemFn &onProblem);

private:
    enum class Scan { Complete, CutShort, RawControl };

    int peek() { return in_.peek(); }
    void consume();
    void skipSpace();
    void skipByteOrderMark();
    void readSequence();
    void readArray();
    /// Reads one record starting at '{'; false when it was broken and reading resynchronised.
    bool readRecord();
    Scan scanObject(std::uint64_t startColumn, bool &oversized, bool &tooDeep);
    void skipArrayElement();
    void resync(std::uint64_t column);
    Location here() const;
    std::string lineText() const;

    InputStream &in_;
    std::size_t maxRecordBytes_;
    std::size_t maxDepth_;
    const RecordFn *onRecord_ = nullptr;
    const ProblemFn *onProblem_ = nullptr;
    std::string record_;
    bool arrayMode_ = false;
    std::uint64_t records_ = 0;
    std::uint64_t line_ = 1;
    std::uint64_t column_ = 0;
    /// Nothing but blanks before the next byte on the current line.
    bool lineBlank_ = true;
    /// A resynchronisation ran into the end of the input.
    bool lostSync_ = false;
};

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_RECORD_READER_H
