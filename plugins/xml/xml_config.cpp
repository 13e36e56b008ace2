#include "xml_config.h"

#include <lendgate/plugin.hpp>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace lendgate::xml {
namespace {

// Ordered, so that code tables keep the partner's order: the first code of a
// canonical value is the one the encoder writes.
using Json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string &where, const std::string &what) {
    throw configError("config", (where.empty() ? std::string() : where + ": ") + what);
}

void onlyKeys(const Json &object, const std::string &where, std::initializer_list<std::string_view> allowed) {
    if (!object.is_object()) fail(where, "must be an object");
    for (auto it = object.begin(); it != object.end(); ++it)
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
            fail(where.empty() ? it.key() : where + "." + it.key(), "unknown key");
}

std::string stringAt(const Json &object, const char *key, const std::string &where) {
    const std::string name = where + (where.empty() ? "" : ".") + key;
    auto it = object.find(key);
    if (it == object.end()) fail(name, "is required");
    if (!it->is_string() || it->get_ref<const std::string &>().empty()) fail(name, "must be a non-empty string");
    return it->get<std::string>();
}

bool boolAt(const Json &object, const char *key, bool fallback, const std::string &where) {
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_boolean()) fail(where + "." + key, "must be true or false");
    return it->get<bool>();
}

std::size_t limitAt(const Json &limits, const char *key, std::size_t fallback, std::size_t low, std::size_t high) {
    auto it = limits.find(key);
    if (it == limits.end()) return fallback;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() < low || it->get<std::uint64_t>() > high)
        fail(std::string("limits.") + key,
             "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
    return static_cast<std::size_t>(it->get<std::uint64_t>());
}

