// Value types shared by several message types: people, places, accounts,
// vehicles and the need vocabulary.
//
// Conventions for every model struct: a std::optional member is an optional
// field (absent on the wire when empty); a std::vector member is absent on the
// wire when empty and, when present, has at least one item; every other member
// is required. Strings hold UTF-8 exactly as received.
#ifndef LENDGATE_MODEL_COMMON_H
#define LENDGATE_MODEL_COMMON_H

#include <optional>
#include <string>
#include <vector>

#include "core/model/calendar.h"
#include "core/model/decimal.h"
#include "core/model/enum_names.h"

namespace lendgate::model {

enum class PartyRole { Borrower, CoBorrower, Cosigner, Guarantor };
LENDGATE_MODEL_ENUM_NAMES(PartyRole, {{PartyRole::Borrower, "BORROWER"},
                                      {PartyRole::CoBorrower, "CO_BORROWER"},
                                      {PartyRole::Cosigner, "COSIGNER"},
                                      {PartyRole::Guarantor, "GUARANTOR"}});

enum class PhoneType { Mobile, Home, Work, Other };
LENDGATE_MODEL_ENUM_NAMES(PhoneType, {{PhoneType::Mobile, "MOBILE"},
                                      {PhoneType::Home, "HOME"},
                                      {PhoneType::Work, "WORK"},
                                      {PhoneType::Other, "OTHER"}});

enum class AddressType { Home, Mailing, Work, Garaging, Other };
LENDGATE_MODEL_ENUM_NAMES(AddressType, {{AddressType::Home, "HOME"},
                                        {AddressType::Mailing, "MAILING"},
                                        {AddressType::Work, "WORK"},
                                        {AddressType::Garaging, "GARAGING"},
                                        {AddressType::Other, "OTHER"}});

/// One vocabulary for the needs a borrower states, the scope of a consent and
/// the need a referral serves, so a consent's scope can be matched to a need
/// by equality.
enum class NeedCode {
    FinancialInsecurity,
    TransportationInsecurity,
    VeteranStatus,
    HousingInstability,
    FoodInsecurity,
    MentalHealth,
};
LENDGATE_MODEL_ENUM_NAMES(NeedCode, {{NeedCode::FinancialInsecurity, "financial-insecurity"},
                                     {NeedCode::TransportationInsecurity, "transportation-insecurity"},
                                     {NeedCode::VeteranStatus, "veteran-status"},
                                     {NeedCode::HousingInstability, "housing-instability"},
                                     {NeedCode::FoodInsecurity, "food-insecurity"},
                                     {NeedCode::MentalHealth, "mental-health"}});

struct Name {
    std::optional<std::string> first;
    std::optional<std::string> middle;
    std::string last;
    std::optional<std::string> suffix;

    bool operator==(const Name &) const = default;
};

struct Phone {
    PhoneType type = PhoneType::Mobile;
    std::string number;  ///< E.164, e.g. "+16025550123"

    bool operator==(const Phone &) const = default;
};

/// A US postal address.
struct Address {
    AddressType type = AddressType::Home;
    std::string line1;
    std::optional<std::string> line2;
    std::string city;
    std::string state;       ///< USPS code, see isUsStateCode()
    std::string postalCode;  ///< "85004" or "85004-1234"
    std::optional<std::string> county;

    bool operator==(const Address &) const = default;
};

/// Names the loan account: exactly one of the two. Plugins emit the clear
/// account number; the core replaces it with the keyed token right after
/// decoding, before anything is journaled.
struct AccountRef {
    std::optional<std::string> accountNumber;
    std::optional<std::string> accountToken;

    bool operator==(const AccountRef &) const = default;
};

struct Collateral {
    std::string vin;  ///< check digit verified, see isValidVin()
    std::optional<int> year;
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> color;
    std::optional<std::string> plate;
    std::optional<std::string> plateState;

    bool operator==(const Collateral &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_COMMON_H
