// Files only the gateway's user may read: the key ring and the master key.
// Every read refuses a symbolic link, a file another user owns, and any
// group or other permission, naming the path, its mode and the fix; every
// write is atomic and durable.
#ifndef LENDGATE_SECURITY_PRIVATE_FILES_H
#define LENDGATE_SECURITY_PRIVATE_FILES_H

#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace lendgate::security {

/// Error codes: keyring_permissions, keyring_io.
Result<bool> checkPrivateDirectory(const std::filesystem::path &dir);
/// Creates `dir` (0700) and its parents when missing.
Result<bool> createPrivateDirectory(const std::filesystem::path &dir);
/// The whole file, at most `maxBytes` (error keyring_invalid beyond).
Result<std::string> readPrivateFile(const std::filesystem::path &file, std::size_t maxBytes);
/// Writes `text` to a temporary file (0600), fsyncs it and installs it as
/// `file`: with createOnly an existing `file` is kept (and the result is
/// false), otherwise it is replaced. The directory is fsynced after.
Result<bool> writePrivateFile(const std::filesystem::path &file, std::string_view text, bool createOnly);
/// Makes a rename or unlink in `dir` durable.
Result<bool> fsyncDirectory(const std::filesystem::path &dir);

}  // namespace lendgate::security

#endif  // LENDGATE_SECURITY_PRIVATE_FILES_H
