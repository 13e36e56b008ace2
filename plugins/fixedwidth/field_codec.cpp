#include "field_codec.h"

#include <algorithm>
#include <cstring>

namespace lendgate::fixedwidth {
namespace {

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}
char upper(char c) noexcept {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

bool hasControlByte(std::string_view text) noexcept {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b < 0x20 || b == 0x7F;
    });
}

std::string_view trimSpaces(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

const std::string *lookup(const std::vector<std::pair<std::string, std::string>> &table, std::string_view key) {
    auto it = std::lower_bound(table.begin(), table.end(), key,
                               [](const auto &entry, std::string_view k) { return entry.first < k; });
    return it != table.end() && it->first == key ? &it->second : nullptr;
}

FieldProblem problem(std::string_view code, std::string reason) {
    return FieldProblem{code, std::move(reason)};
}

std::string sizes(std::size_t needed, std::size_t length) {
    return "the value needs " + std::to_string(needed) + " bytes, the field holds " + std::to_string(length);
}

std::string numberRule(const FieldSpec &spec) {
    if (spec.type == FieldType::Integer) return "not a whole number";
    if (spec.number.decimalPoint)
        return "not a number with at most " + std::to_string(spec.number.decimals) + " decimals";
    return "not a number with " + std::to_string(spec.number.decimals) + " implied decimals";
}

// NANP digits of a phone written with or without separators: "6025550143", "(602) 555-0143", "1-602-...".
bool nanpDigits(std::string_view text, std::string &digits) {
    digits.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isDigit(c)) {
            if (digits.size() == 11) return false;
            digits.push_back(c);
        } else if (c == '+') {
            if (i != 0) return false;
        } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.') {
            return false;
        }
    }
    if (digits.size() == 11 && digits.front() == '1') digits.erase(0, 1);
    // Neither the area code nor the exchange may start with 0 or 1.
    return digits.size() == 10 && digits[0] >= '2' && digits[3] >= '2';
}

FieldProblem decodeText(const FieldSpec &spec, std::string_view text, bool checkText, FieldValue &out) {
    if (checkText) {
        if (!isValidUtf8(text)) return problem("encoding", "not valid UTF-8");
        if (hasControlByte(text)) return problem("control_character", "holds a control character");
    }
    out.text.assign(text.data(), text.size());
    if (spec.upper)
        for (char &c : out.text) c = upper(c);
    if (!spec.codes.empty()) {
        const std::string *canonical = lookup(spec.codes, out.text);
        if (canonical == nullptr) return problem("code", "the code is not in the configured code table");
        out.text = *canonical;
    }
    out.type = FieldValue::Type::String;
    return {};
}

FieldProblem decodeDate(const FieldSpec &spec, std::string_view text, FieldValue &out) {
    // Mainframe files write "no date" as zeros.
    if (std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; })) return {};
    auto time = spec.format->read(text);
    if (!time)
        return problem("date", "does not match format " + spec.format->text() + " or is not a real date and time");
    out.text.clear();
    if (!spec.dateTime) {
        appendIsoDate(out.text, *time);
    } else {
        if (spec.type == FieldType::Date) {
            time->hour = spec.timeOfDay.hour;
            time->minute = spec.timeOfDay.minute;
            time->second = spec.timeOfDay.second;
        }
        appendIsoDateTime(out.text, *time, spec.utcOffset);
    }
    out.type = FieldValue::Type::String;
    return {};
}

}  // namespace

std::string_view trimmedField(const FieldSpec &spec, std::string_view raw) noexcept {
    if (spec.type != FieldType::Text) return trimSpaces(raw);
    switch (spec.trim) {
        case Trim::Both: return trimSpaces(raw);
        case Trim::Left:
            while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
            return raw;
        case Trim::Right:
            while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
            return raw;
        case Trim::None: return raw;
    }
    return raw;
}

