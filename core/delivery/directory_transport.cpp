#include "core/delivery/directory_transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "core/common/redact.h"
#include "core/common/unique_fd.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kMaxErrorText = 300;

TransportResult failed(const std::string &error) {
    return TransportResult{false, 0, redactForLog(error, kMaxErrorText)};
}

std::string errnoText(int error) {
    if (error == ENOSPC) return "the disk is full (ENOSPC)";
    if (error == EDQUOT) return "the disk quota is exhausted (EDQUOT)";
    return std::strerror(error);
}

// A message id is a ULID, but the name reaches the file system, so anything
// that could leave the folder or hide the file is refused outright.
bool safeFileName(const std::string &name) {
    if (name.empty() || name.size() > 200 || name.front() == '.') return false;
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

using Fd = UniqueFd;

bool writeAll(int fd, const std::string &bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Who reads a dropped file is whoever the folder lets in. A partner's SFTP
// outbound/ (lendgate sftp provision) is 2770, owned by the partner's
// account, group the gateway's: the account owns the folder but not our
// files, so it reads them through their other bits, which the folder keeps
// from everyone else. A folder that does let others in gets 0640, so a
// misplaced endpoint never makes files world-readable.
mode_t fileModeIn(const std::filesystem::path &folder) {
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) return 0640;
    return (st.st_mode & S_IRWXO) == 0 ? 0644 : 0640;
}

}  // namespace

TransportResult DirectoryTransport::send(const OutboundMessage &message, const config::Endpoint &endpoint) {
    namespace fs = std::filesystem;
    const std::string where = "directory " + endpoint.id;
    if (endpoint.path.empty()) return failed(where + ": no path configured");
    const std::string name = message.fileName.empty() ? message.messageId + message.fileExtension : message.fileName;
    if (!safeFileName(name)) return failed(where + ": the message id or file name is not usable as a file name");

    const fs::path folder = endpoint.path;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        fs::create_directories(folder, ec);
        if (ec) return failed(where + ": cannot create " + folder.string() + ": " + ec.message());
        // create_directories honours the umask; the folder's mode is our choice.
        fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, ec);
    }

    const fs::path target = folder / name;
    const fs::path temp = folder / ("." + name + ".tmp");
    {
        Fd file(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640));
        if (file.get() < 0) return failed(where + ": cannot write in " + folder.string() + ": " + errnoText(errno));
        int error = 0;
        // fchmod: the mode is ours to choose, not the umask's.
        if (::fchmod(file.get(), fileModeIn(folder)) != 0) error = errno;
        if (error == 0 && (!writeAll(file.get(), message.body) || ::fsync(file.get()) != 0)) error = errno;
        if (error == 0 && ::close(file.release()) != 0) error = errno;
        if (error != 0) {
            ::unlink(temp.c_str());
            return failed(where + ": writing " + name + " failed: " + errnoText(error));
        }
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failed(where + ": renaming into place failed: " + errnoText(error));
    }
    // Without this the rename itself may be lost in a crash.
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0)
        return failed(where + ": syncing the folder failed: " + errnoText(errno));
    return TransportResult{true, 0, {}};
}

}  // namespace lendgate::delivery
