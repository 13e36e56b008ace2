// What a nonprofit must never receive (DOMAIN.md C10, C11): a referral that
// carries anything the HSDS profile does not define is refused whole, never
// stripped and sent; client fields the partner is not configured for are left
// out; a referral for a need the partner does not serve, or addressed to
// another partner's ids, is refused. No refusal repeats the offending value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hsds_test_support.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::readFile;
using namespace lendgate::test::hsds;

nlohmann::json firstReferral(const std::string &partner) {
    return nlohmann::json::parse(lines(readFile(kGolden + partner + "_referrals.input.jsonl")).front());
}

nlohmann::json sonoranReferral() {
    return firstReferral("sonoran");
}

CallResult encode(const nlohmann::json &record, const std::string &partner = "sonoran") {
    return instanceFor(partner).encode({record.dump()}, "referral");
}

// Neither the output nor any error or failure text holds `secret`.
void expectNowhere(const CallResult &result, const std::string &secret) {
    EXPECT_EQ(result.output.find(secret), std::string::npos);
    for (const auto &e : result.errors) {
        EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
        EXPECT_EQ(e.field.find(secret), std::string::npos) << e.field;
    }
    for (const auto &f : result.failures) EXPECT_EQ(f.message.find(secret), std::string::npos);
}

TEST(HsdsMinimisation, AReferralCarryingAnSsnAccountOrVinIsRefusedWhole) {
    struct Case {
        nlohmann::json::json_pointer at;
        nlohmann::json value;
        std::string secret;
        std::string expected;
        std::string partner = "sonoran";
    } cases[] = {
        {nlohmann::json::json_pointer("/payload/client/ssn"), "123-45-6789", "6789",
         "line 0: record 1: /payload/client/ssn: forbidden_field\n"},
        {nlohmann::json::json_pointer("/payload/account"),
         {{"account_number", "4417009912345678"}},
         "12345678",
         "line 0: record 1: /payload/account: forbidden_field\n"},
        {nlohmann::json::json_pointer("/payload/collateral"),
         {{"vin", "1FTFW1E54NFA12345"}},
         "NFA12345",
         "line 0: record 1: /payload/collateral: forbidden_field\n"},
        {nlohmann::json::json_pointer("/payload/client/date_of_birth"), "1988-04-17", "1988-04-17",
         "line 0: record 1: /payload/client/date_of_birth: forbidden_field\n"},
        {nlohmann::json::json_pointer("/vin"), "1FTFW1E54NFA12345", "NFA12345",
         "line 0: record 1: /vin: forbidden_field\n"},
        {nlohmann::json::json_pointer("/payload/client/name/ssn"), "123456789", "456789",
         "line 0: record 1: /payload/client/name/ssn: forbidden_field\n"},
        {nlohmann::json::json_pointer("/payload/client/favorite_color"), "teal", "teal",
         "line 0: record 1: /payload/client/favorite_color: not_in_profile\n"},
        // A key that is itself a value: the refusal names only where it was found.
        {nlohmann::json::json_pointer("/payload/client/123-45-6789"), true, "6789",
         "line 0: record 1: /payload/client: not_in_profile\n"},
        // An identifier typed into a name or county field.
        {nlohmann::json::json_pointer("/payload/client/name/last"), "Villanueva 123-45-6789", "6789",
         "line 0: record 1: /payload/client/name/last: identifier_in_text\n"},
        // Arizona Veterans Bridge receives the county; Sonoran's configuration never reads it.
        {nlohmann::json::json_pointer("/payload/client/county"), "4417 0099 1234", "1234",
         "line 0: record 1: /payload/client/county: identifier_in_text\n", "avb"},
    };
    for (const Case &c : cases) {
        auto record = firstReferral(c.partner);
        record[c.at] = c.value;
        const auto result = encode(record, c.partner);
        EXPECT_EQ(result.status, LENDGATE_OK);
        EXPECT_EQ(result.output, "") << c.at.to_string();
        EXPECT_EQ(result.errorLines(), c.expected);
        expectNowhere(result, c.secret);
    }
}

