// HMAC-SHA256 and SHA-256 over OpenSSL 3's EVP interfaces (HMAC_CTX is
// deprecated there, and deprecation warnings are errors in this tree).
#ifndef LENDGATE_SECURITY_HMAC_H
#define LENDGATE_SECURITY_HMAC_H

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/common/result.h"
#include "core/security/secret.h"

struct evp_mac_ctx_st;
struct evp_md_ctx_st;

namespace lendgate::security {

using Digest = std::array<std::uint8_t, 32>;

/// Incremental HMAC-SHA256. A failure inside OpenSSL (only allocation, in
/// practice) is remembered and reported by finish(), so update() stays cheap
/// to call in loops.
class HmacSha256 {
public:
    explicit HmacSha256(std::span<const std::uint8_t> key);
    explicit HmacSha256(const SecretKey &key) : HmacSha256(key.bytes()) {}
    /// Copies the keyed state: keep one keyed instance and copy it per
    /// message, which skips OpenSSL's algorithm lookup and key setup.
    HmacSha256(const HmacSha256 &other);
    HmacSha256(HmacSha256 &&other) noexcept;
    HmacSha256 &operator=(const HmacSha256 &) = delete;
    HmacSha256 &operator=(HmacSha256 &&) = delete;
    ~HmacSha256();

    void update(std::string_view data);
    void update(std::span<const std::uint8_t> data);
    /// The MAC of everything passed to update(). Call once.
    Result<Digest> finish();

private:
    evp_mac_ctx_st *ctx_ = nullptr;
    bool failed_ = false;
};

/// One-shot HMAC-SHA256.
Result<Digest> hmacSha256(const SecretKey &key, std::string_view data);

/// A key for one purpose, derived from a root key as HMAC(root, purpose), so
/// that tokens, case keys and content ids made from the same root never share
/// a key and cannot be compared with each other.
Result<SecretKey> deriveKey(const SecretKey &root, std::string_view purpose);

/// Incremental SHA-256 (for digests a partner compares, such as an ACK's file hash).
class Sha256 {
public:
    Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    ~Sha256();

    void update(std::string_view data);
    Result<Digest> finish();

private:
    evp_md_ctx_st *ctx_ = nullptr;
    bool failed_ = false;
};

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_HMAC_H
