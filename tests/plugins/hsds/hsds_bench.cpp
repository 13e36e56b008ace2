// Runs the hsds plugin on files through its C ABI and reports throughput: the
// tool behind the README's performance figures.
//
//   hsds_bench PLUGIN.so decode CONFIG INPUT [OUT.jsonl]
//   hsds_bench PLUGIN.so encode CONFIG REFERRALS.jsonl [OUT.jsonl]
//   hsds_bench generate-updates MEGABYTES OUT.jsonl     (Sonoran's ids, config/plugins/hsds-sonoran.json)
//
// Peak memory: run it under /usr/bin/time -v. Not a test: ctest does not run it.
#include <lendgate/plugin.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

struct Run {
    std::FILE *in = nullptr;
    std::FILE *out = nullptr;
    std::uint64_t records = 0, errors = 0, bytesIn = 0;
    std::string line;
    std::string failure;
};

int readInput(void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
    auto *run = static_cast<Run *>(ctx);
    *n = std::fread(buffer, 1, capacity, run->in);
    run->bytesIn += *n;
    return std::ferror(run->in) ? LENDGATE_ERR_IO : LENDGATE_OK;
}

int onRecord(void *ctx, const char *, const char *json, std::size_t len, const lendgate_location *) {
    auto *run = static_cast<Run *>(ctx);
    ++run->records;
    if (run->out != nullptr) {
        std::fwrite(json, 1, len, run->out);
        std::fputc('\n', run->out);
    }
    return 0;
}

void onRecordError(void *ctx, const lendgate_location *at, const char *code, const char *field, const char *message) {
    auto *run = static_cast<Run *>(ctx);
    if (++run->errors <= 20)
        std::cerr << "record " << at->record << " line " << at->line << ": " << field << ": " << code << ": " << message
                  << "\n";
}

void onFail(void *ctx, const char *code, const char *message) {
    static_cast<Run *>(ctx)->failure = std::string(code) + ": " + message;
}

int nextRecord(void *ctx, const char **json, std::size_t *len) {
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

int writeOutput(void *ctx, const char *data, std::size_t len) {
    auto *run = static_cast<Run *>(ctx);
    if (run->out != nullptr) std::fwrite(data, 1, len, run->out);
    return LENDGATE_OK;
}

std::string slurp(const char *path) {
    std::FILE *f = std::fopen(path, "rb");
    if (f == nullptr) {
        std::cerr << "cannot read " << path << "\n";
        std::exit(2);
    }
    std::string text;
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    std::fclose(f);
    return text;
}

int generate(double megabytes, const char *path) {
    static const char *kServices[] = {"29f2283d-52b4-5e3b-be9f-c504095fbe48", "32d095e1-0d67-5d50-92f3-8b7fa0855fe6",
                                      "e9cda174-8803-5ac9-9bee-0864cc5bf4ec", "43285613-a90a-5bed-acd4-a8682ce21121",
                                      "d6b3b6d1-a9db-508b-8b45-28ab7133b4a2"};
    static const char *kStatuses[] = {"RECEIVED", "ACCEPTED", "CONTACTED", "ENROLLED", "DECLINED", "CLOSED"};
    std::FILE *out = std::fopen(path, "wb");
    if (out == nullptr) return 2;
    const auto target = static_cast<std::uint64_t>(megabytes * 1024 * 1024);
    std::uint64_t written = 0;
    char line[1024];
    for (std::uint64_t i = 0; written < target; ++i) {
        const int n = std::snprintf(
            line, sizeof line,
            "{\"id\":\"SFS-UPD-%010llu\",\"referral_id\":\"01JDB2K4ZQ8V3N6R%010llu\",\"organization_id\":"
            "\"259bd622-95a8-5087-b8f2-c3eb763af4ba\",\"service_id\":\"%s\",\"status\":\"%s\",\"updated_at\":"
            "\"2026-11-%02lluT%02llu:%02llu:00-07:00\",\"note\":\"Follow-up %llu: caseworker left a message; next "
            "call set for the morning.\"}\n",
            static_cast<unsigned long long>(i), static_cast<unsigned long long>(i), kServices[i % 5], kStatuses[i % 6],
            static_cast<unsigned long long>(1 + i % 28), static_cast<unsigned long long>(i % 24),
            static_cast<unsigned long long>(i % 60), static_cast<unsigned long long>(i));
        std::fwrite(line, 1, static_cast<std::size_t>(n), out);
        written += static_cast<std::uint64_t>(n);
    }
    std::fclose(out);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 4 && std::strcmp(argv[1], "generate-updates") == 0) return generate(std::atof(argv[2]), argv[3]);
    if (argc < 5) {
        std::cerr << "usage: hsds_bench PLUGIN.so decode|encode CONFIG INPUT [OUT]\n"
                     "       hsds_bench generate-updates MEGABYTES OUT.jsonl\n";
        return 2;
    }
    void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        std::cerr << dlerror() << "\n";
        return 2;
    }
    auto entry = reinterpret_cast<lendgate_plugin_entry_fn>(dlsym(handle, LENDGATE_PLUGIN_ENTRY_SYMBOL));
    const lendgate_plugin_descriptor *d = entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    Run run;
    const lendgate_diagnostics diag{&run, &onRecordError, &onFail};
    const std::string config = slurp(argv[3]);
    void *instance = nullptr;
    if (d->create(nullptr, config.data(), config.size(), &instance, &diag) != LENDGATE_OK) {
        std::cerr << "create: " << run.failure << "\n";
        return 2;
    }
    run.in = std::fopen(argv[4], "rb");
    run.out = argc > 5 ? std::fopen(argv[5], "wb") : nullptr;
    if (run.in == nullptr) return 2;
    const auto start = std::chrono::steady_clock::now();
    int status;
    if (std::strcmp(argv[2], "decode") == 0) {
        const lendgate_reader reader{&run, &readInput};
        const lendgate_record_sink sink{&run, &onRecord};
        status = d->decode(instance, "referral_update", &reader, &sink, &diag);
    } else {
        const lendgate_record_source source{&run, &nextRecord};
        const lendgate_writer writer{&run, &writeOutput};
        status = d->encode(instance, "referral", &source, &writer, &diag);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run.out != nullptr) std::fclose(run.out);
    std::fclose(run.in);
    d->destroy(instance);
    std::printf("status %d%s%s\nrecords %llu, record errors %llu, %.1f MB in %.2f s: %.1f MB/s, %.0f records/s\n",
                status, run.failure.empty() ? "" : " ", run.failure.c_str(),
                static_cast<unsigned long long>(run.records), static_cast<unsigned long long>(run.errors),
                static_cast<double>(run.bytesIn) / 1e6, seconds, static_cast<double>(run.bytesIn) / 1e6 / seconds,
                static_cast<double>(run.records) / seconds);
    return status == LENDGATE_OK ? 0 : 1;
}
