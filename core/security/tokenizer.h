// Keyed identifiers derived from the key ring's token key.
//
// An account number becomes a token right after decoding, before anything is
// journaled; the case key is derived from (lender, token); a raw input's
// content id names its blob and recognises a resent file. All three are
// HMAC-SHA256 under their own key derived from the token key, so they are
// deterministic for one gateway, reveal nothing without the key, and differ
// between gateways.
#ifndef LENDGATE_SECURITY_TOKENIZER_H
#define LENDGATE_SECURITY_TOKENIZER_H

#include <string>
#include <string_view>
#include <utility>

#include "core/common/result.h"
#include "core/security/hmac.h"

namespace lendgate::security {

class KeyRing;

/// Turns account numbers into tokens and tokens into case keys. Copyable and
/// safe to use from several threads at once (each call copies the keyed state).
class AccountTokenizer {
public:
    static Result<AccountTokenizer> create(const KeyRing &ring);

    /// "tok1:" followed by 32 base32 characters (160 bits of the HMAC), which
    /// fits the model's account_token pattern ^[A-Za-z0-9_.:-]{1,128}$. The
    /// lender is part of the input, so one account number at two lenders gives
    /// two tokens. Surrounding spaces and tabs are ignored; anything else is
    /// significant, so a plugin must emit the lender's own form of the number.
    /// Errors (code invalid_argument) name the problem, never the value.
    Result<std::string> token(std::string_view lenderId, std::string_view accountNumber) const;

    /// The case key of (lender, account token): 128 bits of the HMAC written
    /// like a ULID (26 Crockford base32 characters), so it fits the envelope's
    /// case_id. It is stable for an account: the lifecycle issue maps it to
    /// one case per delinquency episode.
    Result<std::string> caseKey(std::string_view lenderId, std::string_view accountToken) const;

private:
    AccountTokenizer(HmacSha256 tokenMac, HmacSha256 caseMac)
        : tokenMac_(std::move(tokenMac)), caseMac_(std::move(caseMac)) {}

    HmacSha256 tokenMac_;
    HmacSha256 caseMac_;
};

/// The content id of a raw input: HMAC-SHA256 of its plaintext as 64
/// lower-case hex digits. Feed it incrementally while the input streams in.
class ContentHasher {
public:
    static Result<ContentHasher> create(const KeyRing &ring);

    void update(std::string_view data) { mac_.update(data); }
    /// Call once.
    Result<std::string> finish();
    /// The content id of `data`, leaving this hasher untouched.
    Result<std::string> of(std::string_view data) const;

private:
    explicit ContentHasher(HmacSha256 mac) : mac_(std::move(mac)) {}

    HmacSha256 mac_;
};

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_TOKENIZER_H
