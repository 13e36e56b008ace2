// Routing rules: who receives each canonical message (config/routes.json).
//
// This is the door of core/routing. A RouteTable is loaded once from the
// rules file, checked against the partner directory (a rule that would send a
// message type to a role that may not receive it fails the load), and is then
// immutable: route() is a const, thread-safe call on the bulk-file hot path.
// The rule format is documented in core/routing/README.md.
//
// The JSON library stays behind this header: rules are compiled into private
// structures at load time, and a record is read only for the fields the rules
// test, by a streaming reader, and only when a rule that could match tests one.
#ifndef LENDGATE_ROUTING_ROUTE_TABLE_H
#define LENDGATE_ROUTING_ROUTE_TABLE_H

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.h"
#include "core/model/envelope.h"
#include "core/model/roles.h"
#include "core/routing/partner_directory.h"

namespace lendgate::routing {

/// The sender role of messages the gateway derives itself (HOLD, RELEASE_HOLD
/// and CANCEL assignments, referrals): no partner role. Rules match it as
/// `"sender_roles": ["gateway"]`.
inline constexpr std::optional<model::PartnerRole> kGatewaySender{};

/// One message to route, as the journal knows it. Views only: nothing here
/// is kept beyond the route() call.
struct RoutingInput {
    model::MessageType type = model::MessageType::DelinquencyNotice;
    std::string_view sender;  ///< partner id of the sender (the gateway's own id for derived messages)
    std::optional<model::PartnerRole> senderRole = model::PartnerRole::Lender;  ///< kGatewaySender: derived
    /// The canonical record (one JSON object). Read only when a rule that
    /// could match tests a field, and then only once for all rules.
    std::string_view canonicalJson;
    /// The lender of the message's case, from the journal; resolves "$lender".
    /// When empty and the sender is a lender, the sender is the case's lender.
    std::string_view caseLender;
    /// The repo firms holding an open assignment on the case, from the
    /// journal; resolves "$assignees".
    std::span<const std::string> caseAssignees;
};

/// One destination of a message.
struct RouteDecision {
    std::string partner;               ///< partner id ("$lender"/"$assignees" already resolved)
    std::string format;                ///< output format the rule asked for; empty: the partner's default
    std::vector<std::string> ruleIds;  ///< every rule that chose this destination, in file order

    bool operator==(const RouteDecision &) const = default;
};

/// Why a message has no destination. Such a message is held, visibly, for an
/// operator; it is never dropped.
enum class Unroutable {
    No,                  ///< routed: `decisions` is not empty
    NoRuleMatched,       ///< no rule matches the message
    OnlyBackToSender,    ///< rules matched, but every destination was the sender itself
    CaseContextMissing,  ///< a matching rule names "$lender" or "$assignees" and the case does not say who
    RecordUnreadable,    ///< a rule tests a field but the record is not one JSON object
};

/// "no_rule_matched", "only_back_to_sender", ... (empty for Unroutable::No).
std::string_view unroutableCode(Unroutable reason) noexcept;

struct RoutingResult {
    std::vector<RouteDecision> decisions;   ///< destinations in order of first appearance in the file
    std::vector<std::string> matchedRules;  ///< ids of every rule that matched, in file order
    Unroutable unroutable = Unroutable::No;
    /// For CaseContextMissing: the destination token that could not be resolved.
    std::string unresolvedToken;

    bool routed() const noexcept { return unroutable == Unroutable::No; }
};

/// The destination tokens a rule may name instead of a partner id.
inline constexpr std::string_view kCaseLenderToken = "$lender";
inline constexpr std::string_view kCaseAssigneesToken = "$assignees";

class RouteTable {
public:
    /// Parses and checks a rules file. `origin` names the file in every error
    /// ("config/routes.json: /rules/3/match/payload/0/op: unknown operator
    /// \"contains\""); all errors are collected, one per line of the Error's
    /// message, and the Error's code is "routing.config".
    static Result<RouteTable> load(std::string_view json, std::string_view origin, const PartnerDirectory &partners);

    /// Applies every matching rule: destinations are deduplicated on
    /// (partner, format) and each keeps the ids of all rules that chose it; a
    /// destination equal to the sender is skipped (no echo). When any matching
    /// rule names a case token the input cannot resolve, the message is
    /// unroutable as a whole rather than delivered to some destinations only.
    RoutingResult route(const RoutingInput &input) const;

    /// Number of rules, and where the rules came from (the `origin` given to load).
    std::size_t size() const noexcept;
    const std::string &origin() const noexcept;

    struct Impl;

private:
    explicit RouteTable(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

    // Shared and const: a table is immutable once loaded, so copies are cheap
    // and a reload can swap tables while routing threads still use the old one.
    std::shared_ptr<const Impl> impl_;
};

}  // namespace lendgate::routing

#endif  // LENDGATE_ROUTING_ROUTE_TABLE_H
