// The value rules the HSDS profile shares with the canonical schemas
// (sdk/schemas/common.schema.json), checked in C++ so that a value is refused
// before it is copied anywhere, and the JSON string writer both directions use.
#ifndef LENDGATE_PLUGINS_HSDS_TEXT_RULES_H
#define LENDGATE_PLUGINS_HSDS_TEXT_RULES_H

#include <cstddef>
#include <string>
#include <string_view>

namespace lendgate::hsds {

/// Unicode code points in well-formed UTF-8 (the schemas count lengths in code points).
std::size_t codePoints(std::string_view text) noexcept;

/// 1..maxPoints code points, no control characters (identifier, name_part, short_text).
bool isSingleLine(std::string_view text, std::size_t maxPoints) noexcept;

/// 1..maxPoints code points; tabs and line breaks allowed, other control characters not (long_text).
bool isMultiLine(std::string_view text, std::size_t maxPoints) noexcept;

/// RFC 3339 date-time with a mandatory offset, upper-case T and Z, up to 9
/// fraction digits, a day that exists, no leap second (common.schema.json#date_time).
bool isDateTime(std::string_view text) noexcept;

/// E.164: "+", then 7 to 15 digits, the first not 0.
bool isE164(std::string_view text) noexcept;

/// ZIP or ZIP+4.
bool isPostalCode(std::string_view text) noexcept;

/// BCP 47 language tag as the canonical schema spells it.
bool isLanguageTag(std::string_view text) noexcept;

/// Six or more digits in a row, counting through spaces and dashes: the shape
/// of an SSN, an account number or a VIN's serial, which no name or county has.
bool hasLongDigitRun(std::string_view text) noexcept;

/// Safe to name in an error message: a lower-case member name such as
/// "account_number". Anything else (it could be a value used as a key) is not echoed.
bool isPlainMemberName(std::string_view key) noexcept;

/// Appends `text` as a JSON string: quotes, backslash and control characters
/// escaped, everything else (valid UTF-8) as it is.
void appendJsonString(std::string &out, std::string_view text);

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_TEXT_RULES_H
