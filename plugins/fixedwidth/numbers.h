// Numbers in fixed-width columns: implied or written decimal points, leading,
// trailing or overpunched signs, zero or space padding.
//
// Values travel as integers of minor units (`decimals` fraction digits) and as
// canonical decimal text: never floating point, so a control total adds up to
// the cent. At most 18 digits, so every value and sum fits an int64.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_NUMBERS_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_NUMBERS_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lendgate::fixedwidth {

/// Where a number's sign is written.
enum class Sign {
    None,      ///< unsigned: a negative value cannot be written
    Leading,   ///< "-00012345", "+00012345"
    Trailing,  ///< "00012345-", "00012345+"
    /// The last digit carries the sign, as COBOL zoned decimals do:
    /// "{ABCDEFGHI" are +0..+9, "}JKLMNOPQR" are -0..-9. Plain digits read as positive.
    Overpunch,
};

struct NumberFormat {
    int decimals = 0;           ///< fraction digits, 0 to 6
    bool decimalPoint = false;  ///< false: implied ("12345" with 2 is 123.45)
    Sign sign = Sign::None;
};

inline constexpr std::size_t kMaxDigits = 18;

/// Reads a field's text with spaces already trimmed (not empty) as minor
/// units; nothing when it does not fit the format.
std::optional<std::int64_t> readNumber(std::string_view text, const NumberFormat &format) noexcept;

/// Appends minor units as canonical decimal text: "-1224.80" for -122480 with
/// 2 decimals, "0.05", "7" with 0 decimals; never "-0".
void appendDecimal(std::string &out, std::int64_t units, int decimals);

enum class NumberProblem { None, Syntax, Precision, Range };

/// Canonical decimal text ("1224.8", "-0.05", "12") or JSON integer text as
/// minor units at `decimals`: Precision when it has more fraction digits than
/// that (never rounded), Range past 18 digits.
NumberProblem parseDecimal(std::string_view text, int decimals, std::int64_t &units) noexcept;

/// The number as the field writes it, before padding: digits (with the point
/// when the format has one, at least one digit before it) and the sign.
/// False when the value is negative and the format has no sign.
bool formatNumber(std::int64_t units, const NumberFormat &format, std::string &body);

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_NUMBERS_H
