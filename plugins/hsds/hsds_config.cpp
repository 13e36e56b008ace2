#include "hsds_config.h"

#include <lendgate/plugin.hpp>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "text_rules.h"

namespace lendgate::hsds {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 6> kNeeds = {"financial-insecurity", "transportation-insecurity",
                                                    "veteran-status",       "housing-instability",
                                                    "food-insecurity",      "mental-health"};
constexpr std::array<std::string_view, 5> kClientFields = {"phone", "language", "best_time", "postal_code", "county"};
constexpr std::array<std::string_view, 8> kStatuses = {"requested", "accepted",  "rejected",  "in-progress",
                                                       "on-hold",   "completed", "cancelled", "failed"};

template <std::size_t N>
bool oneOf(const std::array<std::string_view, N> &list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

[[noreturn]] void refuse(const std::string &path, const std::string &why) {
    throw configError("config", path + ": " + why);
}

// Every object is closed, as the schema says; the host checks the schema first, and this keeps
// the plugin safe when it is created without that check (tests, other hosts).
void onlyKeys(const Json &object, const std::string &path, std::initializer_list<std::string_view> keys) {
    if (!object.is_object()) refuse(path.empty() ? "/" : path, "must be an object");
    for (const auto &item : object.items())
        if (std::find(keys.begin(), keys.end(), item.key()) == keys.end())
            refuse(path + "/" + (isPlainMemberName(item.key()) ? item.key() : std::string("?")), "unknown key");
}

std::string text(const Json &object, const std::string &path, const char *key, std::size_t maxPoints,
                 bool required = true) {
    const auto found = object.find(key);
    if (found == object.end()) {
        if (required) refuse(path + "/" + key, "is required");
        return {};
    }
    if (!found->is_string() || !isSingleLine(found->get_ref<const std::string &>(), maxPoints))
        refuse(path + "/" + key, "must be text of 1 to " + std::to_string(maxPoints) + " characters on one line");
    return found->get<std::string>();
}

std::optional<std::string> optionalText(const Json &object, const std::string &path, const char *key,
                                        std::size_t maxPoints) {
    if (!object.contains(key)) return std::nullopt;
    return text(object, path, key, maxPoints);
}

std::vector<std::string> list(const Json &object, const std::string &path, const char *key, std::size_t maxItems) {
    const Json &value = object.at(key);
    if (!value.is_array() || value.size() > maxItems)
        refuse(path + "/" + key, "must be a list of at most " + std::to_string(maxItems) + " items");
    std::vector<std::string> items;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string itemPath = path + "/" + key + "/" + std::to_string(i);
        if (!value[i].is_string() || !isSingleLine(value[i].get_ref<const std::string &>(), 64))
            refuse(itemPath, "must be text of 1 to 64 characters on one line");
        if (std::find(items.begin(), items.end(), value[i].get<std::string>()) != items.end())
            refuse(itemPath, "repeats an earlier item");
        items.push_back(value[i].get<std::string>());
    }
    return items;
}

Service readService(const Json &value, const std::string &path) {
    onlyKeys(value, path, {"id", "name", "needs", "taxonomy_term", "location_ids"});
    Service service;
    service.id = text(value, path, "id", 64);
    service.name = text(value, path, "name", 200);
    if (!value.contains("needs")) refuse(path + "/needs", "is required");
    service.needs = list(value, path, "needs", kNeeds.size());
    if (service.needs.empty()) refuse(path + "/needs", "must name at least one need");
    for (std::size_t i = 0; i < service.needs.size(); ++i)
        if (!oneOf(kNeeds, service.needs[i])) refuse(path + "/needs/" + std::to_string(i), "is not a need code");
    if (value.contains("taxonomy_term")) {
        const std::string termPath = path + "/taxonomy_term";
        const Json &term = value["taxonomy_term"];
        onlyKeys(term, termPath, {"id", "code", "name", "taxonomy"});
        service.taxonomyTerm =
            TaxonomyTerm{optionalText(term, termPath, "id", 64), text(term, termPath, "code", 64),
                         optionalText(term, termPath, "name", 200), text(term, termPath, "taxonomy", 200)};
    }
    if (value.contains("location_ids")) {
        service.locationIds = list(value, path, "location_ids", 50);
        if (service.locationIds.empty()) refuse(path + "/location_ids", "must not be empty when given");
    }
    return service;
}

bool isPartnerId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return false;
    }
    return true;
}

