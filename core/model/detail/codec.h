// The JSON codec behind message.h, private to core/model.
//
// Each model struct is described once, by a `fields(visitor, object)` function
// that lists its members in wire order with their wire names and rules. The
// same description drives both directions: FieldReader parses and validates,
// FieldWriter writes canonical text. So the writer's field order, the reader's
// names and the rules cannot drift apart. Cross-field rules (dates in order,
// requirements that depend on an event) live in `crossCheck(reader, object)`
// overloads beside the descriptions.
//
// A description is written once for both directions:
//   template <class V, Of<Phone> S> void fields(V &v, S &x) { v("type", x.type); v("number", x.number, kPhone); }
// A std::optional member is an optional field, a std::vector member a list
// (absent when empty), anything else a required field.
#ifndef LENDGATE_MODEL_DETAIL_CODEC_H
#define LENDGATE_MODEL_DETAIL_CODEC_H

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/calendar.h"
#include "core/model/decimal.h"
#include "core/model/detail/json_writer.h"
#include "core/model/enum_names.h"
#include "core/model/envelope.h"

namespace lendgate::model::detail {

using Json = nlohmann::json;

/// Collects a record's errors up to kMaxFieldErrors (the last slot being a
/// "too_many_errors" marker), so a badly broken record cannot flood an ACK.
class ErrorSink {
public:
    void add(std::string pointer, std::string_view code, std::string message);
    bool empty() const noexcept { return errors_.empty(); }
    /// Whether an error was recorded at `pointer` or anywhere below it.
    bool anyAtOrBelow(std::string_view pointer) const;
    std::vector<FieldError> take() { return std::move(errors_); }

private:
    std::vector<FieldError> errors_;
};

/// A value's place: its JSON Pointer and the member name that messages cite.
struct Location {
    ErrorSink &sink;
    std::string pointer;
    std::string_view field;

    /// Records an error whose message is the field name followed by `text`;
    /// callers never put a value into `text`.
    void fail(std::string_view code, std::string_view text) const;
};

/// Reads the members of one JSON object and remembers which names the model
/// knows, so that whatever is left over can be refused as unknown.
class ObjectReader {
public:
    ObjectReader(ErrorSink &sink, const Json &object, std::string pointer);

