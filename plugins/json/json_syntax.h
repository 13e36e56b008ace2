// Incremental JSON syntax checker for one record (a JSON object), fed a byte
// at a time.
//
// It builds nothing: it checks RFC 8259 grammar (strict numbers, escapes,
// well-formed UTF-8, paired surrogates), bounds nesting, tells the caller
// what role each byte played (so a record can be re-indented without a DOM)
// and captures one top-level string member, such as /message_type. The
// plugin frames records in a stream with it: the byte that closes the object
// ends the record, so a 1 GB input needs no more memory than its largest record.
#ifndef LENDGATE_PLUGINS_JSON_JSON_SYNTAX_H
#define LENDGATE_PLUGINS_JSON_JSON_SYNTAX_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::json_plugin {

enum class ByteRole : std::uint8_t {
    Whitespace,  // between tokens, free to drop or change
    Structural,  // { } [ ] , : outside strings
    Content,     // part of a string, number or literal
};

enum class SyntaxError : std::uint8_t {
    None,
    NotAnObject,
    UnexpectedByte,
    ControlCharacter,
    BadEscape,
    BadSurrogate,
    InvalidUtf8,
    BadNumber,
    BadLiteral,
    TooDeep,
    /// The text ended before the object closed, or went on after it.
    Incomplete,
};

/// One sentence for operators; never quotes the input.
std::string_view syntaxErrorText(SyntaxError error) noexcept;

class JsonSyntax {
public:
    enum class Status { More, Done, Error };

    /// What was seen of the watched top-level member.
    struct Member {
        int count = 0;          // how many times the key appeared at the top level
        bool isString = false;  // the last value was a string
        bool plain = true;      // that string had no escapes and fit the capture cap
        std::string value;      // its raw content when plain
    };

    explicit JsonSyntax(std::size_t maxDepth = 64, std::string watchedKey = "message_type");

    /// Starts over for a new record.
    void reset();

    /// Feeds one byte. Done comes with the byte that closes the object; after
    /// Error or Done, reset() before feeding again.
    Status feed(unsigned char c);

    /// How many of the bytes at `p` are plain string content (printable ASCII other than '"' and '\\') that
    /// feed() would take without changing state; 0 when not inside a string, or while capturing. The caller
    /// skips them instead of feeding them one by one.
    std::size_t plainRun(const char *p, std::size_t n) noexcept {
        if (state_ != State::String || wantLowSurrogate_ || capture_ != Capture::None) return 0;
        std::size_t i = 0;
        while (i < n) {
            const auto c = static_cast<unsigned char>(p[i]);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
            ++i;
        }
        if (i > 0) role_ = ByteRole::Content;
        return i;
    }

    ByteRole lastRole() const noexcept { return role_; }
    SyntaxError error() const noexcept { return error_; }
    /// Open objects and arrays after the last byte fed.
    std::size_t depth() const noexcept { return stack_.size(); }
    const Member &watched() const noexcept { return member_; }

private:
    enum class State : std::uint8_t {
        Start,
        Value,
        FirstKeyOrEnd,
        Key,
        Colon,
        AfterValue,
        FirstValueOrEnd,
        String,
        Escape,
        Hex,
        Utf8,
        NumMinus,
        NumZero,
        NumInt,
        NumDot,
        NumFrac,
        NumE,
        NumExpSign,
        NumExp,
        Literal,
        Done,
        Failed,
    };

    Status fail(SyntaxError error);
    Status open(char bracket);
    Status close(char bracket);
    Status startValue(unsigned char c);
    Status inString(unsigned char c);
    void stringByte(unsigned char c);
    void endString();

    std::size_t maxDepth_;
    std::string watchedKey_;
    std::vector<char> stack_;
    State state_ = State::Start;
    ByteRole role_ = ByteRole::Whitespace;
    SyntaxError error_ = SyntaxError::None;

    // String scanning.
    bool stringIsKey_ = false;
    int hexLeft_ = 0;
    unsigned hexValue_ = 0;
    bool wantLowSurrogate_ = false;
    int utf8Left_ = 0;
    unsigned char utf8Low_ = 0x80;
    unsigned char utf8High_ = 0xBF;
    std::string_view literalRest_;

    // Capture of the watched top-level member.
    enum class Capture : std::uint8_t { None, Key, Value };
    Capture capture_ = Capture::None;
    std::string key_;
    bool keyOverflow_ = false;
    bool keyIsWatched_ = false;
    Member member_;
};

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_JSON_SYNTAX_H
