#include "xml_encoder.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "xml_runtime.h"

namespace lendgate::xml {
namespace {

using Json = nlohmann::json;

const xmlChar *bytes(const std::string &text) {
    return BAD_CAST text.c_str();
}

// The value at `segments` below `context` (an all-digit segment indexes an array), or null.
const Json *find(const Json &context, const std::vector<std::string> &segments) {
    const Json *at = &context;
    for (const std::string &segment : segments) {
        if (at->is_object()) {
            auto it = at->find(segment);
            if (it == at->end()) return nullptr;
            at = &*it;
        } else if (at->is_array() && !segment.empty() && segment.size() <= 9 &&
                   std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            const std::size_t index = std::stoul(segment);
            if (index >= at->size()) return nullptr;
            at = &(*at)[index];
        } else {
            return nullptr;
        }
    }
    return at;
}

bool has(const Field &field, Step step) {
    return std::find(field.steps.begin(), field.steps.end(), step) != field.steps.end();
}

}  // namespace

bool encodeValue(const Field &field, const Json &value, std::string &out, std::string &code, std::string &reason) {
    if (has(field, Step::Integer)) {
        if (!value.is_number_integer()) {
            code = "type";
            reason = "is not a whole number";
            return false;
        }
        out = value.dump();
    } else if (has(field, Step::Boolean)) {
        if (!value.is_boolean()) {
            code = "type";
            reason = "is not true or false";
            return false;
        }
        out = value.get<bool>() ? "true" : "false";
    } else if (value.is_string()) {
        out = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_boolean()) {
        out = value.dump();
    } else {
        code = "type";
        reason = "is not a string, a whole number or true/false";
        return false;
    }
    for (auto step = field.steps.rbegin(); step != field.steps.rend(); ++step) {
        switch (*step) {
            case Step::CodeTable: {
                auto it = field.reverseCodes.find(out);
                if (it == field.reverseCodes.end()) {
                    code = "code";
                    reason = "has no partner code in the code table";
                    return false;
                }
                out = it->second;
                break;
            }
            case Step::Date: {
                // A date the decoder turned into a date-time at a fixed time goes back to its date.
                std::optional<std::string> iso;
                if (!field.utcOffset.empty() ? rfc3339DateTime(out, "").has_value() : out.size() == 10)
                    iso = isoDate(std::string_view(out).substr(0, 10));
                if (iso && field.dateFormat) iso = field.dateFormat->fromIso(*iso);
                if (!iso) {
                    code = "date";
                    reason = "is not a date (YYYY-MM-DD)";
                    return false;
                }
                out = std::move(*iso);
                break;
            }
            case Step::DateTime:
                if (!rfc3339DateTime(out, "")) {
                    code = "date_time";
                    reason = "is not a date-time with a time zone";
                    return false;
                }
                break;
            case Step::Decimal:
                if (!canonicalDecimal(out)) {
                    code = "amount";
                    reason = "is not a decimal number";
                    return false;
                }
                break;
            case Step::Trim:
            case Step::Upper:
            case Step::Lower:
            case Step::Integer:
            case Step::Boolean: break;
        }
    }
    if (!isXmlText(out)) {
        code = "xml_char";
        reason = "holds characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF)";
        return false;
    }
    return true;
}

XmlEncoder::XmlEncoder(const XmlConfig &config, EncodeContext &ctx) : config_(config), ctx_(ctx) {}

XmlEncoder::~XmlEncoder() {
    if (writer_ != nullptr) xmlFreeTextWriter(writer_);
    if (buffer_ != nullptr) xmlBufferFree(buffer_);
}

void XmlEncoder::check(int rc) const {
    if (rc < 0) throw PluginError(LENDGATE_ERR_INTERNAL, "xml.writer", "libxml2 could not write the document");
}

void XmlEncoder::flush() {
    check(xmlTextWriterFlush(writer_));
    const int length = xmlBufferLength(buffer_);
    if (length <= 0) return;
    ctx_.write(
        std::string_view(reinterpret_cast<const char *>(xmlBufferContent(buffer_)), static_cast<std::size_t>(length)));
    xmlBufferEmpty(buffer_);
}

void XmlEncoder::openRoot(const QName &name) {
    check(xmlTextWriterStartElement(writer_, bytes(name.qualified())));
    if (!config_.defaultNamespace.empty())
        check(xmlTextWriterWriteAttribute(writer_, BAD_CAST "xmlns", bytes(config_.defaultNamespace)));
    for (const auto &[prefix, uri] : config_.prefixes)
        check(xmlTextWriterWriteAttribute(writer_, bytes("xmlns:" + prefix), bytes(uri)));
    for (const auto &[attribute, value] : config_.rootAttributes)
        check(xmlTextWriterWriteAttribute(writer_, bytes(attribute.qualified()), bytes(value)));
}

void XmlEncoder::run() {
    if (ctx_.messageType() != config_.messageType)
        throw PluginError(
            LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported",
            "this configuration encodes " + config_.messageType + ", not " + std::string(ctx_.messageType()));
    initLibxml();
    buffer_ = xmlBufferCreate();
    if (buffer_ == nullptr) throw std::bad_alloc();
    writer_ = xmlNewTextWriterMemory(buffer_, 0);
    if (writer_ == nullptr) throw std::bad_alloc();
    if (config_.indent) {
        check(xmlTextWriterSetIndent(writer_, 1));
        check(xmlTextWriterSetIndentString(writer_, BAD_CAST "  "));
    }
    const bool single = !config_.record.has_value();
    if (!single) {
        check(xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr));
        openRoot(config_.root);
    }

