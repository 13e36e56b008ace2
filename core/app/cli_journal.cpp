// Operator commands over the journal: messages, dead letters, replay, case
// timelines, alerts. They open the journal file directly (SQLite in WAL mode lets
// them run beside the daemon); a replay is picked up by the daemon's
// delivery workers on their next poll.
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/api/journal_views.h"
#include "core/app/cli.h"
#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/journal/ulid.h"
#include "core/lifecycle/hold_release.h"

namespace lendgate::cli {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kJournalUsage = R"(usage:
  lendgate messages show ID [--config FILE]
  lendgate messages list [--partner P] [--destination P] [--state S] [--after ID] [--limit N] [--config FILE]
  lendgate deadletters list [--destination P] [--config FILE]
  lendgate replay DELIVERY_ID [--config FILE]
  lendgate replay MESSAGE_ID [--destination P] [--config FILE]
  lendgate replay --deadletters --destination P [--config FILE]
  lendgate case timeline CASE_ID [--config FILE]
  lendgate case holds CASE_ID [--config FILE]
  lendgate case release CASE_ID --kind KIND --key KEY [--note TEXT] [--config FILE]
  lendgate alerts [list] [--all] [--severity warning|critical] [--case CASE_ID] [--partner P] [--json] [--limit N]
                  [--config FILE]
  lendgate alerts ack ALERT_ID [--config FILE]

Reads (and for replay, writes) the journal of the configuration (default
config/lendgate.json) directly; the daemon may be running. States: stored,
unroutable, pending, delivered, dead. Lists print one line per item;
show and timeline print JSON. A replay is recorded with the operator's user
name and delivered by the running daemon. `alerts` lists the alerts no one
has acknowledged yet (--all: every one), oldest first; `alerts ack` marks
one seen, under the operator's user name, in the audit chain too.

`case holds` lists the reasons a case's repossession is held (kind, key,
since, last day). `case release` ends one of them (KIND: HARDSHIP_APPLICATION,
HARDSHIP_APPROVED, ARRANGEMENT, PARTIAL_PAYMENT; KEY as `case holds` shows
it), journaled as a C4 decision under the operator's user name with the note;
when it was the last reason, RELEASE_HOLD goes to every firm holding an
assignment and the orders held for the case are delivered by the running
daemon.

Exit status: 0 done, 1 not found or nothing to do, 3 configuration or journal
unusable, 64 usage.
)";

struct Opened {
    SystemClock clock;
    config::GatewayConfig config;
    std::unique_ptr<journal::Journal> journal;
};

std::unique_ptr<Opened> openJournal(const Arguments &args, std::ostream &err) {
    const std::string file = args.value("config").value_or("config/lendgate.json");
    auto loaded = config::loadGatewayConfig(
        file,
        {args.value("plugin-dir") ? std::optional<std::filesystem::path>(*args.value("plugin-dir")) : std::nullopt});
    if (!loaded.config) {
        for (const auto &problem : loaded.problems) err << config::describe(problem) << "\n";
        err << file << ": not usable\n";
        return nullptr;
    }
    auto opened = std::make_unique<Opened>();
    journal::SqliteJournalOptions options;
    options.path = loaded.config->dataDir / "journal.db";
    options.synchronous = loaded.config->synchronous;
    options.allowUnsafeSynchronous = loaded.config->allowUnsafeSynchronous;
    std::error_code ec;
    if (!std::filesystem::exists(options.path, ec)) {
        err << options.path.string() << ": no journal yet (has lendgated run with this configuration?)\n";
        return nullptr;
    }
    auto journal = journal::openSqliteJournal(options, opened->clock);
    if (!journal) {
        err << options.path.string() << ": " << journal.error().message << "\n";
        return nullptr;
    }
    opened->journal = std::move(journal.value());
    opened->config = std::move(*loaded.config);
    return opened;
}

