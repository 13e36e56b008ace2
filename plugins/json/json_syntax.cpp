#include "json_syntax.h"

#include <utility>

namespace lendgate::json_plugin {
namespace {

// Capture caps: the watched value is a short identifier; anything longer is not one.
constexpr std::size_t kMaxKey = 64;
constexpr std::size_t kMaxValue = 128;

bool isSpace(unsigned char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }

int hexDigit(unsigned char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string_view syntaxErrorText(SyntaxError error) noexcept {
    switch (error) {
    case SyntaxError::None: return "";
    case SyntaxError::NotAnObject: return "a record must be a JSON object";
    case SyntaxError::UnexpectedByte: return "unexpected character";
    case SyntaxError::ControlCharacter: return "unescaped control character or line break inside a string";
    case SyntaxError::BadEscape: return "invalid escape sequence in a string";
    case SyntaxError::BadSurrogate: return "unpaired UTF-16 surrogate escape in a string";
    case SyntaxError::InvalidUtf8: return "invalid UTF-8";
    case SyntaxError::BadNumber: return "malformed number";
    case SyntaxError::BadLiteral: return "invalid literal (only true, false and null are allowed)";
    case SyntaxError::TooDeep: return "nesting is too deep";
    case SyntaxError::Incomplete: return "the text is not exactly one complete JSON object";
    }
    return "";
}

JsonSyntax::JsonSyntax(std::size_t maxDepth, std::string watchedKey)
    : maxDepth_(maxDepth), watchedKey_(std::move(watchedKey)) {
    reset();
}

void JsonSyntax::reset() {
    stack_.clear();
    state_ = State::Start;
    role_ = ByteRole::Whitespace;
    error_ = SyntaxError::None;
    stringIsKey_ = false;
    hexLeft_ = 0;
    wantLowSurrogate_ = false;
    utf8Left_ = 0;
    capture_ = Capture::None;
    key_.clear();
    keyOverflow_ = false;
    keyIsWatched_ = false;
    member_ = Member{};
}

JsonSyntax::Status JsonSyntax::fail(SyntaxError error) {
    error_ = error;
    state_ = State::Failed;
    return Status::Error;
}

JsonSyntax::Status JsonSyntax::open(char bracket) {
    if (stack_.size() == maxDepth_) return fail(SyntaxError::TooDeep);
    stack_.push_back(bracket);
    role_ = ByteRole::Structural;
    state_ = bracket == '{' ? State::FirstKeyOrEnd : State::FirstValueOrEnd;
    return Status::More;
}

JsonSyntax::Status JsonSyntax::close(char bracket) {
    if ((stack_.back() == '{') != (bracket == '}')) return fail(SyntaxError::UnexpectedByte);
    stack_.pop_back();
    role_ = ByteRole::Structural;
    if (stack_.empty()) {
        state_ = State::Done;
        return Status::Done;
    }
    state_ = State::AfterValue;
    return Status::More;
}

JsonSyntax::Status JsonSyntax::startValue(unsigned char c) {
    if (stack_.size() == 1 && keyIsWatched_) {
        ++member_.count;
        member_.isString = c == '"';
        member_.plain = true;
        member_.value.clear();
        if (member_.isString) capture_ = Capture::Value;
    }
    keyIsWatched_ = false;
    role_ = ByteRole::Content;
    switch (c) {
    case '{':
    case '[': return open(static_cast<char>(c));
    case '"':
        stringIsKey_ = false;
        state_ = State::String;
        return Status::More;
    case '-': state_ = State::NumMinus; return Status::More;
    case '0': state_ = State::NumZero; return Status::More;
    case 't': literalRest_ = "rue"; break;
    case 'f': literalRest_ = "alse"; break;
    case 'n': literalRest_ = "ull"; break;
    default:
        if (c >= '1' && c <= '9') {
            state_ = State::NumInt;
            return Status::More;
        }
        return fail(c == 'N' || c == 'I' ? SyntaxError::BadLiteral : SyntaxError::UnexpectedByte);
    }
    state_ = State::Literal;
    return Status::More;
}

void JsonSyntax::stringByte(unsigned char c) {
    if (capture_ == Capture::Key) {
        if (key_.size() < kMaxKey)
            key_.push_back(static_cast<char>(c));
        else
            keyOverflow_ = true;
    } else if (capture_ == Capture::Value) {
        if (member_.value.size() < kMaxValue)
            member_.value.push_back(static_cast<char>(c));
        else
            member_.plain = false;
    }
}

void JsonSyntax::endString() {
    if (stringIsKey_) {
        state_ = State::Colon;
        if (capture_ == Capture::Key) keyIsWatched_ = !keyOverflow_ && key_ == watchedKey_;
    } else {
        state_ = State::AfterValue;
    }
    capture_ = Capture::None;
}

// Unicode 15, table 3-7 for the UTF-8 ranges; RFC 8259 section 7 for escapes.
JsonSyntax::Status JsonSyntax::inString(unsigned char c) {
    role_ = ByteRole::Content;
    switch (state_) {
    case State::String:
        if (wantLowSurrogate_ && c != '\\') return fail(SyntaxError::BadSurrogate);
        if (c == '"') {
            endString();
            return Status::More;
        }
        if (c == '\\') {
            state_ = State::Escape;
            keyOverflow_ = true;  // an escaped key is never the watched one
            if (capture_ == Capture::Value) member_.plain = false;
            return Status::More;
        }
        if (c < 0x20) return fail(SyntaxError::ControlCharacter);
        if (c >= 0x80) {
            utf8Low_ = 0x80;
            utf8High_ = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                utf8Left_ = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                utf8Left_ = 2;
                if (c == 0xE0) utf8Low_ = 0xA0;
                if (c == 0xED) utf8High_ = 0x9F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                utf8Left_ = 3;
                if (c == 0xF0) utf8Low_ = 0x90;
                if (c == 0xF4) utf8High_ = 0x8F;
            } else {
                return fail(SyntaxError::InvalidUtf8);
            }
            state_ = State::Utf8;
        }
        stringByte(c);
        return Status::More;
    case State::Utf8:
        if (c < utf8Low_ || c > utf8High_) return fail(SyntaxError::InvalidUtf8);
        utf8Low_ = 0x80;
        utf8High_ = 0xBF;
        if (--utf8Left_ == 0) state_ = State::String;
        stringByte(c);
        return Status::More;
    case State::Escape:
        if (wantLowSurrogate_ && c != 'u') return fail(SyntaxError::BadSurrogate);
        switch (c) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't': state_ = State::String; return Status::More;
        case 'u':
            state_ = State::Hex;
            hexLeft_ = 4;
            hexValue_ = 0;
            return Status::More;
        default: return fail(SyntaxError::BadEscape);
        }
    case State::Hex: {
        const int digit = hexDigit(c);
        if (digit < 0) return fail(SyntaxError::BadEscape);
        hexValue_ = hexValue_ * 16 + static_cast<unsigned>(digit);
        if (--hexLeft_ > 0) return Status::More;
        const bool high = hexValue_ >= 0xD800 && hexValue_ <= 0xDBFF;
        const bool low = hexValue_ >= 0xDC00 && hexValue_ <= 0xDFFF;
        if (wantLowSurrogate_ ? !low : low) return fail(SyntaxError::BadSurrogate);
        wantLowSurrogate_ = !wantLowSurrogate_ && high;
        state_ = State::String;
        return Status::More;
    }
    default: return fail(SyntaxError::UnexpectedByte);
    }
}

JsonSyntax::Status JsonSyntax::feed(unsigned char c) {
    for (;;) {
        switch (state_) {
        case State::Start:
            if (isSpace(c)) break;
            if (c == '{') return open('{');
            return fail(SyntaxError::NotAnObject);
        case State::Value:
            if (isSpace(c)) break;
            return startValue(c);
        case State::FirstValueOrEnd:
            if (isSpace(c)) break;
            if (c == ']') return close(']');
            return startValue(c);
        case State::FirstKeyOrEnd:
        case State::Key:
            if (isSpace(c)) break;
            if (c == '}' && state_ == State::FirstKeyOrEnd) return close('}');
            if (c != '"') return fail(SyntaxError::UnexpectedByte);
            stringIsKey_ = true;
            state_ = State::String;
            role_ = ByteRole::Content;
            if (stack_.size() == 1) {
                capture_ = Capture::Key;
                key_.clear();
                keyOverflow_ = false;
            }
            return Status::More;
        case State::Colon:
            if (isSpace(c)) break;
            if (c != ':') return fail(SyntaxError::UnexpectedByte);
            role_ = ByteRole::Structural;
            state_ = State::Value;
            return Status::More;
        case State::AfterValue:
            if (isSpace(c)) break;
            if (c == ',') {
                role_ = ByteRole::Structural;
                state_ = stack_.back() == '{' ? State::Key : State::Value;
                return Status::More;
            }
            if (c == '}' || c == ']') return close(static_cast<char>(c));
            return fail(SyntaxError::UnexpectedByte);
        case State::String:
        case State::Escape:
        case State::Hex:
        case State::Utf8: return inString(c);
        case State::NumMinus:
            if (!isDigit(c)) return fail(SyntaxError::BadNumber);
            state_ = c == '0' ? State::NumZero : State::NumInt;
            role_ = ByteRole::Content;
            return Status::More;
        case State::NumZero:
        case State::NumInt:
        case State::NumFrac:
        case State::NumExp:
            if (isDigit(c)) {
                if (state_ == State::NumZero) return fail(SyntaxError::BadNumber);
                role_ = ByteRole::Content;
                return Status::More;
            }
            if (c == '.' && (state_ == State::NumZero || state_ == State::NumInt)) {
                state_ = State::NumDot;
                role_ = ByteRole::Content;
                return Status::More;
            }
            if ((c == 'e' || c == 'E') && state_ != State::NumExp) {
                state_ = State::NumE;
                role_ = ByteRole::Content;
                return Status::More;
            }
            // The number ended one byte ago; this byte belongs to what follows it.
            state_ = State::AfterValue;
            continue;
        case State::NumDot:
        case State::NumE:
        case State::NumExpSign:
            if (c == '+' || c == '-') {
                if (state_ != State::NumE) return fail(SyntaxError::BadNumber);
                state_ = State::NumExpSign;
            } else if (isDigit(c)) {
                state_ = state_ == State::NumDot ? State::NumFrac : State::NumExp;
            } else {
                return fail(SyntaxError::BadNumber);
            }
            role_ = ByteRole::Content;
            return Status::More;
        case State::Literal:
            if (c != static_cast<unsigned char>(literalRest_.front())) return fail(SyntaxError::BadLiteral);
            literalRest_.remove_prefix(1);
            if (literalRest_.empty()) state_ = State::AfterValue;
            role_ = ByteRole::Content;
            return Status::More;
        case State::Done:
        case State::Failed: return fail(SyntaxError::UnexpectedByte);
        }
        role_ = ByteRole::Whitespace;
        return Status::More;
    }
}

}  // namespace lendgate::json_plugin
