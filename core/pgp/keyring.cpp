// The GnuPG home and the keys in it.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

#include "core/common/redact.h"
#include "core/pgp/gpgme_support.h"

extern char **environ;

namespace lendgate::pgp {

using namespace detail;

namespace {

namespace fs = std::filesystem;

// gpg-agent makes <home>/S.gpg-agent.browser (the longest of its sockets),
// and sun_path holds 108 bytes with the terminating NUL.
constexpr std::size_t kLongestSocketName = sizeof("/S.gpg-agent.browser") - 1;
constexpr std::size_t kMaxHomeLength = 107 - kLongestSocketName;
constexpr std::uintmax_t kMaxKeyFileBytes = 1u << 20;

Error keyError(std::string message) {
    return Error{std::string(errc::kKey), std::move(message)};
}
Error gpgError(std::string_view code, const std::string &what, gpgme_error_t err) {
    return Error{std::string(code), what + ": " + describe(err)};
}

Result<std::string> readKeyFile(const fs::path &file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) return keyError("cannot read the key file " + file.string() + ": " + ec.message());
    if (size > kMaxKeyFileBytes) return keyError("the key file " + file.string() + " is over 1 MiB; it is no key");
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return keyError("cannot read the key file " + file.string());
    return bytes;
}

/// The keys a key file holds, listed without importing anything.
Result<std::vector<Key>> keysIn(gpgme_ctx_t ctx, gpgme_data_t data) {
    std::vector<Key> keys;
    if (auto err = gpgme_op_keylist_from_data_start(ctx, data, 0); err != 0)
        return gpgError(errc::kKey, "the key file cannot be read as OpenPGP keys", err);
    for (;;) {
        gpgme_key_t key = nullptr;
        auto err = gpgme_op_keylist_next(ctx, &key);
        if (codeOf(err) == GPG_ERR_EOF) break;
        if (err != 0) return gpgError(errc::kKey, "the key file cannot be read as OpenPGP keys", err);
        keys.emplace_back(key);
    }
    (void)gpgme_op_keylist_end(ctx);
    return keys;
}

/// The one key a file must hold, with the pinned fingerprint.
Result<KeyInfo> checkSingleKey(gpgme_ctx_t ctx, std::string_view keyData, const std::string &expected,
                               const std::string &what) {
    auto data = dataFromMemory(keyData);
    if (!data) return data.error();
    auto keys = keysIn(ctx, data.value().get());
    if (!keys) return keys.error();
    if (keys.value().empty()) return keyError(what + " holds no OpenPGP key");
    if (keys.value().size() > 1)
        return keyError(what + " holds " + std::to_string(keys.value().size()) + " keys; it must hold exactly one");
    KeyInfo info = keyInfoOf(keys.value().front().get());
    if (info.fingerprint != expected)
        return keyError(what + " holds the key " + info.fingerprint + ", not the expected " + expected);
    if (info.revoked) return Error{std::string(errc::kKeyRevoked), what + ": the key " + expected + " is revoked"};
    if (info.expired || (info.expiresAt != 0 && info.expiresAt <= std::time(nullptr)))
        return Error{std::string(errc::kKeyExpired), what + ": the key " + expected + " has expired"};
    return info;
}

Result<bool> import(gpgme_ctx_t ctx, std::string_view keyData, const std::string &expected, bool secret) {
    auto data = dataFromMemory(keyData);
    if (!data) return data.error();
    if (auto err = gpgme_op_import(ctx, data.value().get()); err != 0)
        return gpgError(errc::kKey, "importing the key failed", err);
    gpgme_import_result_t result = gpgme_op_import_result(ctx);
    bool found = false;
    for (auto *status = result != nullptr ? result->imports : nullptr; status != nullptr; status = status->next)
        if (status->fpr != nullptr && upper(status->fpr) == expected && status->result == 0) found = true;
    if (!found) return keyError("GnuPG did not import the key " + expected);
    if (secret && result->secret_imported + result->secret_unchanged == 0)
        return keyError("the key file holds no secret key for " + expected);
    return true;
}

Result<KeyInfo> lookUp(gpgme_ctx_t ctx, const std::string &fingerprint, bool secret) {
    gpgme_key_t raw = nullptr;
    if (auto err = gpgme_get_key(ctx, fingerprint.c_str(), &raw, secret ? 1 : 0); err != 0)
        return gpgError(errc::kKey, "the keyring has no " + std::string(secret ? "secret " : "") + "key " + fingerprint,
                        err);
    Key key(raw);
    KeyInfo info = keyInfoOf(key.get());
    info.secret = info.secret || secret;
    return info;
}

Result<std::vector<KeyInfo>> listKeys(gpgme_ctx_t ctx, bool secretOnly) {
    std::vector<KeyInfo> keys;
    if (!secretOnly) (void)gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_WITH_SECRET);
    if (auto err = gpgme_op_keylist_start(ctx, nullptr, secretOnly ? 1 : 0); err != 0)
        return gpgError(errc::kSetup, "listing the keyring failed", err);
    for (;;) {
        gpgme_key_t raw = nullptr;
        auto err = gpgme_op_keylist_next(ctx, &raw);
        if (codeOf(err) == GPG_ERR_EOF) break;
        if (err != 0) return gpgError(errc::kSetup, "listing the keyring failed", err);
        Key key(raw);
        keys.push_back(keyInfoOf(key.get()));
        if (secretOnly) keys.back().secret = true;
    }
    return keys;
}

