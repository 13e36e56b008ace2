#include "core/routing/partner_directory.h"

#include <utility>

namespace lendgate::routing {

void StaticPartnerDirectory::add(std::string partnerId, model::PartnerRole role,
                                 std::set<std::string, std::less<>> formats) {
    partners_.insert_or_assign(std::move(partnerId), Entry{role, std::move(formats)});
}

std::optional<model::PartnerRole> StaticPartnerDirectory::roleOf(std::string_view partnerId) const {
    const auto found = partners_.find(partnerId);
    if (found == partners_.end()) return std::nullopt;
    return found->second.role;
}

bool StaticPartnerDirectory::hasFormat(std::string_view partnerId, std::string_view format) const {
    const auto found = partners_.find(partnerId);
    return found != partners_.end() && found->second.formats.contains(format);
}

}  // namespace lendgate::routing
