// `lendgate plugin test`: the conformance suite, one line per check.
#include <cmath>
#include <ostream>

#include "core/app/cli.h"
#include "core/plugin/conformance.h"

namespace lendgate::cli {

namespace {

namespace conformance = plugin::conformance;

constexpr std::string_view kTestUsage =
    R"(usage: lendgate plugin test FILE.so --config CONF.json --samples DIR
                            [--type TYPE] [--timeout SECONDS] [--max-rss-mb MB] [--update-golden]

Runs the conformance suite every lendgate plugin must pass, and prints one
PASS/FAIL/SKIP line per check with the reasons of each failure:

  descriptor      name, semver version, ABI, capabilities, canonical types
  config          CONF.json satisfies the plugin's schema; create() succeeds
  config-schema   the schema refuses unknown keys, at every level
  golden NAME     DIR/NAME.EXT decodes to DIR/NAME.expected.jsonl (canonical
                  records the gateway takes) and DIR/NAME.expected-errors.txt
                  (every record error, one 'line L: record R: FIELD: CODE' per
                  line; 'input: CODE' last for an input refused as a whole)
  canonical NAME  every decoded record satisfies the canonical model, or its
                  refusal is listed in NAME.expected-errors.txt
  deterministic   two decodes with one instance and one with 1-13 byte reads agree
  round-trip      records of a type the plugin also encodes come back unchanged
  hostile         empty, truncated, random bytes, a 10 MB line, invalid UTF-8:
                  errors, never a crash, a hang, an internal error or runaway memory

Samples: every file DIR/NAME.EXT beside its expected files is one sample;
DIR/NAME.type holds the message type to ask for (default --type, or none).
Every plugin call runs in a child process; one that does not answer within
--timeout seconds (default 20) fails its check. --update-golden writes the
expected files from what the plugin produces; review them before committing.

Exit status: 0 every check passed (or was skipped); 1 a check failed; 3 the
plugin, its configuration or the samples folder unusable; 64 usage error.
)";

const char *label(conformance::Verdict verdict) {
    switch (verdict) {
        case conformance::Verdict::Pass: return "PASS";
        case conformance::Verdict::Fail: return "FAIL";
        case conformance::Verdict::Skip: return "SKIP";
    }
    return "????";
}

std::optional<double> positiveNumber(const std::string &text) {
    try {
        std::size_t used = 0;
        double value = std::stod(text, &used);
        if (used == text.size() && std::isfinite(value) && value > 0) return value;
    } catch (const std::exception &) {
    }
    return std::nullopt;
}

}  // namespace

int runPluginTest(const std::vector<std::string> &rawArgs, std::ostream &out, std::ostream &err) {
    std::string error;
    auto args = Arguments::parse(rawArgs, {"config", "samples", "type", "timeout", "max-rss-mb"},
                                 {"help", "update-golden"}, error);
    if (!args) {
        err << "lendgate plugin test: " << error << "\n";
        return kUsage;
    }
    if (args->flag("help")) {
        out << kTestUsage;
        return kAllTaken;
    }
    auto config = args->value("config");
    auto samples = args->value("samples");
    if (args->positional().size() != 1 || !config || !samples) {
        err << kTestUsage;
        return kUsage;
    }
    conformance::Options options;
    options.plugin = args->positional()[0];
    options.config = *config;
    options.samples = *samples;
    options.type = args->value("type").value_or("");
    options.updateGolden = args->flag("update-golden");
    if (auto timeout = args->value("timeout")) {
        auto seconds = positiveNumber(*timeout);
        if (!seconds) {
            err << "lendgate plugin test: --timeout needs a number of seconds above 0\n";
            return kUsage;
        }
        options.timeout = std::chrono::milliseconds(static_cast<long long>(*seconds * 1000));
    }
    if (auto limit = args->value("max-rss-mb")) {
        auto mb = positiveNumber(*limit);
        if (!mb) {
            err << "lendgate plugin test: --max-rss-mb needs a number of megabytes above 0\n";
            return kUsage;
        }
        options.maxRssMb = static_cast<long>(*mb);
    }

    out << "lendgate plugin test " << options.plugin.string() << "\n  config  " << options.config.string()
        << "\n  samples " << options.samples.string() << "\n";
    out.flush();
    conformance::Summary summary = conformance::run(options, [&](const conformance::CheckResult &result) {
        out << label(result.verdict) << " " << result.check << ": " << result.summary << "\n";
        for (const auto &reason : result.reasons) out << "       " << reason << "\n";
        out.flush();
    });
    const std::string name = summary.pluginName.empty() ? options.plugin.filename().string() : summary.pluginName;
    const int total = summary.passed + summary.failed + summary.skipped;
    if (summary.setupFailed) {
        out << name << ": stopped after " << total << (total == 1 ? " check" : " checks")
            << "; the plugin, its configuration or the samples folder cannot be used\n";
        return kSetupFailed;
    }
    if (summary.failed != 0) {
        out << name << ": NOT conformant (" << summary.failed << " of " << total << " checks failed)\n";
        return kSomeRejected;
    }
    out << name << ": conformant (" << summary.passed << " checks passed";
    if (summary.skipped != 0) out << ", " << summary.skipped << " skipped";
    out << ")\n";
    return kAllTaken;
}

}  // namespace lendgate::cli
