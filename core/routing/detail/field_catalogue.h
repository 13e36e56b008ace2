// Which JSON Pointers name a field of a canonical message type, and what kind
// of value sits there, read from the SDK's published schemas (sdk/schemas).
//
// A predicate on a pointer that no record can have ("/payload/colateral/vin",
// or "/collateral/vin" without "/payload") never matches, and a routing rule
// that silently never matches misroutes every message it was written for. So
// the loader checks each pointer here, and each operator against the field's
// kind ("lt" on a text field, a date operator on an amount) and, where the
// schema enumerates the values, each operand against them ("GARAGE" for an
// address type). The schemas are compiled into the library, so the check
// always follows the model this gateway was built with.
//
// Private to core/routing.
#ifndef LENDGATE_ROUTING_DETAIL_FIELD_CATALOGUE_H
#define LENDGATE_ROUTING_DETAIL_FIELD_CATALOGUE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/model/envelope.h"

namespace lendgate::routing::detail {

/// Bits of the kinds of value a field may hold.
enum FieldKind : std::uint32_t {
    kKindString = 1u << 0,
    kKindAmount = 1u << 1,    ///< a decimal string, e.g. "612.40"
    kKindDate = 1u << 2,      ///< an RFC 3339 full-date string
    kKindDateTime = 1u << 3,  ///< an RFC 3339 date-time string
    kKindInteger = 1u << 4,
    kKindNumber = 1u << 5,
    kKindBoolean = 1u << 6,
    kKindObject = 1u << 7,
    kKindArray = 1u << 8,
    kKindNull = 1u << 9,
    kKindAny = (1u << 10) - 1,
};

struct FieldInfo {
    std::uint32_t kinds = kKindAny;
    /// The only string values the field takes, when the schema enumerates them.
    std::optional<std::set<std::string>> values;
};

class FieldCatalogue {
public:
    /// Reads the schemas compiled into the library. Throws only if they are
    /// not valid JSON, which the build's own tests rule out.
    FieldCatalogue();
    ~FieldCatalogue();
    FieldCatalogue(const FieldCatalogue &) = delete;
    FieldCatalogue &operator=(const FieldCatalogue &) = delete;

    /// What the pointer (as tokens from the record's top level) names in
    /// records of `type`; nullopt when no such record can have that field.
    std::optional<FieldInfo> lookup(model::MessageType type, const std::vector<std::string> &tokens) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lendgate::routing::detail

#endif  // LENDGATE_ROUTING_DETAIL_FIELD_CATALOGUE_H
