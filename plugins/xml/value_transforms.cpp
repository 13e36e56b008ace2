#include "value_transforms.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace lendgate::xml {
namespace {

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

bool allDigits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (!isDigit(c)) return false;
    return true;
}

bool isXmlSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char upper(char c) noexcept {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equalsUpper(std::string_view text, std::string_view upperWord) noexcept {
    if (text.size() != upperWord.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (upper(text[i]) != upperWord[i]) return false;
    return true;
}

// Reads exactly `width` digits at `pos`; -1 when they are not all digits.
int fixedNumber(std::string_view text, std::size_t pos, std::size_t width) noexcept {
    if (pos + width > text.size()) return -1;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (!isDigit(text[i])) return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// "YYYY-MM-DD" at the start of `text`, checked against the calendar.
bool readIsoDate(std::string_view text) noexcept {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
    return isCalendarDay(fixedNumber(text, 0, 4), fixedNumber(text, 5, 2), fixedNumber(text, 8, 2));
}

void appendTwoDigits(std::string &out, int value) {
    out.push_back(static_cast<char>('0' + value / 10));
    out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

std::string_view trimXmlSpace(std::string_view text) noexcept {
    while (!text.empty() && isXmlSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isXmlSpace(text.back())) text.remove_suffix(1);
    return text;
}

bool isBlank(std::string_view text) noexcept {
    return trimXmlSpace(text).empty();
}

void upperAscii(std::string &text) noexcept {
    for (char &c : text) c = upper(c);
}

void lowerAscii(std::string &text) noexcept {
    for (char &c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

DatePattern DatePattern::parse(std::string_view format) {
    DatePattern result;
    result.text_ = std::string(format);
    const bool strftimeStyle = format.find('%') != std::string_view::npos;
    for (std::size_t i = 0; i < format.size();) {
        if (strftimeStyle && format[i] == '%') {
            if (i + 1 == format.size()) throw std::invalid_argument("a date format ends with a lone %");
            switch (format[i + 1]) {
                case 'Y': result.elements_.push_back({Kind::Year}); break;
                case 'm': result.elements_.push_back({Kind::Month}); break;
                case 'd': result.elements_.push_back({Kind::Day}); break;
                case '%': result.elements_.push_back({Kind::Literal, '%'}); break;
                default: throw std::invalid_argument("a date format may use only %Y, %m, %d and %%");
            }
            i += 2;
        } else if (!strftimeStyle && format.substr(i, 4) == "YYYY") {
            result.elements_.push_back({Kind::Year});
            i += 4;
        } else if (!strftimeStyle && (format.substr(i, 2) == "MM" || format.substr(i, 2) == "DD")) {
            result.elements_.push_back({format[i] == 'M' ? Kind::Month : Kind::Day});
            i += 2;
        } else {
            const char c = format[i];
            // A stray letter is almost always a typo ("YYYYMMD"); refuse it rather than expect it literally.
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c))
                throw std::invalid_argument("a date format may contain only year, month, day and separators");
            result.elements_.push_back({Kind::Literal, c});
            ++i;
        }
    }
    int years = 0, months = 0, days = 0;
    for (const Element &e : result.elements_) {
        years += e.kind == Kind::Year;
        months += e.kind == Kind::Month;
        days += e.kind == Kind::Day;
    }
    if (years != 1 || months != 1 || days != 1)
        throw std::invalid_argument("a date format needs exactly one year, one month and one day");
    for (std::size_t i = 0; i < result.elements_.size(); ++i) {
        Element &e = result.elements_[i];
        if (e.kind != Kind::Month && e.kind != Kind::Day) continue;
        const bool before = i == 0 || result.elements_[i - 1].kind == Kind::Literal;
        const bool after = i + 1 == result.elements_.size() || result.elements_[i + 1].kind == Kind::Literal;
        e.flexibleWidth = before && after;
    }
    return result;
}

std::optional<std::string> DatePattern::toIso(std::string_view text) const {
    int year = 0, month = 0, day = 0;
    std::size_t pos = 0;
    for (const Element &e : elements_) {
        if (e.kind == Kind::Literal) {
            if (pos >= text.size() || text[pos] != e.literal) return std::nullopt;
            ++pos;
            continue;
        }
        const std::size_t maxWidth = e.kind == Kind::Year ? 4 : 2;
        const std::size_t minWidth = e.flexibleWidth ? 1 : maxWidth;
        std::size_t width = 0;
        int value = 0;
        while (width < maxWidth && pos + width < text.size() && isDigit(text[pos + width])) {
            value = value * 10 + (text[pos + width] - '0');
            ++width;
        }
        if (width < minWidth) return std::nullopt;
        pos += width;
        (e.kind == Kind::Year ? year : e.kind == Kind::Month ? month : day) = value;
    }
    if (pos != text.size() || !isCalendarDay(year, month, day)) return std::nullopt;
    std::string iso;
    iso.reserve(10);
    appendTwoDigits(iso, year / 100);
    appendTwoDigits(iso, year % 100);
    iso.push_back('-');
    appendTwoDigits(iso, month);
    iso.push_back('-');
    appendTwoDigits(iso, day);
    return iso;
}

std::optional<std::string> DatePattern::fromIso(std::string_view iso) const {
    if (iso.size() != 10 || !readIsoDate(iso)) return std::nullopt;
    std::string out;
    for (const Element &e : elements_) {
        switch (e.kind) {
            case Kind::Year: out.append(iso.substr(0, 4)); break;
            case Kind::Month: out.append(iso.substr(5, 2)); break;
            case Kind::Day: out.append(iso.substr(8, 2)); break;
            case Kind::Literal: out.push_back(e.literal); break;
        }
    }
    return out;
}

bool isCalendarDay(int year, int month, int day) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool isUtcOffset(std::string_view text) noexcept {
    if (text == "Z") return true;
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return false;
    const int hours = fixedNumber(text, 1, 2), minutes = fixedNumber(text, 4, 2);
    return hours >= 0 && hours <= 14 && minutes >= 0 && minutes <= 59;
}

std::optional<std::string> isoDate(std::string_view text) {
    if (!readIsoDate(text)) return std::nullopt;
    const std::string_view zone = text.substr(10);
    if (!zone.empty() && !isUtcOffset(zone)) return std::nullopt;
    return std::string(text.substr(0, 10));
}

std::optional<std::string> rfc3339DateTime(std::string_view text, std::string_view defaultOffset) {
    // YYYY-MM-DDThh:mm:ss[.f...][Z|+hh:mm]
    if (!readIsoDate(text) || text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    const int hour = fixedNumber(text, 11, 2), minute = fixedNumber(text, 14, 2), second = fixedNumber(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < text.size() && isDigit(text[pos])) ++pos;
        if (pos == start || pos - start > 9) return std::nullopt;
    }
    const std::string_view zone = text.substr(pos);
    if (!zone.empty()) {
        if (!isUtcOffset(zone)) return std::nullopt;
        return std::string(text);
    }
    if (defaultOffset.empty()) return std::nullopt;
    return std::string(text) + std::string(defaultOffset);
}

std::optional<std::string> canonicalDecimal(std::string_view text) {
    if (text.size() > 32) return std::nullopt;
    std::string_view digits = text;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    const std::size_t point = digits.find('.');
    const bool ok = point == std::string_view::npos
                        ? allDigits(digits)
                        : allDigits(digits.substr(0, point)) && allDigits(digits.substr(point + 1));
    if (!ok) return std::nullopt;
    return negative ? "-" + std::string(digits) : std::string(digits);
}

std::optional<std::string> canonicalInteger(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    if (!allDigits(text) || text.size() > 18) return std::nullopt;
    while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
    if (text == "0") return std::string("0");
    return negative ? "-" + std::string(text) : std::string(text);
}

std::optional<bool> parseBoolean(std::string_view text) noexcept {
    for (std::string_view yes : {"TRUE", "1", "Y", "YES", "T"})
        if (equalsUpper(text, yes)) return true;
    for (std::string_view no : {"FALSE", "0", "N", "NO", "F"})
        if (equalsUpper(text, no)) return false;
    return std::nullopt;
}

bool isXmlText(std::string_view text) noexcept {
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
            ++p;
            continue;
        }
        std::uint32_t cp = 0;
        std::size_t extra = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            cp = c & 0x1F;
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            cp = c & 0x0F;
            extra = 2;
        } else if (c >= 0xF0 && c <= 0xF4) {
            cp = c & 0x07;
            extra = 3;
        } else {
            return false;
        }
        if (static_cast<std::size_t>(end - p) <= extra) return false;
        for (std::size_t i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF are not XML characters.
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            return false;
        p += extra + 1;
    }
    return true;
}

void appendJsonString(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain = 0;  // start of the run of bytes that need no escaping
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
                out += kHex[static_cast<unsigned char>(c) & 0xF];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

}  // namespace lendgate::xml
