#include "json_layout.h"

#include <algorithm>
#include <stdexcept>

#include "value_transforms.h"

namespace lendgate::xml {
namespace {

bool isIndex(const std::string &segment) noexcept {
    if (segment.empty() || segment.size() > 4) return false;
    return std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> pointerSegments(std::string_view pointer) {
    if (pointer.empty() || pointer.front() != '/') throw std::invalid_argument("a JSON Pointer must start with /");
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (true) {
        const std::size_t end = std::min(pointer.find('/', start), pointer.size());
        std::string segment;
        for (std::size_t i = start; i < end; ++i) {
            if (pointer[i] != '~') {
                segment += pointer[i];
                continue;
            }
            if (i + 1 == end || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                throw std::invalid_argument("a JSON Pointer has a ~ that is not ~0 or ~1");
            segment += pointer[++i] == '0' ? '~' : '/';
        }
        if (segment.empty()) throw std::invalid_argument("a JSON Pointer has an empty segment");
        segments.push_back(std::move(segment));
        if (end == pointer.size()) break;
        start = end + 1;
    }
    return segments;
}

JsonLayout::JsonLayout() {
    nodes_.push_back(Node{Kind::Object, {}, {}, 0, 0});
}

std::size_t JsonLayout::child(std::size_t parent, const std::string &segment) {
    const bool index = isIndex(segment);
    Node &p = nodes_[parent];
    if (p.kind == Kind::Unset) p.kind = index ? Kind::Array : Kind::Object;
    if (p.kind == Kind::Leaf || p.kind == Kind::Repeat)
        throw std::invalid_argument("it goes inside a value or a repeated array another mapping writes");
    if (index != (p.kind == Kind::Array))
        throw std::invalid_argument("it makes one member both an object and an array (a digit segment is an index)");
    if (p.kind == Kind::Object) {
        for (const auto &[key, node] : p.members)
            if (key == segment) return node;
        const std::size_t created = nodes_.size();
        nodes_[parent].members.emplace_back(segment, created);
        nodes_.emplace_back();
        return created;
    }
    const std::size_t position = std::stoul(segment);
    auto &elements = p.elements;
    auto at = std::lower_bound(elements.begin(), elements.end(), std::make_pair(position, std::size_t{0}));
    if (at != elements.end() && at->first == position) return at->second;
    const std::size_t created = nodes_.size();
    elements.insert(at, {position, created});
    nodes_.emplace_back();
    return created;
}

std::size_t JsonLayout::walk(std::size_t base, std::string_view pointer) {
    std::size_t node = base;
    for (const std::string &segment : pointerSegments(pointer)) node = child(node, segment);
    if (nodes_[node].kind != Kind::Unset)
        throw std::invalid_argument("another mapping already writes this pointer or something inside it");
    return node;
}

void JsonLayout::addLeaf(std::size_t base, std::string_view pointer, std::size_t slot) {
    const std::size_t node = walk(base, pointer);
    nodes_[node].kind = Kind::Leaf;
    nodes_[node].slot = slot;
}

std::size_t JsonLayout::addRepeat(std::size_t base, std::string_view pointer, std::size_t repeatSlot, bool scalar) {
    const std::size_t node = walk(base, pointer);
    const std::size_t element = nodes_.size();
    nodes_.emplace_back();
    if (scalar) nodes_[element].kind = Kind::Leaf;  // slot 0 of each occurrence's frame
    nodes_[node].kind = Kind::Repeat;
    nodes_[node].slot = repeatSlot;
    nodes_[node].element = element;
    return element;
}

void JsonLayout::orderRoot(const std::vector<std::string> &order) {
    auto &members = nodes_[kRoot].members;
    auto rank = [&](const std::string &key) {
        return static_cast<std::size_t>(std::find(order.begin(), order.end(), key) - order.begin());
    };
    std::stable_sort(members.begin(), members.end(),
                     [&](const auto &a, const auto &b) { return rank(a.first) < rank(b.first); });
}

void JsonLayout::write(const Frame &record, std::string &out) const {
    if (!writeNode(kRoot, record, out)) out += "{}";
}

bool JsonLayout::writeNode(std::size_t index, const Frame &frame, std::string &out) const {
    const Node &node = nodes_[index];
    switch (node.kind) {
        case Kind::Unset: return false;
        case Kind::Leaf: {
            if (node.slot >= frame.values.size()) return false;
            const Scalar &value = frame.values[node.slot];
            switch (value.type) {
                case Scalar::Type::Absent: return false;
                case Scalar::Type::String: appendJsonString(out, value.text); return true;
                case Scalar::Type::Number:
                case Scalar::Type::Boolean: out += value.text; return true;
            }
            return false;
        }
        case Kind::Repeat: {
            if (node.slot >= frame.repeats.size()) return false;
            const std::size_t start = out.size();
            bool any = false;
            out += '[';
            for (const Frame &element : frame.repeats[node.slot]) {
                const std::size_t before = out.size();
                if (any) out += ',';
                if (writeNode(node.element, element, out))
                    any = true;
                else
                    out.resize(before);
            }
            if (!any) {
                out.resize(start);
                return false;
            }
            out += ']';
            return true;
        }
        case Kind::Object:
        case Kind::Array: break;
    }
    // Write optimistically and cut back what turned out empty: cheaper than a presence pass over the subtree.
    const std::size_t start = out.size();
    bool any = false;
    out += node.kind == Kind::Object ? '{' : '[';
    auto writeChild = [&](std::size_t child, const std::string *key) {
        const std::size_t before = out.size();
        if (any) out += ',';
        if (key != nullptr) {
            appendJsonString(out, *key);
            out += ':';
        }
        if (writeNode(child, frame, out))
            any = true;
        else
            out.resize(before);
    };
    if (node.kind == Kind::Object)
        for (const auto &[key, child] : node.members) writeChild(child, &key);
    else
        for (const auto &element : node.elements) writeChild(element.second, nullptr);
    if (!any) {
        out.resize(start);
        return false;
    }
    out += node.kind == Kind::Object ? '}' : ']';
    return true;
}

}  // namespace lendgate::xml
