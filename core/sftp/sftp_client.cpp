#include "core/sftp/sftp_client.h"

#include <fcntl.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/common/redact.h"
#include "core/config/secrets.h"

namespace lendgate::sftp {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = 32 * 1024;  // what every SFTP server takes in one request
constexpr std::size_t kMaxErrorText = 400;

struct SessionFree {
    void operator()(ssh_session s) const {
        if (ssh_is_connected(s)) ssh_disconnect(s);
        ssh_free(s);
    }
};
struct SftpFree {
    void operator()(sftp_session s) const { sftp_free(s); }
};
struct KeyFree {
    void operator()(ssh_key k) const { ssh_key_free(k); }
};
struct FileClose {
    void operator()(sftp_file f) const { sftp_close(f); }
};
struct DirClose {
    void operator()(sftp_dir d) const { sftp_closedir(d); }
};
struct AttributesFree {
    void operator()(sftp_attributes a) const { sftp_attributes_free(a); }
};
using Session = std::unique_ptr<ssh_session_struct, SessionFree>;
using Sftp = std::unique_ptr<sftp_session_struct, SftpFree>;
using Key = std::unique_ptr<ssh_key_struct, KeyFree>;
using File = std::unique_ptr<sftp_file_struct, FileClose>;
using Dir = std::unique_ptr<sftp_dir_struct, DirClose>;
using Attributes = std::unique_ptr<sftp_attributes_struct, AttributesFree>;

Error fail(std::string code, const std::string &message) {
    return Error{std::move(code), redactForLog(message, kMaxErrorText)};
}

// Host-key refusals are composed only of configuration and key fingerprints,
// which an operator must compare character by character: the redaction of
// digit runs (meant for account numbers) would mask parts of them.
Error failOnHostKey(std::string code, const std::string &message) {
    return Error{std::move(code), message.substr(0, 4 * kMaxErrorText)};
}

void initializeOnce() {
    static std::once_flag once;
    std::call_once(once, [] { ssh_init(); });
}

std::string fingerprintOf(ssh_key key) {
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) return "(unreadable key)";
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    ssh_clean_pubkey_hash(&hash);
    if (text == nullptr) return "(unreadable key)";
    std::string out = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + text;
    ssh_string_free_char(text);
    return out;
}

// The fingerprints known_hosts pins for host:port, for the refusal message
// (libssh decides; this only tells the operator what was expected).
std::vector<std::string> pinnedFingerprints(const fs::path &file, const std::string &host, std::uint16_t port) {
    std::vector<std::string> out;
    const std::string wanted = port == 22 ? host : "[" + host + "]:" + std::to_string(port);
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string hosts, type, base64;
        if (!(fields >> hosts >> type >> base64) || hosts.empty() || hosts[0] == '#' || hosts[0] == '@') continue;
        bool match = hosts.rfind("|1|", 0) == 0;  // hashed: cannot be read back, shown as such
        std::istringstream names(hosts);
        for (std::string name; std::getline(names, name, ',');) match = match || name == wanted;
        if (!match) continue;
        if (hosts.rfind("|1|", 0) == 0) {
            out.push_back(type + " (hashed entry)");
            continue;
        }
        ssh_key raw = nullptr;
        if (ssh_pki_import_pubkey_base64(base64.c_str(), ssh_key_type_from_name(type.c_str()), &raw) != SSH_OK) {
            out.push_back(type + " (unreadable entry)");
            continue;
        }
        Key key(raw);
        out.push_back(fingerprintOf(key.get()));
    }
    return out;
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// libssh's blocking calls after the connect wait for an answer without end
// (its timeout bounds the connect only), and a server that stalls must not
// hang a delivery worker or the poller. So each call runs under a deadline:
// past it, the watchdog shuts the socket down, the waiting call fails and
// the session is finished.
class Watchdog {
public:
    using Steady = std::chrono::steady_clock;

    static Watchdog &instance() {
        static Watchdog watchdog;
        return watchdog;
    }

