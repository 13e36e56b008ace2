// `lendgate purge` (core/journal/retention.h): what the daemon's daily
// retention job does, on demand.
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/journal/fs_blob_store.h"
#include "core/journal/retention.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/security/key_ring.h"

namespace lendgate::cli {
namespace {

constexpr std::string_view kPurgeUsage =
    R"(usage: lendgate purge [--retention-days N] [--dry-run] [--config FILE]

Destroys the personal data of every case with no activity (no message, no
delivery, no event; closing counts) for longer than the retention period:
the data keys of the input files that hold only such cases, and the body and
sealed fields of each of their messages. Types, senders, dates and states
stay, so reports still count them. The cutoff and every destroyed key are
recorded with the key ring first, so a restore from an older backup applies
them again; the purge is an entry in the audit chain.

--retention-days N   instead of the configuration's retention.days (730)
--dry-run            only count what would go

The daemon runs the same purge every retention.purge_interval_hours.
Exit status: 0 done, 3 configuration, key ring or journal problem, 64 usage.
)";

int fail(std::ostream &err, const Error &error) {
    err << "lendgate purge: " << error.message << "\n";
    return kSetupFailed;
}

}  // namespace

int runPurgeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        out << kPurgeUsage;
        return kAllTaken;
    }
    std::string problem;
    auto parsed = Arguments::parse(args, {"config", "plugin-dir", "retention-days"}, {"dry-run"}, problem);
    if (!parsed || !parsed->positional().empty()) {
        err << "lendgate purge: " << (problem.empty() ? "takes no arguments" : problem) << "\n" << kPurgeUsage;
        return kUsage;
    }
    auto config = loadConfigArgument(*parsed, err);
    if (!config) return kSetupFailed;
    journal::PurgeRequest request;
    request.retentionDays = config->retentionDays;
    if (auto days = parsed->value("retention-days")) {
        try {
            std::size_t used = 0;
            request.retentionDays = std::stoll(*days, &used);
            if (used != days->size() || request.retentionDays < 0) throw std::invalid_argument(*days);
        } catch (const std::exception &) {
            err << "lendgate purge: --retention-days takes a whole number of days, 0 or more\n";
            return kUsage;
        }
    }
    request.dryRun = parsed->flag("dry-run");
    request.actor = operatorActor();
    SystemClock clock;
    request.nowMs = clock.nowUnixMs();

    auto ring = security::KeyRing::open(config->dataDir / "keys", clock);
    if (!ring) return fail(err, ring.error());
    journal::SqliteJournalOptions options;
    options.path = config->dataDir / "journal.db";
    auto journal = journal::openSqliteJournal(options, clock);
    if (!journal) return fail(err, journal.error());
    auto blobs = journal::FsBlobStore::create({config->dataDir / "blobs"}, *ring.value());
    if (!blobs) return fail(err, blobs.error());
    auto summary = journal::purgeExpired(*journal.value(), blobs.value().get(), config->dataDir / "keys", request);
    if (!summary) return fail(err, summary.error());
    const auto &s = summary.value();
    out << (request.dryRun ? "would purge " : "purged ") << s.cases << " cases inactive for more than "
        << request.retentionDays << " days: " << s.messagesErased << " messages erased, " << s.blobsPurged
        << " input files' keys destroyed\n";
    return kAllTaken;
}

}  // namespace lendgate::cli
