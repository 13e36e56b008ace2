// One decode call: fixed-width lines in, canonical records out.
//
// Streams line by line (LineReader), checks the file's structure (header
// first, trailer last, control totals), and maps each detail line through its
// record type. A bad detail line is a record error and decoding goes on; a
// broken structure or wrong totals refuse the whole input (inputError).
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_DECODER_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_DECODER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "layout.h"
#include "line_reader.h"

namespace lendgate::fixedwidth {

class FixedWidthDecoder {
public:
    FixedWidthDecoder(const Layout &layout, const Host &host, DecodeContext &ctx);
    void run();

private:
    /// A sum source in one detail type: which total, which field, the factor to the total's decimals.
    struct SumSource {
        std::size_t sum;
        std::size_t field;
        std::int64_t scale;
    };

    const RecordSpec *classify(std::string_view text, std::size_t &detailIndex) const;
    /// The line cut or padded to the record's length; empty `why` when it fits.
    std::string_view fit(const RecordSpec &spec, const Line &line, std::string &why, const char *&code);
    void onHeader(const Line &line);
    void onTrailer(const Line &line);
    void onDetail(const Line &line, std::size_t index);
    void addToSums(std::size_t index, std::string_view text);
    bool mapFields(const RecordSpec &spec, std::string_view text, const Location &where);
    std::int64_t trailerNumber(const FieldSpec &field, std::string_view text, const std::string &where) const;

    const Layout &layout_;
    const Host &host_;
    DecodeContext &ctx_;
    std::string expected_;

    bool seenHeader_ = false;
    bool seenTrailer_ = false;
    std::uint64_t lines_ = 0;    // every non-empty line
    std::uint64_t details_ = 0;  // detail lines, bad ones included
    std::vector<std::uint64_t> perType_;
    std::vector<std::int64_t> sums_;
    std::vector<std::uint64_t> unreadable_;           // per sum: detail lines whose amount could not be read
    std::vector<std::vector<SumSource>> sumSources_;  // per detail type
    std::vector<std::string> header_;                 // the header's raw columns

    std::vector<std::vector<FieldValue>> values_;  // per detail type, reused line after line
    FieldValue scratch_;
    std::string padded_;
    std::string json_;  // sized to the largest record so far, never shrunk
    std::string key_;
};

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_DECODER_H
