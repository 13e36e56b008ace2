#include "core/sftp/sshd_config.h"

#include "core/sftp/layout.h"

namespace lendgate::sftp {
namespace {

void replaceAll(std::string &text, std::string_view placeholder, const std::string &value) {
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
}

// sshd_config splits on white space and treats '"' and '#' specially; our
// paths come from the operator, but a space would silently cut one short.
bool plainToken(const std::string &value) {
    if (value.empty()) return false;
    for (const char c : value)
        if (c <= ' ' || c == '"' || c == '#' || c == 0x7f) return false;
    return true;
}

}  // namespace

std::string matchBlock(const config::GatewayConfig &config, const config::Partner &partner) {
    const DropLayout layout = layoutOf(config, partner);
    return "Match User " + layout.user +
           "\n"
           "    ChrootDirectory " +
           layout.chroot.string() +
           "\n"
           "    ForceCommand internal-sftp -l INFO -u 0027\n"
           "    AllowTcpForwarding no\n"
           "    X11Forwarding no\n"
           "    PermitTTY no\n"
           "    PermitTunnel no\n";
}

Result<std::string> renderSshdConfig(const config::GatewayConfig &config, const std::filesystem::path &pidFile) {
    if (!config.sftp) return Error{"sftp_config", config.file.string() + " has no \"sftp\" section"};
    const auto &s = *config.sftp;
    std::string users, blocks;
    for (const auto &partner : config.partners) {
        if (config::GatewayConfig::sftpDrop(partner) == nullptr) continue;
        const DropLayout layout = layoutOf(config, partner);
        if (!plainToken(layout.chroot.string()))
            return Error{"sftp_config", "the chroot path of " + partner.id + " holds spaces or quotes"};
        users += (users.empty() ? "" : " ") + layout.user;
        blocks += matchBlock(config, partner) + "\n";
    }
    if (users.empty()) return Error{"sftp_config", "no partner has an sftp_drop channel"};
    for (const auto &path : {s.hostKey.string(), pidFile.string(), keysDir(s).string(), s.host})
        if (!plainToken(path)) return Error{"sftp_config", "'" + path + "' holds spaces or quotes"};
    std::string text(sshdConfigTemplate());
    replaceAll(text, "{{PORT}}", std::to_string(s.port));
    replaceAll(text, "{{LISTEN_ADDRESS}}", s.host);
    replaceAll(text, "{{HOST_KEY}}", s.hostKey.string());
    replaceAll(text, "{{PID_FILE}}", pidFile.string());
    replaceAll(text, "{{KEYS_DIR}}", keysDir(s).string());
    replaceAll(text, "{{ALLOW_USERS}}", users);
    replaceAll(text, "{{MATCH_BLOCKS}}", blocks);
    return text;
}

}  // namespace lendgate::sftp
