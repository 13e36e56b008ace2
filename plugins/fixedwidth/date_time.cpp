#include "date_time.h"

#include <stdexcept>

namespace lendgate::fixedwidth {
namespace {

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// Reads exactly `width` digits at `pos`; -1 when any is not a digit.
int digitsAt(std::string_view text, std::size_t pos, std::size_t width) noexcept {
    if (pos + width > text.size()) return -1;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (!isDigit(c)) return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

void putDigits(char *out, int value, std::size_t width) noexcept {
    for (std::size_t i = width; i-- > 0;) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
std::int64_t daysFromCivil(int y, int m, int d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civilFromDays(std::int64_t z, CivilTime &out) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    out.year = static_cast<int>(yoe + era * 400 + (m <= 2));
    out.month = m;
    out.day = d;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) noexcept {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

bool isCalendarDay(int year, int month, int day) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

CivilTime shiftMinutes(const CivilTime &time, std::int64_t minutes) noexcept {
    const std::int64_t total =
        daysFromCivil(time.year, time.month, time.day) * 1440 + time.hour * 60 + time.minute + minutes;
    const std::int64_t days = floorDiv(total, 1440);
    const std::int64_t inDay = total - days * 1440;
    CivilTime out;
    civilFromDays(days, out);
    out.hour = static_cast<int>(inDay / 60);
    out.minute = static_cast<int>(inDay % 60);
    out.second = time.second;
    return out;
}

CivilTime fromUnixMs(std::int64_t unixMs, int offsetMinutes) noexcept {
    const std::int64_t seconds = floorDiv(unixMs, 1000) + static_cast<std::int64_t>(offsetMinutes) * 60;
    const std::int64_t days = floorDiv(seconds, 86400);
    const std::int64_t inDay = seconds - days * 86400;
    CivilTime out;
    civilFromDays(days, out);
    out.hour = static_cast<int>(inDay / 3600);
    out.minute = static_cast<int>(inDay / 60 % 60);
    out.second = static_cast<int>(inDay % 60);
    return out;
}

std::optional<int> parseUtcOffset(std::string_view text) noexcept {
    if (text == "Z") return 0;
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
    const int hours = digitsAt(text, 1, 2), minutes = digitsAt(text, 4, 2);
    if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return std::nullopt;
    const int total = hours * 60 + minutes;
    return text[0] == '-' ? -total : total;
}

bool parseTimeOfDay(std::string_view text, CivilTime &into) noexcept {
    if (text.size() != 8 || text[2] != ':' || text[5] != ':') return false;
    const int h = digitsAt(text, 0, 2), m = digitsAt(text, 3, 2), s = digitsAt(text, 6, 2);
    if (h < 0 || m < 0 || s < 0 || h > 23 || m > 59 || s > 59) return false;
    into.hour = h;
    into.minute = m;
    into.second = s;
    return true;
}

std::optional<CivilTime> parseIsoDate(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    CivilTime out;
    out.year = digitsAt(text, 0, 4);
    out.month = digitsAt(text, 5, 2);
    out.day = digitsAt(text, 8, 2);
    if (!isCalendarDay(out.year, out.month, out.day)) return std::nullopt;
    return out;
}

std::optional<Timestamp> parseRfc3339(std::string_view text) noexcept {
    if (text.size() < 20 || text[10] != 'T') return std::nullopt;
    auto date = parseIsoDate(text.substr(0, 10));
    if (!date || !parseTimeOfDay(text.substr(11, 8), *date)) return std::nullopt;
    std::size_t pos = 19;
    if (text[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < text.size() && isDigit(text[pos])) ++pos;
        if (pos == start || pos - start > 9) return std::nullopt;
    }
    const auto offset = parseUtcOffset(text.substr(pos));
    if (!offset) return std::nullopt;
    return Timestamp{*date, *offset};
}

void appendIsoDate(std::string &out, const CivilTime &time) {
    char buffer[10];
    putDigits(buffer, time.year, 4);
    buffer[4] = '-';
    putDigits(buffer + 5, time.month, 2);
    buffer[7] = '-';
    putDigits(buffer + 8, time.day, 2);
    out.append(buffer, sizeof buffer);
}

void appendIsoDateTime(std::string &out, const CivilTime &time, std::string_view offset) {
    appendIsoDate(out, time);
    char buffer[9];
    buffer[0] = 'T';
    putDigits(buffer + 1, time.hour, 2);
    buffer[3] = ':';
    putDigits(buffer + 4, time.minute, 2);
    buffer[6] = ':';
    putDigits(buffer + 7, time.second, 2);
    out.append(buffer, sizeof buffer);
    out.append(offset);
}

DateTimeFormat DateTimeFormat::parse(std::string_view pattern) {
    DateTimeFormat f;
    f.text_ = std::string(pattern);
    auto add = [&](Kind kind, std::size_t width) {
        f.elements_.push_back({kind});
        f.width_ += width;
    };
    for (std::size_t i = 0; i < pattern.size();) {
        const std::string_view rest = pattern.substr(i);
        if (rest.starts_with("YYYY") || rest.starts_with("CCYY")) {
            add(Kind::Year, 4);
            i += 4;
        } else if (rest.starts_with("MM")) {
            add(Kind::Month, 2);
            i += 2;
        } else if (rest.starts_with("DD")) {
            add(Kind::Day, 2);
            i += 2;
        } else if (rest.starts_with("hh") || rest.starts_with("HH")) {
            add(Kind::Hour, 2);
            i += 2;
        } else if (rest.starts_with("mm")) {
            add(Kind::Minute, 2);
            i += 2;
        } else if (rest.starts_with("ss") || rest.starts_with("SS")) {
            add(Kind::Second, 2);
            i += 2;
        } else {
            const char c = pattern[i];
            const bool separator = c == '-' || c == '/' || c == '.' || c == ':' || c == ' ' || c == 'T' || c == '_';
            // A stray letter is almost always a typo ("YYYYMMD", "YYMMDD"); refuse it rather than expect it literally.
            if (!separator)
                throw std::invalid_argument(
                    "a date format may contain only YYYY (or CCYY), MM, DD, hh, mm, ss and the separators - / . : _ "
                    "space T");
            f.elements_.push_back({Kind::Literal, c});
            ++f.width_;
            ++i;
        }
    }
    int counts[6] = {0, 0, 0, 0, 0, 0};
    for (const Element &e : f.elements_)
        if (e.kind != Kind::Literal) ++counts[static_cast<int>(e.kind)];
    if (counts[0] != 1 || counts[1] != 1 || counts[2] != 1)
        throw std::invalid_argument("a date format needs exactly one year, one month and one day");
    if (counts[3] > 1 || counts[4] > 1 || counts[5] > 1)
        throw std::invalid_argument("a date format names the hour, minute or second twice");
    if (counts[3] != counts[4]) throw std::invalid_argument("a date format with hours needs minutes, and the reverse");
    if (counts[5] > counts[4]) throw std::invalid_argument("a date format with seconds needs hours and minutes");
    f.hasHour_ = counts[3] == 1;
    f.hasSecond_ = counts[5] == 1;
    return f;
}

std::optional<CivilTime> DateTimeFormat::read(std::string_view text) const noexcept {
    if (text.size() != width_) return std::nullopt;
    CivilTime out;
    std::size_t pos = 0;
    for (const Element &e : elements_) {
        if (e.kind == Kind::Literal) {
            if (text[pos++] != e.literal) return std::nullopt;
            continue;
        }
        const std::size_t width = e.kind == Kind::Year ? 4 : 2;
        const int value = digitsAt(text, pos, width);
        if (value < 0) return std::nullopt;
        pos += width;
        switch (e.kind) {
            case Kind::Year: out.year = value; break;
            case Kind::Month: out.month = value; break;
            case Kind::Day: out.day = value; break;
            case Kind::Hour: out.hour = value; break;
            case Kind::Minute: out.minute = value; break;
            case Kind::Second: out.second = value; break;
            case Kind::Literal: break;
        }
    }
    if (!isCalendarDay(out.year, out.month, out.day) || out.hour > 23 || out.minute > 59 || out.second > 59)
        return std::nullopt;
    return out;
}

void DateTimeFormat::write(const CivilTime &time, char *out) const noexcept {
    for (const Element &e : elements_) {
        switch (e.kind) {
            case Kind::Literal: *out++ = e.literal; continue;
            case Kind::Year:
                putDigits(out, time.year, 4);
                out += 4;
                continue;
            case Kind::Month: putDigits(out, time.month, 2); break;
            case Kind::Day: putDigits(out, time.day, 2); break;
            case Kind::Hour: putDigits(out, time.hour, 2); break;
            case Kind::Minute: putDigits(out, time.minute, 2); break;
            case Kind::Second: putDigits(out, time.second, 2); break;
        }
        out += 2;
    }
}

}  // namespace lendgate::fixedwidth
