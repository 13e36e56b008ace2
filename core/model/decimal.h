// Exact decimal amounts for money.
//
// Amounts travel as decimal strings ("1250.10") because a JSON number would
// pass through binary floating point and lose cents or trailing zeros. This
// type keeps the exact digits and the scale the sender wrote, so "100.10"
// comes back out as "100.10", and sums for control totals are exact.
//
// Header-only and free of dependencies so that plugins and their tests can use
// it without linking the core.
#ifndef LENDGATE_MODEL_DECIMAL_H
#define LENDGATE_MODEL_DECIMAL_H

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace lendgate::model {

/// A signed decimal: a 64-bit magnitude in units of 10^-scale, a sign and a
/// scale of 0 to 4 fraction digits. Sign and magnitude are kept apart (rather
/// than one int64) so that every value the wire syntax admits, up to
/// 999999999999999.9999, is representable.
class Decimal {
public:
    static constexpr int kMaxScale = 4;
    static constexpr int kMaxIntegerDigits = 15;

    constexpr Decimal() = default;

    /// Parses the wire syntax ^-?[0-9]{1,15}(\.[0-9]{1,4})?$ exactly; anything
    /// else (exponents, '+', spaces, a bare '.') is refused.
    static constexpr std::optional<Decimal> parse(std::string_view text) noexcept {
        std::size_t pos = 0;
        bool negative = false;
        if (pos < text.size() && text[pos] == '-') {
            negative = true;
            ++pos;
        }
        std::uint64_t magnitude = 0;
        int integerDigits = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            if (++integerDigits > kMaxIntegerDigits) return std::nullopt;
            magnitude = magnitude * 10 + static_cast<std::uint64_t>(text[pos] - '0');
            ++pos;
        }
        if (integerDigits == 0) return std::nullopt;
        int scale = 0;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            while (pos < text.size() && isDigit(text[pos])) {
                if (++scale > kMaxScale) return std::nullopt;
                magnitude = magnitude * 10 + static_cast<std::uint64_t>(text[pos] - '0');
                ++pos;
            }
            if (scale == 0) return std::nullopt;
        }
        if (pos != text.size()) return std::nullopt;
        return Decimal(magnitude, scale, negative);
    }

    /// The value units × 10^-scale, e.g. fromUnits(123456, 2) is 1234.56 (a
    /// fixed-width field with implied decimals). nullopt for a scale outside 0..4.
    static constexpr std::optional<Decimal> fromUnits(std::int64_t units, int scale) noexcept {
        if (scale < 0 || scale > kMaxScale) return std::nullopt;
        const bool negative = units < 0;
        // Negating in unsigned arithmetic is defined even for INT64_MIN.
        const std::uint64_t magnitude =
            negative ? std::uint64_t{0} - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
        return Decimal(magnitude, scale, negative);
    }

    /// The digits as written: the scale is kept, so "100.10" stays "100.10".
    /// A "-0.00" read from the wire is written back the same way.
    std::string toString() const {
        const std::uint64_t factor = pow10(scale_);
        std::string out = negative_ ? "-" : "";
        out += std::to_string(magnitude_ / factor);
        if (scale_ > 0) {
            std::string fraction = std::to_string(magnitude_ % factor);
            out += '.';
            out.append(static_cast<std::size_t>(scale_) - fraction.size(), '0');
            out += fraction;
        }
        return out;
    }

    constexpr int scale() const noexcept { return scale_; }
    constexpr bool isZero() const noexcept { return magnitude_ == 0; }
    /// Strictly below zero: a "-0.00" read from the wire is not negative.
    constexpr bool isNegative() const noexcept { return negative_ && magnitude_ != 0; }

    constexpr Decimal negated() const noexcept { return Decimal(magnitude_, scale_, !negative_ && magnitude_ != 0); }

    /// Exact sum at the larger of the two scales; nullopt when the magnitude
    /// would exceed 64 bits (a control total that large is itself an error).
    constexpr std::optional<Decimal> plus(const Decimal &other) const noexcept {
        const int scale = scale_ > other.scale_ ? scale_ : other.scale_;
        const std::optional<std::uint64_t> a = magnitudeAt(scale);
        const std::optional<std::uint64_t> b = other.magnitudeAt(scale);
        if (!a || !b) return std::nullopt;
        const bool negA = isNegative();
        const bool negB = other.isNegative();
        if (negA == negB) {
            if (*a > std::numeric_limits<std::uint64_t>::max() - *b) return std::nullopt;
            return Decimal(*a + *b, scale, negA && (*a + *b) != 0);
        }
        if (*a >= *b) return Decimal(*a - *b, scale, negA && *a != *b);
        return Decimal(*b - *a, scale, negB);
    }

    constexpr std::optional<Decimal> minus(const Decimal &other) const noexcept { return plus(other.negated()); }

    /// The value in units of 10^-scale when that is exact and fits an int64,
    /// e.g. for writing a fixed-width field with implied decimals.
    constexpr std::optional<std::int64_t> unitsAt(int scale) const noexcept {
        if (scale < 0 || scale > kMaxScale) return std::nullopt;
        std::uint64_t magnitude = 0;
        if (scale >= scale_) {
            const std::optional<std::uint64_t> scaled = magnitudeAt(scale);
            if (!scaled) return std::nullopt;
            magnitude = *scaled;
        } else {
            const std::uint64_t divisor = pow10(scale_ - scale);
            if (magnitude_ % divisor != 0) return std::nullopt;
            magnitude = magnitude_ / divisor;
        }
        constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (isNegative()) {
            if (magnitude > kMax + 1) return std::nullopt;
            return magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                         : -static_cast<std::int64_t>(magnitude);
        }
        if (magnitude > kMax) return std::nullopt;
        return static_cast<std::int64_t>(magnitude);
    }

    /// Numeric order: "100.1" == "100.10" and "-0" == "0".
    constexpr std::strong_ordering operator<=>(const Decimal &other) const noexcept {
        const bool negA = isNegative();
        const bool negB = other.isNegative();
        if (negA != negB) return negA ? std::strong_ordering::less : std::strong_ordering::greater;
        const std::strong_ordering byMagnitude = compareMagnitude(other);
        return negA ? 0 <=> byMagnitude : byMagnitude;
    }
    constexpr bool operator==(const Decimal &other) const noexcept { return (*this <=> other) == 0; }

    /// Same value written the same way (same scale and sign), i.e. identical toString().
    constexpr bool identical(const Decimal &other) const noexcept {
        return magnitude_ == other.magnitude_ && scale_ == other.scale_ && negative_ == other.negative_;
    }

