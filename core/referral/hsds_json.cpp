// HSDS 3.0 JSON documents: the nested shapes the specification's examples and
// API use, read into the directory a referral needs.
#include <algorithm>
#include <fstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/common/strict_json.h"
#include "core/referral/hsds_directory.h"
#include "core/referral/referral_internal.h"

namespace lendgate::referral {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string at(const std::string &pointer, std::string_view token) {
    std::string result = pointer;
    appendPointerToken(result, token);
    return result;
}

std::string at(const std::string &pointer, std::size_t index) {
    return at(pointer, std::to_string(index));
}

// Reading goes on after a problem (with empty values) so that the code stays a
// plain walk of the document; only the first problem is reported.
class JsonReader {
public:
    explicit JsonReader(std::string_view source) : source_(source) {}

    void read(const json &document) { readTop(document, ""); }
    std::vector<DirectoryService> take() { return std::move(services_); }
    bool failed() const { return problem_.has_value(); }
    Error error() const { return Error{"invalid_directory", *problem_}; }

private:
    void refuse(const std::string &pointer, const std::string &reason) {
        if (!problem_) problem_ = source_ + ": " + detail::shownPointer(pointer) + ": " + reason;
    }

    // HSDS exporters write null for "not given"; it is treated as absent.
    static const json *member(const json &object, const char *key) {
        const auto found = object.find(key);
        return found == object.end() || found->is_null() ? nullptr : &*found;
    }

    bool isObject(const json &value, const std::string &pointer) {
        if (value.is_object()) return true;
        refuse(pointer, "must be an object");
        return false;
    }

    const json *array(const json &object, const char *key, const std::string &pointer) {
        const json *value = member(object, key);
        if (value == nullptr || value->is_array()) return value;
        refuse(at(pointer, key), "must be an array");
        return nullptr;
    }

    std::string text(const json &object, const char *key, const std::string &pointer, bool required) {
        const json *value = member(object, key);
        if (value == nullptr) {
            if (required) refuse(at(pointer, key), "is missing");
            return {};
        }
        if (!value->is_string()) {
            refuse(at(pointer, key), "must be a string");
            return {};
        }
        if (required && value->get_ref<const std::string &>().empty()) refuse(at(pointer, key), "must not be empty");
        return value->get<std::string>();
    }

    static std::optional<int> age(const json &object, const char *key) {
        const json *value = member(object, key);
        if (value == nullptr || !value->is_number()) return std::nullopt;
        return detail::wholeAge(value->get<double>());
    }

    DirectoryLocation readLocation(const json &value, const std::string &pointer) {
        DirectoryLocation location;
        if (!isObject(value, pointer)) return location;
        location.id = text(value, "id", pointer, true);
        location.name = text(value, "name", pointer, false);
        if (const json *addresses = array(value, "addresses", pointer)) {
            for (std::size_t i = 0; i < addresses->size(); ++i) {
                const std::string where = at(at(pointer, "addresses"), i);
                if (!isObject((*addresses)[i], where)) continue;
                std::string postal = text((*addresses)[i], "postal_code", where, false);
                if (!postal.empty()) location.postalCodes.push_back(std::move(postal));
            }
        }
        return location;
    }

    std::optional<TaxonomyTerm> readTerm(const json &attribute, const std::string &pointer) {
        if (!isObject(attribute, pointer)) return std::nullopt;
        if (const json *nested = member(attribute, "taxonomy_term")) {
            const std::string where = at(pointer, "taxonomy_term");
            if (!isObject(*nested, where)) return std::nullopt;
            TaxonomyTerm term;
            term.id = text(*nested, "id", where, true);
            term.code = text(*nested, "code", where, false);
            term.name = text(*nested, "name", where, false);
            term.taxonomy = text(*nested, "taxonomy", where, false);
            const json *detail = member(*nested, "taxonomy_detail");
            if (term.taxonomy.empty() && detail != nullptr && isObject(*detail, at(where, "taxonomy_detail")))
                term.taxonomy = text(*detail, "name", at(where, "taxonomy_detail"), false);
            return term;
        }
        // The flat form names the term only; its code is then unknown, its id still matches.
        std::string termId = text(attribute, "taxonomy_term_id", pointer, false);
        if (termId.empty()) return std::nullopt;
        TaxonomyTerm term;
        term.id = std::move(termId);
        return term;
    }

