#include <dlfcn.h>
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <system_error>

#include <lendgate/plugin.h>
#include <boost/dll/shared_library.hpp>

#include "core/common/strict_json.h"
#include "core/plugin/plugin_internal.h"

namespace lendgate::plugin {

namespace fs = std::filesystem;

bool PluginInfo::canDecode() const {
    return (capabilities & LENDGATE_CAP_DECODE) != 0;
}
bool PluginInfo::canEncode() const {
    return (capabilities & LENDGATE_CAP_ENCODE) != 0;
}
bool PluginInfo::streams() const {
    return (capabilities & LENDGATE_CAP_STREAMING) != 0;
}

bool PluginInfo::takesAckSlices() const {
    return (capabilities & LENDGATE_CAP_ACK_SLICES) != 0;
}

std::size_t minimumDescriptorSize(std::uint16_t abiMinor) {
    // One row per minor version of ABI 1; a new minor appends fields and a row.
    // 1.1 added lendgate_host_api.config_dir; the descriptor did not change.
    static constexpr std::size_t sizes[] = {LENDGATE_DESCRIPTOR_SIZE_1_0, LENDGATE_DESCRIPTOR_SIZE_1_0};
    static_assert(std::size(sizes) == LENDGATE_ABI_MINOR + 1, "add the new minor's descriptor size");
    return sizes[std::min<std::size_t>(abiMinor, std::size(sizes) - 1)];
}

namespace {

Error loadError(const fs::path &file, std::string code, const std::string &why) {
    return Error{std::move(code), "plugin " + file.string() + ": " + why};
}

// Boost.DLL 1.74 reports "Bad file descriptor" for a missing file, a text
// file and a missing dependency alike, so look at the file ourselves first.
std::optional<Error> checkElfSharedObject(const fs::path &file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return loadError(file, "plugin.not_found", "file not found");
    if (!fs::is_regular_file(file, ec)) return loadError(file, "plugin.not_a_file", "not a regular file");
    std::ifstream in(file, std::ios::binary);
    if (!in) return loadError(file, "plugin.unreadable", "cannot be opened for reading");
    Elf64_Ehdr header{};
    in.read(reinterpret_cast<char *>(&header), sizeof header);
    std::streamsize got = in.gcount();
    if (got < EI_NIDENT || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
        return loadError(file, "plugin.not_elf", "not a shared library (no ELF header)");
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || got < static_cast<std::streamsize>(sizeof header))
        return loadError(file, "plugin.wrong_class", "not a 64-bit ELF file");
    if (header.e_type != ET_DYN)
        return loadError(file, "plugin.not_shared", "an ELF file but not a shared library (ET_DYN)");
#if defined(__x86_64__)
    if (header.e_machine != EM_X86_64) return loadError(file, "plugin.wrong_machine", "built for another CPU");
#elif defined(__aarch64__)
    if (header.e_machine != EM_AARCH64) return loadError(file, "plugin.wrong_machine", "built for another CPU");
#endif
    return std::nullopt;
}

std::string orEmpty(const char *text) {
    return text != nullptr ? text : "";
}

std::vector<Format> copyFormats(const lendgate_format *formats, std::size_t count) {
    std::vector<Format> out;
    if (formats == nullptr) return out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(Format{orEmpty(formats[i].message_type), orEmpty(formats[i].media_type)});
    return out;
}

std::string version(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// Checks the handshake fields before anything else in the descriptor is read.
std::optional<Error> checkDescriptor(const fs::path &file, const lendgate_plugin_descriptor *d) {
    const std::string host = version(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (d->abi_major != LENDGATE_ABI_MAJOR)
        return loadError(file, "plugin.abi_major",
                         "built for plugin ABI " + version(d->abi_major, d->abi_minor) +
                             " but this gateway speaks ABI " + host + "; rebuild the plugin against the lendgate SDK " +
                             std::to_string(LENDGATE_ABI_MAJOR) + ".x");
    if (d->abi_minor > LENDGATE_ABI_MINOR)
        return loadError(file, "plugin.abi_minor",
                         "built for plugin ABI " + version(d->abi_major, d->abi_minor) +
                             ", newer than this gateway's ABI " + host +
                             "; upgrade the gateway or rebuild the plugin against an older SDK");
    std::size_t needed = minimumDescriptorSize(d->abi_minor);
    if (d->struct_size < needed)
        return loadError(file, "plugin.descriptor_size",
                         "descriptor is " + std::to_string(d->struct_size) + " bytes but ABI " +
                             version(d->abi_major, d->abi_minor) + " needs at least " + std::to_string(needed) +
                             "; the plugin was built with a broken or mismatched SDK header");
    auto missing = [&](const char *what) {
        return loadError(file, "plugin.descriptor_incomplete", std::string("descriptor has no ") + what);
    };
    if (d->name == nullptr || *d->name == '\0') return missing("name");
    if (d->version == nullptr) return missing("version");
    if (d->config_schema == nullptr) return missing("config schema");
    if (d->create == nullptr || d->destroy == nullptr) return missing("create/destroy functions");
    if ((d->capabilities & LENDGATE_CAP_DECODE) && (d->decode == nullptr || d->decodes == nullptr))
        return missing("decode function or decodable types, though it claims to decode");
    if ((d->capabilities & LENDGATE_CAP_ENCODE) && (d->encode == nullptr || d->encodes == nullptr))
        return missing("encode function or encodable types, though it claims to encode");
    return std::nullopt;
}

}  // namespace

PluginLibrary::PluginLibrary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PluginLibrary::~PluginLibrary() = default;

const PluginInfo &PluginLibrary::info() const {
    return impl_->info;
}

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const fs::path &requested) {
    const fs::path file = requested.is_absolute() ? requested : fs::absolute(requested);
    if (auto problem = checkElfSharedObject(file)) return *problem;

    // dlopen once ourselves to keep dlerror()'s text (missing dependency,
    // undefined symbol): Boost.DLL resets it and says "Bad file descriptor".
    void *probe = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (probe == nullptr) {
        const char *why = dlerror();
        return loadError(file, "plugin.dlopen", std::string("cannot be loaded: ") + (why ? why : "unknown error"));
    }

    auto impl = std::make_unique<Impl>();
    std::error_code ec;
    impl->library.load(boost::dll::fs::path(file), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                       ec);
    dlclose(probe);
    if (ec) return loadError(file, "plugin.dlopen", "cannot be loaded: " + ec.message());

    if (!impl->library.has(LENDGATE_PLUGIN_ENTRY_SYMBOL))
        return loadError(file, "plugin.no_entry",
                         std::string("exports no ") + LENDGATE_PLUGIN_ENTRY_SYMBOL +
                             " function; build it with lendgate_add_plugin() and LENDGATE_EXPORT_PLUGIN()");
    auto entry = impl->library.get<const lendgate_plugin_descriptor *(std::uint16_t, std::uint16_t)>(
        LENDGATE_PLUGIN_ENTRY_SYMBOL);
    const lendgate_plugin_descriptor *descriptor = entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (descriptor == nullptr) return loadError(file, "plugin.no_descriptor", "entry function returned no descriptor");
    if (auto problem = checkDescriptor(file, descriptor)) return *problem;

    // Copy what the plugin declared; fields of later minors keep their defaults.
    std::memcpy(&impl->descriptor, descriptor, std::min<std::size_t>(descriptor->struct_size, sizeof impl->descriptor));
    impl->descriptor.struct_size = sizeof impl->descriptor;
    const lendgate_plugin_descriptor &d = impl->descriptor;

    PluginInfo &info = impl->info;
    info.file = file;
    info.name = d.name;
    info.version = d.version;
    info.description = orEmpty(d.description);
    info.configSchema = d.config_schema;
    info.abiMajor = d.abi_major;
    info.abiMinor = d.abi_minor;
    info.capabilities = d.capabilities;
    info.decodes = copyFormats(d.decodes, d.decodes_count);
    info.encodes = copyFormats(d.encodes, d.encodes_count);

    if (auto problem = impl->compileConfigSchema()) return loadError(file, "plugin.config_schema", *problem);
    return std::shared_ptr<PluginLibrary>(new PluginLibrary(std::move(impl)));
}

PluginScan scanPluginDirectory(const fs::path &directory) {
    PluginScan scan;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".so") files.push_back(it->path());
    if (ec) {
        scan.failures.push_back(Error{"plugin.directory", "plugin folder " + directory.string() + ": " + ec.message()});
        return scan;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path &file : files) {
        auto loaded = PluginLibrary::load(file);
        if (loaded)
            scan.loaded.push_back(std::move(loaded).value());
        else
            scan.failures.push_back(loaded.error());
    }
    return scan;
}

}  // namespace lendgate::plugin
