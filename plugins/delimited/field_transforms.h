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

/// Without leading and trailing spaces and tabs.
std::string_view trimBlanks(std::string_view text) noexcept;

/// ASCII letters upper-cased; other bytes (UTF-8 included) left alone.
void upperAscii(std::string &text) noexcept;

/// A partner's date layout, parsed once from the configuration.
class DateFormat {
public:
    /// Accepts strftime style ("%m/%d/%Y", "%Y%m%d"; %% is a literal percent)
    /// or pattern style ("MM/DD/YYYY", "YYYYMMDD"). Year, month and day must
    /// each appear once. Throws std::invalid_argument naming the problem.
    static DateFormat parse(std::string_view format);

    /// "YYYY-MM-DD" when `text` matches the layout and names a real calendar day.
    std::optional<std::string> toIso(std::string_view text) const;

    /// The layout as configured, for error messages.
    const std::string &text() const noexcept { return text_; }

private:
    enum class Kind { Year, Month, Day, Literal };
    struct Element {
        Kind kind;
        char literal = 0;
        /// One or two digits are allowed only between separators ("1/5/2026"); run-together
        /// layouts such as YYYYMMDD need every digit, or "2026113" would pass.
        bool flexibleWidth = false;
    };

    std::vector<Element> elements_;
    std::string text_;
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

/// "-1250.1" with decimals=2 -> -125010 (units of 10^-decimals); nothing on
/// overflow or when the text has more fraction digits than `decimals`.
std::optional<std::int64_t> parseScaled(std::string_view text, int decimals) noexcept;

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_FIELD_TRANSFORMS_H
