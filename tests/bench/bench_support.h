// Shared by the benchmarks: the figure line every benchmark prints (what was
// measured, the figure, the goal and whether it was met), peak RSS, a timer
// and the few flags they take. Figures are printed, never asserted: they
// depend on the machine and on whoever else uses it.
#ifndef LENDGATE_TESTS_BENCH_BENCH_SUPPORT_H
#define LENDGATE_TESTS_BENCH_BENCH_SUPPORT_H

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::bench {

/// One line of the table run.sh prints: "what | figure | goal: verdict".
inline void printFigure(std::string_view what, std::string_view figure, std::string_view goal, bool met) {
    std::printf("%-34.*s %-46.*s goal %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                static_cast<int>(figure.size()), figure.data(), static_cast<int>(goal.size()), goal.data(),
                met ? "met" : "NOT met");
    std::fflush(stdout);
}

/// A line of context under the figures (not measured against a goal).
inline void printNote(std::string_view what, std::string_view text) {
    std::printf("%-34.*s %.*s\n", static_cast<int>(what.size()), what.data(), static_cast<int>(text.size()),
                text.data());
    std::fflush(stdout);
}

/// The process's peak resident set so far, in MiB (ru_maxrss is in KiB on Linux).
inline double peakRssMiB() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

/// The process's resident set now, in MiB (from /proc/self/statm).
inline double currentRssMiB() {
    std::FILE *statm = std::fopen("/proc/self/statm", "r");
    if (statm == nullptr) return 0;
    long pages = 0, resident = 0;
    const int read = std::fscanf(statm, "%ld %ld", &pages, &resident);
    std::fclose(statm);
    return read == 2 ? static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0) : 0;
}

class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
    std::chrono::steady_clock::time_point start_;
};

inline std::string fixed(double value, int decimals = 0) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

/// "--name VALUE" from argv, or `fallback`.
inline std::string option(const std::vector<std::string> &args, std::string_view name, std::string fallback) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == name) return args[i + 1];
    return fallback;
}

inline bool flag(const std::vector<std::string> &args, std::string_view name) {
    for (const auto &arg : args)
        if (arg == name) return true;
    return false;
}

}  // namespace lendgate::bench

#endif  // LENDGATE_TESTS_BENCH_BENCH_SUPPORT_H
