// A pull stream over GnuPG's push: the worker thread runs decryptAndVerify
// into a bounded queue that read() drains.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/pgp/pgp.h"

namespace lendgate::pgp {

namespace {
constexpr std::size_t kQueueBytes = 1u << 20;
}

struct DecryptingSource::Channel final : public ByteSink {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::string> chunks;
    std::size_t queued = 0;
    std::size_t offset = 0;  ///< into chunks.front()
    bool cancelled = false;
    bool finished = false;
    std::optional<Result<VerifiedPlaintext>> outcome;
    std::thread worker;

    /// Called on the worker thread; blocks while the queue is full.
    Result<bool> write(std::string_view bytes) override {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return cancelled || queued < kQueueBytes; });
        if (cancelled) return Error{"cancelled", "the reader stopped reading"};
        chunks.emplace_back(bytes);
        queued += bytes.size();
        changed.notify_all();
        return true;
    }
};

DecryptingSource::DecryptingSource(const Keyring &keyring, journal::ByteSource &ciphertext, DecryptOptions options)
    : keyring_(keyring), ciphertext_(ciphertext), options_(std::move(options)), channel_(std::make_unique<Channel>()) {}

DecryptingSource::~DecryptingSource() {
    if (!channel_->worker.joinable()) return;
    {
        std::lock_guard lock(channel_->mutex);
        channel_->cancelled = true;
    }
    channel_->changed.notify_all();
    channel_->worker.join();
}

void DecryptingSource::work() {
    Channel &c = *channel_;
    // Nothing may escape a thread; an allocation failure is an error like any other.
    Result<VerifiedPlaintext> result = Error{"internal", "decryption stopped"};
    try {
        result = keyring_.decryptAndVerify(ciphertext_, c, options_);
    } catch (const std::exception &e) {
        result = Error{"internal", std::string("decryption failed: ") + e.what()};
    }
    std::lock_guard lock(c.mutex);
    c.outcome = std::move(result);
    c.finished = true;
    c.changed.notify_all();
}

Result<std::size_t> DecryptingSource::read(char *buffer, std::size_t capacity) {
    Channel &ch = *channel_;
    // Started on the first read, so a source that is never read costs nothing.
    if (!ch.worker.joinable() && !ch.finished) {
        try {
            ch.worker = std::thread([this] { work(); });
        } catch (const std::system_error &e) {
            return Error{"internal", std::string("cannot start the decryption thread: ") + e.what()};
        }
    }
    std::unique_lock lock(ch.mutex);
    ch.changed.wait(lock, [&] { return !ch.chunks.empty() || ch.finished; });
    if (!ch.chunks.empty()) {
        std::size_t copied = 0;
        while (copied < capacity && !ch.chunks.empty()) {
            const std::string &front = ch.chunks.front();
            const std::size_t n = std::min(capacity - copied, front.size() - ch.offset);
            std::memcpy(buffer + copied, front.data() + ch.offset, n);
            copied += n;
            ch.offset += n;
            if (ch.offset == front.size()) {
                ch.queued -= front.size();
                ch.chunks.pop_front();
                ch.offset = 0;
            }
        }
        ch.changed.notify_all();
        return copied;
    }
    // Everything was read: the end counts only if the signature checked out.
    if (!ch.outcome->ok()) {
        failure_ = ch.outcome->error();
        return ch.outcome->error();
    }
    verified_ = ch.outcome->value();
    return std::size_t{0};
}

}  // namespace lendgate::pgp
