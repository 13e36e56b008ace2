// Every account number in a record gets its keyed token (AccountTokenizer)
// right after the record is decoded: the token is what cases, routing and
// deliveries match on. The clear number stays in the message only until the
// field vault seals it (core/privacy/field_vault.h), before the record is
// journaled or routed, so nothing downstream holds it in the clear.
#ifndef LENDGATE_INTAKE_ACCOUNT_TOKENS_H
#define LENDGATE_INTAKE_ACCOUNT_TOKENS_H

#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/model/message.h"
#include "core/security/tokenizer.h"

namespace lendgate::intake {

/// Sets the token of every account number in `message` under `lenderId`'s
/// namespace (the number stays beside it for the vault to seal) and returns
/// the account's token (the first one found, made here or sent as a token),
/// or nullopt when the message names no account.
Result<std::optional<std::string>> tokenizeAccounts(model::Message &message, std::string_view lenderId,
                                                    const security::AccountTokenizer &tokenizer);

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_ACCOUNT_TOKENS_H
