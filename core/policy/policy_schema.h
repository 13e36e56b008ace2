// Private to core/policy: the compiled-in schema of config/policies.json, so
// the file is checked against exactly the schema of this source tree.
#ifndef LENDGATE_POLICY_POLICY_SCHEMA_H
#define LENDGATE_POLICY_POLICY_SCHEMA_H

#include <string_view>

namespace lendgate::policy::detail {

std::string_view policiesSchemaText();

}  // namespace lendgate::policy::detail

#endif  // LENDGATE_POLICY_POLICY_SCHEMA_H
