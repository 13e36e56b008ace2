#include "config_schema.h"

namespace lendgate::hsds {

// Closed at every level: a misspelt key fails start-up instead of being ignored.
// What a schema cannot say (a need served by two services, a repeated service
// id) HsdsConfig checks when the plugin is created.
const char *const kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://lendgate.example/schemas/plugins/hsds.config.json",
  "title": "lendgate hsds plugin configuration",
  "type": "object",
  "additionalProperties": false,
  "required": ["partner_id", "organization", "services", "client_fields", "statuses"],
  "definitions": {
    "identifier": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[^\\u0000-\\u001F\\u007F]*$"},
    "short_text": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\u0000-\\u001F\\u007F]*$"},
    "need_code": {"enum": ["financial-insecurity", "transportation-insecurity", "veteran-status",
                           "housing-instability", "food-insecurity", "mental-health"]}
  },
  "properties": {
    "partner_id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
                   "description": "The nonprofit's partner id; names it in the references of decoded updates."},
    "organization": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "name"],
      "description": "The HSDS organization every referral is addressed to.",
      "properties": {
        "id": {"$ref": "#/definitions/identifier"},
        "name": {"$ref": "#/definitions/short_text"}
      }
    },
    "services": {
      "type": "array",
      "minItems": 1,
      "maxItems": 50,
      "description": "The organization's HSDS services and the needs each one serves.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "name", "needs"],
        "properties": {
          "id": {"$ref": "#/definitions/identifier"},
          "name": {"$ref": "#/definitions/short_text"},
          "needs": {"type": "array", "minItems": 1, "maxItems": 6, "uniqueItems": true,
                    "items": {"$ref": "#/definitions/need_code"}},
          "taxonomy_term": {
            "type": "object",
            "additionalProperties": false,
            "required": ["code", "taxonomy"],
            "properties": {
              "id": {"$ref": "#/definitions/identifier"},
              "code": {"$ref": "#/definitions/identifier"},
              "name": {"$ref": "#/definitions/short_text"},
              "taxonomy": {"$ref": "#/definitions/short_text"}
            }
          },
          "location_ids": {"type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": true,
                           "items": {"$ref": "#/definitions/identifier"}}
        }
      }
    },
    "client_fields": {
      "type": "array",
      "maxItems": 5,
      "uniqueItems": true,
      "items": {"enum": ["phone", "language", "best_time", "postal_code", "county"]},
      "description": "What the nonprofit receives about the person besides the name; the rest is left out."
    },
    "statuses": {
      "type": "object",
      "minProperties": 1,
      "maxProperties": 32,
      "propertyNames": {"pattern": "^[A-Z][A-Z0-9_]{0,31}$"},
      "additionalProperties": {"enum": ["requested", "accepted", "rejected", "in-progress", "on-hold", "completed",
                                        "cancelled", "failed"]},
      "description": "The nonprofit's status codes (upper case; matched ignoring case) to canonical statuses."
    },
    "output": {"enum": ["jsonl", "array"], "default": "jsonl",
               "description": "Encode referrals as one JSON document per line or as one JSON array."},
    "max_record_bytes": {"type": "integer", "minimum": 256, "maximum": 16777216, "default": 65536,
                         "description": "A decoded update larger than this is refused and skipped."}
  }
})json";

}  // namespace lendgate::hsds
