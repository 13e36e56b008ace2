#include "core/model/calendar.h"

#include <cstdio>

namespace lendgate::model {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Reads `count` digits at `pos`; -1 if any is not a digit.
int readDigits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return -1;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (!isDigit(c)) return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole
// proleptic Gregorian calendar without a table or a loop.
std::int64_t daysFromCivil(int year, int month, int day) {
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yearOfEra = y - era * 400;
    const std::int64_t dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

Date civilFromDays(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t mp = (5 * dayOfYear + 2) / 153;
    const int day = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int year = static_cast<int>(yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    return Date{year, month, day};
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

std::optional<Date> parseDateAt(std::string_view text, std::size_t pos) {
    if (pos + 10 > text.size() || text[pos + 4] != '-' || text[pos + 7] != '-') return std::nullopt;
    const int year = readDigits(text, pos, 4);
    const int month = readDigits(text, pos + 5, 2);
    const int day = readDigits(text, pos + 8, 2);
    if (year < 0 || month < 0 || day < 0 || !isValidCalendarDay(year, month, day)) return std::nullopt;
    return Date{year, month, day};
}

}  // namespace

bool isValidCalendarDay(int year, int month, int day) {
    static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    const int limit = kDaysInMonth[month - 1] + (month == 2 && isLeapYear(year) ? 1 : 0);
    return day <= limit;
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10) return std::nullopt;
    return parseDateAt(text, 0);
}

Date Date::fromDaysSinceEpoch(std::int64_t days) {
    return civilFromDays(days);
}

std::int64_t Date::daysSinceEpoch() const {
    return daysFromCivil(year, month, day);
}

std::string Date::toString() const {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

std::optional<Timestamp> Timestamp::parse(std::string_view text) {
    // Shortest form: 2026-11-23T06:00:00Z (20 chars); longest adds a 9-digit
    // fraction and a numeric offset (35 chars).
    if (text.size() < 20 || text.size() > 35) return std::nullopt;
    const std::optional<Date> date = parseDateAt(text, 0);
    if (!date || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
    const int hour = readDigits(text, 11, 2);
    const int minute = readDigits(text, 14, 2);
    const int second = readDigits(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;

    std::size_t pos = 19;
    std::uint32_t nanos = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            if (++digits > 9) return std::nullopt;
            nanos = nanos * 10 + static_cast<std::uint32_t>(text[pos] - '0');
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
    }

    // The offset must end the text exactly: "Z", or a sign with hh:mm.
    int offsetMinutes = 0;
    if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') && text[pos + 3] == ':') {
        const int offsetHours = readDigits(text, pos + 1, 2);
        const int offsetMins = readDigits(text, pos + 4, 2);
        if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return std::nullopt;
        offsetMinutes = (offsetHours * 60 + offsetMins) * (text[pos] == '-' ? -1 : 1);
    } else if (pos + 1 != text.size() || text[pos] != 'Z') {
        return std::nullopt;
    }

    Timestamp result;
    result.text_ = std::string(text);
    const std::int64_t secondOfDay = std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
    result.unixSeconds_ =
        date->daysSinceEpoch() * kSecondsPerDay + secondOfDay - static_cast<std::int64_t>(offsetMinutes) * 60;
    result.nanos_ = nanos;
    result.offsetMinutes_ = offsetMinutes;
    return result;
}

Timestamp Timestamp::fromUnix(std::int64_t seconds, std::uint32_t nanos, int offsetMinutes) {
    const std::int64_t local = seconds + static_cast<std::int64_t>(offsetMinutes) * 60;
    const std::int64_t days = floorDiv(local, kSecondsPerDay);
    const auto secondOfDay = static_cast<int>(local - days * kSecondsPerDay);
    const Date date = civilFromDays(days);

    char buffer[48];
    int length = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", date.year, date.month, date.day,
                               secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60);
    std::string text(buffer, static_cast<std::size_t>(length));
    nanos %= 1000000000u;
    if (nanos != 0) {
        std::snprintf(buffer, sizeof buffer, ".%09u", nanos);
        std::string fraction(buffer);
        while (fraction.back() == '0') fraction.pop_back();
        text += fraction;
    }
    if (offsetMinutes == 0) {
        text += 'Z';
    } else {
        const int absolute = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
        length = std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", offsetMinutes < 0 ? '-' : '+', absolute / 60,
                               absolute % 60);
        text.append(buffer, static_cast<std::size_t>(length));
    }

    Timestamp result;
    result.text_ = std::move(text);
    result.unixSeconds_ = seconds;
    result.nanos_ = nanos;
    result.offsetMinutes_ = offsetMinutes;
    return result;
}

Date Timestamp::localDate() const {
    const std::int64_t local = unixSeconds_ + static_cast<std::int64_t>(offsetMinutes_) * 60;
    return civilFromDays(floorDiv(local, kSecondsPerDay));
}

int Timestamp::localSecondOfDay() const {
    const std::int64_t local = unixSeconds_ + static_cast<std::int64_t>(offsetMinutes_) * 60;
    return static_cast<int>(local - floorDiv(local, kSecondsPerDay) * kSecondsPerDay);
}

}  // namespace lendgate::model
