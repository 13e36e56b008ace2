// A nonprofit's service directory in Open Referral HSDS 3.0, reduced to what a
// referral needs: which services meet which needs (taxonomy terms), where
// (ZIP service areas, location postal codes) and for whom (eligibility, ages).
//
// Directories come from nonprofits, not from us: the loader reads the shapes
// the specification publishes (its own examples load unchanged), is strict
// only about the fields a referral relies on, and names the file and JSON
// Pointer (or CSV row and column) of anything it refuses. Matching follows the
// project's documented ZIP convention (core/referral/README.md).
#ifndef LENDGATE_REFERRAL_HSDS_DIRECTORY_H
#define LENDGATE_REFERRAL_HSDS_DIRECTORY_H

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace lendgate::referral {

struct TaxonomyTerm {
    std::string id;
    std::string code;
    std::string name;
    std::string taxonomy;  ///< the term's `taxonomy` text, else its taxonomy's name
};

struct DirectoryLocation {
    std::string id;
    std::string name;
    std::vector<std::string> postalCodes;  ///< from the location's addresses, as written
};

struct DirectoryService {
    std::string id;
    std::string name;
    std::string status;  ///< HSDS service status: active, inactive, defunct, temporarily closed
    std::string organizationId;
    std::string organizationName;
    std::optional<std::string> eligibility;  ///< eligibility_description
    std::optional<int> minimumAge;           ///< only a whole number; HSDS allows any number, a fraction is ignored
    std::optional<int> maximumAge;
    std::vector<TaxonomyTerm> terms;           ///< every taxonomy term linked to the service (attributes)
    std::vector<DirectoryLocation> locations;  ///< via service_at_location
    std::vector<std::string> areaZips;         ///< ZIP5 codes and ZIP3 prefixes of its text service areas
    bool hasZipArea = false;                   ///< at least one text service area parsed as a ZIP list
};

struct Directory {
    std::string source;  ///< the file (or name) it was read from, for messages
    std::vector<DirectoryService> services;
};

/// Directory files larger than this are refused before they are read.
inline constexpr std::size_t kMaxDirectoryFileBytes = std::size_t{64} << 20;

/// Reads a directory file: a `*.json` HSDS document, or a `datapackage.json`
/// (or a folder holding one), then the CSV tables beside it as the
/// descriptor's resources name them. JSON shapes: a service object
/// (service_full), an organization with `services` (organization_full), a
/// service_at_location with `service` and `location`
/// (service_at_location_full), or an array of any of these. A service that
/// appears more than once (an array of its service_at_locations) is one
/// service with the locations of all. Errors: code "io" when a file cannot be
/// read, "invalid_directory" for content, naming the file and the JSON
/// Pointer, or for CSV the file, row (the header is row 1) and column.
Result<Directory> loadDirectory(const std::filesystem::path &path);
Result<Directory> loadDirectoryJson(std::string_view text, std::string_view source);

/// Validates the JSON document(s) at `path` against the official HSDS 3.0
/// schemas in `schemaDir`: service.json for service objects,
/// organization.json (and service.json for each of its `services`),
/// service_at_location.json (and service.json for its `service`). Cross-file
/// `$ref`s resolve by file name inside `schemaDir`, never over the network.
/// A datapackage's CSV rows are not checked against the table schemas: only
/// JSON documents are validated; a datapackage reports what loadDirectory
/// refuses. Each problem is one line "<path>: <JSON pointer>: <reason>";
/// empty means valid.
std::vector<std::string> validateDirectory(const std::filesystem::path &path, const std::filesystem::path &schemaDir);

/// The project's ZIP convention: a service covers a ZIP when one of its text
/// service areas lists the ZIP5 or its ZIP3 prefix; a service with no such
/// area covers the ZIPs equal to one of its locations' postal codes. `zip`
/// may be ZIP+4 ("85009-1234"): only its first five digits count. Anything
/// else covers nothing.
bool covers(const DirectoryService &service, std::string_view zip);

struct ServiceMatch {
    const DirectoryService *service = nullptr;
    const DirectoryLocation *location = nullptr;
    const TaxonomyTerm *term = nullptr;
};

/// The first active service (status "active") with a term whose code (or id)
/// is in `termCodes` and that covers `zip`. Earlier term codes are preferred:
/// every service is tried for the first code before any for the second; for
/// one code, services in directory order. The location: one whose postal code
/// is the ZIP, else the service's first location, else none. The pointers
/// point into `directory`.
std::optional<ServiceMatch> findService(const Directory &directory, const std::vector<std::string> &termCodes,
                                        std::string_view zip);

}  // namespace lendgate::referral

#endif  // LENDGATE_REFERRAL_HSDS_DIRECTORY_H
