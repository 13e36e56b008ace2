// A real OpenSSH server on 127.0.0.1 for the SFTP client tests: its own host
// key, a throw-away Unix account that may only use internal-sftp, the
// client's key pair, a known_hosts file pinning the server, and folders
// under a root-owned 0755 directory in /var/lib (sshd and the account must be
// able to reach them; /tmp test folders are 0700). Everything (process,
// account, files) is removed by the destructor. Needs root and
// /usr/sbin/sshd; skipReason() says when they are missing.
#ifndef LENDGATE_TESTS_CORE_SFTP_TEST_SSHD_H
#define LENDGATE_TESTS_CORE_SFTP_TEST_SSHD_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/config/gateway_config.h"

namespace lendgate::sftp::testing {

namespace fs = std::filesystem;

inline std::string readText(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void writeText(const fs::path &file, const std::string &bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// `ssh-keygen -l` of a public key file: "SHA256:..." only.
inline std::string fingerprintOf(const fs::path &publicKey) {
    const fs::path out = publicKey.string() + ".fp";
    if (std::system(("/usr/bin/ssh-keygen -l -E sha256 -f " + publicKey.string() + " > " + out.string()).c_str()) != 0)
        return "(ssh-keygen failed)";
    std::istringstream fields(readText(out));
    std::string bits, fingerprint;
    fields >> bits >> fingerprint;
    return fingerprint;
}

inline bool accepting(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

inline std::uint16_t freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

class TestSshd {
public:
    static std::string skipReason() {
        if (!fs::exists("/usr/sbin/sshd")) return "no /usr/sbin/sshd: install openssh-server (CI has it)";
        if (::geteuid() != 0) return "the test sshd needs a Unix account: run as root (CI does)";
        return {};
    }

    TestSshd() {
        char pattern[] = "/var/lib/lendgate-sftpc-test-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
        root_ = pattern;
        ::chmod(pattern, 0755);
        static int serial = 0;
        user_ = "lgsc" + std::to_string(::getpid() % 100000) + "-" + std::to_string(++serial);
        if (std::system(("/usr/sbin/useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin "
                         "--user-group --password '*' " +
                         user_)
                            .c_str()) != 0)
            throw std::runtime_error("useradd " + user_ + " failed");
        keygen(root_ / "host_key");
        keygen(root_ / "client_key");
        keygen(root_ / "other_key");
        fs::create_directories(root_ / "keys");
        fs::copy_file(root_ / "client_key.pub", root_ / "keys" / user_);
        ::chmod((root_ / "keys" / user_).c_str(), 0644);
        port_ = freePort();
        pinnedTo(root_ / "known_hosts", root_ / "host_key.pub");
        home_ = folder("home");
        writeText(root_ / "sshd_config",
                  "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " +
                      (root_ / "host_key").string() + "\nPidFile " + (root_ / "sshd.pid").string() +
                      "\nAuthorizedKeysFile " + (root_ / "keys").string() +
                      "/%u\nAuthenticationMethods publickey\nPasswordAuthentication no\n"
                      "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPermitRootLogin no\n"
                      "AllowUsers " +
                      user_ +
                      "\nDisableForwarding yes\nPermitTTY no\nLogLevel VERBOSE\n"
                      "Subsystem sftp internal-sftp\nForceCommand internal-sftp -u 0022\n");
        if (!start()) throw std::runtime_error("the test sshd did not start: " + readText(root_ / "sshd.log"));
    }

    ~TestSshd() {
        stop();
        // A session process of the account may still be on its way out, and
        // userdel refuses while one runs.
        for (int i = 0; i < 100 && ::getpwnam(user_.c_str()) != nullptr; ++i) {
            (void)std::system(
                ("/usr/bin/pkill -KILL -u " + user_ + "; /usr/sbin/userdel " + user_ + " 2>/dev/null").c_str());
            if (::getpwnam(user_.c_str()) != nullptr) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

    TestSshd(const TestSshd &) = delete;
    TestSshd &operator=(const TestSshd &) = delete;

    /// Starts sshd (again); true once it accepts connections (within 10 s).
    bool start() {
        if (pid_ > 0) return true;
        ::mkdir("/run/sshd", 0755);
        const std::string config = (root_ / "sshd_config").string(), log = (root_ / "sshd.log").string();
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(125);
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(out, STDERR_FILENO);
            ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", config.c_str(), static_cast<char *>(nullptr));
            ::_exit(127);
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < until) {
            if (accepting(port_)) return true;
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    /// Kills sshd (the server is down until start()).
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 250 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (::waitpid(pid_, &status, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
    }

    /// Stops (true) or resumes every per-connection process of this server,
    /// leaving the listener: connections stay open but nothing answers.
    void freezeSessions(bool frozen) const {
        if (pid_ <= 0) return;
        (void)std::system(("/usr/bin/pkill -" + std::string(frozen ? "STOP" : "CONT") + " -P " + std::to_string(pid_) +
                           "; /usr/bin/pkill -" + (frozen ? "STOP" : "CONT") + " -u " + user_)
                              .c_str());
    }

    /// root/NAME, owned by the account with `mode` (0755 root-owned if !owned).
    fs::path folder(const std::string &name, bool owned = true, mode_t mode = 0755) {
        const fs::path path = root_ / name;
        fs::create_directories(path);
        ::chmod(path.c_str(), mode);
        if (owned) chown(path);
        return path;
    }

    /// A file as the partner would have put it there (owned by the account).
    void put(const fs::path &file, const std::string &bytes) {
        writeText(file, bytes);
        chown(file);
    }

    /// The connection settings for `folder`, with the client's key and the pinned host key.
    config::SftpRemote remote(const fs::path &folder) const {
        config::SftpRemote r;
        r.host = "127.0.0.1";
        r.port = port_;
        r.user = user_;
        r.privateKey = config::SecretRef{config::SecretRef::Kind::File, (root_ / "client_key").string()};
        r.knownHosts = root_ / "known_hosts";
        r.folder = folder.string();
        r.timeoutMs = 5000;
        return r;
    }

    /// Writes a known_hosts file pinning this server's port to `publicKey`.
    void pinnedTo(const fs::path &knownHosts, const fs::path &publicKey) const {
        writeText(knownHosts, "[127.0.0.1]:" + std::to_string(port_) + " " + readText(publicKey));
    }

    /// Makes a fresh key pair at `path` (and path.pub).
    static void keygen(const fs::path &path) {
        if (std::system(("/usr/bin/ssh-keygen -q -t ed25519 -N '' -C test -f " + path.string()).c_str()) != 0)
            throw std::runtime_error("ssh-keygen failed");
    }

    const fs::path &root() const { return root_; }
    const fs::path &home() const { return home_; }
    const std::string &user() const { return user_; }
    std::uint16_t port() const { return port_; }
    std::string log() const { return readText(root_ / "sshd.log"); }

private:
    void chown(const fs::path &path) const {
        const struct passwd *account = ::getpwnam(user_.c_str());
        if (account == nullptr || ::chown(path.c_str(), account->pw_uid, account->pw_gid) != 0)
            throw std::runtime_error("chown " + path.string() + " failed");
    }

    fs::path root_;
    fs::path home_;
    std::string user_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace lendgate::sftp::testing

#endif  // LENDGATE_TESTS_CORE_SFTP_TEST_SSHD_H
