// The sshd_config of the drop-folder server, rendered from
// config/sshd_config.template (compiled in) with the sftp section and one
// Match block per partner that has an sftp_drop channel.
#ifndef LENDGATE_SFTP_SSHD_CONFIG_H
#define LENDGATE_SFTP_SSHD_CONFIG_H

#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::sftp {

std::string_view sshdConfigTemplate();

/// One partner's Match block: chroot, internal-sftp forced (umask 027), no
/// forwarding, no TTY. Also what an operator pastes into the system sshd.
std::string matchBlock(const config::GatewayConfig &config, const config::Partner &partner);

/// The whole sshd_config; fails (code "sftp_config") without an sftp
/// section or without any sftp_drop partner (sshd refuses an empty AllowUsers).
Result<std::string> renderSshdConfig(const config::GatewayConfig &config, const std::filesystem::path &pidFile);

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_SSHD_CONFIG_H
