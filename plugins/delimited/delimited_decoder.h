// One decode call of the delimited plugin: file structure, control totals
// and the mapping of each detail row to a canonical record.
//
// File layout (see README.md): an optional first line naming the detail
// columns, then, when record types are configured, one header record, the
// detail records and one trailer record whose count and sums must match the
// details. A bad detail row is reported and skipped; a file whose structure
// or totals are wrong is refused whole (lendgate::inputError), since it is
// probably truncated and its records cannot be trusted.
#ifndef LENDGATE_PLUGINS_DELIMITED_DELIMITED_DECODER_H
#define LENDGATE_PLUGINS_DELIMITED_DELIMITED_DECODER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "mapping_config.h"

namespace lendgate::delimited {

class DelimitedDecoder {
public:
    DelimitedDecoder(const DelimitedConfig &config, const Host &host, DecodeContext &ctx);
    void run();

private:
    enum class Kind { Detail, Header, Trailer, Unknown };

    /// A cell resolved against this file's columns: a position in the detail row or in the header record.
    struct CellAt {
        std::size_t index = 0;
        bool header = false;
    };
    /// One decoded field of config_.fields, resolved once per file: the per-row loop reads these small records
    /// rather than the configuration's large ones, and looks up no column by name.
    struct PlannedField {
        const FieldMapping *mapping = nullptr;
        FieldValue *slot = nullptr;   // where the value goes; checked_ for a column that is only checked
        CellAt source;                // unused for a constant
        CellAt when;                  // used when mapping->when is set
        std::span<const Step> steps;  // without a leading trim, which is done while copying the cell
        bool constant = false;
        bool trimFirst = false;
        bool hasWhen = false;
    };

    void readColumnNames(CsvReader &reader);
    void bindColumns(const std::vector<std::string> &names);
    Kind classify(const CsvRow &row) const;
    void onHeader(const CsvRow &row);
    void onTrailer(const CsvRow &row);
    void onDetail(const CsvRow &row);
    void addToSums(const CsvRow &row);
    /// Fills values_ for one well-formed row; false when any field was refused.
    bool mapRow(const CsvRow &row, const Location &where);
    /// Runs a field's transform chain over `text`, which ends up viewing the result: the cell itself when no step
    /// made new text, `storage` otherwise. False (after reporting) when the value is refused.
    bool transform(const FieldMapping &field, std::span<const Step> steps, std::string_view &text, std::string &storage,
                   FieldValue::Type &type, const Location &where);
    /// A joined cell to a JSON array of its trimmed, non-blank pieces, each through the transforms.
    bool splitJoined(const FieldMapping &field, std::string &value, FieldValue::Type &type, const Location &where);
    const std::string &cell(const CsvRow &row, const CellRef &ref) const;
    CellAt resolve(const CellRef &ref) const;
    const std::string &cellAt(const CsvRow &row, CellAt at) const {
        return at.header ? headerRecord_[at.index] : row.fields[at.index];
    }
    /// Fills plan_ once the detail columns are bound.
    void buildPlan();
    void set(std::size_t slot, FieldValue::Type type, std::string_view text);

    const DelimitedConfig &config_;
    const Host &host_;
    DecodeContext &ctx_;

    std::vector<std::size_t> detailPosition_;  // by DelimitedConfig::detailColumns index
    std::size_t detailWidth_ = 0;
    bool widthKnown_ = false;
    std::vector<std::string> headerRecord_;
    bool seenHeader_ = false;
    bool seenTrailer_ = false;
    std::uint64_t details_ = 0;
    std::vector<std::int64_t> sums_;
    std::vector<std::uint64_t> unreadableAmounts_;

    std::vector<PlannedField> plan_;
    std::vector<FieldValue> values_;  // never resized: plan_ points into it
    FieldValue checked_;              // a column converted only to be checked, with no target
    std::string json_;                // sized to the largest record so far, never shrunk
    std::string key_;
};

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_DELIMITED_DECODER_H
