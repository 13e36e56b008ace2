#include "core/security/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace lendgate::security {
namespace {

Error cryptoFailure(std::string_view what) { return Error{"crypto", "OpenSSL failed to compute " + std::string(what)}; }

}  // namespace

HmacSha256::HmacSha256(std::span<const std::uint8_t> key) {
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (mac == nullptr) {
        failed_ = true;
        return;
    }
    ctx_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
    char digest[] = OSSL_DIGEST_NAME_SHA2_256;
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (ctx_ == nullptr || EVP_MAC_init(ctx_, key.data(), key.size(), params) != 1) failed_ = true;
}

HmacSha256::HmacSha256(const HmacSha256 &other) : failed_(other.failed_) {
    if (other.ctx_ != nullptr) ctx_ = EVP_MAC_CTX_dup(other.ctx_);
    if (ctx_ == nullptr) failed_ = true;
}

HmacSha256::HmacSha256(HmacSha256 &&other) noexcept : ctx_(other.ctx_), failed_(other.failed_) {
    other.ctx_ = nullptr;
    other.failed_ = true;
}

HmacSha256::~HmacSha256() { EVP_MAC_CTX_free(ctx_); }

void HmacSha256::update(std::string_view data) {
    update(std::span(reinterpret_cast<const std::uint8_t *>(data.data()), data.size()));
}

void HmacSha256::update(std::span<const std::uint8_t> data) {
    if (failed_ || data.empty()) return;
    if (EVP_MAC_update(ctx_, data.data(), data.size()) != 1) failed_ = true;
}

Result<Digest> HmacSha256::finish() {
    Digest out{};
    std::size_t written = 0;
    if (failed_ || EVP_MAC_final(ctx_, out.data(), &written, out.size()) != 1 || written != out.size()) {
        failed_ = true;
        return cryptoFailure("an HMAC-SHA256");
    }
    failed_ = true;  // a finished context cannot take more data
    return out;
}

Result<Digest> hmacSha256(const SecretKey &key, std::string_view data) {
    HmacSha256 mac(key);
    mac.update(data);
    return mac.finish();
}

Result<SecretKey> deriveKey(const SecretKey &root, std::string_view purpose) {
    auto digest = hmacSha256(root, purpose);
    if (!digest) return digest.error();
    static_assert(std::tuple_size_v<Digest> == kKeyBytes);
    SecretKey key(digest.value());
    OPENSSL_cleanse(digest.value().data(), digest.value().size());
    return key;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) failed_ = true;
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::update(std::string_view data) {
    if (failed_ || data.empty()) return;
    if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) failed_ = true;
}

Result<Digest> Sha256::finish() {
    Digest out{};
    unsigned int written = 0;
    if (failed_ || EVP_DigestFinal_ex(ctx_, out.data(), &written) != 1 || written != out.size()) {
        failed_ = true;
        return cryptoFailure("a SHA-256 digest");
    }
    failed_ = true;
    return out;
}

}  // namespace lendgate::security
