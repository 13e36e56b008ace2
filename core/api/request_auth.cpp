#include "core/api/request_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <charconv>
#include <span>

#include "core/security/encoding.h"

namespace lendgate::api {

namespace {

bool constantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hmacHex(std::string_view secret, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char *>(message.data()), message.size(), mac, &length);
    return security::toHex(std::span<const std::uint8_t>(mac, length));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    return security::toHex(std::span<const std::uint8_t>(digest, length));
}

std::optional<StoredApiKey> ApiKeyVerifier::verify(std::string_view token, std::int64_t nowUnixSeconds,
                                                   std::optional<StoredApiKey> &expired) const {
    expired.reset();
    auto match = verify(token);
    if (match && match->expiresAtUnix && nowUnixSeconds >= *match->expiresAtUnix) {
        expired = std::move(match);
        return std::nullopt;
    }
    return match;
}

std::optional<StoredApiKey> ApiKeyVerifier::verify(std::string_view token) const {
    if (token.empty() || token.size() > 256) return std::nullopt;
    const std::string hash = sha256Hex(token);
    std::optional<StoredApiKey> match;
    // Every key with a matching prefix is compared, so timing does not reveal
    // which of them was closest.
    for (const StoredApiKey &key : keys_) {
        if (token.substr(0, key.prefix.size()) != key.prefix) continue;
        if (constantTimeEquals(hash, key.sha256Hex) && !match) match = key;
    }
    return match;
}

std::optional<std::string_view> ApiKeyVerifier::bearerToken(std::string_view authorization) {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
            std::tolower(static_cast<unsigned char>(scheme[i])))
            return std::nullopt;
    std::string_view token = trim(authorization.substr(scheme.size()));
    if (token.empty()) return std::nullopt;
    return token;
}

std::string_view toString(SignatureCheck check) {
    switch (check) {
        case SignatureCheck::Valid: return "valid";
        case SignatureCheck::Missing: return "missing";
        case SignatureCheck::Malformed: return "malformed";
        case SignatureCheck::OutsideTolerance: return "outside_tolerance";
        case SignatureCheck::Mismatch: return "mismatch";
    }
    return "malformed";
}

std::string signRequest(std::string_view secret, std::int64_t unixSeconds, std::string_view rawBody) {
    return signRequestWithEach({std::string(secret)}, unixSeconds, rawBody);
}

std::string signRequestWithEach(const std::vector<std::string> &secrets, std::int64_t unixSeconds,
                                std::string_view rawBody) {
    const std::string timestamp = std::to_string(unixSeconds);
    std::string message = timestamp + ".";
    message.append(rawBody);
    std::string header = "t=" + timestamp;
    for (const std::string &secret : secrets) header += ",v1=" + hmacHex(secret, message);
    return header;
}

SignatureCheck verifyRequestSignature(std::string_view header, std::string_view rawBody,
                                      const std::vector<std::string> &secrets, std::int64_t nowUnixSeconds,
                                      std::int64_t toleranceSeconds) {
    if (trim(header).empty()) return SignatureCheck::Missing;
    std::optional<std::int64_t> timestamp;
    std::string_view timestampText;
    std::vector<std::string_view> signatures;
    while (!header.empty()) {
        std::size_t comma = header.find(',');
        std::string_view part = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (part.rfind("t=", 0) == 0) {
            timestampText = part.substr(2);
            std::int64_t value = 0;
            auto [end, ec] = std::from_chars(timestampText.data(), timestampText.data() + timestampText.size(), value);
            if (ec != std::errc{} || end != timestampText.data() + timestampText.size())
                return SignatureCheck::Malformed;
            timestamp = value;
        } else if (part.rfind("v1=", 0) == 0) {
            signatures.push_back(part.substr(3));
        }
    }
    if (!timestamp || signatures.empty()) return SignatureCheck::Malformed;
    std::int64_t skew = nowUnixSeconds - *timestamp;
    if (skew > toleranceSeconds || skew < -toleranceSeconds) return SignatureCheck::OutsideTolerance;
    std::string message(timestampText);
    message.push_back('.');
    message.append(rawBody);
    bool valid = false;
    for (const std::string &secret : secrets) {
        const std::string expected = hmacHex(secret, message);
        for (std::string_view candidate : signatures) valid |= constantTimeEquals(expected, candidate);
    }
    return valid ? SignatureCheck::Valid : SignatureCheck::Mismatch;
}

SignatureCheck verifyRotatingSignature(std::string_view header, std::string_view rawBody,
                                       const std::vector<SigningSecret> &secrets, std::int64_t nowUnixSeconds,
                                       std::int64_t toleranceSeconds) {
    std::vector<std::string> valid;
    for (const SigningSecret &secret : secrets)
        if (!secret.expiresAtUnix || nowUnixSeconds < *secret.expiresAtUnix) valid.push_back(secret.value);
    return verifyRequestSignature(header, rawBody, valid, nowUnixSeconds, toleranceSeconds);
}

}  // namespace lendgate::api
