// The plugin conformance suite: what every plugin must do, checked the same
// way for shipped plugins and third-party ones (`lendgate plugin test`, and
// lendgate_plugin_test() in CMake).
//
// Checks, each reported as one PASS/FAIL/SKIP line with reasons:
//   descriptor     name, semver version, ABI, capabilities, canonical types
//   config         the given configuration is accepted and create() succeeds
//   config-schema  the schema refuses unknown keys at every level
//   golden         each sample decodes to NAME.expected.jsonl and the errors
//                  of NAME.expected-errors.txt
//   canonical      every decoded record satisfies the canonical model, or is
//                  a refusal the sample's expected errors list
//   deterministic  the same input decodes the same twice, and with tiny reads
//   round-trip     records of a type the plugin also encodes come back equal
//   hostile        empty, truncated, random bytes, a 10 MB line, invalid
//                  UTF-8: errors, never a crash, a hang or an internal error
//
// Every plugin call runs in a forked child under a time limit.
#ifndef LENDGATE_PLUGIN_CONFORMANCE_H
#define LENDGATE_PLUGIN_CONFORMANCE_H

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lendgate::plugin::conformance {

struct Options {
    std::filesystem::path plugin;
    std::filesystem::path config;
    std::filesystem::path samples;
    std::string type;  ///< message type to ask for when a sample has no NAME.type
    std::chrono::milliseconds timeout{std::chrono::seconds(20)};  ///< per child process
    long maxRssMb = 1024;       ///< a hostile input may not push the child's peak RSS above this
    bool updateGolden = false;  ///< write the expected files from what the plugin produces
};

enum class Verdict { Pass, Fail, Skip };

struct CheckResult {
    Verdict verdict = Verdict::Pass;
    std::string check;                 ///< "golden DVB_DELQ_20261123_001"
    std::string summary;               ///< one line
    std::vector<std::string> reasons;  ///< why it failed (or notes), one per line
};

using Reporter = std::function<void(const CheckResult &)>;

struct Summary {
    std::string pluginName;  ///< empty when the plugin could not be loaded
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    bool setupFailed = false;  ///< plugin, config or samples unusable: nothing else could run
};

/// Runs every check, reporting each as soon as it is decided.
Summary run(const Options &options, const Reporter &report);

}  // namespace lendgate::plugin::conformance

#endif  // LENDGATE_PLUGIN_CONFORMANCE_H