/// Signs a few bytes: proves the key is usable unattended (no passphrase).
Result<bool> trySigning(gpgme_ctx_t ctx, const std::string &fingerprint) {
    gpgme_key_t raw = nullptr;
    if (auto err = gpgme_get_key(ctx, fingerprint.c_str(), &raw, 1); err != 0)
        return gpgError(errc::kKey, "the keyring has no secret key " + fingerprint, err);
    Key key(raw);
    gpgme_signers_clear(ctx);
    if (auto err = gpgme_signers_add(ctx, key.get()); err != 0)
        return gpgError(errc::kKey, "the key " + fingerprint + " cannot sign", err);
    auto in = dataFromMemory("lendgate");
    auto out = emptyData();
    if (!in || !out) return in ? out.error() : in.error();
    auto err = gpgme_op_sign(ctx, in.value().get(), out.value().get(), GPGME_SIG_MODE_DETACH);
    gpgme_signers_clear(ctx);
    if (err != 0)
        return gpgError(errc::kKey,
                        "the key " + fingerprint +
                            " cannot sign unattended (is it protected by a passphrase? the gateway signs without one)",
                        err);
    return true;
}

}  // namespace

Keyring::Keyring(fs::path home) : home_(std::move(home)) {}
Keyring::Keyring(Keyring &&) noexcept = default;
Keyring &Keyring::operator=(Keyring &&) noexcept = default;
Keyring::~Keyring() = default;

const fs::path &Keyring::home() const {
    return home_;
}

Result<Keyring> Keyring::open(const fs::path &requested) {
    std::error_code ec;
    const fs::path home = fs::absolute(requested, ec).lexically_normal();
    if (ec) return Error{std::string(errc::kSetup), "cannot resolve the GnuPG home " + requested.string()};
    std::string text = home.string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    if (text.size() > kMaxHomeLength)
        return Error{std::string(errc::kSetup),
                     "the GnuPG home " + text + " is " + std::to_string(text.size()) +
                         " characters long; gpg-agent's socket inside it must fit in 108 bytes, so use a path of at "
                         "most " +
                         std::to_string(kMaxHomeLength) + " characters (e.g. <data_dir>/gnupg on a short data_dir)"};

    struct stat st {};
    if (::lstat(text.c_str(), &st) != 0) {
        if (errno != ENOENT)
            return Error{std::string(errc::kSetup), "cannot use the GnuPG home " + text + ": " + std::strerror(errno)};
        fs::create_directories(fs::path(text).parent_path(), ec);
        if (ec) return Error{std::string(errc::kSetup), "cannot create the parent of " + text + ": " + ec.message()};
        if (::mkdir(text.c_str(), 0700) != 0 && errno != EEXIST)
            return Error{std::string(errc::kSetup),
                         "cannot create the GnuPG home " + text + ": " + std::strerror(errno)};
        if (::lstat(text.c_str(), &st) != 0)
            return Error{std::string(errc::kSetup), "cannot use the GnuPG home " + text + ": " + std::strerror(errno)};
    }
    if (!S_ISDIR(st.st_mode))
        return Error{std::string(errc::kSetup), "the GnuPG home " + text + " is not a folder (a symlink is refused)"};
    if (st.st_uid != ::geteuid())
        return Error{std::string(errc::kSetup),
                     "the GnuPG home " + text + " belongs to another user; it must be the gateway's own"};
    // GnuPG warns about, and the secret keys need protection from, a group-
    // or world-readable home.
    if ((st.st_mode & 077) != 0 && ::chmod(text.c_str(), 0700) != 0)
        return Error{std::string(errc::kSetup), "cannot make " + text + " private (0700): " + std::strerror(errno)};
    return Keyring(fs::path(text));
}

