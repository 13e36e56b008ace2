// The clock's pass: the policies' evaluateClock on every watched case, each
// ALERT decision journaled under a key that stays the same from pass to pass.
#include "core/lifecycle/case_clock.h"

#include <variant>

#include "core/config/gateway_config.h"
#include "core/lifecycle/case_policy.h"
#include "core/policy/policies.h"

namespace lendgate::lifecycle {
namespace {

std::string textFact(const policy::Decision &decision, std::string_view name) {
    const policy::FactValue *value = decision.fact(name);
    const auto *text = value != nullptr ? std::get_if<std::string>(value) : nullptr;
    return text != nullptr ? *text : std::string();
}

// The control's position among the case's controls stays put once it is
// journaled (its sent time moves from queued to delivered), so the key of
// an overdue acknowledgement does too.
std::string alertKey(const policy::Decision &decision, const policy::CaseFacts &facts, const std::string &caseId) {
    const std::string assignment = textFact(decision, "assignment_id");
    std::string key = "clock:" + decision.policyId + ":" + caseId + ":" + assignment + ":";
    if (decision.policyId == "C5") {
        const std::string action = textFact(decision, "control_action");
        const std::string sentAt = textFact(decision, "control_sent_at");
        const std::string firm = decision.firms.empty() ? std::string() : decision.firms.front();
        for (std::size_t i = 0; i < facts.controlsSent.size(); ++i) {
            const policy::ControlSent &control = facts.controlsSent[i];
            if (control.firm == firm && control.assignmentId == assignment &&
                model::toString(control.action) == action && control.sentAt.toString() == sentAt)
                return key + "control-" + std::to_string(i);
        }
        return key + sentAt;
    }
    return key + textFact(decision, "event") + ":" + textFact(decision, "occurred_at");
}

}  // namespace

Result<ClockPass> runClock(journal::Journal &journal, const config::GatewayConfig &config, std::int64_t nowMs) {
    ClockPass pass;
    if (!config.policies) return pass;
    const std::int64_t since = nowMs - std::int64_t{config.alerts.watchDays} * 86400000;
    auto cases = journal.casesToWatch(since);
    if (!cases) return cases.error();
    const model::Timestamp now =
        model::Timestamp::fromUnix(nowMs / 1000, static_cast<std::uint32_t>(nowMs % 1000) * 1000000u, 0);
    for (const std::string &caseId : cases.value()) {
        auto facts = loadCaseFacts(journal, config, caseId);
        if (!facts) return facts.error();
        ++pass.casesLookedAt;
        const policy::Evaluation evaluation = policy::evaluateClock(*config.policies, facts.value(), now);
        for (const policy::Decision &decision : evaluation.decisions) {
            if (decision.outcome != policy::Outcome::Alert) continue;
            journal::AlertRecord alert = alertOf(decision, caseId, alertKey(decision, facts.value(), caseId));
            alert.atMs = nowMs;
            auto raised = journal.raiseAlert(alert);
            if (!raised) return raised.error();
            if (raised.value()) ++pass.alertsRaised;
        }
    }
    return pass;
}

}  // namespace lendgate::lifecycle
