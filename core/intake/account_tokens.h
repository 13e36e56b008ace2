// Account numbers leave a record right after it is decoded: each clear number
// is replaced by its keyed token (AccountTokenizer), so nothing downstream
// (journal, routing, deliveries, logs) ever holds one.
#ifndef LENDGATE_INTAKE_ACCOUNT_TOKENS_H
#define LENDGATE_INTAKE_ACCOUNT_TOKENS_H

#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/model/message.h"
#include "core/security/tokenizer.h"

namespace lendgate::intake {

/// Tokenizes every account number in `message` under `lenderId`'s namespace
/// and returns the account's token (the first one found, clear or already a
/// token), or nullopt when the message names no account.
Result<std::optional<std::string>> tokenizeAccounts(model::Message &message, std::string_view lenderId,
                                                    const security::AccountTokenizer &tokenizer);

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_ACCOUNT_TOKENS_H