    struct Organization {
        std::string id;
        std::string name;
        std::vector<DirectoryLocation> locations;  // what a service_at_location may name by location_id only
    };

    Organization readOrganization(const json &value, const std::string &pointer) {
        Organization organization;
        if (!isObject(value, pointer)) return organization;
        organization.id = text(value, "id", pointer, true);
        organization.name = text(value, "name", pointer, false);
        if (const json *locations = array(value, "locations", pointer))
            for (std::size_t i = 0; i < locations->size(); ++i)
                organization.locations.push_back(readLocation((*locations)[i], at(at(pointer, "locations"), i)));
        return organization;
    }

    static void addLocation(DirectoryService &service, DirectoryLocation location) {
        const auto same = [&](const DirectoryLocation &l) { return l.id == location.id; };
        if (std::none_of(service.locations.begin(), service.locations.end(), same))
            service.locations.push_back(std::move(location));
    }

    static DirectoryLocation known(const std::vector<DirectoryLocation> &locations, const std::string &id) {
        for (const DirectoryLocation &location : locations)
            if (location.id == id) return location;
        return DirectoryLocation{id, {}, {}};
    }

    DirectoryService readService(const json &value, const std::string &pointer, const Organization *parent) {
        DirectoryService service;
        if (!isObject(value, pointer)) return service;
        service.id = text(value, "id", pointer, true);
        service.name = text(value, "name", pointer, true);
        service.status = text(value, "status", pointer, true);
        service.organizationId = text(value, "organization_id", pointer, false);
        Organization organization;
        if (const json *nested = member(value, "organization")) {
            organization = readOrganization(*nested, at(pointer, "organization"));
        } else if (parent != nullptr) {
            organization = *parent;
        }
        if (service.organizationId.empty()) service.organizationId = organization.id;
        if (service.organizationId == organization.id) service.organizationName = organization.name;
        if (member(value, "eligibility_description") != nullptr)
            service.eligibility = text(value, "eligibility_description", pointer, false);
        service.minimumAge = age(value, "minimum_age");
        service.maximumAge = age(value, "maximum_age");

        if (const json *attributes = array(value, "attributes", pointer))
            for (std::size_t i = 0; i < attributes->size(); ++i)
                if (auto term = readTerm((*attributes)[i], at(at(pointer, "attributes"), i)))
                    service.terms.push_back(std::move(*term));

        if (const json *links = array(value, "service_at_locations", pointer)) {
            for (std::size_t i = 0; i < links->size(); ++i) {
                const std::string where = at(at(pointer, "service_at_locations"), i);
                const json &link = (*links)[i];
                if (!isObject(link, where)) continue;
                if (const json *location = member(link, "location")) {
                    addLocation(service, readLocation(*location, at(where, "location")));
                } else if (std::string id = text(link, "location_id", where, false); !id.empty()) {
                    addLocation(service, known(organization.locations, id));
                }
            }
        }

        if (const json *areas = array(value, "service_areas", pointer)) {
            for (std::size_t i = 0; i < areas->size(); ++i) {
                const std::string where = at(at(pointer, "service_areas"), i);
                if (!isObject((*areas)[i], where)) continue;
                detail::addServiceArea(service, text((*areas)[i], "extent_type", where, false),
                                       text((*areas)[i], "extent", where, false));
            }
        }
        return service;
    }

    // One service listed twice (say, one service_at_location per office) is
    // one service offered at both places.
    void add(DirectoryService service) {
        const auto same = [&](const DirectoryService &s) { return s.id == service.id; };
        const auto existing = std::find_if(services_.begin(), services_.end(), same);
        if (existing == services_.end()) {
            services_.push_back(std::move(service));
            return;
        }
        for (DirectoryLocation &location : service.locations) addLocation(*existing, std::move(location));
        for (TaxonomyTerm &term : service.terms) {
            const auto sameTerm = [&](const TaxonomyTerm &t) { return t.id == term.id && t.code == term.code; };
            if (std::none_of(existing->terms.begin(), existing->terms.end(), sameTerm))
                existing->terms.push_back(std::move(term));
        }
        for (std::string &zip : service.areaZips)
            if (std::find(existing->areaZips.begin(), existing->areaZips.end(), zip) == existing->areaZips.end())
                existing->areaZips.push_back(std::move(zip));
        existing->hasZipArea = existing->hasZipArea || service.hasZipArea;
    }

