// The file path: a Desert Valley Bank delinquency CSV of N detail records,
// ingested in-process by the intake service as the bank's file drop would be
// (decode → validate → tokenize → route → journal), on the sample
// configuration with a fresh data directory. Prints records/s and the peak
// RSS of the process; run once per N, since the peak is the process's.
//
//   intake_file_bench --records N [--source-dir DIR] [--plugin-dir DIR] [--decode-only-too]
//
// The CSV is made from the sample's eight detail rows with unique record ids
// and account numbers (the VINs and the rest stay valid) and a trailer whose
// count and past-due total match, as the dvb-delinquency mapping checks. It
// is written to a file and mapped, so the input costs page cache, not heap,
// until the service reads it.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/gateway_config.h"
#include "core/intake/commit_queue.h"
#include "core/intake/intake_service.h"
#include "core/journal/fs_blob_store.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"
#include "core/security/key_ring.h"
#include "core/security/tokenizer.h"
#include "tests/bench/bench_support.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::bench {
namespace {

constexpr double kGoalRecordsPerSecond = 100000;
constexpr double kGoalPeakRssMiB = 256;
constexpr const char *kSender = "desert-valley-bank";

class QuietLogger final : public Logger {
public:
    void log(LogLevel level, std::string_view component, std::string_view message) override {
        if (level >= LogLevel::Warning)
            std::cerr << "  [" << toString(level) << "] " << component << ": " << message << "\n";
    }
};

// Splits one CSV row into fields, honouring double quotes.
std::vector<std::string> csvFields(std::string_view row) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < row.size(); ++i) {
        const char c = row[i];
        if (quoted) {
            if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

// A sample detail row cut around its record id and account number (the
// second and third columns, before any quoted field), and its past-due cents.
struct DetailTemplate {
    std::string afterAccount;  ///< from the comma after ACCT_NO to the end of the row
    std::int64_t pastDueCents = 0;
};

struct SampleFile {
    std::string columnsRow;
    std::string headerRow;
    std::vector<DetailTemplate> details;
};

SampleFile readSample(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    SampleFile sample;
    std::string line;
    std::size_t pastDueColumn = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (sample.columnsRow.empty()) {
            sample.columnsRow = line;
            const auto names = csvFields(line);
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] == "AMT_PAST_DUE_CENTS") pastDueColumn = i;
            if (pastDueColumn == 0) throw std::runtime_error("no AMT_PAST_DUE_CENTS column in " + path);
        } else if (line.rfind("H,", 0) == 0) {
            sample.headerRow = line;
        } else if (line.rfind("D,", 0) == 0) {
            const auto idEnd = line.find(',', 2);
            const auto accountEnd = line.find(',', idEnd + 1);
            DetailTemplate detail;
            detail.afterAccount = line.substr(accountEnd);
            detail.pastDueCents = std::stoll(csvFields(line).at(pastDueColumn));
            sample.details.push_back(std::move(detail));
        }
    }
    if (sample.details.empty()) throw std::runtime_error("no detail rows in " + path);
    return sample;
}

// Writes the N-record file; streams, so making it costs no memory.
std::uint64_t writeCsv(const SampleFile &sample, std::size_t records, const std::string &path) {
    std::FILE *out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) throw std::runtime_error("cannot write " + path);
    std::fprintf(out, "%s\n%s\n", sample.columnsRow.c_str(), sample.headerRow.c_str());
    std::int64_t totalCents = 0;
    for (std::size_t i = 0; i < records; ++i) {
        const auto &detail = sample.details[i % sample.details.size()];
        // Record ids DQ-BENCH-0000001..., account numbers 60000000001...: unique per file.
        std::fprintf(out, "D,DQ-BENCH-%07zu,6%010zu%s\n", i + 1, i + 1, detail.afterAccount.c_str());
        totalCents += detail.pastDueCents;
    }
    std::fprintf(out, "T,%zu,%lld\n", records, static_cast<long long>(totalCents));
    if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + path);
    std::error_code ec;
    return std::filesystem::file_size(path, ec);
}

// The file, mapped read-only: what the service is handed as its body.
class MappedFile {
public:
    explicit MappedFile(const std::string &path) {
        fd_ = ::open(path.c_str(), O_RDONLY);
        if (fd_ < 0) throw std::runtime_error("cannot open " + path);
        struct stat info {};
        ::fstat(fd_, &info);
        size_ = static_cast<std::size_t>(info.st_size);
        data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
        if (data_ == MAP_FAILED) throw std::runtime_error("cannot map " + path);
    }
    ~MappedFile() {
        ::munmap(data_, size_);
        ::close(fd_);
    }
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;
    std::string_view view() const { return {static_cast<const char *>(data_), size_}; }

private:
    int fd_ = -1;
    void *data_ = nullptr;
    std::size_t size_ = 0;
};

class MemoryReader final : public plugin::ByteReader {
public:
    explicit MemoryReader(std::string_view data) : data_(data) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        const auto n = std::min(capacity, data_.size());
        std::memcpy(buffer, data_.data(), n);
        data_.remove_prefix(n);
        return n;
    }

private:
    std::string_view data_;
};

class CountingHandler final : public plugin::DecodeHandler {
public:
    bool onRecord(std::string_view, std::string_view, const plugin::RecordLocation &) override {
        ++records;
        return true;
    }
    void onRecordError(const plugin::RecordProblem &) override { ++errors; }
    std::size_t records = 0;
    std::size_t errors = 0;
};

