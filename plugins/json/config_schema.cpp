#include "config_schema.h"

namespace lendgate::json_plugin {

// Every object refuses keys it does not know, so a misspelt key fails at start-up.
const char *const kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/json.config.json",
  "title": "lendgate json plugin configuration",
  "description": "Two closed variants: canonical pass-through (the default, {} included) and mapped.",
  "type": "object",
  "oneOf": [
    {
      "type": "object", "additionalProperties": false,
      "properties": {
        "mode": {"const": "canonical", "description": "Records pass through as written."},
        "output": {"$ref": "#/definitions/output"},
        "max_record_bytes": {"$ref": "#/definitions/max_record_bytes"},
        "pretty": {"$ref": "#/definitions/pretty"}
      }
    },
    {
      "type": "object", "additionalProperties": false, "required": ["mode", "types"],
      "properties": {
        "mode": {"const": "mapped", "description": "Partner JSON <-> canonical records by JSON Pointer."},
        "output": {"$ref": "#/definitions/output"},
        "max_record_bytes": {"$ref": "#/definitions/max_record_bytes"},
        "pretty": {"$ref": "#/definitions/pretty"},
        "schema_version": {"type": "string", "minLength": 1, "default": "1.0",
                           "description": "The envelope schema_version of decoded records."},
        "types": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/type"},
                  "description": "One entry per canonical message type; decode takes the first whose when holds."}
      }
    }
  ],
  "definitions": {
    "output": {"enum": ["jsonl", "array"], "default": "jsonl",
               "description": "Encode as JSON lines (one record per line) or as one JSON array."},
    "max_record_bytes": {"type": "integer", "minimum": 64, "maximum": 67108864, "default": 1048576,
                         "description": "A decoded record larger than this is refused and skipped."},
    "pretty": {"type": "boolean", "default": false, "description": "Indent encoded records; only with output array."},
    "pointer": {"type": "string", "maxLength": 512, "pattern": "^(/([^~/]|~[01])*)*$",
                "description": "RFC 6901 JSON Pointer; an all-digit segment is an array position."},
    "scalar": {"type": ["string", "integer", "boolean"]},
    "condition": {
      "type": "object", "additionalProperties": false, "required": ["from"],
      "properties": {
        "from": {"$ref": "#/definitions/pointer"},
        "in": {"type": "array", "minItems": 1, "items": {"type": "string"}}
      }
    },
    "transform": {"enum": ["trim", "upper", "code_table", "decimal", "cents_to_decimal", "integer", "string", "boolean"]},
    "field": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "from": {"$ref": "#/definitions/pointer", "description": "Where the value is in the partner's record."},
        "to": {"$ref": "#/definitions/pointer", "description": "Where the value is in the canonical record."},
        "const": {"$ref": "#/definitions/scalar"},
        "default": {"$ref": "#/definitions/scalar"},
        "transform": {"oneOf": [{"$ref": "#/definitions/transform"},
                                {"type": "array", "items": {"$ref": "#/definitions/transform"}}]},
        "codes": {"type": "object", "minProperties": 1,
                  "additionalProperties": {"oneOf": [{"type": "string"},
                                                     {"type": "array", "minItems": 1, "items": {"type": "string"}}]}},
        "boolean_text": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}},
        "type": {"enum": ["string", "number", "integer", "boolean"]},
        "required": {"type": "boolean"},
        "direction": {"enum": ["both", "decode", "encode"]},
        "when": {"$ref": "#/definitions/condition"},
        "each": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/field"}}
      }
    },
    "type": {
      "type": "object", "additionalProperties": false, "required": ["message_type", "fields"],
      "properties": {
        "message_type": {"enum": ["delinquency_notice", "account_update", "consent", "hardship_application",
                                  "hardship_decision", "repossession_assignment", "repossession_outcome",
                                  "referral", "referral_update", "ack"]},
        "when": {"$ref": "#/definitions/condition"},
        "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/field"}}
      }
    }
  }
})json";

}  // namespace lendgate::json_plugin
