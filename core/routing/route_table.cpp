// Evaluation: the per-record hot path. Rules were compiled at load time and
// bucketed by message type; a record is read (once, for all rules, and only
// the fields they test) the first time a candidate rule has a predicate.
#include "core/routing/route_table.h"

#include <algorithm>

#include "core/routing/detail/rules.h"

namespace lendgate::routing {

namespace {

using detail::Destination;
using detail::FieldValue;
using detail::Rule;

bool senderMatches(const Rule &rule, const RoutingInput &input) {
    if (rule.senderRoles != 0 && (rule.senderRoles & detail::senderBit(input.senderRole)) == 0) return false;
    if (rule.senders.empty()) return true;
    return std::find(rule.senders.begin(), rule.senders.end(), input.sender) != rule.senders.end();
}

void addDecision(RoutingResult &result, std::string_view partner, const std::string &format,
                 const std::string &ruleId) {
    for (RouteDecision &decision : result.decisions) {
        if (decision.partner != partner || decision.format != format) continue;
        // One rule can reach a partner twice ("$lender" resolving to a partner
        // it also names, or an assignee listed twice): record the rule once.
        if (decision.ruleIds.empty() || decision.ruleIds.back() != ruleId) decision.ruleIds.push_back(ruleId);
        return;
    }
    result.decisions.push_back(RouteDecision{std::string(partner), format, {ruleId}});
}

// The case's lender: the journal's answer, or the sender when a lender sends
// (a case is keyed on its lender, so a lender's message is about its own case).
std::string_view caseLender(const RoutingInput &input) {
    if (!input.caseLender.empty()) return input.caseLender;
    if (input.senderRole == model::PartnerRole::Lender) return input.sender;
    return {};
}

}  // namespace

std::string_view unroutableCode(Unroutable reason) noexcept {
    switch (reason) {
        case Unroutable::No: return "";
        case Unroutable::NoRuleMatched: return "no_rule_matched";
        case Unroutable::OnlyBackToSender: return "only_back_to_sender";
        case Unroutable::CaseContextMissing: return "case_context_missing";
        case Unroutable::RecordUnreadable: return "record_unreadable";
    }
    return "";
}

RoutingResult RouteTable::route(const RoutingInput &input) const {
    RoutingResult result;
    const auto typeIndex = static_cast<std::size_t>(input.type);
    if (typeIndex >= impl_->rulesByType.size()) {
        result.unroutable = Unroutable::NoRuleMatched;
        return result;
    }

    std::vector<FieldValue> fields;
    bool fieldsRead = false;
    for (const std::size_t ruleIndex : impl_->rulesByType[typeIndex]) {
        const Rule &rule = impl_->rules[ruleIndex];
        if (!senderMatches(rule, input)) continue;
        if (!rule.predicates.empty()) {
            if (!fieldsRead) {
                if (!impl_->fields.read(input.canonicalJson, impl_->slotsByType[typeIndex], fields)) {
                    // Routing on some rules and not others would depend on
                    // which fields happen to be readable: hold it whole.
                    return RoutingResult{{}, {}, Unroutable::RecordUnreadable, {}};
                }
                fieldsRead = true;
            }
            const bool matches = std::all_of(rule.predicates.begin(), rule.predicates.end(),
                                             [&](const detail::Predicate &p) { return detail::holds(p, fields); });
            if (!matches) continue;
        }
        result.matchedRules.push_back(rule.id);

        for (const Destination &destination : rule.destinations) {
            switch (destination.target) {
                case Destination::Target::Partner:
                    if (destination.partner != input.sender)
                        addDecision(result, destination.partner, destination.format, rule.id);
                    break;
                case Destination::Target::CaseLender: {
                    const std::string_view lender = caseLender(input);
                    if (lender.empty()) {
                        if (result.unresolvedToken.empty()) result.unresolvedToken = kCaseLenderToken;
                    } else if (lender != input.sender) {
                        addDecision(result, lender, destination.format, rule.id);
                    }
                    break;
                }
                case Destination::Target::CaseAssignees:
                    if (input.caseAssignees.empty() && result.unresolvedToken.empty()) {
                        result.unresolvedToken = kCaseAssigneesToken;
                    }
                    for (const std::string &assignee : input.caseAssignees) {
                        if (assignee != input.sender) addDecision(result, assignee, destination.format, rule.id);
                    }
                    break;
            }
        }
    }

    if (!result.unresolvedToken.empty()) {
        // Delivering to the other destinations now and to the case's partner
        // never would lose a message silently; holding it whole keeps it visible.
        result.decisions.clear();
        result.unroutable = Unroutable::CaseContextMissing;
    } else if (result.matchedRules.empty()) {
        result.unroutable = Unroutable::NoRuleMatched;
    } else if (result.decisions.empty()) {
        result.unroutable = Unroutable::OnlyBackToSender;
    }
    return result;
}

std::size_t RouteTable::size() const noexcept {
    return impl_->rules.size();
}

const std::string &RouteTable::origin() const noexcept {
    return impl_->origin;
}

}  // namespace lendgate::routing
