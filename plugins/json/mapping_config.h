// The "mapped" mode's configuration, parsed and cross-checked once at create():
// for each canonical message type, a table of canonical JSON Pointer <-> partner
// JSON Pointer with conversions, compiled into two output trees, one per
// direction, so one configuration decodes the partner's JSON and encodes it.
#ifndef LENDGATE_PLUGINS_JSON_MAPPING_CONFIG_H
#define LENDGATE_PLUGINS_JSON_MAPPING_CONFIG_H

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_tree.h"

namespace lendgate::json_plugin {

/// A conversion, named as it reads in decode (partner -> canonical); encode runs it backwards.
enum class Transform {
    Trim,            // string: spaces and tabs dropped at both ends
    Upper,           // string: ASCII letters upper-cased
    CodeTable,       // string: partner code <-> canonical value, through `codes`
    Decimal,         // JSON number <-> exact decimal string ("612.40" stays "612.40")
    CentsToDecimal,  // integer number of cents <-> decimal string with two fraction digits
    Integer,         // string of digits <-> JSON integer
    String,          // JSON number <-> the same digits as a string (numeric IDs)
    Boolean,         // "Y"/"N", "yes"/"no", "true"/"false", "1"/"0" <-> true/false
};

/// The partner-side JSON type a field must have (checked before decode's conversions, after encode's).
enum class ValueType { Any, String, Number, Integer, Boolean };

enum class Direction { Both, Decode, Encode };

/// `{"from": pointer, "in": [...]}`: the partner value is present (and, with `in`, one of the values).
struct Condition {
    Pointer from;
    std::vector<std::string> in;  // empty: present is enough
};

struct FieldRule {
    std::optional<Pointer> from;  // partner side
    std::optional<Pointer> to;    // canonical side
    std::string constJson;        // a constant, as JSON text; empty when none
    std::string defaultJson;      // decode: the canonical value when the partner's is absent
    std::vector<Transform> transforms;
    std::map<std::string, std::string> codes;         // partner code -> canonical value as JSON text
    std::map<std::string, std::string> reverseCodes;  // canonical string -> first partner code
    std::string booleanText[2] = {"Y", "N"};
    ValueType type = ValueType::Any;
    bool required = false;
    Direction direction = Direction::Both;
    std::optional<Condition> when;  // decode only
    bool each = false;              // an array mapped element by element through `elementFields`
    std::vector<FieldRule> elementFields;
};

/// A node of an output tree: the record being written, one object, array or value at a time.
struct OutNode {
    enum class Kind { Object, Array, Leaf, Each };
    Kind kind = Kind::Object;
    std::string key;                   // the member name, JSON-escaped with quotes and colon; empty in arrays
    std::uint32_t index = 0;           // position in a fixed array (a pointer with an index segment)
    std::vector<OutNode> children;     // members in configuration order, or elements by index
    const FieldRule *rule = nullptr;   // Leaf and Each
    std::unique_ptr<OutNode> element;  // Each: the tree of one element
};

struct TypeMapping {
    std::string messageType;
    std::optional<Condition> select;  // decode: the record is of this type when it holds; encode: written
    std::vector<FieldRule> fields;
    std::vector<FieldRule> synthetic;  // the envelope constants and the selection value
    OutNode decodeTree;                // canonical record, built from partner values
    OutNode encodeTree;                // partner record, built from canonical values
};

struct MappedConfig {
    std::string schemaVersion = "1.0";
    std::vector<std::unique_ptr<TypeMapping>> types;
};

/// Reads the mapped mode's keys from the whole configuration (already parsed JSON text);
/// throws configError naming the key at fault.
std::unique_ptr<MappedConfig> parseMappedConfig(std::string_view configText);

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_MAPPING_CONFIG_H
