// The daemon's plugins: each library loaded once, each (plugin, config file)
// instantiated on demand and shared by the intake and delivery threads.
//
// A plugin instance may keep state between calls, so one instance serves one
// call at a time; the catalog keeps a small pool per binding and makes another
// instance when every one is busy. Libraries stay loaded until the catalog is
// destroyed (unloading C++ code is unsafe in practice).
#ifndef LENDGATE_PLUGIN_PLUGIN_CATALOG_H
#define LENDGATE_PLUGIN_PLUGIN_CATALOG_H

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::plugin {

class PluginCatalog {
public:
    PluginCatalog(std::filesystem::path pluginDir, HostServices services)
        : pluginDir_(std::move(pluginDir)), services_(services) {}
    ~PluginCatalog();
    PluginCatalog(const PluginCatalog &) = delete;
    PluginCatalog &operator=(const PluginCatalog &) = delete;

    /// Runs `call` with an instance of `plugin` configured by `configFile`
    /// (lendgate-plugin-NAME.so in the plugin folder). Fails when the library
    /// or the instance cannot be made; the call's own outcome is the caller's.
    Result<CallOutcome> with(const std::string &plugin, const std::filesystem::path &configFile,
                             const std::function<CallOutcome(PluginInstance &)> &call);

    /// What a plugin says about itself (loading it if needed).
    Result<PluginInfo> info(const std::string &plugin);

private:
    struct Pool {
        std::vector<std::unique_ptr<PluginInstance>> idle;
    };

    Result<std::shared_ptr<PluginLibrary>> library(const std::string &plugin);
    Result<std::unique_ptr<PluginInstance>> take(const std::string &plugin, const std::filesystem::path &configFile);
    void giveBack(const std::string &key, std::unique_ptr<PluginInstance> instance);

    std::filesystem::path pluginDir_;
    HostServices services_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<PluginLibrary>> libraries_;
    std::map<std::string, Pool> pools_;  // key: plugin name + '\0' + config file
};

}  // namespace lendgate::plugin

#endif  // LENDGATE_PLUGIN_PLUGIN_CATALOG_H
