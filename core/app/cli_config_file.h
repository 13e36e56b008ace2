// The configuration an operator command works on: --config FILE (default
// config/lendgate.json) and --plugin-dir DIR, shared by every command that
// needs the data folder or the partners.
#ifndef LENDGATE_APP_CLI_CONFIG_FILE_H
#define LENDGATE_APP_CLI_CONFIG_FILE_H

#include <iosfwd>
#include <optional>

#include "core/app/cli.h"
#include "core/config/gateway_config.h"

namespace lendgate::cli {

/// Loads it; every error (not the warnings) goes to `err` with its file and
/// JSON path, then "FILE: not usable", and the result is empty.
std::optional<config::GatewayConfig> loadConfigArgument(const Arguments &args, std::ostream &err);

}  // namespace lendgate::cli

#endif  // LENDGATE_APP_CLI_CONFIG_FILE_H
