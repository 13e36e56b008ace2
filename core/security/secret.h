// Secret key material and the system's random source.
//
// A SecretKey is wiped when destroyed and has no way to be printed, so key
// bytes do not linger in freed memory or end up in a log line by accident.
#ifndef LENDGATE_SECURITY_SECRET_H
#define LENDGATE_SECURITY_SECRET_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace lendgate::security {

/// Every key the gateway holds is 256 bits: AES-256 and HMAC-SHA256 keys alike.
inline constexpr std::size_t kKeyBytes = 32;

class SecretKey {
public:
    SecretKey() = default;
    explicit SecretKey(std::span<const std::uint8_t, kKeyBytes> bytes);
    SecretKey(const SecretKey &other) = default;
    SecretKey &operator=(const SecretKey &other) = default;
    ~SecretKey();

    /// 32 bytes from OpenSSL's CSPRNG.
    static Result<SecretKey> random();

    std::span<const std::uint8_t, kKeyBytes> bytes() const noexcept { return bytes_; }
    const std::uint8_t *data() const noexcept { return bytes_.data(); }
    static constexpr std::size_t size() noexcept { return kKeyBytes; }

private:
    std::array<std::uint8_t, kKeyBytes> bytes_{};
};

/// Fills `out` from OpenSSL's RAND_bytes (seeded from the kernel).
Result<bool> randomBytes(std::span<std::uint8_t> out);

/// Overwrites a string that held key material (in a way the compiler keeps) and empties it.
void wipe(std::string &secret) noexcept;

/// Compares in time that depends only on the lengths, for MACs and API key hashes.
bool constantTimeEqual(std::string_view a, std::string_view b) noexcept;

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_SECRET_H
