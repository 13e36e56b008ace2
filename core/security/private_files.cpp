#include "core/security/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <openssl/crypto.h>

#include "core/common/unique_fd.h"
#include "core/security/encoding.h"
#include "core/security/secret.h"

namespace lendgate::security {
namespace fs = std::filesystem;
namespace {

using Fd = UniqueFd;

std::string modeText(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Error ioError(const fs::path &path, std::string_view action, int err) {
    return Error{"keyring_io",
                 "key ring: cannot " + std::string(action) + " " + path.string() + ": " + std::strerror(err)};
}

/// Private to the gateway's user: no group or other access, owned by the
/// effective user (open() already refused a symbolic link with O_NOFOLLOW).
Result<bool> checkPrivate(int fd, const fs::path &path, bool directory) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return ioError(path, "inspect", errno);
    const std::string what = directory ? "key ring directory " : "key file ";
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        return Error{"keyring_permissions",
                     what + path.string() + (directory ? " is not a directory" : " is not a regular file")};
    }
    if (st.st_uid != ::geteuid()) {
        return Error{"keyring_permissions", what + path.string() + " is owned by uid " + std::to_string(st.st_uid) +
                                                ", not by the gateway's user (uid " + std::to_string(::geteuid()) +
                                                ")"};
    }
    if ((st.st_mode & 077) != 0) {
        const std::string wanted = directory ? "0700" : "0600";
        return Error{"keyring_permissions", what + path.string() + " has mode " + modeText(st.st_mode) +
                                                "; it must be " + wanted + " (no access for group or others): chmod " +
                                                wanted.substr(1) + " " + path.string()};
    }
    return true;
}

Result<bool> writeAll(int fd, std::string_view data, const fs::path &path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(path, "write", errno);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

Result<bool> checkPrivateDirectory(const fs::path &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ELOOP || errno == ENOTDIR) {
            return Error{"keyring_permissions",
                         "key ring directory " + dir.string() + " is a symbolic link or not a directory"};
        }
        return ioError(dir, "open", errno);
    }
    return checkPrivate(fd.get(), dir, true);
}

Result<bool> fsyncDirectory(const fs::path &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return ioError(dir, "sync", errno);
    return true;
}

Result<bool> createPrivateDirectory(const fs::path &dir) {
    std::error_code ec;
    const fs::path parent = dir.parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return ioError(parent, "create", ec.value());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return ioError(dir, "create", errno);
    if (!parent.empty()) return fsyncDirectory(parent);
    return true;
}

Result<std::string> readPrivateFile(const fs::path &file, std::size_t maxBytes) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ELOOP) return Error{"keyring_permissions", "key file " + file.string() + " is a symbolic link"};
        return ioError(file, "open", errno);
    }
    if (auto ok = checkPrivate(fd.get(), file, false); !ok) return ok.error();
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(file, "read", errno);
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > maxBytes) {
            wipe(text);
            return Error{"keyring_invalid", "key file " + file.string() + " is too large"};
        }
    }
    OPENSSL_cleanse(buffer, sizeof buffer);
    return text;
}

Result<bool> writePrivateFile(const fs::path &file, std::string_view text, bool createOnly) {
    std::array<std::uint8_t, 8> nonce{};
    if (auto ok = randomBytes(nonce); !ok) return ok.error();
    const fs::path directory = file.parent_path();
    const fs::path temp = directory / ("." + file.filename().string() + "." + toHex(nonce) + ".tmp");
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return ioError(temp, "create", errno);
    Result<bool> outcome = writeAll(fd.get(), text, temp);
    if (outcome && (::fchmod(fd.get(), 0600) != 0 || ::fsync(fd.get()) != 0)) outcome = ioError(temp, "sync", errno);
    if (outcome && ::close(fd.release()) != 0) outcome = ioError(temp, "close", errno);
    bool installed = true;
    if (outcome) {
        // link() fails if the name exists, so creation never replaces a file
        // another process just made; replacing is for rotation, on purpose.
        const int rc = createOnly ? ::link(temp.c_str(), file.c_str()) : ::rename(temp.c_str(), file.c_str());
        if (rc != 0 && createOnly && errno == EEXIST)
            installed = false;
        else if (rc != 0)
            outcome = ioError(file, "install", errno);
    }
    ::unlink(temp.c_str());  // after rename this is a no-op; after link it drops the extra name
    if (!outcome) return outcome;
    if (auto synced = fsyncDirectory(directory); !synced) return synced;
    return installed;
}

}  // namespace lendgate::security
