// ULIDs: the gateway's IDs for messages, submissions and cases.
#ifndef LENDGATE_JOURNAL_ULID_H
#define LENDGATE_JOURNAL_ULID_H

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/common/log.h"

namespace lendgate::journal {

/// 48 bits of Unix milliseconds and 80 random bits, as 26 Crockford base32
/// characters. IDs from one generator strictly increase, so they sort in the
/// order they were made: within one millisecond the random part counts up,
/// and a clock stepping back is ignored (time keeps the last value seen).
/// Thread-safe.
class UlidGenerator {
public:
    explicit UlidGenerator(const Clock &clock) : clock_(clock) {}

    std::string next();

private:
    const Clock &clock_;
    std::mutex mutex_;
    std::uint64_t lastMs_ = 0;
    std::array<std::uint8_t, 10> random_{};
};

/// 26 characters of Crockford base32 (upper case) starting with 0-7.
bool isUlidText(std::string_view text) noexcept;

/// The millisecond timestamp inside a ULID; 0 if `text` is not one.
std::uint64_t ulidTimestampMs(std::string_view text) noexcept;

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_ULID_H
