#include "record_layout.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace lendgate::delimited {
namespace {

// Indexes stay small: a record with a thousand parties is a broken mapping, not a loan.
constexpr std::size_t kMaxArrayIndex = 999;

bool isArrayIndex(const std::string &segment) {
    if (segment.empty() || segment.size() > 9) return false;
    if (segment.size() > 1 && segment.front() == '0') return false;
    return std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> splitPointer(std::string_view pointer) {
    if (pointer.empty() || pointer.front() != '/') throw std::invalid_argument("a target pointer must start with /");
    std::vector<std::string> segments;
    std::string current;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            if (current.empty()) throw std::invalid_argument("a target pointer has an empty segment");
            segments.push_back(std::move(current));
            current.clear();
        } else if (pointer[i] == '~') {
            if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                throw std::invalid_argument("a target pointer has a ~ not followed by 0 or 1");
            current.push_back(pointer[++i] == '0' ? '~' : '/');
        } else {
            current.push_back(pointer[i]);
        }
    }
    return segments;
}

RecordLayout::RecordLayout() {
    nodes_.push_back(Node{Kind::Object, {}, {}, 0});
}

std::size_t RecordLayout::childOf(std::size_t parent, const std::string &segment, Kind kind, bool leaf) {
    if (nodes_[parent].kind == Kind::Array) {
        if (!isArrayIndex(segment)) throw std::invalid_argument("a target pointer mixes an array and an object");
        const std::size_t index = std::stoul(segment);
        if (index > kMaxArrayIndex) throw std::invalid_argument("a target pointer has an array index above 999");
        auto &elements = nodes_[parent].elements;
        auto it = std::lower_bound(elements.begin(), elements.end(), index,
                                   [](const auto &element, std::size_t i) { return element.first < i; });
        if (it != elements.end() && it->first == index) {
            if (leaf || nodes_[it->second].kind != kind)
                throw std::invalid_argument("a target pointer overlaps another one");
            return it->second;
        }
        const std::size_t position = static_cast<std::size_t>(it - elements.begin());
        nodes_.push_back(Node{kind, {}, {}, 0});
        nodes_[parent].elements.insert(nodes_[parent].elements.begin() + static_cast<std::ptrdiff_t>(position),
                                       {index, nodes_.size() - 1});
        return nodes_.size() - 1;
    }
    for (const auto &[key, node, prefix] : nodes_[parent].members) {
        if (key != segment) continue;
        if (leaf || nodes_[node].kind != kind) throw std::invalid_argument("a target pointer overlaps another one");
        return node;
    }
    nodes_.push_back(Node{kind, {}, {}, 0});
    // The key's JSON text is fixed: escaped once here, not once per record.
    std::string prefix;
    appendJsonString(prefix, segment);
    prefix += ':';
    nodes_[parent].members.push_back(Member{segment, nodes_.size() - 1, std::move(prefix)});
    return nodes_.size() - 1;
}

std::size_t RecordLayout::addLeaf(std::string_view pointer) {
    const std::vector<std::string> segments = splitPointer(pointer);
    std::size_t node = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const bool last = i + 1 == segments.size();
        const Kind kind = last ? Kind::Leaf : isArrayIndex(segments[i + 1]) ? Kind::Array : Kind::Object;
        node = childOf(node, segments[i], kind, last);
    }
    nodes_[node].slot = slots_;
    return slots_++;
}

void RecordLayout::write(const std::vector<FieldValue> &values, std::string &out) const {
    if (!writeNode(0, values, out)) out += "{}";
}

bool RecordLayout::writeNode(std::size_t index, const std::vector<FieldValue> &values, std::string &out) const {
    const Node &node = nodes_[index];
    if (node.kind == Kind::Leaf) {
        const FieldValue &value = values[node.slot];
        switch (value.type) {
            case FieldValue::Type::Absent: return false;
            case FieldValue::Type::String: appendJsonString(out, value.text); return true;
            case FieldValue::Type::Number:
            case FieldValue::Type::Boolean:
            case FieldValue::Type::Json: out += value.text; return true;
        }
        return false;
    }
    // Write optimistically and cut back what turned out empty: cheaper than a presence pass over the subtree.
    const std::size_t start = out.size();
    bool any = false;
    out += node.kind == Kind::Object ? '{' : '[';
    auto writeChild = [&](std::size_t child, const std::string *prefix) {
        const std::size_t before = out.size();
        if (any) out += ',';
        if (prefix != nullptr) out += *prefix;
        if (writeNode(child, values, out))
            any = true;
        else
            out.resize(before);
    };
    if (node.kind == Kind::Object)
        for (const Member &member : node.members) writeChild(member.node, &member.prefix);
    else
        for (const auto &element : node.elements) writeChild(element.second, nullptr);
    if (!any) {
        out.resize(start);
        return false;
    }
    out += node.kind == Kind::Object ? '}' : ']';
    return true;
}

namespace {

constexpr std::array<bool, 256> kNeedsEscape = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < 0x20; ++c) table[c] = true;
    table['"'] = table['\\'] = true;
    return table;
}();

}  // namespace

void appendJsonString(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain = 0;  // start of the run of bytes that need no escaping
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!kNeedsEscape[static_cast<unsigned char>(c)]) continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                out += "\\u00";
                out += kHex[(c >> 4) & 0xF];
                out += kHex[c & 0xF];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

}  // namespace lendgate::delimited
