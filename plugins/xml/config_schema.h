#ifndef LENDGATE_PLUGINS_XML_CONFIG_SCHEMA_H
#define LENDGATE_PLUGINS_XML_CONFIG_SCHEMA_H

namespace lendgate::xml {

/// JSON Schema (draft-07) text of the plugin configuration; see README.md.
extern const char *const kConfigSchema;

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_CONFIG_SCHEMA_H
