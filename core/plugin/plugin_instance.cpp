// The host side of every call across the C ABI. The trampolines below are the
// only code the plugin calls back into; none of them lets an exception escape.
#include <exception>
#include <filesystem>

#include "core/common/redact.h"
#include "core/plugin/plugin_internal.h"

namespace lendgate::plugin {

namespace fs = std::filesystem;

std::string_view toString(CallStatus status) {
    switch (status) {
        case CallStatus::Ok: return "ok";
        case CallStatus::Config: return "config";
        case CallStatus::Input: return "input";
        case CallStatus::Io: return "io";
        case CallStatus::Unsupported: return "unsupported";
        case CallStatus::Aborted: return "aborted";
        case CallStatus::Internal: return "internal";
    }
    return "internal";
}

struct PluginInstance::State {
    std::shared_ptr<PluginLibrary> library;
    HostServices services;
    lendgate_host_api host{};
    std::string configDir;  // host.config_dir points here
    void *instance = nullptr;
};

namespace {

// Plugin-supplied texts are untrusted: they may echo a record's values.
constexpr std::size_t kMaxPluginText = 300;

std::string fromPlugin(const char *text) {
    return text != nullptr ? redactForLog(text, kMaxPluginText) : "";
}

CallStatus toCallStatus(int status) {
    switch (status) {
        case LENDGATE_OK: return CallStatus::Ok;
        case LENDGATE_ERR_CONFIG: return CallStatus::Config;
        case LENDGATE_ERR_INPUT: return CallStatus::Input;
        case LENDGATE_ERR_IO: return CallStatus::Io;
        case LENDGATE_ERR_UNSUPPORTED: return CallStatus::Unsupported;
        case LENDGATE_ERR_ABORTED: return CallStatus::Aborted;
        default: return CallStatus::Internal;
    }
}

RecordLocation toLocation(const lendgate_location *where) {
    RecordLocation out;
    if (where == nullptr) return out;
    out.record = where->record;
    out.line = where->line;
    out.byteOffset = where->byte_offset;
    if (where->path != nullptr) out.path = redactForLog(where->path, kMaxPluginText);
    return out;
}

void hostLog(void *ctx, int level, const char *message, std::size_t len) {
    auto *state = static_cast<PluginInstance::State *>(ctx);
    if (state->services.logger == nullptr || message == nullptr) return;
    LogLevel mapped = level <= 0 ? LogLevel::Debug : level >= 3 ? LogLevel::Error : static_cast<LogLevel>(level);
    try {
        state->services.logger->log(mapped, "plugin." + state->library->info().name, std::string_view(message, len));
    } catch (...) {  // a failing log sink must not take the plugin down
    }
}

std::int64_t hostNow(void *ctx) {
    auto *state = static_cast<PluginInstance::State *>(ctx);
    return state->services.clock != nullptr ? state->services.clock->nowUnixMs() : 0;
}

// Collects diagnostics during one call.
struct Diagnostics {
    DecodeHandler *decodeHandler = nullptr;
    std::vector<RecordProblem> *problems = nullptr;
    std::string failCode;
    std::string failMessage;
    std::string callbackError;  // an exception thrown by our own handler

    lendgate_diagnostics table() { return lendgate_diagnostics{this, &Diagnostics::recordError, &Diagnostics::fail}; }

    static void recordError(void *ctx, const lendgate_location *where, const char *code, const char *field,
                            const char *message) {
        auto *self = static_cast<Diagnostics *>(ctx);
        RecordProblem problem{toLocation(where), fromPlugin(code), fromPlugin(field), fromPlugin(message)};
        try {
            if (self->decodeHandler != nullptr) self->decodeHandler->onRecordError(problem);
            if (self->problems != nullptr) self->problems->push_back(std::move(problem));
        } catch (const std::exception &e) {
            self->callbackError = e.what();
        }
    }
    static void fail(void *ctx, const char *code, const char *message) {
        auto *self = static_cast<Diagnostics *>(ctx);
        self->failCode = fromPlugin(code);
        self->failMessage = fromPlugin(message);
    }
};

struct ReaderBridge {
    ByteReader &reader;
    std::string error;

    static int read(void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
        auto *self = static_cast<ReaderBridge *>(ctx);
        *n = 0;
        try {
            *n = self->reader.read(buffer, capacity);
            return LENDGATE_OK;
        } catch (const std::exception &e) {
            self->error = e.what();
            return LENDGATE_ERR_IO;
        }
    }
};

struct SinkBridge {
    DecodeHandler &handler;
    std::string error;

    static int record(void *ctx, const char *type, const char *json, std::size_t len, const lendgate_location *where) {
        auto *self = static_cast<SinkBridge *>(ctx);
        try {
            return self->handler.onRecord(type != nullptr ? type : "", std::string_view(json, json ? len : 0),
                                          toLocation(where))
                       ? 0
                       : 1;
        } catch (const std::exception &e) {
            self->error = e.what();
            return 1;
        }
    }
};

struct SourceBridge {
    RecordSource &source;
    std::string current;
    std::string error;

    static int next(void *ctx, const char **json, std::size_t *len) {
        auto *self = static_cast<SourceBridge *>(ctx);
        try {
            if (!self->source.next(self->current)) return 0;
            *json = self->current.data();
            *len = self->current.size();
            return 1;
        } catch (const std::exception &e) {
            self->error = e.what();
            return -1;
        }
    }
};

struct WriterBridge {
    ByteWriter &writer;
    std::string error;

