// OpenPGP for partner files: inbound files are decrypted and their signature
// checked against the key the partner profile pins; outbound files are
// encrypted to the partner's key and signed with the gateway's.
//
// GnuPG does the cryptography (through GPGME, which stays behind the .cpp
// files). Its keys live in a gateway-owned GnuPG home folder, which the
// operator keeps under data_dir (<data_dir>/gnupg): mode 0700, and a short
// path, because gpg-agent puts its socket there and a Unix socket path must
// fit in 108 bytes. GPGME starts the agent when it is first needed.
//
// Everything streams: ciphertext is pulled from a journal::ByteSource and
// plaintext pushed to a ByteSink in chunks, so memory stays bounded whatever
// the file's size. Plaintext goes nowhere but the sink the caller gives.
#ifndef LENDGATE_PGP_PGP_H
#define LENDGATE_PGP_PGP_H

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/journal/blob_store.h"

namespace lendgate::pgp {

/// Error::code values. A refused inbound file carries one of the first nine;
/// they are meant for an ACK's error code as they are.
namespace errc {
inline constexpr std::string_view kNotEncrypted = "pgp_not_encrypted";  ///< plain, or signed only
inline constexpr std::string_view kNotForUs = "pgp_not_for_us";         ///< encrypted to keys we do not hold
inline constexpr std::string_view kUnsigned = "pgp_unsigned";           ///< no signature at all
inline constexpr std::string_view kWrongSigner = "pgp_wrong_signer";    ///< signed, but not by the pinned key
inline constexpr std::string_view kBadSignature = "pgp_bad_signature";  ///< the signature does not match
inline constexpr std::string_view kKeyExpired = "pgp_key_expired";      ///< the signing key or signature expired
inline constexpr std::string_view kKeyRevoked = "pgp_key_revoked";      ///< the signing key was revoked
inline constexpr std::string_view kCorrupt = "pgp_corrupt";             ///< truncated or damaged input
inline constexpr std::string_view kTooLarge = "too_large";              ///< plaintext over the cap
inline constexpr std::string_view kKey = "pgp_key";      ///< a key is missing, unusable or not the pinned one
inline constexpr std::string_view kSetup = "pgp_setup";  ///< GnuPG or the home folder is unusable
}  // namespace errc

/// Where plaintext (or ciphertext) goes. A sink that fails aborts the
/// operation with its error.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual Result<bool> write(std::string_view bytes) = 0;
};

/// A ByteSink into memory, for outbound messages (already in memory) and
/// tests. Fails with too_large past `maxBytes`.
class StringSink final : public ByteSink {
public:
    explicit StringSink(std::uint64_t maxBytes = 64u << 20) : maxBytes_(maxBytes) {}
    Result<bool> write(std::string_view bytes) override;
    std::string &bytes() { return out_; }

private:
    std::uint64_t maxBytes_;
    std::string out_;
};

struct KeyInfo {
    std::string fingerprint;  ///< of the primary key, upper-case hex
    std::string userId;       ///< the first user id
    std::string algorithm;    ///< e.g. "ed25519", "rsa3072"
    bool secret = false;      ///< the keyring holds its secret part (the gateway's own key)
    bool canSign = false;
    bool canEncrypt = false;
    bool expired = false;
    bool revoked = false;
    std::int64_t createdAt = 0;  ///< Unix seconds
    std::int64_t expiresAt = 0;  ///< Unix seconds; 0: never
};

struct DecryptOptions {
    /// Fingerprint of the partner's primary key (40 hex digits, spaces allowed).
    std::string expectedSigner;
    /// Off only for partners that cannot sign; a signature present is then
    /// still checked and must be the partner's.
    bool requireSignature = true;
    /// Cap on the plaintext: compression makes a small file large.
    std::uint64_t maxPlaintextBytes = 1ull << 30;
};

/// What decryptAndVerify established.
struct VerifiedPlaintext {
    std::string signerFingerprint;  ///< the pinned key's primary fingerprint; empty when unsigned (allowed)
    std::int64_t signedAt = 0;      ///< Unix seconds, as the signer claims
    std::uint64_t bytes = 0;
    std::string sha256Hex;  ///< of the plaintext: what duplicate detection compares
};

struct EncryptOptions {
    /// Fingerprint of the partner's primary key, imported with importPartnerKey.
    std::string recipient;
    /// The gateway's signing key; empty: the keyring's only secret key.
    std::string signer;
    bool sign = true;
    bool armor = false;  ///< ASCII armor, for partners whose tools want text
};

struct EncryptSummary {
    std::uint64_t plaintextBytes = 0;
    std::uint64_t ciphertextBytes = 0;
    std::string plaintextSha256Hex;
    std::string signerFingerprint;
};

enum class KeyAlgorithm {
    Rsa3072,  ///< understood by every OpenPGP tool partners use
    Ed25519,  ///< ed25519 signing key with a cv25519 encryption subkey (GnuPG 2.1+, newer PGP products)
};

