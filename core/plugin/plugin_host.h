// Loading format plugins and calling them through the C ABI.
//
// A plugin is loaded once (checks first: file, ELF header, entry symbol, ABI
// version, descriptor size), then instantiated per configuration (validated
// against the plugin's own JSON Schema before create()). Nothing here throws
// across the plugin boundary; every failure is one line naming the file.
#ifndef LENDGATE_PLUGIN_PLUGIN_HOST_H
#define LENDGATE_PLUGIN_PLUGIN_HOST_H

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"

namespace lendgate::plugin {

struct Format {
    std::string messageType;
    std::string mediaType;
};

/// What a plugin says about itself, copied out of its descriptor.
struct PluginInfo {
    std::filesystem::path file;
    std::string name;
    std::string version;
    std::string description;
    std::string configSchema;
    std::uint16_t abiMajor = 0;
    std::uint16_t abiMinor = 0;
    std::uint64_t capabilities = 0;
    std::vector<Format> decodes;
    std::vector<Format> encodes;

    bool canDecode() const;
    bool canEncode() const;
    bool streams() const;
    bool takesAckSlices() const;  ///< LENDGATE_CAP_ACK_SLICES
};

/// Where in the input a record or an error was found (0/empty when unknown).
struct RecordLocation {
    std::uint64_t record = 0;
    std::uint64_t line = 0;
    std::uint64_t byteOffset = 0;
    std::string path;
};

/// One record the plugin could not use. Texts have been redacted and capped.
struct RecordProblem {
    RecordLocation where;
    std::string code;
    std::string field;
    std::string message;
};

/// Receives what decode() produces, in input order.
class DecodeHandler {
public:
    virtual ~DecodeHandler() = default;
    /// Returns false to stop decoding (the call then ends with status Aborted).
    virtual bool onRecord(std::string_view messageType, std::string_view json, const RecordLocation &where) = 0;
    virtual void onRecordError(const RecordProblem &problem) = 0;
};

/// Pull source of partner bytes. Throw on I/O failure; return 0 at the end.
class ByteReader {
public:
    virtual ~ByteReader() = default;
    virtual std::size_t read(char *buffer, std::size_t capacity) = 0;
};

/// Sink for encoded bytes. Throw on I/O failure.
class ByteWriter {
public:
    virtual ~ByteWriter() = default;
    virtual void write(std::string_view bytes) = 0;
};

/// Pull source of canonical records for encode(); false at the end.
class RecordSource {
public:
    virtual ~RecordSource() = default;
    virtual bool next(std::string &json) = 0;
};

/// Exactly one record; `json` must outlive the source.
class OneRecordSource final : public RecordSource {
public:
    explicit OneRecordSource(std::string_view json) : json_(json) {}
    bool next(std::string &json) override {
        if (done_) return false;
        json = json_;
        done_ = true;
        return true;
    }

private:
    std::string_view json_;
    bool done_ = false;
};

enum class CallStatus { Ok, Config, Input, Io, Unsupported, Aborted, Internal };

std::string_view toString(CallStatus status);

/// How a decode/encode call ended. `code`/`message` explain a non-Ok status.
struct CallOutcome {
    CallStatus status = CallStatus::Ok;
    std::string code;
    std::string message;
    std::vector<RecordProblem> encodeProblems;  // encode only
    bool ok() const { return status == CallStatus::Ok; }
};

/// Services handed to plugin instances through the host API table.
struct HostServices {
    Logger *logger = nullptr;  // may be null: plugin log lines are dropped
    const Clock *clock = nullptr;
};

class PluginInstance;

/// A loaded plugin library. Keep it alive as long as any of its instances.
class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
public:
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary &) = delete;
    PluginLibrary &operator=(const PluginLibrary &) = delete;

    /// Loads and checks a plugin file; nothing but the entry point is called.
    static Result<std::shared_ptr<PluginLibrary>> load(const std::filesystem::path &file);

    const PluginInfo &info() const;

    /// Validates `configJson` against the plugin's schema, then calls create().
    /// `configOrigin` names where the config came from, for error messages.
    Result<std::unique_ptr<PluginInstance>> instantiate(std::string_view configJson, std::string_view configOrigin,
                                                        const HostServices &services);

    /// Only the config check, without creating an instance.
    Result<bool> validateConfig(std::string_view configJson, std::string_view configOrigin) const;

    struct Impl;

private:
    explicit PluginLibrary(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    friend class PluginInstance;
};

/// One configured instance of a plugin.
class PluginInstance {
public:
    ~PluginInstance();
    PluginInstance(const PluginInstance &) = delete;
    PluginInstance &operator=(const PluginInstance &) = delete;

    const PluginInfo &info() const;

    /// Decodes partner bytes. `expectedType` empty lets the plugin decide.
    CallOutcome decode(std::string_view expectedType, ByteReader &input, DecodeHandler &handler);

    /// Encodes canonical records of `messageType` into partner bytes.
    CallOutcome encode(std::string_view messageType, RecordSource &input, ByteWriter &output);

    struct State;

private:
    friend class PluginLibrary;
    explicit PluginInstance(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

/// Every plugin file (*.so) in a folder, loaded and checked; failures listed.
struct PluginScan {
    std::vector<std::shared_ptr<PluginLibrary>> loaded;
    std::vector<Error> failures;
};
PluginScan scanPluginDirectory(const std::filesystem::path &directory);

}  // namespace lendgate::plugin

#endif  // LENDGATE_PLUGIN_PLUGIN_HOST_H