private:
    constexpr Decimal(std::uint64_t magnitude, int scale, bool negative) noexcept
        : magnitude_(magnitude), scale_(static_cast<std::uint8_t>(scale)), negative_(negative) {}

    static constexpr bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

    static constexpr std::uint64_t pow10(int exponent) noexcept {
        std::uint64_t result = 1;
        for (int i = 0; i < exponent; ++i) result *= 10;
        return result;
    }

    constexpr std::optional<std::uint64_t> magnitudeAt(int scale) const noexcept {
        const std::uint64_t factor = pow10(scale - scale_);
        if (magnitude_ > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
        return magnitude_ * factor;
    }

    // Compares integer parts, then fraction digits padded to kMaxScale, which
    // cannot overflow whatever the two scales are.
    constexpr std::strong_ordering compareMagnitude(const Decimal &other) const noexcept {
        const std::uint64_t factorA = pow10(scale_);
        const std::uint64_t factorB = pow10(other.scale_);
        const std::uint64_t intA = magnitude_ / factorA;
        const std::uint64_t intB = other.magnitude_ / factorB;
        if (intA != intB) return intA <=> intB;
        const std::uint64_t fracA = (magnitude_ % factorA) * pow10(kMaxScale - scale_);
        const std::uint64_t fracB = (other.magnitude_ % factorB) * pow10(kMaxScale - other.scale_);
        return fracA <=> fracB;
    }

    std::uint64_t magnitude_ = 0;
    std::uint8_t scale_ = 0;
    bool negative_ = false;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_DECIMAL_H
