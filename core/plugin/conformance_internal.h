// Private to the conformance suite (core/plugin/conformance*.cpp): running the
// plugin under test in child processes, and what those runs produced.
//
// Every call into the plugin happens in a forked child, so a plugin that
// crashes or hangs on some input becomes a failed check with a reason, never a
// dead or stuck test runner.
#ifndef LENDGATE_PLUGIN_CONFORMANCE_INTERNAL_H
#define LENDGATE_PLUGIN_CONFORMANCE_INTERNAL_H

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/log.h"
#include "core/plugin/conformance.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::plugin::conformance {

/// One record as the plugin emitted it, before any validation.
struct DecodedRecord {
    std::string type;
    std::string json;
    RecordLocation where;
};

/// Everything one decode call produced, in the order it happened.
struct DecodeRun {
    CallStatus status = CallStatus::Ok;
    std::string code;
    std::string message;
    std::vector<DecodedRecord> records;
    std::vector<RecordProblem> errors;
    std::string sequence;  ///< 'r' (record) or 'e' (error) per callback, in arrival order
};

struct EncodeRun {
    CallStatus status = CallStatus::Ok;
    std::string code;
    std::string message;
    std::string bytes;
    std::vector<RecordProblem> problems;
};

/// How the plugin is handed its input: whole 64 KiB reads, or reads of 1 to
/// 13 bytes, as a slow socket or pipe delivers them.
enum class Reads { Whole, Trickle };

struct DecodeRequest {
    std::string_view input;
    std::string expectedType;
    Reads reads = Reads::Whole;
    bool freshInstance = false;  ///< otherwise the previous request's instance decodes again
};

/// How a child process ended, and what it sent back when it finished.
struct ChildEnd {
    enum class Kind { Finished, Crashed, TimedOut, Died };
    Kind kind = Kind::Died;
    int signal = 0;
    int exitCode = 0;
    double seconds = 0;
    long peakRssKb = 0;
    std::string payload;

    bool finished() const { return kind == Kind::Finished; }
    /// "crashed with signal 11 (Segmentation fault)", "no answer after 10 s (a hang?)"...
    std::string describe(std::chrono::milliseconds timeout) const;
    /// "0.12 s, peak RSS 14 MB"
    std::string cost() const;
};

/// Runs `job` in a forked child and returns what it wrote back, or how it died.
ChildEnd runInChild(const std::function<std::string()> &job, std::chrono::milliseconds timeout);

/// The plugin under test as every child instantiates it.
struct Subject {
    std::shared_ptr<PluginLibrary> library;
    std::string config;
    std::string configOrigin;
    SystemClock clock;  ///< a real clock: a plugin that stamps records with it is not deterministic
};

struct DecodeResults {
    ChildEnd end;
    std::vector<DecodeRun> runs;  ///< one per request when the child finished
    std::string setupError;       ///< create() failed in the child
};
DecodeResults decodeIsolated(const Subject &subject, const std::vector<DecodeRequest> &requests,
                             std::chrono::milliseconds timeout);

struct RoundTripResults {
    ChildEnd end;
    EncodeRun encoded;
    DecodeRun decoded;
    std::string setupError;
};
RoundTripResults roundTripIsolated(const Subject &subject, const std::string &type,
                                   const std::vector<std::string> &records, std::chrono::milliseconds timeout);

/// Whether create() succeeds with the configuration, in a child.
std::optional<std::string> createIsolated(const Subject &subject, std::chrono::milliseconds timeout);

/// A sample of the samples folder: NAME.EXT and its expectations beside it.
struct Sample {
    std::string name;
    std::filesystem::path input;
    std::filesystem::path expectedRecords;  ///< NAME.expected.jsonl
    std::filesystem::path expectedErrors;   ///< NAME.expected-errors.txt
    std::string type;                       ///< NAME.type, else --type, else empty
};
/// Samples sorted by name; an error when the folder cannot be read or a name is ambiguous.
Result<std::vector<Sample>> findSamples(const std::filesystem::path &dir, const std::string &defaultType);

/// A decode run seen as the gateway would take it: which records pass the
/// canonical model, and every error in the golden files' one-line form.
struct Evaluation {
    bool refused = false;               ///< the input was refused as a whole
    std::vector<std::string> taken;     ///< canonical JSON of the records the gateway would take
    std::vector<std::string> errors;    ///< "line L: record R: FIELD: CODE" and "input: CODE"
    std::vector<std::string> refusals;  ///< the model's refusals, in the same form (a subset of errors)
    std::vector<std::string> details;   ///< the model's refusals with their reasons, for a person
    std::size_t emitted = 0;
    std::size_t refusedRecords = 0;  ///< records the canonical model refused
    std::uint64_t lastOffset = 0;    ///< byte offset of the last record or error located
};
Evaluation evaluate(const DecodeRun &run, const PluginInfo &info, std::string_view expectedType);

/// Reasons why `actual` lines differ from the golden file's, empty when equal.
/// JSON lines are compared field by field to name the first difference.
std::vector<std::string> compareLines(const std::vector<std::string> &expected, const std::vector<std::string> &actual,
                                      const std::string &what, bool json);

/// Lines of a text file without line ends; nullopt when it does not exist.
std::optional<std::vector<std::string>> readLines(const std::filesystem::path &file);
void writeLines(const std::filesystem::path &file, const std::vector<std::string> &lines);

/// The first difference between two decode runs, or empty when they agree.
std::string firstDifference(const DecodeRun &a, const DecodeRun &b);

/// The hostile inputs, built from a base sample (may be empty).
struct HostileInput {
    std::string name;  ///< empty, truncated, random-bytes, long-line, invalid-utf8
    std::string bytes;
    bool mayBeSilent = false;  ///< empty input may yield nothing at all instead of an error
};
std::vector<HostileInput> hostileInputs(const std::string &base, std::uint64_t lastRecordOffset);

/// Decodes each hostile input in its own child and reports one check per input.
void checkHostileInputs(const Subject &subject, const Options &options, const std::string &type,
                        const std::string &base, std::uint64_t lastRecordOffset, const Reporter &report);

/// Name, version, ABI, capabilities and declared types.
CheckResult checkDescriptor(const PluginInfo &info);

/// The schema refuses unknown keys: read statically, and tried on the config.
CheckResult checkConfigSchema(const PluginLibrary &library, const std::string &config);

}  // namespace lendgate::plugin::conformance

#endif  // LENDGATE_PLUGIN_CONFORMANCE_INTERNAL_H
