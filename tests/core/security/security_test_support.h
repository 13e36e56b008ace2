// Helpers shared by the security and journal tests: a private temporary
// directory removed afterwards, and a clock the test sets by hand.
#ifndef LENDGATE_TESTS_CORE_SECURITY_SECURITY_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_SECURITY_SECURITY_TEST_SUPPORT_H

#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "core/common/log.h"
#include "core/security/key_ring.h"

namespace lendgate::testing {

class TempDir {
public:
    TempDir() {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/lendgate-test-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 1767225600000) : now_(startMs) {}
    std::int64_t nowUnixMs() const override { return now_.load(); }
    void set(std::int64_t ms) { now_.store(ms); }
    void advance(std::int64_t ms) { now_.fetch_add(ms); }

private:
    std::atomic<std::int64_t> now_;
};

/// A fresh key ring in `dir`/keys; fails the calling test if it cannot be made.
inline std::unique_ptr<security::KeyRing> makeKeyRing(const TempDir &dir, const Clock &clock) {
    auto ring = security::KeyRing::open(dir / "keys", clock);
    if (!ring) throw std::runtime_error("key ring: " + ring.error().message);
    return std::move(ring).value();
}

}  // namespace lendgate::testing

#endif  // LENDGATE_TESTS_CORE_SECURITY_SECURITY_TEST_SUPPORT_H
