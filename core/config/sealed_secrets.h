// Partner secrets the gateway keeps itself: request-signing secrets made by
// `lendgate partner rotate-key --signing` and webhook signing secrets made by
// `lendgate partner rotate-key --webhook`. Each is sealed with the key ring's
// current data key (AES-256-GCM, core/security/aead.h), the associated data
// binding the partner and the purpose, so a file copied to another partner or
// purpose does not open. On disk: <data_dir>/secrets/<partner>-<n>.sealed,
// mode 0600, the sealed bytes in hex; never the secret in the clear.
#ifndef LENDGATE_CONFIG_SEALED_SECRETS_H
#define LENDGATE_CONFIG_SEALED_SECRETS_H

#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::security {
class KeyRing;
}

namespace lendgate::config {

inline constexpr std::string_view kRequestSigningPurpose = "request_signing";
/// Webhook signing (gateway to partner): its own purpose, so a request-signing
/// file cannot stand in for a webhook secret or the other way round.
inline constexpr std::string_view kWebhookSigningPurpose = "webhook_signing";

/// The associated data a sealed secret is bound to.
std::string sealedSecretAad(std::string_view partnerId, std::string_view purpose);

/// Seals `secret` into a new `file` (0600, atomic; an existing file is an
/// error), creating its folder (0700) when missing.
Result<bool> writeSealedSecret(const std::filesystem::path &file, std::string_view secret,
                               const security::KeyRing &ring, std::string_view partnerId, std::string_view purpose);

/// Opens a file written by writeSealedSecret. Errors name the file and the
/// reason (missing, permissions, altered, sealed for another partner).
Result<std::string> openSealedSecret(const std::filesystem::path &file, const security::KeyRing &ring,
                                     std::string_view partnerId, std::string_view purpose);

/// Any secret reference: a sealed one opened with the ring, the others by
/// resolveSecret.
Result<std::string> resolvePartnerSecret(const SecretRef &ref, const security::KeyRing &ring,
                                         std::string_view partnerId, std::string_view purpose);

}  // namespace lendgate::config

#endif  // LENDGATE_CONFIG_SEALED_SECRETS_H
