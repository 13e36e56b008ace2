// Runs the delimited plugin on files through its C ABI, streaming both ways,
// and reports throughput: the tool behind the README's performance figures.
//
//   delimited_bench PLUGIN.so decode CONFIG INPUT [OUT.jsonl]
//   delimited_bench PLUGIN.so encode CONFIG INPUT.jsonl [OUT.csv]
//   delimited_bench generate-delinquency MEGABYTES OUT.csv
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

namespace {

struct Run {
    std::FILE *in = nullptr;
    std::FILE *out = nullptr;
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
    run->bytesOut += len;
    if (run->out != nullptr && std::fwrite(data, 1, len, run->out) != len) return LENDGATE_ERR_IO;
    return LENDGATE_OK;
}

std::int64_t now(void *) {
    return 1795392000000;
}

// A Desert Valley Bank style delinquency file of about `megabytes`, totals matching.
int generate(long megabytes, const char *path) {
    std::ofstream out(path, std::ios::binary);
    out << "RECORD_TYPE,RECORD_ID,ACCT_NO,PRODUCT_CODE,CONTRACT_DATE,FIRST_PMT_DATE,BORR_FIRST,BORR_LAST,BORR_SSN,"
           "BORR_PHONE,BORR_ADDR1,BORR_ADDR2,BORR_CITY,BORR_STATE,BORR_ZIP,BORR_LANG,COSIGNER_FIRST,COSIGNER_LAST,"
           "COSIGNER_PHONE,VIN,VEH_YEAR,VEH_MAKE,VEH_MODEL,VEH_COLOR,PLATE,PLATE_STATE,AS_OF_DATE,DAYS_PAST_DUE,"
           "AMT_PAST_DUE_CENTS,PAYOFF_AMT,LAST_PMT_DATE,LAST_PMT_AMT,SCRA_STATUS,SCRA_CERT_ID,SCRA_CHECKED_DATE,"
           "BK_FLAG,BK_CHAPTER,BK_FILED_DATE,RTC_NOTICE_DATE,RTC_CURE_DATE,CEASE_COMM\nH,DVB,20261123,001,DELQ\n";
    const std::uint64_t target = static_cast<std::uint64_t>(megabytes) * 1000 * 1000;
    std::uint64_t written = 0, count = 0, total = 0;
    char row[1024];
    while (written < target) {
        const std::uint64_t cents = 10000 + count * 37 % 250000;
        const int n = std::snprintf(
            row, sizeof row,
            "D,DQ-%09llu,44%08llu,R,03/14/2021,04/28/2021,Maria,Delgado-Pena,921-47-3856,(602) 555-0143,"
            "\"1420 E Camelback Rd, Apt 12\",,Phoenix,AZ,85014,SPA,,,,4T1B11HK5M0214873,2021,TOYOTA,CAMRY,SILVER,"
            "CMX4127,AZ,11/22/2026,45,%llu,14872.19,09/28/2026,306.20,N,DMDC-26-0417-5521,11/20/2026,N,,,,,N\n",
            static_cast<unsigned long long>(count), static_cast<unsigned long long>(count % 100000000),
            static_cast<unsigned long long>(cents));
        out.write(row, n);
        written += static_cast<std::uint64_t>(n);
        total += cents;
        ++count;
    }
    out << "T," << count << "," << total << "\n";
    std::cout << count << " detail records, " << written / 1e6 << " MB\n";
    return out ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "generate-delinquency") return generate(std::atol(argv[2]), argv[3]);
    if (argc < 5) {
        std::cerr << "usage: delimited_bench PLUGIN.so decode|encode CONFIG INPUT [OUTPUT]\n"
                     "       delimited_bench generate-delinquency MEGABYTES OUT.csv\n";
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