bool isNameStart(unsigned char c) noexcept {
    return c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isNameChar(unsigned char c) noexcept {
    return isNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9');
}
bool isNcName(std::string_view name) noexcept {
    if (name.empty() || name.size() > 128 || !isNameStart(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return isNameChar(static_cast<unsigned char>(c)); });
}

struct ParsedPath {
    std::vector<QName> elements;
    std::optional<QName> attribute;
};

const std::vector<std::pair<std::string_view, Step>> kSteps = {
    {"trim", Step::Trim},       {"upper", Step::Upper},        {"lower", Step::Lower},
    {"decimal", Step::Decimal}, {"integer", Step::Integer},    {"boolean", Step::Boolean},
    {"date", Step::Date},       {"date_time", Step::DateTime}, {"code_table", Step::CodeTable},
};

const std::vector<std::string> kEnvelopeOrder = {
    "message_id",   "message_type",    "schema_version", "sender",      "receiver",     "case_id",
    "causation_id", "idempotency_key", "occurred_at",    "received_at", "partner_refs", "payload",
};

class Compiler {
public:
    explicit Compiler(XmlConfig &config) : config_(config) {}

    QName name(std::string_view text, bool attribute, const std::string &where) const {
        QName q;
        const std::size_t colon = text.find(':');
        if (colon != std::string_view::npos) {
            q.prefix = std::string(text.substr(0, colon));
            q.local = std::string(text.substr(colon + 1));
            auto it = std::find_if(config_.prefixes.begin(), config_.prefixes.end(),
                                   [&](const auto &p) { return p.first == q.prefix; });
            if (it == config_.prefixes.end()) fail(where, "the prefix " + q.prefix + " is not in namespaces");
            q.ns = it->second;
        } else {
            q.local = std::string(text);
            // Unprefixed attributes are in no namespace, whatever the default (XML Namespaces 1.0, 6.2).
            if (!attribute) q.ns = config_.defaultNamespace;
        }
        if (!isNcName(q.local) || (colon != std::string_view::npos && !isNcName(q.prefix)))
            fail(where, "is not an XML name (an element path is Name/Name/@attribute)");
        return q;
    }

    ParsedPath path(const std::string &text, const std::string &where) const {
        ParsedPath parsed;
        if (text == ".") return parsed;
        std::size_t start = 0;
        while (true) {
            const std::size_t end = std::min(text.find('/', start), text.size());
            const std::string_view segment = std::string_view(text).substr(start, end - start);
            if (!parsed.attribute && !segment.empty() && segment.front() == '@' && end == text.size()) {
                parsed.attribute = name(segment.substr(1), true, where);
            } else {
                if (segment == "." || segment == ".." || segment.empty() || segment.front() == '@')
                    fail(where, "an element path is Name/Name/@attribute, without ., .., // or an inner @");
                parsed.elements.push_back(name(segment, false, where));
            }
            if (end == text.size()) break;
            start = end + 1;
        }
        return parsed;
    }

    // Finds or creates the element path below `base`; `fresh` requires the last element to be new.
    int element(int scopeIndex, int base, const std::vector<QName> &elements, int presence,
                const std::vector<std::string> &presenceTarget, bool fresh, const std::string &where) {
        int node = base;
        for (std::size_t i = 0; i < elements.size(); ++i) {
            Scope &scope = config_.scopes[scopeIndex];
            if (scope.nodes[node].repeatScope >= 0)
                fail(where, "goes inside a repeated element; map it in that group's fields");
            int found = -1;
            for (int c : scope.nodes[node].children)
                if (scope.nodes[c].name.local == elements[i].local && scope.nodes[c].name.ns == elements[i].ns)
                    found = c;
            if (found >= 0) {
                if (fresh && i + 1 == elements.size())
                    fail(where, "a repeated element is mapped once, by one group, and nothing else maps it");
                node = found;
                continue;
            }
            ElementNode created;
            created.name = elements[i];
            created.parent = node;
            created.presence = presence;
            created.presenceTarget = presenceTarget;
            scope.nodes.push_back(std::move(created));
            const int index = static_cast<int>(scope.nodes.size()) - 1;
            scope.nodes[node].children.push_back(index);
            node = index;
        }
        if (config_.scopes[scopeIndex].nodes[node].repeatScope >= 0)
            fail(where, "maps a repeated element that a group already maps");
        return node;
    }

    struct Context {
        int scope = 0;
        int base = 0;                // element node the paths start from
        std::size_t layoutBase = 0;  // layout node the pointers start from
        std::string prefix;          // pointer of the enclosing non-repeated groups, within the scope
        int presence = 0;
        std::vector<std::string> presenceTarget;
    };

    void fields(const Json &list, const std::string &where, const Context &context) {
        if (!list.is_array()) fail(where, "must be an array");
        for (std::size_t i = 0; i < list.size(); ++i) entry(list[i], where + "[" + std::to_string(i) + "]", context);
    }

    void entry(const Json &spec, const std::string &where, const Context &context) {
        if (spec.contains("fields"))
            group(spec, where, context);
        else
            leaf(spec, where, context);
    }

    void group(const Json &spec, const std::string &where, const Context &context) {
        onlyKeys(spec, where, {"path", "to", "required", "repeat", "fields"});
        const ParsedPath parsed = path(stringAt(spec, "path", where), where + ".path");
        if (parsed.attribute) fail(where + ".path", "a group's path names an element, not an attribute");
        const bool repeat = boolAt(spec, "repeat", false, where);
        const bool required = boolAt(spec, "required", false, where);
        std::string to;
        if (spec.contains("to")) to = stringAt(spec, "to", where);
        if (repeat && (parsed.elements.empty() || to.empty()))
            fail(where, "a repeated group needs an element path and a `to` for its array");
        const int node = element(context.scope, context.base, parsed.elements, context.presence, context.presenceTarget,
                                 repeat, where + ".path");
        Scope *scope = &config_.scopes[context.scope];
        scope->nodes[node].required = scope->nodes[node].required || required;
        scope->nodes[node].requiredPointer = context.prefix + to;
        if (!repeat) {
            Context inner = context;
            inner.base = node;
            inner.prefix = context.prefix + to;
            inner.presence = node;
            if (!to.empty()) inner.presenceTarget = segments(inner.prefix, where + ".to");
            fields(spec.at("fields"), where + ".fields", inner);
            return;
        }
        const int child = newRepeat(context, node, to, false, where);
        Context inner;
        inner.scope = child;
        inner.layoutBase = repeatLayoutBase_;
        fields(spec.at("fields"), where + ".fields", inner);
    }

    int newRepeat(const Context &context, int node, const std::string &to, bool scalar, const std::string &where) {
        Scope &parent = config_.scopes[context.scope];
        const std::size_t slot = parent.repeats++;
        Scope child;
        child.parentScope = context.scope;
        child.parentNode = node;
        child.pointer = context.prefix + to;
        child.scalar = scalar;
        child.target = segments(child.pointer, where + ".to");
        ElementNode self;
        self.name = parent.nodes[node].name;
        child.nodes.push_back(std::move(self));
        parent.nodes[node].repeatSlot = slot;
        try {
            repeatLayoutBase_ = config_.layout.addRepeat(context.layoutBase, child.pointer, slot, scalar);
        } catch (const std::invalid_argument &e) {
            fail(where + ".to", e.what());
        }
        config_.scopes.push_back(std::move(child));
        const int index = static_cast<int>(config_.scopes.size()) - 1;
        config_.scopes[context.scope].nodes[node].repeatScope = index;
        return index;
    }

    std::vector<std::string> segments(const std::string &pointer, const std::string &where) const {
        try {
            return pointerSegments(pointer);
        } catch (const std::invalid_argument &e) {
            fail(where, e.what());
        }
    }

    void leaf(const Json &spec, const std::string &where, const Context &context) {
        onlyKeys(spec, where,
                 {"path", "const", "to", "transform", "format", "time", "utc_offset", "codes", "required", "repeat"});
        Field field;
        const bool hasPath = spec.contains("path");
        const bool repeat = boolAt(spec, "repeat", false, where);
        field.required = boolAt(spec, "required", false, where);
        std::string to;
        if (spec.contains("to")) to = stringAt(spec, "to", where);
        if (!hasPath && !spec.contains("const")) fail(where, "needs a path, a const, or fields");
        if (spec.contains("const")) constant(spec.at("const"), field, where);
        if (field.constant && (spec.contains("transform") || field.required || repeat))
            fail(where, "a const takes no transform, required or repeat");
        if (field.constant && to.empty() && !hasPath) fail(where, "a const needs a `to` or a `path`");
        steps(spec, field, where);

        Context scoped = context;
        ParsedPath parsed;
        if (hasPath) parsed = path(stringAt(spec, "path", where), where + ".path");
        if (repeat) {
            if (parsed.elements.empty() || to.empty())
                fail(where, "a repeated value needs an element path and a `to` for its array");
            const int node = element(context.scope, context.base, parsed.elements, context.presence,
                                     context.presenceTarget, true, where + ".path");
            // Required: at least one occurrence, and none of them blank.
            config_.scopes[context.scope].nodes[node].required = field.required;
            config_.scopes[context.scope].nodes[node].requiredPointer = context.prefix + to;
            scoped = Context{};
            scoped.scope = newRepeat(context, node, to, true, where);
            scoped.layoutBase = repeatLayoutBase_;
            parsed.elements.clear();
            to.clear();
        }
        field.slot = config_.scopes[scoped.scope].fields.size();
        field.presence = scoped.presence;
        field.presenceTarget = scoped.presenceTarget;
        if (hasPath) {
            field.node = element(scoped.scope, scoped.base, parsed.elements, scoped.presence, scoped.presenceTarget,
                                 false, where + ".path");
            field.attribute = parsed.attribute;
        }
        if (!to.empty()) {
            field.pointer = scoped.prefix + to;
            field.target = segments(field.pointer, where + ".to");
            try {
                config_.layout.addLeaf(scoped.layoutBase, field.pointer, field.slot);
            } catch (const std::invalid_argument &e) {
                fail(where + ".to", e.what());
            }
        }
        Scope &target = config_.scopes[scoped.scope];
        if (field.node >= 0) target.nodes[field.node].fields.push_back(static_cast<int>(field.slot));
        target.fields.push_back(std::move(field));
        target.slots = target.fields.size();
    }

    static void constant(const Json &value, Field &field, const std::string &where) {
        Scalar c;
        if (value.is_string()) {
            c = {Scalar::Type::String, value.get<std::string>()};
            if (!isXmlText(c.text)) fail(where + ".const", "holds characters XML cannot carry");
        } else if (value.is_number_integer()) {
            c = {Scalar::Type::Number, value.dump()};
        } else if (value.is_boolean()) {
            c = {Scalar::Type::Boolean, value.get<bool>() ? "true" : "false"};
        } else {
            fail(where + ".const", "must be a string, an integer or a boolean");
        }
        field.constant = std::move(c);
    }

    static void steps(const Json &spec, Field &field, const std::string &where) {
        if (auto it = spec.find("transform"); it != spec.end()) {
            const Json list = it->is_array() ? *it : Json::array({*it});
            for (const Json &name : list) {
                auto known = std::find_if(kSteps.begin(), kSteps.end(), [&](const auto &s) {
                    return name.is_string() && name.get_ref<const std::string &>() == s.first;
                });
                if (known == kSteps.end()) fail(where + ".transform", "unknown transform");
                field.steps.push_back(known->second);
            }
        }
        auto has = [&](Step s) { return std::find(field.steps.begin(), field.steps.end(), s) != field.steps.end(); };
        for (std::size_t i = 0; i + 1 < field.steps.size(); ++i)
            if (field.steps[i] == Step::Integer || field.steps[i] == Step::Boolean)
                fail(where + ".transform", "integer and boolean give a number or true/false and must come last");
        if (has(Step::Date) && has(Step::DateTime)) fail(where + ".transform", "date and date_time exclude each other");
        if (spec.contains("format")) {
            if (!has(Step::Date)) fail(where + ".format", "applies only with the date transform");
            try {
                field.dateFormat = DatePattern::parse(stringAt(spec, "format", where));
            } catch (const std::invalid_argument &e) {
                fail(where + ".format", e.what());
            }
        }
        if (spec.contains("utc_offset")) {
            if (!has(Step::Date) && !has(Step::DateTime))
                fail(where + ".utc_offset", "applies only with the date or date_time transform");
            field.utcOffset = stringAt(spec, "utc_offset", where);
            if (!isUtcOffset(field.utcOffset)) fail(where + ".utc_offset", "must be Z or +HH:MM / -HH:MM");
        }
        if (spec.contains("time")) {
            if (!has(Step::Date) || field.utcOffset.empty())
                fail(where + ".time", "applies only with the date transform and a utc_offset");
            field.time = stringAt(spec, "time", where);
            if (!rfc3339DateTime("2000-01-01T" + field.time, "Z") || field.time.size() != 8)
                fail(where + ".time", "must be HH:MM:SS");
        }
        if (has(Step::Date) && !field.utcOffset.empty() && field.time.empty()) field.time = "00:00:00";
        if (has(Step::CodeTable) != spec.contains("codes"))
            fail(where + (has(Step::CodeTable) ? ".codes" : ".transform"), "code_table and codes go together");
        if (auto it = spec.find("codes"); it != spec.end()) {
            if (!it->is_object() || it->empty()) fail(where + ".codes", "must be an object of partner code -> value");
            for (auto code = it->begin(); code != it->end(); ++code) {
                if (!code.value().is_string()) fail(where + ".codes." + code.key(), "must be a string");
                if (!isXmlText(code.key())) fail(where + ".codes", "a code holds characters XML cannot carry");
                field.codes.emplace(code.key(), code.value().get<std::string>());
                field.reverseCodes.emplace(code.value().get<std::string>(), code.key());
            }
        }
    }

private:
    XmlConfig &config_;
    std::size_t repeatLayoutBase_ = 0;
};

void readNamespaces(const Json &doc, XmlConfig &config) {
    if (auto it = doc.find("namespace"); it != doc.end()) config.defaultNamespace = stringAt(doc, "namespace", "");
    if (auto it = doc.find("namespaces"); it != doc.end()) {
        if (!it->is_object()) fail("namespaces", "must be an object of prefix -> URI");
        for (auto ns = it->begin(); ns != it->end(); ++ns) {
            if (!isNcName(ns.key()) || ns.key().rfind("xml", 0) == 0) fail("namespaces." + ns.key(), "not a prefix");
            if (!ns.value().is_string() || ns.value().get_ref<const std::string &>().empty())
                fail("namespaces." + ns.key(), "must be a namespace URI");
            config.prefixes.emplace_back(ns.key(), ns.value().get<std::string>());
        }
    }
}

void readLimits(const Json &doc, Limits &limits) {
    auto it = doc.find("limits");
    if (it == doc.end()) return;
    onlyKeys(*it, "limits", {"max_depth", "max_record_bytes", "max_record_nodes", "max_text_bytes"});
    // libxml2 itself refuses documents deeper than 256 and text nodes over 10 MB.
    limits.maxDepth = limitAt(*it, "max_depth", limits.maxDepth, 2, 200);
    limits.maxRecordBytes = limitAt(*it, "max_record_bytes", limits.maxRecordBytes, 1024, 64u << 20);
    limits.maxRecordNodes = limitAt(*it, "max_record_nodes", limits.maxRecordNodes, 8, 1000000);
    limits.maxTextBytes = limitAt(*it, "max_text_bytes", limits.maxTextBytes, 16, 8u << 20);
}

XmlConfig compileConfig(std::string_view text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const nlohmann::json::exception &) {
        fail("", "the configuration is not valid JSON");
    }
    onlyKeys(doc, "",
             {"message_type", "schema_version", "root", "record", "namespace", "namespaces", "xsd", "root_attributes",
              "indent", "limits", "fields"});
    XmlConfig config;
    config.messageType = stringAt(doc, "message_type", "");
    if (doc.contains("schema_version")) config.schemaVersion = stringAt(doc, "schema_version", "");
    readNamespaces(doc, config);
    Compiler compiler(config);
    config.root = compiler.name(stringAt(doc, "root", ""), false, "root");
    if (doc.contains("record")) config.record = compiler.name(stringAt(doc, "record", ""), false, "record");
    if (doc.contains("xsd")) config.xsdPath = stringAt(doc, "xsd", "");
    if (auto it = doc.find("root_attributes"); it != doc.end()) {
        if (!it->is_object()) fail("root_attributes", "must be an object of name -> value");
        for (auto a = it->begin(); a != it->end(); ++a) {
            if (!a.value().is_string() || !isXmlText(a.value().get_ref<const std::string &>()))
                fail("root_attributes." + a.key(), "must be a string XML can carry");
            config.rootAttributes.emplace_back(compiler.name(a.key(), true, "root_attributes." + a.key()),
                                               a.value().get<std::string>());
        }
    }
    config.indent = boolAt(doc, "indent", true, "");
    readLimits(doc, config.limits);
    if (!doc.contains("fields")) fail("fields", "is required");

    Scope record;
    ElementNode self;
    self.name = config.record ? *config.record : config.root;
    record.nodes.push_back(std::move(self));
    config.scopes.push_back(std::move(record));
    // The envelope's fixed members come from the configuration itself.
    for (const auto &[pointer, value] : {std::pair<std::string, std::string>{"/message_type", config.messageType},
                                         {"/schema_version", config.schemaVersion}}) {
        Field field;
        field.constant = Scalar{Scalar::Type::String, value};
        field.pointer = pointer;
        field.target = pointerSegments(pointer);
        field.slot = config.scopes[0].fields.size();
        config.layout.addLeaf(JsonLayout::kRoot, pointer, field.slot);
        config.scopes[0].fields.push_back(std::move(field));
    }
    config.scopes[0].slots = config.scopes[0].fields.size();
    compiler.fields(doc.at("fields"), "fields", {});
    config.layout.orderRoot(kEnvelopeOrder);
    return config;
}

}  // namespace

XmlConfig parseConfig(std::string_view text) {
    try {
        return compileConfig(text);
    } catch (const nlohmann::json::exception &) {
        // Only reachable through a gap in the checks; nlohmann's own text may quote the configuration.
        fail("", "the configuration does not have the expected shape");
    }
}

}  // namespace lendgate::xml