    std::uint64_t arm(int fd, Steady::time_point deadline) {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        const std::uint64_t id = ++next_;
        entries_[id] = Entry{fd, deadline, false};
        wake_.notify_all();
        return id;
    }

    bool fired(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(id);
        return it != entries_.end() && it->second.fired;
    }

    /// True if the deadline had passed and the socket was shut down.
    bool disarm(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(id);
        if (it == entries_.end()) return false;
        const bool fired = it->second.fired;
        entries_.erase(it);
        return fired;
    }

    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    struct Entry {
        int fd;
        Steady::time_point deadline;
        bool fired;
    };

    void run() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            auto next = Steady::time_point::max();
            const auto now = Steady::now();
            for (auto &[id, entry] : entries_) {
                if (entry.fired) continue;
                // Under the lock: the entry's owner is inside its call, so
                // the descriptor is still the session's.
                if (entry.deadline <= now) {
                    ::shutdown(entry.fd, SHUT_RDWR);
                    entry.fired = true;
                } else {
                    next = std::min(next, entry.deadline);
                }
            }
            if (next == Steady::time_point::max())
                wake_.wait(lock);
            else
                wake_.wait_until(lock, next);
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace

bool retryableSftpError(std::string_view code) {
    return code == "connect" || code == "timeout" || code == "auth" || code == "io" || code == "not_found";
}

std::string remotePath(const std::string &folder, const std::string &name) {
    if (folder.empty()) return name;
    return folder.back() == '/' ? folder + name : folder + "/" + name;
}

struct SftpClient::Impl {
    Session session;
    Sftp sftp;
    std::string where;
    std::uint32_t timeoutMs = 30000;
    bool timedOut = false;       // the watchdog ended the session
    std::uint64_t deadline = 0;  // the Deadline in force, if any

    /// One blocking libssh call under the operation timeout (see Watchdog).
    class Deadline {
    public:
        explicit Deadline(Impl &impl) : impl_(impl) {
            const int fd = ssh_get_fd(impl.session.get());
            if (fd >= 0 && impl.deadline == 0) {
                id_ = Watchdog::instance().arm(fd, Watchdog::Steady::now() + std::chrono::milliseconds(impl.timeoutMs));
                impl.deadline = id_;
            }
        }
        ~Deadline() {
            if (id_ == 0) return;
            impl_.deadline = 0;
            if (Watchdog::instance().disarm(id_)) impl_.timedOut = true;
        }
        Deadline(const Deadline &) = delete;
        Deadline &operator=(const Deadline &) = delete;

    private:
        Impl &impl_;
        std::uint64_t id_ = 0;
    };

    // An SFTP call failed: what the server said, or why the session broke.
    Error error(const std::string &what, const std::string &path) {
        if (timedOut || (deadline != 0 && Watchdog::instance().fired(deadline)))
            return fail("timeout", where + ": " + what + " " + path + ": no answer within " +
                                       std::to_string(timeoutMs) + " ms; the session was closed");
        const int code = sftp ? sftp_get_error(sftp.get()) : SSH_FX_OK;
        const std::string subject = where + ": " + what + " " + path + ": ";
        switch (code) {
            case SSH_FX_NO_SUCH_FILE: return fail("not_found", subject + "no such file or folder");
            case SSH_FX_PERMISSION_DENIED: return fail("permission", subject + "permission denied");
            case SSH_FX_FILE_ALREADY_EXISTS: return fail("exists", subject + "the name is taken");
            case SSH_FX_NO_CONNECTION:
            case SSH_FX_CONNECTION_LOST: return fail("connect", subject + "the connection was lost");
            case SSH_FX_OK: break;
            default: return fail("io", subject + "the server answered error " + std::to_string(code));
        }
        const std::string reason = ssh_get_error(session.get());
        if (reason.find("imeout") != std::string::npos || reason.find("imed out") != std::string::npos)
            return fail("timeout", subject + reason);
        return fail("connect", subject + (reason.empty() ? std::string("the session failed") : reason));
    }

