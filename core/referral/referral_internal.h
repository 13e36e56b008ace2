// Shared by the directory readers in this folder; not a public header (it
// brings in nlohmann through strict_json.h).
#ifndef LENDGATE_REFERRAL_REFERRAL_INTERNAL_H
#define LENDGATE_REFERRAL_REFERRAL_INTERNAL_H

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.h"
#include "core/common/strict_json.h"
#include "core/referral/hsds_directory.h"

namespace lendgate::referral::detail {

/// The whole file, refused with "io" when it cannot be read and with
/// "invalid_directory" when it is over kMaxDirectoryFileBytes.
Result<std::string> readDirectoryFile(const std::filesystem::path &file);

/// Size caps for a directory's JSON (documents and datapackage descriptors).
StrictJsonLimits directoryJsonLimits();

/// A folder stands for the datapackage.json in it.
std::filesystem::path resolveDirectoryPath(const std::filesystem::path &path);
bool isDatapackage(const std::filesystem::path &resolved);

/// The tabular form: the descriptor and the CSV tables it names.
Result<Directory> loadDatapackage(const std::filesystem::path &descriptor);

/// Applies one HSDS service_area to the service: a "text" extent that is a
/// ZIP list adds its codes to areaZips; anything else is left alone.
void addServiceArea(DirectoryService &service, std::string_view extentType, std::string_view extent);

/// The ZIP5 of a ZIP, ZIP+4 ("85009-1234") or 9-digit ZIP; nullopt otherwise.
std::optional<std::string> zip5Of(std::string_view zip);

/// HSDS ages are numbers; the library keeps whole ones only.
std::optional<int> wholeAge(double value);

/// "/" for the document root, the pointer itself otherwise.
inline std::string shownPointer(const std::string &pointer) {
    return pointer.empty() ? "/" : pointer;
}

}  // namespace lendgate::referral::detail

#endif  // LENDGATE_REFERRAL_REFERRAL_INTERNAL_H