    static int write(void *ctx, const char *data, std::size_t len) {
        auto *self = static_cast<WriterBridge *>(ctx);
        try {
            self->writer.write(std::string_view(data, len));
            return LENDGATE_OK;
        } catch (const std::exception &e) {
            self->error = e.what();
            return LENDGATE_ERR_IO;
        }
    }
};

CallOutcome outcomeOf(int rc, const Diagnostics &diag, std::initializer_list<const std::string *> hostErrors,
                      std::string_view pluginName) {
    CallOutcome outcome;
    outcome.status = toCallStatus(rc);
    if (outcome.ok()) return outcome;
    // Our own side's failure explains an IO/aborted status better than the plugin can.
    for (const std::string *hostError : hostErrors) {
        if (!hostError->empty()) {
            outcome.code = "host.callback";
            outcome.message = *hostError;
            return outcome;
        }
    }
    if (!diag.callbackError.empty()) {
        outcome.code = "host.callback";
        outcome.message = diag.callbackError;
        return outcome;
    }
    outcome.code = diag.failCode.empty() ? "plugin." + std::string(toString(outcome.status)) : diag.failCode;
    outcome.message = diag.failMessage.empty()
                          ? "plugin " + std::string(pluginName) + " failed with status " + std::to_string(rc)
                          : diag.failMessage;
    return outcome;
}

}  // namespace

Result<std::unique_ptr<PluginInstance>> PluginLibrary::instantiate(std::string_view configJson,
                                                                   std::string_view configOrigin,
                                                                   const HostServices &services) {
    if (auto problem = impl_->checkConfig(configJson, configOrigin)) return Error{"plugin.bad_config", *problem};

    auto state = std::make_unique<PluginInstance::State>();
    state->library = shared_from_this();
    state->services = services;
    std::error_code ec;
    if (const fs::path origin(configOrigin); fs::is_regular_file(origin, ec))
        state->configDir = fs::absolute(origin, ec).parent_path().string();
    state->host =
        lendgate_host_api{sizeof(lendgate_host_api), state.get(), &hostLog, &hostNow, state->configDir.c_str()};

    Diagnostics diag;
    lendgate_diagnostics table = diag.table();
    const std::string config(configJson);  // NUL-terminated for plugins that want it
    int rc = impl_->descriptor.create(&state->host, config.c_str(), config.size(), &state->instance, &table);
    if (rc != LENDGATE_OK || state->instance == nullptr) {
        if (state->instance != nullptr) impl_->descriptor.destroy(state->instance);
        std::string why = diag.failMessage.empty() ? "status " + std::to_string(rc) : diag.failMessage;
        return Error{"plugin.create_failed", "plugin " + impl_->info.file.string() + ": create failed with config " +
                                                 std::string(configOrigin) + ": " + why};
    }
    return std::unique_ptr<PluginInstance>(new PluginInstance(std::move(state)));
}

PluginInstance::PluginInstance(std::unique_ptr<State> state) : state_(std::move(state)) {}

PluginInstance::~PluginInstance() {
    if (state_ && state_->instance != nullptr) state_->library->impl_->descriptor.destroy(state_->instance);
}

const PluginInfo &PluginInstance::info() const {
    return state_->library->info();
}

CallOutcome PluginInstance::decode(std::string_view expectedType, ByteReader &input, DecodeHandler &handler) {
    const auto &d = state_->library->impl_->descriptor;
    const PluginInfo &info = state_->library->info();
    if (!info.canDecode())
        return CallOutcome{
            CallStatus::Unsupported, "plugin.unsupported", "plugin " + info.name + " does not decode", {}};
    ReaderBridge reader{input, {}};
    SinkBridge sink{handler, {}};
    Diagnostics diag;
    diag.decodeHandler = &handler;
    lendgate_reader readerTable{&reader, &ReaderBridge::read};
    lendgate_record_sink sinkTable{&sink, &SinkBridge::record};
    lendgate_diagnostics diagTable = diag.table();
    const std::string type(expectedType);
    int rc = d.decode(state_->instance, type.empty() ? nullptr : type.c_str(), &readerTable, &sinkTable, &diagTable);
    return outcomeOf(rc, diag, {&reader.error, &sink.error}, info.name);
}

CallOutcome PluginInstance::encode(std::string_view messageType, RecordSource &input, ByteWriter &output) {
    const auto &d = state_->library->impl_->descriptor;
    const PluginInfo &info = state_->library->info();
    if (!info.canEncode())
        return CallOutcome{
            CallStatus::Unsupported, "plugin.unsupported", "plugin " + info.name + " does not encode", {}};
    SourceBridge source{input, {}, {}};
    WriterBridge writer{output, {}};
    std::vector<RecordProblem> problems;
    Diagnostics diag;
    diag.problems = &problems;
    lendgate_record_source sourceTable{&source, &SourceBridge::next};
    lendgate_writer writerTable{&writer, &WriterBridge::write};
    lendgate_diagnostics diagTable = diag.table();
    const std::string type(messageType);
    int rc = d.encode(state_->instance, type.c_str(), &sourceTable, &writerTable, &diagTable);
    CallOutcome outcome = outcomeOf(rc, diag, {&source.error, &writer.error}, info.name);
    outcome.encodeProblems = std::move(problems);
    return outcome;
}

}  // namespace lendgate::plugin
