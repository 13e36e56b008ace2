// The clock's pass: the policies' evaluateClock on every watched case, each
// ALERT decision journaled under a key that stays the same from pass to
// pass, and hold reasons that ran out ended (C4).
#include "core/lifecycle/case_clock.h"

#include <algorithm>
#include <cstdio>
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

// FNV-1a: a short, stable name for a set of reasons (an idempotency key has
// room for a case id and this, not for every reason's text).
std::string fingerprint(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

// The C4 decisions of a pass (hold reasons that ran out), journaled once per
// case and set of reasons that ended: RELEASE_HOLD to each firm holding an assignment when no
// reason remains, and the orders held for the case become due.
Result<bool> endExpiredHolds(journal::Journal &journal, const std::string &caseId, const policy::CaseFacts &facts,
                             const policy::Evaluation &evaluation, const model::Timestamp &now,
                             journal::UlidGenerator &ulids) {
    const std::vector<const policy::Decision *> c4 = evaluation.of("C4");
    if (c4.empty()) return false;
    // The trigger names the reasons that ran out: the next pass, which sees
    // the same ones, is the same batch and writes nothing.
    const std::string ended = fingerprint(textFact(*c4.front(), "trigger"));
    CaseChange change{caseId,
                      "clock",
                      "clock:C4:" + caseId + ":" + ended,
                      {},
                      ControlCause{caseId, std::nullopt, "clock-" + ended, model::AssignmentReason::Other},
                      {}};
    for (const policy::Decision *decision : c4) change.decisions.push_back(*decision);
    auto written = journalCaseChange(journal, change, facts, now, ulids);
    if (!written) return written.error();
    return written.value().written;
}

// An order a policy held (a cure period, an SCRA certificate, a disposition
// notice, the case's hold) is asked again with the case as it stands now:
// when no policy holds or refuses it any more, its held deliveries go out,
// once (the message names the batch). An order refused now stays held: a
// person decides that, as for one a policy now cancels. What C4 alone held
// goes out with the hold's end.
Result<std::size_t> releaseOrdersNoLongerHeld(journal::Journal &journal, const config::GatewayConfig &config,
                                              const std::string &caseId,
                                              const std::vector<journal::CaseHistoryEntry> &history,
                                              policy::CaseFacts facts, const model::Timestamp &now,
                                              journal::UlidGenerator &ulids) {
    facts.holds.expire(now.localDate());
    std::size_t released = 0;
    for (const journal::CaseHistoryEntry &entry : history) {
        const bool held = std::any_of(entry.deliveries.begin(), entry.deliveries.end(), [](const auto &d) {
            return !d.heldBy.empty() && !d.heldBy.starts_with("C4:") && d.state == journal::DeliveryState::Pending;
        });
        if (!held || entry.canonicalJson.empty()) continue;
        auto parsed = model::parseMessage(entry.canonicalJson);
        if (!parsed.ok()) continue;
        const policy::Evaluation evaluation = policy::evaluateMessage(*config.policies, facts, *parsed.message, now);
        // Only an allowed order goes out; the re-check sends no HOLD or CANCEL of its own.
        if (evaluation.has(policy::Outcome::Hold) || evaluation.has(policy::Outcome::Refuse) ||
            evaluation.has(policy::Outcome::Cancel) || evaluation.has(policy::Outcome::Release))
            continue;
        CaseChange change{caseId, "clock", "clock:release:" + entry.summary.messageId, {}, {}, {}};
        for (const policy::Decision &decision : evaluation.decisions) {
            policy::Decision &asked = change.decisions.emplace_back(decision);
            asked.facts.push_back({"released_order", entry.summary.messageId});
        }
        change.releasesHeldOf.push_back(entry.summary.messageId);
        auto written = journalCaseChange(journal, change, facts, now, ulids);
        if (!written) return written.error();
        if (written.value().written) ++released;
    }
    return released;
}

}  // namespace

Result<ClockPass> runClock(journal::Journal &journal, const config::GatewayConfig &config, std::int64_t nowMs,
                           journal::UlidGenerator &ulids) {
    ClockPass pass;
    if (!config.policies) return pass;
    const std::int64_t since = nowMs - std::int64_t{config.alerts.watchDays} * 86400000;
    auto cases = journal.casesToWatch(since);
    if (!cases) return cases.error();
    const model::Timestamp now = model::Timestamp::fromUnix(
        nowMs / 1000, static_cast<std::uint32_t>(nowMs % 1000) * 1000000u, kLatestUsOffsetMinutes);
    for (const std::string &caseId : cases.value()) {
        auto history = journal.caseHistory(caseId);
        if (!history) return history.error();
        const policy::CaseFacts facts = foldHistory(config, history.value());
        ++pass.casesLookedAt;
        const policy::Evaluation evaluation = policy::evaluateClock(*config.policies, facts, now);
        auto ended = endExpiredHolds(journal, caseId, facts, evaluation, now, ulids);
        if (!ended) return ended.error();
        if (ended.value()) ++pass.holdChanges;
        auto released = releaseOrdersNoLongerHeld(journal, config, caseId, history.value(), facts, now, ulids);
        if (!released) return released.error();
        pass.ordersReleased += released.value();
        for (const policy::Decision &decision : evaluation.decisions) {
            if (decision.outcome != policy::Outcome::Alert) continue;
            journal::AlertRecord alert = alertOf(decision, caseId, alertKey(decision, facts, caseId));
            alert.atMs = nowMs;
            auto raised = journal.raiseAlert(alert);
            if (!raised) return raised.error();
            if (raised.value()) ++pass.alertsRaised;
        }
    }
    return pass;
}

}  // namespace lendgate::lifecycle
