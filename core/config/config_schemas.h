// Private to core/config: the compiled-in configuration schemas.
#ifndef LENDGATE_CONFIG_CONFIG_SCHEMAS_H
#define LENDGATE_CONFIG_CONFIG_SCHEMAS_H

#include <string_view>

namespace lendgate::config {

std::string_view gatewaySchemaText();
std::string_view partnerSchemaText();

}  // namespace lendgate::config

#endif  // LENDGATE_CONFIG_CONFIG_SCHEMAS_H
