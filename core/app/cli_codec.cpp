// `lendgate decode|encode|validate`: run one plugin on one file, the way the
// daemon will, and report per record what a partner would see in its ACK.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "core/app/cli.h"
#include "core/common/log.h"
#include "core/model/message.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::cli {

namespace {

constexpr std::string_view kDecodeUsage =
    R"(usage: lendgate decode --plugin FILE.so --config CONF.json [--type TYPE] INPUT

Decodes INPUT ('-' for stdin) with the plugin and validates every record
against the canonical model. Valid records go to stdout as canonical JSON
lines; rejected records go to stderr as INPUT:LINE: record N: FIELD: CODE: why.
Nothing is written to stdout when the input is rejected as a whole.

Exit status: 0 every record taken; 1 some or all rejected; 2 the input as a
whole unusable (e.g. control totals wrong); 3 plugin or config unusable.
)";

constexpr std::string_view kEncodeUsage =
    R"(usage: lendgate encode --plugin FILE.so --config CONF.json --type TYPE [INPUT.jsonl]

Reads canonical JSON lines (stdin by default), validates each, and writes the
plugin's partner format to stdout. Invalid records are reported on stderr and
left out. Exit status as for decode.
)";

constexpr std::string_view kValidateUsage = R"(usage: lendgate validate [FILE.jsonl]

Validates canonical JSON lines (stdin by default) against the canonical model:
required fields, enums, dates, amounts, VIN check digits, state codes, unknown
or duplicate keys. Errors name the line, the field (JSON Pointer) and a code,
never the value. Exit status: 0 all valid, 1 some invalid, 2 unreadable.
)";

struct FileCloser {
    void operator()(std::FILE *f) const {
        if (f != nullptr) std::fclose(f);
    }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

class FileReader final : public plugin::ByteReader {
public:
    explicit FileReader(std::FILE *file) : file_(file) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        std::size_t n = std::fread(buffer, 1, capacity, file_);
        if (n == 0 && std::ferror(file_)) throw std::runtime_error("read failed");
        return n;
    }

private:
    std::FILE *file_;
};

class StreamWriter final : public plugin::ByteWriter {
public:
    explicit StreamWriter(std::ostream &out) : out_(out) {}
    void write(std::string_view bytes) override {
        out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out_) throw std::runtime_error("write failed");
    }

private:
    std::ostream &out_;
};

std::string describeLocation(const std::string &input, const plugin::RecordLocation &where) {
    std::string out = input;
    if (where.line != 0) out += ":" + std::to_string(where.line);
    out += ":";
    if (where.record != 0) out += " record " + std::to_string(where.record) + ":";
    if (!where.path.empty()) out += " " + where.path + ":";
    return out;
}

// Validates each decoded record and spools the good ones to a temporary file,
// so a file rejected as a whole (say, at its trailer) prints nothing.
class ValidatingHandler final : public plugin::DecodeHandler {
public:
    ValidatingHandler(std::string input, std::FILE *spool, std::ostream &err)
        : input_(std::move(input)), spool_(spool), err_(err) {}

    bool onRecord(std::string_view type, std::string_view json, const plugin::RecordLocation &where) override {
        ++seen_;
        model::ParseResult parsed = model::parseMessage(json);
        if (parsed.ok() && model::toString(parsed.message->type()) != type) {
            reject(where, "/message_type", "message_type", "record type differs from the type the plugin announced");
            return true;
        }
        if (!parsed.ok()) {
            for (const auto &e : parsed.errors) reject(where, e.pointer, e.code, e.message);
            return true;
        }
        std::string line = model::toCanonicalJson(*parsed.message);
        line.push_back('\n');
        if (std::fwrite(line.data(), 1, line.size(), spool_) != line.size())
            throw std::runtime_error("cannot write the temporary output");
        ++taken_;
        return true;
    }

    void onRecordError(const plugin::RecordProblem &problem) override {
        if (problem.where.record == 0 || problem.where.record != lastRejected_) ++seen_;
        reject(problem.where, problem.field, problem.code, problem.message);
    }

    std::uint64_t seen() const { return seen_; }
    std::uint64_t taken() const { return taken_; }
    std::uint64_t rejected() const { return rejected_; }

private:
    void reject(const plugin::RecordLocation &where, std::string_view field, std::string_view code,
                std::string_view message) {
        if (where.record == 0 || where.record != lastRejected_) ++rejected_;
        lastRejected_ = where.record;
        err_ << describeLocation(input_, where) << " " << (field.empty() ? "-" : field) << ": " << code << ": "
             << message << "\n";
    }

