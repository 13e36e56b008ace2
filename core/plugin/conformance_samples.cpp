// The samples folder, the golden files beside each sample, and how a decode
// run is judged the way the gateway would judge it.
#include <algorithm>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "core/common/redact.h"
#include "core/model/message.h"
#include "core/plugin/conformance_internal.h"

namespace lendgate::plugin::conformance {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kExpectedRecords = ".expected.jsonl";
constexpr std::string_view kExpectedErrors = ".expected-errors.txt";
constexpr std::string_view kTypeFile = ".type";

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string locationPrefix(const RecordLocation &where) {
    return "line " + std::to_string(where.line) + ": record " + std::to_string(where.record) + ": ";
}

std::string shown(const nlohmann::json &value) {
    return redactForLog(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 80);
}

std::string escapePointerToken(const std::string &token) {
    std::string out;
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out.push_back(c);
    }
    return out;
}

// The first place two JSON values differ, as "at POINTER: ...".
std::optional<std::string> jsonDifference(const nlohmann::json &expected, const nlohmann::json &actual,
                                          const std::string &pointer) {
    const std::string at = "at " + (pointer.empty() ? std::string("/") : pointer);
    if (expected.type() != actual.type())
        return at + ": expected " + shown(expected) + ", the plugin gave " + shown(actual);
    if (expected.is_object()) {
        for (const auto &[key, value] : expected.items()) {
            const std::string child = pointer + "/" + escapePointerToken(key);
            if (!actual.contains(key)) return "at " + child + ": missing (expected " + shown(value) + ")";
            if (auto d = jsonDifference(value, actual.at(key), child)) return d;
        }
        for (const auto &[key, value] : actual.items())
            if (!expected.contains(key))
                return "at " + pointer + "/" + escapePointerToken(key) + ": not expected (the plugin gave " +
                       shown(value) + ")";
        return std::nullopt;
    }
    if (expected.is_array()) {
        for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i)
            if (auto d = jsonDifference(expected[i], actual[i], pointer + "/" + std::to_string(i))) return d;
        if (expected.size() != actual.size())
            return at + ": expected " + std::to_string(expected.size()) + " items, the plugin gave " +
                   std::to_string(actual.size());
        return std::nullopt;
    }
    if (expected != actual) return at + ": expected " + shown(expected) + ", the plugin gave " + shown(actual);
    return std::nullopt;
}

std::string lineDifference(const std::string &expected, const std::string &actual, bool json) {
    if (json) {
        auto e = nlohmann::json::parse(expected, nullptr, false);
        auto a = nlohmann::json::parse(actual, nullptr, false);
        if (e.is_discarded()) return "the expected line is not JSON";
        if (!a.is_discarded()) {
            if (auto d = jsonDifference(e, a, "")) return *d;
            return "same fields and values, but not written canonically (key order or spacing); the expected file "
                   "must hold canonical JSON";
        }
    }
    return "expected '" + redactForLog(expected, 100) + "', the plugin gave '" + redactForLog(actual, 100) + "'";
}

std::string describe(const RecordLocation &where) {
    return "record " + std::to_string(where.record) + " (line " + std::to_string(where.line) + ", byte " +
           std::to_string(where.byteOffset) + ")";
}

}  // namespace

Result<std::vector<Sample>> findSamples(const fs::path &dir, const std::string &defaultType) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Error{"samples.not_a_folder", dir.string() + ": not a folder"};
    std::map<std::string, Sample> samples;
    std::vector<std::string> expectations;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (file.empty() || file[0] == '.' || endsWith(file, "~") || file.rfind("README", 0) == 0) continue;
        if (!it->is_regular_file(ec)) continue;
        if (endsWith(file, kExpectedRecords)) {
            expectations.push_back(file.substr(0, file.size() - kExpectedRecords.size()));
            continue;
        }
        if (endsWith(file, kExpectedErrors)) {
            expectations.push_back(file.substr(0, file.size() - kExpectedErrors.size()));
            continue;
        }
        if (endsWith(file, kTypeFile)) continue;
        const std::string name = it->path().stem().string();
        if (samples.count(name) != 0)
            return Error{"samples.ambiguous",
                         dir.string() + ": two inputs are named " + name + ".*; each sample needs its own name"};
        Sample sample;
        sample.name = name;
        sample.input = it->path();
        sample.expectedRecords = dir / (name + std::string(kExpectedRecords));
        sample.expectedErrors = dir / (name + std::string(kExpectedErrors));
        sample.type = defaultType;
        if (auto type = readLines(dir / (name + std::string(kTypeFile))); type && !type->empty())
            sample.type = trim((*type)[0]);
        samples.emplace(name, std::move(sample));
    }
    if (ec) return Error{"samples.unreadable", dir.string() + ": " + ec.message()};
    for (const std::string &name : expectations)
        if (samples.count(name) == 0)
            return Error{"samples.orphan",
                         dir.string() + ": expected files for " + name + " but no input " + name + ".* beside them"};
    std::vector<Sample> out;
    for (auto &[name, sample] : samples) out.push_back(std::move(sample));
    return out;
}

