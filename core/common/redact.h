// One place that decides what of an untrusted string may reach a log line,
// an error message or an ACK.
#ifndef LENDGATE_COMMON_REDACT_H
#define LENDGATE_COMMON_REDACT_H

#include <cstddef>
#include <string>
#include <string_view>

namespace lendgate {

/// Masks anything shaped like an SSN, an account number (a run of 6+ digits)
/// or a VIN (17 letters and digits), keeping only the last 4 characters;
/// escapes control characters and caps the length at `maxLen` bytes.
std::string redactForLog(std::string_view text, std::size_t maxLen = 200);

/// A file name as an error text, ACK/NACK or log line may show it: every run
/// of 6 or more digits, wherever it stands (`dvb12345678.csv` as well as
/// `dvb_12345678.csv`), and every SSN-shaped ddd-dd-dddd keep only their last
/// 4 digits (`dvb_****5678.csv`), since a partner may name a file after an
/// account; control characters are escaped and the length capped. One
/// helper, so every place that echoes a partner's file name masks alike.
std::string redactFileName(std::string_view name, std::size_t maxLen = 200);

/// "***-**-1234"-style mask of a sensitive value: everything but the last
/// `keep` characters becomes '*'.
std::string maskValue(std::string_view value, std::size_t keep = 4);

/// {"error":{"code":..,"message":..}} with the message redacted: the body of
/// every error answer, from the HTTP front and from intake alike. Invalid
/// UTF-8 (partner bytes) is replaced, never thrown on.
std::string errorDocument(std::string_view code, std::string_view message);

}  // namespace lendgate

#endif  // LENDGATE_COMMON_REDACT_H
