// Conversions between partner text in XML and canonical values, both ways.
//
// Every function is strict and total: it returns the converted text, or
// nothing when the input does not fit, and never throws on data. Callers word
// the error themselves, naming the element and never quoting the value.
// Money stays text throughout: no floating point.
#ifndef LENDGATE_PLUGINS_XML_VALUE_TRANSFORMS_H
#define LENDGATE_PLUGINS_XML_VALUE_TRANSFORMS_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::xml {

/// Without leading and trailing XML white space (space, tab, CR, LF).
std::string_view trimXmlSpace(std::string_view text) noexcept;

/// True when `text` is empty or only XML white space.
bool isBlank(std::string_view text) noexcept;

void upperAscii(std::string &text) noexcept;
void lowerAscii(std::string &text) noexcept;

/// A partner's date layout: pattern style ("MM/DD/YYYY", "YYYYMMDD") or
/// strftime style ("%m/%d/%Y"), parsed once from the configuration.
class DatePattern {
public:
    /// Throws std::invalid_argument naming the problem.
    static DatePattern parse(std::string_view format);

    /// "YYYY-MM-DD" when `text` matches and names a real calendar day.
    std::optional<std::string> toIso(std::string_view text) const;
    /// The partner's form of an ISO date; nothing when `iso` is not one.
    std::optional<std::string> fromIso(std::string_view iso) const;

    const std::string &text() const noexcept { return text_; }

private:
    enum class Kind { Year, Month, Day, Literal };
    struct Element {
        Kind kind;
        char literal = 0;
        /// Between separators one digit is enough ("1/5/2026"); run-together layouts need all of them.
        bool flexibleWidth = false;
    };
    std::vector<Element> elements_;
    std::string text_;
};

bool isCalendarDay(int year, int month, int day) noexcept;

/// An xs:date ("2026-11-24", optionally with a time zone, which is dropped) as "YYYY-MM-DD".
std::optional<std::string> isoDate(std::string_view text);

/// An xs:dateTime as an RFC 3339 date-time. A value without a time zone takes
/// `defaultOffset` ("Z" or "+HH:MM"); without one it is refused.
std::optional<std::string> rfc3339DateTime(std::string_view text, std::string_view defaultOffset);

/// True for "Z", "+07:00", "-07:00" (hours up to 14).
bool isUtcOffset(std::string_view text) noexcept;

/// "612.40", "-0.05", "+12" -> the canonical decimal text (a leading + dropped); at most 32 bytes.
std::optional<std::string> canonicalDecimal(std::string_view text);

/// JSON number text for a whole number ("007" -> "7", "+5" -> "5"); at most 18 digits.
std::optional<std::string> canonicalInteger(std::string_view text);

/// xs:boolean (true/false/1/0) and the Y/N, YES/NO, T/F of older systems, in any letter case.
std::optional<bool> parseBoolean(std::string_view text) noexcept;

/// True when every character of the UTF-8 `text` may appear in an XML 1.0
/// document (no C0 controls but tab, CR and LF; no U+FFFE/U+FFFF; valid UTF-8).
bool isXmlText(std::string_view text) noexcept;

/// Appends `text` as a JSON string literal (quotes included).
void appendJsonString(std::string &out, std::string_view text);

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_VALUE_TRANSFORMS_H
