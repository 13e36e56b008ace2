// The C ABI harness shared by the per-plugin bench programs: loads a plugin,
// streams a file through decode or encode, and prints throughput. Each
// program adds only its input generator. (tests/bench/decode_bench.cpp runs
// plugins through the daemon's own host instead.)
#ifndef LENDGATE_TESTS_PLUGINS_PLUGIN_ABI_BENCH_H
#define LENDGATE_TESTS_PLUGINS_PLUGIN_ABI_BENCH_H

#include <lendgate/plugin.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace lendgate::bench {
namespace detail {

struct Run {
    std::FILE *in = nullptr;
    std::FILE *out = nullptr;
    std::uint64_t records = 0, errors = 0, bytesIn = 0, bytesOut = 0;
    std::string line;
    std::string failure;
};

inline int readInput(void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
    auto *run = static_cast<Run *>(ctx);
    *n = std::fread(buffer, 1, capacity, run->in);
    run->bytesIn += *n;
    return std::ferror(run->in) ? LENDGATE_ERR_IO : LENDGATE_OK;
}

inline int onRecord(void *ctx, const char *, const char *json, std::size_t len, const lendgate_location *) {
    auto *run = static_cast<Run *>(ctx);
    ++run->records;
    run->bytesOut += len + 1;
    if (run->out != nullptr) {
        std::fwrite(json, 1, len, run->out);
        std::fputc('\n', run->out);
    }
    return 0;
}

inline void onRecordError(void *ctx, const lendgate_location *at, const char *code, const char *field,
                          const char *message) {
    auto *run = static_cast<Run *>(ctx);
    if (++run->errors <= 20)
        std::cerr << "record " << at->record << " line " << at->line << ": " << field << ": " << code << ": " << message
                  << "\n";
}

inline void onFail(void *ctx, const char *code, const char *message) {
    static_cast<Run *>(ctx)->failure = std::string(code) + ": " + message;
}

inline int nextRecord(void *ctx, const char **json, std::size_t *len) {
    auto *run = static_cast<Run *>(ctx);
    char *buffer = nullptr;
    std::size_t capacity = 0;
    const ssize_t n = getline(&buffer, &capacity, run->in);
    if (n <= 0) {
        std::free(buffer);
        return 0;
    }
    run->bytesIn += static_cast<std::uint64_t>(n);
    run->line.assign(buffer, static_cast<std::size_t>(n));
    std::free(buffer);
    while (!run->line.empty() && (run->line.back() == '\n' || run->line.back() == '\r')) run->line.pop_back();
    ++run->records;
    *json = run->line.data();
    *len = run->line.size();
    return 1;
}

inline int writeOutput(void *ctx, const char *data, std::size_t len) {
    auto *run = static_cast<Run *>(ctx);
    run->bytesOut += len;
    if (run->out != nullptr && std::fwrite(data, 1, len, run->out) != len) return LENDGATE_ERR_IO;
    return LENDGATE_OK;
}

inline std::int64_t now(void *) {
    return 1795392000000;
}

}  // namespace detail

/// PLUGIN.so decode|encode CONFIG INPUT [OUTPUT]; prints `usage` when the
/// arguments do not fit. Returns the exit status.
inline int runPluginBench(int argc, char **argv, const char *usage) {
    using namespace detail;
    if (argc < 5) {
        std::cerr << usage;
        return 2;
    }
    void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        std::cerr << dlerror() << "\n";
        return 2;
    }
    auto entry = reinterpret_cast<lendgate_plugin_entry_fn>(dlsym(handle, LENDGATE_PLUGIN_ENTRY_SYMBOL));
    const lendgate_plugin_descriptor *d = entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    std::ifstream configFile(argv[3]);
    std::stringstream config;
    config << configFile.rdbuf();
    const std::string configText = config.str();

    Run run;
    lendgate_diagnostics diag{&run, &onRecordError, &onFail};
    const lendgate_host_api host{sizeof(lendgate_host_api), nullptr, nullptr, &now, nullptr};
    void *instance = nullptr;
    if (d->create(&host, configText.data(), configText.size(), &instance, &diag) != LENDGATE_OK) {
        std::cerr << "create: " << run.failure << "\n";
        return 2;
    }
    run.in = std::fopen(argv[4], "rb");
    run.out = argc > 5 ? std::fopen(argv[5], "wb") : nullptr;
    if (run.in == nullptr) return 2;
    const bool decode = std::string(argv[2]) == "decode";
    const auto start = std::chrono::steady_clock::now();
    int status;
    if (decode) {
        const lendgate_reader reader{&run, &readInput};
        const lendgate_record_sink sink{&run, &onRecord};
        status = d->decode(instance, nullptr, &reader, &sink, &diag);
    } else {
        const lendgate_record_source source{&run, &nextRecord};
        const lendgate_writer writer{&run, &writeOutput};
        status = d->encode(instance, nullptr, &source, &writer, &diag);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run.out != nullptr) std::fclose(run.out);
    std::fclose(run.in);
    d->destroy(instance);
    std::cout << argv[2] << ": status " << status << (run.failure.empty() ? "" : " (" + run.failure + ")") << ", "
              << run.records << " records, " << run.errors << " record errors, " << run.bytesIn / 1e6 << " MB in, "
              << run.bytesOut / 1e6 << " MB out, " << seconds << " s, " << run.bytesIn / 1e6 / seconds << " MB/s in, "
              << run.records / seconds << " records/s\n";
    return status == LENDGATE_OK ? 0 : 1;
}

}  // namespace lendgate::bench

#endif  // LENDGATE_TESTS_PLUGINS_PLUGIN_ABI_BENCH_H
