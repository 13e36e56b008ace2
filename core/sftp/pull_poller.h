// Intake from partners' own SFTP servers (channel type sftp_pull).
//
// One thread polls every sftp_pull channel on its interval: it logs in (host
// key pinned, key authentication: sftp_client.h), lists the remote folder and
// streams each new file straight into the journal's blob store through the
// intake service, like a dropped file. Only once the intake has committed
// the file is the remote copy removed or moved (after_pull), never before.
//
// The durable "seen" state is the journal itself: a crash between download
// and commit leaves the remote file where it was, and the next poll fetches
// it again; a crash between commit and removal fetches it again too, and the
// intake service recognises content it already has and answers from the
// journal, so the file is ingested once either way.
//
// Skipped and left on the server, with a warning once per file: names that
// are hidden, .partial, unsafe or match none of the partner's file_pattern,
// anything but a regular file, files over the size cap, and files the intake
// refuses as a whole without journaling them (wrong type for the role).
// A file whose size changes while it is read is left for the next poll.
//
// A pulled file is answered like a dropped one: its ACK (or NACK) file goes
// where that partner's ACKs go, its drop folder's outbound/ (PullSource::
// ackFolder; a partner without a drop folder finds its ACKs in the journal
// only, through GET /v1/acks). An ACK that cannot be written keeps the file
// on the server: the next poll answers it again from the journal.
//
// OpenPGP partners (profile "openpgp", decrypt_inbound) are treated exactly
// as in drop folders (drop_watcher.h): the file is decrypted on its way into
// the blob store and kept only if its signature is the pinned key's, and
// the plaintext's hash is its identity, so the same content encrypted again
// is a duplicate. A file refused for a pgp_* reason is answered with a NACK
// naming it and only then removed or moved on the server; with nowhere to
// write the NACK it is left there (warned once). A keyring problem is the
// gateway's: the file stays and is tried again.
#ifndef LENDGATE_SFTP_PULL_POLLER_H
#define LENDGATE_SFTP_PULL_POLLER_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/config/gateway_config.h"
#include "core/delivery/renderer.h"
#include "core/intake/intake_service.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"

namespace lendgate::pgp {
class Keyring;
}

namespace lendgate::sftp {

struct PullSource {
    const config::Partner *partner = nullptr;
    const config::InboundChannel *channel = nullptr;  ///< type SftpPull, with `remote`
    /// Where the partner's ACK files go: its drop folder's outbound/ when it
    /// has one (pullSourcesOf), else empty (no ACK files).
    std::filesystem::path ackFolder;
};

/// Every sftp_pull channel of every partner.
std::vector<PullSource> pullSourcesOf(const config::GatewayConfig &config);

struct PullServices {
    intake::IntakeService &intake;
    Logger &logger;
    metrics::Registry &metrics;
    /// For ACK files (renderer, ulids and clock all set, and a source with
    /// an ackFolder); without them pulled files are answered in the journal only.
    delivery::Renderer *renderer = nullptr;
    journal::UlidGenerator *ulids = nullptr;
    const Clock *clock = nullptr;
    /// The gateway's OpenPGP keyring; null when no partner uses OpenPGP (a
    /// file from a partner that must encrypt is then left on its server).
    const pgp::Keyring *keyring = nullptr;
};

/// Where a crash can fall; see PullOptions::interrupt.
enum class PullStage {
    Downloaded,  ///< every byte read, nothing committed
    Committed,   ///< committed, the remote file not yet removed or moved
};

struct PullOptions {
    std::uint64_t maxFileBytes = 256u << 20;
    /// For tests: returning true abandons the poll at that stage for that
    /// file, as a killed daemon would (nothing after it happens).
    std::function<bool(PullStage, const std::string &fileName)> interrupt;
};

struct PollReport {
    std::size_t ingested = 0;  ///< committed now
    std::size_t replayed = 0;  ///< content the journal already had
    std::size_t cleared = 0;   ///< removed or moved on the server
    std::size_t refused = 0;   ///< refused (OpenPGP) and answered with a NACK
    std::size_t skipped = 0;   ///< left on the server (see the header comment)
    std::size_t failed = 0;    ///< to be tried again next poll
    bool interrupted = false;
};

class PullPoller {
public:
    PullPoller(PullServices services, std::vector<PullSource> sources, PullOptions options = {});
    ~PullPoller();
    PullPoller(const PullPoller &) = delete;
    PullPoller &operator=(const PullPoller &) = delete;

    /// Starts the thread, which polls every source at once and then on its
    /// interval. Calling it twice does nothing.
    void start();
    /// Finishes the file in hand, then stops. Idempotent.
    void stop();

    /// One poll of sources()[index] on the caller's thread (tests, tools).
    /// An error: the server could not be reached, logged in to or listed.
    Result<PollReport> pollOnce(std::size_t index);

    const std::vector<PullSource> &sources() const { return sources_; }
    /// Files committed (or answered from the journal) so far.
    std::uint64_t filesHandled() const { return handled_.load(); }

private:
    struct Seen {
        std::uint64_t size = 0;
        std::int64_t mtime = 0;
        bool operator==(const Seen &) const = default;
    };
    struct SourceState {
        std::map<std::string, Seen> committed;  ///< answered (committed or NACKed), removal still to do
        std::map<std::string, Seen> warned;     ///< skipped and said so
    };

    void run();
    void skip(const PullSource &source, SourceState &state, const std::string &name, const Seen &seen,
              const std::string &why, PollReport &report);
    /// Writes the ACK file for a pulled file; false: not written (logged).
    bool answer(const PullSource &source, const std::string &name, const std::string &document);
    bool answers(const PullSource &source) const;

    PullServices s_;
    std::vector<PullSource> sources_;
    PullOptions options_;
    std::vector<SourceState> states_;
    std::mutex pollMutex_;  // one poll of a source at a time (thread and pollOnce)
    std::atomic<std::uint64_t> handled_{0};

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> halt_{false};  // stop() was called: no further file this poll
    std::thread thread_;
};

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_PULL_POLLER_H
