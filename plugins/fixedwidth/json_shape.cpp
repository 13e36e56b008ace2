#include "json_shape.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace lendgate::fixedwidth {
namespace {

// Indexes stay small: a record with a thousand parties is a broken mapping, not a loan.
constexpr std::size_t kMaxArrayIndex = 999;

// Keys and values are mostly a few bytes long: copied inline, not through a call to memcpy each.
inline char *copyBytes(char *out, const char *from, std::size_t n) noexcept {
    if (n > 16) {
        std::memcpy(out, from, n);
    } else if (n >= 8) {
        std::uint64_t head, tail;
        std::memcpy(&head, from, 8);
        std::memcpy(&tail, from + n - 8, 8);
        std::memcpy(out, &head, 8);
        std::memcpy(out + n - 8, &tail, 8);
    } else if (n >= 4) {
        std::uint32_t head, tail;
        std::memcpy(&head, from, 4);
        std::memcpy(&tail, from + n - 4, 4);
        std::memcpy(out, &head, 4);
        std::memcpy(out + n - 4, &tail, 4);
    } else if (n > 0) {
        out[0] = from[0];
        out[n / 2] = from[n / 2];
        out[n - 1] = from[n - 1];
    }
    return out + n;
}

bool isArrayIndex(const std::string &segment) {
    if (segment.empty() || segment.size() > 3) return false;
    if (segment.size() > 1 && segment.front() == '0') return false;
    return std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> splitPointer(std::string_view pointer) {
    if (pointer.empty() || pointer.front() != '/') throw std::invalid_argument("a pointer must start with /");
    std::vector<std::string> segments;
    std::string current;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            if (current.empty()) throw std::invalid_argument("a pointer has an empty segment");
            segments.push_back(std::move(current));
            current.clear();
        } else if (pointer[i] == '~') {
            if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                throw std::invalid_argument("a pointer has a ~ not followed by 0 or 1");
            current.push_back(pointer[++i] == '0' ? '~' : '/');
        } else {
            current.push_back(pointer[i]);
        }
    }
    return segments;
}

JsonShape::JsonShape() {
    nodes_.push_back(Node{Kind::Object, {}, {}, {}, 0});
}

std::size_t JsonShape::childOf(std::size_t parent, const std::string &segment, Kind kind, bool leaf) {
    if (nodes_[parent].kind == Kind::Array) {
        if (!isArrayIndex(segment)) throw std::invalid_argument("a pointer mixes an array and an object");
        const std::size_t index = std::stoul(segment);
        if (index > kMaxArrayIndex) throw std::invalid_argument("a pointer has an array index above 999");
        auto &elements = nodes_[parent].elements;
        auto it = std::lower_bound(elements.begin(), elements.end(), index,
                                   [](const auto &element, std::size_t i) { return element.first < i; });
        if (it != elements.end() && it->first == index) {
            if (leaf || nodes_[it->second].kind != kind) throw std::invalid_argument("a pointer overlaps another one");
            return it->second;
        }
        const auto position = it - elements.begin();
        structureBytes_ += 1 + (kind == Kind::Leaf ? 0 : 2);  // comma, brackets
        nodes_.push_back(Node{kind, {}, {}, {}, 0});
        nodes_[parent].elements.insert(nodes_[parent].elements.begin() + position, {index, nodes_.size() - 1});
        return nodes_.size() - 1;
    }
    for (const auto &[key, node] : nodes_[parent].members) {
        if (key != segment) continue;
        if (leaf || nodes_[node].kind != kind) throw std::invalid_argument("a pointer overlaps another one");
        return node;
    }
    nodes_.push_back(Node{kind, {}, {}, {}, 0});
    nodes_[parent].members.emplace_back(segment, nodes_.size() - 1);
    std::string keyText = ",";
    appendJsonString(keyText, segment);
    nodes_[parent].keyTexts.push_back(keyText + ':');
    structureBytes_ += nodes_[parent].keyTexts.back().size() + (kind == Kind::Leaf ? 0 : 2);  // ,"key": brackets
    return nodes_.size() - 1;
}

std::size_t JsonShape::addLeaf(std::string_view pointer) {
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

namespace {

// What writeJsonString writes for `text`, exactly: for the rare record whose
// worst case (every byte a \u00XX escape) would reserve far more than it needs.
std::size_t jsonStringExactSize(std::string_view text) noexcept {
    std::size_t size = 2;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && c != '"' && c != '\\')
            size += 1;
        else if (c == '"' || c == '\\')
            size += 2;
        else
            size += 6;
    }
    return size;
}

