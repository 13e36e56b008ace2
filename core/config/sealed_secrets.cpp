#include "core/config/sealed_secrets.h"

#include "core/config/secrets.h"
#include "core/security/aead.h"
#include "core/security/encoding.h"
#include "core/security/private_files.h"

namespace lendgate::config {

namespace {
constexpr std::size_t kMaxSealedFileBytes = 16 * 1024;
}

std::string sealedSecretAad(std::string_view partnerId, std::string_view purpose) {
    std::string aad = "lendgate/partner-secret/v1:";
    aad.append(partnerId).append(":").append(purpose);
    return aad;
}

Result<bool> writeSealedSecret(const std::filesystem::path &file, std::string_view secret,
                               const security::KeyRing &ring, std::string_view partnerId, std::string_view purpose) {
    if (auto dir = security::createPrivateDirectory(file.parent_path()); !dir) return dir.error();
    auto sealed = security::DataCipher(ring).encrypt(secret, sealedSecretAad(partnerId, purpose));
    if (!sealed) return sealed.error();
    auto written = security::writePrivateFile(file, security::toHex(sealed.value()) + "\n", true);
    if (!written) return written.error();
    if (!written.value()) return Error{"secret", "sealed secret " + file.string() + " exists already"};
    return true;
}

Result<std::string> openSealedSecret(const std::filesystem::path &file, const security::KeyRing &ring,
                                     std::string_view partnerId, std::string_view purpose) {
    auto text = security::readPrivateFile(file, kMaxSealedFileBytes);
    if (!text) return Error{"secret", "sealed secret: " + text.error().message};
    std::string hex = text.value();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
    auto sealed = security::fromHex(hex);
    if (!sealed) return Error{"secret", "sealed secret " + file.string() + " is not hexadecimal"};
    auto secret = security::DataCipher(ring).decrypt(*sealed, sealedSecretAad(partnerId, purpose));
    if (!secret)
        return Error{"secret", "sealed secret " + file.string() + " does not open for partner " +
                                   std::string(partnerId) + " (" + secret.error().message + ")"};
    return secret.value();
}

Result<std::string> resolvePartnerSecret(const SecretRef &ref, const security::KeyRing &ring,
                                         std::string_view partnerId, std::string_view purpose) {
    if (ref.kind == SecretRef::Kind::Sealed) return openSealedSecret(ref.name, ring, partnerId, purpose);
    return resolveSecret(ref);
}

}  // namespace lendgate::config
