// `lendgate report`: what happened to the people behind the loans over a
// period, counted from the journal (Journal::report).
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "core/app/cli.h"
#include "core/app/cli_config_file.h"
#include "core/common/log.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/model/calendar.h"

namespace lendgate::cli {
namespace {

constexpr std::string_view kReportUsage =
    R"(usage: lendgate report --from DATE --to DATE [--partner P] [--format table|csv|json] [--config FILE]

Counts what the journal holds for messages received from --from to --to
(days, both included, UTC; or RFC 3339 instants, --to excluded), for one
partner with --partner (messages it sent or received): delinquency notices,
hardship applications and decisions, assignments and the orders policies
refused or held, HOLDs sent and how long firms took to acknowledge them,
CANCELs and RELEASE_HOLDs, recoveries, voluntary surrenders, redemptions,
referrals offered, accepted and completed, and the days from a case's first
notice to the first assistance offered (an approved hardship decision or a
referral). No personal data: counts and durations only.

Exit status: 0 done, 3 configuration or journal problem, 64 usage.
)";

// A day (its start, or with `endOfDay` the start of the next) or an instant.
std::optional<std::int64_t> instantMs(const std::string &text, bool endOfDay) {
    if (auto day = model::Date::parse(text)) return (day->daysSinceEpoch() + (endOfDay ? 1 : 0)) * 86400000;
    if (auto at = model::Timestamp::parse(text)) return at->unixSeconds() * 1000 + at->nanos() / 1000000;
    return std::nullopt;
}

std::string fixed(double value, int digits = 1) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

// The median of an ascending list; none when it is empty.
std::optional<double> median(const std::vector<double> &sorted) {
    if (sorted.empty()) return std::nullopt;
    const std::size_t mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

struct Row {
    std::string name;
    std::string value;  // empty: not applicable (no data)
};

std::vector<Row> rowsOf(const journal::ReportFigures &f) {
    const auto n = [](std::int64_t v) { return std::to_string(v); };
    const auto optional = [](std::optional<double> v) { return v ? fixed(*v) : std::string(); };
    return {
        {"delinquency_notices", n(f.notices)},
        {"cases_with_notice", n(f.casesWithNotice)},
        {"hardship_applications", n(f.hardshipApplications)},
        {"hardship_decisions", n(f.hardshipDecisions)},
        {"hardship_approved", n(f.hardshipApproved)},
        {"hardship_denied", n(f.hardshipDenied)},
        {"assignments", n(f.assignments)},
        {"orders_refused_by_policy", n(f.ordersRefused)},
        {"orders_held_by_policy", n(f.ordersHeld)},
        {"holds_sent", n(f.holdsSent)},
        {"holds_acknowledged", n(f.holdsAcknowledged)},
        {"hold_ack_hours_median", optional(median(f.holdAckHours))},
        {"hold_ack_hours_max", f.holdAckHours.empty() ? std::string() : fixed(f.holdAckHours.back())},
        {"cancels_sent", n(f.cancelsSent)},
        {"releases_sent", n(f.releasesSent)},
        {"recoveries", n(f.recoveries)},
        {"voluntary_surrenders", n(f.voluntarySurrenders)},
        {"redemptions", n(f.redemptions)},
        {"referrals_offered", n(f.referralsOffered)},
        {"referrals_accepted", n(f.referralsAccepted)},
        {"referrals_completed", n(f.referralsCompleted)},
        {"cases_offered_assistance", n(static_cast<std::int64_t>(f.daysToFirstAssistance.size()))},
        {"days_to_first_assistance_median", optional(median(f.daysToFirstAssistance))},
    };
}

}  // namespace

int runReportCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) return out << kReportUsage, kAllTaken;
    std::string problem;
    auto parsed = Arguments::parse(args, {"config", "plugin-dir", "from", "to", "partner", "format"}, {}, problem);
    if (!parsed || !parsed->positional().empty() || !parsed->value("from") || !parsed->value("to")) {
        err << "lendgate report: " << (problem.empty() ? "needs --from and --to" : problem) << "\n" << kReportUsage;
        return kUsage;
    }
    const std::string format = parsed->value("format").value_or("table");
    if (format != "table" && format != "csv" && format != "json")
        return err << "lendgate report: --format is table, csv or json\n", kUsage;
    journal::ReportQuery query;
    const auto from = instantMs(*parsed->value("from"), false);
    const auto to = instantMs(*parsed->value("to"), true);
    if (!from || !to || *to <= *from) {
        err << "lendgate report: --from and --to are days (2026-11-01) or RFC 3339 instants, --from first\n";
        return kUsage;
    }
    query.fromMs = *from;
    query.toMs = *to;
    query.partner = parsed->value("partner");

    auto config = loadConfigArgument(*parsed, err);
    if (!config) return kSetupFailed;
    if (query.partner && config->partner(*query.partner) == nullptr) {
        err << "lendgate report: no partner " << *query.partner << " in the configuration\n";
        return kUsage;
    }
    SystemClock clock;
    journal::SqliteJournalOptions options;
    options.path = config->dataDir / "journal.db";
    auto journal = journal::openSqliteJournal(options, clock);
    if (!journal) return err << "lendgate report: " << journal.error().message << "\n", kSetupFailed;
    auto figures = journal.value()->report(query);
    if (!figures) return err << "lendgate report: " << figures.error().message << "\n", kSetupFailed;

    const std::vector<Row> rows = rowsOf(figures.value());
    const std::string partner = query.partner.value_or("");
    if (format == "json") {
        nlohmann::ordered_json doc{{"from", *parsed->value("from")}, {"to", *parsed->value("to")}};
        if (!partner.empty()) doc["partner"] = partner;
        for (const Row &row : rows) {
            if (row.value.empty())
                doc[row.name] = nullptr;
            else if (row.value.find('.') != std::string::npos)
                doc[row.name] = std::stod(row.value);
            else
                doc[row.name] = std::stoll(row.value);
        }
        out << doc.dump(2) << "\n";
    } else if (format == "csv") {
        out << "figure,value\n";
        for (const Row &row : rows) out << row.name << "," << row.value << "\n";
    } else {
        out << "lendgate report, " << *parsed->value("from") << " to " << *parsed->value("to")
            << (partner.empty() ? "" : ", partner " + partner) << "\n\n";
        for (const Row &row : rows)
            out << std::left << std::setw(34) << row.name << (row.value.empty() ? "-" : row.value) << "\n";
    }
    return kAllTaken;
}

}  // namespace lendgate::cli
