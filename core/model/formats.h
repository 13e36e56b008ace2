// Field formats shared by the model's validation, plugins and policies.
//
// Each predicate matches the pattern of the same name in
// sdk/schemas/common.schema.json, so the C++ model and the published schemas
// accept exactly the same strings; the VIN check digit is the one rule here
// that a JSON Schema cannot express.
#ifndef LENDGATE_MODEL_FORMATS_H
#define LENDGATE_MODEL_FORMATS_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace lendgate::model {

/// 17 characters of 0-9 and A-Z without I, O and Q (49 CFR 565.4); upper case only.
bool isVinSyntax(std::string_view vin);
/// The check digit ('0'-'9' or 'X') that position 9 of a VIN must hold, per
/// 49 CFR 565.15; nullopt when the syntax is already wrong.
std::optional<char> vinCheckDigit(std::string_view vin);
/// Syntax and check digit.
bool isValidVin(std::string_view vin);

/// USPS codes of the 50 states, DC, the territories PR, GU, VI, AS, MP and the
/// military codes AA, AE, AP.
bool isUsStateCode(std::string_view code);

/// ZIP or ZIP+4: "85004" or "85004-1234".
bool isUsPostalCode(std::string_view code);
/// E.164: '+', a non-zero digit, then 6 to 14 digits.
bool isE164Phone(std::string_view number);
/// "123-45-6789" or nine digits.
bool isSsnSyntax(std::string_view ssn);
/// A pragmatic address check: a local part of RFC 5322 atom characters and
/// dots, '@', and a domain of at least two DNS labels.
bool isEmailAddress(std::string_view email);
/// A BCP 47 tag in the shape the gateway uses: a 2-3 letter language, then
/// subtags of 2-8 letters or digits ("en", "es-MX", "zh-Hant").
bool isLanguageTag(std::string_view tag);
/// 26 characters of Crockford base32, first character 0-7 (128 bits).
bool isUlid(std::string_view id);
/// 64 lower-case hexadecimal digits.
bool isSha256Hex(std::string_view digest);
/// An RFC 6901 JSON Pointer: empty, or '/'-prefixed tokens where '~' is only
/// followed by '0' or '1'.
bool isJsonPointer(std::string_view pointer);
/// A partner or vendor identifier: a letter or digit, then up to 63 letters,
/// digits, '_', '.' or '-'.
bool isPartnerId(std::string_view id);
/// An error or reference code token: a lower-case letter, then up to 63
/// lower-case letters, digits or '_'.
bool isCodeToken(std::string_view code);
/// A loan account number as a plugin emits it: a letter or digit, then up to
/// 33 letters, digits or '-'.
bool isAccountNumber(std::string_view number);
/// An account token as the core writes it: 1 to 128 letters, digits, '_',
/// '-', '.' or ':'.
bool isAccountToken(std::string_view token);
/// A licence plate as printed: 1 to 10 of A-Z, 0-9, space and '-'.
bool isPlate(std::string_view plate);

/// Number of Unicode code points in valid UTF-8, as JSON Schema's
/// minLength/maxLength count them.
std::size_t codePointCount(std::string_view utf8);
/// True when the text has no control characters (U+0000-U+001F, U+007F),
/// so it cannot break a log line or a fixed-width record.
bool isSingleLine(std::string_view text);
/// True when the only control characters are tab, line feed and carriage return.
bool isMultiLine(std::string_view text);

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_FORMATS_H
