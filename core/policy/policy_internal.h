// Private to core/policy: decision builders and the per-group evaluators that
// policies.cpp combines.
#ifndef LENDGATE_POLICY_POLICY_INTERNAL_H
#define LENDGATE_POLICY_POLICY_INTERNAL_H

#include <cstdint>
#include <string>
#include <vector>

#include "core/policy/policies.h"

namespace lendgate::policy::detail {

inline Fact number(std::string name, std::int64_t value) {
    return Fact{std::move(name), FactValue(value)};
}
inline Fact text(std::string name, std::string value) {
    return Fact{std::move(name), FactValue(std::move(value))};
}
inline Fact boolean(std::string name, bool value) {
    return Fact{std::move(name), FactValue(value)};
}

inline Decision decide(std::string policyId, Outcome outcome, std::string reason) {
    Decision decision;
    decision.policyId = std::move(policyId);
    decision.outcome = outcome;
    decision.reason = std::move(reason);
    return decision;
}

inline model::Date addDays(const model::Date &date, std::int64_t days) {
    return model::Date::fromDaysSinceEpoch(date.daysSinceEpoch() + days);
}

inline std::int64_t daysFrom(const model::Date &from, const model::Date &to) {
    return to.daysSinceEpoch() - from.daysSinceEpoch();
}

/// "HARDSHIP_APPROVED app-7 until 2026-12-31; PARTIAL_PAYMENT 2026-11-02 until 2026-11-12"
std::string describe(const HoldSet &holds);

// assignment_checks.cpp: a lender's NEW order (C1, C2, C3, C4, C8, C9, C12).
void checkNewAssignment(const PolicyConfig &config, const CaseFacts &facts, const model::RepossessionAssignment &order,
                        const model::Timestamp &now, std::vector<Decision> &out);

// holds.cpp: events that start or end hold reasons, and cancels (C2, C4, C8).
void applyCaseEvent(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                    Evaluation &evaluation);
/// The HOLD/RELEASE decision for a change of the hold set from `before` to
/// evaluation.holds (nothing when it did not change).
void decideHoldTransition(const PolicyConfig &config, const CaseFacts &facts, const HoldSet &before,
                          std::string trigger, Evaluation &evaluation);

// outcome_checks.cpp: a repo firm's outcome event (C5, C6, C7, C8, C9, C12).
void checkOutcome(const PolicyConfig &config, const CaseFacts &facts, const model::Message &message,
                  std::vector<Decision> &out);

// contact_window.cpp (C9): the borrower's local second of the day for an
// instant, once per time zone the state spans; the zone names go to `zones`.
std::vector<int> localSecondsOfDay(const model::Timestamp &at, const std::optional<std::string> &state,
                                   std::vector<std::string> &zones);

}  // namespace lendgate::policy::detail

#endif  // LENDGATE_POLICY_POLICY_INTERNAL_H
