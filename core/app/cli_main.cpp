#include <algorithm>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/app/cli.h"
#include "core/common/redact.h"

namespace lendgate::cli {

namespace {

constexpr std::string_view kMainUsage = R"(usage: lendgate COMMAND [ARGS...]

Commands:
  plugin inspect FILE.so        print a plugin's descriptor as JSON
  plugin list DIR               list the plugins in a folder (and why any fail to load)
  plugin test FILE.so --config CONF.json --samples DIR
                                run the conformance suite every plugin must pass
  plugin scaffold NAME [DIR]    write a new out-of-tree plugin project
  decode --plugin FILE.so --config CONF.json [--type TYPE] INPUT
                                decode partner bytes into canonical JSON lines
  encode --plugin FILE.so --config CONF.json --type TYPE [INPUT.jsonl]
                                encode canonical JSON lines into partner bytes
  validate [FILE.jsonl]         validate canonical JSON lines (stdin by default)
  config check [--config FILE] [--plugin-dir DIR]
                                check the daemon's configuration and every partner file
  messages show ID | messages list [--partner P] [--state S]
                                a journaled message and its deliveries; or a list
  deadletters list [--destination P]
                                deliveries that exhausted their retries
  replay DELIVERY_ID | replay MESSAGE_ID [--destination P] | replay --deadletters --destination P
                                put deliveries back in the outbox
  case timeline CASE_ID         every message, event, policy decision and alert of a case
  case holds CASE_ID | case release CASE_ID --kind K --key KEY [--note TEXT]
                                the reasons a case is held; an operator ends one
  alerts [--all] [--severity S] [--case C] [--json] | alerts ack ALERT_ID
                                alerts no operator has acknowledged yet; acknowledge one
  report --from DATE --to DATE [--partner P] [--format table|csv|json]
                                notices, hardship, holds and their acknowledgement, recoveries, referrals
  sftp provision PARTNER [--key FILE.pub] | sftp config | sftp serve
                                the partners' SFTP drop folders (OpenSSH, chrooted)
  pgp init|import-partner-key|export-public-key|list [--home DIR]
                                the OpenPGP keyring for partner files (keys pinned by fingerprint)
  keys init|list|rotate [--master]
                                the key ring: data keys, and the master key that wraps them
  partner rotate-key PARTNER [--signing|--webhook] [--overlap HOURS]
                                a new API key (or signing secret); older ones expire after the overlap
  backup DIR | restore DIR      the journal and blobs, online; the key ring is backed up apart
  purge [--retention-days N] [--dry-run]
                                destroy personal data of cases inactive longer than the retention
  audit verify [--anchor SEQ:HASH] | audit list [--since TIME] [--limit N]
                                check the tamper-evident audit chain; or list its entries
  dev receiver [--listen HOST:PORT] [--out DIR]
                                a webhook receiver for demos and integration tests

Run 'lendgate COMMAND --help' for a command's options.

Exit status: 0 every record taken; 1 some or all records rejected; 2 the input
as a whole unusable; 3 the plugin or its configuration unusable; 64 usage error.
)";

}  // namespace

std::optional<Arguments> Arguments::parse(const std::vector<std::string> &args,
                                          const std::vector<std::string> &valueOptions,
                                          const std::vector<std::string> &flags, std::string &error) {
    Arguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
            std::string name = arg.substr(2);
            std::optional<std::string> inlineValue;
            if (auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name.resize(eq);
            }
            if (std::find(flags.begin(), flags.end(), name) != flags.end() && !inlineValue) {
                parsed.flags_.push_back(name);
                continue;
            }
            if (std::find(valueOptions.begin(), valueOptions.end(), name) == valueOptions.end()) {
                error = "unknown option --" + redactForLog(name, 60);
                return std::nullopt;
            }
            if (!inlineValue) {
                if (i + 1 >= args.size()) {
                    error = "option --" + name + " needs a value";
                    return std::nullopt;
                }
                inlineValue = args[++i];
            }
            parsed.values_.emplace_back(name, *inlineValue);
        } else {
            parsed.positional_.push_back(arg);
        }
    }
    return parsed;
}

std::optional<std::string> Arguments::value(std::string_view name) const {
    for (auto it = values_.rbegin(); it != values_.rend(); ++it)
        if (it->first == name) return it->second;
    return std::nullopt;
}

bool Arguments::flag(std::string_view name) const {
    return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

std::optional<std::string> readSmallFile(const std::string &path, std::string &error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot be opened";
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        error = path + ": read failed";
        return std::nullopt;
    }
    return content.str();
}

}  // namespace lendgate::cli

int main(int argc, char **argv) {
    using namespace lendgate::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kMainUsage;
        return args.empty() ? Exit::kUsage : kAllTaken;
    }
    if (args[0] == "--version") {
        std::cout << "lendgate " LENDGATE_VERSION "\n";
        return kAllTaken;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (command == "plugin") return runPluginCommand(rest, std::cout, std::cerr);
        if (command == "decode") return runDecode(rest, std::cout, std::cerr);
        if (command == "encode") return runEncode(rest, std::cout, std::cerr);
        if (command == "validate") return runValidate(rest, std::cout, std::cerr);
        if (command == "config") return runConfigCommand(rest, std::cout, std::cerr);
        if (command == "messages" || command == "deadletters" || command == "replay" || command == "case" ||
            command == "alerts")
            return runJournalCommand(command, rest, std::cout, std::cerr);
        if (command == "dev") return runDevCommand(rest, std::cout, std::cerr);
        if (command == "sftp") return runSftpCommand(rest, std::cout, std::cerr);
        if (command == "pgp") return runPgpCommand(rest, std::cout, std::cerr);
        if (command == "keys") return runKeysCommand(rest, std::cout, std::cerr);
        if (command == "partner") return runPartnerCommand(rest, std::cout, std::cerr);
        if (command == "backup" || command == "restore") return runBackupCommand(command, rest, std::cout, std::cerr);
        if (command == "audit") return runAuditCommand(rest, std::cout, std::cerr);
        if (command == "purge") return runPurgeCommand(rest, std::cout, std::cerr);
        if (command == "report") return runReportCommand(rest, std::cout, std::cerr);
    } catch (const std::exception &e) {
        std::cerr << "lendgate " << command << ": " << lendgate::redactForLog(e.what()) << "\n";
        return kSetupFailed;
    }
    std::cerr << "lendgate: unknown command '" << lendgate::redactForLog(command, 40) << "'; run 'lendgate --help'\n";
    return Exit::kUsage;
}
