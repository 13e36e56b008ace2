#include "core/security/master_key.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/security/aead.h"
#include "core/security/encoding.h"
#include "core/security/hmac.h"
#include "core/security/private_files.h"

namespace lendgate::security {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kIdPurpose = "lendgate master key id";
constexpr std::string_view kWrapAadPrefix = "lendgate-keyring/";

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string masterKeyId(const SecretKey &key) {
    auto digest = hmacSha256(key, kIdPurpose);
    if (!digest) return "unknown";
    return toHex(std::span<const std::uint8_t>(digest.value().data(), 8));
}

Result<MasterKey> masterKeyFromHex(std::string_view text, std::string source, bool fromEnvironment) {
    auto raw = fromHex(trimmed(text));
    if (!raw || raw->size() != kKeyBytes) {
        if (raw) wipe(*raw);
        return Error{"keyring_master", "the master key in " + source + " is not 64 hexadecimal digits"};
    }
    SecretKey key(
        std::span<const std::uint8_t, kKeyBytes>(reinterpret_cast<const std::uint8_t *>(raw->data()), kKeyBytes));
    wipe(*raw);
    MasterKey master{key, masterKeyId(key), std::move(source), fromEnvironment};
    return master;
}

Result<MasterKey> readMasterKeyFile(const fs::path &file) {
    auto text = readPrivateFile(file, 4096);
    if (!text) return text.error();
    auto master = masterKeyFromHex(text.value(), file.string(), false);
    wipe(text.value());
    return master;
}

Result<std::optional<MasterKey>> findMasterKey(const fs::path &directory) {
    if (const char *env = std::getenv(kMasterKeyEnv); env != nullptr && *env != '\0') {
        auto master = masterKeyFromHex(env, std::string("environment ") + kMasterKeyEnv, true);
        if (!master) return master.error();
        return std::optional<MasterKey>(std::move(master.value()));
    }
    if (const char *named = std::getenv(kMasterKeyFileEnv); named != nullptr && *named != '\0') {
        auto master = readMasterKeyFile(named);
        if (!master) return master.error();
        master.value().source = std::string("file ") + named + " (" + kMasterKeyFileEnv + ")";
        master.value().fromEnvironment = true;
        return std::optional<MasterKey>(std::move(master.value()));
    }
    const fs::path file = directory / kMasterKeyFileName;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec))) return std::optional<MasterKey>();
    auto master = readMasterKeyFile(file);
    if (!master) return master.error();
    return std::optional<MasterKey>(std::move(master.value()));
}

Result<MasterKey> writeNewMasterKeyFile(const fs::path &file, bool createOnly) {
    auto key = SecretKey::random();
    if (!key) return key.error();
    std::string text = toHex(key.value().bytes()) + "\n";
    auto written = writePrivateFile(file, text, createOnly);
    wipe(text);
    if (!written) return written.error();
    if (!written.value()) return readMasterKeyFile(file);  // another process made it first
    return MasterKey{key.value(), masterKeyId(key.value()), file.string(), false};
}

Result<std::string> wrapKey(const MasterKey &master, const SecretKey &key, std::string_view label) {
    GcmNonce nonce{};
    if (auto ok = randomBytes(nonce); !ok) return ok.error();
    std::string sealed(kGcmNonceBytes + kKeyBytes + kGcmTagBytes, '\0');
    std::memcpy(sealed.data(), nonce.data(), kGcmNonceBytes);
    const std::string aad = std::string(kWrapAadPrefix) + std::string(label);
    auto ok = aesGcmSeal(master.key, nonce, std::string_view(reinterpret_cast<const char *>(key.data()), kKeyBytes),
                         aad, sealed.data() + kGcmNonceBytes);
    if (!ok) return ok.error();
    return toHex(sealed);
}

Result<SecretKey> unwrapKey(const MasterKey &master, std::string_view wrapped, std::string_view label) {
    auto sealed = fromHex(wrapped);
    if (!sealed || sealed->size() != kGcmNonceBytes + kKeyBytes + kGcmTagBytes) {
        return Error{"keyring_invalid", std::string(label) + " is not a wrapped key"};
    }
    GcmNonce nonce{};
    std::memcpy(nonce.data(), sealed->data(), kGcmNonceBytes);
    std::string plain(kKeyBytes, '\0');
    const std::string aad = std::string(kWrapAadPrefix) + std::string(label);
    auto ok = aesGcmOpen(master.key, nonce, std::string_view(*sealed).substr(kGcmNonceBytes), aad, plain.data());
    if (!ok) {
        return Error{"keyring_master", std::string(label) + " does not open with the master key from " + master.source +
                                           " (another master key wrapped it, or the file was altered)"};
    }
    SecretKey key(
        std::span<const std::uint8_t, kKeyBytes>(reinterpret_cast<const std::uint8_t *>(plain.data()), kKeyBytes));
    wipe(plain);
    return key;
}

}  // namespace lendgate::security
