// RFC 3339 dates and timestamps as the canonical model carries them.
//
// A Date is a calendar day with no zone (a contract date, a cure deadline). A
// Timestamp is an instant that always carries its UTC offset, because the
// compliance checks reason in the borrower's local time (C9: no contact before
// 08:00 or after 21:00), which an instant in UTC alone cannot tell.
#ifndef LENDGATE_MODEL_CALENDAR_H
#define LENDGATE_MODEL_CALENDAR_H

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lendgate::model {

/// A proleptic Gregorian calendar day, years 0000 to 9999.
struct Date {
    int year = 1970;
    int month = 1;
    int day = 1;

    /// Parses RFC 3339 full-date ("2026-11-22") and refuses days that do not
    /// exist ("2026-02-30", "2025-02-29").
    static std::optional<Date> parse(std::string_view text);
    /// The day that is `days` days after 1970-01-01 (negative: before).
    static Date fromDaysSinceEpoch(std::int64_t days);

    std::int64_t daysSinceEpoch() const;
    std::string toString() const;

    auto operator<=>(const Date &) const = default;
};

/// Whether year/month/day names a day that exists.
bool isValidCalendarDay(int year, int month, int day);

/// An RFC 3339 date-time with a mandatory offset ("2026-11-23T06:00:00-07:00",
/// "2026-11-23T13:00:00Z", optional fraction of up to 9 digits). The text is
/// kept as received so a record round-trips byte for byte; ordering and
/// equality compare the instant, so "06:00:00-07:00" equals "13:00:00Z".
/// Leap seconds (":60") are refused: no partner clock produces them and they
/// cannot be ordered without a leap table.
class Timestamp {
public:
    static std::optional<Timestamp> parse(std::string_view text);
    /// The instant written with the given offset from UTC (within ±23:59,
    /// i.e. ±1439 minutes), e.g. for stamping received_at; the fraction is
    /// written only when `nanos` is not zero, without trailing zeros.
    static Timestamp fromUnix(std::int64_t seconds, std::uint32_t nanos = 0, int offsetMinutes = 0);

    const std::string &toString() const noexcept { return text_; }
    std::int64_t unixSeconds() const noexcept { return unixSeconds_; }
    std::uint32_t nanos() const noexcept { return nanos_; }
    /// Minutes east of UTC as written ("-07:00" is -420, "Z" is 0).
    int offsetMinutes() const noexcept { return offsetMinutes_; }
    /// The calendar day at the place the timestamp was written for.
    Date localDate() const;
    /// Seconds since local midnight at the written offset (0..86399).
    int localSecondOfDay() const;

    std::strong_ordering operator<=>(const Timestamp &other) const noexcept {
        if (unixSeconds_ != other.unixSeconds_) return unixSeconds_ <=> other.unixSeconds_;
        return nanos_ <=> other.nanos_;
    }
    bool operator==(const Timestamp &other) const noexcept { return (*this <=> other) == 0; }

private:
    std::string text_ = "1970-01-01T00:00:00Z";
    std::int64_t unixSeconds_ = 0;
    std::uint32_t nanos_ = 0;
    int offsetMinutes_ = 0;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_CALENDAR_H