    Result<bool> checkHostKey(const config::SftpRemote &remote) {
        ssh_key raw = nullptr;
        if (ssh_get_server_publickey(session.get(), &raw) != SSH_OK)
            return fail("host_key", where + ": the server sent no host key");
        Key offered(raw);
        const std::string seen = fingerprintOf(offered.get());
        std::error_code ec;
        if (!fs::is_regular_file(remote.knownHosts, ec))
            return failOnHostKey("host_unknown", "host " + remote.host + " port " + std::to_string(remote.port) +
                                                     ": the known_hosts file " + remote.knownHosts.string() +
                                                     " is missing, so its key " + seen + " cannot be checked; refused");
        switch (ssh_session_is_known_server(session.get())) {
            case SSH_KNOWN_HOSTS_OK: return true;
            case SSH_KNOWN_HOSTS_CHANGED:
            case SSH_KNOWN_HOSTS_OTHER: {
                const auto pinned = pinnedFingerprints(remote.knownHosts, remote.host, remote.port);
                return failOnHostKey("host_key", "host " + remote.host + " port " + std::to_string(remote.port) +
                                                     ": the server's host key " + seen + " is not the one pinned in " +
                                                     remote.knownHosts.string() + " (" +
                                                     (pinned.empty() ? std::string("none readable") : joined(pinned)) +
                                                     "); refused (a changed key may mean an impostor)");
            }
            case SSH_KNOWN_HOSTS_UNKNOWN:
            case SSH_KNOWN_HOSTS_NOT_FOUND:
                return failOnHostKey("host_unknown", "host " + remote.host + " port " + std::to_string(remote.port) +
                                                         ": " + remote.knownHosts.string() +
                                                         " pins no key for it; its key " + seen +
                                                         " is not trusted on first use; refused");
            case SSH_KNOWN_HOSTS_ERROR: break;
        }
        return failOnHostKey("host_unknown", "host " + remote.host + ": cannot check the host key against " +
                                                 remote.knownHosts.string() + ": " + ssh_get_error(session.get()));
    }
};

Result<std::unique_ptr<SftpClient>> SftpClient::connect(const config::SftpRemote &remote) {
    initializeOnce();
    auto impl = std::make_unique<Impl>();
    impl->where = remote.user + "@" + remote.host + ":" + std::to_string(remote.port);
    impl->timeoutMs = std::max<std::uint32_t>(remote.timeoutMs, 1);
    impl->session.reset(ssh_new());
    if (!impl->session) return fail("connect", impl->where + ": out of memory");
    ssh_session s = impl->session.get();

    const unsigned port = remote.port;
    const long seconds = static_cast<long>(remote.timeoutMs / 1000);
    const long micros = static_cast<long>(remote.timeoutMs % 1000) * 1000;
    const bool noConfig = false;
    const std::string knownHosts = remote.knownHosts.string();
    // Only the configured known_hosts: not ~/.ssh, not /etc/ssh, not
    // ~/.ssh/config, so what the partner profile says is all that counts.
    if (ssh_options_set(s, SSH_OPTIONS_HOST, remote.host.c_str()) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_PORT, &port) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_USER, remote.user.c_str()) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &noConfig) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, knownHosts.c_str()) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, knownHosts.c_str()) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &seconds) != SSH_OK ||
        ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &micros) != SSH_OK)
        return fail("config", impl->where + ": " + ssh_get_error(s));

    // The key is read before connecting: a broken key is a configuration
    // problem, not something the server should see an attempt of.
    auto secret = config::resolveSecret(remote.privateKey);
    if (!secret) return fail("config", impl->where + ": private key: " + secret.error().message);
    ssh_key rawKey = nullptr;
    const int imported = ssh_pki_import_privkey_base64(secret.value().c_str(), nullptr, nullptr, nullptr, &rawKey);
    std::fill(secret.value().begin(), secret.value().end(), '\0');
    if (imported != SSH_OK)
        return fail("config", impl->where + ": the private key is not an unencrypted OpenSSH or PEM private key");
    Key key(rawKey);

    if (ssh_connect(s) != SSH_OK) return fail("connect", impl->where + ": " + ssh_get_error(s));
    if (auto checked = impl->checkHostKey(remote); !checked) return checked.error();
    int authenticated = SSH_AUTH_ERROR;
    {
        Impl::Deadline deadline(*impl);
        authenticated = ssh_userauth_publickey(s, nullptr, key.get());
    }
    if (impl->timedOut) return fail("timeout", impl->where + ": no answer to the login within the timeout");
    if (authenticated != SSH_AUTH_SUCCESS) {
        const std::string reason = ssh_get_error(s);
        return fail("auth", impl->where + ": the server refused the gateway's key for user " + remote.user +
                                (reason.empty() ? std::string() : " (" + reason + ")"));
    }
    bool started = false;
    {
        Impl::Deadline deadline(*impl);
        impl->sftp.reset(sftp_new(s));
        started = impl->sftp && sftp_init(impl->sftp.get()) == SSH_OK;
    }
    if (!started) return fail("connect", impl->where + ": the server offers no SFTP: " + ssh_get_error(s));
    return std::unique_ptr<SftpClient>(new SftpClient(std::move(impl)));
}

