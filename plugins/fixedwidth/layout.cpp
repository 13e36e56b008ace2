#include "layout.h"

#include <algorithm>
#include <stdexcept>

#include "config_reader.h"

namespace lendgate::fixedwidth {

std::optional<std::size_t> RecordSpec::fieldIndex(std::string_view name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return i;
    return std::nullopt;
}

std::vector<std::string> Layout::messageTypes() const {
    std::vector<std::string> types;
    for (const RecordSpec &d : details)
        if (std::find(types.begin(), types.end(), d.messageType) == types.end()) types.push_back(d.messageType);
    return types;
}

namespace {

using config::fail;
using config::json;
using config::Object;
using Role = RecordSpec::Role;

constexpr const char *kMessageTypes[] = {
    "delinquency_notice",      "account_update",       "consent",  "hardship_application", "hardship_decision",
    "repossession_assignment", "repossession_outcome", "referral", "referral_update",      "ack"};

// The envelope members a record carries before its payload, in the canonical model's order.
constexpr const char *kEnvelope[] = {"message_id", "message_type", "schema_version",  "sender",      "receiver",
                                     "case_id",    "causation_id", "idempotency_key", "occurred_at", "received_at"};

std::size_t wildcards(const std::vector<std::string> &path) {
    return static_cast<std::size_t>(std::count(path.begin(), path.end(), "*"));
}

bool isNumber(const FieldSpec &f) {
    return f.type == FieldType::Integer || f.type == FieldType::Decimal;
}

class LayoutParser {
public:
    Layout run(const json &root) {
        const Object o(root, "");
        o.onlyKeys({"schema_version", "record_length", "short_lines", "long_lines", "max_record_bytes", "line_ending",
                    "record_type", "header", "records", "trailer"});
        layout_.schemaVersion = o.string("schema_version", "1.0");
        if (o.has("record_length")) defaultLength_ = static_cast<std::size_t>(o.integer("record_length", 1, 65536));
        layout_.padShortLines = o.string("short_lines", "error") == "pad";
        if (const std::string s = o.string("short_lines", "error"); s != "error" && s != "pad")
            fail(o.path("short_lines"), "must be error or pad");
        const std::string longLines = o.string("long_lines", "error");
        if (longLines != "error" && longLines != "allow_trailing_spaces")
            fail(o.path("long_lines"), "must be error or allow_trailing_spaces");
        layout_.allowTrailingSpaces = longLines == "allow_trailing_spaces";
        const std::string ending = o.string("line_ending", "LF");
        if (ending != "LF" && ending != "CRLF") fail(o.path("line_ending"), "must be LF or CRLF");
        layout_.lineEnding = ending == "LF" ? "\n" : "\r\n";

        const Object code(o.raw("record_type"), o.path("record_type"));
        code.onlyKeys({"start", "length"});
        layout_.codeOffset = static_cast<std::size_t>(code.integer("start", 1, 65536)) - 1;
        layout_.codeLength = static_cast<std::size_t>(code.integer("length", 1, 16));

        if (o.has("header")) layout_.header = record(Object(o.raw("header"), o.path("header")), Role::Header);
        const json &records = o.raw("records");
        if (!records.is_array() || records.empty()) fail(o.path("records"), "must list at least one record type");
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string path = o.path("records") + "[" + std::to_string(i) + "]";
            layout_.details.push_back(record(Object(records[i], path), Role::Detail));
        }
        if (o.has("trailer")) {
            const Object t(o.raw("trailer"), o.path("trailer"));
            layout_.trailer = record(t, Role::Trailer);
            totals(t);
        }

        std::size_t longest = 0;
        std::vector<std::string> codes;
        forEachRecord([&](const RecordSpec &r) {
            longest = std::max(longest, r.length);
            codes.push_back(r.code);
        });
        std::sort(codes.begin(), codes.end());
        if (std::adjacent_find(codes.begin(), codes.end()) != codes.end())
            fail(o.path("records"), "two record types have the same code");
        layout_.maxRecordBytes = static_cast<std::size_t>(o.integer("max_record_bytes", 32768, 64, 1 << 20));
        if (layout_.maxRecordBytes < longest + 2)
            fail(o.path("max_record_bytes"), "is smaller than the longest record and its line end");
        return std::move(layout_);
    }

private:
    template <class F>
    void forEachRecord(F &&f) {
        if (layout_.header) f(*layout_.header);
        for (const RecordSpec &d : layout_.details) f(d);
        if (layout_.trailer) f(*layout_.trailer);
    }

