// The fields that identify a person outright: SSN, date of birth and full
// account number (DOMAIN.md). The journal keeps them only sealed
// (core/privacy/field_vault.h), so they are taken out of a message before it
// is journaled and put back, for a destination allowed to see them, just
// before it is rendered. Each field is named by its JSON Pointer in the
// canonical message, which also binds its ciphertext to its place.
#ifndef LENDGATE_MODEL_PERSONAL_FIELDS_H
#define LENDGATE_MODEL_PERSONAL_FIELDS_H

#include <string>
#include <string_view>
#include <vector>

#include "core/model/message.h"

namespace lendgate::model {

enum class PersonalFieldKind { AccountNumber, Ssn, DateOfBirth };

/// "account_number", "ssn", "date_of_birth": the field's wire name.
std::string_view toString(PersonalFieldKind kind);

struct PersonalField {
    PersonalFieldKind kind = PersonalFieldKind::Ssn;
    std::string pointer;  ///< e.g. "/payload/parties/0/ssn"
    std::string value;    ///< the clear value as it is written in canonical JSON
};

/// Removes every personal field from `message` and returns them, in
/// document order. A message without any returns an empty list.
std::vector<PersonalField> takePersonalFields(Message &message);

/// Puts `field` back where takePersonalFields() found it; an account number
/// replaces the token beside it. False when the message has no such place
/// (the pointer names another message's shape) or the value does not parse
/// (a date of birth that is not a date).
bool restorePersonalField(Message &message, const PersonalField &field);

/// Where the message carries an account token instead of a number: each
/// place's account_number pointer, with the token as `value`.
std::vector<PersonalField> accountTokenPlaces(Message &message);

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_PERSONAL_FIELDS_H
