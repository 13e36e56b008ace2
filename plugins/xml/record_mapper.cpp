#include "record_mapper.h"

#include <utility>

#include "xml_runtime.h"

namespace lendgate::xml {
namespace {

const char *chars(const xmlChar *text) {
    return reinterpret_cast<const char *>(text);
}

bool matches(const QName &name, const xmlNode *node) noexcept {
    if (!xmlStrEqual(node->name, BAD_CAST name.local.c_str())) return false;
    const xmlChar *ns = node->ns != nullptr ? node->ns->href : nullptr;
    return name.ns.empty() ? ns == nullptr || *ns == '\0' : xmlStrEqual(ns, BAD_CAST name.ns.c_str()) != 0;
}

bool matches(const QName &name, const xmlAttr *attribute) noexcept {
    if (!xmlStrEqual(attribute->name, BAD_CAST name.local.c_str())) return false;
    const xmlChar *ns = attribute->ns != nullptr ? attribute->ns->href : nullptr;
    return name.ns.empty() ? ns == nullptr || *ns == '\0' : xmlStrEqual(ns, BAD_CAST name.ns.c_str()) != 0;
}

void trimInPlace(std::string &text) {
    const std::string_view trimmed = trimXmlSpace(text);
    const std::size_t start = static_cast<std::size_t>(trimmed.data() - text.data());
    text.erase(start + trimmed.size());
    text.erase(0, start);
}

}  // namespace

bool decodeValue(const Field &field, std::string_view raw, Scalar &out, std::string &code, std::string &reason) {
    out.type = Scalar::Type::String;
    out.text.assign(raw.data(), raw.size());
    for (Step step : field.steps) {
        switch (step) {
            case Step::Trim: trimInPlace(out.text); break;
            case Step::Upper: upperAscii(out.text); break;
            case Step::Lower: lowerAscii(out.text); break;
            case Step::Decimal: {
                auto decimal = canonicalDecimal(trimXmlSpace(out.text));
                if (!decimal) {
                    code = "amount";
                    reason = "is not a decimal number";
                    return false;
                }
                out.text = std::move(*decimal);
                break;
            }
            case Step::Integer: {
                auto integer = canonicalInteger(trimXmlSpace(out.text));
                if (!integer) {
                    code = "integer";
                    reason = "is not a whole number of at most 18 digits";
                    return false;
                }
                out.text = std::move(*integer);
                out.type = Scalar::Type::Number;
                break;
            }
            case Step::Boolean: {
                auto flag = parseBoolean(trimXmlSpace(out.text));
                if (!flag) {
                    code = "boolean";
                    reason = "is not a yes/no value (true/false, 1/0, Y/N)";
                    return false;
                }
                out.text = *flag ? "true" : "false";
                out.type = Scalar::Type::Boolean;
                break;
            }
            case Step::Date: {
                const std::string_view text = trimXmlSpace(out.text);
                auto iso = field.dateFormat ? field.dateFormat->toIso(text) : isoDate(text);
                if (!iso) {
                    code = "date";
                    reason = "is not a date in the form " +
                             (field.dateFormat ? field.dateFormat->text() : std::string("YYYY-MM-DD")) +
                             ", or not a day of the calendar";
                    return false;
                }
                out.text = std::move(*iso);
                if (!field.utcOffset.empty()) out.text += "T" + field.time + field.utcOffset;
                break;
            }
            case Step::DateTime: {
                auto stamp = rfc3339DateTime(trimXmlSpace(out.text), field.utcOffset);
                if (!stamp) {
                    code = "date_time";
                    reason = field.utcOffset.empty()
                                 ? "is not a date-time with a time zone (YYYY-MM-DDThh:mm:ss+hh:mm)"
                                 : "is not a date-time (YYYY-MM-DDThh:mm:ss, optionally with a time zone)";
                    return false;
                }
                out.text = std::move(*stamp);
                break;
            }
            case Step::CodeTable: {
                auto it = field.codes.find(std::string(trimXmlSpace(out.text)));
                if (it == field.codes.end()) {
                    code = "code";
                    reason = "holds a code the code table does not list";
                    return false;
                }
                out.text = it->second;
                break;
            }
        }
    }
    return true;
}

RecordMapper::RecordMapper(const XmlConfig &config) : config_(config) {
    counts_.resize(config.scopes.size());
    refused_.resize(config.scopes.size());
    for (std::size_t i = 0; i < config.scopes.size(); ++i) {
        counts_[i].resize(config.scopes[i].nodes.size());
        refused_[i].resize(config.scopes[i].slots);
    }
}

bool RecordMapper::map(const xmlNode *element, Frame &record, std::vector<FieldProblem> &problems) {
    record_ = element;
    problems_ = &problems;
    const std::size_t before = problems.size();
    mapScope(0, element, record, std::string());
    return problems.size() == before;
}

void RecordMapper::mapScope(int s, const xmlNode *element, Frame &frame, const std::string &pointerBase) {
    const Scope &scope = config_.scopes[s];
    std::vector<std::uint32_t> &counts = counts_[s];
    std::fill(counts.begin(), counts.end(), 0);
    counts[0] = 1;
    frame.values.resize(scope.slots);
    for (Scalar &value : frame.values) value.type = Scalar::Type::Absent;
    frame.repeats.resize(scope.repeats);
    for (auto &occurrences : frame.repeats) occurrences.clear();
    std::fill(refused_[s].begin(), refused_[s].end(), 0);

    visit(s, 0, element, frame, pointerBase);

    for (const Field &field : scope.fields) {
        const bool present = counts[field.presence] > 0;
        Scalar &value = frame.values[field.slot];
        if (field.constant) {
            if (present && !field.target.empty()) value = *field.constant;
            continue;
        }
        // A value refused for its content was reported already; do not call it missing too.
        if (!field.required || !present || value.type != Scalar::Type::Absent || refused_[s][field.slot]) continue;
        const std::string path = missingPath(s, field.node, element, field.attribute ? &*field.attribute : nullptr);
        const bool pointed = !field.target.empty() || scope.scalar;
        report("required", pointed ? pointerBase + field.pointer : path, path, "is required but missing or blank");
    }
    for (std::size_t n = 1; n < scope.nodes.size(); ++n) {
        const ElementNode &node = scope.nodes[n];
        if (!node.required || counts[n] > 0 || counts[node.presence] == 0) continue;
        const std::string path = missingPath(s, static_cast<int>(n), element, nullptr);
        report("required", node.requiredPointer.empty() ? path : pointerBase + node.requiredPointer, path,
               "is required but missing");
    }
}

void RecordMapper::visit(int s, int n, const xmlNode *element, Frame &frame, const std::string &pointerBase) {
    const Scope &scope = config_.scopes[s];
    const ElementNode &node = scope.nodes[n];
    for (int f : node.fields) readField(s, scope.fields[f], element, frame, pointerBase);
    if (node.children.empty()) return;
    for (const xmlNode *child = element->children; child != nullptr; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue;
        int match = -1;
        for (int candidate : node.children)
            if (matches(scope.nodes[candidate].name, child)) {
                match = candidate;
                break;
            }
        if (match < 0) continue;  // not mapped: ignored (an XSD decides whether it may be there)
        const std::uint32_t seen = ++counts_[s][match];
        const ElementNode &mapped = scope.nodes[match];
        if (mapped.repeatScope >= 0) {
            std::vector<Frame> &occurrences = frame.repeats[mapped.repeatSlot];
            occurrences.emplace_back();
            const std::string base =
                pointerBase + config_.scopes[mapped.repeatScope].pointer + "/" + std::to_string(occurrences.size() - 1);
            mapScope(mapped.repeatScope, child, occurrences.back(), base);
            continue;
        }
        if (seen == 2) {
            const std::string path = elementPath(child, record_);
            report("repeated", path, path, "occurs more than once where the mapping expects one element");
        }
        if (seen == 1) visit(s, match, child, frame, pointerBase);
    }
}

void RecordMapper::readField(int s, const Field &field, const xmlNode *element, Frame &frame,
                             const std::string &pointerBase) {
    if (field.constant) return;  // written by the encoder only; mapScope sets decoded constants
    const std::string_view raw = field.attribute ? attribute(element, *field.attribute) : text(element);
    if (isBlank(raw)) return;
    std::string code, reason;
    if (decodeValue(field, raw, frame.values[field.slot], code, reason)) return;
    frame.values[field.slot].type = Scalar::Type::Absent;
    refused_[s][field.slot] = 1;
    std::string path = elementPath(element, record_);
    if (field.attribute) path += "/@" + field.attribute->qualified();
    // A repeated value is itself the array element its frame's pointer names.
    const bool pointed = !field.target.empty() || config_.scopes[s].scalar;
    report(std::move(code), pointed ? pointerBase + field.pointer : path, path, reason);
}

std::string_view RecordMapper::text(const xmlNode *element) {
    const xmlNode *only = nullptr;
    std::size_t pieces = 0;
    for (const xmlNode *child = element->children; child != nullptr; child = child->next) {
        if (child->type != XML_TEXT_NODE && child->type != XML_CDATA_SECTION_NODE) continue;
        if (pieces++ == 0) only = child;
    }
    if (pieces == 0 || only->content == nullptr) return {};
    if (pieces == 1) return chars(only->content);
    // Text split around comments or processing instructions: join the pieces.
    scratch_.clear();
    for (const xmlNode *child = only; child != nullptr; child = child->next)
        if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content != nullptr)
            scratch_ += chars(child->content);
    return scratch_;
}

std::string_view RecordMapper::attribute(const xmlNode *element, const QName &name) {
    for (const xmlAttr *a = element->properties; a != nullptr; a = a->next) {
        if (!matches(name, a)) continue;
        const xmlNode *value = a->children;
        if (value == nullptr || value->content == nullptr) return {};
        if (value->next == nullptr) return chars(value->content);
        scratch_.clear();
        for (; value != nullptr; value = value->next)
            if (value->content != nullptr) scratch_ += chars(value->content);
        return scratch_;
    }
    return {};
}

std::string RecordMapper::missingPath(int s, int n, const xmlNode *context, const QName *attribute) const {
    const Scope &scope = config_.scopes[s];
    std::string below;
    for (int node = n; node > 0; node = scope.nodes[node].parent) below = "/" + scope.nodes[node].name.local + below;
    std::string path = elementPath(context, record_) + below;
    if (attribute != nullptr) path += "/@" + attribute->qualified();
    return path;
}

void RecordMapper::report(std::string code, const std::string &field, const std::string &path,
                          const std::string &reason) {
    problems_->push_back({std::move(code), field, "element " + path + ": " + reason});
}

}  // namespace lendgate::xml
