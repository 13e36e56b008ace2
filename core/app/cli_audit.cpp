// `lendgate audit verify|list` (core/journal/audit_chain.h), and the helper
// every state-changing operator command calls to put itself in the chain.
#include <unistd.h>

#include <charconv>
#include <ctime>
#include <iomanip>
#include <ostream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/journal/sqlite/sqlite_journal.h"

namespace lendgate::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAuditUsage = R"(usage:
  lendgate audit verify [--anchor SEQ:HASH] [--config FILE]
  lendgate audit list [--since TIME] [--after SEQ] [--limit N] [--config FILE]

verify  walks the audit hash chain in the journal and names the first entry
        that was altered, removed or reordered. It prints the entry count
        and the tip (SEQ:HASH): record it somewhere the gateway cannot
        write (a ticket, a log host) and pass it back with --anchor later,
        because removing the newest entries leaves a shorter chain that is
        otherwise still valid.
list    prints entries oldest first: seq, time (UTC), actor, action,
        target, and the hash of the entry's detail. Entries hold ids and
        hashes, never personal values. TIME is Unix milliseconds or
        YYYY-MM-DD (UTC).

Exit status: 0 intact (verify) or listed, 1 the chain is broken,
3 configuration or journal unusable, 64 usage.
)";

std::string utc(std::int64_t unixMs) {
    std::time_t t = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

/// Unix milliseconds, or a UTC date YYYY-MM-DD.
std::optional<std::int64_t> parseSince(const std::string &text) {
    if (auto ms = parseInteger(text)) return ms;
    std::tm tm{};
    const char *end = ::strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (end == nullptr || *end != '\0') return std::nullopt;
    return static_cast<std::int64_t>(::timegm(&tm)) * 1000;
}

Result<std::unique_ptr<journal::Journal>> openJournalAt(const fs::path &dataDir, const Clock &clock) {
    journal::SqliteJournalOptions options;
    options.path = dataDir / "journal.db";
    return journal::openSqliteJournal(options, clock);
}

int verify(journal::Journal &journal, const Arguments &args, std::ostream &out, std::ostream &err) {
    std::optional<journal::AuditAnchor> anchor;
    if (auto text = args.value("anchor")) {
        anchor = journal::parseAuditAnchor(*text);
        if (!anchor) return err << "lendgate audit verify: --anchor takes SEQ:HASH as verify prints it\n", kUsage;
    }
    auto result = journal.verifyAudit(anchor);
    if (!result) return err << "lendgate audit verify: " << result.error().message << "\n", kSetupFailed;
    const auto &v = result.value();
    if (!v.intact) {
        out << "BROKEN at entry " << v.firstBadSeq << ": " << v.problem << "\n"
            << "entries before it verify (" << v.tipSeq << " entries, last good tip " << v.tipSeq << ":" << v.tipHash
            << ")\n";
        return 1;
    }
    out << "intact: " << v.count << " entries" << (anchor ? ", including the anchored entry " : "")
        << (anchor ? std::to_string(anchor->seq) : std::string()) << "\n"
        << "tip " << v.tipSeq << ":" << v.tipHash << "\n"
        << "record the tip outside the gateway and pass it to --anchor next time\n";
    return kAllTaken;
}

int list(journal::Journal &journal, const Arguments &args, std::ostream &out, std::ostream &err) {
    journal::AuditQuery query;
    if (auto since = args.value("since")) {
        auto ms = parseSince(*since);
        if (!ms) return err << "lendgate audit list: --since takes Unix milliseconds or YYYY-MM-DD\n", kUsage;
        query.sinceMs = *ms;
    }
    std::int64_t remaining = 100;
    if (auto limit = args.value("limit")) {
        auto n = parseInteger(*limit);
        if (!n || *n == 0) return err << "lendgate audit list: --limit takes a positive number\n", kUsage;
        remaining = *n;
    }
    if (auto after = args.value("after")) {
        auto n = parseInteger(*after);
        if (!n) return err << "lendgate audit list: --after takes a seq\n", kUsage;
        query.afterSeq = *n;
    }
    while (remaining > 0) {
        query.limit = static_cast<std::size_t>(std::min<std::int64_t>(remaining, 1000));
        auto page = journal.listAudit(query);
        if (!page) return err << "lendgate audit list: " << page.error().message << "\n", kSetupFailed;
        for (const auto &e : page.value())
            out << std::left << std::setw(8) << e.seq << utc(e.atMs) << "  " << std::setw(28) << e.actor
                << std::setw(30) << e.action << std::setw(30) << (e.target.empty() ? "-" : e.target)
                << e.detailSha256.substr(0, 16) << "\n";
        if (page.value().size() < query.limit) break;
        remaining -= static_cast<std::int64_t>(page.value().size());
        query.afterSeq = page.value().back().seq;
    }
    return kAllTaken;
}

}  // namespace

