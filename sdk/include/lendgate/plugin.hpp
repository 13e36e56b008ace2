// Header-only C++ layer over lendgate/plugin.h.
//
// A plugin author derives from lendgate::Plugin, describes it with a static
// traits() function and writes LENDGATE_EXPORT_PLUGIN(Class) once:
//
//   class Upper : public lendgate::Plugin {
//   public:
//     static lendgate::PluginTraits traits();
//     Upper(const lendgate::Host& host, std::string_view config_json);
//     void decode(lendgate::DecodeContext& ctx) override;
//   };
//   LENDGATE_EXPORT_PLUGIN(Upper)
//
// Every callback is wrapped: a lendgate::PluginError becomes its status, any
// other exception becomes LENDGATE_ERR_INTERNAL with its what() text. Nothing
// from the C++ standard library crosses the ABI.
//
// SPDX-License-Identifier: Apache-2.0
#ifndef LENDGATE_PLUGIN_HPP
#define LENDGATE_PLUGIN_HPP

#include <lendgate/plugin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace lendgate {

/// Thrown inside a plugin to fail the current call with a given status.
class PluginError : public std::runtime_error {
public:
    PluginError(lendgate_status status, std::string code, const std::string &message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    lendgate_status status() const noexcept { return status_; }
    const std::string &code() const noexcept { return code_; }

private:
    lendgate_status status_;
    std::string code_;
};

/// The input as a whole is unusable (exit 2 / HTTP 400 / ACK REJECTED).
inline PluginError inputError(std::string code, const std::string &message) {
    return PluginError(LENDGATE_ERR_INPUT, std::move(code), message);
}

/// The configuration cannot be used.
inline PluginError configError(std::string code, const std::string &message) {
    return PluginError(LENDGATE_ERR_CONFIG, std::move(code), message);
}

/// Where a record or error was found; see lendgate_location.
struct Location {
    std::uint64_t record = 0;
    std::uint64_t line = 0;
    std::uint64_t byteOffset = 0;
    std::string path;

    lendgate_location toC() const noexcept {
        return lendgate_location{record, line, byteOffset, path.empty() ? nullptr : path.c_str()};
    }
};

/// What the host offers: logging (never personal data) and a clock.
class Host {
public:
    explicit Host(const lendgate_host_api *api) noexcept : api_(api) {}
    void log(lendgate_log_level level, std::string_view message) const noexcept {
        if (api_ != nullptr && api_->log != nullptr) api_->log(api_->ctx, level, message.data(), message.size());
    }
    std::int64_t nowUnixMs() const noexcept {
        return api_ != nullptr && api_->now_unix_ms != nullptr ? api_->now_unix_ms(api_->ctx) : 0;
    }
    /// The folder of the configuration file ("" if unknown or an older host):
    /// resolve relative paths found in the configuration against it.
    std::string_view configDir() const noexcept {
        constexpr std::size_t needed = offsetof(lendgate_host_api, config_dir) + sizeof(const char *);
        if (api_ == nullptr || api_->struct_size < needed || api_->config_dir == nullptr) return {};
        return api_->config_dir;
    }
    /// `path` as written in the configuration, made absolute against configDir().
    std::string resolveConfigPath(std::string_view path) const {
        const std::string_view dir = configDir();
        if (path.empty() || path.front() == '/' || dir.empty()) return std::string(path);
        std::string joined(dir);
        if (joined.back() != '/') joined += '/';
        joined += path;
        return joined;
    }

private:
    const lendgate_host_api *api_;
};

/// Buffered pull reader over the host's input, with byte offset and line count.
class InputStream {
public:
    explicit InputStream(const lendgate_reader *reader, std::size_t bufferSize = 64 * 1024)
        : reader_(reader), buffer_(new char[bufferSize]), capacity_(bufferSize) {}

    /// Next byte, or -1 at the end of input. Throws PluginError on I/O failure.
    int get() {
        if (pos_ == size_ && !fill()) return -1;
        ++offset_;
        return static_cast<unsigned char>(buffer_[pos_++]);
    }
    /// Next byte without consuming it, or -1 at the end.
    int peek() {
        if (pos_ == size_ && !fill()) return -1;
        return static_cast<unsigned char>(buffer_[pos_]);
    }
    /// Bytes consumed so far.
    std::uint64_t offset() const noexcept { return offset_; }

