// Throwaway GnuPG homes and keys for the OpenPGP tests. Homes are short
// (/tmp/lgpXXXXXX) because gpg-agent's socket lives inside them and must fit
// in 108 bytes; every home's agent is stopped when the home goes.
#ifndef LENDGATE_TESTS_PGP_TEST_SUPPORT_H
#define LENDGATE_TESTS_PGP_TEST_SUPPORT_H

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/pgp/pgp.h"

namespace lendgate::pgp::testing {

namespace fs = std::filesystem;

/// Runs a program (no shell); its stdout is returned in `out`, stderr kept in `err`.
inline int run(const std::vector<std::string> &argv, std::string *out = nullptr, std::string *err = nullptr) {
    char outName[] = "/tmp/lgpoXXXXXX";
    char errName[] = "/tmp/lgpeXXXXXX";
    const int outFd = ::mkstemp(outName);
    const int errFd = ::mkstemp(errName);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(outFd, 1);
        ::dup2(errFd, 2);
        const int nullFd = ::open("/dev/null", O_RDONLY);
        ::dup2(nullFd, 0);
        std::vector<char *> args;
        for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto slurp = [](const char *name) {
        std::ifstream in(name, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    if (out != nullptr) *out = slurp(outName);
    if (err != nullptr) *err = slurp(errName);
    ::close(outFd);
    ::close(errFd);
    ::unlink(outName);
    ::unlink(errName);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string readFile(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void writeFile(const fs::path &path, const std::string &bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// A GnuPG home of its own, driven with the gpg command line (a partner's,
/// a stranger's). Stops its agent and disappears with the object.
class GpgHome {
public:
    GpgHome() {
        char name[] = "/tmp/lgpXXXXXX";
        if (::mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = name;
    }
    ~GpgHome() {
        stopAgent();
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    GpgHome(const GpgHome &) = delete;
    GpgHome &operator=(const GpgHome &) = delete;

    const std::string &path() const { return path_; }
    fs::path file(const std::string &name) const { return fs::path(path_) / name; }
    void stopAgent() const { run({"gpgconf", "--homedir", path_, "--kill", "all"}); }

    /// gpg with this home, in batch mode, trusting pinned keys; throws on failure.
    std::string gpg(std::vector<std::string> args, const std::vector<std::string> &before = {}) const {
        std::vector<std::string> argv{"gpg",           "--homedir",       path_,      "--batch",      "--yes",
                                      "--no-tty",      "--pinentry-mode", "loopback", "--passphrase", "",
                                      "--trust-model", "always"};
        argv.insert(argv.end(), before.begin(), before.end());
        argv.insert(argv.end(), args.begin(), args.end());
        std::string out, err;
        if (run(argv, &out, &err) != 0) throw std::runtime_error("gpg failed: " + err);
        return out;
    }

    /// A new ed25519/cv25519 key pair without a passphrase; its fingerprint.
    std::string generateKey(const std::string &userId, const std::string &expiry = "never",
                            const std::vector<std::string> &before = {}) const {
        gpg({"--quick-gen-key", userId, "future-default", "default", expiry}, before);
        return lastFingerprint(userId);
    }

    std::string lastFingerprint(const std::string &userId) const {
        std::istringstream lines(gpg({"--with-colons", "--list-keys", userId}));
        std::string line, fpr;
        bool primary = false;
        while (std::getline(lines, line)) {
            if (line.rfind("pub:", 0) == 0) primary = true;
            if (line.rfind("fpr:", 0) == 0 && primary) {
                fpr = line.substr(0, line.size() - 1);
                fpr = fpr.substr(fpr.rfind(':') + 1);
                primary = false;
            }
        }
        if (fpr.empty()) throw std::runtime_error("no key for " + userId);
        return fpr;
    }

    std::string exportPublic(const std::string &fingerprint) const { return gpg({"--armor", "--export", fingerprint}); }
    void importKey(const std::string &armored) const {
        const fs::path f = file("import.asc");
        writeFile(f, armored);
        gpg({"--import", f.string()});
        fs::remove(f);
    }

    /// Writes `plain` to a file and runs gpg over it with `args`; the output bytes.
    std::string transform(const std::string &plain, const std::vector<std::string> &args,
                          const std::vector<std::string> &before = {}) const {
        const fs::path in = file("in.bin"), out = file("out.bin");
        writeFile(in, plain);
        std::vector<std::string> all{"--output", out.string()};
        all.insert(all.end(), args.begin(), args.end());
        all.push_back(in.string());
        gpg(all, before);
        std::string bytes = readFile(out);
        fs::remove(in);
        fs::remove(out);
        return bytes;
    }

private:
    std::string path_;
};

/// The gateway's keyring in a throwaway home.
class GatewayHome {
public:
    GatewayHome() : home_(), keyring_(open(home_.path())) {}
    const Keyring &keyring() const { return keyring_; }
    GpgHome &home() { return home_; }

private:
    static Keyring open(const std::string &path) {
        auto opened = Keyring::open(path);
        if (!opened) throw std::runtime_error(opened.error().message);
        return std::move(opened.value());
    }
    GpgHome home_;
    Keyring keyring_;
};

}  // namespace lendgate::pgp::testing

#endif  // LENDGATE_TESTS_PGP_TEST_SUPPORT_H
