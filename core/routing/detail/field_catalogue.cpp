#include "core/routing/detail/field_catalogue.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/routing/detail/embedded_schemas.h"
#include "core/routing/detail/record_fields.h"

namespace lendgate::routing::detail {

namespace {

using json = nlohmann::json;
using Tokens = std::vector<std::string>;

constexpr std::uint32_t kTagKinds = kKindAmount | kKindDate | kKindDateTime;
// The SDK's schemas nest a dozen levels at most; this only stops a $ref cycle.
constexpr int kMaxDepth = 64;

FieldInfo openField() {
    return FieldInfo{};
}
bool isOpen(const FieldInfo &info) {
    return info.kinds == kKindAny && !info.values;
}

// Both constraints apply (allOf, or a node's own keywords beside its allOf).
// An open side adds nothing; tags (amount, date) from either side are kept,
// since a branch that says more about a string is the one to believe.
std::optional<FieldInfo> intersect(std::optional<FieldInfo> a, const std::optional<FieldInfo> &b) {
    if (!a || !b) return std::nullopt;
    if (isOpen(*a)) return b;
    if (isOpen(*b)) return a;
    FieldInfo out;
    out.kinds = ((a->kinds & b->kinds) & ~kTagKinds) | ((a->kinds | b->kinds) & kTagKinds);
    if (a->values && b->values) {
        std::set<std::string> both;
        std::set_intersection(a->values->begin(), a->values->end(), b->values->begin(), b->values->end(),
                              std::inserter(both, both.end()));
        out.values = std::move(both);
    } else {
        out.values = a->values ? a->values : b->values;
    }
    return out;
}

// Either constraint may apply (anyOf, oneOf, or several message types).
std::optional<FieldInfo> unite(std::optional<FieldInfo> a, const std::optional<FieldInfo> &b) {
    if (!a) return b;
    if (!b) return a;
    if (isOpen(*a) || isOpen(*b)) return openField();
    FieldInfo out;
    out.kinds = a->kinds | b->kinds;
    if (a->values && b->values) {
        out.values = *a->values;
        out.values->insert(b->values->begin(), b->values->end());
    }
    return out;
}

std::uint32_t kindOfTypeName(const std::string &name) {
    if (name == "string") return kKindString;
    if (name == "integer") return kKindInteger;
    if (name == "number") return kKindNumber | kKindInteger;
    if (name == "boolean") return kKindBoolean;
    if (name == "object") return kKindObject;
    if (name == "array") return kKindArray;
    if (name == "null") return kKindNull;
    return 0;
}

// The kinds the node's "type" allows; kKindAny when it has none.
std::uint32_t typeKinds(const json &node) {
    const auto type = node.find("type");
    if (type == node.end()) return kKindAny;
    if (type->is_string()) return kindOfTypeName(type->get<std::string>());
    std::uint32_t kinds = 0;
    if (type->is_array()) {
        for (const json &name : *type) {
            if (name.is_string()) kinds |= kindOfTypeName(name.get<std::string>());
        }
    }
    return kinds;
}

FieldInfo leafInfo(const json &node) {
    FieldInfo info;
    info.kinds = typeKinds(node);
    if (const auto format = node.find("format"); format != node.end() && format->is_string()) {
        if (*format == "date") info.kinds |= kKindDate;
        if (*format == "date-time") info.kinds |= kKindDateTime;
    }
    std::set<std::string> values;
    bool enumerated = false;
    if (const auto constant = node.find("const"); constant != node.end()) {
        enumerated = true;
        if (constant->is_string()) values.insert(constant->get<std::string>());
    }
    if (const auto options = node.find("enum"); options != node.end() && options->is_array()) {
        enumerated = true;
        for (const json &option : *options) {
            if (option.is_string()) values.insert(option.get<std::string>());
        }
    }
    if (enumerated) {
        if (info.kinds == kKindAny) info.kinds = kKindString;
        info.values = std::move(values);
    }
    return info;
}

bool isAmountReference(std::string_view ref) {
    return ref.ends_with("/definitions/decimal") || ref.ends_with("/definitions/non_negative_decimal");
}

}  // namespace

struct FieldCatalogue::Impl {
    std::map<std::string, json, std::less<>> files;

    void addFile(const std::string &name) {
        const std::string_view text = embeddedSdkSchema(name);
        if (text.empty()) throw std::runtime_error("schema " + name + " is not compiled into the routing library");
        files.emplace(name, json::parse(text));
    }

