#include "field_transforms.h"

#include <cstddef>
#include <limits>
#include <stdexcept>

namespace lendgate::delimited {
namespace {

bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

bool allDigits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (!isDigit(c)) return false;
    return true;
}

std::string_view withoutLeadingZeros(std::string_view digits) noexcept {
    while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
    return digits;
}

char upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool equalsUpper(std::string_view text, std::string_view upperWord) noexcept {
    if (text.size() != upperWord.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (upper(text[i]) != upperWord[i]) return false;
    return true;
}

}  // namespace

std::string_view trimBlanks(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

void upperAscii(std::string &text) noexcept {
    for (char &c : text) c = upper(c);
}

DateFormat DateFormat::parse(std::string_view format) {
    DateFormat result;
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
        } else if (!strftimeStyle && format.substr(i, 2) == "MM") {
            result.elements_.push_back({Kind::Month});
            i += 2;
        } else if (!strftimeStyle && format.substr(i, 2) == "DD") {
            result.elements_.push_back({Kind::Day});
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
        const bool separatedBefore = i == 0 || result.elements_[i - 1].kind == Kind::Literal;
        const bool separatedAfter = i + 1 == result.elements_.size() || result.elements_[i + 1].kind == Kind::Literal;
        e.flexibleWidth = separatedBefore && separatedAfter;
    }
    return result;
}

std::optional<std::string> DateFormat::toIso(std::string_view text) const {
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
    std::string iso(10, '0');
    iso[0] = static_cast<char>('0' + year / 1000);
    iso[1] = static_cast<char>('0' + year / 100 % 10);
    iso[2] = static_cast<char>('0' + year / 10 % 10);
    iso[3] = static_cast<char>('0' + year % 10);
    iso[4] = '-';
    iso[5] = static_cast<char>('0' + month / 10);
    iso[6] = static_cast<char>('0' + month % 10);
    iso[7] = '-';
    iso[8] = static_cast<char>('0' + day / 10);
    iso[9] = static_cast<char>('0' + day % 10);
    return iso;
}

bool isCalendarDay(int year, int month, int day) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= last;
}

std::optional<std::string> centsToDecimal(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    if (!allDigits(text) || text.size() > 18) return std::nullopt;
    std::string digits(withoutLeadingZeros(text));
    if (digits.empty()) return std::string("0.00");
    if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
    digits.insert(digits.size() - 2, 1, '.');
    if (negative) digits.insert(0, 1, '-');
    return digits;
}

bool isDecimal(std::string_view text) noexcept {
    if (text.size() > 32) return false;
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    const std::size_t point = text.find('.');
    if (point == std::string_view::npos) return allDigits(text);
    return allDigits(text.substr(0, point)) && allDigits(text.substr(point + 1));
}

std::optional<std::string> normalizeInteger(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    if (!allDigits(text) || text.size() > 18) return std::nullopt;
    std::string digits(withoutLeadingZeros(text));
    if (digits.empty()) return std::string("0");
    if (negative) digits.insert(0, 1, '-');
    return digits;
}

std::optional<bool> parseBoolean(std::string_view text) noexcept {
    for (std::string_view yes : {"Y", "YES", "T", "TRUE", "1"})
        if (equalsUpper(text, yes)) return true;
    for (std::string_view no : {"N", "NO", "F", "FALSE", "0"})
        if (equalsUpper(text, no)) return false;
    return std::nullopt;
}

std::optional<std::string> phoneE164(std::string_view text) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isDigit(c)) {
            if (digits.size() == 11) return std::nullopt;
            digits.push_back(c);
        } else if (c == '+') {
            if (i != 0) return std::nullopt;
        } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.') {
            return std::nullopt;
        }
    }
    if (digits.size() == 11 && digits.front() == '1') digits.erase(0, 1);
    // NANP: neither the area code nor the exchange may start with 0 or 1.
    if (digits.size() != 10 || digits[0] < '2' || digits[3] < '2') return std::nullopt;
    return "+1" + digits;
}

std::optional<std::int64_t> parseScaled(std::string_view text, int decimals) noexcept {
    if (decimals < 0 || decimals > 9) return std::nullopt;
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    std::string_view whole = text, fraction;
    if (const std::size_t point = text.find('.'); point != std::string_view::npos) {
        whole = text.substr(0, point);
        fraction = text.substr(point + 1);
        if (!allDigits(fraction)) return std::nullopt;
    }
    if (!allDigits(whole) || fraction.size() > static_cast<std::size_t>(decimals)) return std::nullopt;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t value = 0;
    auto push = [&](char digit) {
        if (value > (kMax - (digit - '0')) / 10) return false;
        value = value * 10 + (digit - '0');
        return true;
    };
    for (char c : whole)
        if (!push(c)) return std::nullopt;
    for (std::size_t i = 0; i < static_cast<std::size_t>(decimals); ++i)
        if (!push(i < fraction.size() ? fraction[i] : '0')) return std::nullopt;
    return negative ? -value : value;
}

}  // namespace lendgate::delimited
