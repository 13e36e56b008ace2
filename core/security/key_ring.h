// The gateway's key ring, created on its first start.
//
// It holds the token key, from which account tokens, case keys and content ids
// are derived, and the data-encryption keys for fields and blobs. The token
// key is never rotated: case keys and duplicate detection depend on it staying
// the same for the life of the journal. Data keys rotate: new data is sealed
// with the current key, and older keys stay to open what they sealed (the key
// ID travels in every ciphertext).
//
// On disk (one file, replaced atomically on rotation), every key wrapped by
// the master key (master_key.h), bound to its place in the file:
//
//   <directory>/               mode 0700, owned by the gateway's user
//   <directory>/keyring.json   mode 0600
//   {"format": "lendgate-keyring", "version": 2,
//    "master_key": {"id": "<16 hex digits>"},
//    "token_key": {"created_at_ms": 1767225600000, "wrapped": "<hex>"},
//    "data_keys": [{"id": 1, "created_at_ms": 1767225600000, "wrapped": "<hex>"}],
//    "current_data_key": 1}
//   <directory>/master.key     mode 0600, unless LENDGATE_MASTER_KEY supplies it
//
// A version 1 file (keys in the clear) is rewritten wrapped when opened.
// Opening refuses a directory or file that group or others can access, a
// symbolic link, or one owned by another user; the error names the path, its
// mode and the fix. Back the ring up apart from the journal, and the master
// key apart from both: without them tokens cannot be recomputed and
// encrypted data cannot be read.
#ifndef LENDGATE_SECURITY_KEY_RING_H
#define LENDGATE_SECURITY_KEY_RING_H

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/security/master_key.h"
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
    ~KeyRing();

    /// The root of every keyed identifier; fixed for the life of the ring.
    const SecretKey &tokenKey() const noexcept { return tokenKey_; }

    /// The key that seals new data, with its ID.
    std::pair<std::uint32_t, SecretKey> currentDataKey() const;
    std::uint32_t currentDataKeyId() const;
    /// Any data key the ring holds, current or older.
    std::optional<SecretKey> dataKey(std::uint32_t id) const;
    std::vector<std::uint32_t> dataKeyIds() const;

    struct DataKeyInfo {
        std::uint32_t id = 0;
        std::int64_t createdAtMs = 0;
        bool current = false;
    };
    /// What `lendgate keys list` shows: never key material.
    std::vector<DataKeyInfo> dataKeyInfo() const;
    std::int64_t tokenKeyCreatedAtMs() const noexcept { return tokenCreatedAtMs_; }
    struct MasterInfo {
        std::string id;
        std::string source;
        bool fromEnvironment = false;
    };
    MasterInfo masterInfo() const;

    /// Adds a data key and makes it current; the file is replaced atomically
    /// (and durably) before the new key is used. Returns the new key's ID.
    Result<std::uint32_t> rotateDataKey();

    /// Wraps the ring with a new master key; no data is re-encrypted. With
    /// `next` empty a new random key replaces master.key (refused when the
    /// master comes from the environment: pass the next one, read from
    /// LENDGATE_NEW_MASTER_KEY). Returns the new master's ID.
    Result<std::string> rotateMasterKey(std::optional<MasterKey> next = std::nullopt);

    /// Re-reads the file, e.g. after an operator rotated keys with the CLI
    /// while the daemon runs. Refuses a file whose token key differs.
    Result<bool> reload();

    /// reload() if the file changed since this ring last read or wrote it;
    /// true when it did. Cheap enough to call every few seconds.
    Result<bool> reloadIfChanged();

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

    KeyRing(std::filesystem::path directory, const Clock &clock, Contents contents, MasterKey master);
    friend struct KeyRingFileParser;  // key_ring.cpp: keeps the JSON library out of this header
    static Result<bool> store(const std::filesystem::path &file, const Contents &contents, const MasterKey &master,
                              bool createOnly);
    Contents snapshot() const;

    std::filesystem::path directory_;
    std::filesystem::path file_;
    const Clock &clock_;
    const SecretKey tokenKey_;
    const std::int64_t tokenCreatedAtMs_;
    std::string fileStamp() const;  // inode, size and modification time of file_

    mutable std::shared_mutex mutex_;
    std::string stamp_;
    MasterKey master_;
    std::map<std::uint32_t, DataKey> dataKeys_;
    std::uint32_t current_ = 0;
};

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_KEY_RING_H
