#include "core/pgp/gpgme_support.h"

#include <cerrno>
#include <clocale>
#include <cstring>
#include <mutex>
#include <new>

#include "core/security/encoding.h"

namespace lendgate::pgp::detail {
namespace {

Error setupError(const std::string &what, gpgme_error_t err) {
    return Error{std::string(errc::kSetup), what + ": " + describe(err)};
}

Result<bool> initialise() {
    // gpgme_check_version initialises the library and must run once before
    // any other call, in one thread.
    static std::once_flag once;
    static const char *version = nullptr;
    std::call_once(once, [] {
        version = gpgme_check_version("1.14.0");
        if (version != nullptr) gpgme_set_locale(nullptr, LC_CTYPE, std::setlocale(LC_CTYPE, nullptr));
    });
    if (version == nullptr) return Error{std::string(errc::kSetup), "GPGME 1.14 or later is required"};
    static const gpgme_error_t engine = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
    if (engine != 0) return setupError("GnuPG (gpg) is not usable", engine);
    return true;
}

// Callbacks run inside GPGME's C code: nothing may throw out of them.
ssize_t readFromSource(void *handle, void *buffer, size_t size) {
    auto *reader = static_cast<SourceReader *>(handle);
    try {
        auto got = reader->source.read(static_cast<char *>(buffer), size);
        if (!got) {
            reader->error = got.error();
            errno = EIO;
            return -1;
        }
        reader->hash.update(std::string_view(static_cast<const char *>(buffer), got.value()));
        reader->bytes += got.value();
        return static_cast<ssize_t>(got.value());
    } catch (const std::exception &e) {
        reader->error = Error{"io", std::string("reading the input failed: ") + e.what()};
        errno = EIO;
        return -1;
    }
}

// GPGME rewinds its input before some operations; a stream can "rewind"
// only while nothing has been read from it.
off_t seekSource(void *handle, off_t offset, int whence) {
    auto *reader = static_cast<SourceReader *>(handle);
    const auto at = static_cast<off_t>(reader->bytes);
    if (offset == 0 && (whence == SEEK_CUR || (whence == SEEK_SET && at == 0))) return at;
    errno = ESPIPE;
    return -1;
}

ssize_t writeToSink(void *handle, const void *buffer, size_t size) {
    auto *writer = static_cast<SinkWriter *>(handle);
    try {
        if (writer->bytes + size > writer->maxBytes) {
            writer->error = Error{std::string(errc::kTooLarge), "the decrypted content is over the cap of " +
                                                                    std::to_string(writer->maxBytes) + " bytes"};
            errno = EFBIG;
            return -1;
        }
        const std::string_view bytes(static_cast<const char *>(buffer), size);
        auto written = writer->sink.write(bytes);
        if (!written) {
            writer->error = written.error();
            errno = EIO;
            return -1;
        }
        writer->hash.update(bytes);
        writer->bytes += size;
        return static_cast<ssize_t>(size);
    } catch (const std::exception &e) {
        writer->error = Error{"io", std::string("writing the output failed: ") + e.what()};
        errno = EIO;
        return -1;
    }
}

off_t seekSink(void *handle, off_t offset, int whence) {
    auto *writer = static_cast<SinkWriter *>(handle);
    const auto at = static_cast<off_t>(writer->bytes);
    if (offset == 0 && (whence == SEEK_CUR || (whence == SEEK_SET && at == 0))) return at;
    errno = ESPIPE;
    return -1;
}

// No passphrase is ever given: "cancelled" ends the operation at once
// instead of waiting for an answer that never comes.
gpgme_error_t noPassphrase(void *, const char *, const char *, int, int) {
    return gpg_error(GPG_ERR_CANCELED);
}

gpgme_data_cbs sourceCallbacks{readFromSource, nullptr, seekSource, nullptr};
gpgme_data_cbs sinkCallbacks{nullptr, writeToSink, seekSink, nullptr};

}  // namespace

std::string describe(gpgme_error_t err) {
    char text[256] = {};
    gpgme_strerror_r(err, text, sizeof text - 1);
    return text;
}

Result<Context> newContext(const std::filesystem::path &home) {
    if (auto ok = initialise(); !ok) return ok.error();
    gpgme_ctx_t raw = nullptr;
    if (auto err = gpgme_new(&raw); err != 0) return setupError("cannot create a GPGME context", err);
    Context ctx(raw);
    if (auto err = gpgme_set_protocol(ctx.get(), GPGME_PROTOCOL_OpenPGP); err != 0)
        return setupError("OpenPGP is not available", err);
    if (auto err = gpgme_ctx_set_engine_info(ctx.get(), GPGME_PROTOCOL_OpenPGP, nullptr, home.c_str()); err != 0)
        return setupError("cannot use the GnuPG home " + home.string(), err);
    if (auto err = gpgme_set_pinentry_mode(ctx.get(), GPGME_PINENTRY_MODE_LOOPBACK); err != 0)
        return setupError("cannot set the pinentry mode", err);
    gpgme_set_passphrase_cb(ctx.get(), noPassphrase, nullptr);
    gpgme_set_offline(ctx.get(), 1);
    // A symmetric (passphrase) message must not be decrypted with a cached
    // passphrase; ours never has one, but say so.
    (void)gpgme_set_ctx_flag(ctx.get(), "no-symkey-cache", "1");
    return ctx;
}

Result<Data> dataFrom(SourceReader &reader) {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new_from_cbs(&raw, &sourceCallbacks, &reader); err != 0)
        return setupError("cannot create an input stream", err);
    return Data(raw);
}

