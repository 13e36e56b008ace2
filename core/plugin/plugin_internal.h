// Private to core/plugin: what PluginLibrary and PluginInstance share.
#ifndef LENDGATE_PLUGIN_PLUGIN_INTERNAL_H
#define LENDGATE_PLUGIN_PLUGIN_INTERNAL_H

#include <memory>
#include <optional>
#include <string>

#include <lendgate/plugin.h>
#include <boost/dll/shared_library.hpp>

#include "core/common/json_schema.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::plugin {

/// Smallest descriptor a plugin declaring ABI 1.`abiMinor` may report.
std::size_t minimumDescriptorSize(std::uint16_t abiMinor);

struct PluginLibrary::Impl {
    boost::dll::shared_library library;
    lendgate_plugin_descriptor descriptor{};
    PluginInfo info;
    std::shared_ptr<const JsonSchema> configSchema;

    /// Parses the descriptor's config schema; returns why it is unusable.
    std::optional<std::string> compileConfigSchema();
    /// Returns why `config` does not satisfy the schema (all reasons, one per line).
    std::optional<std::string> checkConfig(std::string_view configJson, std::string_view origin) const;
};

}  // namespace lendgate::plugin

#endif  // LENDGATE_PLUGIN_PLUGIN_INTERNAL_H
