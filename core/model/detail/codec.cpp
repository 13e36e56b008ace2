#include "core/model/detail/codec.h"

#include <algorithm>
#include <limits>

#include "core/common/strict_json.h"
#include "core/model/detail/common_fields.h"
#include "core/model/formats.h"
#include "core/model/message.h"

namespace lendgate::model::detail {
namespace {

std::optional<Violation> unless(bool ok, std::string_view code, std::string_view text) {
    if (ok) return std::nullopt;
    return Violation{code, text};
}

// The JSON type a value has, for messages that say what was found instead
// of what is expected: naming the type is safe, quoting the value is not.
std::string_view typeName(const Json &value) {
    switch (value.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::object: return "an object";
        case Json::value_t::array: return "an array";
        case Json::value_t::string: return "a string";
        case Json::value_t::boolean: return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float: return "a number";
        default: return "another type";
    }
}

void failType(const Location &at, std::string_view expected, const Json &value) {
    at.fail("type", "must be " + std::string(expected) + ", not " + std::string(typeName(value)));
}

}  // namespace

void ErrorSink::add(std::string pointer, std::string_view code, std::string message) {
    if (errors_.size() + 1 < kMaxFieldErrors) {
        errors_.push_back(FieldError{std::move(pointer), std::string(code), std::move(message)});
    } else if (errors_.size() + 1 == kMaxFieldErrors) {
        errors_.push_back(FieldError{"", "too_many_errors",
                                     "the record has more errors than are listed; only the first ones are reported"});
    }
}

bool ErrorSink::anyAtOrBelow(std::string_view pointer) const {
    return std::any_of(errors_.begin(), errors_.end(), [pointer](const FieldError &error) {
        const std::string_view other = error.pointer;
        return other.starts_with(pointer) && (other.size() == pointer.size() || other[pointer.size()] == '/');
    });
}

void Location::fail(std::string_view code, std::string_view text) const {
    std::string message(field);
    message += ' ';
    message += text;
    sink.add(pointer, code, std::move(message));
}

ObjectReader::ObjectReader(ErrorSink &sink, const Json &object, std::string pointer)
    : sink_(sink), object_(object), pointer_(std::move(pointer)) {}

const Json *ObjectReader::take(std::string_view key) {
    known_.push_back(key);
    const auto found = object_.find(key);
    return found == object_.end() ? nullptr : &*found;
}

bool ObjectReader::has(std::string_view key) const {
    return object_.contains(key);
}

bool ObjectReader::isValid(std::string_view key) const {
    return has(key) && !sink_.anyAtOrBelow(at(key).pointer);
}

Location ObjectReader::at(std::string_view key) const {
    std::string pointer = pointer_;
    appendPointerToken(pointer, key);
    return Location{sink_, std::move(pointer), key};
}

void ObjectReader::rejectUnknownFields() const {
    for (const auto &[key, value] : object_.items()) {
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
        std::string pointer = pointer_;
        appendPointerToken(pointer, key);
        // The member name stays out of the message: it is in the pointer, and
        // a sender who put data into a name must not see it echoed twice.
        sink_.add(std::move(pointer), "unknown_field", "this field is not part of the canonical message");
    }
}

// ---- Text rules: each mirrors the pattern of the same name in common.schema.json.

std::optional<Violation> vinRule(std::string_view text) {
    if (!isVinSyntax(text)) return Violation{"format", "must be 17 digits and capital letters other than I, O and Q"};
    return unless(isValidVin(text), "vin_check_digit", "does not match its check digit (position 9, 49 CFR 565)");
}
std::optional<Violation> stateCodeRule(std::string_view text) {
    return unless(isUsStateCode(text), "state_code",
                  "must be the USPS code of a US state, DC, a territory or a military post (AA, AE, AP)");
}
std::optional<Violation> postalCodeRule(std::string_view text) {
    return unless(isUsPostalCode(text), "format", "must be a ZIP code of 5 digits or ZIP+4 (5 digits, '-', 4 digits)");
}
std::optional<Violation> phoneRule(std::string_view text) {
    return unless(isE164Phone(text), "format", "must be an E.164 number: '+', country code and number, digits only");
}
std::optional<Violation> ssnRule(std::string_view text) {
    return unless(isSsnSyntax(text), "format", "must be 9 digits, optionally grouped 3-2-4 with hyphens");
}
std::optional<Violation> emailRule(std::string_view text) {
    return unless(isEmailAddress(text), "format", "must be an e-mail address with a domain of at least two labels");
}
std::optional<Violation> languageRule(std::string_view text) {
    return unless(isLanguageTag(text), "format", "must be a BCP 47 language tag such as en or es-MX");
}
std::optional<Violation> ulidRule(std::string_view text) {
    return unless(isUlid(text), "format", "must be a ULID: 26 characters of Crockford base32");
}
std::optional<Violation> sha256Rule(std::string_view text) {
    return unless(isSha256Hex(text), "format", "must be a SHA-256 digest as 64 lower-case hexadecimal digits");
}
std::optional<Violation> jsonPointerRule(std::string_view text) {
    if (codePointCount(text) > 512) return Violation{"too_long", "must be at most 512 characters"};
    return unless(isJsonPointer(text), "format", "must be a JSON Pointer (RFC 6901)");
}
std::optional<Violation> partnerIdRule(std::string_view text) {
    return unless(isPartnerId(text), "format", "must be a partner id: up to 64 letters, digits, '_', '.' or '-'");
}
std::optional<Violation> codeTokenRule(std::string_view text) {
    return unless(isCodeToken(text), "format", "must be a code: up to 64 lower-case letters, digits or '_'");
}
std::optional<Violation> plateRule(std::string_view text) {
    return unless(isPlate(text), "format", "must be 1 to 10 capital letters, digits, spaces or '-'");
}
std::optional<Violation> accountNumberRule(std::string_view text) {
    return unless(isAccountNumber(text), "format", "must be up to 34 letters, digits or '-'");
}
std::optional<Violation> accountTokenRule(std::string_view text) {
    return unless(isAccountToken(text), "format", "must be up to 128 letters, digits, '_', '-', '.' or ':'");
}
std::optional<Violation> schemaVersionRule(std::string_view text) {
    return unless(text == model::kSchemaVersion, "enum", "must be \"1.0\"");
}

// ---- Values

bool decode(const Location &at, const Json &value, std::string &out, const Text &rule) {
    if (!value.is_string()) {
        failType(at, "a string", value);
        return false;
    }
    const auto &text = value.get_ref<const std::string &>();
    if (rule.rule != nullptr) {
        if (const std::optional<Violation> violation = rule.rule(text)) {
            at.fail(violation->code, violation->text);
            return false;
        }
    } else if (text.empty()) {
        at.fail("too_short", "must not be empty");
        return false;
    } else if (codePointCount(text) > rule.maxChars) {
        at.fail("too_long", "must be at most " + std::to_string(rule.maxChars) + " characters");
        return false;
    } else if (rule.multiline ? !isMultiLine(text) : !isSingleLine(text)) {
        at.fail("format", rule.multiline ? "must not contain control characters other than tab and line breaks"
                                         : "must be a single line without control characters");
        return false;
    }
    out = text;
    return true;
}

bool decode(const Location &at, const Json &value, Decimal &out, const Amount &rule) {
    if (value.is_number()) {
        // The common mistake gets its own words: a JSON number would have lost digits already.
        at.fail("type", "must be a decimal string such as \"1250.10\"; JSON numbers cannot carry money exactly");
        return false;
    }
    if (!value.is_string()) {
        failType(at, "a decimal string", value);
        return false;
    }
    const std::optional<Decimal> parsed = Decimal::parse(value.get_ref<const std::string &>());
    if (!parsed) {
        at.fail("format", "must be a decimal with up to 15 digits before the point and up to 4 after it");
        return false;
    }
    // "-0.00" is refused too: the schema's pattern for these amounts has no sign at all.
    if (rule.nonNegative && value.get_ref<const std::string &>().front() == '-') {
        at.fail("range", "must not be negative");
        return false;
    }
    out = *parsed;
    return true;
}

bool decode(const Location &at, const Json &value, std::int64_t &out, const IntRange &range) {
    if (!value.is_number_integer()) {
        failType(at, "an integer", value);
        return false;
    }
    const bool tooLarge =
        value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const std::int64_t number = tooLarge ? std::numeric_limits<std::int64_t>::max() : value.get<std::int64_t>();
    if (tooLarge || number < range.min || number > range.max) {
        at.fail("range", "must be between " + std::to_string(range.min) + " and " + std::to_string(range.max));
        return false;
    }
    out = number;
    return true;
}

bool decode(const Location &at, const Json &value, int &out, const IntRange &range) {
    std::int64_t number = 0;
    if (!decode(at, value, number, range)) return false;
    out = static_cast<int>(number);
    return true;
}

bool decode(const Location &at, const Json &value, int &out, const IntChoice &choice) {
    if (!value.is_number_integer()) {
        failType(at, "an integer", value);
        return false;
    }
    const bool representable =
        !value.is_number_unsigned() ||
        value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<int>::max());
    const std::int64_t number = representable ? value.get<std::int64_t>() : 0;
    if (!representable || std::find(choice.allowed.begin(), choice.allowed.end(), number) == choice.allowed.end()) {
        at.fail("enum", "must be one of: " + std::string(choice.listed));
        return false;
    }
    out = static_cast<int>(number);
    return true;
}