    RecordSpec record(const Object &o, Role role) {
        if (role == Role::Detail)
            o.onlyKeys({"code", "message_type", "length", "idempotency_key", "each", "fields"});
        else if (role == Role::Header)
            o.onlyKeys({"code", "length", "fields"});
        else
            o.onlyKeys({"code", "length", "fields", "counts", "sums"});
        RecordSpec r;
        r.role = role;
        envelopeMapped_.clear();
        r.code = o.string("code");
        if (r.code.empty() || r.code.size() > layout_.codeLength || r.code.front() == ' ' || r.code.back() == ' ')
            fail(o.path("code"), "must be 1 to record_type.length bytes without leading or trailing spaces");
        if (!o.has("length") && !defaultLength_) fail(o.path("length"), "is required without record_length");
        r.length = o.has("length") ? static_cast<std::size_t>(o.integer("length", 1, 65536)) : *defaultLength_;
        if (layout_.codeOffset + layout_.codeLength > r.length)
            fail(o.path("length"), "leaves no room for the record type code");
        if (role == Role::Detail) {
            r.messageType = o.string("message_type");
            if (std::find(std::begin(kMessageTypes), std::end(kMessageTypes), r.messageType) == std::end(kMessageTypes))
                fail(o.path("message_type"), "is not a canonical message type");
            if (o.has("each")) each(r, o);
        }
        if (r.each.empty() && role == Role::Detail) {
            // The envelope first, in the model's order, whatever order the fields come in.
            for (const char *member : kEnvelope) {
                const std::size_t slot = r.shape.addLeaf(std::string("/") + member);
                r.envelopeSlots.emplace_back(std::string("/") + member, slot);
            }
            r.messageTypeSlot = r.envelopeSlots[1].second;
            r.schemaVersionSlot = r.envelopeSlots[2].second;
            r.idempotencyKeySlot = r.envelopeSlots[7].second;
        }
        fields(r, o);
        if (o.has("idempotency_key")) idempotencyKey(r, Object(o.raw("idempotency_key"), o.path("idempotency_key")));
        return r;
    }

    void each(RecordSpec &r, const Object &o) {
        try {
            r.each = splitPointer(o.string("each"));
        } catch (const std::invalid_argument &e) {
            fail(o.path("each"), e.what());
        }
        if (r.each.back() != "*") fail(o.path("each"), "must end with /* (each element of an array)");
        const std::size_t depth = wildcards(r.each);
        for (std::size_t i = 0; i < layout_.details.size() && depth > 1; ++i) {
            const RecordSpec &p = layout_.details[i];
            if (p.messageType == r.messageType && wildcards(p.each) == depth - 1 && p.each.size() < r.each.size() &&
                std::equal(p.each.begin(), p.each.end(), r.each.begin()))
                r.parent = i;
        }
        if (depth > 1 && !r.parent)
            fail(o.path("each"), "nests in no earlier record type's each of the same message type");
    }

