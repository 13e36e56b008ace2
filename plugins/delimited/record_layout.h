// The shape of the canonical records one configuration produces.
//
// Every `to` pointer of the mapping is compiled once into a tree, so writing
// a record is one walk over fixed nodes filling in that row's values: no JSON
// DOM per record on the decode hot path, and keys always come out in the
// order the configuration first names them.
#ifndef LENDGATE_PLUGINS_DELIMITED_RECORD_LAYOUT_H
#define LENDGATE_PLUGINS_DELIMITED_RECORD_LAYOUT_H

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::delimited {

/// One leaf value of a record being built.
struct FieldValue {
    enum class Type { Absent, String, Number, Boolean, Json };

    FieldValue() = default;
    FieldValue(Type type_, std::string text_) : type(type_), text(std::move(text_)) {}

    Type type = Type::Absent;
    /// String: the text (UTF-8, unescaped). Number: JSON number text. Boolean:
    /// "true"/"false". Json: a JSON value written as it is (an array of strings).
    std::string text;
    /// When isBorrowed, the value as it lies: in the row being decoded (a cell no step rewrote, so the decoder
    /// copies nothing) or in `text`. Valid until the next row is read, by which time the record has been written.
    std::string_view borrowed;
    bool isBorrowed = false;

    std::string_view view() const noexcept { return isBorrowed ? borrowed : std::string_view(text); }
    void clear() noexcept {
        type = Type::Absent;
        text.clear();
        isBorrowed = false;
    }
};

class RecordLayout {
public:
    RecordLayout();

    /// Adds a leaf at `pointer` (JSON Pointer, RFC 6901; an all-digit segment
    /// is an array index) and returns its slot. Throws std::invalid_argument
    /// when the pointer is malformed, repeats one already added, or makes a
    /// node both a value and a container, or both an array and an object.
    std::size_t addLeaf(std::string_view pointer);

    std::size_t slotCount() const noexcept { return slots_; }

    /// Appends the record as one line of JSON to `out`. Absent leaves are left
    /// out, and so is every object or array element left with nothing in it;
    /// the remaining elements of an array close up (a second party whose
    /// columns are all empty simply does not appear).
    void write(const std::vector<FieldValue> &values, std::string &out) const;

    /// At least as many bytes as writeTo() may write for `values`.
    std::size_t maxSize(const std::vector<FieldValue> &values) const noexcept;

    /// write() into raw memory with room for maxSize(values) bytes; returns
    /// the end of what was written. The decoder's hot path: no capacity check
    /// per key or value.
    char *writeTo(const std::vector<FieldValue> &values, char *out) const noexcept;

private:
    enum class Kind { Object, Array, Leaf };
    struct Member {
        std::string key;
        std::size_t node;
        std::string prefix;  // "key": as JSON
    };
    struct Node {
        Kind kind;
        std::vector<Member> members;                                // Object
        std::vector<std::pair<std::size_t, std::size_t>> elements;  // Array: index, node (sorted by index)
        std::size_t slot = 0;
    };

    std::size_t childOf(std::size_t parent, const std::string &segment, Kind kind, bool leaf);
    bool writeNode(std::size_t node, const std::vector<FieldValue> &values, char *&out) const noexcept;

    std::vector<Node> nodes_;
    std::size_t slots_ = 0;
    // Brackets, keys and commas of a record with every leaf present.
    std::size_t structureBytes_ = 2;
};

/// Splits a JSON Pointer (RFC 6901, at least one segment, none empty) into
/// unescaped segments. Throws std::invalid_argument when it is malformed.
std::vector<std::string> splitPointer(std::string_view pointer);

/// Appends `text` as a JSON string literal (quotes included).
void appendJsonString(std::string &out, std::string_view text);

/// The same into raw memory with room for jsonStringMaxSize(text.size()) bytes; returns the end.
char *writeJsonString(char *out, std::string_view text) noexcept;

/// Six bytes a byte at most (a control byte's escape) and the quotes.
constexpr std::size_t jsonStringMaxSize(std::size_t textBytes) noexcept {
    return 6 * textBytes + 2;
}

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_RECORD_LAYOUT_H
