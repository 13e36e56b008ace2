// What routing needs to know about partners: who exists, which role each
// plays, which output formats each defines, and which message types a role
// may send and receive.
//
// Routing refuses, when the rules are loaded, any rule that would send a
// message to a partner whose role may not receive it (DOMAIN.md's table, kept
// once in core/model/roles.h): a mistake in config/routes.json must fail
// start-up, not leak a delinquency notice to a repo firm at three in the
// morning. The daemon implements this interface over its partner
// configuration; StaticPartnerDirectory serves tests and tools.
#ifndef LENDGATE_ROUTING_PARTNER_DIRECTORY_H
#define LENDGATE_ROUTING_PARTNER_DIRECTORY_H

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/model/roles.h"

namespace lendgate::routing {

/// The partners the gateway knows. Implementations must answer consistently
/// for the duration of a RouteTable::load call; routing keeps nothing of them.
class PartnerDirectory {
public:
    virtual ~PartnerDirectory() = default;

    /// The role of a configured partner; nullopt when there is no such partner.
    virtual std::optional<model::PartnerRole> roleOf(std::string_view partnerId) const = 0;
    /// Whether the partner's profile defines an output format of that name,
    /// so a rule may ask for it with `"format"`.
    virtual bool hasFormat(std::string_view partnerId, std::string_view format) const = 0;
    /// Defaults to DOMAIN.md's table (core/model/roles.h); a deployment may narrow it.
    virtual bool mayReceive(model::PartnerRole role, model::MessageType type) const {
        return model::mayReceive(role, type);
    }
    /// Defaults to DOMAIN.md's table (core/model/roles.h); a deployment may narrow it.
    virtual bool maySend(model::PartnerRole role, model::MessageType type) const { return model::maySend(role, type); }
};

/// A fixed set of partners held in memory: the sample world in tests, or a
/// directory built by a tool that has read the partner files itself.
class StaticPartnerDirectory final : public PartnerDirectory {
public:
    /// Adds or replaces a partner.
    void add(std::string partnerId, model::PartnerRole role, std::set<std::string, std::less<>> formats = {});

    std::optional<model::PartnerRole> roleOf(std::string_view partnerId) const override;
    bool hasFormat(std::string_view partnerId, std::string_view format) const override;

private:
    struct Entry {
        model::PartnerRole role;
        std::set<std::string, std::less<>> formats;
    };
    std::map<std::string, Entry, std::less<>> partners_;
};

}  // namespace lendgate::routing

#endif  // LENDGATE_ROUTING_PARTNER_DIRECTORY_H
