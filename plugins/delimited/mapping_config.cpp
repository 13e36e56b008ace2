#include "mapping_config.h"

#include <lendgate/plugin.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

namespace lendgate::delimited {
namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string &path, const std::string &problem) {
    throw configError("config", path + ": " + problem);
}

// Typed access that names the key on failure. The host has validated the
// schema already, so these fire only when the plugin is driven without a host.
class Object {
public:
    Object(const json &value, std::string path) : value_(value), path_(std::move(path)) {
        if (!value_.is_object()) fail(path_, "must be an object");
    }
    bool has(const char *key) const { return value_.contains(key); }
    std::string path(const char *key) const { return path_.empty() ? key : path_ + "." + key; }
    const json &raw(const char *key) const {
        if (!has(key)) fail(path(key), "is required");
        return value_.at(key);
    }
    std::string string(const char *key) const {
        const json &v = raw(key);
        if (!v.is_string()) fail(path(key), "must be a string");
        return v.get<std::string>();
    }
    std::string string(const char *key, std::string fallback) const { return has(key) ? string(key) : fallback; }
    bool boolean(const char *key, bool fallback) const {
        if (!has(key)) return fallback;
        if (!value_.at(key).is_boolean()) fail(path(key), "must be true or false");
        return value_.at(key).get<bool>();
    }
    std::int64_t integer(const char *key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
        if (!has(key)) return fallback;
        const json &v = value_.at(key);
        if (!v.is_number_integer()) fail(path(key), "must be an integer");
        const auto n = v.get<std::int64_t>();
        if (n < min || n > max) fail(path(key), "is out of range");
        return n;
    }
    std::vector<std::string> strings(const char *key) const {
        const json &v = raw(key);
        if (!v.is_array() || v.empty()) fail(path(key), "must be a non-empty array of strings");
        std::vector<std::string> out;
        for (const json &item : v) {
            if (!item.is_string()) fail(path(key), "must be a non-empty array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

private:
    const json &value_;
    std::string path_;
};

std::size_t positionIn(const std::vector<std::string> &columns, const std::string &name, const std::string &path,
                       const char *layout) {
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) fail(path, std::string("names a column that is not in the ") + layout + " layout");
    return static_cast<std::size_t>(it - columns.begin());
}

constexpr std::int64_t kMaxPosition = 4095;

class Parser {
public:
    explicit Parser(DelimitedConfig &config) : config_(config) {}

    // A detail column: a name ("ACCT_NO") or a 0-based position (3).
    CellRef detail(const json &ref, const std::string &path) {
        if (ref.is_number_integer()) {
            const auto position = ref.get<std::int64_t>();
            if (position < 0 || position > kMaxPosition) fail(path, "is not a position from 0 to 4095");
            const auto at = static_cast<std::size_t>(position);
            config_.maxPosition = std::max(config_.maxPosition.value_or(0), at);
            return CellRef{CellRef::Record::Detail, "[" + std::to_string(at) + "]", at, true};
        }
        if (!ref.is_string() || ref.get<std::string>().empty()) fail(path, "must be a column name or a position");
        return detail(ref.get<std::string>());
    }

    CellRef detail(const std::string &name) {
        auto it = std::find(config_.detailColumns.begin(), config_.detailColumns.end(), name);
        if (it == config_.detailColumns.end()) it = config_.detailColumns.insert(it, name);
        return CellRef{CellRef::Record::Detail, name, static_cast<std::size_t>(it - config_.detailColumns.begin())};
    }

    CellRef headerCell(const std::string &name, const std::string &path) {
        if (!config_.recordTypes || !config_.recordTypes->header)
            fail(path, "refers to the header record, but record_types.header is not configured");
        return CellRef{CellRef::Record::Header, name,
                       positionIn(config_.recordTypes->header->columns, name, path, "header record")};
    }

    void recordTypes(const Object &o) {
        RecordTypes types;
        types.column = static_cast<std::size_t>(o.integer("column", 0, 0, 4095));
        types.detailCode = o.string("detail");
        auto layoutOf = [&](const Object &spec) {
            RecordLayoutSpec layout{spec.string("code"), spec.strings("columns"), {}};
            if (layout.columns.size() <= types.column)
                fail(spec.path("columns"), "is shorter than record_types.column");
            return layout;
        };
        if (o.has("header")) types.header = layoutOf(Object(o.raw("header"), o.path("header")));
        if (o.has("trailer")) {
            const Object t(o.raw("trailer"), o.path("trailer"));
            TrailerSpec trailer{layoutOf(t), {}, {}};
            auto trailerCell = [&](const std::string &name, const std::string &path) {
                const std::size_t at = positionIn(trailer.layout.columns, name, path, "trailer");
                return CellRef{CellRef::Record::Trailer, name, at};
            };
            trailer.recordCount = trailerCell(t.string("record_count"), t.path("record_count"));
            if (t.has("sums")) {
                const json &sums = t.raw("sums");
                if (!sums.is_array()) fail(t.path("sums"), "must be an array");
                for (std::size_t i = 0; i < sums.size(); ++i) {
                    const Object s(sums[i], t.path("sums") + "[" + std::to_string(i) + "]");
                    trailer.sums.push_back(TrailerSum{trailerCell(s.string("column"), s.path("column")),
                                                      detail(s.raw("of"), s.path("of")),
                                                      static_cast<int>(s.integer("decimals", 0, 0, 6))});
                }
            }
            types.trailer = std::move(trailer);
        }
        // Values only once both layouts are known: a value may not overwrite a count or a sum.
        if (o.has("header")) {
            const Object h(o.raw("header"), o.path("header"));
            if (h.has("values")) types.header->values = encodeCells(h, *types.header, types, nullptr);
        }
        if (o.has("trailer")) {
            const Object t(o.raw("trailer"), o.path("trailer"));
            if (t.has("values"))
                types.trailer->layout.values = encodeCells(t, types.trailer->layout, types, &*types.trailer);
        }
        std::vector<std::string> codes{types.detailCode};
        if (types.header) codes.push_back(types.header->code);
        if (types.trailer) codes.push_back(types.trailer->layout.code);
        std::sort(codes.begin(), codes.end());
        if (std::adjacent_find(codes.begin(), codes.end()) != codes.end())
            fail(o.path("detail"), "the detail, header and trailer codes must differ");
        config_.recordTypes = std::move(types);
    }

    // "{RECORD_ID}" or "{header.FILE_DATE}-{SEQ}": braces name cells, the rest is literal.
    void idempotencyKey(const Object &o) {
        std::vector<KeyPart> parts;
        if (o.has("columns") == o.has("template")) fail(o.path("columns"), "give either columns or template");
        if (o.has("columns")) {
            const std::string separator = o.string("separator", "|");
            const json &columns = o.raw("columns");
            if (!columns.is_array() || columns.empty()) fail(o.path("columns"), "must be a non-empty array");
            for (const json &column : columns) {
                if (!parts.empty()) parts.push_back(KeyPart{separator, std::nullopt});
                parts.push_back(KeyPart{"", detail(column, o.path("columns"))});
            }
        } else {
            const std::string text = o.string("template");
            std::string literal;
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (text[i] == '}') fail(o.path("template"), "has a } without a matching {");
                if (text[i] != '{') {
                    literal.push_back(text[i]);
                    continue;
                }
                const std::size_t close = text.find('}', i);
                if (close == std::string::npos || close == i + 1)
                    fail(o.path("template"), "has an unclosed or empty {}");
                if (!literal.empty()) parts.push_back(KeyPart{std::exchange(literal, {}), std::nullopt});
                const std::string name = text.substr(i + 1, close - i - 1);
                if (name.rfind("header.", 0) == 0)
                    parts.push_back(KeyPart{"", headerCell(name.substr(7), o.path("template"))});
                else
                    parts.push_back(KeyPart{"", detail(name)});
                i = close;
            }
            if (!literal.empty()) parts.push_back(KeyPart{literal, std::nullopt});
            const bool anyCell = std::any_of(parts.begin(), parts.end(), [](const KeyPart &p) { return p.cell; });
            if (!anyCell) fail(o.path("template"), "must name at least one column");
        }
        config_.idempotencyKey = std::move(parts);
    }

    void occurredAt(const Object &o) {
        if (o.has("column") == o.has("header_column")) fail(o.path("column"), "give either column or header_column");
        CellRef cell = o.has("column") ? detail(o.raw("column"), o.path("column"))
                                       : headerCell(o.string("header_column"), o.path("header_column"));
        auto [time, offset] = timeOfDay(o);
        config_.occurredAt = OccurredAt{std::move(cell), dateFormat(o.string("format"), o.path("format")),
                                        std::move(time), std::move(offset)};
        if (config_.occurredAt->format.hasTime()) checkClockFormat(o);
    }

    void field(const Object &o) {
        FieldMapping f;
        f.target = o.string("to", "");
        f.required = o.boolean("required", false);
        f.direction = direction(o);
        if (o.has("column") == o.has("const")) fail(o.path("column"), "give either column or const");
        if (o.has("column")) {
            f.source = detail(o.raw("column"), o.path("column"));
        } else {
            if (f.direction == Direction::Encode) fail(o.path("const"), "has no column to write on encode");
            f.constant = constant(o.raw("const"), o.path("const"));
        }
        if (o.has("when")) {
            const Object w(o.raw("when"), o.path("when"));
            Condition condition{detail(w.raw("column"), w.path("column")), {}};
            if (w.has("in")) condition.values = w.strings("in");
            for (std::string &value : condition.values) upperAscii(value);
            f.when = std::move(condition);
        }
        if (f.source == std::nullopt && o.has("transform")) fail(o.path("transform"), "does not apply to a const");
        conversions(o, f);
        const bool rows = !config_.rows.empty();
        if (o.has("scope")) {
            if (!rows) fail(o.path("scope"), "applies only with rows");
            f.documentScope = o.string("scope") == "document";
        }
        if (f.join && !f.join->item.empty() && f.direction != Direction::Encode && !rows)
            fail(o.path("join.item"),
                 "joins values out of objects, which decoding cannot rebuild: "
                 "give the field \"direction\": \"encode\"");
        if (f.target.empty()) {
            if (!f.source) fail(o.path("to"), "is required for a const");
            if (f.direction == Direction::Encode) fail(o.path("to"), "is required to encode a column");
        } else {
            try {
                f.targetPath = splitPointer(f.target);
                // Only values decoding writes take a place in the record it builds, so only they may not overlap.
                if (f.direction != Direction::Encode && !rows) f.slot = slotFor(f.target);
            } catch (const std::invalid_argument &e) {
                fail(o.path("to"), e.what());
            }
        }
        config_.fields.push_back(std::move(f));
    }

    // The envelope's idempotency_key and occurred_at may come straight from a column when the configuration
    // does not build them (an RFC 3339 column, a sender's key as it is).
    std::size_t slotFor(const std::string &target) {
        for (auto [pointer, slot, derived] :
             {std::tuple{"/idempotency_key", config_.idempotencyKeySlot, !config_.idempotencyKey.empty()},
              std::tuple{"/occurred_at", config_.occurredAtSlot, config_.occurredAt.has_value()}}) {
            if (target != pointer || derived) continue;
            if (std::exchange(directEnvelope_[pointer[1] == 'i' ? 0 : 1], true))
                throw std::invalid_argument("a target pointer repeats another one");
            return slot;
        }
        return config_.layout.addLeaf(target);
    }

    // Transform chain and the keys that go with it, shared by detail fields and header/trailer values.
    void conversions(const Object &o, FieldMapping &f) {
        if (o.has("transform")) {
            const json &t = o.raw("transform");
            if (t.is_string()) {
                f.steps.push_back(step(t.get<std::string>(), o.path("transform")));
            } else if (t.is_array()) {
                for (const json &name : t) {
                    if (!name.is_string()) fail(o.path("transform"), "must name transforms");
                    f.steps.push_back(step(name.get<std::string>(), o.path("transform")));
                }
            } else {
                fail(o.path("transform"), "must be a transform name or an array of them");
            }
        }
        for (std::size_t i = 0; i < f.steps.size(); ++i) {
            const Step s = f.steps[i];
            if ((s == Step::Integer || s == Step::Boolean) && i + 1 != f.steps.size())
                fail(o.path("transform"), "integer and boolean make a non-string value, so they must come last");
        }
        auto uses = [&](Step s) { return std::find(f.steps.begin(), f.steps.end(), s) != f.steps.end(); };
        const bool wantsDate = uses(Step::Date), wantsCodes = uses(Step::CodeTable);
        if (wantsDate != o.has("format"))
            fail(o.path("format"), "is required with the date transform, and only with it");
        if (wantsCodes != o.has("codes")) fail(o.path("codes"), "is required with code_table, and only with it");
        if (o.has("encode_default") && !wantsCodes) fail(o.path("encode_default"), "applies only with code_table");
        if (o.has("boolean_text") && !uses(Step::Boolean)) fail(o.path("boolean_text"), "applies only with boolean");
        if (o.has("phone_format") && !uses(Step::PhoneE164))
            fail(o.path("phone_format"), "applies only with phone_e164");
        if (wantsDate) f.dateFormat = dateFormat(o.string("format"), o.path("format"));
        if (o.has("utc_offset")) {
            if (!wantsDate) fail(o.path("utc_offset"), "applies only with the date transform");
            std::tie(f.time, f.utcOffset) = timeOfDay(o);
        } else if (o.has("time")) {
            fail(o.path("time"), "needs utc_offset too");
        }
        if (f.dateFormat && f.dateFormat->hasTime()) checkClockFormat(o);
        if (wantsCodes) {
            const json &codes = o.raw("codes");
            if (!codes.is_object() || codes.empty()) fail(o.path("codes"), "must be a non-empty object");
            // A code may stand for several canonical values: decoding gives the first, encoding takes any.
            for (const auto &[code, canonical] : codes.items()) {
                std::vector<std::string> values;
                if (canonical.is_string()) values.push_back(canonical.get<std::string>());
                for (const json &v : canonical.is_array() ? canonical : json::array()) {
                    if (!v.is_string()) fail(o.path("codes"), "must map codes to strings or arrays of strings");
                    values.push_back(v.get<std::string>());
                }
                if (values.empty()) fail(o.path("codes"), "must map codes to strings or non-empty arrays of strings");
                f.codes.emplace(code, values.front());
                for (const std::string &value : values) f.reverseCodes.emplace(value, code);  // the first code wins
            }
            if (o.has("encode_default")) f.encodeDefault = o.string("encode_default");
        }
        if (o.has("boolean_text")) {
            const std::vector<std::string> texts = o.strings("boolean_text");
            if (texts.size() != 2 || texts[0] == texts[1] || !parseBoolean(texts[0]).value_or(false) ||
                parseBoolean(texts[1]).value_or(true))
                fail(o.path("boolean_text"), "must be two texts the boolean transform reads as true and false");
            f.trueText = texts[0];
            f.falseText = texts[1];
        }
        if (o.has("phone_format")) {
            f.phoneFormat = o.string("phone_format");
            if (std::count(f.phoneFormat.begin(), f.phoneFormat.end(), '#') != 10 ||
                !phoneE164(*formatPhone("+12025550100", f.phoneFormat)))
                fail(o.path("phone_format"), "must hold ten # that phone_e164 reads back");
        }
        if (o.has("join")) {
            const Object j(o.raw("join"), o.path("join"));
            Join join{j.string("separator"), j.string("item", ""), {}};
            if (join.separator.empty()) fail(j.path("separator"), "must not be empty");
            if (!join.item.empty()) {
                try {
                    join.itemPath = splitPointer(join.item);
                } catch (const std::invalid_argument &e) {
                    fail(j.path("item"), e.what());
                }
            }
            f.join = std::move(join);
        }
    }

    // Header and trailer cells written on encode; the record type, count and sums are filled in already.
    std::vector<EncodeCell> encodeCells(const Object &spec, const RecordLayoutSpec &layout, const RecordTypes &types,
                                        const TrailerSpec *trailer) {
        const json &values = spec.raw("values");
        if (!values.is_array()) fail(spec.path("values"), "must be an array");
        std::vector<EncodeCell> cells;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const Object v(values[i], spec.path("values") + "[" + std::to_string(i) + "]");
            EncodeCell cell;
            cell.column = v.string("column");
            cell.index = positionIn(layout.columns, cell.column, v.path("column"), "record's");
            bool automatic = cell.index == types.column;
            if (trailer != nullptr) {
                automatic = automatic || cell.index == trailer->recordCount.index;
                for (const TrailerSum &sum : trailer->sums)
                    automatic = automatic || cell.index == sum.trailerCell.index;
            }
            if (automatic) fail(v.path("column"), "is filled in by the encoder (record type, count or sum)");
            if (std::any_of(cells.begin(), cells.end(), [&](const EncodeCell &c) { return c.index == cell.index; }))
                fail(v.path("column"), "is given a value twice");
            const int sources = int(v.has("const")) + int(v.has("to")) + int(v.has("now"));
            if (sources != 1) fail(v.path("column"), "give exactly one of const, to and now");
            if (v.has("const")) {
                cell.source = EncodeCell::Source::Const;
                cell.constant = constant(v.raw("const"), v.path("const")).text;
                if (v.has("transform")) fail(v.path("transform"), "does not apply to a const");
            } else if (v.has("to")) {
                cell.source = EncodeCell::Source::Record;
                try {
                    cell.mapping.target = v.string("to");
                    cell.mapping.targetPath = splitPointer(cell.mapping.target);
                } catch (const std::invalid_argument &e) {
                    fail(v.path("to"), e.what());
                }
            } else {
                if (!v.boolean("now", false)) fail(v.path("now"), "must be true");
                cell.source = EncodeCell::Source::Now;
            }
            conversions(v, cell.mapping);
            cells.push_back(std::move(cell));
        }
        return cells;
    }

private:
    static Direction direction(const Object &o) {
        const std::string d = o.string("direction", "both");
        if (d == "both") return Direction::Both;
        if (d == "decode") return Direction::Decode;
        if (d == "encode") return Direction::Encode;
        fail(o.path("direction"), "must be both, decode or encode");
    }