Result<KeyInfo> Keyring::importPartnerKey(const fs::path &file, std::string_view expectedFingerprint) const {
    auto data = readKeyFile(file);
    if (!data) return data.error();
    auto imported = importPartnerKeyData(data.value(), expectedFingerprint);
    if (!imported) return Error{imported.error().code, file.string() + ": " + imported.error().message};
    return imported;
}

Result<KeyInfo> Keyring::importPartnerKeyData(std::string_view keyData, std::string_view expectedFingerprint) const {
    auto expected = normalizeFingerprint(expectedFingerprint);
    if (!expected) return keyError("the expected fingerprint is not 40 hexadecimal digits");
    if (keyData.find("PRIVATE KEY BLOCK") != std::string_view::npos)
        return keyError("the partner key file holds a secret key; ask the partner for its public key only");
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    auto info = checkSingleKey(ctx.value().get(), keyData, *expected, "the partner key file");
    if (!info) return info.error();
    if (info.value().secret) return keyError("the partner key file holds a secret key; ask for the public key only");
    if (!info.value().canEncrypt) return keyError("the key " + *expected + " has no usable encryption subkey");
    if (auto ok = import(ctx.value().get(), keyData, *expected, false); !ok) return ok.error();
    return lookUp(ctx.value().get(), *expected, false);
}

