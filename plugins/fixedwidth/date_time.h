// Dates and times as partners write them in fixed-width columns, and as the
// canonical model writes them (RFC 3339).
//
// Everything is strict and total: a reader returns nothing when the text does
// not fit, and never throws on data. Time zones are fixed UTC offsets from the
// configuration: Arizona keeps -07:00 all year, and a partner that means
// "local time" must say which offset that is.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_DATE_TIME_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_DATE_TIME_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::fixedwidth {

/// A wall-clock date and time, without an offset.
struct CivilTime {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;

    bool operator==(const CivilTime &) const = default;
};

/// True for a real calendar day (proleptic Gregorian, years 1 to 9999).
bool isCalendarDay(int year, int month, int day) noexcept;

/// `time` moved by `minutes` (either sign), across days, months and years.
CivilTime shiftMinutes(const CivilTime &time, std::int64_t minutes) noexcept;

/// Wall-clock time at `offsetMinutes` from UTC of a Unix time in milliseconds.
CivilTime fromUnixMs(std::int64_t unixMs, int offsetMinutes) noexcept;

/// "Z" -> 0, "-07:00" -> -420; nothing for anything else.
std::optional<int> parseUtcOffset(std::string_view text) noexcept;

/// "HH:MM:SS" -> the hour, minute and second of `into`; false when malformed.
bool parseTimeOfDay(std::string_view text, CivilTime &into) noexcept;

/// A canonical RFC 3339 date-time: its wall-clock time and its offset.
struct Timestamp {
    CivilTime local;
    int offsetMinutes = 0;
};

/// "2026-12-01T07:30:00-07:00" (fraction of a second allowed and dropped).
std::optional<Timestamp> parseRfc3339(std::string_view text) noexcept;

/// "2026-12-01" -> that day at midnight.
std::optional<CivilTime> parseIsoDate(std::string_view text) noexcept;

/// Appends "YYYY-MM-DD".
void appendIsoDate(std::string &out, const CivilTime &time);
/// Appends "YYYY-MM-DDTHH:MM:SS" followed by `offset` ("Z" or "+HH:MM").
void appendIsoDateTime(std::string &out, const CivilTime &time, std::string_view offset);

/// A partner's date or date-time layout in pattern style: YYYY (or CCYY) MM
/// DD, hh (or HH) mm ss, and separators such as - / . : space and T. Every
/// element has a fixed width, so "YYYYMMDD" needs all eight digits.
class DateTimeFormat {
public:
    /// Throws std::invalid_argument naming the problem: an unknown letter, a
    /// repeated or missing year/month/day, minutes without hours.
    static DateTimeFormat parse(std::string_view pattern);

    bool hasTime() const noexcept { return hasHour_; }
    bool hasSeconds() const noexcept { return hasSecond_; }
    /// Number of bytes the layout writes.
    std::size_t width() const noexcept { return width_; }
    const std::string &text() const noexcept { return text_; }

    /// The date (and time) when `text` matches exactly and names a real day and time.
    std::optional<CivilTime> read(std::string_view text) const noexcept;
    /// Writes exactly width() bytes into `out` (which has room for them).
    void write(const CivilTime &time, char *out) const noexcept;

private:
    enum class Kind { Year, Month, Day, Hour, Minute, Second, Literal };
    struct Element {
        Kind kind;
        char literal = 0;
    };

    std::vector<Element> elements_;
    std::string text_;
    std::size_t width_ = 0;
    bool hasHour_ = false;
    bool hasSecond_ = false;
};

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_DATE_TIME_H
