// A flat index over one JSON record, for mapping by JSON Pointer.
//
// The record has already passed JsonSyntax, so the parser checks nothing and
// allocates one vector of nodes: each node is a span of the record's text.
// Values are never converted: a number or a string is copied as written, so
// "100.10" stays "100.10" and a 30-digit integer stays exact. Memory is bounded
// by the record; the index is reused from one record to the next.
#ifndef LENDGATE_PLUGINS_JSON_JSON_TREE_H
#define LENDGATE_PLUGINS_JSON_JSON_TREE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::json_plugin {

enum class JsonKind : std::uint8_t { Object, Array, String, Number, True, False, Null };

/// One segment of a compiled JSON Pointer; an all-digit segment may index an array.
struct PointerSegment {
    std::string key;
    bool isIndex = false;
    std::uint32_t index = 0;
};

/// A parsed RFC 6901 JSON Pointer ("" is the whole value).
struct Pointer {
    std::string text;
    std::vector<PointerSegment> segments;
};

/// Parses `text` as a JSON Pointer; false when it is not one (a non-empty pointer must start with '/',
/// and '~' must be followed by 0 or 1).
bool parsePointer(std::string_view text, Pointer &out);

/// Appends `value` as a JSON string literal, quotes included.
void appendJsonString(std::string &out, std::string_view value);

class JsonTree {
public:
    struct Node {
        JsonKind kind;
        bool escaped;         // a string holding a backslash escape
        std::uint32_t begin;  // the value's text; a string's includes its quotes
        std::uint32_t end;
        std::uint32_t after;  // index of the first node past this one's subtree
    };

    /// Indexes `text`, which must be one syntactically valid JSON value. The text must outlive the use.
    void parse(std::string_view text);

    static constexpr std::uint32_t kRoot = 0;
    const Node &node(std::uint32_t i) const { return nodes_[i]; }
    std::string_view raw(std::uint32_t i) const {
        return text_.substr(nodes_[i].begin, nodes_[i].end - nodes_[i].begin);
    }

    /// A string's content, escapes resolved (in `scratch` when it has any).
    std::string_view stringValue(std::uint32_t i, std::string &scratch) const;

    /// The elements of an array, or the values of an object, in order.
    template <class F>
    void forEachElement(std::uint32_t container, F &&f) const {
        const bool object = nodes_[container].kind == JsonKind::Object;
        for (std::uint32_t i = container + 1; i < nodes_[container].after;) {
            if (object) ++i;  // skip the key
            f(i);
            i = nodes_[i].after;
        }
    }
    std::uint32_t elementCount(std::uint32_t container) const;

    enum class Found : std::uint8_t {
        Value,      // at `out`
        Absent,     // a member is missing, or null, on the way
        WrongKind,  // a string, number or boolean (or an array for a key) where the pointer needs to go inside
        Duplicate,  // a key on the way appears more than once in its object
    };
    /// Resolves `pointer` from `from`; on failure, `depth` is how many segments were resolved.
    Found find(std::uint32_t from, const Pointer &pointer, std::uint32_t &out, std::size_t &depth) const;

private:
    void parseValue();
    void skipSpace();
    std::uint32_t push(JsonKind kind, std::uint32_t begin);

    std::string_view text_;
    std::size_t pos_ = 0;
    std::vector<Node> nodes_;
    mutable std::string keyScratch_;
};

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_JSON_TREE_H