bool isStatusCode(std::string_view code) {
    if (code.empty() || code.size() > 32 || code[0] < 'A' || code[0] > 'Z') return false;
    return std::all_of(code.begin(), code.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

bool Service::hasLocation(std::string_view locationId) const {
    return std::find(locationIds.begin(), locationIds.end(), locationId) != locationIds.end();
}

const Service *HsdsConfig::serviceForNeed(std::string_view need) const {
    for (const Service &service : services)
        if (std::find(service.needs.begin(), service.needs.end(), need) != service.needs.end()) return &service;
    return nullptr;
}

const Service *HsdsConfig::serviceById(std::string_view id) const {
    for (const Service &service : services)
        if (service.id == id) return &service;
    return nullptr;
}

bool HsdsConfig::sendsClientField(std::string_view field) const {
    return std::find(clientFields.begin(), clientFields.end(), field) != clientFields.end();
}

HsdsConfig parseConfig(std::string_view configText) {
    Json root;
    try {
        root = Json::parse(configText);
    } catch (const Json::exception &) {
        throw configError("config", "the configuration is not valid JSON");
    }
    onlyKeys(root, "",
             {"partner_id", "organization", "services", "client_fields", "statuses", "output", "max_record_bytes"});
    HsdsConfig config;

    config.partnerId = text(root, "", "partner_id", 64);
    if (!isPartnerId(config.partnerId)) refuse("/partner_id", "must be a partner id ([A-Za-z0-9][A-Za-z0-9_.-]*)");

    if (!root.contains("organization")) refuse("/organization", "is required");
    onlyKeys(root["organization"], "/organization", {"id", "name"});
    config.organizationId = text(root["organization"], "/organization", "id", 64);
    config.organizationName = text(root["organization"], "/organization", "name", 200);

    if (!root.contains("services")) refuse("/services", "is required");
    const Json &services = root["services"];
    if (!services.is_array() || services.empty() || services.size() > 50)
        refuse("/services", "must be a list of 1 to 50 services");
    std::set<std::string> needsSeen;
    for (std::size_t i = 0; i < services.size(); ++i) {
        const std::string path = "/services/" + std::to_string(i);
        Service service = readService(services[i], path);
        if (config.serviceById(service.id) != nullptr) refuse(path + "/id", "repeats an earlier service's id");
        // One service per need: a referral must never depend on which of two services is listed first.
        for (const std::string &need : service.needs)
            if (!needsSeen.insert(need).second) refuse(path + "/needs", need + " is served by an earlier service too");
        config.services.push_back(std::move(service));
    }

    if (!root.contains("client_fields")) refuse("/client_fields", "is required");
    config.clientFields = list(root, "", "client_fields", kClientFields.size());
    for (std::size_t i = 0; i < config.clientFields.size(); ++i)
        if (!oneOf(kClientFields, config.clientFields[i]))
            refuse("/client_fields/" + std::to_string(i), "is not a client field of the profile");

    if (!root.contains("statuses")) refuse("/statuses", "is required");
    const Json &statuses = root["statuses"];
    if (!statuses.is_object() || statuses.empty() || statuses.size() > 32)
        refuse("/statuses", "must map 1 to 32 status codes");
    for (const auto &item : statuses.items()) {
        if (!isStatusCode(item.key())) refuse("/statuses", "a status code is not upper-case letters, digits and _");
        if (!item.value().is_string() || !oneOf(kStatuses, item.value().get_ref<const std::string &>()))
            refuse("/statuses/" + item.key(), "must be a canonical referral status");
        config.statuses.emplace(item.key(), item.value().get<std::string>());
    }

    if (root.contains("output")) {
        const Json &output = root["output"];
        if (output == "array")
            config.output = OutputForm::Array;
        else if (output != "jsonl")
            refuse("/output", "must be jsonl or array");
    }
    if (root.contains("max_record_bytes")) {
        const Json &limit = root["max_record_bytes"];
        if (!limit.is_number_integer() || limit.get<std::int64_t>() < 256 || limit.get<std::int64_t>() > (16 << 20))
            refuse("/max_record_bytes", "must be an integer from 256 to 16777216");
        config.maxRecordBytes = limit.get<std::size_t>();
    }
    return config;
}

}  // namespace lendgate::hsds
