// Who is calling, and did they really send these bytes: API keys (stored as
// SHA-256 with a lookup prefix) and HMAC-SHA256 request signatures over
// "timestamp.rawbody" (RELIABILITY.md G9). Used by the partner API for
// requests in and by the webhook transport for requests out.
#ifndef LENDGATE_API_REQUEST_AUTH_H
#define LENDGATE_API_REQUEST_AUTH_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::api {

/// Lowercase hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

struct StoredApiKey {
    std::string partnerId;
    std::string keyId;
    std::string prefix;
    std::string sha256Hex;
    std::optional<std::int64_t> expiresAtUnix;  ///< refused from this second on (rotation overlap)
};

/// Finds the partner an API key belongs to. Keys are never held in the clear;
/// the comparison of hashes takes the same time whatever the input.
class ApiKeyVerifier {
public:
    explicit ApiKeyVerifier(std::vector<StoredApiKey> keys) : keys_(std::move(keys)) {}

    /// The matching key for a bearer token, or nullopt. Ignores expiry (keys
    /// without expires_at, such as admin tokens).
    std::optional<StoredApiKey> verify(std::string_view token) const;

    /// The matching key unless it has expired at `nowUnixSeconds`; an expired
    /// match answers nullopt like an unknown key, and `expired` names it.
    std::optional<StoredApiKey> verify(std::string_view token, std::int64_t nowUnixSeconds,
                                       std::optional<StoredApiKey> &expired) const;

    /// The token from an "Authorization: Bearer TOKEN" header value.
    static std::optional<std::string_view> bearerToken(std::string_view authorization);

private:
    std::vector<StoredApiKey> keys_;
};

enum class SignatureCheck { Valid, Missing, Malformed, OutsideTolerance, Mismatch };

std::string_view toString(SignatureCheck check);

/// Header value for an outgoing request: "t=TIMESTAMP,v1=HEX".
std::string signRequest(std::string_view secret, std::int64_t unixSeconds, std::string_view rawBody);

/// The same with one v1 per secret, in order: "t=TIMESTAMP,v1=HEX,v1=HEX".
/// During a rotation a sender signs with the new and the old secret, so a
/// receiver holding either one verifies (verifyRequestSignature accepts any v1).
std::string signRequestWithEach(const std::vector<std::string> &secrets, std::int64_t unixSeconds,
                                std::string_view rawBody);

/// A request-signing secret and, while it is being rotated out, when it stops counting.
struct SigningSecret {
    std::string value;
    std::optional<std::int64_t> expiresAtUnix;
};

/// Checks a "t=TIMESTAMP,v1=HEX[,v1=HEX...]" header against every secret
/// currently valid (two during a rotation), within ±`toleranceSeconds` of
/// `nowUnixSeconds`. Any v1 matching any secret is valid.
SignatureCheck verifyRequestSignature(std::string_view header, std::string_view rawBody,
                                      const std::vector<std::string> &secrets, std::int64_t nowUnixSeconds,
                                      std::int64_t toleranceSeconds = 300);

/// The same over the secrets not yet expired at `nowUnixSeconds`.
SignatureCheck verifyRotatingSignature(std::string_view header, std::string_view rawBody,
                                       const std::vector<SigningSecret> &secrets, std::int64_t nowUnixSeconds,
                                       std::int64_t toleranceSeconds = 300);

}  // namespace lendgate::api

#endif  // LENDGATE_API_REQUEST_AUTH_H