    void fields(RecordSpec &r, const Object &o) {
        const json &list = o.raw("fields");
        if (!list.is_array()) fail(o.path("fields"), "must be an array");
        std::vector<config::ParsedField> parsed;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Object f(list[i], o.path("fields") + "[" + std::to_string(i) + "]");
            parsed.push_back(config::parseField(f, r.role, r.length));
            if (r.fieldIndex(parsed.back().spec.name)) fail(f.path("name"), "is used twice in this record");
            r.fields.push_back(parsed.back().spec);
        }
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            const std::string path = o.path("fields") + "[" + std::to_string(i) + "]";
            resolve(r, i, parsed[i], path);
        }
        checkPositions(r, o.path("fields"));
        r.hasTextFields = std::any_of(r.fields.begin(), r.fields.end(), [](const FieldSpec &f) { return f.isText(); });
    }

    void resolve(RecordSpec &r, std::size_t index, const config::ParsedField &parsed, const std::string &path) {
        FieldSpec &f = r.fields[index];
        if (!parsed.headerField.empty()) {
            const auto at = layout_.header ? layout_.header->fieldIndex(parsed.headerField) : std::nullopt;
            if (!at) fail(path + ".header_field", "names no field of the header record");
            f.headerField = *at;
            f.length = layout_.header->fields[*at].length;
            if (f.format && f.format->width() > f.length) fail(path + ".format", "is wider than the header field");
        }
        if (f.when) {
            const auto at = r.fieldIndex(parsed.whenField);
            if (!at || !r.fields[*at].isColumn()) fail(path + ".when.field", "names no column of this record");
            f.when->field = *at;
        }
        const bool encodeOnly = !r.each.empty();
        if (encodeOnly && (f.constant || f.headerField || f.when))
            fail(path, "a record type with each is written only, so const, header_field and when do not apply");
        if (f.target.empty()) return;
        try {
            f.sourcePath = splitPointer(f.target);
        } catch (const std::invalid_argument &e) {
            fail(path + ".to", e.what());
        }
        const std::size_t depth = wildcards(f.sourcePath);
        if (depth > 0) {
            // The k-th * of the field binds the k-th * of each, so the two must agree up to the field's last *.
            const auto last = std::find(f.sourcePath.rbegin(), f.sourcePath.rend(), "*").base();
            const auto prefix = static_cast<std::size_t>(last - f.sourcePath.begin());
            if (depth > wildcards(r.each) || prefix > r.each.size() ||
                !std::equal(f.sourcePath.begin(), last, r.each.begin()))
                fail(path + ".to", "a * must stand where the record type's each has one");
        }
        if (r.role != Role::Detail || encodeOnly) return;
        if (f.target == "/message_type" || f.target == "/schema_version") fail(path + ".to", "is set by the plugin");
        auto reserved = std::find_if(r.envelopeSlots.begin(), r.envelopeSlots.end(),
                                     [&](const auto &slot) { return slot.first == f.target; });
        if (reserved != r.envelopeSlots.end()) {
            if (std::find(envelopeMapped_.begin(), envelopeMapped_.end(), f.target) != envelopeMapped_.end())
                fail(path + ".to", "is mapped twice");
            envelopeMapped_.push_back(f.target);
            f.slot = reserved->second;
            return;
        }
        try {
            f.slot = r.shape.addLeaf(f.target);
        } catch (const std::invalid_argument &e) {
            fail(path + ".to", e.what());
        }
    }

    void checkPositions(const RecordSpec &r, const std::string &path) const {
        const std::size_t codeEnd = layout_.codeOffset + layout_.codeLength;
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            const FieldSpec &a = r.fields[i];
            if (!a.isColumn()) continue;
            if (a.offset < codeEnd && layout_.codeOffset < a.offset + a.length)
                fail(path + "[" + std::to_string(i) + "]", "field " + a.name + " overlaps the record type code");
            for (std::size_t j = 0; j < i; ++j) {
                const FieldSpec &b = r.fields[j];
                if (!b.isColumn() || (a.offset == b.offset && a.length == b.length)) continue;
                if (a.offset < b.offset + b.length && b.offset < a.offset + a.length)
                    fail(path + "[" + std::to_string(i) + "]", "field " + a.name + " overlaps field " + b.name);
            }
        }
    }

    // "{NOTICE_ID}" or "CAF-{header.FILE_SEQ}-{SEQ}": braces name fields, the rest is literal.
    void idempotencyKey(RecordSpec &r, const Object &o) {
        o.onlyKeys({"template"});
        if (!r.each.empty()) fail(o.path(), "does not apply to a record type with each");
        if (std::find(envelopeMapped_.begin(), envelopeMapped_.end(), "/idempotency_key") != envelopeMapped_.end())
            fail(o.path(), "a field already maps /idempotency_key");
        const std::string text = o.string("template");
        std::string literal;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '}') fail(o.path("template"), "has a } without a matching {");
            if (text[i] != '{') {
                literal.push_back(text[i]);
                continue;
            }
            const std::size_t close = text.find('}', i);
            if (close == std::string::npos || close == i + 1) fail(o.path("template"), "has an unclosed or empty {}");
            if (!literal.empty()) r.idempotencyKey.push_back(KeyPart{std::exchange(literal, {}), std::nullopt, false});
            const std::string name = text.substr(i + 1, close - i - 1);
            const bool fromHeader = name.rfind("header.", 0) == 0;
            const RecordSpec *source = fromHeader ? (layout_.header ? &*layout_.header : nullptr) : &r;
            const auto at = source != nullptr ? source->fieldIndex(fromHeader ? name.substr(7) : name) : std::nullopt;
            if (!at || !source->fields[*at].isColumn())
                fail(o.path("template"),
                     "names " + name + ", which is no column of " + (fromHeader ? "the header record" : "this record"));
            r.idempotencyKey.push_back(KeyPart{"", at, fromHeader});
            i = close;
        }
        if (!literal.empty()) r.idempotencyKey.push_back(KeyPart{literal, std::nullopt, false});
        if (std::none_of(r.idempotencyKey.begin(), r.idempotencyKey.end(), [](const KeyPart &p) { return p.field; }))
            fail(o.path("template"), "must name at least one field");
    }

    std::size_t trailerField(const Object &o, const char *key, std::vector<std::size_t> &used) {
        const auto at = layout_.trailer->fieldIndex(o.string(key));
        if (!at || !isNumber(layout_.trailer->fields[*at]))
            fail(o.path(key), "names no integer or decimal field of the trailer");
        if (std::find(used.begin(), used.end(), *at) != used.end()) fail(o.path(key), "is used for two totals");
        used.push_back(*at);
        return *at;
    }

    void totals(const Object &t) {
        std::vector<std::size_t> used;
        const json empty = json::array();
        const json &counts = t.has("counts") ? t.raw("counts") : empty;
        const json &sums = t.has("sums") ? t.raw("sums") : empty;
        if (!counts.is_array() || !sums.is_array()) fail(t.path("counts"), "counts and sums must be arrays");
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const Object c(counts[i], t.path("counts") + "[" + std::to_string(i) + "]");
            c.onlyKeys({"field", "records"});
            CountSpec count;
            count.field = trailerField(c, "field", used);
            if (layout_.trailer->fields[count.field].type != FieldType::Integer)
                fail(c.path("field"), "a count needs an integer field");
            if (c.has("records") && c.raw("records").is_array()) {
                count.scope = CountSpec::Scope::Codes;
                for (const std::string &code : c.strings("records")) {
                    auto it = std::find_if(layout_.details.begin(), layout_.details.end(),
                                           [&](const RecordSpec &d) { return d.code == code; });
                    if (it == layout_.details.end()) fail(c.path("records"), "names a code no detail record type has");
                    count.details.push_back(static_cast<std::size_t>(it - layout_.details.begin()));
                }
            } else {
                const std::string scope = c.string("records", "details");
                if (scope != "details" && scope != "all")
                    fail(c.path("records"), "must be details, all or a code list");
                count.scope = scope == "all" ? CountSpec::Scope::All : CountSpec::Scope::Details;
            }
            layout_.counts.push_back(std::move(count));
        }
        for (std::size_t i = 0; i < sums.size(); ++i) {
            const Object s(sums[i], t.path("sums") + "[" + std::to_string(i) + "]");
            s.onlyKeys({"field", "of"});
            SumSpec sum;
            sum.field = trailerField(s, "field", used);
            sum.decimals = layout_.trailer->fields[sum.field].number.decimals;
            sum.of = s.string("of");
            for (std::size_t d = 0; d < layout_.details.size(); ++d) {
                const auto at = layout_.details[d].fieldIndex(sum.of);
                if (!at) continue;
                const FieldSpec &f = layout_.details[d].fields[*at];
                if (!isNumber(f) || !f.isColumn()) fail(s.path("of"), "names a field that is not a number column");
                if (f.number.decimals > sum.decimals)
                    fail(s.path("of"), "has more decimals than the trailer field, so the sum cannot be exact");
                sum.sources.emplace_back(d, *at);
            }
            if (sum.sources.empty()) fail(s.path("of"), "names no field of any detail record type");
            layout_.sums.push_back(std::move(sum));
        }
    }

    Layout layout_;
    std::optional<std::size_t> defaultLength_;
    // The envelope members fields of the record being parsed map.
    std::vector<std::string> envelopeMapped_;
};

}  // namespace

Layout parseLayout(std::string_view text) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error &) {
        throw configError("config", "the configuration is not valid JSON");
    }
    return LayoutParser().run(root);
}

}  // namespace lendgate::fixedwidth
