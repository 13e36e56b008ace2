// Strict JSON parsing for everything the gateway reads from outside.
//
// nlohmann/json silently keeps the last of duplicate keys and its error texts
// quote the input, which would leak personal data into logs and ACKs. This
// parser refuses duplicates, caps sizes before they cost memory, and reports
// positions and codes only. Include it from .cpp files only.
#ifndef LENDGATE_COMMON_STRICT_JSON_H
#define LENDGATE_COMMON_STRICT_JSON_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace lendgate {

struct JsonSyntaxError {
    std::uint64_t offset = 0;  ///< byte offset where the problem was seen
    std::string pointer;       ///< JSON Pointer of the offending member, when known
    std::string code;          ///< syntax, duplicate_key, too_deep, too_large, string_too_long, number_too_long
    std::string message;       ///< never contains input text
};

struct StrictJsonLimits {
    std::size_t maxBytes = 16u << 20;
    std::size_t maxDepth = 64;
    std::size_t maxStringBytes = 1u << 20;
    std::size_t maxNumberChars = 40;
};

/// Parses one JSON value, refusing duplicate keys, NaN/Infinity, invalid
/// UTF-8, trailing data and anything over the limits.
std::optional<nlohmann::json> parseStrictJson(std::string_view text, JsonSyntaxError &error,
                                              const StrictJsonLimits &limits = {});

/// Appends `token` to a JSON Pointer, escaping '~' and '/' (RFC 6901).
void appendPointerToken(std::string &pointer, std::string_view token);

}  // namespace lendgate

#endif  // LENDGATE_COMMON_STRICT_JSON_H
