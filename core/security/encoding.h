// Text encodings for keys, digests and identifiers.
#ifndef LENDGATE_SECURITY_ENCODING_H
#define LENDGATE_SECURITY_ENCODING_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lendgate::security {

/// Lower-case hexadecimal.
std::string toHex(std::span<const std::uint8_t> bytes);
std::string toHex(std::string_view bytes);

/// Decodes hexadecimal (either case) into raw bytes; nullopt on odd length or
/// a non-hex character.
std::optional<std::string> fromHex(std::string_view hex);

/// RFC 4648 base32 in lower case without padding: letters and the digits 2-7,
/// so the result fits identifier patterns such as the account token's.
std::string toBase32Lower(std::span<const std::uint8_t> bytes);

/// 16 bytes as 26 characters of Crockford base32, most significant first: the
/// text form of a ULID (the first character is always 0-7).
std::string toCrockford128(std::span<const std::uint8_t, 16> bytes);

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_ENCODING_H