    std::string input_;
    std::FILE *spool_;
    std::ostream &err_;
    std::uint64_t seen_ = 0;
    std::uint64_t taken_ = 0;
    std::uint64_t rejected_ = 0;
    std::uint64_t lastRejected_ = 0;
};

struct LoadedInstance {
    std::shared_ptr<plugin::PluginLibrary> library;
    std::unique_ptr<plugin::PluginInstance> instance;
};

// The CLI's plugins log JSON lines to stderr, like the daemon's.
struct CliServices {
    SystemClock clock;
    JsonLinesLogger logger{std::cerr, clock, LogLevel::Warning};
    plugin::HostServices services() { return plugin::HostServices{&logger, &clock}; }
};

std::optional<LoadedInstance> loadInstance(const Arguments &args, const std::string &command, CliServices &host,
                                           std::ostream &err) {
    auto pluginPath = args.value("plugin");
    auto configPath = args.value("config");
    if (!pluginPath || !configPath) {
        err << "lendgate " << command << ": --plugin and --config are required; see --help\n";
        return std::nullopt;
    }
    auto library = plugin::PluginLibrary::load(*pluginPath);
    if (!library) {
        err << "lendgate " << command << ": " << library.error().message << "\n";
        return std::nullopt;
    }
    std::string error;
    auto config = readSmallFile(*configPath, error);
    if (!config) {
        err << "lendgate " << command << ": config " << error << "\n";
        return std::nullopt;
    }
    auto instance = library.value()->instantiate(*config, *configPath, host.services());
    if (!instance) {
        err << "lendgate " << command << ": " << instance.error().message << "\n";
        return std::nullopt;
    }
    return LoadedInstance{std::move(library).value(), std::move(instance).value()};
}

File openInput(const std::string &path) {
    if (path == "-") return File(fdopen(dup(fileno(stdin)), "rb"));
    return File(std::fopen(path.c_str(), "rb"));
}

}  // namespace

int runDecode(const std::vector<std::string> &rawArgs, std::ostream &out, std::ostream &err) {
    std::string error;
    auto args = Arguments::parse(rawArgs, {"plugin", "config", "type"}, {"help"}, error);
    if (!args) {
        err << "lendgate decode: " << error << "\n";
        return kUsage;
    }
    if (args->flag("help")) {
        out << kDecodeUsage;
        return kAllTaken;
    }
    if (args->positional().size() != 1) {
        err << kDecodeUsage;
        return kUsage;
    }
    const std::string input = args->positional()[0];
    CliServices host;
    auto loaded = loadInstance(*args, "decode", host, err);
    if (!loaded) return kSetupFailed;
    File file = openInput(input);
    if (!file) {
        err << "lendgate decode: " << input << ": cannot be opened\n";
        return kInputUnusable;
    }
    File spool(std::tmpfile());
    if (!spool) {
        err << "lendgate decode: cannot create a temporary file\n";
        return kSetupFailed;
    }
    FileReader reader(file.get());
    ValidatingHandler handler(input, spool.get(), err);
    plugin::CallOutcome outcome = loaded->instance->decode(args->value("type").value_or(""), reader, handler);
    if (!outcome.ok()) {
        err << input << ": rejected as a whole: " << outcome.code << ": " << outcome.message << "\n";
        bool inputFault = outcome.status == plugin::CallStatus::Input || outcome.status == plugin::CallStatus::Io;
        return inputFault ? kInputUnusable : kSetupFailed;
    }
    std::rewind(spool.get());
    char buffer[64 * 1024];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, spool.get()))
        out.write(buffer, static_cast<std::streamsize>(n));
    out.flush();
    err << input << ": " << handler.seen() << " records, " << handler.taken() << " taken, " << handler.rejected()
        << " rejected\n";
    return handler.rejected() == 0 ? kAllTaken : kSomeRejected;
}

namespace {

// Canonical JSON lines from a stream, each validated before the plugin sees it.
class ValidatedLines final : public plugin::RecordSource {
public:
    ValidatedLines(std::istream &in, std::string name, std::string type, std::ostream &err)
        : in_(in), name_(std::move(name)), type_(std::move(type)), err_(err) {}

    bool next(std::string &json) override {
        std::string line;
        while (std::getline(in_, line)) {
            ++lineNumber_;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            model::ParseResult parsed = model::parseMessage(line);
            if (parsed.ok() && model::toString(parsed.message->type()) != type_) {
                report("/message_type", "message_type", "record is not of the type being encoded");
                continue;
            }
            if (!parsed.ok()) {
                for (const auto &e : parsed.errors) report(e.pointer, e.code, e.message);
                continue;
            }
            json = model::toCanonicalJson(*parsed.message);
            return true;
        }
        return false;
    }

