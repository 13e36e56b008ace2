// A client session on a partner's SFTP server (libssh), for sftp_pull
// channels and sftp_push endpoints.
//
// The server's host key is pinned: it must be in the configured known_hosts
// file, and a key that is missing there or differs is refused before any
// credential is sent, naming the host and both fingerprints. Only key
// authentication is offered. Every call that waits for the server gives up
// after remote.timeoutMs (error timeout; the session is then finished).
// libssh stays behind the .cpp file.
//
// Errors carry a code callers classify by:
//   connect      cannot reach the server, or the connection broke (retryable)
//   timeout      an operation took longer than the timeout (retryable)
//   host_key     the server's key is not the pinned one (permanent)
//   host_unknown known_hosts has no key for the server, or is missing (permanent)
//   auth         the server refused our key (retryable: a key may be installed late)
//   config       the private key cannot be read or used (permanent)
//   not_found    no such file or folder
//   permission   the server refused the operation (permanent)
//   exists       the target name is taken (permanent: nothing is overwritten)
//   too_large    a download is over its cap
//   io           anything else the server reported (retryable)
// No error text contains file contents or the private key.
#ifndef LENDGATE_SFTP_SFTP_CLIENT_H
#define LENDGATE_SFTP_SFTP_CLIENT_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::sftp {

/// Whether an error code of this client is worth another attempt later.
bool retryableSftpError(std::string_view code);

struct RemoteEntry {
    std::string name;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;  ///< seconds since the epoch, as the server says
    bool regular = false;    ///< a plain file (not a folder, link or device)
};

class SftpClient;

/// A remote file open for reading. Use it from the thread that owns its
/// client, and let it go before the client.
class RemoteReader {
public:
    ~RemoteReader();
    RemoteReader(const RemoteReader &) = delete;
    RemoteReader &operator=(const RemoteReader &) = delete;
    /// Up to `capacity` bytes; 0 at the end.
    Result<std::size_t> read(char *buffer, std::size_t capacity);

private:
    friend class SftpClient;
    struct Impl;
    explicit RemoteReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class SftpClient {
public:
    /// Connects, checks the host key against remote.knownHosts, logs in with
    /// remote.privateKey and starts the SFTP subsystem.
    static Result<std::unique_ptr<SftpClient>> connect(const config::SftpRemote &remote);
    ~SftpClient();
    SftpClient(const SftpClient &) = delete;
    SftpClient &operator=(const SftpClient &) = delete;

    /// The entries of `folder` except "." and "..", unsorted.
    Result<std::vector<RemoteEntry>> list(const std::string &folder);
    /// The entry at `path` itself (a link is not followed); nullopt if there is none.
    Result<std::optional<RemoteEntry>> stat(const std::string &path);
    Result<std::unique_ptr<RemoteReader>> openRead(const std::string &path);
    /// The whole file, at most maxBytes of it (error too_large beyond).
    Result<std::string> download(const std::string &path, std::uint64_t maxBytes);
    /// Creates `path` (error exists if it is there) and writes `bytes`; the
    /// file is closed, so the server has it all, when this returns.
    Result<bool> upload(const std::string &path, std::string_view bytes);
    /// Renames, never over an existing name (error exists).
    Result<bool> rename(const std::string &from, const std::string &to);
    Result<bool> remove(const std::string &path);

    /// "user@host:port", for messages.
    const std::string &where() const;

    struct Impl;

private:
    explicit SftpClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// `folder` + "/" + `name`, without doubling a slash.
std::string remotePath(const std::string &folder, const std::string &name);

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_SFTP_CLIENT_H