    static FieldValue constant(const json &c, const std::string &path) {
        if (c.is_string()) return FieldValue{FieldValue::Type::String, c.get<std::string>()};
        if (c.is_boolean()) return FieldValue{FieldValue::Type::Boolean, c.get<bool>() ? "true" : "false"};
        if (c.is_number_integer()) return FieldValue{FieldValue::Type::Number, c.dump()};
        fail(path, "must be a string, an integer or a boolean");
    }

    static Step step(const std::string &name, const std::string &path) {
        static const std::pair<const char *, Step> kSteps[] = {
            {"trim", Step::Trim},
            {"upper", Step::Upper},
            {"date", Step::Date},
            {"decimal", Step::Decimal},
            {"cents_to_decimal", Step::CentsToDecimal},
            {"integer", Step::Integer},
            {"boolean", Step::Boolean},
            {"code_table", Step::CodeTable},
            {"phone_e164", Step::PhoneE164},
        };
        for (const auto &[known, s] : kSteps)
            if (name == known) return s;
        fail(path, "names an unknown transform '" + name + "'");
    }

    // A layout with a time of day is local time: it needs the offset, and a fixed time would contradict it.
    static void checkClockFormat(const Object &o) {
        if (!o.has("utc_offset")) fail(o.path("utc_offset"), "is required with a format that has a time of day");
        if (o.has("time")) fail(o.path("time"), "does not apply to a format that has a time of day");
    }