Result<Data> dataTo(SinkWriter &writer) {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new_from_cbs(&raw, &sinkCallbacks, &writer); err != 0)
        return setupError("cannot create an output stream", err);
    return Data(raw);
}

Result<Data> dataFromMemory(std::string_view bytes) {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 1); err != 0)
        return setupError("cannot create an input buffer", err);
    return Data(raw);
}

Result<Data> emptyData() {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new(&raw); err != 0) return setupError("cannot create an output buffer", err);
    return Data(raw);
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char &c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

KeyInfo keyInfoOf(gpgme_key_t key) {
    KeyInfo info;
    if (key->fpr != nullptr) info.fingerprint = upper(key->fpr);
    if (key->uids != nullptr && key->uids->uid != nullptr) info.userId = key->uids->uid;
    info.secret = key->secret != 0;
    info.canSign = key->can_sign != 0;
    info.canEncrypt = key->can_encrypt != 0;
    info.expired = key->expired != 0;
    info.revoked = key->revoked != 0;
    if (gpgme_subkey_t primary = key->subkeys; primary != nullptr) {
        if (char *name = gpgme_pubkey_algo_string(primary); name != nullptr) {
            info.algorithm = name;
            gpgme_free(name);
        }
        info.createdAt = primary->timestamp;
        info.expiresAt = primary->expires;
    }
    return info;
}

Result<std::string> hexDigest(security::Sha256 &hash) {
    auto digest = hash.finish();
    if (!digest) return digest.error();
    return security::toHex(digest.value());
}

}  // namespace lendgate::pgp::detail

namespace lendgate::pgp {

Result<bool> StringSink::write(std::string_view bytes) {
    if (out_.size() + bytes.size() > maxBytes_)
        return Error{std::string(errc::kTooLarge),
                     "the output is over the cap of " + std::to_string(maxBytes_) + " bytes"};
    out_.append(bytes);
    return true;
}

std::optional<std::string> normalizeFingerprint(std::string_view fingerprint) {
    std::string out;
    for (char c : fingerprint) {
        if (c == ' ') continue;
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex || out.size() == 40) return std::nullopt;
        out.push_back(c);
    }
    if (out.size() != 40) return std::nullopt;
    return detail::upper(out);
}

}  // namespace lendgate::pgp