    /// Reads up to `capacity` bytes; returns 0 at the end of input.
    std::size_t read(char *out, std::size_t capacity) {
        std::size_t copied = 0;
        while (copied < capacity) {
            if (pos_ == size_ && capacity - copied >= capacity_) {
                // Room for a whole buffer: read straight into the caller's memory rather than copying twice.
                const std::size_t n = readHost(out + copied, capacity - copied);
                if (n == 0) break;
                copied += n;
                continue;
            }
            if (pos_ == size_ && !fill()) break;
            std::size_t n = std::min(capacity - copied, size_ - pos_);
            std::memcpy(out + copied, buffer_.get() + pos_, n);
            pos_ += n;
            copied += n;
        }
        offset_ += copied;
        return copied;
    }

private:
    bool fill() {
        const std::size_t n = readHost(buffer_.get(), capacity_);
        pos_ = 0;
        size_ = n;
        return n != 0;
    }
    // One read from the host; 0 at the end of input, and from then on.
    std::size_t readHost(char *out, std::size_t capacity) {
        if (eof_) return 0;
        std::size_t n = 0;
        int status = reader_->read(reader_->ctx, out, capacity, &n);
        if (status != LENDGATE_OK) throw PluginError(LENDGATE_ERR_IO, "io.read", "reading the input failed");
        if (n == 0) eof_ = true;
        return n;
    }

    const lendgate_reader *reader_;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_;
    std::size_t pos_ = 0;
    std::size_t size_ = 0;
    std::uint64_t offset_ = 0;
    bool eof_ = false;
};

/// Everything decode() works with: the input, the record sink, diagnostics.
class DecodeContext {
public:
    DecodeContext(const char *messageType, const lendgate_reader *in, const lendgate_record_sink *out,
                  const lendgate_diagnostics *diag)
        : messageType_(messageType != nullptr ? messageType : ""), input_(in), out_(out), diag_(diag) {}

    /// The type the host expects, or empty when the plugin decides per record.
    std::string_view expectedType() const noexcept { return messageType_; }
    InputStream &input() noexcept { return input_; }

    /// Emits one canonical record. Throws PluginError(ABORTED) if the host asks to stop.
    void emit(std::string_view messageType, std::string_view json, const Location &where) {
        // The ABI takes a NUL-terminated type: a short one is terminated on the stack rather than in a new
        // string per record.
        char shortType[64];
        std::string longType;
        const char *type = shortType;
        if (messageType.size() < sizeof shortType) {
            if (!messageType.empty()) std::memcpy(shortType, messageType.data(), messageType.size());
            shortType[messageType.size()] = '\0';
        } else {
            longType.assign(messageType);
            type = longType.c_str();
        }
        lendgate_location loc = where.toC();
        if (out_->record(out_->ctx, type, json.data(), json.size(), &loc) != 0)
            throw PluginError(LENDGATE_ERR_ABORTED, "host.aborted", "the host stopped decoding");
    }

    /// Reports one unusable record; the caller carries on with the next one.
    /// `message` must not contain the offending value.
    void recordError(const Location &where, std::string_view code, std::string_view field, std::string_view message) {
        std::string c(code), f(field), m(message);
        lendgate_location loc = where.toC();
        diag_->record_error(diag_->ctx, &loc, c.c_str(), f.c_str(), m.c_str());
    }

private:
    std::string messageType_;
    InputStream input_;
    const lendgate_record_sink *out_;
    const lendgate_diagnostics *diag_;
};

/// Everything encode() works with: the record source, the byte writer, diagnostics.
class EncodeContext {
public:
    EncodeContext(const char *messageType, const lendgate_record_source *in, const lendgate_writer *out,
                  const lendgate_diagnostics *diag)
        : messageType_(messageType != nullptr ? messageType : ""), in_(in), out_(out), diag_(diag) {}

    std::string_view messageType() const noexcept { return messageType_; }

    /// Next canonical record (valid until the next call), or false at the end.
    bool next(std::string_view &json) {
        const char *data = nullptr;
        std::size_t len = 0;
        int rc = in_->next(in_->ctx, &data, &len);
        if (rc < 0) throw PluginError(LENDGATE_ERR_IO, "io.source", "reading the records failed");
        if (rc == 0) return false;
        ++recordNumber_;
        json = std::string_view(data, len);
        return true;
    }
    /// 1-based number of the record last returned by next().
    std::uint64_t recordNumber() const noexcept { return recordNumber_; }

    void write(std::string_view bytes) {
        if (bytes.empty()) return;
        if (out_->write(out_->ctx, bytes.data(), bytes.size()) != LENDGATE_OK)
            throw PluginError(LENDGATE_ERR_IO, "io.write", "writing the output failed");
    }