Result<KeyInfo> Keyring::generateGatewayKey(const std::string &userId, KeyAlgorithm algorithm,
                                            std::uint64_t expiresInSeconds) const {
    if (userId.empty() || userId.size() > 200 ||
        std::any_of(userId.begin(), userId.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return keyError("the user id must be 1 to 200 printable characters");
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    auto existing = listKeys(ctx.value().get(), true);
    if (!existing) return existing.error();
    if (!existing.value().empty())
        return keyError("the keyring already holds the gateway key " + existing.value().front().fingerprint);

    const bool rsa = algorithm == KeyAlgorithm::Rsa3072;
    const unsigned int expiry = expiresInSeconds == 0 ? GPGME_CREATE_NOEXPIRE : 0;
    const unsigned long expires = static_cast<unsigned long>(expiresInSeconds);
    auto err = gpgme_op_createkey(ctx.value().get(), userId.c_str(), rsa ? "rsa3072" : "ed25519", 0, expires, nullptr,
                                  GPGME_CREATE_SIGN | GPGME_CREATE_CERT | GPGME_CREATE_NOPASSWD | expiry);
    if (err != 0) return gpgError(errc::kKey, "generating the gateway key failed", err);
    gpgme_genkey_result_t created = gpgme_op_genkey_result(ctx.value().get());
    if (created == nullptr || created->fpr == nullptr) return keyError("GnuPG reported no new key");
    const std::string fingerprint = upper(created->fpr);

    gpgme_key_t raw = nullptr;
    if (err = gpgme_get_key(ctx.value().get(), fingerprint.c_str(), &raw, 1); err != 0)
        return gpgError(errc::kKey, "the new key is not in the keyring", err);
    Key key(raw);
    // Partners encrypt to the subkey; the primary key only signs.
    err = gpgme_op_createsubkey(ctx.value().get(), key.get(), rsa ? "rsa3072" : "cv25519", 0, expires,
                                GPGME_CREATE_ENCR | GPGME_CREATE_NOPASSWD | expiry);
    if (err != 0) return gpgError(errc::kKey, "generating the encryption subkey failed", err);
    return lookUp(ctx.value().get(), fingerprint, true);
}

Result<KeyInfo> Keyring::importGatewayKey(const fs::path &file, std::string_view expectedFingerprint) const {
    auto expected = normalizeFingerprint(expectedFingerprint);
    if (!expected) return keyError("the expected fingerprint is not 40 hexadecimal digits");
    auto data = readKeyFile(file);
    if (!data) return data.error();
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    auto existing = listKeys(ctx.value().get(), true);
    if (!existing) return existing.error();
    for (const auto &key : existing.value())
        if (key.fingerprint != *expected)
            return keyError("the keyring already holds another gateway key " + key.fingerprint);
    auto info = checkSingleKey(ctx.value().get(), data.value(), *expected, file.string());
    if (!info) return info.error();
    if (auto ok = import(ctx.value().get(), data.value(), *expected, true); !ok) return ok.error();
    auto usable = trySigning(ctx.value().get(), *expected);
    auto imported = lookUp(ctx.value().get(), *expected, true);
    if (usable && imported && !imported.value().canEncrypt)
        usable = keyError("the key " + *expected + " has no encryption subkey; partners could not encrypt to us");
    if (!usable || !imported) {
        // An unusable secret key must not stay behind as the gateway key.
        gpgme_key_t raw = nullptr;
        if (gpgme_get_key(ctx.value().get(), expected->c_str(), &raw, 1) == 0) {
            Key key(raw);
            (void)gpgme_op_delete_ext(ctx.value().get(), key.get(), GPGME_DELETE_ALLOW_SECRET | GPGME_DELETE_FORCE);
        }
        return usable ? imported.error() : usable.error();
    }
    return imported;
}

Result<KeyInfo> Keyring::gatewayKey() const {
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    auto keys = listKeys(ctx.value().get(), true);
    if (!keys) return keys.error();
    if (keys.value().empty())
        return keyError("the keyring " + home_.string() + " has no gateway key; run `lendgate pgp init`");
    if (keys.value().size() > 1)
        return keyError("the keyring " + home_.string() + " holds " + std::to_string(keys.value().size()) +
                        " secret keys; name the gateway's signing key");
    return keys.value().front();
}

Result<std::string> Keyring::exportPublicKey(std::string_view fingerprint) const {
    auto expected = normalizeFingerprint(fingerprint);
    if (!expected) return keyError("the fingerprint is not 40 hexadecimal digits");
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    auto known = lookUp(ctx.value().get(), *expected, false);
    if (!known) return known.error();
    gpgme_set_armor(ctx.value().get(), 1);
    StringSink sink(kMaxKeyFileBytes);
    SinkWriter writer(sink, kMaxKeyFileBytes);
    auto out = dataTo(writer);
    if (!out) return out.error();
    // Mode 0 exports public keys only; secret export needs GPGME_EXPORT_MODE_SECRET.
    if (auto err = gpgme_op_export(ctx.value().get(), expected->c_str(), 0, out.value().get()); err != 0)
        return gpgError(errc::kKey, "exporting the key " + *expected + " failed", err);
    if (writer.error) return *writer.error;
    if (sink.bytes().empty()) return keyError("the keyring has no key " + *expected);
    return std::move(sink.bytes());
}

Result<std::vector<KeyInfo>> Keyring::list() const {
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    return listKeys(ctx.value().get(), false);
}

Result<bool> Keyring::stopAgent() const {
    std::vector<std::string> argv{"gpgconf", "--homedir", home_.string(), "--kill", "all"};
    std::vector<char *> args;
    for (auto &arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, "gpgconf", &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return Error{std::string(errc::kSetup), std::string("cannot run gpgconf: ") + std::strerror(rc)};
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return Error{std::string(errc::kSetup), std::string("waiting for gpgconf: ") + std::strerror(errno)};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error{std::string(errc::kSetup), "gpgconf --kill all failed for " + home_.string()};
    return true;
}

}  // namespace lendgate::pgp
