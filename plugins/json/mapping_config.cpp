#include "mapping_config.h"

#include <lendgate/plugin.hpp>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>

namespace lendgate::json_plugin {
namespace {

// Insertion order matters: the first partner code listed for a canonical value is the one encode writes.
using Json = nlohmann::ordered_json;

// Marks the synthetic rule that writes the type selection's value, which a field may take over.
constexpr std::string_view kSelection = "(selection)";

[[noreturn]] void fail(const std::string &where, const std::string &why) {
    throw configError("config", where + ": " + why);
}

void checkKeys(const Json &object, std::initializer_list<std::string_view> allowed, const std::string &where) {
    if (!object.is_object()) fail(where, "must be an object");
    for (const auto &item : object.items())
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
            fail(where, "unknown key " + item.key());
}

Pointer pointerAt(const Json &value, const std::string &where) {
    Pointer pointer;
    if (!value.is_string() || !parsePointer(value.get<std::string>(), pointer))
        fail(where, "must be a JSON Pointer (\"/a/b\", ~0 for ~ and ~1 for /)");
    return pointer;
}

std::string scalarJson(const Json &value, const std::string &where) {
    if (!value.is_string() && !value.is_boolean() && !value.is_number_integer())
        fail(where, "must be a string, an integer or a boolean");
    return value.dump();
}

Transform transformNamed(const Json &name, const std::string &where) {
    static const std::pair<std::string_view, Transform> kNames[] = {
        {"trim", Transform::Trim},
        {"upper", Transform::Upper},
        {"code_table", Transform::CodeTable},
        {"decimal", Transform::Decimal},
        {"cents_to_decimal", Transform::CentsToDecimal},
        {"integer", Transform::Integer},
        {"string", Transform::String},
        {"boolean", Transform::Boolean},
    };
    if (name.is_string())
        for (const auto &[text, transform] : kNames)
            if (name.get<std::string>() == text) return transform;
    fail(where, "unknown transform");
}

Condition conditionAt(const Json &value, const std::string &where) {
    checkKeys(value, {"from", "in"}, where);
    if (!value.contains("from")) fail(where, "needs from");
    Condition condition{pointerAt(value["from"], where + "/from"), {}};
    if (value.contains("in")) {
        const Json &in = value["in"];
        if (!in.is_array() || in.empty()) fail(where + "/in", "must be a non-empty array of strings");
        for (const Json &item : in) {
            if (!item.is_string()) fail(where + "/in", "must be a non-empty array of strings");
            condition.in.push_back(item.get<std::string>());
        }
    }
    return condition;
}

FieldRule fieldAt(const Json &value, const std::string &where, bool inElement) {
    checkKeys(value,
              {"from", "to", "const", "default", "transform", "codes", "boolean_text", "type", "required", "direction",
               "when", "each"},
              where);
    FieldRule rule;
    if (value.contains("from")) rule.from = pointerAt(value["from"], where + "/from");
    if (value.contains("to")) rule.to = pointerAt(value["to"], where + "/to");
    if (value.contains("const")) rule.constJson = scalarJson(value["const"], where + "/const");
    if (value.contains("default")) rule.defaultJson = scalarJson(value["default"], where + "/default");
    if (value.contains("transform")) {
        const Json &t = value["transform"];
        if (t.is_array()) {
            for (std::size_t i = 0; i < t.size(); ++i)
                rule.transforms.push_back(transformNamed(t[i], where + "/transform/" + std::to_string(i)));
        } else {
            rule.transforms.push_back(transformNamed(t, where + "/transform"));
        }
    }
    const bool codeTable =
        std::find(rule.transforms.begin(), rule.transforms.end(), Transform::CodeTable) != rule.transforms.end();
    if (value.contains("codes")) {
        const Json &codes = value["codes"];
        if (!codes.is_object() || codes.empty()) fail(where + "/codes", "must be a non-empty object");
        for (const auto &item : codes.items()) {
            std::vector<std::string> canonical;
            if (item.value().is_string()) canonical.push_back(item.value().get<std::string>());
            if (item.value().is_array())
                for (const Json &v : item.value())
                    if (v.is_string()) canonical.push_back(v.get<std::string>());
            if (canonical.empty() || (item.value().is_array() && canonical.size() != item.value().size()))
                fail(where + "/codes/" + item.key(), "must be a string or a non-empty array of strings");
            rule.codes[item.key()] = canonical.front();
            for (const std::string &c : canonical) rule.reverseCodes.emplace(c, item.key());
        }
    }
    if (codeTable != value.contains("codes")) fail(where, "code_table and codes go together");
    if (value.contains("boolean_text")) {
        const Json &b = value["boolean_text"];
        if (!b.is_array() || b.size() != 2 || !b[0].is_string() || !b[1].is_string() || b[0] == b[1])
            fail(where + "/boolean_text", "must be two different strings, for true and for false");
        rule.booleanText[0] = b[0].get<std::string>();
        rule.booleanText[1] = b[1].get<std::string>();
    }
    if (value.contains("type")) {
        const Json &type = value["type"];
        if (type == "string")
            rule.type = ValueType::String;
        else if (type == "number")
            rule.type = ValueType::Number;
        else if (type == "integer")
            rule.type = ValueType::Integer;
        else if (type == "boolean")
            rule.type = ValueType::Boolean;
        else
            fail(where + "/type", "must be string, number, integer or boolean");
    }
    if (value.contains("required")) {
        if (!value["required"].is_boolean()) fail(where + "/required", "must be true or false");
        rule.required = value["required"].get<bool>();
    }
    if (value.contains("direction")) {
        const Json &d = value["direction"];
        if (d == "decode")
            rule.direction = Direction::Decode;
        else if (d == "encode")
            rule.direction = Direction::Encode;
        else if (d != "both")
            fail(where + "/direction", "must be both, decode or encode");
    }
    if (value.contains("when")) rule.when = conditionAt(value["when"], where + "/when");
    if (value.contains("each")) {
        const Json &each = value["each"];
        if (!each.is_array() || each.empty()) fail(where + "/each", "must be a non-empty array of fields");
        if (!rule.from || !rule.to) fail(where, "each needs both from and to");
        if (!rule.constJson.empty() || !rule.defaultJson.empty() || !rule.transforms.empty() ||
            rule.type != ValueType::Any)
            fail(where, "each maps the elements; const, default, transform and type belong to its fields");
        rule.each = true;
        for (std::size_t i = 0; i < each.size(); ++i)
            rule.elementFields.push_back(fieldAt(each[i], where + "/each/" + std::to_string(i), true));
    }
    if (!rule.constJson.empty() && (!rule.defaultJson.empty() || !rule.transforms.empty() || rule.required))
        fail(where, "a const takes no default, transform or required");
    if (!rule.to && !rule.from) fail(where, "needs from, to or both");
    if (!rule.to && rule.constJson.empty()) fail(where, "needs to (or, for a partner constant, const)");
    if (!rule.from && rule.constJson.empty() && rule.defaultJson.empty())
        fail(where, "needs from (or, for a canonical constant, const or default)");
    if (!inElement && ((rule.to && rule.to->segments.empty()) || (rule.from && rule.from->segments.empty())))
        fail(where, "the empty pointer (the element itself) is only for fields inside each");
    return rule;
}

// The side of a rule a tree is keyed by, and whether the rule takes part in that direction.
const Pointer *targetOf(const FieldRule &rule, bool decode) {
    if (decode) {
        if (rule.direction == Direction::Encode || !rule.to) return nullptr;
        return &*rule.to;
    }
    if (rule.direction == Direction::Decode || !rule.from) return nullptr;
    if (!rule.to && rule.constJson.empty()) return nullptr;
    return &*rule.from;
}

void compileInto(OutNode &root, const std::vector<FieldRule> &rules, bool decode, const std::string &where);

void insert(OutNode &root, const Pointer &target, const FieldRule &rule, bool decode, const std::string &where) {
    OutNode *node = &root;
    for (const PointerSegment &segment : target.segments) {
        if (node->kind == OutNode::Kind::Leaf || node->kind == OutNode::Kind::Each)
            fail(where, "pointer " + target.text + " lies inside another field's value");
        if (node->children.empty()) node->kind = segment.isIndex ? OutNode::Kind::Array : OutNode::Kind::Object;
        if ((node->kind == OutNode::Kind::Array) != segment.isIndex)
            fail(where, "pointer " + target.text + " mixes array positions and member names at one level");
        std::string key;
        if (!segment.isIndex) {
            appendJsonString(key, segment.key);
            key += ':';
        }
        auto found = std::find_if(node->children.begin(), node->children.end(), [&](const OutNode &child) {
            return segment.isIndex ? child.index == segment.index : child.key == key;
        });
        if (found == node->children.end()) {
            OutNode child;
            if (segment.isIndex) {
                child.index = segment.index;
                found = std::upper_bound(node->children.begin(), node->children.end(), segment.index,
                                         [](std::uint32_t i, const OutNode &n) { return i < n.index; });
            } else {
                child.key = key;
                found = node->children.end();
            }
            found = node->children.insert(found, std::move(child));
        }
        node = &*found;
    }
    if (node->kind == OutNode::Kind::Leaf && node->rule->direction == Direction::Encode && node->rule->to &&
        node->rule->to->text == kSelection && !rule.each) {
        node->rule = &rule;  // the field that writes the selection member takes its place
        return;
    }
    if (node->kind == OutNode::Kind::Leaf || node->kind == OutNode::Kind::Each || !node->children.empty()) {
        fail(where, "pointer " + target.text + " is written by two fields, or holds another field's value");
    }
    node->rule = &rule;
    node->kind = rule.each ? OutNode::Kind::Each : OutNode::Kind::Leaf;
    if (rule.each) {
        node->element = std::make_unique<OutNode>();
        compileInto(*node->element, rule.elementFields, decode, where + "/each");
        if (node->element->children.empty() && node->element->kind == OutNode::Kind::Object)
            fail(where, "each has no field for this direction");
    }
}

void compileInto(OutNode &root, const std::vector<FieldRule> &rules, bool decode, const std::string &where) {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (const Pointer *target = targetOf(rules[i], decode))
            insert(root, *target, rules[i], decode, where + "/" + std::to_string(i));
}

// The envelope's members in the canonical model's order, the payload last, whatever the configuration's order:
// decoded records are then in canonical form (core/model toCanonicalJson) when their payload fields are listed
// in the schema's order.
void orderEnvelope(OutNode &record) {
    static const char *const kOrder[] = {"message_id",  "message_type", "schema_version", "sender",
                                         "receiver",    "case_id",      "causation_id",   "idempotency_key",
                                         "occurred_at", "received_at",  "partner_refs"};
    auto rank = [](const OutNode &child) {
        for (std::size_t i = 0; i < std::size(kOrder); ++i)
            if (child.key == "\"" + std::string(kOrder[i]) + "\":") return i;
        return child.key == "\"payload\":" ? std::size(kOrder) + 1 : std::size(kOrder);
    };
    std::stable_sort(record.children.begin(), record.children.end(),
                     [&](const OutNode &a, const OutNode &b) { return rank(a) < rank(b); });
}

std::unique_ptr<TypeMapping> typeAt(const Json &value, const std::string &where, const std::string &schemaVersion) {
    checkKeys(value, {"message_type", "when", "fields"}, where);
    auto type = std::make_unique<TypeMapping>();
    if (!value.contains("message_type") || !value["message_type"].is_string())
        fail(where + "/message_type", "must name the canonical message type");
    type->messageType = value["message_type"].get<std::string>();
    static const char *const kTypes[] = {
        "delinquency_notice",      "account_update",       "consent",  "hardship_application", "hardship_decision",
        "repossession_assignment", "repossession_outcome", "referral", "referral_update",      "ack"};
    if (std::find(std::begin(kTypes), std::end(kTypes), type->messageType) == std::end(kTypes))
        fail(where + "/message_type", "is not a canonical message type");
    if (value.contains("when")) type->select = conditionAt(value["when"], where + "/when");
    if (!value.contains("fields") || !value["fields"].is_array() || value["fields"].empty())
        fail(where + "/fields", "must be a non-empty array");
    for (std::size_t i = 0; i < value["fields"].size(); ++i)
        type->fields.push_back(fieldAt(value["fields"][i], where + "/fields/" + std::to_string(i), false));

    // The envelope's constants lead every decoded record; the selection value is written by encode. The trees
    // point into `synthetic`: room for all three up front, so it never moves.
    type->synthetic.reserve(3);
    auto constant = [&](std::string_view to, const std::string &text) {
        FieldRule rule;
        rule.to = Pointer{};
        parsePointer(to, *rule.to);
        rule.constJson = Json(text).dump();
        rule.direction = Direction::Decode;
        type->synthetic.push_back(std::move(rule));
    };
    constant("/message_type", type->messageType);
    constant("/schema_version", schemaVersion);
    for (std::size_t i = 0; i < 2; ++i)
        insert(type->decodeTree, *type->synthetic[i].to, type->synthetic[i], true, where);
    for (const FieldRule &rule : type->fields)
        if (rule.to && !rule.to->segments.empty() &&
            (rule.to->segments[0].key == "message_type" || rule.to->segments[0].key == "schema_version"))
            fail(where, "message_type and schema_version are written by the plugin, not by a field");
    compileInto(type->decodeTree, type->fields, true, where + "/fields");
    orderEnvelope(type->decodeTree);
    // The selection member leads every encoded record; encode writes the first of its values there, unless a
    // field writes that member itself (the event code that also selects the type).
    if (type->select && !type->select->in.empty()) {
        FieldRule rule;
        rule.from = type->select->from;
        rule.to = Pointer{std::string(kSelection), {}};
        rule.constJson = Json(type->select->in.front()).dump();
        rule.direction = Direction::Encode;
        type->synthetic.push_back(std::move(rule));
        insert(type->encodeTree, *type->synthetic.back().from, type->synthetic.back(), false, where + "/when");
    }
    compileInto(type->encodeTree, type->fields, false, where + "/fields");
    if (type->decodeTree.kind != OutNode::Kind::Object || type->encodeTree.kind != OutNode::Kind::Object)
        fail(where, "a record is an object: a pointer may not start with an array position");
    return type;
}

}  // namespace

std::unique_ptr<MappedConfig> parseMappedConfig(std::string_view configText) {
    const Json config = Json::parse(configText);
    auto mapped = std::make_unique<MappedConfig>();
    if (config.contains("schema_version")) {
        if (!config["schema_version"].is_string()) fail("schema_version", "must be a string");
        mapped->schemaVersion = config["schema_version"].get<std::string>();
    }
    if (!config.contains("types") || !config["types"].is_array() || config["types"].empty())
        fail("types", "mode mapped needs a non-empty array of types");
    for (std::size_t i = 0; i < config["types"].size(); ++i) {
        const std::string where = "types/" + std::to_string(i);
        mapped->types.push_back(typeAt(config["types"][i], where, mapped->schemaVersion));
        for (std::size_t j = 0; j + 1 < mapped->types.size(); ++j)
            if (mapped->types[j]->messageType == mapped->types.back()->messageType)
                fail(where + "/message_type", "maps a message type another entry already maps");
    }
    return mapped;
}

}  // namespace lendgate::json_plugin