int run(const std::vector<std::string> &args) {
    const std::size_t records = std::stoull(option(args, "--records", "100000"));
    const std::string sourceDir = option(args, "--source-dir", LENDGATE_SOURCE_DIR);
    const std::string pluginDir = option(args, "--plugin-dir", LENDGATE_PLUGIN_DIR);
    const std::string label = "file intake, " + std::to_string(records) + " records";

    if (const std::string target = option(args, "--write-csv", ""); !target.empty()) {
        // Only the file, for run.sh's SFTP drop benchmark to upload.
        const auto written =
            writeCsv(readSample(sourceDir + "/samples/desert-valley-bank/DVB_DELQ_20261123_001.csv"), records, target);
        std::cout << written << "\n";
        return 0;
    }

    testing::TempDir dir;
    const std::string fileName = "DVB_DELQ_20261123_" + std::to_string(records) + ".csv";
    const std::string csvPath = (dir / fileName).string();
    const auto bytes =
        writeCsv(readSample(sourceDir + "/samples/desert-valley-bank/DVB_DELQ_20261123_001.csv"), records, csvPath);

    config::LoadOptions loadOptions;
    loadOptions.pluginDir = pluginDir;
    auto loaded = config::loadGatewayConfig(sourceDir + "/config/lendgate.json", loadOptions);
    if (!loaded.config) {
        for (const auto &problem : loaded.problems) std::cerr << config::describe(problem) << "\n";
        return 1;
    }
    config::GatewayConfig config = std::move(*loaded.config);

    SystemClock clock;
    QuietLogger logger;
    metrics::Registry metrics;
    auto keys = testing::makeKeyRing(dir, clock);
    auto blobs = journal::FsBlobStore::create({dir / "blobs"}, *keys);
    if (!blobs) throw std::runtime_error("blob store: " + blobs.error().message);
    journal::SqliteJournalOptions journalOptions;
    journalOptions.path = dir / "journal.db";
    auto journal = journal::openSqliteJournal(journalOptions, clock);
    if (!journal) throw std::runtime_error("journal: " + journal.error().message);
    plugin::PluginCatalog plugins(config.pluginDir, plugin::HostServices{&logger, &clock});
    auto tokenizer = security::AccountTokenizer::create(*keys);
    if (!tokenizer) throw std::runtime_error("tokenizer: " + tokenizer.error().message);
    journal::UlidGenerator ulids(clock);
    privacy::FieldVault vault(*keys, tokenizer.value(), journal.value().get());
    intake::CommitQueue commits(*journal.value(), intake::CommitQueueOptions{});
    intake::IntakeService service(intake::IntakeServices{config, *journal.value(), *blobs.value(), plugins,
                                                         tokenizer.value(), vault, commits, clock, logger, metrics,
                                                         ulids});

    if (flag(args, "--decode-only-too")) {
        MappedFile file(csvPath);
        // The delimited plugin alone, records dropped as they come: the
        // decoder's share of the time.
        const auto *partner = config.partner(kSender);
        const auto *binding = partner->inboundFormat(model::MessageType::DelinquencyNotice);
        CountingHandler counter;
        MemoryReader reader(file.view());
        Stopwatch decodeWatch;
        auto decoded = plugins.with(binding->plugin, binding->pluginConfig, [&](plugin::PluginInstance &instance) {
            return instance.decode("delinquency_notice", reader, counter);
        });
        const double decodeSeconds = decodeWatch.seconds();
        if (!decoded || !decoded.value().ok())
            std::cerr << "decode-only pass failed: " << (decoded ? decoded.value().message : decoded.error().message)
                      << "\n";
        printNote("  of which: plugin decode alone", fixed(static_cast<double>(counter.records) / decodeSeconds) +
                                                         " records/s (" + std::to_string(counter.records) +
                                                         " records, " + std::to_string(counter.errors) + " errors, " +
                                                         fixed(decodeSeconds, 2) + " s)");
    }

    const double rssBefore = currentRssMiB();
    intake::IntakeRequest request;
    request.sender = kSender;
    request.declaredType = model::MessageType::DelinquencyNotice;
    request.idempotencyKey = fileName;
    request.channel = "sftp_drop";
    request.reference = fileName;
    request.isFile = true;
    // Streamed from the disk as a dropped file is: the file is never all in memory.
    const int fd = ::open(csvPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + csvPath);
    journal::FileSource source(fd);
    request.source = &source;
    request.maxBytes = bytes + 1;

    Stopwatch watch;
    const auto response = service.ingest(request);
    const double seconds = watch.seconds();
    ::close(fd);
    commits.stop();
    const double peak = peakRssMiB();

    if (response.status != intake::IntakeStatus::Accepted) {
        std::cerr << label << ": status " << intake::httpStatusOf(response.status) << ": "
                  << response.document.substr(0, 600) << "\n";
        printFigure(label,
                    "FAILED (HTTP-equivalent status " + std::to_string(intake::httpStatusOf(response.status)) + ")",
                    ">=100k records/s", false);
        return 1;
    }
    const double rate = static_cast<double>(records) / seconds;
    printFigure(label,
                fixed(rate) + " records/s (" + fixed(seconds, 2) + " s, " + fixed(bytes / 1048576.0, 1) + " MiB)",
                ">=100k records/s", rate >= kGoalRecordsPerSecond);
    printFigure("  peak RSS",
                fixed(peak) + " MiB (" + fixed(rssBefore) + " MiB before ingest; ACK " +
                    fixed(response.document.size() / 1048576.0, 1) + " MiB)",
                "<256 MB, flat in N", peak < kGoalPeakRssMiB);
    return 0;
}

}  // namespace
}  // namespace lendgate::bench

int main(int argc, char **argv) {
    try {
        return lendgate::bench::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception &e) {
        std::cerr << "intake_file_bench: " << e.what() << "\n";
        return 1;
    }
}
