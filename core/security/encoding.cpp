#include "core/security/encoding.h"

namespace lendgate::security {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase32Lower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string toHex(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(kHexDigits[b >> 4]);
        out.push_back(kHexDigits[b & 0x0f]);
    }
    return out;
}

std::string toHex(std::string_view bytes) {
    return toHex(std::span(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size()));
}

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hexValue(hex[i]);
        const int lo = hexValue(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>((hi << 4) | lo));
    }
    return out;
}

std::string toBase32Lower(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(kBase32Lower[(buffer >> (bits - 5)) & 0x1f]);
            bits -= 5;
        }
    }
    if (bits > 0) out.push_back(kBase32Lower[(buffer << (5 - bits)) & 0x1f]);
    return out;
}

std::string toCrockford128(std::span<const std::uint8_t, 16> bytes) {
    // 26 characters carry 130 bits: the number is read as if it had two
    // leading zero bits, so character i holds bits [5i - 2, 5i + 3) of the 128.
    std::string out(26, '0');
    for (int i = 0; i < 26; ++i) {
        int value = 0;
        for (int k = 0; k < 5; ++k) {
            const int bit = i * 5 + k - 2;  // index into the 128 bits, MSB first
            value <<= 1;
            if (bit >= 0) value |= (bytes[static_cast<std::size_t>(bit / 8)] >> (7 - bit % 8)) & 1;
        }
        out[static_cast<std::size_t>(i)] = kCrockford[static_cast<std::size_t>(value)];
    }
    return out;
}

}  // namespace lendgate::security
