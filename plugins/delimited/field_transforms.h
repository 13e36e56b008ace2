// Conversions from partner cell text to canonical values.
//
// Every function is strict and total: it returns the canonical text, or
// nothing when the input does not fit, and never throws on data. Callers word
// the error themselves, naming the column and never quoting the value.
// Money stays text or integer minor units throughout: no floating point.
#ifndef LENDGATE_PLUGINS_DELIMITED_FIELD_TRANSFORMS_H
#define LENDGATE_PLUGINS_DELIMITED_FIELD_TRANSFORMS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::delimited {

/// Without leading and trailing spaces and tabs. Inline: it runs on nearly every cell.
inline std::string_view trimBlanks(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

/// ASCII letters upper-cased; other bytes (UTF-8 included) left alone.
void upperAscii(std::string &text) noexcept;

/// A partner's date layout, parsed once from the configuration.
class DateFormat {
public:
    /// Accepts strftime style ("%m/%d/%Y", "%Y%m%d"; %% is a literal percent)
    /// or pattern style ("MM/DD/YYYY", "YYYYMMDD"). Year, month and day must
    /// each appear once. The strftime style may add a time of day: %H and %M,
    /// optionally %S ("%m/%d/%Y %H:%M"); letters other than the directives are
    /// then literals ("%Y-%m-%dT%H:%M:%S"). Throws std::invalid_argument
    /// naming the problem.
    static DateFormat parse(std::string_view format);

    /// "YYYY-MM-DD" when `text` matches the layout and names a real calendar
    /// day; "YYYY-MM-DDTHH:MM:SS" when the layout has a time of day.
    std::optional<std::string> toIso(std::string_view text) const;

    /// toIso() into `out` without a string; returns the length written, 0 when
    /// `text` does not fit. The decoder's hot path.
    static constexpr std::size_t kMaxIso = 19;
    std::size_t toIso(std::string_view text, char (&out)[kMaxIso]) const noexcept;

    /// The reverse: an ISO "YYYY-MM-DD" day or "YYYY-MM-DDTHH:MM:SS" local
    /// date-time written in this layout, every number with its full width.
    std::optional<std::string> fromIso(std::string_view iso) const;

    bool hasTime() const noexcept { return hasTime_; }

    /// The layout as configured, for error messages.
    const std::string &text() const noexcept { return text_; }

private:
    enum class Kind { Year, Month, Day, Hour, Minute, Second, Literal };
    struct Element {
        Kind kind;
        char literal = 0;
        /// One or two digits are allowed only between separators ("1/5/2026"); run-together
        /// layouts such as YYYYMMDD need every digit, or "2026113" would pass.
        bool flexibleWidth = false;
    };

    std::vector<Element> elements_;
    std::string text_;
    bool hasTime_ = false;
};

/// True for a real calendar day (proleptic Gregorian).
bool isCalendarDay(int year, int month, int day) noexcept;

/// "61240" -> "612.40", "-5" -> "-0.05"; at most 18 digits.
std::optional<std::string> centsToDecimal(std::string_view text);

/// True for "612.4", "-0.05", "12": digits with an optional sign and fraction, at most 32 bytes.
bool isDecimal(std::string_view text) noexcept;

/// JSON number text for a whole number ("007" -> "7"); at most 18 digits so it fits int64.
std::optional<std::string> normalizeInteger(std::string_view text);

/// Y/N, YES/NO, T/F, TRUE/FALSE, 1/0, in any letter case.
std::optional<bool> parseBoolean(std::string_view text) noexcept;

/// A North American number in E.164 ("(602) 555-0142" -> "+16025550142").
/// Spaces, parentheses, dots, dashes and a leading + or 1 are accepted.
std::optional<std::string> phoneE164(std::string_view text);

/// The reverse of centsToDecimal: "612.4" -> "61240", "-0.05" -> "-5". Nothing
/// when the text is not a decimal, has a non-zero digit past the cents, or overflows.
std::optional<std::string> decimalToCents(std::string_view text);

/// A value in units of 10^-decimals as text: (-125010, 2) -> "-1250.10".
std::string formatScaled(std::int64_t value, int decimals);

/// The reverse of phoneE164 for North American numbers: "+16025550142" with
/// the pattern "(###) ###-####" -> "(602) 555-0142"; each # takes the next of
/// the ten national digits, which the pattern must use exactly.
std::optional<std::string> formatPhone(std::string_view e164, std::string_view pattern);

/// The local "YYYY-MM-DDTHH:MM:SS" at `utcOffset` ("Z" or "+hh:mm") of an
/// RFC 3339 date-time (fractions dropped); a bare "YYYY-MM-DD" is taken as
/// that day's midnight. An empty `utcOffset` keeps the value's own offset.
std::optional<std::string> localDateTime(std::string_view dateTime, std::string_view utcOffset);

/// Milliseconds since the epoch as an RFC 3339 UTC date-time, whole seconds.
std::string utcDateTime(std::int64_t unixMs);

/// "-1250.1" with decimals=2 -> -125010 (units of 10^-decimals); nothing on
/// overflow or when the text has more fraction digits than `decimals`.
std::optional<std::int64_t> parseScaled(std::string_view text, int decimals) noexcept;

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_FIELD_TRANSFORMS_H
