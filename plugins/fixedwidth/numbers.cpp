#include "numbers.h"

#include <limits>

namespace lendgate::fixedwidth {
namespace {

constexpr std::string_view kPositivePunch = "{ABCDEFGHI";
constexpr std::string_view kNegativePunch = "}JKLMNOPQR";

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// Appends digits to `value`; false past kMaxDigits significant digits.
bool accumulate(std::string_view digits, std::int64_t &value, std::size_t &significant) noexcept {
    for (const char c : digits) {
        if (!isDigit(c)) return false;
        if (significant > 0 || c != '0') ++significant;
        if (significant > kMaxDigits) return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

}  // namespace

std::optional<std::int64_t> readNumber(std::string_view text, const NumberFormat &format) noexcept {
    bool negative = false;
    std::string_view body = text;
    char punched = 0;  // the overpunched last digit, turned back into a plain one
    switch (format.sign) {
        case Sign::None: break;
        case Sign::Leading:
            if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
                negative = body.front() == '-';
                body.remove_prefix(1);
            }
            break;
        case Sign::Trailing:
            if (!body.empty() && (body.back() == '-' || body.back() == '+')) {
                negative = body.back() == '-';
                body.remove_suffix(1);
            }
            break;
        case Sign::Overpunch:
            if (!body.empty() && !isDigit(body.back())) {
                if (const auto at = kPositivePunch.find(body.back()); at != std::string_view::npos) {
                    punched = static_cast<char>('0' + at);
                } else if (const auto neg = kNegativePunch.find(body.back()); neg != std::string_view::npos) {
                    punched = static_cast<char>('0' + neg);
                    negative = true;
                } else {
                    return std::nullopt;
                }
                body.remove_suffix(1);
            }
            break;
    }
    std::string_view whole = body, fraction;
    if (format.decimalPoint) {
        if (const auto point = body.find('.'); point != std::string_view::npos) {
            whole = body.substr(0, point);
            fraction = body.substr(point + 1);
            // "12." and ".5" are what a sloppy export writes; "." alone is not a number.
            // An overpunched last digit belongs to the fraction here, so it must have room there.
            const std::size_t fractionDigits = fraction.size() + (punched != 0 ? 1 : 0);
            if ((whole.empty() && fraction.empty()) || fractionDigits > static_cast<std::size_t>(format.decimals))
                return std::nullopt;
            if (punched != 0 && fraction.empty()) return std::nullopt;
        }
    }
    if (whole.empty() && fraction.empty() && punched == 0) return std::nullopt;
    std::int64_t value = 0;
    std::size_t significant = 0;
    if (!accumulate(whole, value, significant) || !accumulate(fraction, value, significant)) return std::nullopt;
    if (punched != 0 && !accumulate(std::string_view(&punched, 1), value, significant)) return std::nullopt;
    if (format.decimalPoint) {
        const std::size_t given = fraction.size() + (punched != 0 && !fraction.empty() ? 1 : 0);
        for (std::size_t i = given; i < static_cast<std::size_t>(format.decimals); ++i) {
            if (significant > 0 && ++significant > kMaxDigits) return std::nullopt;
            value *= 10;
        }
    }
    return negative ? -value : value;
}

void appendDecimal(std::string &out, std::int64_t units, int decimals) {
    // Filled from the end, then appended once: this runs for every amount of every record.
    char buffer[32];
    char *end = buffer + sizeof buffer, *p = end;
    // Through uint64, so the most negative value does not overflow when negated.
    std::uint64_t magnitude = units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    int digits = 0;
    do {
        if (digits == decimals && decimals > 0) *--p = '.';
        *--p = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
        ++digits;
    } while (magnitude != 0 || digits <= decimals);
    if (units < 0) *--p = '-';
    out.append(p, static_cast<std::size_t>(end - p));
}

NumberProblem parseDecimal(std::string_view text, int decimals, std::int64_t &units) noexcept {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    std::string_view whole = text, fraction;
    if (const auto point = text.find('.'); point != std::string_view::npos) {
        whole = text.substr(0, point);
        fraction = text.substr(point + 1);
        if (fraction.empty()) return NumberProblem::Syntax;
    }
    if (whole.empty()) return NumberProblem::Syntax;
    for (const char c : whole)
        if (!isDigit(c)) return NumberProblem::Syntax;
    for (const char c : fraction)
        if (!isDigit(c)) return NumberProblem::Syntax;
    // Trailing zeros carry no value: "1224.800" fits two decimals exactly.
    while (fraction.size() > static_cast<std::size_t>(decimals) && fraction.back() == '0') fraction.remove_suffix(1);
    if (fraction.size() > static_cast<std::size_t>(decimals)) return NumberProblem::Precision;
    std::int64_t value = 0;
    std::size_t significant = 0;
    if (!accumulate(whole, value, significant) || !accumulate(fraction, value, significant))
        return NumberProblem::Range;
    for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(decimals); ++i) {
        if (significant > 0 && ++significant > kMaxDigits) return NumberProblem::Range;
        value *= 10;
    }
    units = negative ? -value : value;
    return NumberProblem::None;
}

bool formatNumber(std::int64_t units, const NumberFormat &format, std::string &body) {
    body.clear();
    const bool negative = units < 0;
    if (negative && format.sign == Sign::None) return false;
    if (format.sign == Sign::Leading) body += negative ? '-' : '+';
    const std::size_t digitsStart = body.size();
    if (format.decimalPoint) {
        appendDecimal(body, negative ? -units : units, format.decimals);
    } else {
        appendDecimal(body, negative ? -units : units, 0);
        // Implied decimals: "5" cents with 2 decimals is "005", so a reader finds 0.05.
        const std::size_t digits = body.size() - digitsStart;
        if (digits < static_cast<std::size_t>(format.decimals) + 1)
            body.insert(digitsStart, static_cast<std::size_t>(format.decimals) + 1 - digits, '0');
    }
    if (format.sign == Sign::Trailing) body += negative ? '-' : '+';
    if (format.sign == Sign::Overpunch) {
        char &last = body.back();
        last = (negative ? kNegativePunch : kPositivePunch)[static_cast<std::size_t>(last - '0')];
    }
    return true;
}

}  // namespace lendgate::fixedwidth
