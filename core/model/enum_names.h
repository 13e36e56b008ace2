// Wire names of the model's enumerations.
//
// Each enum declares its names once, next to its declaration, as pairs of
// (enumerator, wire name). Pairs rather than an array indexed by the
// enumerator's value, so reordering one list can never silently relabel a
// value. The JSON codec, the schemas' enums and the tests all go through here.
#ifndef LENDGATE_MODEL_ENUM_NAMES_H
#define LENDGATE_MODEL_ENUM_NAMES_H

#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace lendgate::model {

/// Specialised for each enum with `static constexpr std::pair<E, std::string_view> names[]`.
template <class E>
struct EnumNames;

template <class E>
concept NamedEnum = std::is_enum_v<E> && requires {
    EnumNames<E>::names;
};

/// The wire name of a value ("AUTO_RIC" for Product::AutoRic).
template <NamedEnum E>
constexpr std::string_view toString(E value) noexcept {
    for (const auto &[enumerator, name] : EnumNames<E>::names) {
        if (enumerator == value) return name;
    }
    return {};
}

/// The value with that exact wire name (case-sensitive), if any.
template <NamedEnum E>
constexpr std::optional<E> enumFromString(std::string_view name) noexcept {
    for (const auto &[enumerator, wireName] : EnumNames<E>::names) {
        if (wireName == name) return enumerator;
    }
    return std::nullopt;
}

}  // namespace lendgate::model

/// Declares the wire names of `Enum` (a type in lendgate::model); the pairs
/// follow as a braced list, e.g.
///   LENDGATE_MODEL_ENUM_NAMES(PhoneType, {{PhoneType::Mobile, "MOBILE"}, {PhoneType::Home, "HOME"}});
#define LENDGATE_MODEL_ENUM_NAMES(Enum, ...)                                      \
    template <>                                                                   \
    struct EnumNames<Enum> {                                                      \
        static constexpr std::pair<Enum, std::string_view> names[] = __VA_ARGS__; \
    }

#endif  // LENDGATE_MODEL_ENUM_NAMES_H
