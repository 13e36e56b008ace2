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

std::vector<Fact> fromObject(const nlohmann::json &object) {
    std::vector<Fact> list;
    if (!object.is_object()) return list;
    for (const auto &[name, value] : object.items()) {
        if (value.is_boolean())
            list.push_back({name, value.get<bool>()});
        else if (value.is_number_integer())
            list.push_back({name, value.get<std::int64_t>()});
        else if (value.is_string())
            list.push_back({name, value.get<std::string>()});
    }
    return list;
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

std::optional<Decision> decisionFromJson(std::string_view json) {
    const nlohmann::json in = nlohmann::json::parse(json, nullptr, false);
    if (!in.is_object() || !in.contains("policy_id") || !in["policy_id"].is_string()) return std::nullopt;
    Decision decision;
    decision.policyId = in["policy_id"].get<std::string>();
    const std::string outcome = in.value("outcome", "");
    bool known = false;
    for (Outcome candidate : {Outcome::Allow, Outcome::Hold, Outcome::Refuse, Outcome::Cancel, Outcome::Release,
                              Outcome::Alert, Outcome::Flag, Outcome::Derive}) {
        if (toString(candidate) == outcome) {
            decision.outcome = candidate;
            known = true;
        }
    }
    if (!known) return std::nullopt;
    if (in.value("severity", "") == "critical")
        decision.severity = Severity::Critical;
    else if (in.contains("severity"))
        decision.severity = Severity::Warning;
    if (in.contains("parameters")) decision.parameters = fromObject(in["parameters"]);
    if (in.contains("facts")) decision.facts = fromObject(in["facts"]);
    decision.reason = in.value("reason", "");
    if (in.contains("firms") && in["firms"].is_array())
        for (const auto &firm : in["firms"])
            if (firm.is_string()) decision.firms.push_back(firm.get<std::string>());
    return decision;
}

}  // namespace lendgate::policy