    void readTop(const json &value, const std::string &pointer) {
        if (value.is_array() && pointer.empty()) {
            for (std::size_t i = 0; i < value.size(); ++i) readTop(value[i], at(pointer, i));
            return;
        }
        if (!value.is_object()) {
            refuse(pointer, "must be an HSDS service, organization or service_at_location object");
            return;
        }
        if (const json *service = member(value, "service")) {
            // service_at_location: its own location comes first, then any the service lists itself.
            DirectoryService read = readService(*service, at(pointer, "service"), nullptr);
            std::vector<DirectoryLocation> locations;
            if (const json *location = member(value, "location")) {
                locations.push_back(readLocation(*location, at(pointer, "location")));
            } else if (std::string id = text(value, "location_id", pointer, false); !id.empty()) {
                locations.push_back(DirectoryLocation{id, {}, {}});
            }
            for (DirectoryLocation &location : read.locations) locations.push_back(std::move(location));
            read.locations.clear();
            for (DirectoryLocation &location : locations) addLocation(read, std::move(location));
            add(std::move(read));
        } else if (const json *services = array(value, "services", pointer)) {
            const Organization organization = readOrganization(value, pointer);
            for (std::size_t i = 0; i < services->size(); ++i)
                add(readService((*services)[i], at(at(pointer, "services"), i), &organization));
        } else {
            add(readService(value, pointer, nullptr));
        }
    }

    std::string source_;
    std::optional<std::string> problem_;
    std::vector<DirectoryService> services_;
};

}  // namespace

namespace detail {

// A GeoJSON extent may well be megabytes; the file cap bounds the rest.
StrictJsonLimits directoryJsonLimits() {
    StrictJsonLimits limits;
    limits.maxBytes = kMaxDirectoryFileBytes;
    limits.maxStringBytes = std::size_t{16} << 20;
    return limits;
}

Result<std::string> readDirectoryFile(const fs::path &file) {
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (ec || !fs::exists(status)) return Error{"io", file.string() + ": cannot be read: no such file"};
    if (!fs::is_regular_file(status)) return Error{"io", file.string() + ": cannot be read: not a regular file"};
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec) return Error{"io", file.string() + ": cannot be read: " + ec.message()};
    const std::string tooLarge =
        file.string() + ": larger than " + std::to_string(kMaxDirectoryFileBytes >> 20) + " MiB, refused";
    if (size > kMaxDirectoryFileBytes) return Error{"invalid_directory", tooLarge};
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{"io", file.string() + ": cannot be opened"};
    // The file may grow after the size check: never read past the cap.
    std::string text;
    text.reserve(static_cast<std::size_t>(size));
    char chunk[1 << 16];
    while (in && text.size() <= kMaxDirectoryFileBytes) {
        in.read(chunk, sizeof chunk);
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) return Error{"io", file.string() + ": read failed"};
    if (text.size() > kMaxDirectoryFileBytes) return Error{"invalid_directory", tooLarge};
    return text;
}

fs::path resolveDirectoryPath(const fs::path &path) {
    std::error_code ec;
    return fs::is_directory(path, ec) ? path / "datapackage.json" : path;
}

bool isDatapackage(const fs::path &resolved) {
    return resolved.filename() == "datapackage.json";
}

}  // namespace detail

Result<Directory> loadDirectoryJson(std::string_view text, std::string_view source) {
    JsonSyntaxError syntax;
    const std::optional<json> document = parseStrictJson(text, syntax, detail::directoryJsonLimits());
    if (!document) {
        return Error{"invalid_directory", std::string(source) + ": " + detail::shownPointer(syntax.pointer) + ": " +
                                              syntax.message + " (" + syntax.code + ")"};
    }
    JsonReader reader(source);
    reader.read(*document);
    if (reader.failed()) return reader.error();
    return Directory{std::string(source), reader.take()};
}

Result<Directory> loadDirectory(const fs::path &path) {
    const fs::path resolved = detail::resolveDirectoryPath(path);
    if (detail::isDatapackage(resolved)) return detail::loadDatapackage(resolved);
    Result<std::string> text = detail::readDirectoryFile(resolved);
    if (!text.ok()) return text.error();
    return loadDirectoryJson(text.value(), resolved.string());
}

}  // namespace lendgate::referral
