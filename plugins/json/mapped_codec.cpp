#include "mapped_codec.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace lendgate::json_plugin {
namespace {

bool isDigits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string_view withoutSign(std::string_view s) {
    return !s.empty() && s.front() == '-' ? s.substr(1) : s;
}

// -?digits(.digits)?: an amount as the canonical model writes it, without exponent.
bool isPlainDecimal(std::string_view s) {
    s = withoutSign(s);
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos) return isDigits(s);
    return isDigits(s.substr(0, dot)) && isDigits(s.substr(dot + 1));
}

// RFC 8259 number grammar.
bool isJsonNumber(std::string_view s) {
    s = withoutSign(s);
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > start;
    };
    if (s.empty()) return false;
    if (s[0] == '0') {
        ++i;
    } else if (!digits()) {
        return false;
    }
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == s.size();
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

const char *kindName(ValueType type) {
    switch (type) {
        case ValueType::String: return "a string";
        case ValueType::Number: return "a number";
        case ValueType::Integer: return "an integer";
        case ValueType::Boolean: return "true or false";
        case ValueType::Any: break;
    }
    return "a value";
}

}  // namespace

const TypeMapping *MappedCodec::selectType(const JsonTree &partner) const {
    for (const auto &type : config_.types) {
        if (!type->select) return type.get();
        std::uint32_t at = 0;
        std::size_t depth = 0;
        if (partner.find(JsonTree::kRoot, type->select->from, at, depth) != JsonTree::Found::Value) continue;
        if (type->select->in.empty()) return type.get();
        const JsonKind kind = partner.node(at).kind;
        if (kind == JsonKind::Object || kind == JsonKind::Array) continue;
        std::string scratch;
        const std::string_view value = kind == JsonKind::String ? partner.stringValue(at, scratch) : partner.raw(at);
        for (const std::string &candidate : type->select->in)
            if (value == candidate) return type.get();
    }
    return nullptr;
}

const TypeMapping *MappedCodec::typeNamed(std::string_view messageType) const {
    for (const auto &type : config_.types)
        if (type->messageType == messageType) return type.get();
    return nullptr;
}

std::size_t MappedCodec::write(const TypeMapping &type, bool decode, const JsonTree &source, std::string &out,
                               const ErrorFn &onError) {
    source_ = &source;
    decode_ = decode;
    onError_ = &onError;
    errors_ = 0;
    each_.clear();
    out.clear();
    if (!writeNode(decode ? type.decodeTree : type.encodeTree, JsonTree::kRoot, out)) out = "{}";
    return errors_;
}

std::string MappedCodec::pointerText(const FieldRule &rule, bool canonical) const {
    std::string text;
    for (const auto &[array, index] : each_) {
        text += (canonical ? array->to : array->from)->text;
        text += '/';
        text += std::to_string(index);
    }
    const auto &pointer = canonical ? rule.to : rule.from;
    if (pointer) text += pointer->text;
    return text;
}

void MappedCodec::report(std::string_view code, const FieldRule &rule, const std::string &reason) {
    ++errors_;
    (*onError_)(code, pointerText(rule, true), "partner " + pointerText(rule, false) + ": " + reason);
}

bool MappedCodec::writeNode(const OutNode &node, std::uint32_t context, std::string &out) {
    if (node.kind == OutNode::Kind::Leaf) return writeLeaf(*node.rule, context, out);
    if (node.kind == OutNode::Kind::Each) return writeEach(node, context, out);
    const bool object = node.kind == OutNode::Kind::Object;
    const std::size_t start = out.size();
    out += object ? '{' : '[';
    bool any = false;
    for (const OutNode &child : node.children) {
        const std::size_t mark = out.size();
        if (any) out += ',';
        out += child.key;
        if (writeNode(child, context, out))
            any = true;
        else
            out.resize(mark);  // blank is absent: an empty object or array element is left out
    }
    if (!any) {
        out.resize(start);
        return false;
    }
    out += object ? '}' : ']';
    return true;
}

bool MappedCodec::find(const FieldRule &rule, const Pointer &pointer, std::uint32_t context, std::uint32_t &at,
                       bool &present) {
    std::size_t depth = 0;
    switch (source_->find(context, pointer, at, depth)) {
        case JsonTree::Found::Value: present = true; return true;
        case JsonTree::Found::Absent: present = false; return true;
        case JsonTree::Found::Duplicate:
            report("duplicate_key", rule, "a member on the way appears more than once in its object");
            return false;
        case JsonTree::Found::WrongKind: break;
    }
    report("type", rule, "a value on the way is not the object or array the pointer goes through");
    return false;
}

bool MappedCodec::holds(const Condition &condition, std::uint32_t context) const {
    std::uint32_t at = 0;
    std::size_t depth = 0;
    if (source_->find(context, condition.from, at, depth) != JsonTree::Found::Value) return false;
    if (condition.in.empty()) return true;
    const JsonKind kind = source_->node(at).kind;
    if (kind == JsonKind::Object || kind == JsonKind::Array) return false;
    std::string scratch;
    const std::string_view value =
        trimmed(kind == JsonKind::String ? source_->stringValue(at, scratch) : source_->raw(at));
    for (const std::string &candidate : condition.in)
        if (equalsIgnoringCase(value, trimmed(candidate))) return true;
    return false;
}

