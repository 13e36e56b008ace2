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
#ifndef LENDGATE_SFTP_PULL_POLLER_H
#define LENDGATE_SFTP_PULL_POLLER_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
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
#include "core/intake/intake_service.h"
#include "core/metrics/metrics.h"

namespace lendgate::sftp {

struct PullSource {
    const config::Partner *partner = nullptr;
    const config::InboundChannel *channel = nullptr;  ///< type SftpPull, with `remote`
};

/// Every sftp_pull channel of every partner.
std::vector<PullSource> pullSourcesOf(const config::GatewayConfig &config);

struct PullServices {
    intake::IntakeService &intake;
    Logger &logger;
    metrics::Registry &metrics;
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
        std::map<std::string, Seen> committed;  ///< committed, removal still to do
        std::map<std::string, Seen> warned;     ///< skipped and said so
    };

    void run();
    void skip(const PullSource &source, SourceState &state, const std::string &name, const Seen &seen,
              const std::string &why, PollReport &report);

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
