#include "core/journal/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "core/common/strict_json.h"
#include "core/common/unique_fd.h"
#include "core/security/encoding.h"
#include "core/security/hmac.h"

namespace lendgate::journal {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFormat = "lendgate-backup";
constexpr int kFormatVersion = 1;
constexpr const char *kManifest = "MANIFEST.json";
constexpr const char *kJournalFile = "journal.db";
constexpr const char *kBlobDir = "blobs";

using Fd = UniqueFd;

Error ioError(const fs::path &path, std::string_view action, int err) {
    return Error{"backup_io", "cannot " + std::string(action) + " " + path.string() + ": " + std::strerror(err)};
}

Result<bool> fsyncPath(const fs::path &path, bool directory) {
    Fd fd(::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return ioError(path, "sync", errno);
    return true;
}

/// Copies one file durably (0600), feeding `hash` if given; returns its size.
Result<std::uint64_t> copyFile(const fs::path &from, const fs::path &to, security::Sha256 *hash = nullptr) {
    Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.get() < 0) return ioError(from, "open", errno);
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (out.get() < 0) return ioError(to, "create", errno);
    std::uint64_t total = 0;
    std::string buffer(1 << 20, '\0');
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(from, "read", errno);
        if (n == 0) break;
        if (hash != nullptr) hash->update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(out.get(), buffer.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return ioError(to, "write", errno);
            done += w;
        }
        total += static_cast<std::uint64_t>(n);
    }
    if (::fsync(out.get()) != 0) return ioError(to, "sync", errno);
    return total;
}

Result<std::string> sha256Of(const fs::path &file) {
    Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return ioError(file, "open", errno);
    security::Sha256 hash;
    std::string buffer(1 << 20, '\0');
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(file, "read", errno);
        if (n == 0) break;
        hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
    auto digest = hash.finish();
    if (!digest) return digest.error();
    return security::toHex(digest.value());
}

/// Every stored blob file under `from` (not tmp/, where puts are still being
/// written) into `to`, keeping the layout; files already there are kept.
Result<bool> copyBlobs(const fs::path &from, const fs::path &to, BackupSummary &summary) {
    std::error_code ec;
    if (!fs::exists(from, ec)) return true;
    fs::create_directories(to, ec);
    if (ec) return ioError(to, "create", ec.value());
    for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const auto relative = fs::relative(it->path(), from);
        if (relative == "tmp" && it->is_directory()) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory()) {
            fs::create_directories(to / relative, ec);
            if (ec) return ioError(to / relative, "create", ec.value());
            continue;
        }
        if (!it->is_regular_file() || fs::exists(to / relative)) continue;
        auto copied = copyFile(it->path(), to / relative);
        if (!copied) {
            // Purged (deleted) while we walked: nothing refers to it any more.
            if (!fs::exists(it->path())) continue;
            return copied.error();
        }
        ++summary.blobFiles;
        summary.blobBytes += copied.value();
    }
    if (ec) return ioError(from, "list", ec.value());
    for (auto it = fs::recursive_directory_iterator(to, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_directory())
            if (auto synced = fsyncPath(it->path(), true); !synced) return synced;
    return fsyncPath(to, true);
}

struct SqliteClose {
    void operator()(sqlite3 *db) const noexcept { sqlite3_close_v2(db); }
};
struct StatementFinalize {
    void operator()(sqlite3_stmt *statement) const noexcept { sqlite3_finalize(statement); }
};