    // "time" (default midnight) and "utc_offset" of a date that becomes a date-time.
    static std::pair<std::string, std::string> timeOfDay(const Object &o) {
        std::string time = o.string("time", "00:00:00");
        std::string offset = o.string("utc_offset");
        auto digitsAt = [](const std::string &s, std::initializer_list<std::size_t> at) {
            return std::all_of(at.begin(), at.end(), [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; });
        };
        if (time.size() != 8 || time[2] != ':' || time[5] != ':' || !digitsAt(time, {0, 1, 3, 4, 6, 7}) ||
            time.substr(0, 2) > "23" || time.substr(3, 2) > "59" || time.substr(6, 2) > "59")
            fail(o.path("time"), "must be HH:MM:SS");
        if (offset != "Z" &&
            (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':' ||
             !digitsAt(offset, {1, 2, 4, 5}) || offset.substr(1, 2) > "14" || offset.substr(4, 2) > "59"))
            fail(o.path("utc_offset"), "must be Z or +HH:MM / -HH:MM");
        return {std::move(time), std::move(offset)};
    }

    static DateFormat dateFormat(const std::string &format, const std::string &path) {
        try {
            return DateFormat::parse(format);
        } catch (const std::invalid_argument &e) {
            fail(path, e.what());
        }
    }

