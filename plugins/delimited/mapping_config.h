// The delimited plugin's configuration, parsed and checked once at create().
//
// The host has already validated the text against the plugin's JSON Schema
// (config_schema.cpp); this layer turns it into typed values and checks what
// a schema cannot: date layouts, overlapping target pointers, names that
// refer to one another. Column names are resolved to positions later, once
// the file's own header row has been read.
#ifndef LENDGATE_PLUGINS_DELIMITED_MAPPING_CONFIG_H
#define LENDGATE_PLUGINS_DELIMITED_MAPPING_CONFIG_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv_reader.h"
#include "field_transforms.h"
#include "record_layout.h"

namespace lendgate::delimited {

/// One step of a field's transform chain, applied in the order configured.
enum class Step { Trim, Upper, Date, CentsToDecimal, Decimal, Integer, Boolean, CodeTable, PhoneE164 };

/// A reference to a cell of a detail row, or of the file's header or trailer record.
struct CellRef {
    enum class Record { Detail, Header, Trailer };
    Record record = Record::Detail;
    std::string column;
    /// Header and trailer: the column's position in that record's configured
    /// layout. Detail: the column's position in DelimitedConfig::detailColumns,
    /// since a detail column's place in the row is known only once each file's
    /// header row has been read.
    std::size_t index = 0;
};

/// Limits a mapping to some rows: those where `cell` is not blank and, when
/// `values` is not empty, holds one of them (compared trimmed, ignoring ASCII case).
struct Condition {
    CellRef cell;
    std::vector<std::string> values;  // upper-cased
};

struct FieldMapping {
    /// JSON Pointer of the value; empty for a column that is only checked
    /// (a Y/N flag that gates other fields, say). Errors name it, or the column.
    std::string target;
    std::size_t slot = 0;
    std::optional<CellRef> source;  // unset for a constant
    FieldValue constant;            // used when source is unset
    std::vector<Step> steps;
    std::optional<DateFormat> dateFormat;
    /// With the date transform: set to write an RFC 3339 date-time at this local time and offset.
    std::string time;
    std::string utcOffset;
    std::unordered_map<std::string, std::string> codes;
    bool required = false;
    std::optional<Condition> when;
};

struct KeyPart {
    std::string literal;
    std::optional<CellRef> cell;  // when set, the part is that cell's trimmed value
};

struct OccurredAt {
    CellRef cell;
    DateFormat format;
    std::string time;       // "HH:MM:SS"
    std::string utcOffset;  // "Z" or "+HH:MM"
};

struct RecordLayoutSpec {
    std::string code;
    std::vector<std::string> columns;
};

struct TrailerSum {
    CellRef trailerCell;
    CellRef detailCell;
    int decimals = 0;
};

struct TrailerSpec {
    RecordLayoutSpec layout;
    CellRef recordCount;
    std::vector<TrailerSum> sums;
};

struct RecordTypes {
    std::size_t column = 0;
    std::string detailCode;
    std::optional<RecordLayoutSpec> header;
    std::optional<TrailerSpec> trailer;
};

struct DelimitedConfig {
    std::string messageType;
    std::string schemaVersion = "1.0";
    CsvOptions csv;
    bool headerRow = true;
    /// Detail column names when the file has no header row.
    std::vector<std::string> columns;
    std::optional<RecordTypes> recordTypes;
    std::vector<KeyPart> idempotencyKey;  // empty: no key
    std::optional<OccurredAt> occurredAt;
    std::vector<FieldMapping> fields;
    /// Every detail column the configuration refers to, each once.
    std::vector<std::string> detailColumns;

    RecordLayout layout;
    std::size_t messageTypeSlot = 0;
    std::size_t schemaVersionSlot = 0;
    std::size_t idempotencyKeySlot = 0;
    std::size_t occurredAtSlot = 0;
};

/// Parses a configuration; throws lendgate::PluginError (LENDGATE_ERR_CONFIG)
/// with a message naming the offending key.
DelimitedConfig parseConfig(std::string_view json);

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_MAPPING_CONFIG_H
