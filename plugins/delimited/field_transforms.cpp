#include "field_transforms.h"

#include <cstddef>
#include <limits>
#include <stdexcept>

namespace lendgate::delimited {
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

std::string_view withoutLeadingZeros(std::string_view digits) noexcept {
    while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
    return digits;
}

// Zero-padded decimal digits, without printf's cost.
void appendNumber(std::string &out, std::int64_t value, int width) {
    char digits[24];
    int n = 0;
    auto rest = static_cast<std::uint64_t>(value < 0 ? 0 : value);
    do {
        digits[n++] = static_cast<char>('0' + rest % 10);
        rest /= 10;
    } while (rest > 0);
    for (int i = n; i < width; ++i) out += '0';
    while (n > 0) out += digits[--n];
}

// Exactly `width` zero-padded digits of a date part already range-checked to fit; no printf on the hot path.
char *writeDigits(char *out, int value, int width) noexcept {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + width;
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

}  // namespace

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
                case 'H': result.elements_.push_back({Kind::Hour}); break;
                case 'M': result.elements_.push_back({Kind::Minute}); break;
                case 'S': result.elements_.push_back({Kind::Second}); break;
                case '%': result.elements_.push_back({Kind::Literal, '%'}); break;
                default: throw std::invalid_argument("a date format may use only %Y, %m, %d, %H, %M, %S and %%");
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
            // In pattern style a stray letter is almost always a typo ("YYYYMMD"); refuse it rather than expect it
            // literally. Digits are refused in both styles: they would be read as part of a number.
            if ((!strftimeStyle && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) || isDigit(c))
                throw std::invalid_argument("a date format may contain only year, month, day and separators");
            result.elements_.push_back({Kind::Literal, c});
            ++i;
        }
    }
    int count[6] = {0, 0, 0, 0, 0, 0};
    for (const Element &e : result.elements_)
        if (e.kind != Kind::Literal) ++count[static_cast<int>(e.kind)];
    if (count[0] != 1 || count[1] != 1 || count[2] != 1)
        throw std::invalid_argument("a date format needs exactly one year, one month and one day");
    if (count[3] > 1 || count[4] > 1 || count[5] > 1 || count[3] != count[4] || (count[5] == 1 && count[3] == 0))
        throw std::invalid_argument("a time of day needs %H and %M once each, and %S at most once");
    result.hasTime_ = count[3] == 1;
    for (std::size_t i = 0; i < result.elements_.size(); ++i) {
        Element &e = result.elements_[i];
        if (e.kind != Kind::Month && e.kind != Kind::Day && e.kind != Kind::Hour) continue;
        const bool separatedBefore = i == 0 || result.elements_[i - 1].kind == Kind::Literal;
        const bool separatedAfter = i + 1 == result.elements_.size() || result.elements_[i + 1].kind == Kind::Literal;
        e.flexibleWidth = separatedBefore && separatedAfter;
    }
    return result;
}

std::optional<std::string> DateFormat::toIso(std::string_view text) const {
    char iso[kMaxIso];
    const std::size_t n = toIso(text, iso);
    if (n == 0) return std::nullopt;
    return std::string(iso, n);
}

std::size_t DateFormat::toIso(std::string_view text, char (&iso)[kMaxIso]) const noexcept {
    int value[6] = {0, 0, 0, 0, 0, 0};  // by Kind
    std::size_t pos = 0;
    for (const Element &e : elements_) {
        if (e.kind == Kind::Literal) {
            if (pos >= text.size() || text[pos] != e.literal) return 0;
            ++pos;
            continue;
        }
        const std::size_t maxWidth = e.kind == Kind::Year ? 4 : 2;
        const std::size_t minWidth = e.flexibleWidth ? 1 : maxWidth;
        std::size_t width = 0;
        int number = 0;
        while (width < maxWidth && pos + width < text.size() && isDigit(text[pos + width])) {
            number = number * 10 + (text[pos + width] - '0');
            ++width;
        }
        if (width < minWidth) return 0;
        pos += width;
        value[static_cast<int>(e.kind)] = number;
    }
    if (pos != text.size() || !isCalendarDay(value[0], value[1], value[2])) return 0;
    if (value[3] > 23 || value[4] > 59 || value[5] > 59) return 0;
    // isCalendarDay bounds the year to 1..9999: four digits always hold it.
    char *out = writeDigits(iso, value[0], 4);
    *out++ = '-';
    out = writeDigits(out, value[1], 2);
    *out++ = '-';
    out = writeDigits(out, value[2], 2);
    if (hasTime_) {
        *out++ = 'T';
        out = writeDigits(out, value[3], 2);
        *out++ = ':';
        out = writeDigits(out, value[4], 2);
        *out++ = ':';
        out = writeDigits(out, value[5], 2);
    }
    return static_cast<std::size_t>(out - iso);
}

