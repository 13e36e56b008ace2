// Private to core/config: what the gateway and partner loaders share.
#ifndef LENDGATE_CONFIG_CONFIG_INTERNAL_H
#define LENDGATE_CONFIG_CONFIG_INTERNAL_H

#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/config/gateway_config.h"
#include "core/plugin/plugin_host.h"

namespace lendgate::config {

/// Collects problems for one file.
class ProblemSink {
public:
    ProblemSink(std::vector<ConfigProblem> &problems, fs::path file) : problems_(problems), file_(std::move(file)) {}
    void error(std::string pointer, std::string message) {
        problems_.push_back(ConfigProblem{file_, std::move(pointer), std::move(message), false});
    }
    void warning(std::string pointer, std::string message) {
        problems_.push_back(ConfigProblem{file_, std::move(pointer), std::move(message), true});
    }
    const fs::path &file() const { return file_; }

private:
    std::vector<ConfigProblem> &problems_;
    fs::path file_;
};

/// Reads, strictly parses and schema-checks one JSON configuration file.
std::optional<nlohmann::json> readConfigDocument(const fs::path &file, std::string_view schemaText, ProblemSink &sink);

/// Plugins are loaded once per name, whatever number of partners use them.
class PluginCache {
public:
    explicit PluginCache(fs::path directory) : directory_(std::move(directory)) {}
    /// The plugin, or nullptr with `why` set.
    std::shared_ptr<plugin::PluginLibrary> get(const std::string &name, std::string &why);

private:
    fs::path directory_;
    std::map<std::string, std::shared_ptr<plugin::PluginLibrary>> loaded_;
    std::map<std::string, std::string> failed_;
};

/// A secret_ref object ({"env"}, {"file"} relative to `base`, {"sealed"}).
SecretRef readSecret(const nlohmann::json &ref, const fs::path &base);
/// Warns when an environment variable or file secret is not there (yet).
void checkSecretAvailable(const SecretRef &secret, const std::string &pointer, ProblemSink &sink);

/// Loads and checks one partner file.
std::optional<Partner> loadPartner(const fs::path &file, PluginCache &plugins, std::vector<ConfigProblem> &problems);

}  // namespace lendgate::config

#endif  // LENDGATE_CONFIG_CONFIG_INTERNAL_H
