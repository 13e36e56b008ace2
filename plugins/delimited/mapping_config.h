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
#include "csv_writer.h"
#include "field_transforms.h"
#include "record_layout.h"

namespace lendgate::delimited {

/// One step of a field's transform chain, applied in the order configured.
enum class Step { Trim, Upper, Date, CentsToDecimal, Decimal, Integer, Boolean, CodeTable, PhoneE164 };

/// A reference to a cell of a detail row, or of the file's header or trailer record.
struct CellRef {
    enum class Record { Detail, Header, Trailer };
    Record record = Record::Detail;
    /// The name as configured; "[3]" for a detail column given by position.
    std::string column;
    /// Header and trailer: the column's position in that record's configured
    /// layout. Detail, by name: its position in DelimitedConfig::detailColumns,
    /// since a named column's place in the row is known only once each file's
    /// header row has been read. Detail, by position: the 0-based position.
    std::size_t index = 0;
    bool positional = false;
};

/// Limits a mapping to some rows: those where `cell` is not blank and, when
/// `values` is not empty, holds one of them (compared trimmed, ignoring ASCII case).
struct Condition {
    CellRef cell;
    std::vector<std::string> values;  // upper-cased
};

/// Which way a mapping works: both (the default), only when decoding (a
/// check-only column, say), or only when encoding (a column derived from a
/// canonical value another column already carries).
enum class Direction { Both, Decode, Encode };

/// An array cell: elements joined by `separator`. Encode joins the elements
/// (or each element's `item` pointer); decode splits the cell into an array
/// of strings (only without `item`).
struct Join {
    std::string separator;
    std::string item;  // JSON Pointer inside each element; empty: the element itself
    std::vector<std::string> itemPath;
};

struct FieldMapping {
    /// JSON Pointer of the value; empty for a column that is only checked
    /// (a Y/N flag that gates other fields, say). Errors name it, or the column.
    std::string target;
    /// `target` split into unescaped segments, for reading canonical records.
    std::vector<std::string> targetPath;
    std::size_t slot = 0;
    std::optional<CellRef> source;  // unset for a constant
    FieldValue constant;            // used when source is unset
    std::vector<Step> steps;
    std::optional<DateFormat> dateFormat;
    /// With the date transform: set to write an RFC 3339 date-time at this local time and offset.
    std::string time;
    std::string utcOffset;
    std::unordered_map<std::string, std::string> codes;
    /// Encode: canonical value -> partner code; the first code listed for a value wins.
    std::unordered_map<std::string, std::string> reverseCodes;
    /// Encode: what a value missing from `codes` becomes (empty: a blank cell); unset: a record error.
    std::optional<std::string> encodeDefault;
    /// Encode: the text of true and false for the boolean transform.
    std::string trueText = "Y";
    std::string falseText = "N";
    /// Encode: the layout of a phone_e164 value ('#' takes the next national digit).
    std::string phoneFormat = "###-###-####";
    bool required = false;
    std::optional<Condition> when;
    Direction direction = Direction::Both;
    /// With `rows`: the pointer is into the whole record, not into the row's element.
    bool documentScope = false;
    std::optional<Join> join;
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

/// A header or trailer cell the encoder writes: a constant, a value of the
/// file's first canonical record, or the time of encoding.
struct EncodeCell {
    enum class Source { Const, Record, Now };
    Source source = Source::Const;
    std::size_t index = 0;  // position in the record's layout
    std::string column;
    std::string constant;
    /// Source::Record: pointer and reverse transforms. Source::Now: the
    /// transforms applied to the RFC 3339 UTC time (a date with utc_offset
    /// gives the local calendar day).
    FieldMapping mapping;
};

struct RecordLayoutSpec {
    std::string code;
    std::vector<std::string> columns;
    std::vector<EncodeCell> values;
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
    CsvWriteOptions output;
    bool headerRow = true;
    /// Detail column names in file order: when the file has no header row, and
    /// what encode writes (decode reads named columns by the file's header row).
    std::vector<std::string> columns;
    /// The highest detail position a mapping reads, when any is positional.
    std::optional<std::size_t> maxPosition;
    /// Encode only: each element of the array at this pointer of a record is one detail row.
    std::string rows;
    std::vector<std::string> rowsPath;
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
