// The JSON Schema of the plugin's configuration, as the descriptor publishes it.
#ifndef LENDGATE_PLUGINS_JSON_CONFIG_SCHEMA_H
#define LENDGATE_PLUGINS_JSON_CONFIG_SCHEMA_H

namespace lendgate::json_plugin {

extern const char *const kConfigSchema;

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_CONFIG_SCHEMA_H