    // The schema a "$ref" names: "#/definitions/x" in the current file,
    // "common.schema.json#/definitions/x" or "envelope.schema.json" in another.
    const json *follow(const std::string &ref, const std::string &file, std::string &targetFile) const {
        const std::size_t hash = ref.find('#');
        targetFile = hash == 0 ? file : ref.substr(0, hash);
        const auto document = files.find(targetFile);
        if (document == files.end()) return nullptr;
        if (hash == std::string::npos || hash + 1 == ref.size()) return &document->second;
        try {
            const json::json_pointer pointer(ref.substr(hash + 1));
            return document->second.contains(pointer) ? &document->second.at(pointer) : nullptr;
        } catch (const json::exception &) {
            return nullptr;
        }
    }

    std::optional<FieldInfo> resolve(const json &node, const std::string &file, const Tokens &tokens, std::size_t at,
                                     int depth) const {
        if (depth > kMaxDepth) return openField();
        if (node.is_boolean()) return node.get<bool>() ? std::optional<FieldInfo>(openField()) : std::nullopt;
        if (!node.is_object()) return openField();

        // Draft-07: keywords beside a "$ref" are ignored.
        if (const auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
            std::string targetFile;
            const json *target = follow(ref->get<std::string>(), file, targetFile);
            if (target == nullptr) return openField();  // cannot judge: do not refuse
            std::optional<FieldInfo> info = resolve(*target, targetFile, tokens, at, depth + 1);
            if (info && at == tokens.size() && isAmountReference(ref->get<std::string>())) info->kinds |= kKindAmount;
            return info;
        }

        std::optional<FieldInfo> info = own(node, file, tokens, at, depth);
        if (const auto all = node.find("allOf"); all != node.end() && all->is_array()) {
            for (const json &branch : *all) info = intersect(info, resolve(branch, file, tokens, at, depth + 1));
        }
        for (const char *keyword : {"anyOf", "oneOf"}) {
            const auto some = node.find(keyword);
            if (some == node.end() || !some->is_array()) continue;
            std::optional<FieldInfo> either;
            for (const json &branch : *some) either = unite(either, resolve(branch, file, tokens, at, depth + 1));
            info = intersect(info, either);
        }
        // "if"/"then"/"else" and "not" only narrow what is allowed; ignoring
        // them can only accept a pointer, never refuse a good one.
        return info;
    }

    // What the node's own keywords (properties, items, type) say.
    std::optional<FieldInfo> own(const json &node, const std::string &file, const Tokens &tokens, std::size_t at,
                                 int depth) const {
        if (at == tokens.size()) return leafInfo(node);
        const std::string &token = tokens[at];
        if (const auto properties = node.find("properties"); properties != node.end() && properties->is_object()) {
            if (const auto member = properties->find(token); member != properties->end()) {
                return resolve(*member, file, tokens, at + 1, depth + 1);
            }
        }
        const std::uint32_t kinds = typeKinds(node);
        if (const std::optional<std::size_t> index = arrayIndex(token); index && (kinds & kKindArray) != 0) {
            if (const auto maxItems = node.find("maxItems");
                maxItems != node.end() && maxItems->is_number_unsigned() && *index >= maxItems->get<std::size_t>()) {
                return std::nullopt;
            }
            if (const auto items = node.find("items"); items != node.end()) {
                return resolve(*items, file, tokens, at + 1, depth + 1);
            }
            return openField();
        }
        if ((kinds & kKindObject) == 0) return std::nullopt;  // a scalar, or an array given a name
        const auto additional = node.find("additionalProperties");
        if (additional == node.end()) return openField();
        return resolve(*additional, file, tokens, at + 1, depth + 1);
    }
};

FieldCatalogue::FieldCatalogue() : impl_(std::make_unique<Impl>()) {
    impl_->addFile("common.schema.json");
    impl_->addFile("envelope.schema.json");
    for (std::size_t i = 0; i <= static_cast<std::size_t>(model::MessageType::Ack); ++i) {
        impl_->addFile(std::string(model::toString(static_cast<model::MessageType>(i))) + ".schema.json");
    }
}

FieldCatalogue::~FieldCatalogue() = default;

std::optional<FieldInfo> FieldCatalogue::lookup(model::MessageType type, const std::vector<std::string> &tokens) const {
    const std::string file = std::string(model::toString(type)) + ".schema.json";
    const auto schema = impl_->files.find(file);
    if (schema == impl_->files.end()) return openField();
    return impl_->resolve(schema->second, file, tokens, 0, 0);
}

}  // namespace lendgate::routing::detail
