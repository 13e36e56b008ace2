// One field's value, both ways: the bytes of a fixed-width column to a
// canonical value, and a canonical value to exactly `length` bytes.
//
// Both directions are strict and never throw on data. A problem comes back as
// a code and a reason that names the rule, never the value, so callers can put
// it in logs and ACKs as it is.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_FIELD_CODEC_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_FIELD_CODEC_H

#include <string>
#include <string_view>

#include "json_shape.h"
#include "layout.h"

namespace lendgate::fixedwidth {

struct FieldProblem {
    std::string_view code;  // empty: no problem
    std::string reason;

    bool ok() const noexcept { return code.empty(); }
};

/// The raw column with spaces trimmed as the field's `trim` says (numbers,
/// dates and flags are always trimmed on both sides).
std::string_view trimmedField(const FieldSpec &spec, std::string_view raw) noexcept;

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
/// code points past U+10FFFF).
bool isValidUtf8(std::string_view text) noexcept;

/// Decodes a column: blank (or an all-zero date) is Absent; otherwise the
/// canonical value, or a problem. `checkText`: the line holds bytes outside
/// printable ASCII, so text fields must be checked for UTF-8 and control bytes.
FieldProblem decodeField(const FieldSpec &spec, std::string_view raw, bool checkText, FieldValue &out);

/// Writes `value` (never Absent) into exactly spec.length bytes at `dest`,
/// aligned and padded; a value that does not fit is a problem unless the
/// field is text with `truncate`. `scratch` is reused working space.
FieldProblem encodeField(const FieldSpec &spec, const FieldValue &value, char *dest, std::string &scratch);

/// Writes `body` into `length` bytes at `dest` with the field's alignment and
/// padding (a leading sign stays in front of zero padding); false when it does not fit.
bool placeAligned(const FieldSpec &spec, std::string_view body, char *dest) noexcept;

}  // namespace lendgate::fixedwidth

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_FIELD_CODEC_H