/// The gateway's GnuPG home. Each call runs its own GnuPG context, so one
/// Keyring may be used from several threads at once.
class Keyring {
public:
    /// Opens the home folder, creating it (0700) if missing and tightening a
    /// looser mode; refuses a symlink, a folder owned by someone else, and a
    /// path too long for gpg-agent's socket.
    static Result<Keyring> open(const std::filesystem::path &home);

    Keyring(Keyring &&) noexcept;
    Keyring &operator=(Keyring &&) noexcept;
    ~Keyring();

    const std::filesystem::path &home() const;

    /// Imports a partner's public key from an armored (or binary) key file,
    /// if and only if it holds exactly one key, with no secret part, whose
    /// primary fingerprint is `expectedFingerprint` (the partner profile pins
    /// it), and that key is neither revoked nor expired. Nothing is imported
    /// otherwise. Importing the same key again is not an error.
    Result<KeyInfo> importPartnerKey(const std::filesystem::path &file, std::string_view expectedFingerprint) const;
    Result<KeyInfo> importPartnerKeyData(std::string_view keyData, std::string_view expectedFingerprint) const;

    /// Creates the gateway's key pair (signing primary key, encryption subkey)
    /// without a passphrase: the gateway signs unattended, and the home's
    /// mode protects it. Refused when the keyring already has a secret key.
    /// `expiresInSeconds` 0: never.
    Result<KeyInfo> generateGatewayKey(const std::string &userId, KeyAlgorithm algorithm,
                                       std::uint64_t expiresInSeconds = 0) const;
    /// Imports the gateway's key pair from an exported secret key file, which
    /// must hold one key with this fingerprint, usable without a passphrase.
    Result<KeyInfo> importGatewayKey(const std::filesystem::path &file, std::string_view expectedFingerprint) const;

    /// The gateway's key: the keyring's only secret key (an error when there
    /// is none or several).
    Result<KeyInfo> gatewayKey() const;
    /// Armored public key for `fingerprint` (e.g. the gateway's, to hand to a
    /// partner). Never exports secret material.
    Result<std::string> exportPublicKey(std::string_view fingerprint) const;
    Result<std::vector<KeyInfo>> list() const;

    /// Decrypts `ciphertext` into `plaintext` and checks the signature. On an
    /// error, whatever reached the sink must be discarded: the signature is
    /// checked only at the end of the input.
    Result<VerifiedPlaintext> decryptAndVerify(journal::ByteSource &ciphertext, ByteSink &plaintext,
                                               const DecryptOptions &options) const;
    /// Encrypts `plaintext` to the recipient and signs it, into `ciphertext`.
    Result<EncryptSummary> encryptAndSign(journal::ByteSource &plaintext, ByteSink &ciphertext,
                                          const EncryptOptions &options) const;

    /// Stops this home's gpg-agent (`gpgconf --kill all`); it restarts when
    /// next needed. For tools and tests that should leave nothing running.
    Result<bool> stopAgent() const;

private:
    explicit Keyring(std::filesystem::path home);
    std::filesystem::path home_;
};

/// The plaintext of an inbound file as a ByteSource, for intake (the blob
/// store pulls, GnuPG pushes: a worker thread runs decryptAndVerify into a
/// bounded queue of 1 MiB). read() reports the end only once the signature
/// checked out; otherwise its last call fails with the pgp error, so a
/// consumer that keeps nothing unless its source ends cleanly (the blob
/// store) never keeps an unverified file.
class DecryptingSource final : public journal::ByteSource {
public:
    /// `keyring` and `ciphertext` must outlive this object. The ciphertext is
    /// read from the worker thread.
    DecryptingSource(const Keyring &keyring, journal::ByteSource &ciphertext, DecryptOptions options);
    /// Stops the worker if the consumer gave up early.
    ~DecryptingSource() override;
    DecryptingSource(const DecryptingSource &) = delete;
    DecryptingSource &operator=(const DecryptingSource &) = delete;

    Result<std::size_t> read(char *buffer, std::size_t capacity) override;
    /// Set once read() has returned 0.
    const std::optional<VerifiedPlaintext> &verified() const { return verified_; }
    /// The error read() ended with, if it did: lets the caller tell a refused
    /// file (errc codes other than kKey/kSetup: answer with a NACK) from a
    /// gateway-side problem (kKey, kSetup, its own sink: try again later).
    const std::optional<Error> &failure() const { return failure_; }

    struct Channel;

private:
    void work();

    const Keyring &keyring_;
    journal::ByteSource &ciphertext_;
    DecryptOptions options_;
    std::unique_ptr<Channel> channel_;
    std::optional<VerifiedPlaintext> verified_;
    std::optional<Error> failure_;
};

/// Upper-case hex without spaces; nullopt unless 40 hex digits (v4 keys).
std::optional<std::string> normalizeFingerprint(std::string_view fingerprint);

}  // namespace lendgate::pgp

#endif  // LENDGATE_PGP_PGP_H
