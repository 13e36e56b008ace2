// Descriptions of the value types in common.h, shared by every payload codec.
#ifndef LENDGATE_MODEL_DETAIL_COMMON_FIELDS_H
#define LENDGATE_MODEL_DETAIL_COMMON_FIELDS_H

#include "core/model/common.h"
#include "core/model/detail/codec.h"

namespace lendgate::model::detail {

template <class V, Of<Name> S>
void fields(V &v, S &x) {
    v("first", x.first, kNamePart);
    v("middle", x.middle, kNamePart);
    v("last", x.last, kNamePart);
    v("suffix", x.suffix, kNamePart);
}

template <class V, Of<Phone> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("number", x.number, kPhoneNumber);
}

template <class V, Of<Address> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("line1", x.line1, kShortText);
    v("line2", x.line2, kShortText);
    v("city", x.city, kShortText);
    v("state", x.state, kStateCode);
    v("postal_code", x.postalCode, kPostalCode);
    v("county", x.county, kShortText);
}

template <class V, Of<AccountRef> S>
void fields(V &v, S &x) {
    v("account_number", x.accountNumber, kAccountNumber);
    v("account_token", x.accountToken, kAccountToken);
}

/// Exactly one of account_number and account_token: the core swaps the first
/// for the second, and a record holding both would keep the clear number.
void requireOneAccountId(ObjectReader &reader);

inline void crossCheck(ObjectReader &reader, const AccountRef &) {
    requireOneAccountId(reader);
}

template <class V, Of<Collateral> S>
void fields(V &v, S &x) {
    v("vin", x.vin, kVin);
    v("year", x.year, IntRange{1900, 2100});
    v("make", x.make, kNamePart);
    v("model", x.model, kNamePart);
    v("color", x.color, kNamePart);
    v("plate", x.plate, kPlate);
    v("plate_state", x.plateState, kStateCode);
}

inline constexpr List kPhones{10};
inline constexpr List kAddresses{10};
inline constexpr List kNeeds{6, false, true};

}  // namespace lendgate::model::detail

#endif  // LENDGATE_MODEL_DETAIL_COMMON_FIELDS_H