    void recordError(const Location &where, std::string_view code, std::string_view field, std::string_view message) {
        std::string c(code), f(field), m(message);
        lendgate_location loc = where.toC();
        diag_->record_error(diag_->ctx, &loc, c.c_str(), f.c_str(), m.c_str());
    }

private:
    std::string messageType_;
    const lendgate_record_source *in_;
    const lendgate_writer *out_;
    const lendgate_diagnostics *diag_;
    std::uint64_t recordNumber_ = 0;
};

/// For a plugin that declares ackSlices: tells the next slice of the ACK
/// being written (write only its payload.records rows) from a new record.
class AckSliceTracker {
public:
    /// Call once per record, in order.
    bool continues(std::string_view messageType, std::string_view messageId) {
        const bool same = messageType == "ack" && !messageId.empty() && messageId == last_;
        last_ = messageType == "ack" ? std::string(messageId) : std::string();
        return same;
    }

private:
    std::string last_;
};

/// Static description of a plugin, returned by the author's traits().
struct PluginTraits {
    const char *name;
    const char *version;
    const char *description;
    const char *configSchema;
    std::span<const lendgate_format> decodes;
    std::span<const lendgate_format> encodes;
    bool streaming = true;
    bool ackSlices = false;  ///< LENDGATE_CAP_ACK_SLICES: see plugin.h
};

/// Base class of every C++ plugin. Override what the traits advertise.
class Plugin {
public:
    virtual ~Plugin() = default;
    virtual void decode(DecodeContext &) {
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported", "this plugin does not decode");
    }
    virtual void encode(EncodeContext &) {
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported", "this plugin does not encode");
    }
};

namespace detail {

inline void reportFailure(const lendgate_diagnostics *diag, const char *code, const char *message) noexcept {
    if (diag != nullptr && diag->fail != nullptr) diag->fail(diag->ctx, code, message);
}

// Runs `body` and turns every exception into a status the host understands.
template <class Body>
int guarded(const lendgate_diagnostics *diag, Body &&body) noexcept {
    try {
        body();
        return LENDGATE_OK;
    } catch (const PluginError &e) {
        reportFailure(diag, e.code().c_str(), e.what());
        return e.status();
    } catch (const std::bad_alloc &) {
        reportFailure(diag, "plugin.out_of_memory", "the plugin ran out of memory");
    } catch (const std::exception &e) {
        reportFailure(diag, "plugin.internal", e.what());
    } catch (...) {
        reportFailure(diag, "plugin.internal", "the plugin threw an unknown exception");
    }
    return LENDGATE_ERR_INTERNAL;
}

template <class P>
struct Adapter {
    static int create(const lendgate_host_api *host, const char *config, std::size_t len, void **instance,
                      const lendgate_diagnostics *diag) noexcept {
        return guarded(diag, [&] {
            *instance = nullptr;
            auto plugin = std::make_unique<P>(Host(host), std::string_view(config != nullptr ? config : "", len));
            *instance = static_cast<Plugin *>(plugin.release());
        });
    }
    static void destroy(void *instance) noexcept { delete static_cast<Plugin *>(instance); }
    static int decode(void *instance, const char *type, const lendgate_reader *in, const lendgate_record_sink *out,
                      const lendgate_diagnostics *diag) noexcept {
        return guarded(diag, [&] {
            DecodeContext ctx(type, in, out, diag);
            static_cast<Plugin *>(instance)->decode(ctx);
        });
    }
    static int encode(void *instance, const char *type, const lendgate_record_source *in, const lendgate_writer *out,
                      const lendgate_diagnostics *diag) noexcept {
        return guarded(diag, [&] {
            EncodeContext ctx(type, in, out, diag);
            static_cast<Plugin *>(instance)->encode(ctx);
        });
    }
    static const lendgate_plugin_descriptor *descriptor() noexcept {
        static const lendgate_plugin_descriptor d = [] {
            const PluginTraits t = P::traits();
            lendgate_plugin_descriptor out{};
            out.struct_size = sizeof(lendgate_plugin_descriptor);
            out.abi_major = LENDGATE_ABI_MAJOR;
            out.abi_minor = LENDGATE_ABI_MINOR;
            out.name = t.name;
            out.version = t.version;
            out.description = t.description;
            out.config_schema = t.configSchema;
            out.capabilities =
                (t.decodes.empty() ? 0u : LENDGATE_CAP_DECODE) | (t.encodes.empty() ? 0u : LENDGATE_CAP_ENCODE) |
                (t.streaming ? LENDGATE_CAP_STREAMING : 0u) | (t.ackSlices ? LENDGATE_CAP_ACK_SLICES : 0u);
            out.decodes = t.decodes.data();
            out.decodes_count = t.decodes.size();
            out.encodes = t.encodes.data();
            out.encodes_count = t.encodes.size();
            out.create = &Adapter::create;
            out.destroy = &Adapter::destroy;
            out.decode = &Adapter::decode;
            out.encode = &Adapter::encode;
            return out;
        }();
        return &d;
    }
};

}  // namespace detail
}  // namespace lendgate

/// Exports `Class` as the library's plugin. Use once per shared library.
#define LENDGATE_EXPORT_PLUGIN(Class)                                                                               \
    extern "C" LENDGATE_PLUGIN_EXPORT const lendgate_plugin_descriptor *lendgate_plugin_entry(uint16_t, uint16_t) { \
        return ::lendgate::detail::Adapter<Class>::descriptor();                                                    \
    }

#endif  // LENDGATE_PLUGIN_HPP