/// VACUUM INTO: a consistent copy taken in one read transaction, so writers
/// (the running daemon, in WAL mode) are not blocked.
Result<bool> snapshotJournal(const fs::path &from, const fs::path &to) {
    sqlite3 *raw = nullptr;
    const int opened = sqlite3_open_v2(from.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, SqliteClose> db(raw);
    auto failed = [&](std::string_view what) {
        return Error{"backup_sqlite", std::string(what) + " " + from.string() + ": " +
                                          (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(opened))};
    };
    if (opened != SQLITE_OK) return failed("cannot open");
    sqlite3_busy_timeout(db.get(), 30000);
    sqlite3_stmt *rawStatement = nullptr;
    if (sqlite3_prepare_v2(db.get(), "VACUUM INTO ?1", -1, &rawStatement, nullptr) != SQLITE_OK)
        return failed("cannot snapshot");
    std::unique_ptr<sqlite3_stmt, StatementFinalize> statement(rawStatement);
    const std::string target = to.string();
    sqlite3_bind_text(statement.get(), 1, target.c_str(), static_cast<int>(target.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(statement.get()) != SQLITE_DONE) return failed("cannot snapshot");
    return fsyncPath(to, false);
}

}  // namespace

Result<BackupSummary> backupDataDir(const fs::path &dataDir, const fs::path &target, std::int64_t nowUnixMs) {
    const fs::path journal = dataDir / kJournalFile;
    std::error_code ec;
    if (!fs::is_regular_file(journal, ec))
        return Error{"backup_target", "there is no journal to back up at " + journal.string()};
    if (fs::exists(target, ec) && !fs::is_empty(target, ec))
        return Error{"backup_target", target.string() + " is not empty: back up into a new folder"};
    fs::create_directories(target, ec);
    if (ec) return ioError(target, "create", ec.value());
    fs::permissions(target, fs::perms::owner_all, ec);

    BackupSummary summary;
    if (auto snapshot = snapshotJournal(journal, target / kJournalFile); !snapshot) return snapshot.error();
    // After the snapshot: every blob it refers to is already stored.
    if (auto blobs = copyBlobs(dataDir / kBlobDir, target / kBlobDir, summary); !blobs) return blobs.error();
    auto hash = sha256Of(target / kJournalFile);
    if (!hash) return hash.error();
    summary.journalSha256 = hash.value();
    summary.journalBytes = fs::file_size(target / kJournalFile, ec);

    const nlohmann::json manifest = {
        {"format", kFormat},
        {"version", kFormatVersion},
        {"created_at_ms", nowUnixMs},
        {"journal", {{"file", kJournalFile}, {"bytes", summary.journalBytes}, {"sha256", summary.journalSha256}}},
        {"blobs", {{"files", summary.blobFiles}, {"bytes", summary.blobBytes}}},
        {"key_ring", "not included: back it up apart (README.md, Keys)"}};
    const std::string text = manifest.dump(2) + "\n";
    {
        Fd out(::open((target / kManifest).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (out.get() < 0) return ioError(target / kManifest, "create", errno);
        if (::write(out.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
            ::fsync(out.get()) != 0)
            return ioError(target / kManifest, "write", errno);
    }
    if (auto synced = fsyncPath(target, true); !synced) return synced.error();
    return summary;
}

Result<BackupSummary> restoreDataDir(const fs::path &source, const fs::path &dataDir) {
    auto notABackup = [&](const std::string &why) {
        return Error{"restore_source", source.string() + " is not a usable backup: " + why};
    };
    std::string text;
    {
        Fd in(::open((source / kManifest).c_str(), O_RDONLY | O_CLOEXEC));
        if (in.get() < 0) return notABackup(std::string(kManifest) + " cannot be read (" + std::strerror(errno) + ")");
        char buffer[4096];
        for (ssize_t n; (n = ::read(in.get(), buffer, sizeof buffer)) > 0 && text.size() < (1u << 20);)
            text.append(buffer, static_cast<std::size_t>(n));
    }
    JsonSyntaxError syntax;
    auto manifest = parseStrictJson(text, syntax);
    if (!manifest || !manifest->is_object() || manifest->value("format", "") != kFormat)
        return notABackup(std::string(kManifest) + " is not a lendgate backup manifest");
    if (manifest->value("version", 0) != kFormatVersion)
        return notABackup("manifest version " + std::to_string(manifest->value("version", 0)) + " is not supported");
    const auto &journalEntry = manifest->value("journal", nlohmann::json::object());
    const std::string expected = journalEntry.value("sha256", "");
    auto actual = sha256Of(source / kJournalFile);
    if (!actual) return notABackup(actual.error().message);
    if (expected.empty() || actual.value() != expected)
        return notABackup("journal.db does not match the SHA-256 in the manifest (damaged or altered)");

    const fs::path journal = dataDir / kJournalFile;
    std::error_code ec;
    if (fs::exists(journal, ec))
        return Error{"restore_target", journal.string() +
                                           " exists: a restore never overwrites a journal; move the data folder "
                                           "aside (keep its keys/) and restore into an empty one"};
    fs::create_directories(dataDir, ec);
    if (ec) return ioError(dataDir, "create", ec.value());
    fs::permissions(dataDir, fs::perms::owner_all, ec);

    BackupSummary summary;
    summary.journalSha256 = actual.value();
    // Blobs first: the journal must never refer to a blob that is not there.
    if (auto blobs = copyBlobs(source / kBlobDir, dataDir / kBlobDir, summary); !blobs) return blobs.error();
    // A WAL left beside a missing database would be replayed into the restored one.
    for (const char *suffix : {"-wal", "-shm"}) fs::remove(dataDir / (std::string(kJournalFile) + suffix), ec);
    const fs::path temp = dataDir / ".journal.db.restore";
    auto copied = copyFile(source / kJournalFile, temp);
    if (!copied) return copied.error();
    summary.journalBytes = copied.value();
    if (::rename(temp.c_str(), journal.c_str()) != 0) return ioError(journal, "install", errno);
    if (auto synced = fsyncPath(dataDir, true); !synced) return synced.error();
    return summary;
}

}  // namespace lendgate::journal
