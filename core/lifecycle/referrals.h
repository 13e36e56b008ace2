// Referrals: a need the borrower stated, with consent, becomes a referral to
// the nonprofit that serves that need where the borrower lives (DOMAIN.md
// C11, "Compassion, made concrete").
//
// Where needs come from: the interactions of a repo firm's outcome (the
// agent's record of what the borrower said), and the scope of a consent
// embedded in a hardship application. A GRANT that arrives later covers the
// needs stated before it. Which nonprofit: the first (by partner id) whose
// HSDS directory has an active service carrying one of the need's taxonomy
// terms (config "referrals") and covering the borrower's ZIP, among those
// that take referrals for that need. Every need considered leaves a C11
// decision on the case's timeline: the consent that allowed the referral, or
// why none was made. A REVOKE stops every referral of that consent not yet
// delivered.
#ifndef LENDGATE_LIFECYCLE_REFERRALS_H
#define LENDGATE_LIFECYCLE_REFERRALS_H

#include <string>
#include <vector>

#include "core/journal/journal.h"
#include "core/journal/ulid.h"
#include "core/model/message.h"
#include "core/policy/case_facts.h"

namespace lendgate::config {
struct GatewayConfig;
}

namespace lendgate::lifecycle {

struct ReferralActions {
    std::vector<journal::PolicyDecisionRecord> decisions;
    /// Referrals addressed to their nonprofit, and the consent a hardship
    /// application carries, recorded as a consent message of its own.
    std::vector<journal::IntakeRecord> followUps;
    /// REVOKE: the referrals whose deliveries stop, and why.
    std::vector<std::string> stops;
    std::string stopReason;
};

/// What `message` (with its message id and case id) means for the case's
/// referrals. Nothing when policy C11 is disabled: without the consent check
/// no referral may go out.
ReferralActions deriveReferrals(const config::GatewayConfig &config, const policy::CaseFacts &facts,
                                const model::Message &message, const model::Timestamp &now,
                                journal::UlidGenerator &ulids);

}  // namespace lendgate::lifecycle

#endif  // LENDGATE_LIFECYCLE_REFERRALS_H