std::optional<std::string> DateFormat::fromIso(std::string_view iso) const {
    static const DateFormat kDay = parse("YYYY-MM-DD");
    static const DateFormat kDateTime = parse("%Y-%m-%dT%H:%M:%S");
    const bool valid = iso.size() == 10 ? kDay.toIso(iso).has_value() : kDateTime.toIso(iso).has_value();
    if (!valid) return std::nullopt;
    const std::string_view time = iso.size() == 10 ? std::string_view("00:00:00") : iso.substr(11);
    std::string out;
    for (const Element &e : elements_) {
        switch (e.kind) {
            case Kind::Year: out.append(iso.substr(0, 4)); break;
            case Kind::Month: out.append(iso.substr(5, 2)); break;
            case Kind::Day: out.append(iso.substr(8, 2)); break;
            case Kind::Hour: out.append(time.substr(0, 2)); break;
            case Kind::Minute: out.append(time.substr(3, 2)); break;
            case Kind::Second: out.append(time.substr(6, 2)); break;
            case Kind::Literal: out.push_back(e.literal); break;
        }
    }
    return out;
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

std::optional<std::string> decimalToCents(std::string_view text) {
    if (!isDecimal(text)) return std::nullopt;
    const bool negative = text.front() == '-';
    if (negative) text.remove_prefix(1);
    std::string_view whole = text, fraction;
    if (const std::size_t point = text.find('.'); point != std::string_view::npos) {
        whole = text.substr(0, point);
        fraction = text.substr(point + 1);
    }
    for (std::size_t i = 2; i < fraction.size(); ++i)
        if (fraction[i] != '0') return std::nullopt;
    std::string digits(withoutLeadingZeros(whole));
    digits.push_back(fraction.size() > 0 ? fraction[0] : '0');
    digits.push_back(fraction.size() > 1 ? fraction[1] : '0');
    digits = std::string(withoutLeadingZeros(digits));
    if (digits.empty()) return std::string("0");
    if (digits.size() > 18) return std::nullopt;
    if (negative) digits.insert(0, 1, '-');
    return digits;
}

std::string formatScaled(std::int64_t value, int decimals) {
    // Via the magnitude as unsigned, so INT64_MIN has a magnitude too.
    const bool negative = value < 0;
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    std::string digits = std::to_string(magnitude);
    if (decimals > 0) {
        const auto width = static_cast<std::size_t>(decimals);
        if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
        digits.insert(digits.size() - width, 1, '.');
    }
    if (negative) digits.insert(0, 1, '-');
    return digits;
}

std::optional<std::string> formatPhone(std::string_view e164, std::string_view pattern) {
    if (e164.size() != 12 || e164.substr(0, 2) != "+1" || !allDigits(e164.substr(2))) return std::nullopt;
    std::string out;
    std::size_t next = 2;
    for (char c : pattern) {
        if (c != '#') {
            out.push_back(c);
            continue;
        }
        if (next == e164.size()) return std::nullopt;
        out.push_back(e164[next++]);
    }
    if (next != e164.size()) return std::nullopt;
    return out;
}

namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t daysFromCivil(std::int64_t y, int m, int d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string civilFromDays(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    std::string text;
    appendNumber(text, y, 4);
    text += '-';
    appendNumber(text, m, 2);
    text += '-';
    appendNumber(text, d, 2);
    return text;
}

int twoDigits(std::string_view text, std::size_t at) noexcept {
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// "Z" -> 0, "+05:30" -> 330, "-07:00" -> -420; nothing when malformed.
std::optional<int> offsetMinutes(std::string_view offset) noexcept {
    if (offset == "Z") return 0;
    if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':' ||
        !allDigits(offset.substr(1, 2)) || !allDigits(offset.substr(4, 2)))
        return std::nullopt;
    const int minutes = twoDigits(offset, 1) * 60 + twoDigits(offset, 4);
    return offset[0] == '-' ? -minutes : minutes;
}

}  // namespace

std::optional<std::string> localDateTime(std::string_view text, std::string_view utcOffset) {
    static const DateFormat kDay = DateFormat::parse("YYYY-MM-DD");
    if (text.size() < 10 || !kDay.toIso(text.substr(0, 10))) return std::nullopt;
    if (text.size() == 10) return std::string(text) + "T00:00:00";
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm)
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || !allDigits(text.substr(11, 2)) ||
        !allDigits(text.substr(14, 2)) || !allDigits(text.substr(17, 2)))
        return std::nullopt;
    std::size_t zone = 19;
    if (text[zone] == '.') {
        ++zone;
        while (zone < text.size() && isDigit(text[zone])) ++zone;
        if (zone == 20) return std::nullopt;
    }
    const auto source = offsetMinutes(text.substr(zone));
    const auto target = utcOffset.empty() ? source : offsetMinutes(utcOffset);
    const int hour = twoDigits(text, 11), minute = twoDigits(text, 14), second = twoDigits(text, 17);
    if (!source || !target || hour > 23 || minute > 59 || second > 59) return std::nullopt;
    const std::int64_t days =
        daysFromCivil(twoDigits(text, 0) * 100 + twoDigits(text, 2), twoDigits(text, 5), twoDigits(text, 8));
    const std::int64_t minutes = days * 1440 + hour * 60 + minute - *source + *target;
    const std::int64_t day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
    const std::int64_t inDay = minutes - day * 1440;
    std::string out = civilFromDays(day) + 'T';
    appendNumber(out, inDay / 60, 2);
    out += ':';
    appendNumber(out, inDay % 60, 2);
    out += ':';
    appendNumber(out, second, 2);
    return out;
}

std::string utcDateTime(std::int64_t unixMs) {
    const std::int64_t seconds = unixMs >= 0 ? unixMs / 1000 : (unixMs - 999) / 1000;
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t rest = seconds - days * 86400;
    std::string out = civilFromDays(days) + 'T';
    appendNumber(out, rest / 3600, 2);
    out += ':';
    appendNumber(out, rest / 60 % 60, 2);
    out += ':';
    appendNumber(out, rest % 60, 2);
    return out + 'Z';
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
