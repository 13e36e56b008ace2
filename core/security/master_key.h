// The master key: it wraps every key in the key ring file, so the file alone
// (in a backup, or copied off a disk) opens nothing.
//
// It comes from the environment (LENDGATE_MASTER_KEY, 64 hexadecimal digits),
// or from the file LENDGATE_MASTER_KEY_FILE names (a systemd credential),
// which is how a service manager or a secrets store should supply it, or else
// from `master.key` (mode 0600) beside the ring, which the first start creates
// when the environment gives none. Its ID (16 hex digits derived from the key)
// is recorded in the ring file, so a wrong master key is named as such
// instead of failing as corrupt data.
//
// Rotating the master re-wraps the ring's keys; nothing sealed with them is
// re-encrypted. With a file master the rotation is crash-safe: the new key is
// written to `master.key.next` first, the ring is re-wrapped, and only then
// does `master.key.next` replace `master.key`; opening finishes a rotation a
// crash interrupted.
#ifndef LENDGATE_SECURITY_MASTER_KEY_H
#define LENDGATE_SECURITY_MASTER_KEY_H

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/security/secret.h"

namespace lendgate::security {

inline constexpr const char *kMasterKeyEnv = "LENDGATE_MASTER_KEY";
/// A file holding the master key, such as a systemd credential
/// (LoadCredential=), when the key itself should not be in the environment.
inline constexpr const char *kMasterKeyFileEnv = "LENDGATE_MASTER_KEY_FILE";
/// Where `lendgate keys rotate --master` takes the next master from when the
/// current one comes from the environment.
inline constexpr const char *kNewMasterKeyEnv = "LENDGATE_NEW_MASTER_KEY";
inline constexpr const char *kMasterKeyFileName = "master.key";
inline constexpr const char *kNextMasterKeyFileName = "master.key.next";

struct MasterKey {
    SecretKey key;
    std::string id;      ///< 16 hex digits, safe to print and log
    std::string source;  ///< "environment LENDGATE_MASTER_KEY" or the file's path
    bool fromEnvironment = false;
};

/// The ID recorded in the ring file for `key`.
std::string masterKeyId(const SecretKey &key);

/// A master key from 64 hexadecimal digits (surrounding white space ignored).
/// Error code keyring_master; the message never quotes the text.
Result<MasterKey> masterKeyFromHex(std::string_view text, std::string source, bool fromEnvironment);

/// The environment's master key if LENDGATE_MASTER_KEY is set, else the one
/// in the file LENDGATE_MASTER_KEY_FILE names, else the one in `directory`'s
/// master.key if there is one, else nullopt. Both environment forms count
/// as "from the environment": rotation does not replace them.
Result<std::optional<MasterKey>> findMasterKey(const std::filesystem::path &directory);

/// Reads a master key file (0600, owned by the gateway's user, not a link).
Result<MasterKey> readMasterKeyFile(const std::filesystem::path &file);

/// Writes a new random master key to `file` (0600, fsynced). With
/// createOnly, an existing file is kept and read back instead, so two
/// processes starting at once share one master.
Result<MasterKey> writeNewMasterKeyFile(const std::filesystem::path &file, bool createOnly);

/// Seals `key` under the master (AES-256-GCM, random nonce); `label` (e.g.
/// "data_key/3") is bound as associated data so wrapped keys cannot be
/// swapped between places in the file. Hex of nonce, ciphertext and tag.
Result<std::string> wrapKey(const MasterKey &master, const SecretKey &key, std::string_view label);

/// Opens what wrapKey sealed. Error code keyring_master when the master is
/// not the one that wrapped it or the text was altered.
Result<SecretKey> unwrapKey(const MasterKey &master, std::string_view wrapped, std::string_view label);

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_MASTER_KEY_H
