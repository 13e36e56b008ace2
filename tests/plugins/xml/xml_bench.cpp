// Runs the xml plugin on files through its C ABI, streaming both ways, and
// reports throughput: the tool behind the README's performance figures.
//
//   xml_bench PLUGIN.so decode CONFIG INPUT.xml [OUT.jsonl]
//   xml_bench PLUGIN.so encode CONFIG TYPE INPUT.jsonl [OUT.xml]
//   xml_bench generate-applications SAMPLE.xml MEGABYTES OUT.xml
//
// Peak memory: run it under /usr/bin/time -v. Not a test: ctest does not run it.
#include <lendgate/plugin.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Run {
    std::FILE *in = nullptr;
    std::FILE *out = nullptr;
    std::istream *lines = nullptr;  // encode: canonical records, one per line
    std::uint64_t records = 0, errors = 0, bytesIn = 0, bytesOut = 0;
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
    run->bytesOut += len + 1;
    if (run->out != nullptr) {
        std::fwrite(json, 1, len, run->out);
        std::fputc('\n', run->out);
    }
    return 0;
}

void onRecordError(void *ctx, const lendgate_location *at, const char *code, const char *field, const char *message) {
    auto *run = static_cast<Run *>(ctx);
    if (++run->errors <= 20)
        std::cerr << "record " << at->record << ": " << field << ": " << code << ": " << message << "\n";
}

void onFail(void *ctx, const char *code, const char *message) {
    static_cast<Run *>(ctx)->failure = std::string(code) + ": " + message;
}

int nextRecord(void *ctx, const char **json, std::size_t *len) {
    auto *run = static_cast<Run *>(ctx);
    if (!std::getline(*run->lines, run->line)) return 0;
    run->bytesIn += run->line.size() + 1;
    ++run->records;
    *json = run->line.data();
    *len = run->line.size();
    return 1;
}

int writeOutput(void *ctx, const char *data, std::size_t len) {
    auto *run = static_cast<Run *>(ctx);
    run->bytesOut += len;
    if (run->out != nullptr) std::fwrite(data, 1, len, run->out);
    return LENDGATE_OK;
}

std::string readFile(const char *path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Repeats the sample's <Application> elements with fresh ids until the file is big enough.
int generate(const char *samplePath, double megabytes, const char *outPath) {
    const std::string sample = readFile(samplePath);
    const std::size_t first = sample.find("  <Application ");
    const std::size_t last = sample.rfind("</Application>") + std::strlen("</Application>\n");
    if (first == std::string::npos || last < first) return 2;
    std::vector<std::string> records;
    for (std::size_t at = first; at < last;) {
        const std::size_t end = sample.find("</Application>", at) + std::strlen("</Application>\n");
        records.push_back(sample.substr(at, end - at));
        at = end;
    }
    std::ofstream out(outPath, std::ios::binary);
    out << sample.substr(0, first);
    const auto target = static_cast<std::uint64_t>(megabytes * 1024 * 1024);
    std::uint64_t written = first, n = 0;
    while (written < target) {
        std::string record = records[n % records.size()];
        const std::string id = "SFCU-HA-2026-0" + std::to_string(481 + n % records.size());
        const std::string fresh = "SFCU-HA-" + std::to_string(1000000 + n);
        for (std::size_t at; (at = record.find(id)) != std::string::npos;) record.replace(at, id.size(), fresh);
        out << record;
        written += record.size();
        ++n;
    }
    out << sample.substr(last);
    std::cerr << n << " records, " << written << " bytes\n";
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 5 && std::string(argv[1]) == "generate-applications")
        return generate(argv[2], std::atof(argv[3]), argv[4]);
    const bool decode = argc >= 5 && std::string(argv[2]) == "decode";
    const bool encode = argc >= 6 && std::string(argv[2]) == "encode";
    if (!decode && !encode) {
        std::cerr << "usage: xml_bench PLUGIN.so decode CONFIG INPUT [OUT] | encode CONFIG TYPE INPUT [OUT] | "
                     "generate-applications SAMPLE MB OUT\n";
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
    lendgate_diagnostics diag{&run, &onRecordError, &onFail};
    const std::string config = readFile(argv[3]);
    void *instance = nullptr;
    if (d->create(nullptr, config.data(), config.size(), &instance, &diag) != LENDGATE_OK) {
        std::cerr << "create: " << run.failure << "\n";
        return 2;
    }
    const char *inputPath = decode ? argv[4] : argv[5];
    const char *outputPath = decode ? (argc > 5 ? argv[5] : nullptr) : (argc > 6 ? argv[6] : nullptr);
    if (outputPath != nullptr) run.out = std::fopen(outputPath, "wb");
    const auto start = std::chrono::steady_clock::now();
    int status = 0;
    if (decode) {
        run.in = std::fopen(inputPath, "rb");
        if (run.in == nullptr) return 2;
        lendgate_reader reader{&run, &readInput};
        lendgate_record_sink sink{&run, &onRecord};
        status = d->decode(instance, nullptr, &reader, &sink, &diag);
        std::fclose(run.in);
    } else {
        std::ifstream in(inputPath, std::ios::binary);
        run.lines = &in;
        lendgate_record_source source{&run, &nextRecord};
        lendgate_writer writer{&run, &writeOutput};
        status = d->encode(instance, argv[4], &source, &writer, &diag);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run.out != nullptr) std::fclose(run.out);
    d->destroy(instance);
    const double mb = static_cast<double>(run.bytesIn) / (1024.0 * 1024.0);
    std::printf("status %d: %llu records (%llu errors), %.1f MB in %.2f s: %.1f MB/s, %.0f records/s%s%s\n", status,
                static_cast<unsigned long long>(run.records), static_cast<unsigned long long>(run.errors), mb, seconds,
                mb / seconds, static_cast<double>(run.records) / seconds, run.failure.empty() ? "" : "; ",
                run.failure.c_str());
    return status == LENDGATE_OK ? 0 : 1;
}
