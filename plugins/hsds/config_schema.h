#ifndef LENDGATE_PLUGINS_HSDS_CONFIG_SCHEMA_H
#define LENDGATE_PLUGINS_HSDS_CONFIG_SCHEMA_H

namespace lendgate::hsds {

/// JSON Schema (draft-07) text of the plugin configuration; see README.md.
extern const char *const kConfigSchema;

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_CONFIG_SCHEMA_H