bool MappedCodec::checkType(const FieldRule &rule, const Work &value) {
    bool ok = true;
    switch (rule.type) {
        case ValueType::Any: break;
        case ValueType::String: ok = value.kind == JsonKind::String; break;
        case ValueType::Number: ok = value.kind == JsonKind::Number; break;
        case ValueType::Integer:
            ok = value.kind == JsonKind::Number && value.text.find_first_of(".eE") == std::string_view::npos;
            break;
        case ValueType::Boolean: ok = value.kind == JsonKind::True || value.kind == JsonKind::False; break;
    }
    if (!ok) report("type", rule, std::string("expected ") + kindName(rule.type));
    return ok;
}

bool MappedCodec::writeLeaf(const FieldRule &rule, std::uint32_t context, std::string &out) {
    if (decode_ && rule.when && !holds(*rule.when, context)) return false;
    if (!rule.constJson.empty()) {
        out += rule.constJson;
        return true;
    }
    const Pointer *source = decode_ ? (rule.from ? &*rule.from : nullptr) : &*rule.to;
    std::uint32_t at = 0;
    bool present = false;
    if (source != nullptr && !find(rule, *source, context, at, present)) return false;
    if (!present) {
        if (decode_ && !rule.defaultJson.empty()) {
            out += rule.defaultJson;
            return true;
        }
        // Encode cannot test a decode condition: a field under `when` is required only when decoding.
        if (rule.required && (decode_ || !rule.when)) report("required", rule, "required, but absent or null");
        return false;
    }
    const JsonKind kind = source_->node(at).kind;
    if (kind == JsonKind::Object || kind == JsonKind::Array) {
        report("type", rule, "an object or array where a single value belongs");
        return false;
    }
    if (rule.transforms.empty() && rule.type == ValueType::Any) {
        out += source_->raw(at);  // as written: escapes, digits and all
        return true;
    }
    Work value{kind, kind == JsonKind::String ? source_->stringValue(at, scratch_[next_]) : source_->raw(at)};
    if (kind == JsonKind::String && source_->node(at).escaped) next_ ^= 1;
    if (decode_) {
        if (!checkType(rule, value)) return false;
        for (const Transform transform : rule.transforms)
            if (!convert(rule, transform, value)) return false;
    } else {
        for (auto t = rule.transforms.rbegin(); t != rule.transforms.rend(); ++t)
            if (!convert(rule, *t, value)) return false;
        if (!checkType(rule, value)) return false;
    }
    switch (value.kind) {
        case JsonKind::String: appendJsonString(out, value.text); break;
        case JsonKind::True: out += "true"; break;
        case JsonKind::False: out += "false"; break;
        default: out += value.text;
    }
    return true;
}

bool MappedCodec::writeEach(const OutNode &node, std::uint32_t context, std::string &out) {
    const FieldRule &rule = *node.rule;
    if (decode_ && rule.when && !holds(*rule.when, context)) return false;
    std::uint32_t at = 0;
    bool present = false;
    if (!find(rule, decode_ ? *rule.from : *rule.to, context, at, present)) return false;
    if (!present) {
        if (rule.required && (decode_ || !rule.when)) report("required", rule, "required, but absent or null");
        return false;
    }
    if (source_->node(at).kind != JsonKind::Array) {
        report("type", rule, "expected an array");
        return false;
    }
    const std::size_t start = out.size();
    out += '[';
    bool any = false;
    std::size_t index = 0;
    source_->forEachElement(at, [&](std::uint32_t element) {
        each_.emplace_back(&rule, index++);
        const std::size_t mark = out.size();
        if (any) out += ',';
        if (writeNode(*node.element, element, out))
            any = true;
        else
            out.resize(mark);
        each_.pop_back();
    });
    if (!any) {
        out.resize(start);
        if (rule.required) report("required", rule, "required, but every element is empty");
        return false;
    }
    out += ']';
    return true;
}

