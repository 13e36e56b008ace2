#include "core/lifecycle/hold_release.h"

#include <utility>

#include "core/config/gateway_config.h"
#include "core/lifecycle/case_clock.h"
#include "core/lifecycle/case_policy.h"
#include "core/policy/policies.h"

namespace lendgate::lifecycle {
namespace {

constexpr std::size_t kMaxNoteLength = 500;

model::Timestamp clockTime(std::int64_t nowMs) {
    return model::Timestamp::fromUnix(nowMs / 1000, static_cast<std::uint32_t>(nowMs % 1000) * 1000000u,
                                      kLatestUsOffsetMinutes);
}

// The case as it stands now: its facts, with the reasons that ran out by
// date already gone (the clock may not have passed yet).
Result<policy::CaseFacts> caseNow(journal::Journal &journal, const config::GatewayConfig &config,
                                  std::string_view caseId, const model::Timestamp &now) {
    auto history = journal.caseHistory(caseId);
    if (!history) return history.error();
    if (history.value().empty()) return Error{std::string(journal::errc::kNotFound), "no such case"};
    policy::CaseFacts facts = foldHistory(config, history.value());
    facts.holds.expire(now.localDate());
    return facts;
}

}  // namespace

Result<std::vector<policy::HoldReason>> holdsInForce(journal::Journal &journal, const config::GatewayConfig &config,
                                                     std::string_view caseId, std::int64_t nowMs) {
    auto facts = caseNow(journal, config, caseId, clockTime(nowMs));
    if (!facts) return facts.error();
    return facts.value().holds.reasons();
}

Result<HoldReleased> releaseHold(journal::Journal &journal, const config::GatewayConfig &config,
                                 const HoldRelease &release, std::int64_t nowMs, journal::UlidGenerator &ulids) {
    const auto invalid = [](std::string text) {
        return Error{std::string(journal::errc::kInvalidArgument), std::move(text)};
    };
    const auto kind = policy::holdKindFromString(release.kind);
    if (!kind)
        return invalid("kind must be one of HARDSHIP_APPLICATION, HARDSHIP_APPROVED, ARRANGEMENT, PARTIAL_PAYMENT");
    if (release.key.empty()) return invalid("key names the reason: the application id, arrangement or payment date");
    if (release.note.size() > kMaxNoteLength) return invalid("note is longer than 500 characters");
    if (!config.policies || !config.policies->c4.enabled)
        return Error{std::string(journal::errc::kInvalidState), "policy C4 is off: the gateway holds nothing"};
    const model::Timestamp now = clockTime(nowMs);
    auto facts = caseNow(journal, config, release.caseId, now);
    if (!facts) return facts.error();
    policy::Evaluation evaluation = policy::releaseHoldReason(*config.policies, facts.value(), *kind, release.key, now);
    if (evaluation.decisions.empty())
        return Error{std::string(journal::errc::kInvalidState),
                     "no " + release.kind + " hold reason with that key is in force on the case"};
    HoldReleased released;
    for (policy::Decision &decision : evaluation.decisions) {
        decision.facts.push_back({"released_by", release.actor});
        if (!release.note.empty()) decision.facts.push_back({"note", release.note});
        if (decision.outcome == policy::Outcome::Release) released.holdEnded = true;
    }
    const std::string id = ulids.next();
    CaseChange change{release.caseId,
                      "operator",
                      "operator:C4:" + release.caseId + ":" + id,
                      std::move(evaluation.decisions),
                      ControlCause{release.caseId, std::nullopt, "operator-" + id, model::AssignmentReason::Other},
                      {}};
    auto written = journalCaseChange(journal, change, facts.value(), now, ulids);
    if (!written) return written.error();
    released.releaseHoldsSent = written.value().controls;
    released.remaining = evaluation.holds.reasons();
    return released;
}

}  // namespace lendgate::lifecycle
