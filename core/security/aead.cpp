#include "core/security/aead.h"

#include <algorithm>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/security/key_ring.h"

namespace lendgate::security {
namespace {

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

Error cryptoFailure() { return Error{"crypto", "OpenSSL AES-256-GCM failed"}; }

const unsigned char *bytes(std::string_view text) { return reinterpret_cast<const unsigned char *>(text.data()); }

// EVP lengths are ints; feed larger inputs in slices.
constexpr std::size_t kSlice = 1u << 30;

void putU32(std::string &out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::uint32_t getU32(std::string_view in) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(in[static_cast<std::size_t>(i)]);
    return value;
}

/// GCM's associated data: the header's version and key ID, then the caller's.
std::string headerAad(std::string_view header, std::string_view aad) {
    std::string full(header.substr(0, 5));
    full.append(aad);
    return full;
}

}  // namespace

Result<bool> aesGcmSeal(const SecretKey &key, const GcmNonce &nonce, std::string_view plaintext,
                        std::string_view aad, char *out) {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
        return cryptoFailure();
    }
    int n = 0;
    for (std::size_t done = 0; done < aad.size(); done += kSlice) {
        const std::string_view part = aad.substr(done, kSlice);
        if (EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes(part), static_cast<int>(part.size())) != 1) {
            return cryptoFailure();
        }
    }
    auto *cursor = reinterpret_cast<unsigned char *>(out);
    for (std::size_t done = 0; done < plaintext.size(); done += kSlice) {
        const std::string_view part = plaintext.substr(done, kSlice);
        if (EVP_EncryptUpdate(ctx.get(), cursor, &n, bytes(part), static_cast<int>(part.size())) != 1) {
            return cryptoFailure();
        }
        cursor += n;
    }
    if (EVP_EncryptFinal_ex(ctx.get(), cursor, &n) != 1) return cryptoFailure();
    cursor += n;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes), cursor) != 1) {
        return cryptoFailure();
    }
    return true;
}

Result<bool> aesGcmOpen(const SecretKey &key, const GcmNonce &nonce, std::string_view sealed, std::string_view aad,
                        char *out) {
    if (sealed.size() < kGcmTagBytes) return Error{"malformed", "sealed data is shorter than its tag"};
    const std::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagBytes);
    unsigned char tag[kGcmTagBytes];
    std::copy(sealed.end() - kGcmTagBytes, sealed.end(), tag);

    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
        return cryptoFailure();
    }
    int n = 0;
    for (std::size_t done = 0; done < aad.size(); done += kSlice) {
        const std::string_view part = aad.substr(done, kSlice);
        if (EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes(part), static_cast<int>(part.size())) != 1) {
            return cryptoFailure();
        }
    }
    auto *cursor = reinterpret_cast<unsigned char *>(out);
    for (std::size_t done = 0; done < ciphertext.size(); done += kSlice) {
        const std::string_view part = ciphertext.substr(done, kSlice);
        if (EVP_DecryptUpdate(ctx.get(), cursor, &n, bytes(part), static_cast<int>(part.size())) != 1) {
            return cryptoFailure();
        }
        cursor += n;
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes), tag) != 1) {
        return cryptoFailure();
    }
    if (EVP_DecryptFinal_ex(ctx.get(), cursor, &n) != 1) {
        // Unauthenticated plaintext must not be used, so none is left behind.
        OPENSSL_cleanse(out, ciphertext.size());
        return Error{"decrypt_failed", "authentication failed: the data was altered or sealed under another key"};
    }
    return true;
}

Result<std::string> DataCipher::encrypt(std::string_view plaintext, std::string_view aad) const {
    auto [id, key] = ring_.currentDataKey();
    return sealWith(id, key, plaintext, aad);
}

Result<std::string> DataCipher::encrypt(std::uint32_t keyId, std::string_view plaintext, std::string_view aad) const {
    auto key = ring_.dataKey(keyId);
    if (!key) return Error{"unknown_key", "data key " + std::to_string(keyId) + " is not in the key ring"};
    return sealWith(keyId, *key, plaintext, aad);
}

Result<std::string> DataCipher::sealWith(std::uint32_t keyId, const SecretKey &key, std::string_view plaintext,
                                         std::string_view aad) const {
    GcmNonce nonce{};
    if (auto ok = randomBytes(nonce); !ok) return ok.error();
    std::string sealed;
    sealed.reserve(kOverhead + plaintext.size());
    sealed.push_back(static_cast<char>(kFormatVersion));
    putU32(sealed, keyId);
    sealed.append(reinterpret_cast<const char *>(nonce.data()), nonce.size());
    sealed.resize(kHeaderBytes + plaintext.size() + kGcmTagBytes);
    auto ok = aesGcmSeal(key, nonce, plaintext, headerAad(sealed, aad), sealed.data() + kHeaderBytes);
    if (!ok) return ok.error();
    return sealed;
}

Result<std::string> DataCipher::decrypt(std::string_view sealed, std::string_view aad) const {
    auto keyId = keyIdOf(sealed);
    if (!keyId) return Error{"malformed", "not a sealed value of format version 1"};
    auto key = ring_.dataKey(*keyId);
    if (!key) return Error{"unknown_key", "data key " + std::to_string(*keyId) + " is not in the key ring"};
    GcmNonce nonce{};
    std::copy(sealed.begin() + 5, sealed.begin() + static_cast<std::ptrdiff_t>(kHeaderBytes), nonce.begin());
    std::string plaintext(sealed.size() - kOverhead, '\0');
    auto ok = aesGcmOpen(*key, nonce, sealed.substr(kHeaderBytes), headerAad(sealed, aad), plaintext.data());
    if (!ok) return ok.error();
    return plaintext;
}

std::optional<std::uint32_t> DataCipher::keyIdOf(std::string_view sealed) {
    if (sealed.size() < kOverhead || static_cast<std::uint8_t>(sealed[0]) != kFormatVersion) return std::nullopt;
    return getU32(sealed.substr(1, 4));
}

}  // namespace lendgate::security
