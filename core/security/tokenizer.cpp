#include "core/security/tokenizer.h"

#include <span>

#include "core/security/encoding.h"
#include "core/security/key_ring.h"

namespace lendgate::security {
namespace {

constexpr std::string_view kTokenPurpose = "lendgate/account-token/v1";
constexpr std::string_view kCaseKeyPurpose = "lendgate/case-key/v1";
constexpr std::string_view kContentIdPurpose = "lendgate/content-id/v1";
constexpr std::string_view kTokenPrefix = "tok1:";
constexpr std::size_t kTokenDigestBytes = 20;
constexpr std::size_t kMaxLenderBytes = 64;
constexpr std::size_t kMaxAccountBytes = 64;
constexpr std::size_t kMaxTokenBytes = 128;

Result<HmacSha256> keyedMac(const KeyRing &ring, std::string_view purpose) {
    auto key = deriveKey(ring.tokenKey(), purpose);
    if (!key) return key.error();
    return HmacSha256(key.value());
}

/// Length-prefixed, so ("ab", "c") and ("a", "bc") never collide.
void feed(HmacSha256 &mac, std::string_view field) {
    const auto n = static_cast<std::uint32_t>(field.size());
    const std::uint8_t length[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                    static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    mac.update(std::span<const std::uint8_t>(length));
    mac.update(field);
}

std::string_view trimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool hasControl(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    }
    return false;
}

std::optional<Error> checkField(std::string_view what, std::string_view value, std::size_t maxBytes) {
    if (value.empty()) return Error{"invalid_argument", std::string(what) + " is empty"};
    if (value.size() > maxBytes) {
        return Error{"invalid_argument", std::string(what) + " is longer than " + std::to_string(maxBytes) + " bytes"};
    }
    if (hasControl(value)) return Error{"invalid_argument", std::string(what) + " contains control characters"};
    return std::nullopt;
}

}  // namespace

Result<AccountTokenizer> AccountTokenizer::create(const KeyRing &ring) {
    auto tokenMac = keyedMac(ring, kTokenPurpose);
    if (!tokenMac) return tokenMac.error();
    auto caseMac = keyedMac(ring, kCaseKeyPurpose);
    if (!caseMac) return caseMac.error();
    return AccountTokenizer(std::move(tokenMac).value(), std::move(caseMac).value());
}

Result<std::string> AccountTokenizer::token(std::string_view lenderId, std::string_view accountNumber) const {
    if (auto bad = checkField("lender id", lenderId, kMaxLenderBytes)) return *bad;
    const std::string_view account = trimBlanks(accountNumber);
    if (auto bad = checkField("account number", account, kMaxAccountBytes)) return *bad;
    HmacSha256 mac(tokenMac_);
    feed(mac, lenderId);
    feed(mac, account);
    auto digest = mac.finish();
    if (!digest) return digest.error();
    return std::string(kTokenPrefix) + toBase32Lower(std::span(digest.value().data(), kTokenDigestBytes));
}

Result<std::string> AccountTokenizer::caseKey(std::string_view lenderId, std::string_view accountToken) const {
    if (auto bad = checkField("lender id", lenderId, kMaxLenderBytes)) return *bad;
    if (auto bad = checkField("account token", accountToken, kMaxTokenBytes)) return *bad;
    HmacSha256 mac(caseMac_);
    feed(mac, lenderId);
    feed(mac, accountToken);
    auto digest = mac.finish();
    if (!digest) return digest.error();
    return toCrockford128(std::span<const std::uint8_t, 16>(digest.value().data(), 16));
}

Result<ContentHasher> ContentHasher::create(const KeyRing &ring) {
    auto mac = keyedMac(ring, kContentIdPurpose);
    if (!mac) return mac.error();
    return ContentHasher(std::move(mac).value());
}

Result<std::string> ContentHasher::finish() {
    auto digest = mac_.finish();
    if (!digest) return digest.error();
    return toHex(digest.value());
}

Result<std::string> ContentHasher::of(std::string_view data) const {
    HmacSha256 mac(mac_);
    mac.update(data);
    auto digest = mac.finish();
    if (!digest) return digest.error();
    return toHex(digest.value());
}

}  // namespace lendgate::security
