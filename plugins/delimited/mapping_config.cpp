#include "mapping_config.h"

#include <lendgate/plugin.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

namespace lendgate::delimited {
namespace {

using nlohmann::json;

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

class Parser {
public:
    explicit Parser(DelimitedConfig &config) : config_(config) {}

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
            RecordLayoutSpec layout{spec.string("code"), spec.strings("columns")};
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
                                                      detail(s.string("of")),
                                                      static_cast<int>(s.integer("decimals", 0, 0, 6))});
                }
            }
            types.trailer = std::move(trailer);
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
            for (const std::string &name : o.strings("columns")) {
                if (!parts.empty()) parts.push_back(KeyPart{separator, std::nullopt});
                parts.push_back(KeyPart{"", detail(name)});
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
        CellRef cell = o.has("column") ? detail(o.string("column"))
                                       : headerCell(o.string("header_column"), o.path("header_column"));
        auto [time, offset] = timeOfDay(o);
        config_.occurredAt = OccurredAt{std::move(cell), dateFormat(o.string("format"), o.path("format")),
                                        std::move(time), std::move(offset)};
    }

    void field(const Object &o) {
        FieldMapping f;
        f.target = o.string("to", "");
        f.required = o.boolean("required", false);
        if (o.has("column") == o.has("const")) fail(o.path("column"), "give either column or const");
        if (o.has("column")) {
            f.source = detail(o.string("column"));
        } else {
            const json &c = o.raw("const");
            if (c.is_string()) {
                f.constant = FieldValue{FieldValue::Type::String, c.get<std::string>()};
            } else if (c.is_boolean()) {
                f.constant = FieldValue{FieldValue::Type::Boolean, c.get<bool>() ? "true" : "false"};
            } else if (c.is_number_integer()) {
                f.constant = FieldValue{FieldValue::Type::Number, c.dump()};
            } else {
                fail(o.path("const"), "must be a string, an integer or a boolean");
            }
        }
        if (o.has("when")) {
            const Object w(o.raw("when"), o.path("when"));
            Condition condition{detail(w.string("column")), {}};
            if (w.has("in")) condition.values = w.strings("in");
            for (std::string &value : condition.values) upperAscii(value);
            f.when = std::move(condition);
        }
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
        if (f.source == std::nullopt && !f.steps.empty()) fail(o.path("transform"), "does not apply to a const");
        for (std::size_t i = 0; i < f.steps.size(); ++i) {
            const Step s = f.steps[i];
            if ((s == Step::Integer || s == Step::Boolean) && i + 1 != f.steps.size())
                fail(o.path("transform"), "integer and boolean make a non-string value, so they must come last");
        }
        const bool wantsDate = std::count(f.steps.begin(), f.steps.end(), Step::Date) > 0;
        const bool wantsCodes = std::count(f.steps.begin(), f.steps.end(), Step::CodeTable) > 0;
        if (wantsDate != o.has("format"))
            fail(o.path("format"), "is required with the date transform, and only with it");
        if (wantsCodes != o.has("codes")) fail(o.path("codes"), "is required with code_table, and only with it");
        if (wantsDate) f.dateFormat = dateFormat(o.string("format"), o.path("format"));
        if (o.has("utc_offset")) {
            if (!wantsDate) fail(o.path("utc_offset"), "applies only with the date transform");
            std::tie(f.time, f.utcOffset) = timeOfDay(o);
        } else if (o.has("time")) {
            fail(o.path("time"), "needs utc_offset too");
        }
        if (wantsCodes) {
            const json &codes = o.raw("codes");
            if (!codes.is_object() || codes.empty()) fail(o.path("codes"), "must be a non-empty object");
            for (const auto &[code, canonical] : codes.items()) {
                if (!canonical.is_string()) fail(o.path("codes"), "must map codes to strings");
                f.codes.emplace(code, canonical.get<std::string>());
            }
        }
        if (f.target.empty()) {
            if (!f.source) fail(o.path("to"), "is required for a const");
        } else {
            try {
                f.slot = config_.layout.addLeaf(f.target);
            } catch (const std::invalid_argument &e) {
                fail(o.path("to"), e.what());
            }
        }
        config_.fields.push_back(std::move(f));
    }

private:
    static Step step(const std::string &name, const std::string &path) {
        static const std::pair<const char *, Step> kSteps[] = {
            {"trim", Step::Trim},       {"upper", Step::Upper},           {"date", Step::Date},
            {"decimal", Step::Decimal}, {"cents_to_decimal", Step::CentsToDecimal},
            {"integer", Step::Integer}, {"boolean", Step::Boolean},       {"code_table", Step::CodeTable},
            {"phone_e164", Step::PhoneE164},
        };
        for (const auto &[known, s] : kSteps)
            if (name == known) return s;
        fail(path, "names an unknown transform '" + name + "'");
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
        if (offset != "Z" && (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':' ||
                              !digitsAt(offset, {1, 2, 4, 5}) || offset.substr(1, 2) > "14" ||
                              offset.substr(4, 2) > "59"))
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
    if (config.headerRow == o.has("columns"))
        fail("columns", "give the detail columns here exactly when header_row is false");

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

    if (!config.headerRow) {
        for (const std::string &name : config.detailColumns)
            if (std::find(config.columns.begin(), config.columns.end(), name) == config.columns.end())
                fail("columns", "does not list the column " + name + " that the mapping uses");
    }
    if (config.recordTypes && !config.headerRow && config.columns.size() <= config.recordTypes->column)
        fail("columns", "is shorter than record_types.column");
    return config;
}

}  // namespace lendgate::delimited
