#include "record_reader.h"

namespace lendgate::hsds {
namespace {

bool isSpace(int c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

RecordReader::RecordReader(InputStream &in, std::size_t maxRecordBytes, std::size_t maxDepth)
    : in_(in), maxRecordBytes_(maxRecordBytes), maxDepth_(maxDepth) {}

void RecordReader::consume() {
    const int c = in_.get();
    if (c == '\n') {
        ++line_;
        column_ = 0;
        lineBlank_ = true;
        return;
    }
    ++column_;
    if (c != ' ' && c != '\t' && c != '\r') lineBlank_ = false;
}

void RecordReader::skipSpace() {
    while (isSpace(peek())) consume();
}

Location RecordReader::here() const {
    return Location{records_, line_, in_.offset(), {}};
}

std::string RecordReader::lineText() const {
    return "line " + std::to_string(line_);
}

void RecordReader::skipByteOrderMark() {
    if (peek() != 0xEF) return;
    for (int expected : {0xEF, 0xBB, 0xBF}) {
        if (peek() != expected)
            throw inputError("encoding", "the input starts with bytes that are neither JSON nor a byte order mark");
        in_.get();
    }
}

void RecordReader::run(const RecordFn &onRecord, const ProblemFn &onProblem) {
    onRecord_ = &onRecord;
    onProblem_ = &onProblem;
    skipByteOrderMark();
    skipSpace();
    const int first = peek();
    if (first < 0) throw inputError("empty", "the input holds no referral update");
    if (first == '[') {
        arrayMode_ = true;
        consume();
        readArray();
    } else if (first == '{') {
        readSequence();
    } else {
        throw inputError("wrong_root",
                         "the input is neither a JSON object, JSON lines of objects nor an array of them");
    }
}

void RecordReader::readSequence() {
    for (;;) {
        skipSpace();
        const int c = peek();
        if (c < 0) return;
        if (c == '{') {
            readRecord();
            continue;
        }
        ++records_;
        const std::uint64_t column = column_;
        (*onProblem_)(here(), "not_an_object", lineText() + ": a record must be a JSON object");
        consume();
        resync(column);
    }
}

void RecordReader::readArray() {
    enum class Expect { ElementOrEnd, Element, SeparatorOrEnd } expect = Expect::ElementOrEnd;
    for (;;) {
        skipSpace();
        const int c = peek();
        if (c < 0) {
            if (lostSync_) throw inputError("syntax", "a broken record hides where the JSON array ends");
            throw inputError("truncated", "the input ends before the JSON array is closed");
        }
        if (expect == Expect::SeparatorOrEnd) {
            if (c == ',') {
                consume();
                expect = Expect::Element;
            } else if (c == ']') {
                consume();
                break;
            } else {
                // Most often a missing comma: say so, then read on as if it were there.
                (*onProblem_)(Location{0, line_, in_.offset(), {}}, "syntax",
                              lineText() + ": expected , or ] after a record");
                expect = Expect::Element;
                if (c != '{') resync(column_);
            }
            continue;
        }
        if (c == ']') {
            if (expect == Expect::Element)
                (*onProblem_)(Location{0, line_, in_.offset(), {}}, "syntax",
                              lineText() + ": a comma is followed by the end of the array");
            consume();
            break;
        }
        if (c == '{') {
            expect = readRecord() ? Expect::SeparatorOrEnd : Expect::ElementOrEnd;
        } else {
            ++records_;
            (*onProblem_)(here(), "not_an_object", lineText() + ": an element of the array is not a JSON object");
            skipArrayElement();
            expect = Expect::SeparatorOrEnd;
        }
    }
    skipSpace();
    if (peek() >= 0)
        (*onProblem_)(Location{0, line_, in_.offset(), {}}, "syntax",
                      lineText() + ": content follows the end of the JSON array; ignored");
}

bool RecordReader::readRecord() {
    ++records_;
    const Location where = here();
    const std::uint64_t startColumn = column_;
    const std::uint64_t startLine = line_;
    bool oversized = false;
    bool tooDeep = false;
    record_.clear();
    switch (scanObject(startColumn, oversized, tooDeep)) {
        case Scan::CutShort:
            (*onProblem_)(where, "syntax",
                          "line " + std::to_string(startLine) + ": the record ends before its object is closed");
            return false;
        case Scan::RawControl:
            (*onProblem_)(where, "syntax", lineText() + ": a string holds a raw line break or control character");
            resync(startColumn);
            return false;
        case Scan::Complete: break;
    }
    if (oversized) {
        std::string().swap(record_);  // give a huge record's memory back now, not at the next one
        (*onProblem_)(where, "record_too_large",
                      "the record is larger than max_record_bytes (" + std::to_string(maxRecordBytes_) + ")");
    } else if (tooDeep) {
        (*onProblem_)(where, "too_deep",
                      "the record nests objects and arrays deeper than " + std::to_string(maxDepth_) + " levels");
    } else {
        (*onRecord_)(where, record_);
    }
    return true;
}

RecordReader::Scan RecordReader::scanObject(std::uint64_t startColumn, bool &oversized, bool &tooDeep) {
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (;;) {
        const int c = peek();
        if (c < 0) throw inputError("truncated", "the input ends inside record " + std::to_string(records_));
        if (!inString && c == '{' && depth > 0 && lineBlank_ && column_ <= startColumn) return Scan::CutShort;
        if (inString && c < 0x20) return Scan::RawControl;
        consume();
        if (!oversized) {
            if (record_.size() == maxRecordBytes_) {
                oversized = true;
                record_.clear();
            } else {
                record_.push_back(static_cast<char>(c));
            }
        }
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth_) tooDeep = true;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return Scan::Complete;
        }
    }
}

void RecordReader::skipArrayElement() {
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (;;) {
        const int c = peek();
        if (c < 0) throw inputError("truncated", "the input ends before the JSON array is closed");
        if (!inString && depth == 0 && (c == ',' || c == ']')) return;
        consume();
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
}

void RecordReader::resync(std::uint64_t column) {
    for (;;) {
        const int c = peek();
        if (c < 0) {
            lostSync_ = true;
            return;
        }
        if (lineBlank_ && c == '{' && column_ <= column) return;
        if (arrayMode_ && lineBlank_ && c == ']' && column_ < column) return;
        consume();
    }
}

}  // namespace lendgate::hsds
