// The drop-folder server for end-to-end tests: a chroot root sshd accepts,
// `lendgate sftp serve` as a child, and loopback port helpers.
#ifndef LENDGATE_TESTS_E2E_E2E_SFTP_H
#define LENDGATE_TESTS_E2E_E2E_SFTP_H

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace lendgate::e2e {

/// A loopback port nobody listens on right now.
std::uint16_t freePort();
/// Something accepts connections on 127.0.0.1:port.
bool accepting(std::uint16_t port);

/// The chroots (sshd wants them root-owned all the way up, so not under
/// /tmp: a fresh 0755 folder under /var/lib) and the partner account named
/// in `user`, both removed whatever happens.
class SftpRoot {
public:
    explicit SftpRoot(const std::string &prefix = "lendgate-e2e-sftp");
    ~SftpRoot();
    SftpRoot(const SftpRoot &) = delete;
    SftpRoot &operator=(const SftpRoot &) = delete;
    const std::filesystem::path &path() const { return path_; }
    std::string user;

private:
    std::filesystem::path path_;
};

/// `lendgate sftp serve` (which becomes sshd) as a child, its output
/// appended to `log`; SIGTERM, then SIGKILL, at the end.
class SftpServer {
public:
    SftpServer(const std::filesystem::path &config, const std::filesystem::path &log);
    ~SftpServer();
    SftpServer(const SftpServer &) = delete;
    SftpServer &operator=(const SftpServer &) = delete;
    bool running();

private:
    pid_t pid_ = -1;
};

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_SFTP_H