bool decode(const Location &at, const Json &value, bool &out) {
    if (!value.is_boolean()) {
        failType(at, "true or false", value);
        return false;
    }
    out = value.get<bool>();
    return true;
}

bool decode(const Location &at, const Json &value, Date &out) {
    if (!value.is_string()) {
        failType(at, "a date string", value);
        return false;
    }
    const std::optional<Date> parsed = Date::parse(value.get_ref<const std::string &>());
    if (!parsed) {
        at.fail("format", "must be a calendar date that exists, written YYYY-MM-DD");
        return false;
    }
    out = *parsed;
    return true;
}

bool decode(const Location &at, const Json &value, Timestamp &out) {
    if (!value.is_string()) {
        failType(at, "a date-time string", value);
        return false;
    }
    std::optional<Timestamp> parsed = Timestamp::parse(value.get_ref<const std::string &>());
    if (!parsed) {
        at.fail("format",
                "must be an RFC 3339 date-time with an offset, written YYYY-MM-DDThh:mm:ss[.fraction] "
                "followed by Z or +hh:mm/-hh:mm");
        return false;
    }
    out = std::move(*parsed);
    return true;
}

bool decodeEnum(const Location &at, const Json &value, std::string_view &name, std::string_view allowed) {
    if (!value.is_string()) {
        at.fail("type", "must be a string, one of: " + std::string(allowed));
        return false;
    }
    name = value.get_ref<const std::string &>();
    return true;
}

