#include "core/intake/account_tokens.h"

#include <type_traits>

namespace lendgate::intake {
namespace {

class Tokenizing {
public:
    Tokenizing(std::string_view lender, const security::AccountTokenizer &tokenizer)
        : lender_(lender), tokenizer_(tokenizer) {}

    // Works on any struct with accountNumber/accountToken (AccountRef, Loan).
    template <typename Holder>
    void apply(Holder &holder) {
        if (failed_) return;
        if (holder.accountNumber) {
            auto token = tokenizer_.token(lender_, *holder.accountNumber);
            if (!token) {
                failed_ = token.error();
                return;
            }
            holder.accountToken = std::move(token.value());
        }
        if (holder.accountToken && !found_) found_ = holder.accountToken;
    }

    template <typename Holder>
    void apply(std::optional<Holder> &holder) {
        if (holder) apply(*holder);
    }

    Result<std::optional<std::string>> result() && {
        if (failed_) return *failed_;
        return std::move(found_);
    }

private:
    std::string_view lender_;
    const security::AccountTokenizer &tokenizer_;
    std::optional<std::string> found_;
    std::optional<Error> failed_;
};

template <typename T>
concept HasAccount = requires(T t) {
    t.account;
};
template <typename T>
concept HasLoan = requires(T t) {
    t.loan;
};

}  // namespace

Result<std::optional<std::string>> tokenizeAccounts(model::Message &message, std::string_view lenderId,
                                                    const security::AccountTokenizer &tokenizer) {
    Tokenizing tokenizing(lenderId, tokenizer);
    std::visit(
        [&](auto &payload) {
            using Payload = std::decay_t<decltype(payload)>;
            if constexpr (HasLoan<Payload>) tokenizing.apply(payload.loan);
            if constexpr (HasAccount<Payload>) tokenizing.apply(payload.account);
        },
        message.payload);
    return std::move(tokenizing).result();
}

}  // namespace lendgate::intake
