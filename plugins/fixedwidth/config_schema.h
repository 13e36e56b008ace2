#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_SCHEMA_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_SCHEMA_H

namespace lendgate::fixedwidth {

/// JSON Schema (draft-07) text of the plugin configuration; see README.md.
extern const char *const kConfigSchema;

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_SCHEMA_H