    std::uint64_t written = 0;
    std::string_view text;
    Frame frame;
    while (ctx_.next(text)) {
        Location where;
        where.record = ctx_.recordNumber();
        Json record;
        try {
            record = Json::parse(text);
        } catch (const Json::exception &) {
            ctx_.recordError(where, "json", "", "the record is not valid JSON");  // nlohmann's text quotes it
            continue;
        }
        if (!record.is_object() || record.value("message_type", config_.messageType) != config_.messageType) {
            ctx_.recordError(where, "message_type", "/message_type",
                             "the record is not a " + config_.messageType + " object");
            continue;
        }
        if (single && written > 0) {
            ctx_.recordError(where, "single_document", "",
                             "this configuration writes one record per document; the record was left out");
            continue;
        }
        problems_.clear();
        collect(0, record, frame, std::string());
        if (!problems_.empty()) {
            for (const FieldProblem &p : problems_) ctx_.recordError(where, p.code, p.field, p.message);
            continue;
        }
        if (single) {
            check(xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr));
            render(0, 0, frame, config_.root, true);
        } else {
            render(0, 0, frame, *config_.record, false);
        }
        flush();
        ++written;
    }
    if (!single || written > 0) {
        check(xmlTextWriterEndDocument(writer_));  // closes the root
        flush();
    }
}

void XmlEncoder::collect(int s, const Json &context, Frame &frame, const std::string &pointerBase) {
    const Scope &scope = config_.scopes[s];
    frame.values.assign(scope.slots, Value{});
    frame.repeats.assign(scope.repeats, {});
    auto report = [&](std::string code, const std::string &pointer, const std::string &reason) {
        problems_.push_back({std::move(code), pointer, "field " + (pointer.empty() ? "/" : pointer) + ": " + reason});
    };
    for (const Field &field : scope.fields) {
        if (field.node < 0) continue;  // nothing on the XML side
        Value &value = frame.values[field.slot];
        if (field.constant) {
            value = {field.constant->text, true, true};
            continue;
        }
        if (field.target.empty() && !scope.scalar) continue;  // only checked when decoding
        const Json *source = scope.scalar ? &context : find(context, field.target);
        const std::string pointer = pointerBase + field.pointer;
        if (source == nullptr) {
            if (field.required && (field.presenceTarget.empty() || find(context, field.presenceTarget) != nullptr))
                report("required", pointer, "is required by the partner format but missing");
            continue;
        }
        std::string code, reason;
        if (!encodeValue(field, *source, value.text, code, reason)) {
            report(std::move(code), pointer, reason);
            continue;
        }
        value.present = true;
    }
    for (const ElementNode &node : scope.nodes) {
        if (node.repeatScope < 0) continue;
        const Scope &child = config_.scopes[node.repeatScope];
        const Json *list = find(context, child.target);
        const std::string pointer = pointerBase + child.pointer;
        if (list == nullptr) {
            if (node.required && (node.presenceTarget.empty() || find(context, node.presenceTarget) != nullptr))
                report("required", pointer, "is required by the partner format but missing");
            continue;
        }
        if (!list->is_array()) {
            report("type", pointer, "is not an array");
            continue;
        }
        std::vector<Frame> &occurrences = frame.repeats[node.repeatSlot];
        occurrences.resize(list->size());
        for (std::size_t i = 0; i < list->size(); ++i)
            collect(node.repeatScope, (*list)[i], occurrences[i], pointer + "/" + std::to_string(i));
    }
}

bool XmlEncoder::hasContent(int s, int n, const Frame &frame) const {
    const Scope &scope = config_.scopes[s];
    const ElementNode &node = scope.nodes[n];
    for (int f : node.fields)
        if (frame.values[f].present && !frame.values[f].constant) return true;
    for (int c : node.children) {
        const ElementNode &child = scope.nodes[c];
        if (child.repeatScope >= 0 ? !frame.repeats[child.repeatSlot].empty() : hasContent(s, c, frame)) return true;
    }
    return false;
}

void XmlEncoder::render(int s, int n, const Frame &frame, const QName &name, bool root) {
    const Scope &scope = config_.scopes[s];
    const ElementNode &node = scope.nodes[n];
    if (root)
        openRoot(name);
    else
        check(xmlTextWriterStartElement(writer_, bytes(name.qualified())));
    // Several fields may read one attribute or text when decoding; the first with a value writes it.
    std::vector<std::string> attributes;
    for (int f : node.fields) {
        const Field &field = scope.fields[f];
        if (!field.attribute || !frame.values[f].present) continue;
        const std::string qualified = field.attribute->qualified();
        if (std::find(attributes.begin(), attributes.end(), qualified) != attributes.end()) continue;
        attributes.push_back(qualified);
        check(xmlTextWriterWriteAttribute(writer_, bytes(qualified), bytes(frame.values[f].text)));
    }
    for (int f : node.fields) {
        if (scope.fields[f].attribute || !frame.values[f].present) continue;
        check(xmlTextWriterWriteString(writer_, bytes(frame.values[f].text)));
        break;
    }
    for (int c : node.children) {
        const ElementNode &child = scope.nodes[c];
        if (child.repeatScope >= 0) {
            for (const Frame &occurrence : frame.repeats[child.repeatSlot])
                render(child.repeatScope, 0, occurrence, child.name, false);
        } else if (hasContent(s, c, frame)) {
            render(s, c, frame, child.name, false);
        }
    }
    check(xmlTextWriterEndElement(writer_));
}

}  // namespace lendgate::xml