    DelimitedConfig &config_;
    bool directEnvelope_[2] = {false, false};
};

}  // namespace

DelimitedConfig parseConfig(std::string_view text) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error &) {
        throw configError("config", "the configuration is not valid JSON");
    }
    DelimitedConfig config;
    Parser parser(config);
    const Object o(root, "");

    config.messageType = o.string("message_type");
    config.schemaVersion = o.string("schema_version", "1.0");
    const std::string delimiter = o.string("delimiter", ",");
    if (delimiter != "," && delimiter != "\t" && delimiter != "|" && delimiter != ";")
        fail("delimiter", "must be one of , tab | ;");
    config.csv.delimiter = delimiter[0];
    const std::string quote = o.string("quote", "\"");
    if (quote.size() > 1 || quote == delimiter || quote == "\r" || quote == "\n")
        fail("quote", "must be one character other than the delimiter, or empty for no quoting");
    config.csv.quote = quote.empty() ? '\0' : quote[0];
    config.csv.maxRecordBytes = static_cast<std::size_t>(
        o.integer("max_record_bytes", static_cast<std::int64_t>(config.csv.maxRecordBytes), 64, 64 << 20));
    config.headerRow = o.boolean("header_row", true);
    if (o.has("columns")) config.columns = o.strings("columns");
    const std::string bareQuote = o.string("bare_quote", "error");
    if (bareQuote != "error" && bareQuote != "data") fail("bare_quote", "must be error or data");
    config.csv.bareQuoteIsData = bareQuote == "data";

    config.output.delimiter = config.csv.delimiter;
    config.output.quote = config.csv.quote;
    const std::string lineEnd = o.string("line_end", "CRLF");
    if (lineEnd != "CRLF" && lineEnd != "LF") fail("line_end", "must be CRLF or LF");
    config.output.lineEnd = lineEnd == "CRLF" ? "\r\n" : "\n";
    const std::string quoteStyle = o.string("quote_style", "minimal");
    if (quoteStyle != "minimal" && quoteStyle != "always") fail("quote_style", "must be minimal or always");
    config.output.alwaysQuote = quoteStyle == "always";
    if (config.output.alwaysQuote && config.output.quote == '\0')
        fail("quote_style", "always quoting needs a quote character");
    config.output.spreadsheetSafe = o.boolean("spreadsheet_safe", false);
    if (o.has("rows")) {
        config.rows = o.string("rows");
        try {
            config.rowsPath = splitPointer(config.rows);
        } catch (const std::invalid_argument &e) {
            fail("rows", e.what());
        }
    }

    // Envelope first, so every record starts with the same keys in the same order.
    config.messageTypeSlot = config.layout.addLeaf("/message_type");
    config.schemaVersionSlot = config.layout.addLeaf("/schema_version");
    config.idempotencyKeySlot = config.layout.addLeaf("/idempotency_key");
    config.occurredAtSlot = config.layout.addLeaf("/occurred_at");

    if (o.has("record_types")) parser.recordTypes(Object(o.raw("record_types"), "record_types"));
    if (o.has("idempotency_key")) parser.idempotencyKey(Object(o.raw("idempotency_key"), "idempotency_key"));
    if (o.has("occurred_at")) parser.occurredAt(Object(o.raw("occurred_at"), "occurred_at"));
    const json &fields = o.raw("fields");
    if (!fields.is_array()) fail("fields", "must be an array");
    for (std::size_t i = 0; i < fields.size(); ++i)
        parser.field(Object(fields[i], "fields[" + std::to_string(i) + "]"));

    // A named column must be findable: in the file's header row, or in `columns`.
    if (!config.headerRow && config.columns.empty() && !config.detailColumns.empty())
        fail("columns", "must list the detail columns: the file has no header row and the mapping names column " +
                            config.detailColumns.front());
    if (!config.columns.empty()) {
        std::vector<std::string> sorted = config.columns;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) fail("columns", "names a column twice");
        for (const std::string &name : config.detailColumns)
            if (std::find(config.columns.begin(), config.columns.end(), name) == config.columns.end())
                fail("columns", "does not list the column " + name + " that the mapping uses");
        if (config.maxPosition && *config.maxPosition >= config.columns.size())
            fail("columns", "is shorter than a column position the mapping uses");
        if (config.recordTypes && config.columns.size() <= config.recordTypes->column)
            fail("columns", "is shorter than record_types.column");
    }
    return config;
}

}  // namespace lendgate::delimited
