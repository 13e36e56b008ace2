// What a compliance policy decided, as a value the journal can keep for
// auditors: the policy, the outcome, the parameters from config/policies.json
// it applied, the facts it used and a sentence for a person.
//
// Facts never hold personal data: dates, statuses, state codes, chapters,
// ages in days and identifiers the gateway or a partner assigned (assignment
// and consent ids), never names, SSNs, account numbers or VINs.
#ifndef LENDGATE_POLICY_DECISION_H
#define LENDGATE_POLICY_DECISION_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lendgate::policy {

enum class Outcome {
    Allow,    ///< the message may proceed as far as this policy is concerned
    Hold,     ///< hold it (or every open assignment) until the reason ends
    Refuse,   ///< do not route it; the lender is told why
    Cancel,   ///< send CANCEL to the firms named in Decision::firms
    Release,  ///< send RELEASE_HOLD to the firms named: no hold reason remains
    Alert,    ///< raise an operator alert of Decision::severity
    Flag,     ///< put a compliance flag on the case for review
    Derive,   ///< the gateway derives something (a deadline, contact flags on an order)
};

enum class Severity { Warning, Critical };

std::string_view toString(Outcome outcome) noexcept;
std::string_view toString(Severity severity) noexcept;

using FactValue = std::variant<std::string, std::int64_t, bool>;

/// One named value a policy used, e.g. {"certificate_age_days", 31}.
struct Fact {
    std::string name;
    FactValue value;

    bool operator==(const Fact &) const = default;
};

struct Decision {
    std::string policyId;  ///< "C1".."C12"
    Outcome outcome = Outcome::Allow;
    std::optional<Severity> severity;  ///< set for Outcome::Alert only
    std::vector<Fact> parameters;      ///< from config/policies.json
    std::vector<Fact> facts;           ///< what the policy looked at
    std::string reason;                ///< one sentence for a person, no personal data
    /// The repo firms (partner ids) a HOLD, CANCEL, RELEASE or ALERT concerns;
    /// empty when it concerns only the incoming message.
    std::vector<std::string> firms;

    /// The named fact or parameter, when the decision recorded it.
    const FactValue *fact(std::string_view name) const;
    const FactValue *parameter(std::string_view name) const;

    bool operator==(const Decision &) const = default;
};

/// One JSON object: {"policy_id", "outcome", "severity"?, "parameters": {},
/// "facts": {}, "reason", "firms": []}, for the journal and the timeline.
std::string toJson(const Decision &decision);

/// A decision read back from toJson's text; nullopt when it is not one.
std::optional<Decision> decisionFromJson(std::string_view json);

}  // namespace lendgate::policy

#endif  // LENDGATE_POLICY_DECISION_H
