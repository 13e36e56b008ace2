#include "text_rules.h"

#include <cstdint>

namespace lendgate::hsds {
namespace {

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool isAlpha(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
    if (at + count > text.size()) return false;
    for (std::size_t i = at; i < at + count; ++i)
        if (!isDigit(text[i])) return false;
    return true;
}

int number(std::string_view text, std::size_t at, std::size_t count) noexcept {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

int daysIn(int year, int month) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// Control characters the schemas refuse; `lineBreaks` allows tab, LF and CR.
bool hasControl(std::string_view text, bool lineBreaks) noexcept {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x7F) return true;
        if (u < 0x20 && !(lineBreaks && (u == '\t' || u == '\n' || u == '\r'))) return true;
    }
    return false;
}

}  // namespace

std::size_t codePoints(std::string_view text) noexcept {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

bool isSingleLine(std::string_view text, std::size_t maxPoints) noexcept {
    return !text.empty() && codePoints(text) <= maxPoints && !hasControl(text, false);
}

bool isMultiLine(std::string_view text, std::size_t maxPoints) noexcept {
    return !text.empty() && codePoints(text) <= maxPoints && !hasControl(text, true);
}

bool isDateTime(std::string_view t) noexcept {
    // YYYY-MM-DDTHH:MM:SS
    if (t.size() < 20 || !digits(t, 0, 4) || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' || !digits(t, 8, 2) ||
        t[10] != 'T' || !digits(t, 11, 2) || t[13] != ':' || !digits(t, 14, 2) || t[16] != ':' || !digits(t, 17, 2))
        return false;
    const int year = number(t, 0, 4), month = number(t, 5, 2), day = number(t, 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
    if (number(t, 11, 2) > 23 || number(t, 14, 2) > 59 || number(t, 17, 2) > 59) return false;
    std::size_t at = 19;
    if (t[at] == '.') {
        std::size_t fraction = 0;
        while (at + 1 + fraction < t.size() && isDigit(t[at + 1 + fraction])) ++fraction;
        if (fraction < 1 || fraction > 9) return false;
        at += 1 + fraction;
    }
    const std::string_view offset = t.substr(at);
    if (offset == "Z") return true;
    return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && digits(offset, 1, 2) && offset[3] == ':' &&
           digits(offset, 4, 2) && number(offset, 1, 2) <= 23 && number(offset, 4, 2) <= 59;
}

bool isE164(std::string_view text) noexcept {
    return text.size() >= 8 && text.size() <= 16 && text[0] == '+' && text[1] != '0' &&
           digits(text, 1, text.size() - 1);
}

bool isPostalCode(std::string_view text) noexcept {
    if (text.size() == 5) return digits(text, 0, 5);
    return text.size() == 10 && digits(text, 0, 5) && text[5] == '-' && digits(text, 6, 4);
}

bool isLanguageTag(std::string_view text) noexcept {
    // ^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$, at most 35 characters
    if (text.size() > 35) return false;
    std::size_t at = 0;
    while (at < text.size() && isAlpha(text[at])) ++at;
    if (at < 2 || at > 3) return false;
    while (at < text.size()) {
        if (text[at] != '-') return false;
        std::size_t n = 0;
        while (at + 1 + n < text.size() && (isAlpha(text[at + 1 + n]) || isDigit(text[at + 1 + n]))) ++n;
        if (n < 2 || n > 8) return false;
        at += 1 + n;
    }
    return true;
}

bool hasLongDigitRun(std::string_view text) noexcept {
    int run = 0;
    for (char c : text) {
        if (isDigit(c)) {
            if (++run >= 6) return true;
        } else if (c != ' ' && c != '-') {
            run = 0;
        }
    }
    return false;
}

bool isPlainMemberName(std::string_view key) noexcept {
    if (key.empty() || key.size() > 40 || key[0] < 'a' || key[0] > 'z') return false;
    for (char c : key)
        if (!((c >= 'a' && c <= 'z') || c == '_' || isDigit(c))) return false;
    return !hasLongDigitRun(key);
}

void appendJsonString(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    out += "\\u00";
                    out.push_back(kHex[u >> 4]);
                    out.push_back(kHex[u & 0xF]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

}  // namespace lendgate::hsds
