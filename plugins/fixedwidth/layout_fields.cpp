// One field of a record layout, from its configuration object.
#include <algorithm>
#include <stdexcept>

#include "config_reader.h"

namespace lendgate::fixedwidth::config {
namespace {

FieldType typeNamed(const std::string &name, const std::string &path) {
    static const std::pair<const char *, FieldType> kTypes[] = {
        {"text", FieldType::Text},   {"integer", FieldType::Integer},    {"decimal", FieldType::Decimal},
        {"date", FieldType::Date},   {"date_time", FieldType::DateTime}, {"boolean", FieldType::Boolean},
        {"phone", FieldType::Phone},
    };
    for (const auto &[known, type] : kTypes)
        if (name == known) return type;
    fail(path, "names an unknown type");
}

template <class T>
T choice(const Object &o, const char *key, std::initializer_list<std::pair<const char *, T>> options, T fallback) {
    if (!o.has(key)) return fallback;
    const std::string name = o.string(key);
    for (const auto &[known, value] : options)
        if (name == known) return value;
    fail(o.path(key), "is not one of the allowed values");
}

// A key that only some field types take, given to another type, is a mistake worth stopping for.
void onlyFor(const Object &o, const char *key, bool allowed, const char *types) {
    if (o.has(key) && !allowed) fail(o.path(key), std::string("applies only to ") + types + " fields");
}

void parseCodes(const Object &o, FieldSpec &f) {
    const json &codes = o.raw("codes");
    if (!codes.is_object() || codes.empty()) fail(o.path("codes"), "must be a non-empty object");
    for (const auto &[code, value] : codes.items()) {
        if (!value.is_string()) fail(o.path("codes"), "must map codes to strings");
        const std::string canonical = value.get<std::string>();
        f.codes.emplace_back(code, canonical);
        // Encoding picks the first code the table lists for a value.
        const bool seen = std::any_of(f.reverseCodes.begin(), f.reverseCodes.end(),
                                      [&](const auto &entry) { return entry.first == canonical; });
        if (!seen) f.reverseCodes.emplace_back(canonical, code);
    }
    std::sort(f.codes.begin(), f.codes.end());
    std::sort(f.reverseCodes.begin(), f.reverseCodes.end());
}

void parseDateKeys(const Object &o, FieldSpec &f) {
    const bool isDate = f.type == FieldType::Date || f.type == FieldType::DateTime;
    onlyFor(o, "format", isDate, "date and date_time");
    onlyFor(o, "utc_offset", isDate, "date and date_time");
    onlyFor(o, "time", f.type == FieldType::Date, "date");
    if (!isDate) return;
    try {
        f.format = DateTimeFormat::parse(o.string("format"));
    } catch (const std::invalid_argument &e) {
        fail(o.path("format"), e.what());
    }
    if (f.format->hasTime() != (f.type == FieldType::DateTime))
        fail(o.path("format"), f.type == FieldType::Date ? "has hours and minutes: use type date_time"
                                                         : "needs hours and minutes (hh, mm) for a date_time");
    if (f.type == FieldType::DateTime && !o.has("utc_offset"))
        fail(o.path("utc_offset"), "is required for a date_time: the file's times are local to some offset");
    if (o.has("utc_offset")) {
        f.utcOffset = o.string("utc_offset");
        const auto minutes = parseUtcOffset(f.utcOffset);
        if (!minutes) fail(o.path("utc_offset"), "must be Z or +HH:MM / -HH:MM");
        f.offsetMinutes = *minutes;
        f.dateTime = true;
    }
    if (o.has("time")) {
        if (!o.has("utc_offset")) fail(o.path("time"), "needs utc_offset too");
        if (!parseTimeOfDay(o.string("time"), f.timeOfDay)) fail(o.path("time"), "must be HH:MM:SS");
    }
    if (f.length != 0 && f.format->width() > f.length)
        fail(o.path("format"),
             "is " + std::to_string(f.format->width()) + " bytes wide, the field only " + std::to_string(f.length));
}

void parseNumberKeys(const Object &o, FieldSpec &f) {
    const bool numeric = f.type == FieldType::Integer || f.type == FieldType::Decimal;
    onlyFor(o, "decimals", f.type == FieldType::Decimal, "decimal");
    onlyFor(o, "decimal_point", f.type == FieldType::Decimal, "decimal");
    onlyFor(o, "sign", numeric, "integer and decimal");
    if (!numeric) return;
    f.number.decimals = static_cast<int>(o.integer("decimals", 0, 0, 6));
    f.number.decimalPoint = o.boolean("decimal_point", false);
    f.number.sign = choice<Sign>(o, "sign",
                                 {{"none", Sign::None},
                                  {"leading", Sign::Leading},
                                  {"trailing", Sign::Trailing},
                                  {"overpunch", Sign::Overpunch}},
                                 Sign::None);
}

FieldValue constantOf(const Object &o) {
    const json &c = o.raw("const");
    if (c.is_string()) return FieldValue{FieldValue::Type::String, c.get<std::string>()};
    if (c.is_boolean()) return FieldValue{FieldValue::Type::Boolean, c.get<bool>() ? "true" : "false"};
    if (c.is_number_integer()) return FieldValue{FieldValue::Type::Number, c.dump()};
    fail(o.path("const"), "must be a string, an integer or a boolean");
}

}  // namespace

ParsedField parseField(const Object &o, RecordSpec::Role role, std::size_t recordLength) {
    o.onlyKeys({"name",       "start",    "length",   "header_field",  "type",  "align",  "pad",
                "trim",       "upper",    "decimals", "decimal_point", "sign",  "format", "time",
                "utc_offset", "true",     "false",    "codes",         "value", "to",     "const",
                "required",   "truncate", "now",      "when"});
    const bool detail = role == RecordSpec::Role::Detail;
    ParsedField parsed;
    FieldSpec &f = parsed.spec;
    f.name = o.string("name");
    f.type = typeNamed(o.string("type", "text"), o.path("type"));

    for (const char *key : {"const", "header_field", "when"})
        if (o.has(key) && !detail) fail(o.path(key), "applies only to detail records");
    if (o.has("now") && detail) fail(o.path("now"), "applies only to header and trailer records");
    const bool isConst = o.has("const"), fromHeader = o.has("header_field");
    if (isConst && fromHeader) fail(o.path("const"), "give either const or header_field");
    if (isConst || fromHeader) {
        for (const char *key : {"start", "length", "value", "align", "pad", "truncate"})
            if (o.has(key)) fail(o.path(key), "does not apply to a const or header_field field");
    } else {
        const auto start = static_cast<std::size_t>(o.integer("start", 1, 65536));
        f.offset = start - 1;
        f.length = static_cast<std::size_t>(o.integer("length", 1, 65536));
        if (f.offset + f.length > recordLength)
            fail(o.path("length"), "the field ends at column " + std::to_string(f.offset + f.length) +
                                       ", past the record length " + std::to_string(recordLength));
    }
    if (fromHeader) parsed.headerField = o.string("header_field");

    const bool numeric = f.type == FieldType::Integer || f.type == FieldType::Decimal;
    f.align = choice<Align>(o, "align", {{"left", Align::Left}, {"right", Align::Right}},
                            numeric ? Align::Right : Align::Left);
    f.pad = choice<char>(o, "pad", {{"space", ' '}, {"zero", '0'}}, numeric && f.align == Align::Right ? '0' : ' ');
    if (f.pad == '0' && f.align == Align::Left) fail(o.path("pad"), "zero padding needs right alignment");
    if (f.pad == '0' && (f.type == FieldType::Boolean || f.type == FieldType::Date || f.type == FieldType::DateTime))
        fail(o.path("pad"), "zero padding applies to text and numbers only");

    onlyFor(o, "trim", f.isText(), "text");
    onlyFor(o, "upper", f.isText(), "text");
    onlyFor(o, "codes", f.isText(), "text");
    onlyFor(o, "truncate", f.isText(), "text");
    onlyFor(o, "true", f.type == FieldType::Boolean, "boolean");
    onlyFor(o, "false", f.type == FieldType::Boolean, "boolean");
    f.trim = choice<Trim>(o, "trim",
                          {{"both", Trim::Both}, {"left", Trim::Left}, {"right", Trim::Right}, {"none", Trim::None}},
                          Trim::Both);
    f.upper = o.boolean("upper", false);
    f.truncate = o.boolean("truncate", false);
    if (o.has("codes")) parseCodes(o, f);
    parseNumberKeys(o, f);
    parseDateKeys(o, f);
    if (f.type == FieldType::Boolean) {
        f.trueCode = o.string("true", "Y");
        f.falseCode = o.string("false", "N");
        if (f.trueCode.empty() || f.falseCode.empty() || f.trueCode == f.falseCode)
            fail(o.path("true"), "true and false need two different, non-empty codes");
        if (f.length != 0 && std::max(f.trueCode.size(), f.falseCode.size()) > f.length)
            fail(o.path("true"), "a code is longer than the field");
    }

    f.target = o.string("to", "");
    f.required = o.boolean("required", false);
    f.now = o.boolean("now", false);
    if (f.now && f.type != FieldType::Date && f.type != FieldType::DateTime)
        fail(o.path("now"), "applies only to date and date_time fields");
    if (f.now && !f.dateTime) fail(o.path("now"), "needs utc_offset: the file's clock is local to some offset");
    if (o.has("value")) {
        if (!f.target.empty() || f.now) fail(o.path("value"), "a field holds either a fixed value or a mapped one");
        f.literal = o.string("value");
        if (f.literal->empty() || f.literal->size() > f.length)
            fail(o.path("value"), "must be 1 to " + std::to_string(f.length) + " bytes, the field's length");
    }
    if (isConst) {
        if (f.target.empty()) fail(o.path("to"), "is required for a const");
        if (o.has("type")) fail(o.path("type"), "does not apply to a const: the value is written as given");
        f.constant = constantOf(o);
    }
    if (o.has("when")) {
        const Object w(o.raw("when"), o.path("when"));
        w.onlyKeys({"field", "in"});
        parsed.whenField = w.string("field");
        Condition condition;
        if (w.has("in")) condition.values = w.strings("in");
        for (std::string &value : condition.values)
            for (char &c : value)
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        f.when = std::move(condition);
    }
    return parsed;
}

}  // namespace lendgate::fixedwidth::config
