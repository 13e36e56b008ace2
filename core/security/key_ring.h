// The gateway's key ring, created on its first start.
//
// It holds the token key, from which account tokens, case keys and content ids
// are derived, and the data-encryption keys for fields and blobs. The token
// key is never rotated: case keys and duplicate detection depend on it staying
// the same for the life of the journal. Data keys rotate: new data is sealed
// with the current key, and older keys stay to open what they sealed (the key
// ID travels in every ciphertext).
//
// On disk (one file, replaced atomically on rotation):
//
//   <directory>/               mode 0700, owned by the gateway's user
//   <directory>/keyring.json   mode 0600
//   {"format": "lendgate-keyring", "version": 1,
//    "token_key": {"created_at_ms": 1767225600000, "key": "<64 hex digits>"},
//    "data_keys": [{"id": 1, "created_at_ms": 1767225600000, "key": "<64 hex digits>"}],
//    "current_data_key": 1}
//
// Opening refuses a directory or file that group or others can access, a
// symbolic link, or one owned by another user; the error names the path, its
// mode and the fix. Back the file up with the journal: without it, tokens
// cannot be recomputed and encrypted data cannot be read.
#ifndef LENDGATE_SECURITY_KEY_RING_H
#define LENDGATE_SECURITY_KEY_RING_H

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/security/secret.h"

namespace lendgate::security {

inline constexpr const char *kKeyRingFileName = "keyring.json";

class KeyRing {
public:
    /// Opens the key ring in `directory`, creating the directory (0700) and a
    /// new ring (0600) when there is none. Two processes starting at once end
    /// up with the same ring: creation never replaces an existing file.
    /// Error codes: keyring_permissions, keyring_invalid, keyring_io, crypto.
    static Result<std::unique_ptr<KeyRing>> open(const std::filesystem::path &directory, const Clock &clock);

    KeyRing(const KeyRing &) = delete;
    KeyRing &operator=(const KeyRing &) = delete;

    /// The root of every keyed identifier; fixed for the life of the ring.
    const SecretKey &tokenKey() const noexcept { return tokenKey_; }

    /// The key that seals new data, with its ID.
    std::pair<std::uint32_t, SecretKey> currentDataKey() const;
    std::uint32_t currentDataKeyId() const;
    /// Any data key the ring holds, current or older.
    std::optional<SecretKey> dataKey(std::uint32_t id) const;
    std::vector<std::uint32_t> dataKeyIds() const;

    /// Adds a data key and makes it current; the file is replaced atomically
    /// (and durably) before the new key is used. Returns the new key's ID.
    Result<std::uint32_t> rotateDataKey();

    /// Re-reads the file, e.g. after an operator rotated keys with the CLI
    /// while the daemon runs. Refuses a file whose token key differs.
    Result<bool> reload();

    const std::filesystem::path &file() const noexcept { return file_; }

private:
    struct DataKey {
        SecretKey key;
        std::int64_t createdAtMs = 0;
    };
    struct Contents {
        SecretKey tokenKey;
        std::int64_t tokenCreatedAtMs = 0;
        std::map<std::uint32_t, DataKey> dataKeys;
        std::uint32_t current = 0;
    };

    KeyRing(std::filesystem::path directory, const Clock &clock, Contents contents);
    static Result<Contents> load(const std::filesystem::path &file);
    friend struct KeyRingFileParser;  // key_ring.cpp: keeps the JSON library out of this header
    static Result<bool> store(const std::filesystem::path &directory, const Contents &contents, bool createOnly);
    Contents snapshot() const;

    std::filesystem::path directory_;
    std::filesystem::path file_;
    const Clock &clock_;
    const SecretKey tokenKey_;
    const std::int64_t tokenCreatedAtMs_;
    mutable std::shared_mutex mutex_;
    std::map<std::uint32_t, DataKey> dataKeys_;
    std::uint32_t current_ = 0;
};

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_KEY_RING_H
