#include "core/policy/decision.h"

#include <nlohmann/json.hpp>

namespace lendgate::policy {

namespace {

const FactValue *find(const std::vector<Fact> &list, std::string_view name) {
    for (const Fact &fact : list) {
        if (fact.name == name) return &fact.value;
    }
    return nullptr;
}

nlohmann::json toObject(const std::vector<Fact> &list) {
    nlohmann::json object = nlohmann::json::object();
    for (const Fact &fact : list) {
        std::visit([&](const auto &value) { object[fact.name] = value; }, fact.value);
    }
    return object;
}

}  // namespace

std::string_view toString(Outcome outcome) noexcept {
    switch (outcome) {
        case Outcome::Allow: return "ALLOW";
        case Outcome::Hold: return "HOLD";
        case Outcome::Refuse: return "REFUSE";
        case Outcome::Cancel: return "CANCEL";
        case Outcome::Release: return "RELEASE";
        case Outcome::Alert: return "ALERT";
        case Outcome::Flag: return "FLAG";
        case Outcome::Derive: return "DERIVE";
    }
    return "UNKNOWN";
}

std::string_view toString(Severity severity) noexcept {
    return severity == Severity::Critical ? "critical" : "warning";
}

const FactValue *Decision::fact(std::string_view name) const {
    return find(facts, name);
}

const FactValue *Decision::parameter(std::string_view name) const {
    return find(parameters, name);
}

std::string toJson(const Decision &decision) {
    nlohmann::json out;
    out["policy_id"] = decision.policyId;
    out["outcome"] = toString(decision.outcome);
    if (decision.severity) out["severity"] = toString(*decision.severity);
    out["parameters"] = toObject(decision.parameters);
    out["facts"] = toObject(decision.facts);
    out["reason"] = decision.reason;
    out["firms"] = decision.firms;
    return out.dump();
}

}  // namespace lendgate::policy
