// Hostile inputs every decoder meets sooner or later: nothing, a file cut
// short, noise, one enormous line, bytes that are not UTF-8. Each must end in
// errors (a refusal or record errors), never a crash, a hang or a bug report.
#include <algorithm>
#include <random>

#include "core/plugin/conformance_internal.h"

namespace lendgate::plugin::conformance {

namespace {

constexpr std::size_t kRandomBytes = 64 * 1024;
constexpr std::size_t kLongLine = 10 * 1024 * 1024;
constexpr std::uint64_t kSeed = 20261123;

// The base sample cut in the middle of its last record, where a transfer that
// stopped early leaves it; framing-aware decoders notice, lenient ones do not.
std::string truncated(const std::string &base, std::uint64_t lastOffset) {
    if (base.size() < 2) return base.substr(0, base.size() / 2);
    std::size_t cut = lastOffset < base.size() ? lastOffset + (base.size() - lastOffset) / 2 : base.size() / 2;
    if (cut == 0 || cut >= base.size()) cut = base.size() / 2;
    return base.substr(0, cut);
}

std::string randomBytes() {
    std::mt19937_64 random(kSeed);
    std::string out(kRandomBytes, '\0');
    for (char &c : out) c = static_cast<char>(random() & 0xFF);
    return out;
}

// After the first line (a header in many formats), a 10 MB line.
std::string longLine(const std::string &base) {
    const std::size_t firstEnd = base.find('\n');
    const std::size_t split = firstEnd == std::string::npos ? 0 : firstEnd + 1;
    std::string out = base.substr(0, split);
    out.append(kLongLine, 'A');
    out.push_back('\n');
    out.append(base, split, std::string::npos);
    return out;
}

// Ill-formed sequences (a stray continuation byte, an overlong '/', a UTF-16
// surrogate, 0xFF, a cut sequence) in the middle of the middle line: one
// record with bad bytes, between a header and a trailer that stay intact.
std::string invalidUtf8(const std::string &base) {
    constexpr std::string_view bad = "\x80\xC0\xAF\xED\xA0\x80\xFF\xE2\x82";
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i + 1 < base.size(); ++i)
        if (base[i] == '\n') starts.push_back(i + 1);
    const std::size_t line = starts[starts.size() / 2];
    std::size_t end = base.find('\n', line);
    if (end == std::string::npos) end = base.size();
    std::string out = base;
    out.insert(line + (end - line) / 2, bad);
    return out;
}

std::string plural(std::size_t n, const std::string &word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::vector<HostileInput> hostileInputs(const std::string &base, std::uint64_t lastRecordOffset) {
    return {
        {"empty", "", true},
        {"truncated", truncated(base, lastRecordOffset), false},
        {"random-bytes", randomBytes(), false},
        {"long-line", longLine(base), false},
        {"invalid-utf8", invalidUtf8(base), false},
    };
}

void checkHostileInputs(const Subject &subject, const Options &options, const std::string &type,
                        const std::string &base, std::uint64_t lastRecordOffset, const Reporter &report) {
    const PluginInfo &info = subject.library->info();
    for (const HostileInput &input : hostileInputs(base, lastRecordOffset)) {
        CheckResult result;
        result.check = "hostile " + input.name;
        DecodeResults decoded =
            decodeIsolated(subject, {DecodeRequest{input.bytes, type, Reads::Whole, true}}, options.timeout);
        if (!decoded.end.finished()) {
            result.verdict = Verdict::Fail;
            result.summary = "the decode " + decoded.end.describe(options.timeout);
            result.reasons.push_back("input: " + plural(input.bytes.size(), "byte") +
                                     "; a decoder must refuse what it cannot read, in bounded time");
            report(result);
            continue;
        }
        if (!decoded.setupError.empty()) {
            result.verdict = Verdict::Fail;
            result.summary = "create() failed: " + decoded.setupError;
            report(result);
            continue;
        }
        const DecodeRun &run = decoded.runs.front();
        const Evaluation e = evaluate(run, info, type);
        const std::string cost = " (" + decoded.end.cost() + ")";
        const long limitKb = options.maxRssMb * 1024;
        if (run.status != CallStatus::Ok && run.status != CallStatus::Input && run.status != CallStatus::Io) {
            result.verdict = Verdict::Fail;
            result.summary = "ended with status " + std::string(toString(run.status)) + cost;
            result.reasons.push_back(run.code + ": " + run.message);
            result.reasons.push_back(
                "bad input must be refused with lendgate::inputError() (the whole input) or "
                "ctx.recordError() (one record); an internal error reads as a bug in the plugin");
        } else if (decoded.end.peakRssKb > limitKb) {
            result.verdict = Verdict::Fail;
            result.summary = "peak RSS " + std::to_string(decoded.end.peakRssKb / 1024) + " MB, over the " +
                             std::to_string(options.maxRssMb) + " MB limit" + cost;
            result.reasons.push_back(
                "memory must stay bounded whatever the input: stream, and cap what one record "
                "may hold");
        } else if (e.refused) {
            result.summary = "refused as a whole (" + run.code + ")" + cost;
        } else if (!run.errors.empty() || e.refusedRecords != 0) {
            std::string what;
            if (!run.errors.empty()) what = plural(run.errors.size(), "record error");
            if (e.refusedRecords != 0)
                what += (what.empty() ? "" : ", ") + plural(e.refusedRecords, "record") + " refused by the model";
            result.summary = what + ", " + plural(e.taken.size(), "record") + " taken" + cost;
        } else if (input.mayBeSilent && e.emitted == 0) {
            result.summary = "no records and no error" + cost;
        } else {
            result.verdict = Verdict::Fail;
            result.summary = "decoded without any error: " + plural(e.taken.size(), "record") + " taken" + cost;
            result.reasons.push_back(input.mayBeSilent
                                         ? "records out of an empty input"
                                         : "a damaged input went unnoticed; refuse it (lendgate::inputError, e.g. "
                                           "trailer totals that do not match) or report the broken records");
        }
        report(result);
    }
}

}  // namespace lendgate::plugin::conformance
