// The compliance policies of DOMAIN.md (C1-C12) as pure decision functions.
//
// This is the door of core/policy. Given what the journal knows about a case
// (CaseFacts), the incoming canonical message and the current time, it says
// what each applicable policy decided. Nothing here sends, stores or logs:
// the daemon journals the decisions, sends the HOLD/CANCEL/RELEASE_HOLD they
// call for and keeps the returned hold set as the case's new one.
//
// Dates a policy compares with a calendar day (cure periods, repo_hold_until,
// certificate age) use now.localDate(): pass `now` with the offset of the
// gateway's business day. Policies, parameters and facts: core/policy/README.md.
#ifndef LENDGATE_POLICY_POLICIES_H
#define LENDGATE_POLICY_POLICIES_H

#include <string>
#include <string_view>
#include <vector>

#include "core/model/message.h"
#include "core/model/roles.h"
#include "core/policy/case_facts.h"
#include "core/policy/decision.h"
#include "core/policy/policy_config.h"

namespace lendgate::policy {

struct Evaluation {
    std::vector<Decision> decisions;  ///< in policy order; empty when no policy applies
    HoldSet holds;                    ///< the case's hold reasons after this evaluation (C4)

    /// True when some decision has this outcome.
    bool has(Outcome outcome) const;
    /// The decisions of one policy, in order.
    std::vector<const Decision *> of(std::string_view policyId) const;
};

/// Every policy that applies to an incoming message of the case. For a NEW
/// assignment order: REFUSE by any policy means the order is not routed,
/// otherwise HOLD by any means it waits, otherwise it goes out.
Evaluation evaluateMessage(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                           const model::Timestamp &now);

/// What time alone changes: hold reasons that ran out (C4), acknowledgements
/// overdue (C5), inventories overdue (C7). The daemon calls it periodically
/// per open case; it is idempotent except for alerts, which the daemon
/// raises once per firm and control (the decision names them).
Evaluation evaluateClock(const PolicyConfig &config, const CaseFacts &facts, const model::Timestamp &now);

/// An operator's release of one hold reason (C4): one decision, RELEASE when
/// it was the last reason and HOLD ("continues") otherwise, whose facts
/// name the reason released (released_kind, released_key) so the case's
/// history can end it again when it is replayed. No decision when the
/// reason is not in force or C4 is off.
Evaluation releaseHoldReason(const PolicyConfig &config, const CaseFacts &facts, HoldKind kind, std::string_view key,
                             const model::Timestamp &now);

/// C11: may a referral for this need go out under this consent now? ALLOW or
/// REFUSE (always a decision: "no consent, no referral" is shown on the timeline).
Decision checkReferralConsent(const PolicyConfig &config, const CaseFacts &facts, std::string_view consentId,
                              model::NeedCode need, const model::Timestamp &now);

/// C10 role defaults: the fields a destination of a role never receives,
/// whatever its partner profile allows. Enforced by the renderer.
struct FieldRestriction {
    std::string field;  ///< canonical wire name, e.g. "ssn", "account_number"
    std::string why;
};
const std::vector<FieldRestriction> &neverSentTo(model::PartnerRole role);

}  // namespace lendgate::policy

#endif  // LENDGATE_POLICY_POLICIES_H
