// The plugin configuration, read once at create(): one nonprofit's HSDS
// identifiers (organization, services per need, taxonomy terms, locations),
// what it may learn about the person, and its status vocabulary.
#ifndef LENDGATE_PLUGINS_HSDS_HSDS_CONFIG_H
#define LENDGATE_PLUGINS_HSDS_HSDS_CONFIG_H

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lendgate::hsds {

struct TaxonomyTerm {
    std::optional<std::string> id;
    std::string code;
    std::optional<std::string> name;
    std::string taxonomy;
};

struct Service {
    std::string id;
    std::string name;
    std::vector<std::string> needs;  // canonical need codes
    std::optional<TaxonomyTerm> taxonomyTerm;
    std::vector<std::string> locationIds;

    bool hasLocation(std::string_view locationId) const;
};

enum class OutputForm { JsonLines, Array };

struct HsdsConfig {
    std::string partnerId;
    std::string organizationId;
    std::string organizationName;
    std::vector<Service> services;
    std::vector<std::string> clientFields;
    std::map<std::string, std::string, std::less<>> statuses;  // partner code (upper case) -> canonical
    OutputForm output = OutputForm::JsonLines;
    std::size_t maxRecordBytes = 64 * 1024;

    const Service *serviceForNeed(std::string_view need) const;
    const Service *serviceById(std::string_view id) const;
    bool sendsClientField(std::string_view field) const;
};

/// Reads and checks the configuration; throws lendgate::configError naming the key.
HsdsConfig parseConfig(std::string_view text);

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_HSDS_CONFIG_H
