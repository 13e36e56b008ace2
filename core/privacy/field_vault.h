// Personal fields at rest (issue 6, DOMAIN.md "the journal keeps the clear
// value only encrypted"): SSN, date of birth and full account number are
// taken out of a message before it is journaled and kept beside its body,
// each sealed on its own with AES-256-GCM under the key ring's current data
// key. The associated data binds each ciphertext to its message ID, its JSON
// Pointer and the partner whose data it is, so a value copied to another
// message, another place or another owner fails to open.
//
// Only a destination allowed to see a field gets it back, when its copy is
// rendered (C10): the lender that owns the account gets all three; servicers,
// repo firms and nonprofits get none (a servicer works from the account
// token). A message that carries only a token (a decision, an update) gets
// the lender's clear number from the newest message of its case that kept
// one, after checking the number tokenizes to the same token.
#ifndef LENDGATE_PRIVACY_FIELD_VAULT_H
#define LENDGATE_PRIVACY_FIELD_VAULT_H

#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/model/message.h"
#include "core/model/personal_fields.h"

namespace lendgate::config {
struct Partner;
}
namespace lendgate::journal {
class Journal;
}
namespace lendgate::security {
class KeyRing;
class AccountTokenizer;
}  // namespace lendgate::security

namespace lendgate::privacy {

/// Which personal fields one destination may receive.
struct Disclosure {
    bool accountNumber = false;
    bool ssn = false;
    bool dateOfBirth = false;

    bool allows(model::PersonalFieldKind kind) const;
    bool any() const { return accountNumber || ssn || dateOfBirth; }
};

/// `owner` is the partner whose data the fields are (the case's lender).
Disclosure disclosureFor(const config::Partner &partner, std::string_view owner);

/// The opened contents of a message's sealed fields.
struct OpenedFields {
    std::string owner;
    std::vector<model::PersonalField> fields;
};

class FieldVault {
public:
    /// All must outlive the vault; `journal` may be null (no case look-up:
    /// token-only messages then render with the token).
    FieldVault(const security::KeyRing &ring, const security::AccountTokenizer &tokenizer,
               journal::Journal *journal = nullptr);

    /// Takes every personal field out of `message` and returns them sealed,
    /// as the text the journal stores (empty when the message has none).
    Result<std::string> seal(model::Message &message, std::string_view messageId, std::string_view owner) const;

    /// Opens what seal() returned for `messageId`. Error codes: malformed,
    /// unknown_key (a destroyed or missing data key), decrypt_failed.
    Result<OpenedFields> open(std::string_view sealedFields, std::string_view messageId) const;

    /// Puts back into `message` (the stored copy of `messageId`, in case
    /// `caseId`) the fields `partner` may receive. Fields it may not receive
    /// stay out. Returns how many fields were put back.
    Result<int> restoreFor(const config::Partner &partner, model::Message &message, std::string_view messageId,
                           std::string_view sealedFields, std::string_view caseId) const;

private:
    const security::KeyRing &ring_;
    const security::AccountTokenizer &tokenizer_;
    journal::Journal *journal_;
};

}  // namespace lendgate::privacy

#endif  // LENDGATE_PRIVACY_FIELD_VAULT_H
