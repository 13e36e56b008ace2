// Where a partner's drop folder lives and what names in it may be.
//
// <root>/<partner id>/            the chroot: root-owned 0755 (sshd insists)
//                    inbound/     the partner uploads here (NAME.partial, then renames to NAME)
//                    outbound/    ACK/NACK files (and any directory endpoint pointed here)
// <root>/.processing/<partner id>/  files taken from inbound/ while they are
//                                   journaled: outside the chroot, same file system
// <root>/.keys/<account>          the partner's authorized keys, root-owned
//
// There is no archive/ folder: the journal's blob store keeps every taken
// file, encrypted, and nothing the partner sent stays in the chroot.
#ifndef LENDGATE_SFTP_LAYOUT_H
#define LENDGATE_SFTP_LAYOUT_H

#include <filesystem>
#include <string>
#include <string_view>

#include "core/config/gateway_config.h"

namespace lendgate::sftp {

namespace fs = std::filesystem;

struct DropLayout {
    std::string partnerId;
    std::string user;  ///< the partner's Unix account
    fs::path chroot;
    fs::path inbound;
    fs::path outbound;
    fs::path processing;
    fs::path authorizedKeys;  ///< the installed copy sshd reads
};

DropLayout layoutOf(const config::GatewayConfig &config, const config::Partner &partner);
fs::path keysDir(const config::SftpSettings &settings);
fs::path processingRoot(const config::SftpSettings &settings);

/// The upload convention: NAME.partial is in progress; renamed to NAME it is complete.
inline constexpr std::string_view kPartialSuffix = ".partial";
bool isPartial(std::string_view name);

/// Why a dropped name is refused before its file is looked at, or empty.
/// (Control characters, NUL, '/', "." and "..", over 255 bytes.)
std::string nameProblem(std::string_view name);

/// `name` made safe to show and to build a file name from: anything but
/// [A-Za-z0-9._-] becomes '_', a leading '.' too, at most 200 bytes.
std::string safeName(std::string_view name);

/// The ACK file for a dropped file: "ACK_" + safeName(name), with
/// `extension` (".csv") appended unless the name already ends with it.
std::string ackFileName(std::string_view name, std::string_view extension);

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_LAYOUT_H
