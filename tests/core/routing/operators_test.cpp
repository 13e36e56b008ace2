// Every predicate operator and combinator, on a real delinquency notice (the
// model's golden record), including the exact decimal and date edge cases.
#include <string>

#include "tests/core/routing/routing_test_support.h"

namespace lendgate::routing {
namespace {

using nlohmann::json;
using testing::golden;
using testing::inputFor;
using testing::loadRules;

// Desert Valley Bank's notice for Marisol Quintero: governing_state AZ,
// product AUTO_RIC, days_past_due 45, amount_past_due "612.40", as_of
// 2026-11-22, home ZIP 85041-2208, SCRA checked 2026-11-21T14:05:33Z, no
// bankruptcy flag.
json notice() {
    return golden("delinquency_notice_full");
}

json with(json record, const std::string &pointer, json value) {
    record[json::json_pointer(pointer)] = std::move(value);
    return record;
}

json test(const std::string &pointer, const std::string &op, json value) {
    return {{"pointer", pointer}, {"op", op}, {"value", std::move(value)}};
}

// Whether a rule whose payload is exactly these predicates matches the record.
bool matches(const json &predicates, const std::string &record) {
    const json rule = {{"id", "under-test"},
                       {"match", {{"message_types", {"delinquency_notice"}}, {"payload", predicates}}},
                       {"destinations", {"copper-state-lossmit"}}};
    const RouteTable table = loadRules({rule});
    return table
        .route(
            inputFor(model::MessageType::DelinquencyNotice, "desert-valley-bank", model::PartnerRole::Lender, record))
        .routed();
}

bool holds(const json &predicate, const json &record = notice()) {
    return matches(json::array({predicate}), record.dump());
}

TEST(RoutingOperators, EqualsComparesTextNumbersAndBooleansByTheOperandsType) {
    EXPECT_TRUE(holds(test("/payload/loan/governing_state", "equals", "AZ")));
    EXPECT_FALSE(holds(test("/payload/loan/governing_state", "equals", "MO")));
    EXPECT_TRUE(holds(test("/payload/days_past_due", "equals", 45)));
    EXPECT_FALSE(holds(test("/payload/days_past_due", "equals", 44)));
    EXPECT_TRUE(holds(test("/payload/flags/cease_communication", "equals", false)));
    EXPECT_FALSE(holds(test("/payload/flags/cease_communication", "equals", true)));
    EXPECT_TRUE(holds(test("/sender", "equals", "desert_valley_bank")));
}

TEST(RoutingOperators, EqualsWithANumberComparesAmountStringsExactly) {
    EXPECT_FALSE(holds(test("/payload/amount_past_due", "equals", 612)));  // "612.40"
    EXPECT_TRUE(
        holds(test("/payload/amount_past_due", "equals", 612), with(notice(), "/payload/amount_past_due", "612.00")));
    EXPECT_TRUE(holds(test("/payload/balance", "equals", 0), with(notice(), "/payload/balance", "-0.00")));
    EXPECT_TRUE(holds(test("/payload/balance", "equals", 0), with(notice(), "/payload/balance", "0")));
    // A string operand compares text: "612.4" is not the text "612.40".
    EXPECT_FALSE(holds(test("/payload/amount_past_due", "equals", "612.4")));
    EXPECT_TRUE(holds(test("/payload/amount_past_due", "equals", "612.40")));
}

TEST(RoutingOperators, EqualsIsFalseForAnAbsentFieldAndNotEqualsToo) {
    const std::string chapter = "/payload/flags/bankruptcy/chapter";
    EXPECT_FALSE(holds(test(chapter, "equals", 7)));
    EXPECT_FALSE(holds(test(chapter, "not_equals", 7)));
    EXPECT_TRUE(holds(json{{"not", test(chapter, "equals", 7)}}));
}

TEST(RoutingOperators, NotEqualsHoldsForAPresentDifferentValue) {
    EXPECT_TRUE(holds(test("/payload/loan/governing_state", "not_equals", "CA")));
    EXPECT_FALSE(holds(test("/payload/loan/governing_state", "not_equals", "AZ")));
    EXPECT_TRUE(holds(test("/payload/days_past_due", "not_equals", 30)));
}

TEST(RoutingOperators, InMatchesAnyListedValue) {
    EXPECT_TRUE(holds(test("/payload/loan/product", "in", {"AUTO_LOAN", "AUTO_RIC"})));
    EXPECT_FALSE(holds(test("/payload/loan/product", "in", {"RV", "MOTORCYCLE"})));
    EXPECT_TRUE(holds(test("/payload/days_past_due", "in", {30, 45, 60})));
    EXPECT_FALSE(holds(test("/payload/days_past_due", "in", {30, 60})));
    EXPECT_FALSE(holds(test("/payload/flags/bankruptcy/chapter", "in", {7, 13})));
}

TEST(RoutingOperators, PrefixMatchesTheStartOfText) {
    const std::string zip = "/payload/parties/0/addresses/0/postal_code";  // "85041-2208"
    EXPECT_TRUE(holds(test(zip, "prefix", "850")));
    EXPECT_TRUE(holds(test(zip, "prefix", {"857", "850"})));
    EXPECT_FALSE(holds(test(zip, "prefix", {"857", "852"})));
    EXPECT_TRUE(holds(test(zip, "prefix", "85041-2208")));
    EXPECT_FALSE(holds(test(zip, "prefix", "85041-22081")));
    EXPECT_FALSE(holds(test("/payload/parties/0/addresses/5/postal_code", "prefix", "850")));
    // The cosigner (parties/1) lives in Tucson.
    EXPECT_TRUE(holds(test("/payload/parties/1/addresses/0/postal_code", "prefix", "857")));
}

TEST(RoutingOperators, ExistsTestsPresenceOfScalarsObjectsAndArrayElements) {
    EXPECT_TRUE(holds(test("/payload/flags/bankruptcy", "exists", false)));
    EXPECT_FALSE(holds(test("/payload/flags/bankruptcy", "exists", true)));
    EXPECT_TRUE(holds(test("/payload/flags/scra", "exists", true)));
    EXPECT_TRUE(holds(test("/payload/parties/1", "exists", true)));
    EXPECT_TRUE(holds(test("/payload/parties/2", "exists", false)));
    EXPECT_TRUE(holds(test("/payload/notices_sent/0/cosigners_notified", "exists", true)));
}

TEST(RoutingOperators, NumericComparisonsAreExactOnAmountStrings) {
    const json record = with(notice(), "/payload/amount_past_due", "100.10");
    const std::string amount = "/payload/amount_past_due";
    // "100.10" and "100.1" are the same amount.
    EXPECT_TRUE(holds(test(amount, "le", "100.1"), record));
    EXPECT_TRUE(holds(test(amount, "ge", "100.1"), record));
    EXPECT_FALSE(holds(test(amount, "lt", "100.1"), record));
    EXPECT_FALSE(holds(test(amount, "gt", "100.1"), record));
    EXPECT_TRUE(holds(test(amount, "gt", 100), record));
    EXPECT_TRUE(holds(test(amount, "lt", 101), record));
    EXPECT_TRUE(holds(test(amount, "lt", "100.1001"), record));
    EXPECT_TRUE(holds(test(amount, "gt", "100.0999"), record));
}

TEST(RoutingOperators, NegativeZeroIsZero) {
    const json record = with(notice(), "/payload/balance", "-0.00");
    EXPECT_TRUE(holds(test("/payload/balance", "ge", 0), record));
    EXPECT_TRUE(holds(test("/payload/balance", "le", "0.0"), record));
    EXPECT_FALSE(holds(test("/payload/balance", "lt", 0), record));
    EXPECT_TRUE(holds(test("/payload/balance", "gt", "-0.01"), record));
    EXPECT_TRUE(holds(test("/payload/balance", "lt", "0.0001"), with(notice(), "/payload/balance", "-0")));
}

TEST(RoutingOperators, AmountsBeyondDoublePrecisionStillCompareExactly) {
    // Both are the same double; as decimals they differ in the last digit.
    const json record = with(notice(), "/payload/payoff_amount", "999999999999999.9999");
    EXPECT_TRUE(holds(test("/payload/payoff_amount", "gt", "999999999999999.9998"), record));
    EXPECT_FALSE(holds(test("/payload/payoff_amount", "gt", "999999999999999.9999"), record));
}

TEST(RoutingOperators, NumericComparisonsOnIntegerFields) {
    EXPECT_TRUE(holds(test("/payload/days_past_due", "ge", 45)));
    EXPECT_FALSE(holds(test("/payload/days_past_due", "gt", 45)));
    EXPECT_TRUE(holds(test("/payload/days_past_due", "lt", "45.5")));
    EXPECT_TRUE(holds(test("/payload/days_past_due", "gt", -1)));
    // A number written with a fraction or exponent in a record is read as written.
    EXPECT_TRUE(holds(test("/payload/days_past_due", "equals", 45), with(notice(), "/payload/days_past_due", 45.0)));
    const json dueTest = json::array({test("/payload/days_past_due", "ge", 0)});
    EXPECT_TRUE(matches(dueTest, R"({"payload":{"days_past_due":45.00}})"));
    EXPECT_FALSE(matches(dueTest, R"({"payload":{"days_past_due":4.5e1}})"));
}

TEST(RoutingOperators, DateComparisonsOnFullDates) {
    const std::string asOf = "/payload/as_of";  // 2026-11-22
    EXPECT_TRUE(holds(test(asOf, "before", "2026-11-23")));
    EXPECT_FALSE(holds(test(asOf, "before", "2026-11-22")));
    EXPECT_TRUE(holds(test(asOf, "on_or_before", "2026-11-22")));
    EXPECT_FALSE(holds(test(asOf, "after", "2026-11-22")));
    EXPECT_TRUE(holds(test(asOf, "on_or_after", "2026-11-22")));
    EXPECT_TRUE(holds(test(asOf, "after", "2025-12-31")));
    EXPECT_TRUE(holds(test(asOf, "on_or_after", "2028-02-29"), with(notice(), asOf, "2028-02-29")));
    EXPECT_TRUE(holds(test(asOf, "before", "2028-03-01"), with(notice(), asOf, "2028-02-29")));
}

TEST(RoutingOperators, DateTimesCompareAsInstantsWhateverTheirOffset) {
    const std::string checked = "/payload/flags/scra/checked_at";  // 2026-11-21T14:05:33Z
    EXPECT_TRUE(holds(test(checked, "after", "2026-11-21T07:05:32-07:00")));
    EXPECT_TRUE(holds(test(checked, "before", "2026-11-21T07:05:34-07:00")));
    EXPECT_TRUE(holds(test(checked, "on_or_after", "2026-11-21T07:05:33-07:00")));
    EXPECT_TRUE(holds(test(checked, "on_or_before", "2026-11-21T07:05:33-07:00")));
    EXPECT_FALSE(holds(test(checked, "after", "2026-11-21T07:05:33-07:00")));
    EXPECT_TRUE(holds(test(checked, "before", "2026-11-21T14:05:33.000000001Z")));
}

TEST(RoutingOperators, MixedDateAndDateTimeCompareByTheDayWrittenAtItsOwnOffset) {
    // 23:30 in Phoenix on Nov 30 is already Dec 1 in UTC; the partner's day counts.
    const json record = with(notice(), "/occurred_at", "2026-11-30T23:30:00-07:00");
    EXPECT_TRUE(holds(test("/occurred_at", "on_or_before", "2026-11-30"), record));
    EXPECT_FALSE(holds(test("/occurred_at", "after", "2026-11-30"), record));
    EXPECT_FALSE(holds(test("/occurred_at", "before", "2026-11-30"), record));
    // A full-date field against a date-time operand: the operand's own day.
    EXPECT_TRUE(holds(test("/payload/as_of", "on_or_after", "2026-11-22T23:59:59-07:00")));
    EXPECT_FALSE(holds(test("/payload/as_of", "after", "2026-11-22T00:00:00-07:00")));
}

TEST(RoutingOperators, ComparisonsOnTheWrongKindOfValueAreFalse) {
    // The schema says amount; a record that breaks it never matches by accident.
    EXPECT_FALSE(holds(test("/payload/amount_past_due", "gt", 0), with(notice(), "/payload/amount_past_due", "lots")));
    EXPECT_FALSE(holds(test("/payload/as_of", "after", "2020-01-01"), with(notice(), "/payload/as_of", "yesterday")));
    EXPECT_FALSE(holds(test("/payload/as_of", "after", "2020-01-01"), with(notice(), "/payload/as_of", 20261122)));
    EXPECT_FALSE(holds(test("/payload/parties/0/addresses/0/postal_code", "prefix", "8"),
                       with(notice(), "/payload/parties/0/addresses/0/postal_code", 85041)));
}

TEST(RoutingOperators, AllAnyAndNotCombine) {
    const json az = test("/payload/loan/governing_state", "equals", "AZ");
    const json mo = test("/payload/loan/governing_state", "equals", "MO");
    const json late = test("/payload/days_past_due", "ge", 30);
    EXPECT_TRUE(holds(json{{"all", {az, late}}}));
    EXPECT_FALSE(holds(json{{"all", {az, mo}}}));
    EXPECT_TRUE(holds(json{{"any", {mo, late}}}));
    EXPECT_FALSE(holds(json{{"any", {mo, json{{"not", late}}}}}));
    EXPECT_TRUE(holds(json{{"not", mo}}));
    EXPECT_FALSE(holds(json{{"not", json{{"not", mo}}}}));
    EXPECT_TRUE(holds(json{{"any", {json{{"all", {mo, late}}}, json{{"all", {az, json{{"not", mo}}}}}}}}));
}

TEST(RoutingOperators, PredicatesListedInMatchAllMustHold) {
    const std::string record = notice().dump();
    EXPECT_TRUE(matches(
        json::array({test("/payload/loan/governing_state", "equals", "AZ"), test("/payload/days_past_due", "ge", 30)}),
        record));
    EXPECT_FALSE(matches(
        json::array({test("/payload/loan/governing_state", "equals", "AZ"), test("/payload/days_past_due", "ge", 60)}),
        record));
}

TEST(RoutingOperators, FieldsAreReadWhateverTheMemberOrderAndEscapes) {
    // Keys in another order, escapes in the value, nested arrays before the field.
    const std::string record =
        R"({"payload":{"parties":[{"addresses":[{"postal_code":"85004","type":"HOME"}]}],)"
        R"("loan":{"governing_state":"\u0041Z","product":"AUTO_RIC"}},"message_type":"delinquency_notice"})";
    EXPECT_TRUE(matches(json::array({test("/payload/loan/governing_state", "equals", "AZ")}), record));
    EXPECT_TRUE(matches(json::array({test("/payload/parties/0/addresses/0/postal_code", "prefix", "850")}), record));
}

}  // namespace
}  // namespace lendgate::routing
