#ifndef LENDGATE_PLUGINS_DELIMITED_CONFIG_SCHEMA_H
#define LENDGATE_PLUGINS_DELIMITED_CONFIG_SCHEMA_H

namespace lendgate::delimited {

/// JSON Schema (draft-07) text of the plugin configuration; see README.md.
extern const char *const kConfigSchema;

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_CONFIG_SCHEMA_H
