// JSON Schema (draft-07) of the fixed-width plugin's configuration, handed to
// the host in the descriptor. `additionalProperties: false` on every object
// whose keys are ours, so a misspelt key fails start-up instead of being
// silently ignored; `codes` maps partner codes, so its keys are data.
#include "config_schema.h"

namespace lendgate::fixedwidth {

const char *const kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/fixedwidth.config.json",
  "title": "lendgate fixed-width plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "required": ["record_type", "records"],
  "properties": {
    "schema_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$", "default": "1.0"},
    "record_length": {"$ref": "#/definitions/length",
                      "description": "Length in bytes of every record type that does not give its own."},
    "short_lines": {"enum": ["error", "pad"], "default": "error",
                    "description": "A line shorter than its record: a record error, or padded with spaces."},
    "long_lines": {"enum": ["error", "allow_trailing_spaces"], "default": "error"},
    "max_record_bytes": {"type": "integer", "minimum": 64, "maximum": 1048576, "default": 32768,
                         "description": "Largest line, line end included; a longer one is a record error and skipped."},
    "line_ending": {"enum": ["LF", "CRLF"], "default": "LF", "description": "Line end written on encode."},
    "record_type": {
      "type": "object",
      "additionalProperties": false,
      "required": ["start", "length"],
      "properties": {
        "start": {"$ref": "#/definitions/start"},
        "length": {"type": "integer", "minimum": 1, "maximum": 16}
      }
    },
    "header": {
      "type": "object",
      "additionalProperties": false,
      "required": ["code", "fields"],
      "properties": {
        "code": {"$ref": "#/definitions/code"},
        "length": {"$ref": "#/definitions/length"},
        "fields": {"type": "array", "items": {"$ref": "#/definitions/field"}}
      }
    },
    "records": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["code", "message_type", "fields"],
        "properties": {
          "code": {"$ref": "#/definitions/code"},
          "message_type": {"enum": ["delinquency_notice", "account_update", "consent", "hardship_application",
                                    "hardship_decision", "repossession_assignment", "repossession_outcome",
                                    "referral", "referral_update", "ack"]},
          "length": {"$ref": "#/definitions/length"},
          "idempotency_key": {
            "type": "object",
            "additionalProperties": false,
            "required": ["template"],
            "properties": {
              "template": {"type": "string", "minLength": 3, "maxLength": 256,
                           "description": "{FIELD} and {header.FIELD} name fields; the rest is literal."}
            }
          },
          "each": {"type": "string", "pattern": "^(/[^/]+)*/\\*$", "maxLength": 256,
                   "description": "Encode only: one line per element of this array (* binds the element)."},
          "fields": {"type": "array", "items": {"$ref": "#/definitions/field"}}
        }
      }
    },
    "trailer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["code", "fields"],
      "properties": {
        "code": {"$ref": "#/definitions/code"},
        "length": {"$ref": "#/definitions/length"},
        "fields": {"type": "array", "items": {"$ref": "#/definitions/field"}},
        "counts": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["field"],
            "properties": {
              "field": {"$ref": "#/definitions/name"},
              "records": {
                "oneOf": [
                  {"enum": ["details", "all"]},
                  {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/code"}}
                ],
                "default": "details"
              }
            }
          }
        },
        "sums": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["field", "of"],
            "properties": {
              "field": {"$ref": "#/definitions/name"},
              "of": {"$ref": "#/definitions/name"}
            }
          }
        }
      }
    }
  },
  "definitions": {
    "code": {"type": "string", "minLength": 1, "maxLength": 16},
    "name": {"type": "string", "minLength": 1, "maxLength": 64},
    "start": {"type": "integer", "minimum": 1, "maximum": 65536, "description": "1-based column, as specs write it."},
    "length": {"type": "integer", "minimum": 1, "maximum": 65536},
    "utc_offset": {"type": "string", "pattern": "^(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"},
    "field": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {
        "name": {"$ref": "#/definitions/name"},
        "start": {"$ref": "#/definitions/start"},
        "length": {"$ref": "#/definitions/length"},
        "header_field": {"$ref": "#/definitions/name"},
        "type": {"enum": ["text", "integer", "decimal", "date", "date_time", "boolean", "phone"], "default": "text"},
        "align": {"enum": ["left", "right"]},
        "pad": {"enum": ["space", "zero"]},
        "trim": {"enum": ["both", "left", "right", "none"], "default": "both"},
        "upper": {"type": "boolean", "default": false},
        "decimals": {"type": "integer", "minimum": 0, "maximum": 6, "default": 0},
        "decimal_point": {"type": "boolean", "default": false},
        "sign": {"enum": ["none", "leading", "trailing", "overpunch"], "default": "none"},
        "format": {"type": "string", "minLength": 4, "maxLength": 32,
                   "description": "YYYY (or CCYY), MM, DD, hh, mm, ss and separators: YYYYMMDD, MMDDYYYY, YYYYMMDDhhmmss."},
        "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"},
        "utc_offset": {"$ref": "#/definitions/utc_offset"},
        "true": {"type": "string", "minLength": 1, "maxLength": 16},
        "false": {"type": "string", "minLength": 1, "maxLength": 16},
        "codes": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        "value": {"type": "string", "minLength": 1},
        "to": {"type": "string", "pattern": "^(/[^/]+)+$", "maxLength": 256,
               "description": "JSON Pointer of the canonical value; digits are array indexes, * binds an each element."},
        "const": {"type": ["string", "integer", "boolean"]},
        "required": {"type": "boolean", "default": false},
        "truncate": {"type": "boolean", "default": false},
        "now": {"type": "boolean", "default": false},
        "when": {
          "type": "object",
          "additionalProperties": false,
          "required": ["field"],
          "properties": {
            "field": {"$ref": "#/definitions/name"},
            "in": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
          }
        }
      }
    }
  }
})json";

}  // namespace lendgate::fixedwidth
