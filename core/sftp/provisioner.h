// `lendgate sftp provision PARTNER`: the partner's Unix account, chroot and
// authorized key, made the way sshd demands (it refuses a chroot any of whose
// path components is not root-owned or is group- or world-writable, and a key
// file a user could change). Runs as root; repeatable (fixes modes and owners
// of what exists, creates what is missing).
#ifndef LENDGATE_SFTP_PROVISIONER_H
#define LENDGATE_SFTP_PROVISIONER_H

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::sftp {

struct ProvisionOptions {
    /// The partner's public key file; default: the channel's authorized_keys.
    std::optional<std::filesystem::path> publicKey;
};

/// What provisioning did, one line a step, for the operator.
using ProvisionReport = std::vector<std::string>;

/// Error codes: not_root, sftp_config, unsafe_path, account, filesystem, key.
Result<ProvisionReport> provisionPartner(const config::GatewayConfig &config, const config::Partner &partner,
                                         const ProvisionOptions &options = {});

/// Checks that `path` and every folder above it are root-owned and not
/// group- or world-writable (what sshd requires of a ChrootDirectory).
Result<bool> checkRootOwnedPath(const std::filesystem::path &path);

/// The authorized_keys text we install for a partner's key file: each key
/// prefixed with "restrict", options in the source refused. Error code key.
Result<std::string> authorizedKeysFrom(const std::string &publicKeys);

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_PROVISIONER_H
