// The project's ZIP convention (README.md) and the need-to-service match.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/referral/hsds_directory.h"
#include "core/referral/referral_internal.h"

namespace lendgate::referral {
namespace {

bool allDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trimmed(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

// A text extent is a ZIP list only when every token is one: "Phoenix, 85009"
// is a description, and reading half of it would cover the wrong borrowers.
std::optional<std::vector<std::string>> zipList(std::string_view extent) {
    std::vector<std::string> zips;
    while (true) {
        const std::size_t comma = extent.find(',');
        const std::string_view token = trimmed(extent.substr(0, comma));
        if (!allDigits(token) || (token.size() != 5 && token.size() != 3)) return std::nullopt;
        zips.emplace_back(token);
        if (comma == std::string_view::npos) return zips;
        extent.remove_prefix(comma + 1);
    }
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == (y >= 'A' && y <= 'Z' ? y - 'A' + 'a' : y);
           });
}

bool locationHasZip(const DirectoryLocation &location, const std::string &zip5) {
    return std::any_of(location.postalCodes.begin(), location.postalCodes.end(),
                       [&](const std::string &postal) { return detail::zip5Of(postal) == zip5; });
}

const TaxonomyTerm *termFor(const DirectoryService &service, const std::string &code) {
    for (const TaxonomyTerm &term : service.terms)
        if (term.code == code || term.id == code) return &term;
    return nullptr;
}

}  // namespace

namespace detail {

void addServiceArea(DirectoryService &service, std::string_view extentType, std::string_view extent) {
    if (!equalsIgnoringCase(trimmed(extentType), "text")) return;
    auto zips = zipList(extent);
    if (!zips) return;
    service.hasZipArea = true;
    for (std::string &zip : *zips)
        if (std::find(service.areaZips.begin(), service.areaZips.end(), zip) == service.areaZips.end())
            service.areaZips.push_back(std::move(zip));
}

std::optional<std::string> zip5Of(std::string_view zip) {
    const bool zip5 = zip.size() == 5 && allDigits(zip);
    const bool zipPlus4 = zip.size() == 10 && zip[5] == '-' && allDigits(zip.substr(0, 5)) && allDigits(zip.substr(6));
    const bool zip9 = zip.size() == 9 && allDigits(zip);
    if (!zip5 && !zipPlus4 && !zip9) return std::nullopt;
    return std::string(zip.substr(0, 5));
}

std::optional<int> wholeAge(double value) {
    if (!std::isfinite(value) || value != std::floor(value) || value < 0 ||
        value > static_cast<double>(std::numeric_limits<int>::max()))
        return std::nullopt;
    return static_cast<int>(value);
}

}  // namespace detail

bool covers(const DirectoryService &service, std::string_view zip) {
    const std::optional<std::string> zip5 = detail::zip5Of(zip);
    if (!zip5) return false;
    if (service.hasZipArea) {
        const std::string zip3 = zip5->substr(0, 3);
        return std::any_of(service.areaZips.begin(), service.areaZips.end(),
                           [&](const std::string &listed) { return listed == *zip5 || listed == zip3; });
    }
    return std::any_of(service.locations.begin(), service.locations.end(),
                       [&](const DirectoryLocation &location) { return locationHasZip(location, *zip5); });
}

std::optional<ServiceMatch> findService(const Directory &directory, const std::vector<std::string> &termCodes,
                                        std::string_view zip) {
    const std::optional<std::string> zip5 = detail::zip5Of(zip);
    if (!zip5) return std::nullopt;
    for (const std::string &code : termCodes) {
        // An empty code would match every term that lacks one.
        if (code.empty()) continue;
        for (const DirectoryService &service : directory.services) {
            if (service.status != "active") continue;
            const TaxonomyTerm *term = termFor(service, code);
            if (term == nullptr || !covers(service, *zip5)) continue;
            ServiceMatch match{&service, nullptr, term};
            const auto local = std::find_if(service.locations.begin(), service.locations.end(),
                                            [&](const DirectoryLocation &l) { return locationHasZip(l, *zip5); });
            if (local != service.locations.end()) {
                match.location = &*local;
            } else if (!service.locations.empty()) {
                match.location = &service.locations.front();
            }
            return match;
        }
    }
    return std::nullopt;
}

}  // namespace lendgate::referral
