// One encode call of the delimited plugin: canonical records in, a delimited
// file out, with the same configuration that decodes such a file.
//
// Each record (or, with `rows`, each element of an array in it) becomes one
// detail row: every column takes the value at its mapping's pointer, through
// the transforms in reverse (ISO dates to the partner's layout, decimals to
// cents, canonical values back to partner codes...). The column header row,
// the header record and the trailer record with its count and exact sums are
// written around the details. A record that cannot be written is reported
// (record number, field, reason; never the value) and left out, and the
// trailer counts only the rows written.
#ifndef LENDGATE_PLUGINS_DELIMITED_DELIMITED_ENCODER_H
#define LENDGATE_PLUGINS_DELIMITED_DELIMITED_ENCODER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "csv_writer.h"
#include "mapping_config.h"

namespace lendgate::delimited {

/// Why a value could not be written: a record error code and a reason naming no value.
struct EncodeProblem {
    std::string code;
    std::string reason;
};

/// A canonical value through a mapping's transforms in reverse, into `out`.
std::optional<EncodeProblem> encodeValue(const FieldMapping &field, const nlohmann::json &value, std::string &out);

class DelimitedEncoder {
public:
    DelimitedEncoder(const DelimitedConfig &config, const Host &host, EncodeContext &ctx);
    void run();

private:
    struct SumColumn {
        std::size_t position;
        int decimals;
        std::string column;
        std::int64_t total = 0;
    };

    void planColumns();
    void startFile(const nlohmann::json *first);
    void encodeRecord(const nlohmann::json &record);
    /// Writes one detail row; false (after reporting) when it cannot be written.
    bool encodeRow(const nlohmann::json &record, const nlohmann::json &element, const Location &where);
    bool fillFromEnvelope(const nlohmann::json &record, const Location &where);
    /// A header or trailer record's cells: its code and its configured values.
    std::vector<std::string> layoutCells(const RecordLayoutSpec &layout, const nlohmann::json *first) const;
    /// Appends one row; a detail row (`where` set) that cannot be written is reported and left out.
    bool writeRow(const std::vector<std::string> &cells, const Location *where);
    void flush(bool force);

    const DelimitedConfig &config_;
    const Host &host_;
    EncodeContext &ctx_;
    CsvWriter writer_;

    std::size_t width_ = 0;
    std::vector<std::string> names_;
    std::vector<std::vector<const FieldMapping *>> byColumn_;  // physical position -> mappings, configuration order
    std::vector<std::optional<std::size_t>> keyCells_;         // idempotency key part -> physical position
    std::optional<std::size_t> occurredAtColumn_;
    std::vector<SumColumn> sums_;

    bool started_ = false;
    AckSliceTracker slices_;
    std::uint64_t rowsWritten_ = 0;
    std::vector<std::string> cells_;
    std::vector<std::string> trailerCells_;
    std::string out_;
};

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_DELIMITED_ENCODER_H
