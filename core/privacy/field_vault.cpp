#include "core/privacy/field_vault.h"

#include <nlohmann/json.hpp>

#include "core/config/gateway_config.h"
#include "core/journal/journal.h"
#include "core/model/roles.h"
#include "core/security/aead.h"
#include "core/security/encoding.h"
#include "core/security/tokenizer.h"

namespace lendgate::privacy {
namespace {

using Json = nlohmann::json;

constexpr int kDocumentVersion = 1;

Error malformed(std::string_view messageId, const std::string &why) {
    return Error{"malformed", "the sealed fields of message " + std::string(messageId) + " " + why};
}

// Unambiguous: message IDs, pointers and partner IDs never hold a NUL.
std::string associatedData(std::string_view messageId, std::string_view pointer, std::string_view owner) {
    std::string aad = "lendgate.field.v1";
    for (std::string_view part : {messageId, pointer, owner}) {
        aad += '\0';
        aad += part;
    }
    return aad;
}

std::optional<model::PersonalFieldKind> kindFromString(std::string_view text) {
    for (auto kind : {model::PersonalFieldKind::AccountNumber, model::PersonalFieldKind::Ssn,
                      model::PersonalFieldKind::DateOfBirth})
        if (model::toString(kind) == text) return kind;
    return std::nullopt;
}

}  // namespace

bool Disclosure::allows(model::PersonalFieldKind kind) const {
    switch (kind) {
        case model::PersonalFieldKind::AccountNumber: return accountNumber;
        case model::PersonalFieldKind::Ssn: return ssn;
        case model::PersonalFieldKind::DateOfBirth: return dateOfBirth;
    }
    return false;
}

Disclosure disclosureFor(const config::Partner &partner, std::string_view owner) {
    // C10: repo firms never see SSN, DOB or a full account number; nonprofits
    // see no account data; a servicer works from the token. Only the lender
    // whose borrower and account these are gets them back.
    if (partner.role != model::PartnerRole::Lender || owner.empty() || partner.id != owner) return {};
    return Disclosure{true, true, true};
}

FieldVault::FieldVault(const security::KeyRing &ring, const security::AccountTokenizer &tokenizer,
                       journal::Journal *journal)
    : ring_(ring), tokenizer_(tokenizer), journal_(journal) {}

Result<std::string> FieldVault::seal(model::Message &message, std::string_view messageId,
                                     std::string_view owner) const {
    auto fields = model::takePersonalFields(message);
    if (fields.empty()) return std::string();
    security::DataCipher cipher(ring_);
    Json sealed = Json::array();
    for (const model::PersonalField &field : fields) {
        auto ciphertext = cipher.encrypt(field.value, associatedData(messageId, field.pointer, owner));
        if (!ciphertext) return ciphertext.error();
        sealed.push_back({{"pointer", field.pointer},
                          {"field", model::toString(field.kind)},
                          {"sealed", security::toHex(ciphertext.value())}});
    }
    return Json{{"version", kDocumentVersion}, {"owner", owner}, {"fields", std::move(sealed)}}.dump();
}

Result<OpenedFields> FieldVault::open(std::string_view sealedFields, std::string_view messageId) const {
    OpenedFields out;
    if (sealedFields.empty()) return out;
    const Json document = Json::parse(sealedFields, nullptr, false);
    if (!document.is_object() || document.value("version", 0) != kDocumentVersion)
        return malformed(messageId, "are not a version 1 document");
    const auto owner = document.find("owner");
    const auto fields = document.find("fields");
    if (owner == document.end() || !owner->is_string() || fields == document.end() || !fields->is_array())
        return malformed(messageId, "lack an owner or a field list");
    out.owner = owner->get<std::string>();
    security::DataCipher cipher(ring_);
    for (const Json &entry : *fields) {
        if (!entry.is_object() || !entry.contains("pointer") || !entry["pointer"].is_string() ||
            !entry.contains("field") || !entry["field"].is_string() || !entry.contains("sealed") ||
            !entry["sealed"].is_string())
            return malformed(messageId, "hold an entry without pointer, field and sealed value");
        const auto kind = kindFromString(entry["field"].get<std::string>());
        if (!kind) return malformed(messageId, "name an unknown field kind");
        const auto pointer = entry["pointer"].get<std::string>();
        const auto bytes = security::fromHex(entry["sealed"].get<std::string>());
        if (!bytes) return malformed(messageId, "hold a sealed value that is not hex at " + pointer);
        auto clear = cipher.decrypt(*bytes, associatedData(messageId, pointer, out.owner));
        if (!clear)
            return Error{clear.error().code, "the sealed " + std::string(model::toString(*kind)) + " at " + pointer +
                                                 " of message " + std::string(messageId) +
                                                 " cannot be opened: " + clear.error().message};
        out.fields.push_back({*kind, pointer, std::move(clear.value())});
    }
    return out;
}

Result<int> FieldVault::restoreFor(const config::Partner &partner, model::Message &message, std::string_view messageId,
                                   std::string_view sealedFields, std::string_view caseId) const {
    if (partner.role != model::PartnerRole::Lender) return 0;  // nothing to open: disclosureFor() allows none
    auto opened = open(sealedFields, messageId);
    if (!opened) return opened.error();
    int restored = 0;
    const Disclosure own = disclosureFor(partner, opened.value().owner);
    for (const model::PersonalField &field : opened.value().fields)
        if (own.allows(field.kind) && model::restorePersonalField(message, field)) ++restored;

    // A message that names the account only by token (a servicer's decision,
    // a lender's own update) still reaches the lender with its number.
    auto tokenPlaces = model::accountTokenPlaces(message);
    if (tokenPlaces.empty() || caseId.empty() || journal_ == nullptr) return restored;
    auto source = journal_->newestSealedAccount(caseId);
    if (!source) return source.error();
    if (!source.value()) return restored;
    auto caseFields = open(source.value()->sealedFields, source.value()->messageId);
    if (!caseFields) return caseFields.error();
    if (!disclosureFor(partner, caseFields.value().owner).accountNumber) return restored;
    for (const model::PersonalField &place : tokenPlaces) {
        for (const model::PersonalField &known : caseFields.value().fields) {
            if (known.kind != model::PersonalFieldKind::AccountNumber) continue;
            // The token proves the number is this account's, not the case's
            // other loan or a corrected number.
            auto token = tokenizer_.token(partner.id, known.value);
            if (!token || token.value() != place.value) continue;
            if (model::restorePersonalField(message, {place.kind, place.pointer, known.value})) ++restored;
            break;
        }
    }
    return restored;
}

}  // namespace lendgate::privacy
