// Decode throughput of one plugin and configuration on one file, through the
// same host the daemon uses (core/plugin): 64 KiB reads from disk, records
// counted and dropped, so the figures are the plugin's and the ABI's alone.
//
//   decode_bench PLUGIN.so CONFIG.json INPUT [TYPE]
//
// Prints one line of key=value pairs (bytes, records, record_errors, status,
// seconds, mb_per_s, records_per_s, and the same per second of CPU time:
// cpu_seconds, cpu_mb_per_s, cpu_records_per_s); tests/bench/decode.sh runs
// it under /usr/bin/time for the peak RSS. The CPU figures are the ones to
// compare on a shared machine, where wall time also counts waiting for a core.
// Not a test: ctest does not run it.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/plugin/plugin_host.h"

namespace {

using namespace lendgate::plugin;

class FileReader : public ByteReader {
public:
    explicit FileReader(std::FILE *file) : file_(file) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        const std::size_t n = std::fread(buffer, 1, capacity, file_);
        bytes += n;
        return n;
    }
    std::uint64_t bytes = 0;

private:
    std::FILE *file_;
};

class Counter : public DecodeHandler {
public:
    bool onRecord(std::string_view, std::string_view json, const RecordLocation &) override {
        ++records;
        jsonBytes += json.size();
        return true;
    }
    void onRecordError(const RecordProblem &) override { ++errors; }
    std::uint64_t records = 0, errors = 0, jsonBytes = 0;
};

// User plus system CPU seconds of this process so far.
double cpuSeconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string readAll(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        std::cerr << "usage: decode_bench PLUGIN.so CONFIG.json INPUT [TYPE]\n";
        return 64;
    }
    auto library = PluginLibrary::load(argv[1]);
    if (!library) {
        std::cerr << library.error().message << "\n";
        return 3;
    }
    auto instance = library.value()->instantiate(readAll(argv[2]), argv[2], HostServices{});
    if (!instance) {
        std::cerr << instance.error().message << "\n";
        return 3;
    }
    std::FILE *file = std::fopen(argv[3], "rb");
    if (file == nullptr) {
        std::perror(argv[3]);
        return 2;
    }
    FileReader reader(file);
    Counter counter;
    const auto start = std::chrono::steady_clock::now();
    const double cpuStart = cpuSeconds();
    const CallOutcome outcome = instance.value()->decode(argc == 5 ? argv[4] : "", reader, counter);
    const double cpu = cpuSeconds() - cpuStart;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fclose(file);
    std::printf(
        "bytes=%llu records=%llu record_errors=%llu json_bytes=%llu status=%s seconds=%.3f mb_per_s=%.1f "
        "records_per_s=%.0f cpu_seconds=%.3f cpu_mb_per_s=%.1f cpu_records_per_s=%.0f\n",
        static_cast<unsigned long long>(reader.bytes), static_cast<unsigned long long>(counter.records),
        static_cast<unsigned long long>(counter.errors), static_cast<unsigned long long>(counter.jsonBytes),
        outcome.ok() ? "ok" : (std::string(toString(outcome.status)) + ":" + outcome.code).c_str(), seconds,
        static_cast<double>(reader.bytes) / 1e6 / seconds, static_cast<double>(counter.records) / seconds, cpu,
        static_cast<double>(reader.bytes) / 1e6 / cpu, static_cast<double>(counter.records) / cpu);
    if (!outcome.ok()) std::cerr << outcome.message << "\n";
    return outcome.ok() ? 0 : 1;
}
