// Structured logging: one JSON object per line. Every message passes through
// redactForLog, so a stray SSN or account number is masked even if a caller
// (or a plugin) forgets.
#ifndef LENDGATE_COMMON_LOG_H
#define LENDGATE_COMMON_LOG_H

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string_view>

namespace lendgate {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

std::string_view toString(LogLevel level);

class Clock {
public:
    virtual ~Clock() = default;
    /// Wall-clock milliseconds since the Unix epoch.
    virtual std::int64_t nowUnixMs() const = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t nowUnixMs() const override;
};

/// Called from every request, delivery and watcher thread at once:
/// implementations must be safe to share.
class Logger {
public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view component, std::string_view message) = 0;
};

/// Writes {"ts":...,"level":...,"component":...,"msg":...} lines to a stream.
class JsonLinesLogger final : public Logger {
public:
    JsonLinesLogger(std::ostream &out, const Clock &clock, LogLevel minimum = LogLevel::Info)
        : out_(out), clock_(clock), minimum_(minimum) {}
    void log(LogLevel level, std::string_view component, std::string_view message) override;

private:
    std::ostream &out_;
    const Clock &clock_;
    LogLevel minimum_;
    std::mutex mutex_;
};

}  // namespace lendgate

#endif  // LENDGATE_COMMON_LOG_H