std::string actor() {
    const char *user = std::getenv("USER");
    return std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown");
}

int fail(std::ostream &err, const Error &error) {
    err << "lendgate: " << error.message << "\n";
    return error.code == journal::errc::kNotFound || error.code == journal::errc::kInvalidState ? 1 : kSetupFailed;
}

int messages(const Arguments &args, std::ostream &out, std::ostream &err) {
    const auto &pos = args.positional();
    if (pos.empty()) return err << kJournalUsage, Exit::kUsage;
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    if (pos[0] == "show" && pos.size() == 2) {
        auto message = opened->journal->message(pos[1], std::nullopt);
        if (!message) return fail(err, message.error());
        auto doc = api::summaryJson(message.value().summary);
        ordered_json deliveries = ordered_json::array();
        if (auto list = opened->journal->deliveriesOf(pos[1]))
            for (const auto &d : list.value()) deliveries.push_back(api::deliveryJson(d));
        doc["deliveries"] = deliveries;
        out << doc.dump(2) << "\n";
        return kAllTaken;
    }
    if (pos[0] == "list" && pos.size() == 1) {
        journal::MessageQuery query;
        query.sender = args.value("partner");
        query.destination = args.value("destination");
        if (auto state = args.value("state")) {
            query.state = journal::messageStateFromString(*state);
            if (!query.state) return err << "lendgate messages: unknown state " << *state << "\n", Exit::kUsage;
        }
        query.afterMessageId = args.value("after").value_or("");
        if (auto limit = args.value("limit")) query.limit = std::strtoul(limit->c_str(), nullptr, 10);
        auto list = opened->journal->listMessages(query);
        if (!list) return fail(err, list.error());
        for (const auto &m : list.value())
            out << m.messageId << "  " << std::left << std::setw(24) << m.messageType << std::setw(24) << m.sender
                << std::setw(14) << journal::toString(m.state) << (m.caseId.empty() ? "-" : m.caseId) << "\n";
        return kAllTaken;
    }
    err << kJournalUsage;
    return Exit::kUsage;
}

int deadletters(const Arguments &args, std::ostream &out, std::ostream &err) {
    if (args.positional().size() != 1 || args.positional()[0] != "list") return err << kJournalUsage, Exit::kUsage;
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    journal::DeadLetterQuery query;
    query.destination = args.value("destination");
    query.limit = 1000;
    auto list = opened->journal->listDeadLetters(query);
    if (!list) return fail(err, list.error());
    for (const auto &d : list.value())
        out << d.deliveryId << "  " << d.messageId << "  " << std::left << std::setw(24) << d.destination
            << std::setw(24) << d.messageType << "attempts=" << d.attempts << "  " << d.lastError << "\n";
    return kAllTaken;
}

