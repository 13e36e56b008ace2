// An operator ends one reason of a case's hold (C4). A hold is a set of
// reasons and RELEASE_HOLD goes out only when the last one ends; sometimes a
// person knows a reason has ended before any message says so (the lender
// phoned to say the arrangement was kept, a hardship review was dropped).
//
// The release is journaled as a decision about the case (policy C4, the
// reason, who released it and why) with the RELEASE_HOLD it sends, in one
// lifecycle batch. The case's history folds that decision in its place among
// the messages, so later messages do not bring the reason back.
#ifndef LENDGATE_LIFECYCLE_HOLD_RELEASE_H
#define LENDGATE_LIFECYCLE_HOLD_RELEASE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/journal/journal.h"
#include "core/journal/ulid.h"
#include "core/policy/case_facts.h"

namespace lendgate::config {
struct GatewayConfig;
}

namespace lendgate::lifecycle {

/// The case's hold reasons in force now (reasons whose last day has passed
/// everywhere in the United States are not). Unknown case: kNotFound.
Result<std::vector<policy::HoldReason>> holdsInForce(journal::Journal &journal, const config::GatewayConfig &config,
                                                     std::string_view caseId, std::int64_t nowMs);

struct HoldRelease {
    std::string caseId;
    std::string kind;   ///< as the timeline writes it: "HARDSHIP_APPLICATION", "ARRANGEMENT", ...
    std::string key;    ///< the application id, "<type> <start date>", the payment date
    std::string actor;  ///< who released it: "admin:<token id>", "cli:<user>"
    std::string note;   ///< why, for the auditor; optional, no personal data
};

struct HoldReleased {
    bool holdEnded = false;  ///< no reason remains: RELEASE_HOLD went out and held orders are due
    std::size_t releaseHoldsSent = 0;
    std::vector<policy::HoldReason> remaining;
};

/// kInvalidArgument: an unknown kind, or a note over 500 characters.
/// kNotFound: no such case. kInvalidState: the policies are off, or no such
/// reason is in force on the case.
Result<HoldReleased> releaseHold(journal::Journal &journal, const config::GatewayConfig &config,
                                 const HoldRelease &release, std::int64_t nowMs, journal::UlidGenerator &ulids);

}  // namespace lendgate::lifecycle

#endif  // LENDGATE_LIFECYCLE_HOLD_RELEASE_H
