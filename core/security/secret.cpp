#include "core/security/secret.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace lendgate::security {

SecretKey::SecretKey(std::span<const std::uint8_t, kKeyBytes> bytes) {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<SecretKey> SecretKey::random() {
    std::array<std::uint8_t, kKeyBytes> bytes{};
    if (auto filled = randomBytes(bytes); !filled) return filled.error();
    SecretKey key(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

Result<bool> randomBytes(std::span<std::uint8_t> out) {
    // RAND_bytes takes an int; keys and nonces are tiny, but guard anyway.
    constexpr std::size_t kMaxChunk = 1u << 30;
    for (std::size_t done = 0; done < out.size();) {
        const std::size_t n = std::min(kMaxChunk, out.size() - done);
        if (RAND_bytes(out.data() + done, static_cast<int>(n)) != 1) {
            return Error{"crypto", "the system random generator (OpenSSL RAND_bytes) failed"};
        }
        done += n;
    }
    return true;
}

void wipe(std::string &secret) noexcept {
    OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

bool constantTimeEqual(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lendgate::security
