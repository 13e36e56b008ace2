// One encode call: canonical records in, fixed-width lines out.
//
// Writes the header (values from the first record and the file's creation
// time), one line per record per detail record type of its message type (or
// one per element of an array, nested, for types with `each`), and the
// trailer with the counts and sums of what was actually written. A record
// that cannot be written whole (a value too long for its field, a missing
// required value) is a record error and none of its lines are written.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_ENCODER_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_ENCODER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "layout.h"

namespace lendgate::fixedwidth {

class FixedWidthEncoder {
public:
    FixedWidthEncoder(const Layout &layout, const Host &host, EncodeContext &ctx);
    void run();

private:
    void refuseUnwritableEnvelope() const;
    using Json = nlohmann::json;

    /// Lines of one record, appended to pending_; false (after reporting) when any field fails.
    /// Which of a record's lines to write. An ACK can come in slices
    /// (LENDGATE_CAP_ACK_SLICES): its first slice writes what comes before
    /// the lines of payload.records and its records' lines, later slices
    /// their records' lines, and what comes after waits for the ACK's end.
    enum class Part { All, BeforeAndRecords, Records, After };
    struct AckHead {
        Json record;  // the ACK's first slice without its records
        Location where;
    };
    bool encodeRecord(const Json &record, const Location &where, Part part);
    /// encodeRecord() into the output, with the line counts and sums.
    void emit(const Json &record, const Location &where, Part part);
    /// The lines after the records of the ACK being written.
    void finishAck();
    bool emitEach(std::size_t detail, const Json &record, std::vector<std::size_t> &bindings, const Location &where);
    bool writeLine(const RecordSpec &spec, std::size_t detail, const Json *record,
                   const std::vector<std::size_t> &bindings, const Location *where);
    void writeFileRecord(const RecordSpec &spec, const Json *record);

    const Layout &layout_;
    EncodeContext &ctx_;
    std::int64_t nowMs_;
    std::string expected_;

    std::string line_;
    std::string pending_;  // the lines of the record being written
    std::string scratch_;
    std::string problem_;        // a header or trailer field that failed
    std::uint64_t written_ = 0;  // detail lines
    std::vector<std::uint64_t> perType_, pendingPerType_;
    std::vector<std::int64_t> sums_, pendingSums_;
    AckSliceTracker slices_;
    std::optional<AckHead> ackHead_;  // an ACK whose closing lines are not written yet
};

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_ENCODER_H