int replay(const Arguments &args, std::ostream &out, std::ostream &err) {
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    const auto now = opened->clock.nowUnixMs();
    if (args.flag("deadletters")) {
        auto destination = args.value("destination");
        if (!destination || !args.positional().empty()) return err << kJournalUsage, Exit::kUsage;
        auto count = opened->journal->replayDeadLetters(*destination, now, actor());
        if (!count) return fail(err, count.error());
        out << "replayed " << count.value() << " dead letters to " << *destination << "\n";
        if (count.value() > 0 && !auditOperatorAction(*opened->journal, "cli.replay", *destination, "deadletters", err))
            return kSetupFailed;
        return count.value() > 0 ? kAllTaken : 1;
    }
    if (args.positional().size() != 1) return err << kJournalUsage, Exit::kUsage;
    char *end = nullptr;
    const auto id = std::strtoll(args.positional()[0].c_str(), &end, 10);
    if (end == args.positional()[0].c_str() || *end != '\0') {
        // A message ID: replay its finished deliveries (to one destination
        // with --destination), e.g. for a partner that lost what it got.
        const auto &messageId = args.positional()[0];
        const auto destination = args.value("destination");
        auto deliveries = opened->journal->deliveriesOf(messageId);
        if (!deliveries) return fail(err, deliveries.error());
        int replayed = 0;
        bool anyToDestination = false;
        for (const auto &d : deliveries.value()) {
            if (destination && d.destination != *destination) continue;
            anyToDestination = true;
            if (d.state != journal::DeliveryState::Dead && d.state != journal::DeliveryState::Delivered) continue;
            if (opened->journal->replay(d.deliveryId, now, actor())) ++replayed;
        }
        if (destination && !anyToDestination) {
            err << "message " << messageId << " has no delivery to " << *destination << "\n";
            return 1;
        }
        out << "replayed " << replayed << " deliveries of message " << messageId
            << (destination ? " to " + *destination : std::string()) << "\n";
        if (replayed > 0 && !auditOperatorAction(*opened->journal, "cli.replay", messageId, "message", err))
            return kSetupFailed;
        return replayed > 0 ? kAllTaken : 1;
    }
    auto done = opened->journal->replay(id, now, actor());
    if (!done) return fail(err, done.error());
    out << "replayed delivery " << id << "\n";
    return auditOperatorAction(*opened->journal, "cli.replay", std::to_string(id), "delivery", err) ? kAllTaken
                                                                                                    : kSetupFailed;
}

void printHolds(std::ostream &out, const std::vector<policy::HoldReason> &reasons) {
    for (const policy::HoldReason &reason : reasons)
        out << std::left << std::setw(22) << policy::toString(reason.kind) << std::setw(28) << reason.key << "since "
            << reason.since.toString() << (reason.lastDay ? "  until " + reason.lastDay->toString() : "") << "\n";
    if (reasons.empty()) out << "no hold reason in force\n";
}

int caseHolds(const Arguments &args, std::ostream &out, std::ostream &err) {
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    const std::string &caseId = args.positional()[1];
    const std::int64_t now = opened->clock.nowUnixMs();
    if (args.positional()[0] == "holds") {
        auto holds = lifecycle::holdsInForce(*opened->journal, opened->config, caseId, now);
        if (!holds) return fail(err, holds.error());
        printHolds(out, holds.value());
        return kAllTaken;
    }
    const auto kind = args.value("kind"), key = args.value("key");
    if (!kind || !key) return err << "lendgate case release: --kind and --key name the reason\n", Exit::kUsage;
    journal::UlidGenerator ulids(opened->clock);
    auto released = lifecycle::releaseHold(*opened->journal, opened->config,
                                           {caseId, *kind, *key, actor(), args.value("note").value_or("")}, now, ulids);
    if (!released) {
        if (released.error().code == journal::errc::kInvalidArgument)
            return err << "lendgate case release: " << released.error().message << "\n", Exit::kUsage;
        return fail(err, released.error());
    }
    out << "released " << *kind << " " << *key << " on case " << caseId << "\n";
    if (released.value().holdEnded)
        out << "the hold has ended: RELEASE_HOLD to " << released.value().releaseHoldsSent
            << " assignment(s); orders held for the case go out\n";
    else
        out << "the hold continues:\n";
    if (!released.value().holdEnded) printHolds(out, released.value().remaining);
    return auditOperatorAction(*opened->journal, "cli.hold_release", caseId, *kind, err) ? kAllTaken : kSetupFailed;
}

int caseCommand(const Arguments &args, std::ostream &out, std::ostream &err) {
    const auto &pos = args.positional();
    if (pos.size() == 2 && (pos[0] == "holds" || pos[0] == "release")) return caseHolds(args, out, err);
    if (pos.size() != 2 || pos[0] != "timeline") return err << kJournalUsage, Exit::kUsage;
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    auto timeline = opened->journal->caseTimeline(pos[1]);
    if (!timeline) return fail(err, timeline.error());
    if (timeline.value().messages.empty() && timeline.value().events.empty()) {
        err << "lendgate case: no messages or events for case " << pos[1] << "\n";
        return 1;
    }
    out << api::timelineJson(pos[1], timeline.value()).dump(2) << "\n";
    return kAllTaken;
}

