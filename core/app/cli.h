// The `lendgate` command line tool for operators and plugin authors.
#ifndef LENDGATE_APP_CLI_H
#define LENDGATE_APP_CLI_H

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::journal {
class Journal;
}

namespace lendgate::cli {

/// Exit statuses. 0-2 follow DOMAIN.md's outcome table for decode/validate.
enum Exit : int {
    kAllTaken = 0,
    kSomeRejected = 1,
    kInputUnusable = 2,
    kSetupFailed = 3,  ///< plugin or configuration could not be used
    kUsage = 64,       ///< EX_USAGE
};

/// Parsed `--name value` options and positional arguments of one command.
class Arguments {
public:
    /// `valueOptions` take a value; `flags` do not. Unknown options are errors.
    static std::optional<Arguments> parse(const std::vector<std::string> &args,
                                          const std::vector<std::string> &valueOptions,
                                          const std::vector<std::string> &flags, std::string &error);
    std::optional<std::string> value(std::string_view name) const;
    bool flag(std::string_view name) const;
    const std::vector<std::string> &positional() const { return positional_; }

private:
    std::vector<std::pair<std::string, std::string>> values_;
    std::vector<std::string> flags_;
    std::vector<std::string> positional_;
};

int runPluginCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// plugin test: the conformance suite (args after "test").
int runPluginTest(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// plugin scaffold: a new out-of-tree plugin project (args after "scaffold").
int runPluginScaffold(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
int runDecode(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
int runEncode(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
int runConfigCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// messages, deadletters, replay and case: operator commands over the journal.
int runJournalCommand(const std::string &command, const std::vector<std::string> &args, std::ostream &out,
                      std::ostream &err);
/// dev receiver: a webhook receiver for demos and partner testing.
int runDevCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// sftp provision|config|serve: the drop-folder server (core/sftp).
int runSftpCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// pgp init|import-partner-key|export-public-key|list: the OpenPGP keyring (core/pgp).
int runPgpCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// keys init|list|rotate [--master]: the gateway's key ring (core/security).
int runKeysCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// backup DIR | restore DIR: the journal and blob store (core/journal/backup.h).
int runBackupCommand(const std::string &command, const std::vector<std::string> &args, std::ostream &out,
                     std::ostream &err);
/// partner rotate-key P [--signing|--webhook]: a new API key or signing secret, two valid at once.
int runPartnerCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// purge [--retention-days N] [--dry-run]: the retention purge (core/journal/retention.h).
int runPurgeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// audit verify|list: the tamper-evident audit chain (core/journal/audit_chain.h).
int runAuditCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// lendgate report --from --to [--partner] [--format]
int runReportCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
/// "cli:USER", the operator an audit entry names.
std::string operatorActor();
/// Appends an operator action to the audit chain, in an open journal or the
/// one in `dataDir` (a data folder without a journal yet records nothing).
/// False, with the reason on `err`, if it could not be written.
bool auditOperatorAction(journal::Journal &journal, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err);
bool auditOperatorAction(const std::filesystem::path &dataDir, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err);
/// The same for a command whose --config names the data folder (with --home
/// or --dir instead, no journal is known and nothing is recorded).
bool auditOperatorAction(const Arguments &args, std::string_view action, std::string_view target,
                         std::string_view detail, std::ostream &err);
int runValidate(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

/// Reads a whole (small) file such as a configuration; nullopt if unreadable.
std::optional<std::string> readSmallFile(const std::string &path, std::string &error);

}  // namespace lendgate::cli

#endif  // LENDGATE_APP_CLI_H