TEST(HsdsMinimisation, ClientFieldsThePartnerIsNotConfiguredForAreLeftOut) {
    auto config = nlohmann::json::parse(configText("sonoran"));
    config["client_fields"] = nlohmann::json::array();
    const auto result = plugin().create(config.dump()).encode({sonoranReferral().dump()}, "referral");
    ASSERT_EQ(result.errorLines(), "");
    const auto doc = nlohmann::json::parse(result.output);
    EXPECT_EQ(doc["client"], nlohmann::json::parse(R"({"name":{"first":"Rosa","last":"Villanueva"}})"));
    // A field left out is not even read: a malformed one does not stop the referral.
    auto record = sonoranReferral();
    record["payload"]["client"]["phone"]["number"] = "not a phone";
    EXPECT_EQ(plugin().create(config.dump()).encode({record.dump()}, "referral").errorLines(), "");
}

TEST(HsdsMinimisation, ANeedThePartnerDoesNotServeIsARecordErrorNotADrop) {
    auto record = sonoranReferral();
    record["payload"]["need"] = "veteran-status";
    record["payload"]["target"] = {{"organization_id", "259bd622-95a8-5087-b8f2-c3eb763af4ba"}};
    const auto result = encode(record);
    EXPECT_EQ(result.output, "");
    EXPECT_EQ(result.errorLines(), "line 0: record 1: /payload/need: unmapped_need\n");
}

TEST(HsdsMinimisation, AReferralAddressedToAnotherPartnersIdsIsRefused) {
    struct Case {
        const char *member;
        const char *value;
    } cases[] = {
        {"organization_id", "56acda08-9bbf-57e1-a15c-4aa5474d18e4"},  // Arizona Veterans Bridge
        {"service_id", "e9cda174-8803-5ac9-9bee-0864cc5bf4ec"},       // Sonoran's food pantry, not its financial aid
        {"location_id", "a69ec709-2c54-52e3-9a9b-7ac8f93d280b"},      // a Veterans Bridge location
        {"taxonomy_code", "BD-1800.2000"},
    };
    for (const Case &c : cases) {
        auto record = sonoranReferral();
        record["payload"]["target"][c.member] = c.value;
        const auto result = encode(record);
        EXPECT_EQ(result.output, "") << c.member;
        EXPECT_EQ(result.errorLines(),
                  std::string("line 0: record 1: /payload/target/") + c.member + ": target_mismatch\n");
        expectNowhere(result, c.value);
    }
}

TEST(HsdsMinimisation, ABadReferralDoesNotStopTheOthers) {
    const std::vector<std::string> records = lines(readFile(kGolden + "sonoran_referrals.input.jsonl"));
    auto bad = sonoranReferral();
    bad["payload"]["client"]["ssn"] = "123-45-6789";
    const auto result = instanceFor("sonoran").encode({records[0], bad.dump(), "{not json", records[1]}, "referral");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 0: record 2: /payload/client/ssn: forbidden_field\nline 0: record 3: -: syntax\n");
    const std::vector<std::string> expected = lines(readFile(kGolden + "sonoran_referrals.expected.jsonl"));
    EXPECT_EQ(result.output, expected[0] + "\n" + expected[1] + "\n");
}

TEST(HsdsMinimisation, MalformedReferralsNameEachField) {
    auto record = sonoranReferral();
    record["message_type"] = "consent";
    record["occurred_at"] = "2026-11-23 10:15";
    record["payload"]["urgency"] = "SOON";
    record["payload"]["client"]["phone"]["number"] = "602-555-0148";
    record["payload"]["client"]["language"] = 42;
    record["payload"]["client"].erase("name");
    const auto result = encode(record);
    EXPECT_EQ(result.output, "");
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: /message_type: wrong_type\n"
              "line 0: record 1: /occurred_at: format\n"
              "line 0: record 1: /payload/urgency: enum\n"
              "line 0: record 1: /payload/client/name: required\n"
              "line 0: record 1: /payload/client/phone/number: format\n"
              "line 0: record 1: /payload/client/language: type\n");
    expectNowhere(result, "602-555");
}

TEST(HsdsMinimisation, OnlyReferralsAreEncoded) {
    const auto result = instanceFor("sonoran").encode({sonoranReferral().dump()}, "referral_update");
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(result.output, "");
}

}  // namespace
