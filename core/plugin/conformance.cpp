// The conformance run: load, configure, then every sample through the golden,
// canonical, determinism and round-trip checks, then the hostile inputs.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/plugin/conformance_internal.h"

namespace lendgate::plugin::conformance {

namespace fs = std::filesystem;

namespace {

std::string fileName(const fs::path &path) {
    return path.filename().string();
}

std::optional<std::string> readFile(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::vector<std::string> splitLines(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string plural(std::size_t n, const std::string &word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// What one sample's decodes gave, kept for the checks that come after.
struct SampleRun {
    const Sample *sample = nullptr;
    Evaluation evaluation;
    std::string input;
};

class Run {
public:
    Run(const Options &options, const Reporter &report) : options_(options), report_(report) {}

    Summary go() {
        if (!load() || !configure()) {
            summary_.setupFailed = true;
            return summary_;
        }
        emit(checkConfigSchema(*subject_.library, subject_.config));
        auto samples = findSamples(options_.samples, options_.type);
        if (!samples) {
            emit(fail("samples", samples.error().message, {}));
            summary_.setupFailed = true;
            return summary_;
        }
        if (samples.value().empty())
            emit(fail("samples", "no sample input in " + options_.samples.string(),
                      {"add NAME.EXT (an input) with NAME.expected.jsonl (the canonical records it decodes to)"}));
        std::vector<SampleRun> runs;
        if (info().canDecode())
            for (const Sample &sample : samples.value())
                if (auto run = checkSample(sample)) runs.push_back(std::move(*run));
        checkRoundTrips(runs);
        if (info().canDecode()) checkHostile(runs, samples.value());
        return summary_;
    }

private:
    const PluginInfo &info() const { return subject_.library->info(); }

    void emit(const CheckResult &result) {
        switch (result.verdict) {
            case Verdict::Pass: ++summary_.passed; break;
            case Verdict::Fail: ++summary_.failed; break;
            case Verdict::Skip: ++summary_.skipped; break;
        }
        report_(result);
    }

    static CheckResult fail(std::string check, std::string summary, std::vector<std::string> reasons) {
        return CheckResult{Verdict::Fail, std::move(check), std::move(summary), std::move(reasons)};
    }

    bool load() {
        auto loaded = PluginLibrary::load(options_.plugin);
        if (!loaded) {
            emit(fail("descriptor", "the plugin cannot be loaded", {loaded.error().message}));
            return false;
        }
        subject_.library = std::move(loaded).value();
        summary_.pluginName = info().name;
        emit(checkDescriptor(info()));
        return true;
    }

    bool configure() {
        auto config = readFile(options_.config);
        if (!config) {
            emit(fail("config", options_.config.string() + ": cannot be read", {}));
            return false;
        }
        subject_.config = std::move(*config);
        subject_.configOrigin = options_.config.string();
        if (auto valid = subject_.library->validateConfig(subject_.config, subject_.configOrigin); !valid) {
            emit(fail("config", "refused by the plugin's configuration schema", splitLines(valid.error().message)));
            return false;
        }
        if (auto problem = createIsolated(subject_, options_.timeout)) {
            emit(fail("config", "the plugin could not be created with it", {*problem}));
            return false;
        }
        emit(CheckResult{Verdict::Pass, "config", fileName(options_.config) + " accepted; create() succeeded", {}});
        return true;
    }

    std::optional<SampleRun> checkSample(const Sample &sample) {
        auto input = readFile(sample.input);
        if (!input) {
            emit(fail("golden " + sample.name, sample.input.string() + ": cannot be read", {}));
            return std::nullopt;
        }
        // One instance decodes twice (state kept between calls must not leak
        // into the result), a fresh one takes the bytes a few at a time.
        DecodeResults results = decodeIsolated(subject_,
                                               {DecodeRequest{*input, sample.type, Reads::Whole, true},
                                                DecodeRequest{*input, sample.type, Reads::Whole, false},
                                                DecodeRequest{*input, sample.type, Reads::Trickle, true}},
                                               options_.timeout);
        if (!results.end.finished() || !results.setupError.empty()) {
            std::string why = results.setupError.empty() ? results.end.describe(options_.timeout)
                                                         : "create() failed: " + results.setupError;
            emit(fail("golden " + sample.name, "decoding " + fileName(sample.input) + ": " + why, {}));
            return std::nullopt;
        }
        SampleRun run{&sample, evaluate(results.runs[0], info(), sample.type), std::move(*input)};
        checkGolden(sample, run.evaluation);
        checkCanonical(sample, run.evaluation);
        checkDeterministic(sample, results.runs);
        return run;
    }

    void checkGolden(const Sample &sample, const Evaluation &e) {
        const std::string check = "golden " + sample.name;
        if (options_.updateGolden) {
            std::vector<std::string> notes;
            auto write = [&](const fs::path &file, const std::vector<std::string> &lines) {
                // A link points at another test's golden file: that one is its owner's to rewrite.
                if (fs::is_symlink(file)) {
                    if (readLines(file) != lines)
                        notes.push_back(fileName(file) + " is a symbolic link and differs; left as it is");
                    return;
                }
                std::error_code ec;
                if (lines.empty())
                    fs::remove(file, ec);
                else
                    writeLines(file, lines);
            };
            write(sample.expectedRecords, e.taken);
            write(sample.expectedErrors, e.errors);
            emit(CheckResult{notes.empty() ? Verdict::Pass : Verdict::Fail, check,
                             "updated: " + plural(e.taken.size(), "record") + ", " + plural(e.errors.size(), "error") +
                                 " written; review the diff before committing",
                             std::move(notes)});
            return;
        }
        const auto records = readLines(sample.expectedRecords).value_or(std::vector<std::string>{});
        const auto errors = readLines(sample.expectedErrors).value_or(std::vector<std::string>{});
        std::vector<std::string> reasons = compareLines(records, e.taken, fileName(sample.expectedRecords), true);
        for (auto &reason : compareLines(errors, e.errors, fileName(sample.expectedErrors), false))
            reasons.push_back(std::move(reason));
        if (!reasons.empty()) {
            if (!fs::exists(sample.expectedRecords) && !fs::exists(sample.expectedErrors))
                reasons.push_back(
                    "no expected files yet: run with --update-golden to write them from this run, "
                    "then review them");
            emit(fail(check, fileName(sample.input) + " does not decode as expected", std::move(reasons)));
            return;
        }
        std::string summary =
            e.refused ? "refused as a whole (" + e.errors.back() + "), as expected"
                      : plural(e.taken.size(), "record") + " and " + plural(e.errors.size(), "error") + " as expected";
        emit(CheckResult{Verdict::Pass, check, summary, {}});
    }

    void checkCanonical(const Sample &sample, const Evaluation &e) {
        const std::string check = "canonical " + sample.name;
        auto listed = readLines(sample.expectedErrors).value_or(std::vector<std::string>{});
        std::multiset<std::string> expected(listed.begin(), listed.end());
        std::vector<std::string> unexpected;
        for (std::size_t i = 0; i < e.refusals.size(); ++i) {
            auto it = expected.find(e.refusals[i]);
            if (it != expected.end())
                expected.erase(it);
            else
                unexpected.push_back(e.details[i]);
        }
        if (!unexpected.empty()) {
            if (unexpected.size() > 8) unexpected.resize(8);
            unexpected.push_back(
                "the gateway refuses these records: fix the plugin, or, if the sample is meant to "
                "carry bad records, list them in " +
                fileName(sample.expectedErrors));
            emit(fail(check, "records the canonical model refuses", std::move(unexpected)));
            return;
        }
        const std::size_t refused = e.refusedRecords;
        std::string summary;
        if (e.emitted == 0)
            summary = "no records emitted";
        else if (refused == 0)
            summary = (e.emitted == 1 ? std::string("the record satisfies")
                                      : "all " + plural(e.emitted, "record") + " satisfy") +
                      " the canonical model";
        else
            summary = std::to_string(e.emitted - refused) + " of " + plural(e.emitted, "record") + " valid; " +
                      (refused == 1 ? "the one refused is" : "the " + std::to_string(refused) + " refused are") +
                      " listed in " + fileName(sample.expectedErrors);
        emit(CheckResult{Verdict::Pass, check, summary, {}});
    }

    void checkDeterministic(const Sample &sample, const std::vector<DecodeRun> &runs) {
        const std::string check = "deterministic " + sample.name;
        std::vector<std::string> reasons;
        if (auto d = firstDifference(runs[0], runs[1]); !d.empty())
            reasons.push_back("decoding it again with the same instance: " + d);
        if (auto d = firstDifference(runs[0], runs[2]); !d.empty())
            reasons.push_back("decoding it with a fresh instance reading 1 to 13 bytes at a time: " + d);
        if (!reasons.empty()) {
            reasons.push_back(
                "the same bytes must give the same records and errors, whatever the read sizes; "
                "idempotency keys depend on it");
            emit(fail(check, "three decodes of " + fileName(sample.input) + " disagree", std::move(reasons)));
            return;
        }
        emit(CheckResult{Verdict::Pass,
                         check,
                         "3 decodes identical (twice with one instance, then 1-13 byte reads with another)",
                         {}});
    }

    void checkRoundTrips(const std::vector<SampleRun> &runs) {
        auto encodes = [&](const std::string &type) {
            for (const auto &f : info().encodes)
                if (f.messageType == type) return true;
            return false;
        };
        bool any = false;
        for (const SampleRun &run : runs) {
            std::map<std::string, std::vector<std::string>> byType;
            for (const std::string &json : run.evaluation.taken) {
                auto at = json.find("\"message_type\":\"");
                if (at == std::string::npos) continue;
                at += 16;
                std::string type = json.substr(at, json.find('"', at) - at);
                if (encodes(type)) byType[type].push_back(json);
            }
            for (const auto &[type, records] : byType) {
                any = true;
                checkRoundTrip(*run.sample, type, records);
            }
        }
        if (any) return;
        std::string why = info().encodes.empty()   ? "the plugin does not encode"
                          : info().decodes.empty() ? "the plugin does not decode, so nothing can come back"
                                                   : "no sample decodes to records of a type the plugin encodes";
        emit(CheckResult{Verdict::Skip, "round-trip", why, {}});
    }

    void checkRoundTrip(const Sample &sample, const std::string &type, const std::vector<std::string> &records) {
        const std::string check = "round-trip " + sample.name;
        RoundTripResults rt = roundTripIsolated(subject_, type, records, options_.timeout);
        if (!rt.end.finished() || !rt.setupError.empty()) {
            emit(fail(check, "encode then decode " + rt.end.describe(options_.timeout), {rt.setupError}));
            return;
        }
        // What a plugin encodes may depend on its configuration (a CSV layout with no column for the type).
        if (rt.encoded.status == CallStatus::Unsupported) {
            emit(CheckResult{
                Verdict::Skip,
                check,
                "this configuration does not encode " + type + " (" + rt.encoded.code + ": " + rt.encoded.message + ")",
                {}});
            return;
        }
        std::vector<std::string> reasons;
        if (rt.encoded.status != CallStatus::Ok)
            reasons.push_back("encode ended with status " + std::string(toString(rt.encoded.status)) + ": " +
                              rt.encoded.code + ": " + rt.encoded.message);
        for (const auto &p : rt.encoded.problems)
            if (reasons.size() < 6)
                reasons.push_back("encode refused record " + std::to_string(p.where.record) + ": " +
                                  (p.field.empty() ? "-" : p.field) + ": " + p.code + ": " + p.message);
        if (reasons.empty()) {
            Evaluation back = evaluate(rt.decoded, info(), type);
            for (const auto &error : back.errors)
                if (reasons.size() < 6) reasons.push_back("decoding the encoded bytes: " + error);
            for (auto &reason : compareLines(records, back.taken, "record", true))
                reasons.push_back("decoded back: " + reason);
        }
        if (!reasons.empty()) {
            emit(fail(check,
                      "encoding " + plural(records.size(), type + " record") +
                          " and decoding the bytes "
                          "does not give them back",
                      std::move(reasons)));
            return;
        }
        emit(CheckResult{Verdict::Pass,
                         check,
                         plural(records.size(), type + " record") + " encoded (" +
                             plural(rt.encoded.bytes.size(), "byte") + ") and decoded back unchanged",
                         {}});
    }

    void checkHostile(const std::vector<SampleRun> &runs, const std::vector<Sample> &samples) {
        // The base is a sample the plugin takes records from, so damage to it is damage to real records.
        const SampleRun *base = nullptr;
        for (const SampleRun &run : runs)
            if (!base && !run.evaluation.taken.empty()) base = &run;
        if (!base && !runs.empty()) base = &runs.front();
        const std::string type = base ? base->sample->type : samples.empty() ? options_.type : samples.front().type;
        checkHostileInputs(subject_, options_, type, base ? base->input : std::string(),
                           base ? base->evaluation.lastOffset : 0, [this](const CheckResult &r) { emit(r); });
    }

    const Options &options_;
    const Reporter &report_;
    Summary summary_;
    Subject subject_;
};

}  // namespace

Summary run(const Options &options, const Reporter &report) {
    return Run(options, report).go();
}

}  // namespace lendgate::plugin::conformance
