// `lendgate backup DIR` and `lendgate restore DIR` (core/journal/backup.h):
// the journal and the blobs, online; the key ring is backed up apart.
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/journal/backup.h"
#include "core/journal/fs_blob_store.h"
#include "core/journal/purge_ledger.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/security/key_ring.h"

namespace lendgate::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBackupUsage =
    R"(usage: lendgate backup DIR [--config FILE]
       lendgate restore DIR [--config FILE]

backup   copies the journal (a consistent snapshot; the daemon may keep
         running) and the blob store of the configuration's data_dir into
         the new folder DIR, with a manifest. The key ring is not copied: it
         opens everything, so back it up apart (README.md, "Keys").
restore  copies the backup in DIR into the data_dir, which must have no
         journal yet but must have its key ring (keys/) back first; then
         applies the purge ledger kept with the key ring again, so nothing
         purged after the backup comes back. Stop the daemon first.

Exit status: 0 done, 3 configuration, key ring, backup or journal problem, 64 usage.
)";

int fail(std::ostream &err, const std::string &command, const Error &error) {
    err << "lendgate " << command << ": " << error.message << "\n";
    return kSetupFailed;
}

/// Destroys again the keys of blobs the ledger says were purged, deletes
/// their files, and erases again what the retention purge erased: an older
/// backup still held them.
int reapplyPurges(const config::GatewayConfig &config, const security::KeyRing &ring, std::ostream &out,
                  std::ostream &err) {
    auto purged = journal::purgedBlobs(config.dataDir / "keys");
    if (!purged) return fail(err, "restore", purged.error());
    auto cutoff = journal::latestErasureCutoff(config.dataDir / "keys");
    if (!cutoff) return fail(err, "restore", cutoff.error());
    if (purged.value().empty() && !cutoff.value()) return kAllTaken;
    SystemClock clock;
    journal::SqliteJournalOptions options;
    options.path = config.dataDir / "journal.db";
    auto journal = journal::openSqliteJournal(options, clock);
    if (!journal) return fail(err, "restore", journal.error());
    auto blobs = journal::FsBlobStore::create({config.dataDir / "blobs"}, ring);
    if (!blobs) return fail(err, "restore", blobs.error());
    std::size_t applied = 0;
    for (const auto &id : purged.value()) {
        auto destroyed = journal.value()->purgeBlobKey(id, clock.nowUnixMs());
        if (!destroyed && destroyed.error().code != journal::errc::kNotFound)
            return fail(err, "restore", destroyed.error());
        if (auto removed = blobs.value()->purge(id); !removed) return fail(err, "restore", removed.error());
        ++applied;
    }
    out << "purged again " << applied << " blobs named in the purge ledger\n";
    if (cutoff.value()) {
        auto erased = journal.value()->erasePersonalData(*cutoff.value());
        if (!erased) return fail(err, "restore", erased.error());
        out << "erased again " << erased.value() << " messages the retention purge had erased\n";
    }
    return kAllTaken;
}

}  // namespace

int runBackupCommand(const std::string &command, const std::vector<std::string> &args, std::ostream &out,
                     std::ostream &err) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        out << kBackupUsage;
        return kAllTaken;
    }
    std::string problem;
    auto parsed = Arguments::parse(args, {"config", "plugin-dir"}, {}, problem);
    if (!parsed || parsed->positional().size() != 1) {
        err << "lendgate " << command << ": " << (problem.empty() ? "name the backup folder" : problem) << "\n"
            << kBackupUsage;
        return kUsage;
    }
    const fs::path folder = parsed->positional()[0];
    auto config = loadConfigArgument(*parsed, err);
    if (!config) return kSetupFailed;
    SystemClock clock;
    if (command == "backup") {
        auto summary = journal::backupDataDir(config->dataDir, folder, clock.nowUnixMs());
        if (!summary) return fail(err, command, summary.error());
        out << "backed up the journal (" << summary.value().journalBytes << " bytes, sha256 "
            << summary.value().journalSha256 << ") and " << summary.value().blobFiles << " blobs ("
            << summary.value().blobBytes << " bytes) into " << folder.string()
            << "\nthe key ring is not in it: back up " << (config->dataDir / "keys").string() << " apart\n";
        return auditOperatorAction(config->dataDir, "cli.backup", "journal", folder.string(), err) ? kAllTaken
                                                                                                   : kSetupFailed;
    }
    // The ring first: a journal restored without the keys that open its blobs
    // and derive its tokens is of no use.
    std::error_code ec;
    const fs::path keys = config->dataDir / "keys";
    if (!fs::exists(keys / security::kKeyRingFileName, ec)) {
        err << "lendgate restore: there is no key ring in " << keys.string()
            << ": restore it there first (backups do not hold it)\n";
        return kSetupFailed;
    }
    auto ring = security::KeyRing::open(keys, clock);
    if (!ring) return fail(err, command, ring.error());
    auto summary = journal::restoreDataDir(folder, config->dataDir);
    if (!summary) return fail(err, command, summary.error());
    out << "restored the journal (sha256 " << summary.value().journalSha256 << ") and " << summary.value().blobFiles
        << " blobs into " << config->dataDir.string() << "\n";
    if (const int purged = reapplyPurges(*config, *ring.value(), out, err); purged != kAllTaken) return purged;
    // In the restored chain, after the backup's own entries.
    return auditOperatorAction(config->dataDir, "cli.restore", "journal",
                               folder.string() + "\n" + summary.value().journalSha256, err)
               ? kAllTaken
               : kSetupFailed;
}

}  // namespace lendgate::cli
