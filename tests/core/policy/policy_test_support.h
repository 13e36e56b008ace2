// Shared by the policy tests: the shipped config/policies.json, clock values
// and the canonical messages of a fictional Arizona/Colorado case.
#ifndef LENDGATE_TESTS_POLICY_TEST_SUPPORT_H
#define LENDGATE_TESTS_POLICY_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "core/policy/policies.h"

namespace lendgate::policy::test {

inline PolicyConfig shippedConfig() {
    Result<PolicyConfig> loaded = loadPolicyConfig(std::string(LENDGATE_SOURCE_DIR) + "/config/policies.json");
    if (!loaded.ok()) ADD_FAILURE() << loaded.error().message;
    return loaded.ok() ? loaded.value() : PolicyConfig{};
}

inline model::Timestamp at(const std::string &text) {
    std::optional<model::Timestamp> parsed = model::Timestamp::parse(text);
    if (!parsed) ADD_FAILURE() << "bad timestamp in test: " << text;
    return parsed.value_or(model::Timestamp{});
}

inline model::Date day(const std::string &text) {
    std::optional<model::Date> parsed = model::Date::parse(text);
    if (!parsed) ADD_FAILURE() << "bad date in test: " << text;
    return parsed.value_or(model::Date{});
}

inline constexpr const char *kVin = "1HGCM82633A004352";

/// A Phoenix borrower's notice: AZ loan, current NOT_ACTIVE certificate.
inline model::DelinquencyNotice phoenixNotice() {
    model::DelinquencyNotice notice;
    notice.loan.accountToken = "tok_dvb_0001";
    notice.loan.contractDate = day("2022-03-15");
    notice.loan.governingState = "AZ";
    model::Party borrower;
    borrower.name.last = "Example";
    model::Address home;
    home.line1 = "100 W Example St";
    home.city = "Phoenix";
    home.state = "AZ";
    home.postalCode = "85004";
    borrower.addresses.push_back(home);
    notice.parties.push_back(borrower);
    notice.collateral.vin = kVin;
    notice.asOf = day("2026-11-01");
    notice.daysPastDue = 45;
    notice.amountPastDue = *model::Decimal::parse("812.40");
    model::AccountFlags flags;
    model::ScraInfo scra;
    scra.status = model::ScraStatus::NotActive;
    scra.checkedAt = at("2026-11-01T09:00:00-07:00");
    flags.scra = scra;
    notice.flags = flags;
    return notice;
}

inline model::Message message(model::Payload payload, const std::string &occurredAt,
                              const std::string &sender = "desert-valley-bank") {
    model::Message m{model::Envelope{}, std::move(payload)};
    m.envelope.idempotencyKey = "rec-1";
    m.envelope.occurredAt = at(occurredAt);
    m.envelope.sender = sender;
    return m;
}

inline model::RepossessionAssignment newOrder(const std::string &id = "DVB-A-1001") {
    model::RepossessionAssignment order;
    order.assignmentId = id;
    order.action = model::AssignmentAction::New;
    order.orderType = model::OrderType::Involuntary;
    model::Collateral collateral;
    collateral.vin = kVin;
    order.collateral = collateral;
    model::Debtor debtor;
    debtor.name.last = "Example";
    order.debtors.push_back(debtor);
    return order;
}

/// The single decision of a policy in an evaluation (a test failure if not
/// exactly one). A copy, so it outlives a temporary evaluation.
inline Decision only(const Evaluation &evaluation, std::string_view policyId) {
    const std::vector<const Decision *> found = evaluation.of(policyId);
    EXPECT_EQ(found.size(), 1u) << "decisions of " << policyId;
    return found.size() == 1 ? *found.front() : Decision{};
}

inline std::string str(const Decision &d, std::string_view name) {
    const FactValue *v = d.fact(name);
    if (v == nullptr) v = d.parameter(name);
    if (v == nullptr) return "<absent>";
    if (const auto *s = std::get_if<std::string>(v)) return *s;
    if (const auto *n = std::get_if<std::int64_t>(v)) return std::to_string(*n);
    return std::get<bool>(*v) ? "true" : "false";
}

}  // namespace lendgate::policy::test

#endif  // LENDGATE_TESTS_POLICY_TEST_SUPPORT_H