SftpClient::SftpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SftpClient::~SftpClient() {
    if (!impl_) return;
    // Closing talks to the server too. The SFTP channel goes before the
    // session it runs on.
    {
        Impl::Deadline deadline(*impl_);
        impl_->sftp.reset();
    }
    // Disarmed first: the watchdog must never touch a closed descriptor.
    impl_->session.reset();
}

const std::string &SftpClient::where() const {
    return impl_->where;
}

namespace {

RemoteEntry entryOf(sftp_attributes a, std::string name) {
    RemoteEntry entry;
    entry.name = std::move(name);
    entry.size = a->size;
    entry.mtime = static_cast<std::int64_t>(a->mtime);
    entry.regular = a->type == SSH_FILEXFER_TYPE_REGULAR;
    return entry;
}

}  // namespace

Result<std::vector<RemoteEntry>> SftpClient::list(const std::string &folder) {
    Impl::Deadline deadline(*impl_);
    Dir dir(sftp_opendir(impl_->sftp.get(), folder.c_str()));
    if (!dir) return impl_->error("list", folder);
    std::vector<RemoteEntry> entries;
    while (Attributes a{sftp_readdir(impl_->sftp.get(), dir.get())}) {
        const std::string name = a->name != nullptr ? a->name : "";
        if (name.empty() || name == "." || name == "..") continue;
        entries.push_back(entryOf(a.get(), name));
    }
    if (!sftp_dir_eof(dir.get())) return impl_->error("list", folder);
    return entries;
}

Result<std::optional<RemoteEntry>> SftpClient::stat(const std::string &path) {
    Attributes a;
    {
        Impl::Deadline deadline(*impl_);
        a.reset(sftp_lstat(impl_->sftp.get(), path.c_str()));
    }
    if (!a) {
        auto error = impl_->error("stat", path);
        if (error.code == "not_found") return std::optional<RemoteEntry>();
        return error;
    }
    const auto slash = path.rfind('/');
    return std::optional<RemoteEntry>(entryOf(a.get(), slash == std::string::npos ? path : path.substr(slash + 1)));
}

struct RemoteReader::Impl {
    SftpClient::Impl *client = nullptr;
    File file;
    std::string path;
};

RemoteReader::RemoteReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RemoteReader::~RemoteReader() {
    // The close waits for the server's answer.
    SftpClient::Impl::Deadline deadline(*impl_->client);
    impl_->file.reset();
}