bool MappedCodec::convert(const FieldRule &rule, Transform transform, Work &value) {
    auto expect = [&](bool ok, const char *what) {
        if (!ok) report("type", rule, std::string("expected ") + what);
        return ok;
    };
    const bool isString = value.kind == JsonKind::String;
    const bool isNumber = value.kind == JsonKind::Number;
    switch (transform) {
        case Transform::Trim:
            if (!expect(isString, "a string")) return false;
            if (decode_) value.text = trimmed(value.text);
            return true;
        case Transform::Upper: {
            if (!expect(isString, "a string")) return false;
            if (!decode_) return true;
            std::string &buffer = scratch_[next_];
            buffer.assign(value.text);
            for (char &c : buffer) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            next_ ^= 1;
            value.text = buffer;
            return true;
        }
        case Transform::CodeTable: {
            if (!expect(isString, "a string")) return false;
            const auto &table = decode_ ? rule.codes : rule.reverseCodes;
            const auto hit = table.find(std::string(value.text));
            if (hit == table.end()) {
                report("code", rule,
                       decode_ ? "the code is not in the code table"
                               : "the code table has no partner code "
                                 "for this value");
                return false;
            }
            value.text = hit->second;
            return true;
        }
        case Transform::Decimal:
            if (!expect(decode_ ? isNumber : isString, decode_ ? "a number" : "a decimal string")) return false;
            // 40 characters hold any amount the model accepts (15 + 4 digits) with room to spare.
            if (!isPlainDecimal(value.text) || value.text.size() > 40) {
                report("amount", rule, "expected a plain decimal number of at most 40 characters, without exponent");
                return false;
            }
            value.kind = decode_ ? JsonKind::String : JsonKind::Number;
            return true;
        case Transform::CentsToDecimal: {
            if (!expect(decode_ ? isNumber : isString, decode_ ? "a number" : "a decimal string")) return false;
            const bool negative = !value.text.empty() && value.text.front() == '-';
            const std::string_view digits = withoutSign(value.text);
            std::string &buffer = scratch_[next_];
            buffer.clear();
            if (decode_) {
                if (!isDigits(digits) || digits.size() > 18) {
                    report("amount", rule, "expected a whole number of cents");
                    return false;
                }
                std::string cents(digits);
                if (cents.size() < 3) cents.insert(0, 3 - cents.size(), '0');
                if (negative && digits.find_first_not_of('0') != std::string_view::npos) buffer += '-';
                buffer.append(cents, 0, cents.size() - 2);
                buffer += '.';
                buffer.append(cents, cents.size() - 2, 2);
                value.kind = JsonKind::String;
            } else {
                const std::size_t dot = digits.find('.');
                const std::string_view whole = digits.substr(0, dot);
                std::string fraction(dot == std::string_view::npos ? std::string_view() : digits.substr(dot + 1));
                fraction.resize(std::max<std::size_t>(fraction.size(), 2), '0');
                if (!isPlainDecimal(value.text) || fraction.find_first_not_of('0', 2) != std::string::npos ||
                    whole.size() > 16) {
                    report("amount", rule, "expected a decimal amount in whole cents");
                    return false;
                }
                std::string cents = std::string(whole) + fraction.substr(0, 2);
                const std::size_t first = std::min(cents.find_first_not_of('0'), cents.size() - 1);
                cents.erase(0, first);
                if (negative && cents != "0") buffer += '-';
                buffer += cents;
                value.kind = JsonKind::Number;
            }
            next_ ^= 1;
            value.text = buffer;
            return true;
        }
        case Transform::Integer: {
            if (!decode_) {
                if (!expect(isNumber && value.text.find_first_of(".eE") == std::string_view::npos, "an integer"))
                    return false;
                value.kind = JsonKind::String;
                return true;
            }
            if (!expect(isString, "a string")) return false;
            const std::string_view text = trimmed(value.text);
            const std::string_view digits = withoutSign(text);
            if (!isDigits(digits) || digits.size() > 18) {
                report("integer", rule, "expected a string of at most 18 digits");
                return false;
            }
            const std::size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
            std::string &buffer = scratch_[next_];
            buffer.clear();
            if (text.front() == '-' && digits.substr(first) != "0") buffer += '-';
            buffer.append(digits.substr(first));
            next_ ^= 1;
            value = Work{JsonKind::Number, buffer};
            return true;
        }
        case Transform::String:
            if (decode_) {
                if (!expect(isNumber, "a number")) return false;
                value.kind = JsonKind::String;
                return true;
            }
            if (!expect(isString && isJsonNumber(value.text), "a string holding a number")) return false;
            value.kind = JsonKind::Number;
            return true;
        case Transform::Boolean:
            if (!decode_) {
                if (!expect(value.kind == JsonKind::True || value.kind == JsonKind::False, "true or false"))
                    return false;
                value = Work{JsonKind::String, rule.booleanText[value.kind == JsonKind::True ? 0 : 1]};
                return true;
            }
            if (!expect(isString, "a string")) return false;
            for (const std::string_view yes : std::initializer_list<std::string_view>{
                     "Y", "YES", "TRUE", "T", "1", std::string_view(rule.booleanText[0])})
                if (equalsIgnoringCase(trimmed(value.text), yes)) {
                    value = Work{JsonKind::True, "true"};
                    return true;
                }
            for (const std::string_view no : std::initializer_list<std::string_view>{
                     "N", "NO", "FALSE", "F", "0", std::string_view(rule.booleanText[1])})
                if (equalsIgnoringCase(trimmed(value.text), no)) {
                    value = Work{JsonKind::False, "false"};
                    return true;
                }
            report("boolean", rule, "expected yes or no");
            return false;
    }
    return false;
}

}  // namespace lendgate::json_plugin
