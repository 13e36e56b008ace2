// The shape of the canonical records one record type produces.
//
// Every `to` pointer of a record type is compiled once into a tree, so
// writing a record is one walk over fixed nodes filling in that line's
// values: no JSON DOM per record on the decode hot path, and keys come out in
// the order the configuration first names them.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_JSON_SHAPE_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_JSON_SHAPE_H

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::fixedwidth {

/// One leaf value of a record being built or written.
struct FieldValue {
    enum class Type { Absent, String, Number, Boolean };
    Type type = Type::Absent;
    /// String: the text (UTF-8, unescaped). Number: JSON number text. Boolean: "true"/"false".
    std::string text;

    void clear() noexcept {
        type = Type::Absent;
        text.clear();
    }
};

/// A JSON Pointer (RFC 6901) split into unescaped segments; throws
/// std::invalid_argument when it does not start with / or has an empty segment.
std::vector<std::string> splitPointer(std::string_view pointer);

class JsonShape {
public:
    JsonShape();

    /// Adds a leaf at `pointer` (an all-digit segment is an array index) and
    /// returns its slot. Throws std::invalid_argument when the pointer is
    /// malformed, repeats one already added, or makes a node both a value and
    /// a container, or both an array and an object.
    std::size_t addLeaf(std::string_view pointer);

    std::size_t slotCount() const noexcept { return slots_; }

    /// Appends the record as one line of JSON to `out`. Absent leaves are left
    /// out, and so is every object or array element left with nothing in it;
    /// the remaining elements of an array close up.
    void write(const std::vector<FieldValue> &values, std::string &out) const;

    /// At least as many bytes as writeTo() may write for `values`.
    std::size_t maxSize(const std::vector<FieldValue> &values) const noexcept;

    /// write() into raw memory with room for maxSize(values) bytes; returns
    /// the end of what was written. The decoder's hot path: no capacity check
    /// per key or value.
    char *writeTo(const std::vector<FieldValue> &values, char *out) const noexcept;

private:
    enum class Kind { Object, Array, Leaf };
    struct Node {
        Kind kind;
        std::vector<std::pair<std::string, std::size_t>> members;  // Object: key, node
        // Object: each member's `,"key":`, escaped once here rather than per record; without the comma when first.
        std::vector<std::string> keyTexts;
        std::vector<std::pair<std::size_t, std::size_t>> elements;  // Array: index, node (sorted)
        std::size_t slot = 0;
    };

    std::size_t childOf(std::size_t parent, const std::string &segment, Kind kind, bool leaf);
    bool writeNode(std::size_t node, const std::vector<FieldValue> &values, char *&out) const noexcept;

    std::vector<Node> nodes_;
    std::size_t slots_ = 0;
    // Brackets, keys and commas of a record with every leaf present ("{}" when none is).
    std::size_t structureBytes_ = 2;
};

/// Appends `text` as a JSON string literal (quotes included).
void appendJsonString(std::string &out, std::string_view text);

/// The same into raw memory with room for jsonStringMaxSize(text.size()) bytes; returns the end.
char *writeJsonString(char *out, std::string_view text) noexcept;

/// Six bytes a byte at most (a control byte's escape) and the quotes.
constexpr std::size_t jsonStringMaxSize(std::size_t textBytes) noexcept {
    return 6 * textBytes + 2;
}

/// Offset of the first byte of `text` that a JSON string must escape (a
/// quote, a backslash or a control byte), or text.size() when there is none.
std::size_t firstToEscape(std::string_view text) noexcept;

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_JSON_SHAPE_H
