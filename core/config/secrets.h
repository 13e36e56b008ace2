// Reading a secret a configuration names by reference (environment variable
// or key file). The value is returned to the caller only; it is never logged
// and never appears in an error.
#ifndef LENDGATE_CONFIG_SECRETS_H
#define LENDGATE_CONFIG_SECRETS_H

#include <string>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::config {

/// The secret's value, trailing newline removed. Error code "secret" names the
/// variable or file and the reason (unset, empty, unreadable, readable by
/// group or others).
Result<std::string> resolveSecret(const SecretRef &ref);

}  // namespace lendgate::config

#endif  // LENDGATE_CONFIG_SECRETS_H