    /// The member's value, or nullptr when absent.
    const Json *take(std::string_view key);
    bool has(std::string_view key) const;
    /// Present and free of errors: safe to use in a cross-field rule.
    bool isValid(std::string_view key) const;
    Location at(std::string_view key) const;
    void fail(std::string_view key, std::string_view code, std::string_view text) const { at(key).fail(code, text); }
    void rejectUnknownFields() const;
    ErrorSink &sink() const noexcept { return sink_; }
    const std::string &pointer() const noexcept { return pointer_; }

private:
    ErrorSink &sink_;
    const Json &object_;
    std::string pointer_;
    std::vector<std::string_view> known_;
};

// ---- Rules for a field, passed after the member in a description ----------

/// A rule broken by a string: the error code and the message's tail.
struct Violation {
    std::string_view code;
    std::string_view text;
};
using TextRule = std::optional<Violation> (*)(std::string_view);

/// A string. With a rule, the rule alone decides (it implies the length);
/// without, the text must be 1..maxChars code points with no control
/// characters (tab, CR and LF allowed when multiline).
struct Text {
    std::size_t maxChars = 0;
    bool multiline = false;
    TextRule rule = nullptr;
};

struct Amount {
    bool nonNegative = false;
};

struct IntRange {
    std::int64_t min = 0;
    std::int64_t max = 0;
};

struct IntChoice {
    std::span<const std::int64_t> allowed;
    std::string_view listed;  ///< the allowed values as a message shows them
};

/// A list; always at least one item when present.
struct List {
    std::size_t maxItems = 0;
    bool required = false;
    bool unique = false;
};

std::optional<Violation> vinRule(std::string_view);
std::optional<Violation> stateCodeRule(std::string_view);
std::optional<Violation> postalCodeRule(std::string_view);
std::optional<Violation> phoneRule(std::string_view);
std::optional<Violation> ssnRule(std::string_view);
std::optional<Violation> emailRule(std::string_view);
std::optional<Violation> languageRule(std::string_view);
std::optional<Violation> ulidRule(std::string_view);
std::optional<Violation> sha256Rule(std::string_view);
std::optional<Violation> jsonPointerRule(std::string_view);
std::optional<Violation> partnerIdRule(std::string_view);
std::optional<Violation> codeTokenRule(std::string_view);
std::optional<Violation> plateRule(std::string_view);
std::optional<Violation> accountNumberRule(std::string_view);
std::optional<Violation> accountTokenRule(std::string_view);
std::optional<Violation> schemaVersionRule(std::string_view);

// The string kinds of sdk/schemas/common.schema.json, by the same names.
inline constexpr Text kIdentifier{64};
inline constexpr Text kNamePart{100};
inline constexpr Text kShortText{200};
inline constexpr Text kLongText{2000, true};
inline constexpr Text kNarrative{8000, true};
inline constexpr Text kIdempotencyKey{200};
inline constexpr Text kFileReference{255};
inline constexpr Text kVin{0, false, &vinRule};
inline constexpr Text kStateCode{0, false, &stateCodeRule};
inline constexpr Text kPostalCode{0, false, &postalCodeRule};
inline constexpr Text kPhoneNumber{0, false, &phoneRule};
inline constexpr Text kSsn{0, false, &ssnRule};
inline constexpr Text kEmail{0, false, &emailRule};
inline constexpr Text kLanguage{0, false, &languageRule};
inline constexpr Text kUlid{0, false, &ulidRule};
inline constexpr Text kSha256{0, false, &sha256Rule};
inline constexpr Text kJsonPointer{0, false, &jsonPointerRule};
inline constexpr Text kPartnerId{0, false, &partnerIdRule};
inline constexpr Text kCodeToken{0, false, &codeTokenRule};
inline constexpr Text kPlate{0, false, &plateRule};
inline constexpr Text kAccountNumber{0, false, &accountNumberRule};
inline constexpr Text kAccountToken{0, false, &accountTokenRule};
inline constexpr Text kSchemaVersionText{0, false, &schemaVersionRule};

inline constexpr Amount kAnyAmount{false};
inline constexpr Amount kNonNegativeAmount{true};

// ---- Decoding one value -----------------------------------------------------
// Each returns false when the value could not be taken (the error is
// recorded); the caller then leaves an optional member empty.

bool decode(const Location &at, const Json &value, std::string &out, const Text &rule);
bool decode(const Location &at, const Json &value, Decimal &out, const Amount &rule);
bool decode(const Location &at, const Json &value, std::int64_t &out, const IntRange &range);
bool decode(const Location &at, const Json &value, int &out, const IntRange &range);
bool decode(const Location &at, const Json &value, int &out, const IntChoice &choice);
bool decode(const Location &at, const Json &value, bool &out);
bool decode(const Location &at, const Json &value, Date &out);
bool decode(const Location &at, const Json &value, Timestamp &out);
bool decodeEnum(const Location &at, const Json &value, std::string_view &name, std::string_view allowed);

template <NamedEnum E>
bool decode(const Location &at, const Json &value, E &out) {
    // The allowed names are listed in the message: they are the schema's, not the sender's data.
    static const std::string allowed = [] {
        std::string list;
        for (const auto &entry : EnumNames<E>::names) list += (list.empty() ? "" : ", ") + std::string(entry.second);
        return list;
    }();
    std::string_view name;
    if (!decodeEnum(at, value, name, allowed)) return false;
    if (const std::optional<E> parsed = enumFromString<E>(name)) {
        out = *parsed;
        return true;
    }
    at.fail("enum", "must be one of: " + allowed);
    return false;
}

template <class T>
void readObject(ObjectReader &reader, T &out);

/// A nested object: true when it is an object, even if some members are
/// wrong (those errors are recorded).
template <class T>
requires std::is_class_v<T>
bool decode(const Location &at, const Json &value, T &out) {
    if (!value.is_object()) {
        at.fail("type", "must be an object");
        return false;
    }
    ObjectReader reader(at.sink, value, at.pointer);
    readObject(reader, out);
    return true;
}

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
inline constexpr bool kIsVector = false;
template <class T>
inline constexpr bool kIsVector<std::vector<T>> = true;

void checkListShape(const Location &at, const Json &value, const List &rule, bool &usable);
void checkListUnique(const Location &at, const Json &value);

template <class T>
void readList(ObjectReader &reader, std::string_view key, const Json *value, std::vector<T> &out, const List &rule) {
    out.clear();
    if (value == nullptr) {
        if (rule.required) reader.fail(key, "required", "is required");
        return;
    }
    const Location at = reader.at(key);
    bool usable = false;
    checkListShape(at, *value, rule, usable);
    if (!usable) return;
    out.reserve(value->size());
    for (std::size_t i = 0; i < value->size(); ++i) {
        Location itemAt{at.sink, at.pointer + '/' + std::to_string(i), at.field};
        T item{};
        if (decode(itemAt, (*value)[i], item)) out.push_back(std::move(item));
    }
    if (rule.unique) checkListUnique(at, *value);
}

/// The visitor that parses: reads each described member from the object.
struct FieldReader {
    ObjectReader &reader;

