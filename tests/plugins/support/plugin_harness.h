// Test support: loads a built plugin through its C ABI, exactly as a host
// written in any language would, and collects what it produces.
//
//   lendgate::test::LoadedPlugin plugin(LENDGATE_TEST_PLUGIN_PATH);
//   auto instance = plugin.create(readFile("dvb.json"));
//   auto result = instance.decode(readFile("DVB_DELQ_20261123_001.csv"));
//   EXPECT_EQ(result.status, LENDGATE_OK);
//
// Nothing here uses the plugin's C++ types: only lendgate/plugin.h crosses.
#ifndef LENDGATE_TESTS_PLUGINS_SUPPORT_PLUGIN_HARNESS_H
#define LENDGATE_TESTS_PLUGINS_SUPPORT_PLUGIN_HARNESS_H

#include <lendgate/plugin.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::test {

inline std::string readFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void writeFile(const std::string &path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

struct Where {
    std::uint64_t record = 0;
    std::uint64_t line = 0;
    std::uint64_t byteOffset = 0;
};

struct DecodedRecord {
    std::string messageType;
    std::string json;
    Where where;
};

struct RecordError {
    Where where;
    std::string code;
    std::string field;
    std::string message;
};

struct Failure {
    std::string code;
    std::string message;
};

struct CallResult {
    int status = -1;
    std::vector<DecodedRecord> records;  // decode
    std::string output;                  // encode
    std::vector<RecordError> errors;
    std::vector<Failure> failures;
    std::vector<std::string> logs;

    /// Records as JSON lines, the form of the golden files.
    std::string jsonLines() const {
        std::string out;
        for (const DecodedRecord &r : records) out += r.json + "\n";
        return out;
    }
    /// One "line L: record N: FIELD: CODE" per error, the form of the golden error files.
    std::string errorLines() const {
        std::string out;
        for (const RecordError &e : errors)
            out += "line " + std::to_string(e.where.line) + ": record " + std::to_string(e.where.record) + ": " +
                   (e.field.empty() ? "-" : e.field) + ": " + e.code + "\n";
        return out;
    }
    std::string failureCode() const { return failures.empty() ? std::string() : failures.back().code; }
    std::string failureMessage() const { return failures.empty() ? std::string() : failures.back().message; }
};

namespace detail {

struct Callbacks {
    CallResult *result;
    std::string_view input;
    std::size_t position = 0;
    std::size_t chunk = 4096;
    std::vector<std::string> *source = nullptr;
    std::size_t nextRecord = 0;
    std::size_t stopAfter = SIZE_MAX;

    static int read(void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
        auto *self = static_cast<Callbacks *>(ctx);
        *n = std::min({capacity, self->chunk, self->input.size() - self->position});
        std::memcpy(buffer, self->input.data() + self->position, *n);
        self->position += *n;
        return LENDGATE_OK;
    }
    static int record(void *ctx, const char *type, const char *json, std::size_t len, const lendgate_location *at) {
        auto *self = static_cast<Callbacks *>(ctx);
        self->result->records.push_back({type, std::string(json, len), {at->record, at->line, at->byte_offset}});
        return self->result->records.size() >= self->stopAfter ? 1 : 0;
    }
    static void recordError(void *ctx, const lendgate_location *at, const char *code, const char *field,
                            const char *message) {
        static_cast<Callbacks *>(ctx)->result->errors.push_back(
            {{at->record, at->line, at->byte_offset}, code, field, message});
    }
    static void fail(void *ctx, const char *code, const char *message) {
        static_cast<Callbacks *>(ctx)->result->failures.push_back({code, message});
    }
    static int next(void *ctx, const char **json, std::size_t *len) {
        auto *self = static_cast<Callbacks *>(ctx);
        if (self->nextRecord == self->source->size()) return 0;
        const std::string &r = (*self->source)[self->nextRecord++];
        *json = r.data();
        *len = r.size();
        return 1;
    }
    static int write(void *ctx, const char *data, std::size_t len) {
        static_cast<Callbacks *>(ctx)->result->output.append(data, len);
        return LENDGATE_OK;
    }
    static void log(void *ctx, int, const char *message, std::size_t len) {
        static_cast<std::vector<std::string> *>(ctx)->emplace_back(message, len);
    }
    static std::int64_t now(void *) { return 1795392000000; /* 2026-11-23T00:00:00Z */ }

    lendgate_diagnostics diagnostics() { return {this, &Callbacks::recordError, &Callbacks::fail}; }
};

}  // namespace detail

/// One configured plugin instance; destroyed with the object.
class PluginInstance {
public:
    PluginInstance(const lendgate_plugin_descriptor *d, void *instance, std::vector<std::string> *logs)
        : d_(d), instance_(instance), logs_(logs) {}
    PluginInstance(PluginInstance &&other) noexcept
        : d_(other.d_), instance_(std::exchange(other.instance_, nullptr)), logs_(other.logs_) {}
    PluginInstance(const PluginInstance &) = delete;
    PluginInstance &operator=(const PluginInstance &) = delete;
    PluginInstance &operator=(PluginInstance &&) = delete;
    ~PluginInstance() {
        if (instance_ != nullptr) d_->destroy(instance_);
    }

    /// Decodes `input`, handed over `chunk` bytes per read; the sink asks to stop after `stopAfter` records.
    CallResult decode(std::string_view input, const char *messageType = nullptr, std::size_t chunk = 4096,
                      std::size_t stopAfter = SIZE_MAX) const {
        CallResult result;
        detail::Callbacks cb{&result, input};
        cb.chunk = chunk;
        cb.stopAfter = stopAfter;
        const lendgate_reader reader{&cb, &detail::Callbacks::read};
        const lendgate_record_sink sink{&cb, &detail::Callbacks::record};
        const lendgate_diagnostics diag = cb.diagnostics();
        const std::size_t logsBefore = logs_->size();
        result.status = d_->decode(instance_, messageType, &reader, &sink, &diag);
        result.logs.assign(logs_->begin() + static_cast<std::ptrdiff_t>(logsBefore), logs_->end());
        return result;
    }

    CallResult encode(std::vector<std::string> records, const char *messageType) const {
        CallResult result;
        detail::Callbacks cb{&result, {}};
        cb.source = &records;
        const lendgate_record_source source{&cb, &detail::Callbacks::next};
        const lendgate_writer writer{&cb, &detail::Callbacks::write};
        const lendgate_diagnostics diag = cb.diagnostics();
        result.status = d_->encode(instance_, messageType, &source, &writer, &diag);
        return result;
    }

private:
    const lendgate_plugin_descriptor *d_;
    void *instance_;
    std::vector<std::string> *logs_;
};

/// A plugin library, loaded once and, like in the gateway, never unloaded:
/// unloading C++ code with static state is not safe. It must outlive its
/// instances, which keep pointers to its host services.
class LoadedPlugin {
public:
    explicit LoadedPlugin(const std::string &path) {
        void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        auto entry = reinterpret_cast<lendgate_plugin_entry_fn>(dlsym(handle, LENDGATE_PLUGIN_ENTRY_SYMBOL));
        if (entry == nullptr) throw std::runtime_error(path + ": no " LENDGATE_PLUGIN_ENTRY_SYMBOL);
        d_ = entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
        if (d_ == nullptr || d_->abi_major != LENDGATE_ABI_MAJOR || d_->struct_size < LENDGATE_DESCRIPTOR_SIZE_1_0)
            throw std::runtime_error(path + ": incompatible plugin descriptor");
    }

    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const lendgate_plugin_descriptor &descriptor() const { return *d_; }

    /// Creates an instance; status and failure text when create() refuses.
    struct Created {
        int status = -1;
        std::optional<PluginInstance> instance;
        std::vector<Failure> failures;
    };
    Created tryCreate(std::string_view config) {
        CallResult scratch;
        detail::Callbacks cb{&scratch, {}};
        const lendgate_diagnostics diag = cb.diagnostics();
        const lendgate_host_api host{sizeof(lendgate_host_api), &logs_, &detail::Callbacks::log,
                                     &detail::Callbacks::now, configDir_.c_str()};
        host_ = host;
        void *instance = nullptr;
        Created created;
        created.status = d_->create(&host_, config.data(), config.size(), &instance, &diag);
        created.failures = scratch.failures;
        if (created.status == LENDGATE_OK) created.instance.emplace(d_, instance, &logs_);
        return created;
    }

    /// Instances created from now on are told their configuration lives in `dir`.
    void setConfigDir(std::string dir) { configDir_ = std::move(dir); }

    PluginInstance create(std::string_view config) {
        Created created = tryCreate(config);
        if (created.status != LENDGATE_OK)
            throw std::runtime_error("create failed: " +
                                     (created.failures.empty() ? std::string("?") : created.failures.back().message));
        return std::move(*created.instance);
    }

private:
    const lendgate_plugin_descriptor *d_ = nullptr;
    lendgate_host_api host_{};  // must outlive every instance: the plugin may keep the pointer
    std::string configDir_;     // what host_.config_dir points at
    std::vector<std::string> logs_;
};

}  // namespace lendgate::test

#endif  // LENDGATE_TESTS_PLUGINS_SUPPORT_PLUGIN_HARNESS_H