// Records up to this are sized by the worst case: one pass, no counting.
constexpr std::size_t kWorstCaseSizingLimit = 1u << 20;

}  // namespace

void JsonShape::write(const std::vector<FieldValue> &values, std::string &out) const {
    const std::size_t start = out.size();
    out.resize(start + maxSize(values));
    char *end = writeTo(values, out.data() + start);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

std::size_t JsonShape::maxSize(const std::vector<FieldValue> &values) const noexcept {
    std::size_t size = structureBytes_;
    for (const FieldValue &value : values) size += jsonStringMaxSize(value.text.size());
    if (size <= kWorstCaseSizingLimit) return size;
    // A huge record: count, so memory stays near the record's own size.
    size = structureBytes_;
    for (const FieldValue &value : values) size += jsonStringExactSize(value.text);
    return size;
}

char *JsonShape::writeTo(const std::vector<FieldValue> &values, char *out) const noexcept {
    if (!writeNode(0, values, out)) {
        *out++ = '{';
        *out++ = '}';
    }
    return out;
}

bool JsonShape::writeNode(std::size_t index, const std::vector<FieldValue> &values, char *&out) const noexcept {
    const Node &node = nodes_[index];
    if (node.kind == Kind::Leaf) {
        const FieldValue &value = values[node.slot];
        switch (value.type) {
            case FieldValue::Type::Absent: return false;
            case FieldValue::Type::String: out = writeJsonString(out, value.text); return true;
            case FieldValue::Type::Number:
            case FieldValue::Type::Boolean: out = copyBytes(out, value.text.data(), value.text.size()); return true;
        }
        return false;
    }
    // Write optimistically and cut back what turned out empty: cheaper than a presence pass over the subtree.
    char *const start = out;
    bool any = false;
    *out++ = node.kind == Kind::Object ? '{' : '[';
    auto writeChild = [&](std::size_t child, const std::string *keyText) {
        // Most absent values are leaves: skip them before writing their key.
        if (nodes_[child].kind == Kind::Leaf && values[nodes_[child].slot].type == FieldValue::Type::Absent) return;
        char *const before = out;
        if (keyText != nullptr) {
            const std::size_t skip = any ? 0 : 1;  // the leading comma
            out = copyBytes(out, keyText->data() + skip, keyText->size() - skip);
        } else if (any) {
            *out++ = ',';
        }
        if (writeNode(child, values, out))
            any = true;
        else
            out = before;
    };
    if (node.kind == Kind::Object)
        for (std::size_t i = 0; i < node.members.size(); ++i) writeChild(node.members[i].second, &node.keyTexts[i]);
    else
        for (const auto &element : node.elements) writeChild(element.second, nullptr);
    if (!any) {
        out = start;
        return false;
    }
    *out++ = node.kind == Kind::Object ? '}' : ']';
    return true;
}

std::size_t firstToEscape(std::string_view text) noexcept {
    // Eight bytes at a time: a byte below 0x20, or equal to '"' or '\\', sets its high bit in `hit`.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
        const std::uint64_t hit =
            (((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHigh;
        if (hit != 0) break;
    }
    for (; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == '"' || c == '\\') return i;
    }
    return text.size();
}

void appendJsonString(std::string &out, std::string_view text) {
    const std::size_t start = out.size();
    out.resize(start + jsonStringMaxSize(text.size()));
    char *end = writeJsonString(out.data() + start, text);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

char *writeJsonString(char *out, std::string_view text) noexcept {
    static constexpr char kHex[] = "0123456789abcdef";
    *out++ = '"';
    const std::size_t first = firstToEscape(text);
    out = copyBytes(out, text.data(), first);
    if (first == text.size()) {
        *out++ = '"';
        return out;
    }
    text.remove_prefix(first);
    std::size_t plain = 0;  // start of the run of bytes that need no escaping
    auto flush = [&](std::size_t end) { out = copyBytes(out, text.data() + plain, end - plain); };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        flush(i);
        plain = i + 1;
        *out++ = '\\';
        switch (c) {
            case '"': *out++ = '"'; break;
            case '\\': *out++ = '\\'; break;
            default:
                std::memcpy(out, "u00", 3);
                out += 3;
                *out++ = kHex[(c >> 4) & 0xF];
                *out++ = kHex[c & 0xF];
        }
    }
    flush(text.size());
    *out++ = '"';
    return out;
}

}  // namespace lendgate::fixedwidth
