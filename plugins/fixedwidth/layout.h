// The fixed-width layout a configuration describes, parsed and cross-checked
// once at create(): record types told apart by a code at a fixed position,
// each with its fields (byte columns), conversions and canonical targets; the
// file header and trailer with their control totals.
//
// The host has already validated the text against the plugin's JSON Schema
// (config_schema.cpp); parseLayout() checks what a schema cannot: fields that
// overlap or overrun their record, names that refer to one another, date
// layouts, target pointers that collide.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_LAYOUT_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_LAYOUT_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "date_time.h"
#include "json_shape.h"
#include "numbers.h"

namespace lendgate::fixedwidth {

enum class FieldType { Text, Integer, Decimal, Date, DateTime, Boolean, Phone };
enum class Align { Left, Right };
enum class Trim { Both, Left, Right, None };

/// Limits a decoded field to lines where another field of the same record is
/// not blank and, when `values` is not empty, holds one of them (trimmed, any case).
struct Condition {
    std::size_t field = 0;            // index into RecordSpec::fields
    std::vector<std::string> values;  // upper-cased
};

struct FieldSpec {
    std::string name;
    std::size_t offset = 0;  // 0-based; the configuration's `start` is 1-based
    std::size_t length = 0;
    /// Decode: the value is the header record's field of this index, not a column of the line.
    std::optional<std::size_t> headerField;

    FieldType type = FieldType::Text;
    Align align = Align::Left;
    char pad = ' ';
    Trim trim = Trim::Both;
    bool upper = false;
    NumberFormat number;                   // Integer, Decimal
    std::optional<DateTimeFormat> format;  // Date, DateTime
    /// Date with utc_offset, and DateTime: the canonical value is a date-time.
    bool dateTime = false;
    CivilTime timeOfDay;  // Date with utc_offset: the time it stands for
    std::string utcOffset;
    int offsetMinutes = 0;
    std::string trueCode = "Y", falseCode = "N";
    std::vector<std::pair<std::string, std::string>> codes;         // file code -> canonical, sorted by code
    std::vector<std::pair<std::string, std::string>> reverseCodes;  // canonical -> first listed code, sorted

    /// The text the file holds in this field: written on encode, checked on decode.
    std::optional<std::string> literal;
    /// JSON Pointer of the canonical value ("" for none). In header and
    /// trailer records it is read from the first (header) or last (trailer)
    /// canonical record on encode, and ignored on decode.
    std::string target;
    std::size_t slot = 0;
    /// Encode: `target` split into segments; "*" binds the current element of an `each` iteration.
    std::vector<std::string> sourcePath;
    std::optional<FieldValue> constant;  // decode only: a fixed canonical value at `target`
    bool required = false;
    bool truncate = false;
    bool now = false;  // header/trailer encode: the file's creation time
    std::optional<Condition> when;

    bool isColumn() const noexcept { return !headerField && !constant; }
    bool isText() const noexcept { return type == FieldType::Text; }
};

/// A part of a record's idempotency key: literal text or a field's trimmed text.
struct KeyPart {
    std::string literal;
    std::optional<std::size_t> field;
    bool fromHeader = false;
};

struct RecordSpec {
    enum class Role { Header, Detail, Trailer };
    Role role = Role::Detail;
    std::string code;
    std::string messageType;  // Detail
    std::size_t length = 0;
    std::vector<FieldSpec> fields;
    std::vector<KeyPart> idempotencyKey;  // empty: none, or a field maps /idempotency_key
    /// Encode only: one line per element of the array this path (ending in "*") names.
    std::vector<std::string> each;
    std::optional<std::size_t> parent;  // encode nesting: the detail type whose `each` this one extends

    JsonShape shape;
    std::size_t messageTypeSlot = 0;
    std::size_t schemaVersionSlot = 0;
    std::size_t idempotencyKeySlot = 0;
    /// Slots of the envelope members a field may map (message_id, case_id, ...), in canonical order.
    std::vector<std::pair<std::string, std::size_t>> envelopeSlots;
    bool hasTextFields = false;

    std::optional<std::size_t> fieldIndex(std::string_view name) const;
};

/// A trailer field that counts lines.
struct CountSpec {
    enum class Scope { Details, All, Codes };
    std::size_t field = 0;  // index into the trailer's fields
    Scope scope = Scope::Details;
    std::vector<std::size_t> details;  // Codes: indexes into Layout::details
};

/// A trailer field that adds up a detail field, in minor units.
struct SumSpec {
    std::size_t field = 0;  // index into the trailer's fields
    std::string of;
    std::vector<std::pair<std::size_t, std::size_t>> sources;  // (detail index, field index)
    int decimals = 0;
};

struct Layout {
    std::string schemaVersion = "1.0";
    std::size_t codeOffset = 0;
    std::size_t codeLength = 1;
    bool padShortLines = false;
    bool allowTrailingSpaces = false;
    std::size_t maxRecordBytes = 32768;
    std::string lineEnding = "\n";
    std::optional<RecordSpec> header;
    std::optional<RecordSpec> trailer;
    std::vector<RecordSpec> details;
    std::vector<CountSpec> counts;
    std::vector<SumSpec> sums;

    /// Message types the detail records produce, each once, in configuration order.
    std::vector<std::string> messageTypes() const;
};

/// Parses a configuration; throws lendgate::PluginError (LENDGATE_ERR_CONFIG)
/// with a message naming the offending key.
Layout parseLayout(std::string_view json);

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_LAYOUT_H
