// One large canonical `ack` (sdk/schemas/ack.schema.json) as the slices a
// plugin with LENDGATE_CAP_ACK_SLICES takes (see lendgate/plugin.h): each
// slice is the document with payload.records cut down to the next run of
// records. The ACK of a million-record file is about 130 MB of JSON; a
// plugin given it whole builds a tree of it several times that size.
#ifndef LENDGATE_DELIVERY_ACK_SLICES_H
#define LENDGATE_DELIVERY_ACK_SLICES_H

#include <cstddef>
#include <string>
#include <string_view>

namespace lendgate::delivery {

class AckSlices {
public:
    /// `document` must outlive this. A document whose payload holds no
    /// records array, or no more than `perSlice` records, is one slice: the
    /// document itself, byte for byte.
    AckSlices(std::string_view document, std::size_t perSlice);

    /// The next slice into `slice`; false when every record was handed out.
    bool next(std::string &slice);

    /// False when the document is passed whole.
    bool sliced() const { return open_ != std::string_view::npos; }

private:
    /// Where the run of up to perSlice_ records that starts at `from` ends.
    std::size_t endOfRun(std::size_t from) const;

    std::string_view document_;
    std::size_t perSlice_;
    std::size_t open_ = std::string_view::npos;   // the records array's '['
    std::size_t close_ = std::string_view::npos;  // its ']'
    std::size_t cursor_ = 0;                      // where the next run starts
    bool done_ = false;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_ACK_SLICES_H