Evaluation evaluate(const DecodeRun &run, const PluginInfo &info, std::string_view expectedType) {
    Evaluation e;
    e.emitted = run.records.size();
    std::size_t nextRecord = 0, nextError = 0;
    auto refuse = [&](const RecordLocation &where, const std::string &pointer, const std::string &code,
                      const std::string &message) {
        e.errors.push_back(locationPrefix(where) + pointer + ": " + code);
        e.refusals.push_back(e.errors.back());
        e.details.push_back(describe(where) + ": " + pointer + ": " + code + ": " + message);
    };
    for (char event : run.sequence) {
        if (event == 'e') {
            const RecordProblem &p = run.errors[nextError++];
            e.errors.push_back(locationPrefix(p.where) + (p.field.empty() ? "-" : p.field) + ": " + p.code);
            e.lastOffset = std::max(e.lastOffset, p.where.byteOffset);
            continue;
        }
        const DecodedRecord &record = run.records[nextRecord++];
        e.lastOffset = std::max(e.lastOffset, record.where.byteOffset);
        model::ParseResult parsed = model::parseMessage(record.json);
        if (!parsed.ok()) {
            ++e.refusedRecords;
            for (const auto &error : parsed.errors) refuse(record.where, error.pointer, error.code, error.message);
            continue;
        }
        const std::string_view type = model::toString(parsed.message->type());
        const bool declared = std::any_of(info.decodes.begin(), info.decodes.end(),
                                          [&](const Format &f) { return f.messageType == record.type; });
        if (record.type != type || !declared || (!expectedType.empty() && type != expectedType)) ++e.refusedRecords;
        if (record.type != type) {
            refuse(record.where, "/message_type", "message_type",
                   "emitted as " + redactForLog(record.type, 40) + " but the record says " + std::string(type));
        } else if (!declared) {
            refuse(record.where, "/message_type", "undeclared_type",
                   "the descriptor does not list " + std::string(type) + " among the types it decodes");
        } else if (!expectedType.empty() && type != expectedType) {
            refuse(record.where, "/message_type", "unexpected_type",
                   "the host asked for " + std::string(expectedType) + " records");
        } else {
            e.taken.push_back(model::toCanonicalJson(*parsed.message));
        }
    }
    if (run.status != CallStatus::Ok) {
        e.refused = true;
        e.taken.clear();
        e.errors.push_back(std::string(toString(run.status)) + ": " + run.code);
    }
    return e;
}

std::vector<std::string> compareLines(const std::vector<std::string> &expected, const std::vector<std::string> &actual,
                                      const std::string &what, bool json) {
    std::vector<std::string> reasons;
    if (expected == actual) return reasons;
    if (expected.size() != actual.size())
        reasons.push_back(what + " has " + std::to_string(expected.size()) +
                          (expected.size() == 1 ? " line" : " lines") + "; the plugin's run gave " +
                          std::to_string(actual.size()));
    constexpr std::size_t kMaxReasons = 6;
    for (std::size_t i = 0; i < std::max(expected.size(), actual.size()) && reasons.size() < kMaxReasons; ++i) {
        const std::string prefix = what + " line " + std::to_string(i + 1) + ": ";
        if (i >= actual.size())
            reasons.push_back(prefix + "missing from the run: " + redactForLog(expected[i], 100));
        else if (i >= expected.size())
            reasons.push_back(prefix + "not expected: " + redactForLog(actual[i], 100));
        else if (expected[i] != actual[i])
            reasons.push_back(prefix + lineDifference(expected[i], actual[i], json));
    }
    return reasons;
}

std::optional<std::vector<std::string>> readLines(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

void writeLines(const fs::path &file, const std::vector<std::string> &lines) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto &line : lines) out << line << '\n';
}

std::string firstDifference(const DecodeRun &a, const DecodeRun &b) {
    if (a.status != b.status || a.code != b.code || a.message != b.message)
        return "the outcome differs: " + std::string(toString(a.status)) + " " + a.code + " vs " +
               std::string(toString(b.status)) + " " + b.code;
    for (std::size_t i = 0; i < std::min(a.records.size(), b.records.size()); ++i) {
        const DecodedRecord &x = a.records[i], &y = b.records[i];
        const std::string which = "record " + std::to_string(i + 1) + " emitted";
        if (x.type != y.type) return which + ": the message type differs";
        if (x.json != y.json) return which + ": the JSON differs (" + lineDifference(x.json, y.json, true) + ")";
        if (x.where.record != y.where.record || x.where.line != y.where.line ||
            x.where.byteOffset != y.where.byteOffset || x.where.path != y.where.path)
            return which + ": its location differs (" + describe(x.where) + " vs " + describe(y.where) + ")";
    }
    if (a.records.size() != b.records.size())
        return "the number of records differs: " + std::to_string(a.records.size()) + " vs " +
               std::to_string(b.records.size());
    for (std::size_t i = 0; i < std::min(a.errors.size(), b.errors.size()); ++i) {
        const RecordProblem &x = a.errors[i], &y = b.errors[i];
        if (x.code != y.code || x.field != y.field || x.message != y.message || x.where.record != y.where.record ||
            x.where.line != y.where.line || x.where.byteOffset != y.where.byteOffset || x.where.path != y.where.path)
            return "error " + std::to_string(i + 1) + " differs (" + describe(x.where) + " " + x.code + " vs " +
                   describe(y.where) + " " + y.code + ")";
    }
    if (a.errors.size() != b.errors.size())
        return "the number of errors differs: " + std::to_string(a.errors.size()) + " vs " +
               std::to_string(b.errors.size());
    if (a.sequence != b.sequence) return "records and errors arrive in another order";
    return "";
}

}  // namespace lendgate::plugin::conformance
