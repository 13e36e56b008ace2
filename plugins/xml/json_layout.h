// The shape of the canonical records one configuration produces.
//
// Every `to` pointer of the mapping is compiled once into a tree, so writing
// a record is one walk over fixed nodes filling in that record's values: no
// JSON DOM per record on the decode hot path, and keys come out in the order
// the configuration first names them (the envelope's members in canonical
// order). An array is either filled from a repeated element (one element per
// occurrence) or has fixed positions ("/payload/parties/1/name").
#ifndef LENDGATE_PLUGINS_XML_JSON_LAYOUT_H
#define LENDGATE_PLUGINS_XML_JSON_LAYOUT_H

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::xml {

/// One leaf value of a record being built.
struct Scalar {
    enum class Type { Absent, String, Number, Boolean };
    Type type = Type::Absent;
    /// String: the text (UTF-8, unescaped). Number: JSON number text. Boolean: "true"/"false".
    std::string text;
};

/// The values of one scope (the record, or one occurrence of a repeated
/// element): its leaves by slot, and per repeated group its occurrences.
struct Frame {
    std::vector<Scalar> values;
    std::vector<std::vector<Frame>> repeats;
};

class JsonLayout {
public:
    static constexpr std::size_t kRoot = 0;

    JsonLayout();

    /// Adds the leaf at `pointer` (RFC 6901, relative to node `base`) holding
    /// `slot` of the frame in force there. Throws std::invalid_argument when
    /// the pointer is malformed, repeats or overlaps another, or needs a node
    /// to be two kinds at once.
    void addLeaf(std::size_t base, std::string_view pointer, std::size_t slot);

    /// Adds the array at `pointer` (relative to `base`) with one element per
    /// frame in `repeats[repeatSlot]` of the frame in force there. Returns the
    /// node each element is written from: pointers of the repeated group are
    /// relative to it. A `scalar` element is itself the leaf of slot 0.
    std::size_t addRepeat(std::size_t base, std::string_view pointer, std::size_t repeatSlot, bool scalar);

    /// Puts the root members named in `order` first, in that order.
    void orderRoot(const std::vector<std::string> &order);

    /// Appends the record as one line of JSON. Absent leaves are left out, and
    /// so is every object or array left with nothing in it; the remaining
    /// elements of an array close up.
    void write(const Frame &record, std::string &out) const;

private:
    enum class Kind { Unset, Object, Array, Leaf, Repeat };
    struct Node {
        Kind kind = Kind::Unset;
        std::vector<std::pair<std::string, std::size_t>> members;   // Object: key, node
        std::vector<std::pair<std::size_t, std::size_t>> elements;  // Array: index, node (sorted by index)
        std::size_t slot = 0;                                       // Leaf: value; Repeat: frame.repeats index
        std::size_t element = 0;                                    // Repeat: node of each element
    };

    std::size_t walk(std::size_t base, std::string_view pointer);
    std::size_t child(std::size_t parent, const std::string &segment);
    bool writeNode(std::size_t node, const Frame &frame, std::string &out) const;

    std::vector<Node> nodes_;
};

/// RFC 6901 segments of a pointer ("/a~1b/0" -> {"a/b", "0"}); throws
/// std::invalid_argument when it does not start with "/" or has an empty segment.
std::vector<std::string> pointerSegments(std::string_view pointer);

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_JSON_LAYOUT_H
