// Load for the end-to-end tests: client threads that keep posting while the
// test does something to the daemon (kill it, back it up).
#ifndef LENDGATE_TESTS_E2E_E2E_LOAD_H
#define LENDGATE_TESTS_E2E_E2E_LOAD_H

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lendgate::e2e {

// Client threads that post one new assignment after another until stopped,
// and remember every message ID a 202 gave them.
class ContinuousPoster {
public:
    ContinuousPoster(std::uint16_t port, std::string keyPrefix, int threads) : prefix_(std::move(keyPrefix)) {
        for (int t = 0; t < threads; ++t) threads_.emplace_back([this, port, t] { run(port, t); });
    }
    ~ContinuousPoster() { stop(); }

    void stop() {
        stop_ = true;
        for (auto &thread : threads_)
            if (thread.joinable()) thread.join();
    }
    std::size_t acks() const { return acks_.load(); }
    std::vector<std::string> ackedIds() const {
        std::lock_guard lock(mutex_);
        return ids_;
    }
    /// Answers that are neither 202, 503 nor "no answer" (the process died).
    std::vector<std::string> unexpected() const {
        std::lock_guard lock(mutex_);
        return unexpected_;
    }

private:
    void run(std::uint16_t port, int thread);

    std::string prefix_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> acks_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> ids_;
    std::vector<std::string> unexpected_;
    std::vector<std::thread> threads_;
};

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_LOAD_H
