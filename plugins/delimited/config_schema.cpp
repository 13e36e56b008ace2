// JSON Schema (draft-07) of the delimited plugin's configuration, handed to
// the host in the descriptor. `additionalProperties: false` on every object
// whose keys are ours, so a misspelt key fails start-up instead of being
// silently ignored; `codes` maps partner codes, so its keys are data.
#include "config_schema.h"

namespace lendgate::delimited {

const char *const kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/delimited.config.json",
  "title": "lendgate delimited (CSV/TSV) plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "required": ["message_type", "fields"],
  "properties": {
    "message_type": {"type": "string", "pattern": "^[a-z][a-z_]*$",
                     "description": "Canonical message type of every detail record."},
    "schema_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$", "default": "1.0"},
    "delimiter": {"enum": [",", "\t", "|", ";"], "default": ","},
    "quote": {"type": "string", "maxLength": 1, "default": "\"",
              "description": "Quote character; empty for files without quoting."},
    "max_record_bytes": {"type": "integer", "minimum": 64, "maximum": 67108864, "default": 1048576},
    "header_row": {"type": "boolean", "default": true,
                   "description": "The first line names the detail columns (encode writes it)."},
    "columns": {"$ref": "#/definitions/column_list",
                "description": "Detail column names in file order: required without header_row when a mapping names a column; the order encode writes."},
    "bare_quote": {"enum": ["error", "data"], "default": "error",
                   "description": "A quote inside an unquoted field: a record error, or data."},
    "line_end": {"enum": ["CRLF", "LF"], "default": "CRLF", "description": "Encode: line end written."},
    "quote_style": {"enum": ["minimal", "always"], "default": "minimal",
                    "description": "Encode: quote only cells that need it, or every cell."},
    "spreadsheet_safe": {"type": "boolean", "default": false,
                         "description": "Encode: neutralise cells a spreadsheet would run as formulas."},
    "rows": {"$ref": "#/definitions/pointer",
             "description": "Encode only: one detail row per element of the array at this pointer of each record."},
    "record_types": {
      "type": "object",
      "additionalProperties": false,
      "required": ["column", "detail"],
      "properties": {
        "column": {"type": "integer", "minimum": 0, "maximum": 4095,
                   "description": "0-based position of the record type code in every row."},
        "detail": {"$ref": "#/definitions/code"},
        "header": {
          "type": "object",
          "additionalProperties": false,
          "required": ["code", "columns"],
          "properties": {
            "code": {"$ref": "#/definitions/code"},
            "columns": {"$ref": "#/definitions/column_list"},
            "values": {"$ref": "#/definitions/encode_values"}
          }
        },
        "trailer": {
          "type": "object",
          "additionalProperties": false,
          "required": ["code", "columns", "record_count"],
          "properties": {
            "code": {"$ref": "#/definitions/code"},
            "columns": {"$ref": "#/definitions/column_list"},
            "record_count": {"$ref": "#/definitions/column_name",
                             "description": "Trailer column holding the number of detail records."},
            "values": {"$ref": "#/definitions/encode_values"},
            "sums": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["column", "of"],
                "properties": {
                  "column": {"$ref": "#/definitions/column_name"},
                  "of": {"$ref": "#/definitions/column_ref"},
                  "decimals": {"type": "integer", "minimum": 0, "maximum": 6, "default": 0}
                }
              }
            }
          }
        }
      }
    },
    "idempotency_key": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "columns": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/column_ref"}},
        "separator": {"type": "string", "maxLength": 8, "default": "|"},
        "template": {"type": "string", "minLength": 3, "maxLength": 256}
      },
      "oneOf": [{"required": ["columns"]}, {"required": ["template"]}]
    },
    "occurred_at": {
      "type": "object",
      "additionalProperties": false,
      "required": ["format", "utc_offset"],
      "properties": {
        "column": {"$ref": "#/definitions/column_ref"},
        "header_column": {"$ref": "#/definitions/column_name"},
        "format": {"$ref": "#/definitions/date_format"},
        "time": {"$ref": "#/definitions/time"},
        "utc_offset": {"$ref": "#/definitions/utc_offset"}
      },
      "oneOf": [{"required": ["column"]}, {"required": ["header_column"]}]
    },
    "fields": {"type": "array", "items": {"$ref": "#/definitions/field"}}
  },
  "definitions": {
    "code": {"type": "string", "minLength": 1, "maxLength": 16},
    "column_name": {"type": "string", "minLength": 1, "maxLength": 128},
    "column_ref": {"oneOf": [{"$ref": "#/definitions/column_name"},
                             {"type": "integer", "minimum": 0, "maximum": 4095}],
                   "description": "A detail column by name, or by 0-based position."},
    "pointer": {"type": "string", "pattern": "^(/[^/]+)+$", "maxLength": 256},
    "column_list": {"type": "array", "minItems": 1, "uniqueItems": true,
                    "items": {"$ref": "#/definitions/column_name"}},
    "date_format": {"type": "string", "minLength": 4, "maxLength": 32,
                    "description": "strftime style (%m/%d/%Y) or pattern style (MM/DD/YYYY, YYYYMMDD)."},
    "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$", "default": "00:00:00"},
    "utc_offset": {"type": "string", "pattern": "^(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"},
    "transform": {"enum": ["trim", "upper", "date", "cents_to_decimal", "decimal", "integer", "boolean",
                           "code_table", "phone_e164"]},
    "join": {
      "type": "object",
      "additionalProperties": false,
      "required": ["separator"],
      "description": "An array in one cell: elements (or each element's item) joined by separator.",
      "properties": {
        "separator": {"type": "string", "minLength": 1, "maxLength": 8},
        "item": {"$ref": "#/definitions/pointer"}
      }
    },
    "transform_chain": {
      "oneOf": [
        {"$ref": "#/definitions/transform"},
        {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/transform"}}
      ]
    },
    "codes": {"type": "object", "minProperties": 1,
              "additionalProperties": {"oneOf": [{"type": "string"},
                                                 {"type": "array", "minItems": 1, "items": {"type": "string"}}]},
              "description": "Partner code -> canonical value (or values: decode gives the first)."},
    "encode_default": {"type": "string", "maxLength": 64,
                       "description": "Encode: the cell for a value missing from codes (empty: blank)."},
    "boolean_text": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string", "minLength": 1},
                     "description": "Encode: the texts written for true and false (default Y, N)."},
    "phone_format": {"type": "string", "minLength": 10, "maxLength": 32,
                     "description": "Encode: layout of a phone_e164 value, # for each national digit."},
    "encode_values": {
      "type": "array",
      "description": "Encode: cells of this record from a constant, the first record (to) or the time (now).",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["column"],
        "properties": {
          "column": {"$ref": "#/definitions/column_name"},
          "const": {"type": ["string", "integer", "boolean"]},
          "to": {"$ref": "#/definitions/pointer"},
          "now": {"const": true},
          "transform": {"$ref": "#/definitions/transform_chain"},
          "format": {"$ref": "#/definitions/date_format"},
          "time": {"$ref": "#/definitions/time"},
          "utc_offset": {"$ref": "#/definitions/utc_offset"},
          "codes": {"$ref": "#/definitions/codes"},
          "encode_default": {"$ref": "#/definitions/encode_default"},
          "boolean_text": {"$ref": "#/definitions/boolean_text"},
          "phone_format": {"$ref": "#/definitions/phone_format"},
          "join": {"$ref": "#/definitions/join"}
        },
        "oneOf": [{"required": ["const"]}, {"required": ["to"]}, {"required": ["now"]}]
      }
    },
    "field": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "column": {"$ref": "#/definitions/column_ref"},
        "const": {"type": ["string", "integer", "boolean"]},
        "to": {"type": "string", "pattern": "^(/[^/]+)+$", "maxLength": 256,
               "description": "JSON Pointer into the record (digits: array index); none: only checked."},
        "direction": {"enum": ["both", "decode", "encode"], "default": "both"},
        "scope": {"enum": ["row", "document"], "default": "row",
                  "description": "With rows: the pointer is into the row's element, or into the whole record."},
        "join": {"$ref": "#/definitions/join"},
        "encode_default": {"$ref": "#/definitions/encode_default"},
        "boolean_text": {"$ref": "#/definitions/boolean_text"},
        "phone_format": {"$ref": "#/definitions/phone_format"},
        "transform": {"$ref": "#/definitions/transform_chain"},
        "format": {"$ref": "#/definitions/date_format"},
        "time": {"$ref": "#/definitions/time"},
        "utc_offset": {"$ref": "#/definitions/utc_offset"},
        "codes": {"$ref": "#/definitions/codes"},
        "required": {"type": "boolean", "default": false},
        "when": {
          "type": "object",
          "additionalProperties": false,
          "required": ["column"],
          "description": "Apply this mapping only to rows where that column is not blank (and holds one of `in`).",
          "properties": {
            "column": {"$ref": "#/definitions/column_ref"},
            "in": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
          }
        }
      },
      "oneOf": [{"required": ["column"]}, {"required": ["const", "to"]}]
    }
  }
})json";

}  // namespace lendgate::delimited
