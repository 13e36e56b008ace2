// Decode throughput and memory of the fixed-width plugin, run by hand:
//
//   fixedwidth_throughput generate OUT.txt 100      # ~100 MB shaped like Cactus's nightly file
//   /usr/bin/time -v fixedwidth_throughput decode OUT.txt [CONFIG]
//
// Decoding streams the file through the C ABI as the gateway does (64 KiB
// reads, records counted and dropped), so peak RSS is the plugin's own.
#include <lendgate/plugin.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "plugin_harness.h"

namespace {

const std::string kRoot = LENDGATE_TEST_SOURCE_DIR;

int generate(const std::string &out, double megabytes) {
    const std::string sample =
        lendgate::test::readFile(kRoot + "/samples/cactus-auto-finance/CAF_DQAO_20261122_001.txt");
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < sample.size();) {
        const std::size_t end = sample.find('\n', at);
        lines.push_back(sample.substr(at, end - at));
        at = end + 1;
    }
    const std::string header = lines.front();
    const std::vector<std::string> details(lines.begin() + 1, lines.end() - 1);
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << header << '\n';
    const auto target = static_cast<std::uint64_t>(megabytes * 1024 * 1024);
    std::uint64_t written = header.size() + 1, rounds = 0, sequence = 0;
    char seq[8];
    while (written < target) {
        for (std::string line : details) {
            std::snprintf(seq, sizeof seq, "%06llu", static_cast<unsigned long long>(++sequence % 1000000));
            line.replace(2, 6, seq);
            file << line << '\n';
            written += line.size() + 1;
        }
        ++rounds;
    }
    // The sample's totals: 15 details (8 DN, 7 AO), 11858.23 past due, 233365.53 payoff; times the rounds.
    char trailer[80];
    std::snprintf(trailer, sizeof trailer, "TR%09llu%09llu%09llu%015llu%015llu", 15ULL * rounds, 8ULL * rounds,
                  7ULL * rounds, 1185823ULL * rounds, 23336553ULL * rounds);
    file << trailer << '\n';
    std::printf("%s: %.1f MB, %llu detail records\n", out.c_str(), static_cast<double>(written) / 1e6,
                static_cast<unsigned long long>(15 * rounds));
    return 0;
}

struct Counts {
    FILE *input = nullptr;
    std::uint64_t records = 0, jsonBytes = 0, errors = 0;
    std::string failure;
};

int decode(const std::string &path, const std::string &configPath) {
    void *handle = dlopen(LENDGATE_TEST_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return std::fprintf(stderr, "dlopen: %s\n", dlerror()), 1;
    auto entry = reinterpret_cast<lendgate_plugin_entry_fn>(dlsym(handle, LENDGATE_PLUGIN_ENTRY_SYMBOL));
    const lendgate_plugin_descriptor *d = entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    Counts counts;
    counts.input = std::fopen(path.c_str(), "rb");
    if (counts.input == nullptr) return std::fprintf(stderr, "cannot read %s\n", path.c_str()), 1;
    const lendgate_diagnostics diag{&counts,
                                    [](void *ctx, const lendgate_location *, const char *, const char *, const char *) {
                                        ++static_cast<Counts *>(ctx)->errors;
                                    },
                                    [](void *ctx, const char *code, const char *message) {
                                        static_cast<Counts *>(ctx)->failure = std::string(code) + ": " + message;
                                    }};
    const std::string config = lendgate::test::readFile(configPath);
    void *instance = nullptr;
    if (d->create(nullptr, config.data(), config.size(), &instance, &diag) != LENDGATE_OK)
        return std::fprintf(stderr, "create: %s\n", counts.failure.c_str()), 1;
    const lendgate_reader reader{&counts, [](void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
                                     *n = std::fread(buffer, 1, capacity, static_cast<Counts *>(ctx)->input);
                                     return static_cast<int>(LENDGATE_OK);
                                 }};
    const lendgate_record_sink sink{
        &counts, [](void *ctx, const char *, const char *, std::size_t len, const lendgate_location *) {
            auto *c = static_cast<Counts *>(ctx);
            ++c->records;
            c->jsonBytes += len;
            return 0;
        }};
    const auto start = std::chrono::steady_clock::now();
    const int status = d->decode(instance, nullptr, &reader, &sink, &diag);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto bytes = static_cast<double>(std::ftell(counts.input));
    d->destroy(instance);
    std::printf(
        "status %d %s\n%.1f MB in %.3f s: %.1f MB/s, %.0f records/s (%llu records, %llu errors, %.1f MB JSON)\n",
        status, counts.failure.c_str(), bytes / 1e6, seconds, bytes / 1e6 / seconds,
        static_cast<double>(counts.records) / seconds, static_cast<unsigned long long>(counts.records),
        static_cast<unsigned long long>(counts.errors), static_cast<double>(counts.jsonBytes) / 1e6);
    return status == LENDGATE_OK ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "generate" && argc == 4) return generate(argv[2], std::atof(argv[3]));
    if (mode == "decode" && (argc == 3 || argc == 4))
        return decode(argv[2], argc == 4 ? argv[3] : kRoot + "/config/plugins/cactus-notices-orders.json");
    std::fprintf(stderr, "usage: %s generate OUT MEGABYTES | decode FILE [CONFIG]\n", argv[0]);
    return 2;
}
