// The xml plugin's configuration, parsed and compiled once at create().
//
// The host has already validated the text against the plugin's JSON Schema
// (config_schema.cpp); this layer turns it into typed values and checks what
// a schema cannot: element paths, pointers that overlap, transform chains,
// date layouts. The mapping is compiled into scopes: the record, and one per
// repeated element (each occurrence is a frame of that scope). Within a scope
// the element paths form a tree, so one pass over a record's elements finds
// every mapped value, and the same tree tells the encoder which element to
// write where.
#ifndef LENDGATE_PLUGINS_XML_XML_CONFIG_H
#define LENDGATE_PLUGINS_XML_XML_CONFIG_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json_layout.h"
#include "value_transforms.h"

namespace lendgate::xml {

/// An element or attribute name. `ns` is the namespace URI (empty: none);
/// `prefix` is how the encoder writes it (empty: the default namespace).
struct QName {
    std::string ns;
    std::string local;
    std::string prefix;

    std::string qualified() const { return prefix.empty() ? local : prefix + ":" + local; }
};

/// One step of a value's transform chain, applied in the order configured
/// when decoding and undone in reverse order when encoding.
enum class Step { Trim, Upper, Lower, Decimal, Integer, Boolean, Date, DateTime, CodeTable };

struct Field {
    /// Element holding the value (its text, or `attribute`); -1 for a constant without `path`.
    int node = -1;
    std::optional<QName> attribute;
    /// JSON Pointer segments relative to the scope's base (the record, or one
    /// array element); empty when the field only feeds the XML side.
    std::vector<std::string> target;
    std::string pointer;  // the same, as text, for error fields
    std::size_t slot = 0;
    std::optional<Scalar> constant;
    std::vector<Step> steps;
    std::optional<DatePattern> dateFormat;
    std::string time;       // date -> date-time: the local time ("HH:MM:SS")
    std::string utcOffset;  // date -> date-time, or the offset of a date-time written without one
    std::unordered_map<std::string, std::string> codes;
    std::unordered_map<std::string, std::string> reverseCodes;  // canonical -> the first partner code naming it
    bool required = false;
    /// The group element that must be present for a constant to apply and a
    /// required value to be missed (0: the scope's own element, always there).
    int presence = 0;
    /// For the encoder: pointer segments of the group object whose presence
    /// gates this field, relative to the scope's base; empty: always.
    std::vector<std::string> presenceTarget;
};

struct ElementNode {
    QName name;
    int parent = -1;
    std::vector<int> children;  // in the order the configuration first names them
    std::vector<int> fields;
    int repeatScope = -1;        // a repeated group: each occurrence is a frame of this scope
    std::size_t repeatSlot = 0;  // ... kept in Frame::repeats[repeatSlot] of this scope's frame
    bool required = false;       // a group that must be present when its `presence` is
    int presence = 0;
    std::vector<std::string> presenceTarget;
    std::string requiredPointer;  // error field of a missing required group
};

struct Scope {
    std::vector<ElementNode> nodes;  // nodes[0]: the scope's own element (the record or the repeated one)
    std::vector<Field> fields;
    std::size_t slots = 0;
    std::size_t repeats = 0;
    int parentScope = -1;
    int parentNode = -1;
    /// A repeated value without fields: each occurrence's one field (slot 0) is the array element itself.
    bool scalar = false;
    /// The array's pointer segments relative to the parent scope's base, and as text.
    std::vector<std::string> target;
    std::string pointer;
};

struct Limits {
    std::size_t maxDepth = 32;
    std::size_t maxRecordBytes = 1u << 20;
    std::size_t maxRecordNodes = 10000;
    std::size_t maxTextBytes = 64u << 10;
};

struct XmlConfig {
    std::string messageType;
    std::string schemaVersion = "1.0";
    QName root;
    std::optional<QName> record;  // unset: the root element is the one record
    std::string defaultNamespace;
    std::vector<std::pair<std::string, std::string>> prefixes;  // prefix -> URI, in configuration order
    std::string xsdPath;                                        // empty: no schema validation
    std::vector<std::pair<QName, std::string>> rootAttributes;  // written by the encoder
    bool indent = true;
    Limits limits;
    std::vector<Scope> scopes;  // scopes[0]: the record
    JsonLayout layout;
};

/// Parses and compiles a configuration; throws lendgate::PluginError
/// (LENDGATE_ERR_CONFIG) with a message naming the offending key.
XmlConfig parseConfig(std::string_view json);

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_XML_CONFIG_H
