#include "core/common/log.h"

#include <chrono>
#include <ctime>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/redact.h"

namespace lendgate {

std::string_view toString(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

std::int64_t SystemClock::nowUnixMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

std::string rfc3339Utc(std::int64_t unixMs) {
    std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[40];
    std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(buffer, n);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(unixMs % 1000));
    return out + millis;
}

}  // namespace

void JsonLinesLogger::log(LogLevel level, std::string_view component, std::string_view message) {
    if (level < minimum_) return;
    nlohmann::ordered_json line;
    line["ts"] = rfc3339Utc(clock_.nowUnixMs());
    line["level"] = toString(level);
    line["component"] = redactForLog(component, 64);
    line["msg"] = redactForLog(message, 2000);
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    out_ << text << '\n';
    out_.flush();
}

}  // namespace lendgate
