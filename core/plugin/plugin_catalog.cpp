#include "core/plugin/plugin_catalog.h"

#include <fstream>
#include <sstream>

namespace lendgate::plugin {
namespace {

constexpr std::size_t kMaxIdlePerBinding = 8;

std::string poolKey(const std::string &plugin, const std::filesystem::path &configFile) {
    return plugin + '\0' + configFile.string();
}

}  // namespace

PluginCatalog::~PluginCatalog() {
    // Instances before the libraries whose code they run.
    pools_.clear();
    libraries_.clear();
}

Result<std::shared_ptr<PluginLibrary>> PluginCatalog::library(const std::string &plugin) {
    std::lock_guard lock(mutex_);
    if (auto it = libraries_.find(plugin); it != libraries_.end()) return it->second;
    auto loaded = PluginLibrary::load(pluginDir_ / ("lendgate-plugin-" + plugin + ".so"));
    if (!loaded) return loaded.error();
    libraries_.emplace(plugin, loaded.value());
    return loaded.value();
}

Result<PluginInfo> PluginCatalog::info(const std::string &plugin) {
    auto lib = library(plugin);
    if (!lib) return lib.error();
    return lib.value()->info();
}

Result<std::unique_ptr<PluginInstance>> PluginCatalog::take(const std::string &plugin,
                                                            const std::filesystem::path &configFile) {
    const auto key = poolKey(plugin, configFile);
    {
        std::lock_guard lock(mutex_);
        auto &pool = pools_[key];
        if (!pool.idle.empty()) {
            auto instance = std::move(pool.idle.back());
            pool.idle.pop_back();
            return instance;
        }
    }
    auto lib = library(plugin);
    if (!lib) return lib.error();
    std::string config = "{}";
    if (!configFile.empty()) {
        std::ifstream in(configFile, std::ios::binary);
        if (!in) return Error{"config", configFile.string() + ": cannot read the plugin configuration"};
        std::ostringstream text;
        text << in.rdbuf();
        config = text.str();
    }
    return lib.value()->instantiate(config, configFile.empty() ? plugin : configFile.string(), services_);
}

void PluginCatalog::giveBack(const std::string &key, std::unique_ptr<PluginInstance> instance) {
    std::lock_guard lock(mutex_);
    auto &pool = pools_[key];
    if (pool.idle.size() < kMaxIdlePerBinding) pool.idle.push_back(std::move(instance));
}

Result<CallOutcome> PluginCatalog::with(const std::string &plugin, const std::filesystem::path &configFile,
                                        const std::function<CallOutcome(PluginInstance &)> &call) {
    auto instance = take(plugin, configFile);
    if (!instance) return instance.error();
    auto outcome = call(*instance.value());
    giveBack(poolKey(plugin, configFile), std::move(instance.value()));
    return outcome;
}

}  // namespace lendgate::plugin