Result<std::size_t> RemoteReader::read(char *buffer, std::size_t capacity) {
    ssize_t n = -1;
    {
        SftpClient::Impl::Deadline deadline(*impl_->client);
        n = sftp_read(impl_->file.get(), buffer, std::min(capacity, kChunk));
    }
    if (n < 0) return impl_->client->error("read", impl_->path);
    return static_cast<std::size_t>(n);
}

Result<std::unique_ptr<RemoteReader>> SftpClient::openRead(const std::string &path) {
    auto impl = std::make_unique<RemoteReader::Impl>();
    impl->client = impl_.get();
    impl->path = path;
    {
        Impl::Deadline deadline(*impl_);
        impl->file.reset(sftp_open(impl_->sftp.get(), path.c_str(), O_RDONLY, 0));
    }
    if (!impl->file) return impl_->error("open", path);
    return std::unique_ptr<RemoteReader>(new RemoteReader(std::move(impl)));
}

Result<std::string> SftpClient::download(const std::string &path, std::uint64_t maxBytes) {
    auto reader = openRead(path);
    if (!reader) return reader.error();
    std::string bytes;
    char buffer[kChunk];
    for (;;) {
        auto n = reader.value()->read(buffer, sizeof buffer);
        if (!n) return n.error();
        if (n.value() == 0) return bytes;
        if (bytes.size() + n.value() > maxBytes)
            return fail("too_large",
                        impl_->where + ": " + path + " is over the cap of " + std::to_string(maxBytes) + " bytes");
        bytes.append(buffer, n.value());
    }
}

Result<bool> SftpClient::upload(const std::string &path, std::string_view bytes) {
    File file;
    {
        Impl::Deadline deadline(*impl_);
        file.reset(sftp_open(impl_->sftp.get(), path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0640));
    }
    if (!file) {
        auto error = impl_->error("create", path);
        // SFTP version 3 (OpenSSH) says only "failure" when the name is taken.
        if (error.code == "io")
            if (auto there = stat(path); there && there.value())
                return fail("exists", impl_->where + ": create " + path + ": the name is taken");
        return error;
    }
    for (std::size_t done = 0; done < bytes.size();) {
        const std::size_t n = std::min(kChunk, bytes.size() - done);
        ssize_t written = -1;
        {
            Impl::Deadline deadline(*impl_);
            written = sftp_write(file.get(), bytes.data() + done, n);
        }
        if (written <= 0) {
            auto error = impl_->error("write", path);
            Impl::Deadline deadline(*impl_);
            file.reset();
            return error;
        }
        done += static_cast<std::size_t>(written);
    }
    // The close is the server's word that it has every byte (SFTP has no fsync in version 3).
    int closed = SSH_ERROR;
    {
        Impl::Deadline deadline(*impl_);
        closed = sftp_close(file.release());
    }
    if (closed != SSH_NO_ERROR) return impl_->error("close", path);
    return true;
}

Result<bool> SftpClient::rename(const std::string &from, const std::string &to) {
    // Version 3 servers (OpenSSH) refuse a rename over an existing file
    // anyway; looking first names the problem for the others.
    auto there = stat(to);
    if (!there) return there.error();
    if (there.value()) return fail("exists", impl_->where + ": rename to " + to + ": the name is taken");
    int renamed = SSH_ERROR;
    {
        Impl::Deadline deadline(*impl_);
        renamed = sftp_rename(impl_->sftp.get(), from.c_str(), to.c_str());
    }
    if (renamed != SSH_OK) {
        auto error = impl_->error("rename", from);
        if (error.code == "io")
            if (auto now = stat(to); now && now.value())
                return fail("exists", impl_->where + ": rename to " + to + ": the name is taken");
        return error;
    }
    return true;
}

Result<bool> SftpClient::remove(const std::string &path) {
    int removed = SSH_ERROR;
    {
        Impl::Deadline deadline(*impl_);
        removed = sftp_unlink(impl_->sftp.get(), path.c_str());
    }
    if (removed != SSH_OK) return impl_->error("remove", path);
    return true;
}

}  // namespace lendgate::sftp
