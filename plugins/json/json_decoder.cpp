#include "json_decoder.h"

namespace lendgate::json_plugin {
namespace {

bool isSpace(int c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr std::size_t kBufferSize = 64 * 1024;

}  // namespace

JsonDecoder::JsonDecoder(DecodeContext &ctx, std::size_t maxRecordBytes, const MappedConfig *mapped)
    : ctx_(ctx),
      in_(ctx.input()),
      maxRecordBytes_(maxRecordBytes),
      buffer_(new char[kBufferSize]),
      mapped_(mapped != nullptr ? std::make_unique<MappedCodec>(*mapped) : nullptr) {}

bool JsonDecoder::fill() {
    if (eof_) return false;
    bufferOffset_ += size_;
    pos_ = 0;
    size_ = in_.read(buffer_.get(), kBufferSize);
    eof_ = size_ == 0;
    return !eof_;
}

void JsonDecoder::skipSpace() {
    while (isSpace(peek())) consume();
}

Location JsonDecoder::here(std::uint64_t record) const {
    return Location{record, line_, bufferOffset_ + pos_, {}};
}

void JsonDecoder::skipByteOrderMark() {
    if (peek() != 0xEF) return;
    for (int expected : {0xEF, 0xBB, 0xBF}) {
        if (peek() != expected)
            throw inputError("encoding", "the input starts with bytes that are neither JSON nor a byte order mark");
        ++pos_;
    }
}

void JsonDecoder::run() {
    skipByteOrderMark();
    skipSpace();
    if (peek() == '[') {
        arrayMode_ = true;
        consume();
        readArray();
    } else {
        readSequence();
    }
}

void JsonDecoder::readSequence() {
    for (;;) {
        skipSpace();
        const int c = peek();
        if (c < 0) return;
        if (c == '{')
            readRecord();
        else
            readStray();
    }
}

void JsonDecoder::readArray() {
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
                ctx_.recordError(here(0), "syntax", "",
                                 "line " + std::to_string(line_) + ": expected , or ] after a record");
                expect = Expect::Element;
                if (c != '{') resync(column_);
            }
            continue;
        }
        if (c == ']') {
            if (expect == Expect::Element)
                ctx_.recordError(here(0), "syntax", "",
                                 "line " + std::to_string(line_) + ": a comma is followed by the end of the array");
            consume();
            break;
        }
        if (c == '{') {
            expect = readRecord() ? Expect::SeparatorOrEnd : Expect::ElementOrEnd;
        } else {
            readStray();
            expect = Expect::ElementOrEnd;
        }
    }
    skipSpace();
    if (peek() >= 0)
        ctx_.recordError(here(0), "syntax", "",
                         "line " + std::to_string(line_) + ": content follows the end of the JSON array; ignored");
}

void JsonDecoder::syntaxError(const Location &where, SyntaxError error) {
    ctx_.recordError(where, "syntax", "",
                     "line " + std::to_string(line_) + ", column " + std::to_string(column_ + 1) + ": " +
                         std::string(syntaxErrorText(error)));
}

void JsonDecoder::readStray() {
    const Location where = here(++records_);
    const std::uint64_t column = column_;
    syntaxError(where, SyntaxError::NotAnObject);
    consume();
    resync(column);
}

bool JsonDecoder::readRecord() {
    const Location where = here(++records_);
    const std::uint64_t startColumn = column_;
    syntax_.reset();
    record_.clear();
    bool oversized = false;
    for (;;) {
        const int c = peek();
        if (c < 0) {
            ctx_.recordError(where, "syntax", "", "the input ends inside the record");
            return false;
        }
        // Most of a record is string content: take a run of it at once (no line breaks in there).
        if (const std::size_t run = syntax_.plainRun(buffer_.get() + pos_, size_ - pos_); run > 0) {
            if (!oversized && record_.size() + run > maxRecordBytes_) {
                oversized = true;
                std::string().swap(record_);
            }
            if (!oversized) record_.append(buffer_.get() + pos_, run);
            pos_ += run;
            column_ += run;
            lineBlank_ = false;
            continue;
        }
        const JsonSyntax::Status status = syntax_.feed(static_cast<unsigned char>(c));
        if (status == JsonSyntax::Status::Error) {
            syntaxError(where, syntax_.error());
            // A record cut short is often followed by a whole one on the next line: that '{' starts it.
            if (!(c == '{' && lineBlank_ && column_ <= startColumn)) consume();
            resync(startColumn);
            return false;
        }
        consume();
        if (!oversized) {
            if (record_.size() == maxRecordBytes_) {
                oversized = true;
                std::string().swap(record_);
            } else {
                record_.push_back(static_cast<char>(c));
            }
        }
        if (status == JsonSyntax::Status::Done) break;
    }
    if (oversized) {
        ctx_.recordError(where, "record_too_large", "",
                         "the record is larger than max_record_bytes (" + std::to_string(maxRecordBytes_) + ")");
        return true;
    }
    if (mapped_)
        mapRecord(where);
    else
        passThrough(where);
    return true;
}

void JsonDecoder::passThrough(const Location &where) {
    const JsonSyntax::Member &type = syntax_.watched();
    if (type.count == 0) {
        ctx_.recordError(where, "message_type", "/message_type", "the record has no message_type");
    } else if (type.count > 1) {
        ctx_.recordError(where, "duplicate_key", "/message_type", "message_type appears more than once");
    } else if (!type.isString || !type.plain || type.value.empty()) {
        ctx_.recordError(where, "message_type", "/message_type", "message_type must be a short plain string");
    } else if (!ctx_.expectedType().empty() && type.value != ctx_.expectedType()) {
        ctx_.recordError(where, "message_type", "/message_type",
                         "the record's message_type differs from the expected " + std::string(ctx_.expectedType()));
    } else {
        ctx_.emit(type.value, record_, where);
    }
}

void JsonDecoder::mapRecord(const Location &where) {
    tree_.parse(record_);
    const TypeMapping *type = mapped_->selectType(tree_);
    if (type == nullptr) {
        ctx_.recordError(where, "message_type", "/message_type", "the record matches no configured message type");
        return;
    }
    if (!ctx_.expectedType().empty() && type->messageType != ctx_.expectedType()) {
        ctx_.recordError(
            where, "message_type", "/message_type",
            "the record maps to " + type->messageType + ", not the expected " + std::string(ctx_.expectedType()));
        return;
    }
    const MappedCodec::ErrorFn onError = [&](std::string_view code, const std::string &field,
                                             const std::string &message) {
        ctx_.recordError(where, code, field, message);
    };
    if (mapped_->write(*type, true, tree_, mappedOut_, onError) == 0) ctx_.emit(type->messageType, mappedOut_, where);
}

void JsonDecoder::resync(std::uint64_t column) {
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

}  // namespace lendgate::json_plugin
