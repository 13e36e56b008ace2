#include "core/routing/detail/record_fields.h"

#include <algorithm>
#include <exception>

#include <nlohmann/json.hpp>

namespace lendgate::routing::detail {

std::optional<std::vector<std::string>> splitPointer(std::string_view pointer, std::string &problem) {
    if (pointer.empty() || pointer.front() != '/') {
        problem = "a JSON Pointer starts with '/' at the record's top level, e.g. \"/payload/loan/governing_state\"";
        return std::nullopt;
    }
    std::vector<std::string> tokens;
    std::string token;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (pointer[i] != '~') {
            token.push_back(pointer[i]);
            continue;
        }
        // RFC 6901: "~0" is '~' and "~1" is '/'; any other '~' is malformed.
        if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
            token.push_back(pointer[i + 1] == '0' ? '~' : '/');
            ++i;
            continue;
        }
        problem = "'~' in a JSON Pointer must be followed by 0 or 1";
        return std::nullopt;
    }
    return tokens;
}

std::optional<std::size_t> arrayIndex(std::string_view token) noexcept {
    // Nine digits at most: no record has a billion elements, and the value
    // then fits any size_t without an overflow check.
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token.front() == '0')) return std::nullopt;
    std::size_t value = 0;
    for (char c : token) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
}

FieldSet::FieldSet() : nodes_(1) {}

std::size_t FieldSet::add(const std::vector<std::string> &tokens) {
    std::size_t node = 0;
    for (const std::string &token : tokens) {
        std::size_t next = childByName(node, token);
        if (next == kNone) {
            next = nodes_.size();
            const std::optional<std::size_t> index = arrayIndex(token);
            nodes_[node].children.push_back(Child{token, index.value_or(kNone), next});
            nodes_.emplace_back();  // may reallocate: no reference into nodes_ is held here
        }
        node = next;
    }
    if (nodes_[node].slot == kNone) nodes_[node].slot = slotCount_++;
    return nodes_[node].slot;
}

std::size_t FieldSet::childByName(std::size_t node, std::string_view name) const noexcept {
    for (const Child &child : nodes_[node].children) {
        if (child.name == name) return child.node;
    }
    return kNone;
}

std::size_t FieldSet::childByIndex(std::size_t node, std::size_t index) const noexcept {
    for (const Child &child : nodes_[node].children) {
        if (child.index == index) return child.node;
    }
    return kNone;
}

// nlohmann's SAX interface, duck-typed (no virtual calls). It follows the
// record's structure with a stack of frames, each knowing the trie node of
// its container (kNone once outside every pointer), and copies a value out
// only when it sits exactly at a pointer.
class FieldReader {
public:
    using json = nlohmann::json;

    FieldReader(const FieldSet &fields, const std::vector<bool> &wanted, std::vector<FieldValue> &values)
        : fields_(fields),
          wanted_(wanted),
          values_(values),
          remaining_(static_cast<std::size_t>(std::count(wanted.begin(), wanted.end(), true))) {}

    bool complete() const noexcept { return complete_; }
    bool failed() const noexcept { return failed_; }

    bool null() { return scalar(FieldValue::Kind::Null, {}, false); }
    bool boolean(bool value) { return scalar(FieldValue::Kind::Boolean, {}, value); }
    bool number_integer(json::number_integer_t value) {
        return scalar(FieldValue::Kind::Number, std::to_string(value), false);
    }
    bool number_unsigned(json::number_unsigned_t value) {
        return scalar(FieldValue::Kind::Number, std::to_string(value), false);
    }
    // The text as written, not the double: "100.10" must stay exact.
    bool number_float(json::number_float_t, const json::string_t &text) {
        return scalar(FieldValue::Kind::Number, text, false);
    }
    bool string(json::string_t &value) { return scalar(FieldValue::Kind::String, value, false); }
    bool binary(json::binary_t &) { return fail(); }

    bool start_object(std::size_t) { return open(FieldValue::Kind::Object); }
    bool key(json::string_t &name) {
        Frame &frame = frames_.back();
        frame.pendingChild = frame.node == FieldSet::kNone ? FieldSet::kNone : fields_.childByName(frame.node, name);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(FieldValue::Kind::Array); }
    bool end_array() { return close(); }

    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return fail(); }

private:
    // Deep enough for any canonical record; a deeper input is not one.
    static constexpr std::size_t kMaxDepth = 128;

    struct Frame {
        std::size_t node;
        bool isArray;
        std::size_t nextIndex = 0;
        std::size_t pendingChild = FieldSet::kNone;
    };

    // The trie node of the value that starts now.
    std::size_t target() {
        if (frames_.empty()) return 0;
        Frame &frame = frames_.back();
        if (!frame.isArray) return frame.pendingChild;
        const std::size_t index = frame.nextIndex++;
        return frame.node == FieldSet::kNone ? FieldSet::kNone : fields_.childByIndex(frame.node, index);
    }

    bool capture(std::size_t node, FieldValue::Kind kind, std::string_view text, bool boolean) {
        if (node == FieldSet::kNone) return true;
        const std::size_t slot = fields_.nodes_[node].slot;
        if (slot == FieldSet::kNone || values_[slot].present()) return true;
        FieldValue &value = values_[slot];
        value.kind = kind;
        value.boolean = boolean;
        value.text.assign(text);
        if (wanted_[slot] && --remaining_ == 0) {
            // Every field is known: the rest of the record cannot change the
            // outcome, so stop reading (returning false ends the parse).
            complete_ = true;
            return false;
        }
        return true;
    }

    bool scalar(FieldValue::Kind kind, std::string_view text, bool boolean) {
        if (frames_.empty()) return fail();  // the record must be an object
        return capture(target(), kind, text, boolean);
    }

    bool open(FieldValue::Kind kind) {
        if (frames_.empty() && (rootSeen_ || kind != FieldValue::Kind::Object)) return fail();
        if (frames_.size() >= kMaxDepth) return fail();
        rootSeen_ = true;
        const std::size_t node = target();
        const bool descend = node != FieldSet::kNone && !fields_.nodes_[node].children.empty();
        frames_.push_back(Frame{descend ? node : FieldSet::kNone, kind == FieldValue::Kind::Array});
        return capture(node, kind, {}, false);
    }

    bool close() {
        frames_.pop_back();
        return true;
    }

    bool fail() {
        failed_ = true;
        return false;
    }

    const FieldSet &fields_;
    const std::vector<bool> &wanted_;
    std::vector<FieldValue> &values_;
    std::size_t remaining_;
    std::vector<Frame> frames_;
    bool rootSeen_ = false;
    bool complete_ = false;
    bool failed_ = false;
};

bool FieldSet::read(std::string_view json, const std::vector<bool> &wanted, std::vector<FieldValue> &values) const {
    values.assign(slotCount_, FieldValue{});
    FieldReader reader(*this, wanted, values);
    try {
        const bool parsed = nlohmann::json::sax_parse(json.begin(), json.end(), &reader,
                                                      nlohmann::json::input_format_t::json, true, false);
        if (reader.complete()) return true;
        return parsed && !reader.failed();
    } catch (const std::exception &) {
        // nlohmann reports syntax through parse_error; this guards the rest
        // (e.g. allocation failure) so no exception leaves the room.
        return false;
    }
}

}  // namespace lendgate::routing::detail
