// Decrypting and verifying inbound files; encrypting and signing outbound ones.
#include <limits>

#include "core/pgp/gpgme_support.h"

namespace lendgate::pgp {

using namespace detail;

namespace {

Error refusal(std::string_view code, std::string message) {
    return Error{std::string(code), std::move(message)};
}

/// Key ids the file was encrypted to, for telling the operator which key a
/// partner used by mistake (key ids are public, not personal data).
std::string recipientsOf(gpgme_decrypt_result_t result) {
    std::string ids;
    for (auto *r = result != nullptr ? result->recipients : nullptr; r != nullptr; r = r->next)
        if (r->keyid != nullptr) ids += (ids.empty() ? "" : ", ") + std::string(r->keyid);
    return ids;
}

bool hasSignatures(gpgme_verify_result_t result) {
    return result != nullptr && result->signatures != nullptr;
}

/// What GnuPG asked a passphrase for: a symmetric message has no key hint.
struct PassphraseAsked {
    bool symmetric = false;
    bool secretKey = false;
};

// Answering "cancelled" ends the operation at once instead of waiting for
// a pinentry nobody answers.
gpgme_error_t refusePassphrase(void *hook, const char *uidHint, const char *, int, int) {
    auto *asked = static_cast<PassphraseAsked *>(hook);
    (uidHint == nullptr ? asked->symmetric : asked->secretKey) = true;
    return gpg_error(GPG_ERR_CANCELED);
}

Error decryptFailure(gpgme_error_t err, gpgme_decrypt_result_t decrypted, gpgme_verify_result_t verified,
                     std::uint64_t inputBytes, const PassphraseAsked &asked) {
    const auto code = codeOf(err);
    if (inputBytes == 0) return refusal(errc::kCorrupt, "the file is empty");
    if (asked.symmetric)
        return refusal(errc::kNotForUs, "the file is encrypted with a passphrase, not to the gateway's key");
    if (asked.secretKey)
        return refusal(errc::kKey,
                       "the gateway's key is protected by a passphrase; the gateway decrypts unattended "
                       "and needs a key without one");
    if (code == GPG_ERR_NO_DATA) {
        if (hasSignatures(verified))
            return refusal(errc::kNotEncrypted,
                           "the file is signed but not encrypted; it must be encrypted to the "
                           "gateway's key");
        if (decrypted != nullptr && decrypted->recipients != nullptr)
            return refusal(errc::kCorrupt, "the file is truncated or damaged (" + describe(err) + ")");
        return refusal(errc::kNotEncrypted, "the file is not an OpenPGP encrypted message");
    }
    if (code == GPG_ERR_DECRYPT_FAILED || code == GPG_ERR_NO_SECKEY) {
        bool forUs = false;
        for (auto *r = decrypted != nullptr ? decrypted->recipients : nullptr; r != nullptr; r = r->next)
            if (codeOf(r->status) == GPG_ERR_NO_ERROR) forUs = true;
        const std::string ids = recipientsOf(decrypted);
        if (!forUs && !ids.empty())
            return refusal(errc::kNotForUs,
                           "the file is encrypted to other keys (key ids " + ids + "), not to the gateway's key");
        if (ids.empty())
            return refusal(errc::kNotForUs,
                           "the file is encrypted with a passphrase, not to the gateway's key (" + describe(err) + ")");
    }
    if (code == GPG_ERR_NO_PASSPHRASE || code == GPG_ERR_BAD_PASSPHRASE)
        return refusal(errc::kNotForUs, "the file is encrypted with a passphrase, not to the gateway's key");
    return refusal(errc::kCorrupt, "the file is truncated or damaged (" + describe(err) + ")");
}

/// The primary fingerprint of the key that made a signature ("" if unknown).
std::string signerOf(gpgme_ctx_t ctx, gpgme_signature_t sig) {
    if (sig->fpr == nullptr) return {};
    gpgme_key_t raw = nullptr;
    if (gpgme_get_key(ctx, sig->fpr, &raw, 0) != 0) return {};
    Key key(raw);
    return key->fpr != nullptr ? upper(key->fpr) : std::string();
}

/// Every signature must be good and the pinned key's; at least one when required.
Result<VerifiedPlaintext> checkSignatures(gpgme_ctx_t ctx, gpgme_verify_result_t verified,
                                          const std::optional<std::string> &expected, bool required) {
    VerifiedPlaintext out;
    if (!hasSignatures(verified)) {
        if (required)
            return refusal(errc::kUnsigned, "the file is not signed; the partner profile requires a signature");
        return out;
    }
    for (gpgme_signature_t sig = verified->signatures; sig != nullptr; sig = sig->next) {
        const auto status = codeOf(sig->status);
        const std::string signer = signerOf(ctx, sig);
        const std::string keyId = sig->fpr != nullptr ? std::string(sig->fpr) : std::string("unknown");
        if (status == GPG_ERR_NO_PUBKEY || signer.empty())
            return refusal(errc::kWrongSigner, "the file is signed by a key the gateway does not know (" + keyId +
                                                   "), not by the partner's key " + expected.value_or("(none pinned)"));
        if (!expected || signer != *expected)
            return refusal(errc::kWrongSigner, "the file is signed by the key " + signer +
                                                   ", not by the partner's key " + expected.value_or("(none pinned)"));
        if (status == GPG_ERR_CERT_REVOKED || (sig->summary & GPGME_SIGSUM_KEY_REVOKED) != 0)
            return refusal(errc::kKeyRevoked,
                           "the file is signed by the partner's key " + signer + ", which is revoked");
        if (status == GPG_ERR_KEY_EXPIRED || (sig->summary & GPGME_SIGSUM_KEY_EXPIRED) != 0)
            return refusal(errc::kKeyExpired,
                           "the file is signed by the partner's key " + signer + ", which has expired");
        if (status == GPG_ERR_SIG_EXPIRED || (sig->summary & GPGME_SIGSUM_SIG_EXPIRED) != 0)
            return refusal(errc::kKeyExpired, "the file's signature has expired");
        if (status != GPG_ERR_NO_ERROR || (sig->summary & GPGME_SIGSUM_RED) != 0)
            return refusal(errc::kBadSignature, "the file's signature by the partner's key " + signer +
                                                    " does not match its content (" + describe(sig->status) + ")");
        out.signerFingerprint = signer;
        out.signedAt = static_cast<std::int64_t>(sig->timestamp);
    }
    return out;
}

}  // namespace

Result<VerifiedPlaintext> Keyring::decryptAndVerify(journal::ByteSource &ciphertext, ByteSink &plaintext,
                                                    const DecryptOptions &options) const {
    std::optional<std::string> expected;
    if (!options.expectedSigner.empty()) {
        expected = normalizeFingerprint(options.expectedSigner);
        if (!expected) return refusal(errc::kKey, "the partner's pinned fingerprint is not 40 hexadecimal digits");
    } else if (options.requireSignature) {
        return refusal(errc::kKey, "a signature is required but no partner fingerprint is pinned");
    }
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    SourceReader reader(ciphertext);
    SinkWriter writer(plaintext, options.maxPlaintextBytes);
    auto in = dataFrom(reader);
    if (!in) return in.error();
    auto out = dataTo(writer);
    if (!out) return out.error();

    PassphraseAsked asked;
    gpgme_set_passphrase_cb(ctx.value().get(), refusePassphrase, &asked);
    const auto err = gpgme_op_decrypt_ext(ctx.value().get(), GPGME_DECRYPT_VERIFY, in.value().get(), out.value().get());
    // Our own stream failures come first: GnuPG only saw a broken pipe.
    if (reader.error) return *reader.error;
    if (writer.error) return *writer.error;
    gpgme_decrypt_result_t decrypted = gpgme_op_decrypt_result(ctx.value().get());
    gpgme_verify_result_t verified = gpgme_op_verify_result(ctx.value().get());
    if (err != 0) return decryptFailure(err, decrypted, verified, reader.bytes, asked);
    if (decrypted == nullptr) return refusal(errc::kNotEncrypted, "the file is not an OpenPGP encrypted message");
    if (decrypted->legacy_cipher_nomdc)
        return refusal(errc::kCorrupt, "the file has no integrity protection (MDC); it cannot be trusted");

    auto checked = checkSignatures(ctx.value().get(), verified, expected, options.requireSignature);
    if (!checked) return checked;
    auto digest = hexDigest(writer.hash);
    if (!digest) return digest.error();
    checked.value().bytes = writer.bytes;
    checked.value().sha256Hex = std::move(digest.value());
    return checked;
}

Result<EncryptSummary> Keyring::encryptAndSign(journal::ByteSource &plaintext, ByteSink &ciphertext,
                                               const EncryptOptions &options) const {
    auto recipient = normalizeFingerprint(options.recipient);
    if (!recipient) return refusal(errc::kKey, "the recipient fingerprint is not 40 hexadecimal digits");
    auto ctx = newContext(home_);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx.value().get();
    gpgme_set_armor(c, options.armor ? 1 : 0);

    gpgme_key_t raw = nullptr;
    if (auto err = gpgme_get_key(c, recipient->c_str(), &raw, 0); err != 0)
        return refusal(errc::kKey, "the partner key " + *recipient + " is not in the keyring; import it first (" +
                                       describe(err) + ")");
    Key key(raw);
    if (key->revoked) return refusal(errc::kKeyRevoked, "the partner key " + *recipient + " is revoked");
    if (key->expired) return refusal(errc::kKeyExpired, "the partner key " + *recipient + " has expired");
    if (!key->can_encrypt || key->disabled || key->invalid)
        return refusal(errc::kKey, "the partner key " + *recipient + " has no usable encryption subkey");

    EncryptSummary summary;
    Key signerKey;
    if (options.sign) {
        std::string signer;
        if (options.signer.empty()) {
            auto own = gatewayKey();
            if (!own) return own.error();
            signer = own.value().fingerprint;
        } else if (auto normal = normalizeFingerprint(options.signer)) {
            signer = *normal;
        } else {
            return refusal(errc::kKey, "the signing key fingerprint is not 40 hexadecimal digits");
        }
        if (auto err = gpgme_get_key(c, signer.c_str(), &raw, 1); err != 0)
            return refusal(errc::kKey, "the keyring has no secret key " + signer + " (" + describe(err) + ")");
        signerKey.reset(raw);
        if (auto err = gpgme_signers_add(c, signerKey.get()); err != 0)
            return refusal(errc::kKey, "the key " + signer + " cannot sign (" + describe(err) + ")");
        summary.signerFingerprint = signer;
    }

    SourceReader reader(plaintext);
    SinkWriter writer(ciphertext, std::numeric_limits<std::uint64_t>::max());
    auto in = dataFrom(reader);
    if (!in) return in.error();
    auto out = dataTo(writer);
    if (!out) return out.error();
    gpgme_key_t recipients[] = {key.get(), nullptr};
    // The fingerprint is pinned in the partner profile: that is our trust
    // decision, not GnuPG's web of trust. The file goes to the partner only,
    // never also to a default recipient from a gpg.conf.
    const auto flags = static_cast<gpgme_encrypt_flags_t>(GPGME_ENCRYPT_ALWAYS_TRUST | GPGME_ENCRYPT_NO_ENCRYPT_TO);
    const auto err = options.sign ? gpgme_op_encrypt_sign(c, recipients, flags, in.value().get(), out.value().get())
                                  : gpgme_op_encrypt(c, recipients, flags, in.value().get(), out.value().get());
    if (reader.error) return *reader.error;
    if (writer.error) return *writer.error;
    if (gpgme_encrypt_result_t enc = gpgme_op_encrypt_result(c); enc != nullptr && enc->invalid_recipients != nullptr)
        return refusal(errc::kKey, "the partner key " + *recipient + " cannot be encrypted to (" +
                                       describe(enc->invalid_recipients->reason) + ")");
    if (options.sign) {
        gpgme_sign_result_t signedResult = gpgme_op_sign_result(c);
        if (signedResult != nullptr && signedResult->invalid_signers != nullptr)
            return refusal(errc::kKey, "the gateway key " + summary.signerFingerprint + " cannot sign (" +
                                           describe(signedResult->invalid_signers->reason) +
                                           "; is it protected by a passphrase?)");
        if (err == 0 && (signedResult == nullptr || signedResult->signatures == nullptr))
            return refusal(errc::kKey, "GnuPG made no signature");
    }
    if (err != 0) return refusal(errc::kSetup, "encrypting failed: " + describe(err));

    auto digest = hexDigest(reader.hash);
    if (!digest) return digest.error();
    summary.plaintextBytes = reader.bytes;
    summary.ciphertextBytes = writer.bytes;
    summary.plaintextSha256Hex = std::move(digest.value());
    return summary;
}

}  // namespace lendgate::pgp
