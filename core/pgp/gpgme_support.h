// Private to core/pgp: GPGME handles as RAII types, and the data callbacks
// that stream between GPGME and our ByteSource/ByteSink.
#ifndef LENDGATE_PGP_GPGME_SUPPORT_H
#define LENDGATE_PGP_GPGME_SUPPORT_H

#include <gpgme.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/pgp/pgp.h"
#include "core/security/hmac.h"

namespace lendgate::pgp::detail {

struct ContextDeleter {
    void operator()(gpgme_ctx_t ctx) const { gpgme_release(ctx); }
};
struct DataDeleter {
    void operator()(gpgme_data_t data) const { gpgme_data_release(data); }
};
struct KeyDeleter {
    void operator()(gpgme_key_t key) const { gpgme_key_unref(key); }
};
using Context = std::unique_ptr<std::remove_pointer_t<gpgme_ctx_t>, ContextDeleter>;
using Data = std::unique_ptr<std::remove_pointer_t<gpgme_data_t>, DataDeleter>;
using Key = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, KeyDeleter>;

/// A context on `home`: OpenPGP, offline (never fetches keys), and loopback
/// pinentry without a passphrase callback, so a protected key fails at once
/// instead of waiting for a pinentry nobody answers.
Result<Context> newContext(const std::filesystem::path &home);

/// GPGME's text for an error (no personal data: GnuPG's own messages).
std::string describe(gpgme_error_t err);
inline gpgme_err_code_t codeOf(gpgme_error_t err) {
    return gpgme_err_code(err);
}

/// Reads a ByteSource for GPGME, hashing what passes.
struct SourceReader {
    explicit SourceReader(journal::ByteSource &s) : source(s) {}
    journal::ByteSource &source;
    security::Sha256 hash;
    std::uint64_t bytes = 0;
    std::optional<Error> error;  ///< the source's own failure
};
/// Writes GPGME's output to a ByteSink, hashing and capping what passes.
struct SinkWriter {
    SinkWriter(ByteSink &s, std::uint64_t cap) : sink(s), maxBytes(cap) {}
    ByteSink &sink;
    std::uint64_t maxBytes;
    security::Sha256 hash;
    std::uint64_t bytes = 0;
    std::optional<Error> error;  ///< the sink's failure, or too_large
};

Result<Data> dataFrom(SourceReader &reader);
Result<Data> dataTo(SinkWriter &writer);
Result<Data> dataFromMemory(std::string_view bytes);
Result<Data> emptyData();

/// Upper-case copy; GPGME reports fingerprints in upper case.
std::string upper(std::string_view text);
KeyInfo keyInfoOf(gpgme_key_t key);
/// Finishes a hash into lower-case hex.
Result<std::string> hexDigest(security::Sha256 &hash);

}  // namespace lendgate::pgp::detail

#endif  // LENDGATE_PGP_GPGME_SUPPORT_H