std::string operatorActor() {
    const char *user = std::getenv("USER");
    if (user == nullptr || *user == '\0') user = std::getenv("LOGNAME");
    return "cli:" + (user != nullptr && *user != '\0' ? std::string(user) : "uid" + std::to_string(::getuid()));
}

bool auditOperatorAction(journal::Journal &journal, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err) {
    auto appended =
        journal.appendAudit({operatorActor(), std::string(action), std::string(target), std::string(detail), 0});
    if (!appended)
        err << "lendgate: done, but the audit entry (" << action
            << ") could not be written: " << appended.error().message << "\n";
    return appended.ok();
}

bool auditOperatorAction(const fs::path &dataDir, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err) {
    std::error_code ec;
    if (!fs::exists(dataDir / "journal.db", ec)) {
        // Nothing to chain to yet (a fresh install); creating a journal here
        // would stop a later `lendgate restore` into this folder.
        err << "note: no journal in " << dataDir.string() << " yet, so this " << action
            << " is not in the audit chain\n";
        return true;
    }
    SystemClock clock;
    auto opened = openJournalAt(dataDir, clock);
    if (!opened) {
        err << "lendgate: done, but the audit entry (" << action << ") could not be written: " << opened.error().message
            << "\n";
        return false;
    }
    return auditOperatorAction(*opened.value(), action, target, detail, err);
}

bool auditOperatorAction(const Arguments &args, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err) {
    if (args.value("home") || args.value("dir")) return true;
    auto config = loadConfigArgument(args, err);
    if (!config) return false;
    return auditOperatorAction(config->dataDir, action, target, detail, err);
}

int runAuditCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    std::string problem;
    auto parsed =
        Arguments::parse(args, {"config", "plugin-dir", "anchor", "since", "after", "limit"}, {"help"}, problem);
    if (!parsed) return err << "lendgate audit: " << problem << "\n" << kAuditUsage, kUsage;
    if (parsed->flag("help")) return out << kAuditUsage, kAllTaken;
    const auto &pos = parsed->positional();
    const std::string verb = pos.size() == 1 ? pos[0] : std::string();
    if ((verb != "verify" && verb != "list") ||
        (verb == "verify" && (parsed->value("since") || parsed->value("limit") || parsed->value("after"))) ||
        (verb == "list" && parsed->value("anchor")))
        return err << kAuditUsage, kUsage;
    auto config = loadConfigArgument(*parsed, err);
    if (!config) return kSetupFailed;
    std::error_code ec;
    if (!fs::exists(config->dataDir / "journal.db", ec))
        return err << "lendgate audit: no journal in " << config->dataDir.string() << "\n", kSetupFailed;
    SystemClock clock;
    auto opened = openJournalAt(config->dataDir, clock);
    if (!opened) return err << "lendgate audit: " << opened.error().message << "\n", kSetupFailed;
    return verb == "verify" ? verify(*opened.value(), *parsed, out, err) : list(*opened.value(), *parsed, out, err);
}

}  // namespace lendgate::cli
