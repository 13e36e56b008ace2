// The compliance policies, applied to a case's incoming messages.
//
// core/policy decides from facts; this room gathers those facts from the
// journal (a case's messages replayed in order: every decision can be
// replayed the same way for an auditor) and turns decisions into what the
// journal records with the message: the decisions themselves, an order
// refused or held, the HOLD, CANCEL and RELEASE_HOLD the gateway sends to
// every firm holding an assignment, and the end of a hold.
#ifndef LENDGATE_LIFECYCLE_CASE_POLICY_H
#define LENDGATE_LIFECYCLE_CASE_POLICY_H

#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/journal/journal.h"
#include "core/journal/ulid.h"
#include "core/model/message.h"
#include "core/policy/case_facts.h"
#include "core/policy/decision.h"
#include "core/policy/policy_config.h"

namespace lendgate::config {
struct GatewayConfig;
}

namespace lendgate::lifecycle {

/// The sender under which the gateway journals what it sends on its own.
inline constexpr std::string_view kGatewaySender = "lendgate";

/// What the journal knows about the case, from its messages in the order
/// they were received (an unknown case: no facts). Bodies erased by
/// retention, or kept only in a blob, add nothing.
Result<policy::CaseFacts> loadCaseFacts(journal::Journal &journal, const config::GatewayConfig &config,
                                        std::string_view caseId);

/// The facts a case's history (Journal::caseHistory) comes to.
policy::CaseFacts foldHistory(const config::GatewayConfig &config,
                              const std::vector<journal::CaseHistoryEntry> &history);

/// One journaled message of the case folded into its facts; `deliveries`
/// are the message's (who received it, whether a policy holds it).
void foldMessage(const config::GatewayConfig &config, policy::CaseFacts &facts, const model::Message &message,
                 const journal::MessageSummary &summary, const std::vector<journal::DeliveryInfo> &deliveries);

/// What the policies make of one incoming message.
struct PolicyActions {
    std::vector<journal::PolicyDecisionRecord> decisions;
    bool refused = false;  ///< a NEW order that is not routed at all
    std::string heldBy;    ///< a NEW order routed, but held until the case's hold ends
    /// HOLD, CANCEL or RELEASE_HOLD for each open assignment of each firm a
    /// decision names, addressed and critical (HOLD, CANCEL).
    std::vector<journal::IntakeRecord> controls;
    bool releasesHeld = false;         ///< the case's hold ended: orders held for it go out
    bool derivesContactFlags = false;  ///< C9 DERIVE: the order must carry the case's contact flags (markOrder)
    /// An alert for each ALERT decision (C5: a recovery after a HOLD was sent).
    std::vector<journal::AlertRecord> alerts;
    /// For the sender's ACK: why a NEW order was refused or is held.
    std::vector<journal::RejectReason> warnings;
};

/// What a control the gateway sends answers to: the case, the message that
/// caused it (none for the clock), the stem of its idempotency key
/// ("gateway:<action>:<stem>:<assignment>") and the reason the firm reads.
struct ControlCause {
    std::optional<std::string> caseId;
    std::optional<std::string> causationId;
    std::string keyStem;
    model::AssignmentReason reason = model::AssignmentReason::Other;
};

/// HOLD, CANCEL or RELEASE_HOLD (by the decision's outcome; none for other
/// outcomes) for each open assignment of each firm the decision names,
/// addressed to the firm; HOLD and CANCEL critical.
std::vector<journal::IntakeRecord> controlsFor(const policy::Decision &decision, const policy::CaseFacts &facts,
                                               const ControlCause &cause, const model::Timestamp &now,
                                               journal::UlidGenerator &ulids);

/// Decisions about a case made without a partner's message (the clock ending
/// a hold, an operator releasing a reason), journaled in one lifecycle batch
/// (sender "lendgate") with the HOLD, CANCEL or RELEASE_HOLD each sends; a
/// RELEASE makes the orders C4 held due, and releasesHeldOf the held
/// deliveries of those messages. The batch is written once per idempotency
/// key.
struct CaseChange {
    std::string caseId;
    std::string channel;         ///< "clock", "operator"
    std::string idempotencyKey;  ///< names the change, e.g. "clock:C4:<case>:<reasons>"
    std::vector<policy::Decision> decisions;
    ControlCause cause;
    std::vector<std::string> releasesHeldOf;  ///< message ids of orders no policy holds any more
};
struct CaseChangeWritten {
    bool written = false;      ///< false: a batch with this key was journaled before
    std::size_t controls = 0;  ///< HOLD, CANCEL and RELEASE_HOLD messages it sends
};
Result<CaseChangeWritten> journalCaseChange(journal::Journal &journal, const CaseChange &change,
                                            const policy::CaseFacts &facts, const model::Timestamp &now,
                                            journal::UlidGenerator &ulids);

/// The alert an ALERT decision raises: kind "policy:<id>", its severity, the
/// first firm it names, the reason and the whole decision as detail.
journal::AlertRecord alertOf(const policy::Decision &decision, std::string_view caseId, std::string dedupeKey = {});

/// What the gateway writes into a firm's outcome for the lender (DOMAIN.md):
/// the alerts policies raised about it (C5 marks a recovery after a HOLD as
/// a possible wrongful repossession) and the Metro 2 codes it maps to (95,
/// 96; AZ, AO after a surrender, AI while the borrower is on active duty).
void markOutcome(model::RepossessionOutcome &outcome, const policy::CaseFacts &facts,
                 const std::vector<journal::AlertRecord> &alerts);

/// C9's DERIVE made good: the order carries the case's contact restrictions
/// (cease-communication, attorney representation) to the firm, whatever the
/// lender's order said. False when it already did.
bool markOrder(model::RepossessionAssignment &order, const policy::CaseFacts &facts);

/// `message` must carry its message id and case id. `now` is the time of
/// receipt; calendar-day rules count in the offset the sender wrote
/// occurred_at with (the partner's business day).
PolicyActions applyPolicies(const policy::PolicyConfig &policies, const policy::CaseFacts &facts,
                            const model::Message &message, std::int64_t nowMs, journal::UlidGenerator &ulids);

}  // namespace lendgate::lifecycle

#endif  // LENDGATE_LIFECYCLE_CASE_POLICY_H
