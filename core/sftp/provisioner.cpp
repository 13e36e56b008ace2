#include "core/sftp/provisioner.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/sftp/layout.h"

extern char **environ;

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;

Error fsError(const fs::path &path, const std::string &what, int error) {
    return Error{"filesystem", what + " " + path.string() + ": " + std::strerror(error)};
}

int runProgram(const std::vector<std::string> &argv) {
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A folder with exactly this owner and mode, never through a symlink.
Result<bool> ensureDir(const fs::path &path, uid_t uid, gid_t gid, mode_t mode, ProvisionReport &report) {
    if (::mkdir(path.c_str(), 0700) == 0)
        report.push_back("created " + path.string());
    else if (errno != EEXIST)
        return fsError(path, "cannot create", errno);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return fsError(path, "cannot inspect", errno);
    if (!S_ISDIR(st.st_mode)) return Error{"unsafe_path", path.string() + " exists and is not a folder"};
    if (::lchown(path.c_str(), uid, gid) != 0) return fsError(path, "cannot set the owner of", errno);
    if (::chmod(path.c_str(), mode) != 0) return fsError(path, "cannot set the mode of", errno);
    return true;
}

Result<bool> writeRootFile(const fs::path &path, const std::string &text) {
    const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    ::unlink(temp.c_str());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return fsError(temp, "cannot write", errno);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fchown(fd, 0, 0) == 0 && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        return fsError(path, "cannot write", ok ? errno : error);
    }
    return true;
}

bool knownKeyType(const std::string &type) {
    static const char *const kTypes[] = {"ssh-ed25519",
                                         "ssh-rsa",
                                         "ecdsa-sha2-nistp256",
                                         "ecdsa-sha2-nistp384",
                                         "ecdsa-sha2-nistp521",
                                         "sk-ssh-ed25519@openssh.com",
                                         "sk-ecdsa-sha2-nistp256@openssh.com"};
    for (const char *known : kTypes)
        if (type == known) return true;
    return false;
}

}  // namespace

Result<std::string> authorizedKeysFrom(const std::string &publicKeys) {
    if (publicKeys.size() > 64 * 1024) return Error{"key", "the public key file is over 64 KiB"};
    std::istringstream lines(publicKeys);
    std::string out;
    int number = 0, keys = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        std::istringstream fields(line);
        std::string type, blob;
        fields >> type >> blob;
        if (!knownKeyType(type))
            return Error{"key", "line " + std::to_string(number) +
                                    ": not a public key of a known type (options are not allowed: we add 'restrict')"};
        if (blob.size() < 16 ||
            blob.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
                std::string::npos)
            return Error{"key", "line " + std::to_string(number) + ": the key is not base64"};
        for (const char c : line)
            if (static_cast<unsigned char>(c) < 0x20)
                return Error{"key", "line " + std::to_string(number) + ": control characters"};
        out += "restrict " + line + "\n";
        ++keys;
    }
    if (keys == 0) return Error{"key", "no public key in the file"};
    return out;
}

Result<bool> checkRootOwnedPath(const fs::path &path) {
    fs::path walked;
    for (const auto &part : path) {
        walked /= part;
        struct stat st {};
        if (::stat(walked.c_str(), &st) != 0) return fsError(walked, "cannot inspect", errno);
        if (st.st_uid != 0 || (st.st_mode & 022) != 0)
            return Error{"unsafe_path", walked.string() +
                                            " must be owned by root and not group- or world-writable: sshd refuses "
                                            "a chroot below it (use e.g. /srv/lendgate-sftp)"};
    }
    return true;
}

Result<ProvisionReport> provisionPartner(const config::GatewayConfig &config, const config::Partner &partner,
                                         const ProvisionOptions &options) {
    if (!config.sftp) return Error{"sftp_config", config.file.string() + " has no \"sftp\" section"};
    const auto *channel = config::GatewayConfig::sftpDrop(partner);
    if (channel == nullptr) return Error{"sftp_config", "partner " + partner.id + " has no sftp_drop channel"};
    if (::geteuid() != 0) return Error{"not_root", "provisioning creates accounts and chroots: run it as root"};
    const auto &settings = *config.sftp;
    const DropLayout layout = layoutOf(config, partner);
    ProvisionReport report;

    std::error_code ec;
    fs::create_directories(settings.root, ec);
    if (ec) return Error{"filesystem", "cannot create " + settings.root.string() + ": " + ec.message()};
    if (auto ok = ensureDir(settings.root, 0, 0, 0755, report); !ok) return ok.error();
    if (auto ok = checkRootOwnedPath(settings.root); !ok) return ok.error();

    gid_t gatewayGid = ::getegid();
    if (!settings.gatewayGroup.empty()) {
        const struct group *group = ::getgrnam(settings.gatewayGroup.c_str());
        if (group == nullptr) return Error{"account", "group " + settings.gatewayGroup + " does not exist"};
        gatewayGid = group->gr_gid;
    }

    if (::getpwnam(layout.user.c_str()) == nullptr) {
        // No home, no shell, no password ("*" is not a locked account for
        // sshd, "!" would be): the key is the only way in.
        const int rc = runProgram({"/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", "/", "--shell",
                                   "/usr/sbin/nologin", "--user-group", "--password", "*", layout.user});
        if (rc != 0) return Error{"account", "useradd " + layout.user + " failed (exit " + std::to_string(rc) + ")"};
        report.push_back("created account " + layout.user);
    } else {
        report.push_back("account " + layout.user + " exists");
    }
    const struct passwd *account = ::getpwnam(layout.user.c_str());
    if (account == nullptr) return Error{"account", "account " + layout.user + " cannot be read back"};
    const uid_t uid = account->pw_uid;

    // The partner writes inbound/ and removes what it read from outbound/;
    // the gateway's group does the rest (setgid: new files stay in it).
    const struct {
        fs::path path;
        uid_t uid;
        gid_t gid;
        mode_t mode;
    } dirs[] = {
        {layout.chroot, 0, 0, 0755},
        {layout.inbound, uid, gatewayGid, 02770},
        {layout.outbound, uid, gatewayGid, 02770},
        {processingRoot(settings), 0, gatewayGid, 0750},
        {layout.processing, 0, gatewayGid, 02770},
        {keysDir(settings), 0, 0, 0755},
    };
    for (const auto &d : dirs)
        if (auto ok = ensureDir(d.path, d.uid, d.gid, d.mode, report); !ok) return ok.error();

    const auto keySource = options.publicKey ? *options.publicKey : channel->authorizedKeys;
    if (!keySource.empty()) {
        std::ifstream in(keySource, std::ios::binary);
        if (!in) return Error{"key", "cannot read " + keySource.string()};
        std::ostringstream text;
        text << in.rdbuf();
        auto keys = authorizedKeysFrom(text.str());
        if (!keys) return Error{"key", keySource.string() + ": " + keys.error().message};
        if (auto ok = writeRootFile(layout.authorizedKeys, keys.value()); !ok) return ok.error();
        report.push_back("installed the key(s) of " + keySource.string() + " as " + layout.authorizedKeys.string());
    } else if (fs::exists(layout.authorizedKeys, ec)) {
        report.push_back("kept the installed key(s) " + layout.authorizedKeys.string());
    } else {
        return Error{"key",
                     "no public key for " + partner.id + ": pass --key FILE or set authorized_keys on its channel"};
    }
    report.push_back("drop folder " + layout.inbound.string() + ", answers in " + layout.outbound.string());
    return report;
}

}  // namespace lendgate::sftp