    std::uint64_t rejected() const { return rejected_; }

private:
    void report(std::string_view field, std::string_view code, std::string_view message) {
        if (lastRejectedLine_ != lineNumber_) ++rejected_;
        lastRejectedLine_ = lineNumber_;
        err_ << name_ << ":" << lineNumber_ << ": " << field << ": " << code << ": " << message << "\n";
    }

    std::istream &in_;
    std::string name_;
    std::string type_;
    std::ostream &err_;
    std::uint64_t lineNumber_ = 0;
    std::uint64_t lastRejectedLine_ = 0;
    std::uint64_t rejected_ = 0;
};

}  // namespace

int runEncode(const std::vector<std::string> &rawArgs, std::ostream &out, std::ostream &err) {
    std::string error;
    auto args = Arguments::parse(rawArgs, {"plugin", "config", "type"}, {"help"}, error);
    if (!args) {
        err << "lendgate encode: " << error << "\n";
        return kUsage;
    }
    if (args->flag("help")) {
        out << kEncodeUsage;
        return kAllTaken;
    }
    auto type = args->value("type");
    if (!type || args->positional().size() > 1) {
        err << kEncodeUsage;
        return kUsage;
    }
    if (!model::messageTypeFromString(*type)) {
        err << "lendgate encode: unknown message type '" << *type << "'\n";
        return kUsage;
    }
    CliServices host;
    auto loaded = loadInstance(*args, "encode", host, err);
    if (!loaded) return kSetupFailed;
    std::ifstream file;
    std::string name = "-";
    if (!args->positional().empty() && args->positional()[0] != "-") {
        name = args->positional()[0];
        file.open(name, std::ios::binary);
        if (!file) {
            err << "lendgate encode: " << name << ": cannot be opened\n";
            return kInputUnusable;
        }
    }
    std::istream &in = file.is_open() ? static_cast<std::istream &>(file) : std::cin;
    ValidatedLines source(in, name, *type, err);
    StreamWriter writer(out);
    plugin::CallOutcome outcome = loaded->instance->encode(*type, source, writer);
    out.flush();
    for (const auto &p : outcome.encodeProblems)
        err << describeLocation(name, p.where) << " " << (p.field.empty() ? "-" : p.field) << ": " << p.code << ": "
            << p.message << "\n";
    if (!outcome.ok()) {
        err << "lendgate encode: " << outcome.code << ": " << outcome.message << "\n";
        return outcome.status == plugin::CallStatus::Io ? kInputUnusable : kSetupFailed;
    }
    return source.rejected() == 0 && outcome.encodeProblems.empty() ? kAllTaken : kSomeRejected;
}

int runValidate(const std::vector<std::string> &rawArgs, std::ostream &out, std::ostream &err) {
    std::string error;
    auto args = Arguments::parse(rawArgs, {}, {"help"}, error);
    if (!args) {
        err << "lendgate validate: " << error << "\n";
        return kUsage;
    }
    if (args->flag("help")) {
        out << kValidateUsage;
        return kAllTaken;
    }
    if (args->positional().size() > 1) {
        err << kValidateUsage;
        return kUsage;
    }
    std::ifstream file;
    std::string name = "-";
    if (!args->positional().empty() && args->positional()[0] != "-") {
        name = args->positional()[0];
        file.open(name, std::ios::binary);
        if (!file) {
            err << "lendgate validate: " << name << ": cannot be opened\n";
            return kInputUnusable;
        }
    }
    std::istream &in = file.is_open() ? static_cast<std::istream &>(file) : std::cin;
    std::uint64_t lineNumber = 0, valid = 0, invalid = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        model::ParseResult parsed = model::parseMessage(line);
        if (parsed.ok()) {
            ++valid;
            continue;
        }
        ++invalid;
        for (const auto &e : parsed.errors)
            err << name << ":" << lineNumber << ": " << e.pointer << ": " << e.code << ": " << e.message << "\n";
    }
    if (in.bad()) {
        err << "lendgate validate: " << name << ": read failed\n";
        return kInputUnusable;
    }
    err << name << ": " << (valid + invalid) << " records, " << valid << " valid, " << invalid << " invalid\n";
    return invalid == 0 ? kAllTaken : kSomeRejected;
}

}  // namespace lendgate::cli