int alerts(const Arguments &args, std::ostream &out, std::ostream &err) {
    const auto &pos = args.positional();
    const bool ack = !pos.empty() && pos[0] == "ack";
    if (ack ? pos.size() != 2 : !(pos.empty() || (pos.size() == 1 && pos[0] == "list")))
        return err << kJournalUsage, Exit::kUsage;
    auto opened = openJournal(args, err);
    if (!opened) return kSetupFailed;
    if (ack) {
        char *end = nullptr;
        const auto id = std::strtoll(pos[1].c_str(), &end, 10);
        if (end == pos[1].c_str() || *end != '\0' || id <= 0)
            return err << "lendgate alerts: " << pos[1] << " is not an alert number\n", Exit::kUsage;
        auto done = opened->journal->acknowledgeAlert(id, actor(), opened->clock.nowUnixMs());
        if (!done) return fail(err, done.error());
        if (!done.value()) {
            out << "alert " << id << " was acknowledged already\n";
            return 1;
        }
        out << "acknowledged alert " << id << "\n";
        return auditOperatorAction(*opened->journal, "cli.alert_ack", pos[1], "alert", err) ? kAllTaken : kSetupFailed;
    }
    journal::AlertQuery query;
    query.includeAcknowledged = args.flag("all");
    query.severity = args.value("severity");
    if (query.severity && *query.severity != "warning" && *query.severity != "critical")
        return err << "lendgate alerts: --severity is warning or critical\n", Exit::kUsage;
    query.caseId = args.value("case");
    query.partner = args.value("partner");
    query.limit = 1000;
    if (auto limit = args.value("limit")) query.limit = std::strtoul(limit->c_str(), nullptr, 10);
    auto list = opened->journal->listAlerts(query);
    if (!list) return fail(err, list.error());
    if (args.flag("json")) {
        ordered_json doc = ordered_json::array();
        for (const auto &a : list.value()) doc.push_back(api::alertJson(a));
        out << doc.dump(2) << "\n";
        return kAllTaken;
    }
    for (const auto &a : list.value()) {
        const auto json = api::alertJson(a);
        out << a.alertId << "  " << json["raised_at"].get<std::string>() << "  " << std::left << std::setw(9)
            << a.record.severity << std::setw(16) << a.record.kind << std::setw(18)
            << (a.record.partner.empty() ? "-" : a.record.partner) << (a.record.caseId.empty() ? "-" : a.record.caseId)
            << "  " << a.record.text << (a.acknowledgedAtMs != 0 ? "  (acknowledged by " + a.acknowledgedBy + ")" : "")
            << "\n";
    }
    if (list.value().empty()) out << (query.includeAcknowledged ? "no alerts\n" : "no open alerts\n");
    return kAllTaken;
}

}  // namespace

int runJournalCommand(const std::string &command, const std::vector<std::string> &args, std::ostream &out,
                      std::ostream &err) {
    std::string error;
    auto parsed = Arguments::parse(args,
                                   {"config", "plugin-dir", "partner", "destination", "state", "after", "limit",
                                    "severity", "case", "kind", "key", "note"},
                                   {"deadletters", "help", "all", "json"}, error);
    if (!parsed) return err << "lendgate " << command << ": " << error << "\n", Exit::kUsage;
    if (parsed->flag("help")) return out << kJournalUsage, kAllTaken;
    if (command == "messages") return messages(*parsed, out, err);
    if (command == "deadletters") return deadletters(*parsed, out, err);
    if (command == "replay") return replay(*parsed, out, err);
    if (command == "alerts") return alerts(*parsed, out, err);
    return caseCommand(*parsed, out, err);
}

}  // namespace lendgate::cli