void checkListShape(const Location &at, const Json &value, const List &rule, bool &usable) {
    usable = false;
    if (!value.is_array()) {
        failType(at, "an array", value);
    } else if (value.empty()) {
        at.fail("too_few_items", "must have at least one item when present");
    } else if (value.size() > rule.maxItems) {
        at.fail("too_many_items", "must have at most " + std::to_string(rule.maxItems) + " items");
    } else {
        usable = true;
    }
}

void checkListUnique(const Location &at, const Json &value) {
    for (std::size_t i = 1; i < value.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (value[i] != value[j]) continue;
            Location itemAt{at.sink, at.pointer + '/' + std::to_string(i), at.field};
            itemAt.fail("duplicate_item", "must not list the same item twice");
            break;
        }
    }
}

void requireWhen(ObjectReader &reader, bool condition, std::string_view key, std::string_view because) {
    if (condition && !reader.has(key)) reader.fail(key, "required", "is required when " + std::string(because));
}

void requireOneAccountId(ObjectReader &reader) {
    const bool hasNumber = reader.has("account_number");
    const bool hasToken = reader.has("account_token");
    if (!hasNumber && !hasToken) {
        reader.fail("account_number", "required", "or account_token is required");
    } else if (hasNumber && hasToken) {
        reader.fail("account_token", "conflict", "must not be sent together with account_number");
    }
}

}  // namespace lendgate::model::detail
