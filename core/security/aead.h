// Authenticated encryption: AES-256-GCM over OpenSSL EVP (Poco::Crypto 1.11
// cannot pass associated data to GCM).
//
// Two layers. aesGcmSeal/aesGcmOpen take a key and a nonce and suit callers
// that manage nonces themselves, such as the blob store's chunk counter.
// DataCipher seals with the key ring's current data key and a random nonce,
// and writes a self-describing header so any ring key can open it later:
//
//   byte 0       format version (1)
//   bytes 1-4    data key ID, big-endian
//   bytes 5-16   nonce
//   bytes 17-    ciphertext, then the 16-byte tag
//
// The version and key ID are authenticated together with the caller's
// associated data, which should bind the value to where it belongs (e.g.
// "message:<id>/ssn"), so a ciphertext moved elsewhere fails to open. With
// random 96-bit nonces a key should seal at most 2^32 values; rotate before.
#ifndef LENDGATE_SECURITY_AEAD_H
#define LENDGATE_SECURITY_AEAD_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/security/secret.h"

namespace lendgate::security {

class KeyRing;

inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;
using GcmNonce = std::array<std::uint8_t, kGcmNonceBytes>;

/// Writes plaintext.size() + kGcmTagBytes bytes to `out`: the ciphertext, then the tag.
Result<bool> aesGcmSeal(const SecretKey &key, const GcmNonce &nonce, std::string_view plaintext,
                        std::string_view aad, char *out);

/// Writes sealed.size() - kGcmTagBytes bytes to `out`. Fails with code
/// "decrypt_failed" when the data, the associated data or the tag was altered,
/// or the key is not the one that sealed it; `out` is then zeroed.
Result<bool> aesGcmOpen(const SecretKey &key, const GcmNonce &nonce, std::string_view sealed, std::string_view aad,
                        char *out);

class DataCipher {
public:
    static constexpr std::uint8_t kFormatVersion = 1;
    static constexpr std::size_t kHeaderBytes = 1 + 4 + kGcmNonceBytes;
    static constexpr std::size_t kOverhead = kHeaderBytes + kGcmTagBytes;

    /// The ring must outlive the cipher.
    explicit DataCipher(const KeyRing &ring) : ring_(ring) {}

    /// Seals with the ring's current data key.
    Result<std::string> encrypt(std::string_view plaintext, std::string_view aad) const;
    /// Seals with a given ring key (re-encryption jobs, tests). Error "unknown_key" if absent.
    Result<std::string> encrypt(std::uint32_t keyId, std::string_view plaintext, std::string_view aad) const;
    /// Opens a value sealed by either encrypt(). Error codes: malformed,
    /// unknown_key (the message names the key ID), decrypt_failed.
    Result<std::string> decrypt(std::string_view sealed, std::string_view aad) const;

    /// The data key ID in a sealed value's header, to find values a rotation
    /// should re-encrypt; nullopt if it is not a sealed value of this format.
    static std::optional<std::uint32_t> keyIdOf(std::string_view sealed);

private:
    Result<std::string> sealWith(std::uint32_t keyId, const SecretKey &key, std::string_view plaintext,
                                 std::string_view aad) const;

    const KeyRing &ring_;
};

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_AEAD_H
