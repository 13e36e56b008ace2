#include "core/sftp/layout.h"

namespace lendgate::sftp {

fs::path keysDir(const config::SftpSettings &settings) {
    return settings.root / ".keys";
}

fs::path processingRoot(const config::SftpSettings &settings) {
    return settings.root / ".processing";
}

DropLayout layoutOf(const config::GatewayConfig &config, const config::Partner &partner) {
    DropLayout layout;
    layout.partnerId = partner.id;
    layout.user = config.sftpUser(partner);
    const config::SftpSettings settings = config.sftp.value_or(config::SftpSettings{});
    layout.chroot = settings.root / partner.id;
    layout.inbound = layout.chroot / "inbound";
    layout.outbound = layout.chroot / "outbound";
    layout.processing = processingRoot(settings) / partner.id;
    layout.authorizedKeys = keysDir(settings) / layout.user;
    return layout;
}

bool isPartial(std::string_view name) {
    return name.size() > kPartialSuffix.size() && name.ends_with(kPartialSuffix);
}

std::string nameProblem(std::string_view name) {
    if (name.empty() || name == "." || name == "..") return "is not a file name";
    if (name.size() > 255) return "is longer than 255 bytes";
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) return "contains control characters";
        if (c == '/') return "contains a slash";
    }
    return {};
}

std::string safeName(std::string_view name) {
    std::string out;
    for (const char c : name.substr(0, 200)) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        out += ok ? c : '_';
    }
    if (out.empty()) out = "_";
    if (out.front() == '.') out.front() = '_';
    return out;
}

std::string ackFileName(std::string_view name, std::string_view extension) {
    std::string out = "ACK_" + safeName(name);
    if (!out.ends_with(extension)) out += extension;
    return out;
}

}  // namespace lendgate::sftp
