// Reads, from a canonical record, only the fields the routing rules test.
//
// Building a JSON DOM per record would cap the bulk path well below its goal
// (ARCHITECTURE: ~180-200k small records/s per core, far fewer for a 2 KB
// assignment), and routing usually needs two or three fields of a record. So
// the pointers of all rules are merged into one trie at load time, and a
// streaming reader walks the record once, copying out only the values at
// those pointers and stopping as soon as it has them all. Numbers are kept as
// written, so amounts compare exactly.
//
// Private to core/routing.
#ifndef LENDGATE_ROUTING_DETAIL_RECORD_FIELDS_H
#define LENDGATE_ROUTING_DETAIL_RECORD_FIELDS_H

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::routing::detail {

/// Splits an RFC 6901 JSON Pointer ("/payload/parties/0/addresses") into its
/// unescaped tokens. nullopt, with `problem` set, on a syntax error. The
/// empty pointer (the whole record) is refused: no rule can test a record as
/// a whole.
std::optional<std::vector<std::string>> splitPointer(std::string_view pointer, std::string &problem);

/// The array index a token names: "0", "17"; not "01", "-" or "1a".
std::optional<std::size_t> arrayIndex(std::string_view token) noexcept;

/// The value found at one pointer of one record.
struct FieldValue {
    enum class Kind : std::uint8_t { Absent, Null, Boolean, Number, String, Object, Array };

    Kind kind = Kind::Absent;
    bool boolean = false;
    std::string text;  ///< a string's contents, or a number exactly as written

    bool present() const noexcept { return kind != Kind::Absent; }
};

/// The pointers the rules test, each with a slot in the values a read fills.
class FieldSet {
public:
    static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

    FieldSet();

    /// The slot of a pointer; the same tokens always get the same slot.
    std::size_t add(const std::vector<std::string> &tokens);
    /// Number of slots.
    std::size_t size() const noexcept { return slotCount_; }

    /// Fills `values` (resized to size()) from the record. Reading stops as
    /// soon as every slot marked in `wanted` (one flag per slot: the fields
    /// the rules for this message type test) is found; other slots met on the
    /// way are filled too. False when the record is not valid JSON or its top
    /// level is not an object.
    bool read(std::string_view json, const std::vector<bool> &wanted, std::vector<FieldValue> &values) const;

private:
    friend class FieldReader;

    struct Child {
        std::string name;
        std::size_t index;  ///< the name as an array index, kNone when it is not one
        std::size_t node;
    };
    struct Node {
        std::vector<Child> children;
        std::size_t slot = kNone;
    };

    std::size_t childByName(std::size_t node, std::string_view name) const noexcept;
    std::size_t childByIndex(std::size_t node, std::size_t index) const noexcept;

    std::vector<Node> nodes_;  // nodes_[0] is the record itself
    std::size_t slotCount_ = 0;
};

}  // namespace lendgate::routing::detail

#endif  // LENDGATE_ROUTING_DETAIL_RECORD_FIELDS_H