    template <class T, class... Rule>
    void operator()(std::string_view key, T &member, const Rule &...rule) {
        const Json *value = reader.take(key);
        if constexpr (kIsOptional<T>) {
            member.reset();
            if (value == nullptr) return;
            typename T::value_type decoded{};
            if (decode(reader.at(key), *value, decoded, rule...)) member = std::move(decoded);
        } else if constexpr (kIsVector<T>) {
            readList(reader, key, value, member, rule...);
        } else if (value == nullptr) {
            reader.fail(key, "required", "is required");
        } else {
            decode(reader.at(key), *value, member, rule...);
        }
    }
};

/// Reads a described struct from an object reader: members, cross-field
/// rules, then unknown members.
template <class T>
void readObject(ObjectReader &reader, T &out) {
    FieldReader visitor{reader};
    fields(visitor, out);
    if constexpr (requires { crossCheck(reader, std::as_const(out)); }) crossCheck(reader, std::as_const(out));
    reader.rejectUnknownFields();
}

// ---- Encoding -----------------------------------------------------------------

inline void encode(JsonWriter &writer, const std::string &value) {
    writer.string(value);
}
inline void encode(JsonWriter &writer, const Decimal &value) {
    writer.string(value.toString());
}
inline void encode(JsonWriter &writer, std::int64_t value) {
    writer.integer(value);
}
inline void encode(JsonWriter &writer, int value) {
    writer.integer(value);
}
inline void encode(JsonWriter &writer, bool value) {
    writer.boolean(value);
}
inline void encode(JsonWriter &writer, const Date &value) {
    writer.string(value.toString());
}
inline void encode(JsonWriter &writer, const Timestamp &value) {
    writer.string(value.toString());
}

template <NamedEnum E>
void encode(JsonWriter &writer, E value) {
    writer.string(toString(value));
}

template <class T>
requires std::is_class_v<T>
void encode(JsonWriter &writer, const T &value);

/// The visitor that writes: present members, in description order.
struct FieldWriter {
    JsonWriter &writer;

    template <class T, class... Rule>
    void operator()(std::string_view key, const T &member, const Rule &...) {
        if constexpr (kIsOptional<T>) {
            if (!member) return;
            writer.key(key);
            encode(writer, *member);
        } else if constexpr (kIsVector<T>) {
            if (member.empty()) return;
            writer.key(key);
            writer.beginArray();
            for (const auto &item : member) encode(writer, item);
            writer.endArray();
        } else {
            writer.key(key);
            encode(writer, member);
        }
    }
};

template <class T>
requires std::is_class_v<T>
void encode(JsonWriter &writer, const T &value) {
    writer.beginObject();
    FieldWriter visitor{writer};
    fields(visitor, value);
    writer.endObject();
}

/// Constrains a description to one struct, const (writing) or not (reading).
template <class S, class T>
concept Of = std::same_as<std::remove_const_t<S>, T>;

// ---- Cross-field rule helpers ---------------------------------------------------

/// `key` is required when `condition` holds; `because` completes "is required when ...".
void requireWhen(ObjectReader &reader, bool condition, std::string_view key, std::string_view because);

/// Records date_order at `laterKey` when both fields are valid and the later
/// one is before the earlier one.
template <class T>
void requireNotBefore(ObjectReader &reader, std::string_view earlierKey, const std::optional<T> &earlier,
                      std::string_view laterKey, const std::optional<T> &later) {
    if (!earlier || !later || !reader.isValid(earlierKey) || !reader.isValid(laterKey)) return;
    if (*later < *earlier) reader.fail(laterKey, "date_order", "must not be before " + std::string(earlierKey));
}

template <class T>
void requireNotBefore(ObjectReader &reader, std::string_view earlierKey, const T &earlier, std::string_view laterKey,
                      const std::optional<T> &later) {
    requireNotBefore(reader, earlierKey, std::optional<T>(earlier), laterKey, later);
}

}  // namespace lendgate::model::detail

#endif  // LENDGATE_MODEL_DETAIL_CODEC_H
