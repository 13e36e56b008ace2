#include "core/model/personal_fields.h"

#include <type_traits>

namespace lendgate::model {
namespace {

std::optional<std::string> *const kNoToken = nullptr;

template <typename T>
concept HasAccount = requires(T t) {
    t.account;
};
template <typename T>
concept HasLoan = requires(T t) {
    t.loan;
};
template <typename T>
concept HasParties = requires(T t) {
    t.parties;
};

// One walk serves every direction: `visit` is called with each place a
// personal field can live, its pointer and kind, a reference to it and, for
// an account number, the token that stands in for it (else null).
template <typename Visitor>
void forEachPlace(Message &message, Visitor &&visit) {
    std::visit(
        [&](auto &payload) {
            using Payload = std::decay_t<decltype(payload)>;
            if constexpr (HasLoan<Payload>) {
                visit("/payload/loan/account_number", PersonalFieldKind::AccountNumber, payload.loan.accountNumber,
                      &payload.loan.accountToken);
            }
            if constexpr (HasAccount<Payload>) {
                if constexpr (requires { payload.account.has_value(); }) {
                    if (payload.account)
                        visit("/payload/account/account_number", PersonalFieldKind::AccountNumber,
                              payload.account->accountNumber, &payload.account->accountToken);
                } else {
                    visit("/payload/account/account_number", PersonalFieldKind::AccountNumber,
                          payload.account.accountNumber, &payload.account.accountToken);
                }
            }
            if constexpr (HasParties<Payload>) {
                for (std::size_t i = 0; i < payload.parties.size(); ++i) {
                    const std::string party = "/payload/parties/" + std::to_string(i);
                    visit(party + "/ssn", PersonalFieldKind::Ssn, payload.parties[i].ssn, kNoToken);
                    visit(party + "/date_of_birth", PersonalFieldKind::DateOfBirth, payload.parties[i].dateOfBirth,
                          kNoToken);
                }
            }
        },
        message.payload);
}

}  // namespace

std::string_view toString(PersonalFieldKind kind) {
    switch (kind) {
        case PersonalFieldKind::AccountNumber: return "account_number";
        case PersonalFieldKind::Ssn: return "ssn";
        case PersonalFieldKind::DateOfBirth: return "date_of_birth";
    }
    return "unknown";
}

std::vector<PersonalField> takePersonalFields(Message &message) {
    std::vector<PersonalField> taken;
    forEachPlace(message, [&](const std::string &pointer, PersonalFieldKind kind, auto &place, auto *) {
        if (!place) return;
        if constexpr (std::is_same_v<std::decay_t<decltype(*place)>, Date>) {
            taken.push_back({kind, pointer, place->toString()});
        } else {
            taken.push_back({kind, pointer, *place});
        }
        place.reset();
    });
    return taken;
}

bool restorePersonalField(Message &message, const PersonalField &field) {
    bool restored = false;
    forEachPlace(message, [&](const std::string &pointer, PersonalFieldKind kind, auto &place, auto *token) {
        if (restored || pointer != field.pointer || kind != field.kind) return;
        if constexpr (std::is_same_v<std::decay_t<decltype(*place)>, Date>) {
            auto date = Date::parse(field.value);
            if (!date) return;
            place = *date;
        } else {
            place = field.value;
            // Canonical messages carry a number or its token, never both.
            if (token != nullptr) token->reset();
        }
        restored = true;
    });
    return restored;
}

std::vector<PersonalField> accountTokenPlaces(Message &message) {
    std::vector<PersonalField> places;
    forEachPlace(message, [&](const std::string &pointer, PersonalFieldKind, auto &, auto *token) {
        if (token != nullptr && *token) places.push_back({PersonalFieldKind::AccountNumber, pointer, **token});
    });
    return places;
}

}  // namespace lendgate::model
