// lendgated as a real child process: started with the world's configuration,
// its stdout and stderr appended to a log file in the world's root, ready
// once it has written lendgated.ports.json and /readyz answers 200. The
// destructor SIGKILLs and reaps a child still running, so no test leaves one
// behind; the child also gets SIGKILL if the test process dies first.
#ifndef LENDGATE_TESTS_E2E_E2E_DAEMON_H
#define LENDGATE_TESTS_E2E_E2E_DAEMON_H

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {

class Daemon {
public:
    explicit Daemon(const GatewayWorld &world);
    ~Daemon();
    Daemon(const Daemon &) = delete;
    Daemon &operator=(const Daemon &) = delete;

    /// Starts the daemon and waits until it is ready; throws (with the log's
    /// tail) if it exits or is not ready in time. Call from the thread that
    /// owns the Daemon: the child's death signal is tied to that thread.
    void start(std::chrono::milliseconds timeout = std::chrono::seconds(60));

    /// SIGKILL, and reap: what a power cut or the OOM killer does.
    void kill9();

    /// SIGTERM, then waits up to `timeout` for the exit. Returns the exit
    /// code, or nullopt if it did not exit in time (it is then SIGKILLed) or
    /// died of a signal.
    std::optional<int> terminate(std::chrono::milliseconds timeout);

    bool running();
    std::uint16_t partnerPort() const { return partnerPort_; }
    std::uint16_t adminPort() const { return adminPort_; }
    std::filesystem::path logFile() const { return log_; }
    /// The last `bytes` of the log, for failure messages.
    std::string logTail(std::size_t bytes = 4000) const;

private:
    void spawn();
    /// Waits for the child to exit; true if it did within `timeout`.
    bool reap(std::chrono::milliseconds timeout);

    const GatewayWorld &world_;
    std::filesystem::path log_;
    pid_t pid_ = -1;
    int exitStatus_ = 0;  ///< raw waitpid status of the last child
    std::uint16_t partnerPort_ = 0;
    std::uint16_t adminPort_ = 0;
};

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_DAEMON_H