bool isValidUtf8(std::string_view text) noexcept {
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t extra = 0;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) low = 0xA0;   // overlong
            if (c == 0xED) high = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) low = 0x90;   // overlong
            if (c == 0xF4) high = 0x8F;  // past U+10FFFF
        } else {
            return false;
        }
        if (static_cast<std::size_t>(end - p) <= extra) return false;
        if (p[1] < low || p[1] > high) return false;
        for (std::size_t i = 2; i <= extra; ++i)
            if ((p[i] & 0xC0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

FieldProblem decodeField(const FieldSpec &spec, std::string_view raw, bool checkText, FieldValue &out) {
    out.clear();
    const std::string_view text = trimmedField(spec, raw);
    if (trimSpaces(text).empty()) return {};
    switch (spec.type) {
        case FieldType::Text: return decodeText(spec, text, checkText, out);
        case FieldType::Integer:
        case FieldType::Decimal: {
            const auto units = readNumber(text, spec.number);
            if (!units) return problem(spec.type == FieldType::Integer ? "integer" : "amount", numberRule(spec));
            appendDecimal(out.text, *units, spec.number.decimals);
            out.type = spec.type == FieldType::Integer ? FieldValue::Type::Number : FieldValue::Type::String;
            return {};
        }
        case FieldType::Date:
        case FieldType::DateTime: return decodeDate(spec, text, out);
        case FieldType::Boolean:
            if (equalsIgnoringCase(text, spec.trueCode)) {
                out.text = "true";
            } else if (equalsIgnoringCase(text, spec.falseCode)) {
                out.text = "false";
            } else {
                return problem("boolean", "neither " + spec.trueCode + " nor " + spec.falseCode);
            }
            out.type = FieldValue::Type::Boolean;
            return {};
        case FieldType::Phone:
            if (!nanpDigits(text, out.text)) return problem("phone", "not a 10-digit North American phone number");
            out.text.insert(0, "+1");
            out.type = FieldValue::Type::String;
            return {};
    }
    return {};
}

bool placeAligned(const FieldSpec &spec, std::string_view body, char *dest) noexcept {
    const std::size_t length = spec.length;
    if (body.size() > length) return false;
    const std::size_t fill = length - body.size();
    if (spec.align == Align::Left) {
        std::memcpy(dest, body.data(), body.size());
        std::memset(dest + body.size(), spec.pad, fill);
        return true;
    }
    // "-00012345": zeros go between a leading sign and the digits, or the number would change.
    const bool signFirst = spec.pad == '0' && !body.empty() && (body.front() == '-' || body.front() == '+') &&
                           spec.number.sign == Sign::Leading;
    if (signFirst) {
        dest[0] = body.front();
        std::memset(dest + 1, '0', fill);
        std::memcpy(dest + 1 + fill, body.data() + 1, body.size() - 1);
        return true;
    }
    std::memset(dest, spec.pad, fill);
    std::memcpy(dest + fill, body.data(), body.size());
    return true;
}

FieldProblem encodeField(const FieldSpec &spec, const FieldValue &value, char *dest, std::string &scratch) {
    const bool isString = value.type == FieldValue::Type::String;
    switch (spec.type) {
        case FieldType::Text: {
            if (value.type == FieldValue::Type::Boolean) return problem("type", "a yes/no value in a text field");
            std::string_view text = value.text;
            if (hasControlByte(text)) return problem("control_character", "holds a control character or line break");
            if (!spec.reverseCodes.empty()) {
                const std::string *code = lookup(spec.reverseCodes, text);
                if (code == nullptr) return problem("code", "the value has no code in the configured code table");
                text = *code;
            }
            if (text.size() > spec.length) {
                if (!spec.truncate) return problem("too_long", sizes(text.size(), spec.length));
                std::size_t cut = spec.length;
                // Never split a UTF-8 character: back up to the start of the one that straddles the end.
                while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
                text = text.substr(0, cut);
            }
            placeAligned(spec, text, dest);
            return {};
        }
        case FieldType::Integer:
        case FieldType::Decimal: {
            if (!isString && value.type != FieldValue::Type::Number) return problem("type", "not a number");
            std::int64_t units = 0;
            switch (parseDecimal(value.text, spec.number.decimals, units)) {
                case NumberProblem::None: break;
                case NumberProblem::Syntax: return problem("type", "not a decimal number");
                case NumberProblem::Precision:
                    return problem("precision", "has more than " + std::to_string(spec.number.decimals) +
                                                    " decimals; it would have to be rounded");
                case NumberProblem::Range: return problem("range", "has more than 18 digits");
            }
            if (!formatNumber(units, spec.number, scratch))
                return problem("sign", "negative, but the field has no sign");
            if (!placeAligned(spec, scratch, dest)) return problem("too_long", sizes(scratch.size(), spec.length));
            return {};
        }
        case FieldType::Date:
        case FieldType::DateTime: {
            if (!isString) return problem("type", "not a date");
            std::optional<CivilTime> time;
            if (spec.dateTime) {
                if (auto stamp = parseRfc3339(value.text)) {
                    time = shiftMinutes(stamp->local, spec.offsetMinutes - stamp->offsetMinutes);
                    if (!isCalendarDay(time->year, time->month, time->day)) return problem("date", "out of range");
                } else if (spec.type == FieldType::Date) {
                    time = parseIsoDate(value.text);
                }
            } else {
                time = parseIsoDate(value.text);
            }
            if (!time) return problem("date", spec.dateTime ? "not an RFC 3339 date-time" : "not an RFC 3339 date");
            if (spec.type == FieldType::DateTime && !spec.format->hasSeconds() && time->second != 0)
                return problem("precision", "has seconds, but format " + spec.format->text() + " does not");
            scratch.assign(spec.format->width(), ' ');
            spec.format->write(*time, scratch.data());
            if (!placeAligned(spec, scratch, dest)) return problem("too_long", sizes(scratch.size(), spec.length));
            return {};
        }
        case FieldType::Boolean: {
            if (value.type != FieldValue::Type::Boolean) return problem("type", "not true or false");
            const std::string &code = value.text == "true" ? spec.trueCode : spec.falseCode;
            if (!placeAligned(spec, code, dest)) return problem("too_long", sizes(code.size(), spec.length));
            return {};
        }
        case FieldType::Phone: {
            const std::string_view text = value.text;
            const bool nanp = isString && text.size() == 12 && text.starts_with("+1") &&
                              std::all_of(text.begin() + 2, text.end(), isDigit) && text[2] >= '2' && text[5] >= '2';
            if (!nanp) return problem("phone", "not a North American number (+1 and 10 digits)");
            if (!placeAligned(spec, text.substr(2), dest)) return problem("too_long", sizes(10, spec.length));
            return {};
        }
    }
    return {};
}

}  // namespace lendgate::fixedwidth
