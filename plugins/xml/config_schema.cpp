// JSON Schema (draft-07) of the xml plugin's configuration, handed to the
// host in the descriptor. `additionalProperties: false` on every object whose
// keys are ours, so a misspelt key fails start-up instead of being silently
// ignored; `codes`, `namespaces` and `root_attributes` map partner names, so
// their keys are data.
#include "config_schema.h"

namespace lendgate::xml {

const char *const kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/xml.config.json",
  "title": "lendgate xml plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "required": ["message_type", "root", "fields"],
  "properties": {
    "message_type": {"type": "string", "pattern": "^[a-z][a-z_]*$",
                     "description": "Canonical message type of every record."},
    "schema_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$", "default": "1.0"},
    "root": {"$ref": "#/definitions/name", "description": "Local name of the document element."},
    "record": {"$ref": "#/definitions/name",
               "description": "Local name of the record element repeated under the root; absent: the root is the one record."},
    "namespace": {"$ref": "#/definitions/uri",
                  "description": "Namespace of the root, the record and every unprefixed element in a path."},
    "namespaces": {"type": "object", "maxProperties": 16,
                   "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_.-]*$", "maxLength": 32},
                   "additionalProperties": {"$ref": "#/definitions/uri"},
                   "description": "Prefixes usable in paths (p:Name), declared on the root when encoding."},
    "xsd": {"type": "string", "minLength": 1, "maxLength": 1024,
            "description": "XSD each record is validated against when decoding; a relative path is taken from the working directory."},
    "root_attributes": {"type": "object", "maxProperties": 32,
                        "additionalProperties": {"type": "string", "maxLength": 1024},
                        "description": "Fixed attributes the encoder writes on the root element."},
    "indent": {"type": "boolean", "default": true, "description": "Indent the encoded document."},
    "limits": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_depth": {"type": "integer", "minimum": 2, "maximum": 200, "default": 32},
        "max_record_bytes": {"type": "integer", "minimum": 1024, "maximum": 67108864, "default": 1048576},
        "max_record_nodes": {"type": "integer", "minimum": 8, "maximum": 1000000, "default": 10000},
        "max_text_bytes": {"type": "integer", "minimum": 16, "maximum": 8388608, "default": 65536}
      }
    },
    "fields": {"$ref": "#/definitions/fields"}
  },
  "definitions": {
    "name": {"type": "string", "pattern": "^([A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$", "maxLength": 128},
    "uri": {"type": "string", "minLength": 1, "maxLength": 512},
    "path": {"type": "string", "maxLength": 512,
             "pattern": "^(\\.|@[^/@\\s]+|[^/@\\s]+(/[^/@\\s]+)*(/@[^/@\\s]+)?)$",
             "description": "Element path relative to the record (or group): Name/Name, Name/@attribute, @attribute or ."},
    "pointer": {"type": "string", "pattern": "^(/[^/]+)+$", "maxLength": 256,
                "description": "JSON Pointer into the record (a digit segment is an array index); in a group, relative to the group's."},
    "date_format": {"type": "string", "minLength": 4, "maxLength": 32,
                    "description": "Pattern style (MM/DD/YYYY, YYYYMMDD) or strftime style (%m/%d/%Y)."},
    "transform": {"enum": ["trim", "upper", "lower", "decimal", "integer", "boolean", "date", "date_time",
                           "code_table"]},
    "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/field"}},
    "field": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "path": {"$ref": "#/definitions/path"},
        "const": {"type": ["string", "integer", "boolean"]},
        "to": {"$ref": "#/definitions/pointer"},
        "transform": {
          "oneOf": [
            {"$ref": "#/definitions/transform"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/transform"}}
          ]
        },
        "format": {"$ref": "#/definitions/date_format"},
        "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"},
        "utc_offset": {"type": "string", "pattern": "^(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"},
        "codes": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        "required": {"type": "boolean", "default": false},
        "repeat": {"type": "boolean", "default": false,
                   "description": "Each occurrence of the element is one element of the array at `to`."},
        "fields": {"$ref": "#/definitions/fields",
                   "description": "A group: paths below are relative to `path`, pointers to `to`."}
      },
      "anyOf": [{"required": ["path"]}, {"required": ["const"]}]
    }
  }
})json";

}  // namespace lendgate::xml
