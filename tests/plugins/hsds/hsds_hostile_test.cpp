// Hostile update input (RELIABILITY.md) through the plugin as a host runs it:
// each class ends in a clear refusal of the input, a record error or safe
// handling, with bounded memory, never a crash, and no error text that echoes
// what the partner sent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "hsds_test_support.h"

namespace {

using lendgate::test::CallResult;
using namespace lendgate::test::hsds;

const std::string kService = "29f2283d-52b4-5e3b-be9f-c504095fbe48";

// A valid Sonoran update with one member's raw JSON replaced (or added).
std::string update(const std::string &member = "", const std::string &rawValue = "") {
    nlohmann::ordered_json u = {{"referral_id", "01JDB2K4ZQ8V3N6R9T1W5X7Y20"},
                                {"service_id", kService},
                                {"status", "CONTACTED"},
                                {"updated_at", "2026-11-24T09:00:00-07:00"}};
    std::string text = u.dump();
    if (member.empty()) return text;
    if (u.contains(member)) {
        const std::string key = "\"" + member + "\":";
        const auto at = text.find(key) + key.size();
        const auto end = text.find_first_of(",}", at);
        return text.replace(at, end - at, rawValue);
    }
    return text.substr(0, text.size() - 1) + ",\"" + member + "\":" + rawValue + "}";
}

CallResult decode(const std::string &input, std::size_t chunk = 4096) {
    return instanceFor("sonoran").decode(input, "referral_update", chunk);
}

void expectNoEcho(const CallResult &result, const std::string &secret) {
    for (const auto &e : result.errors) {
        EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
        EXPECT_EQ(e.field.find(secret), std::string::npos) << e.field;
    }
    for (const auto &f : result.failures) EXPECT_EQ(f.message.find(secret), std::string::npos) << f.message;
}

TEST(HsdsHostile, TheFixtureIsAValidUpdate) {
    const auto result = decode(update());
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(HsdsHostile, ACutOffDocumentIsRefusedWhole) {
    const std::string whole = update();
    for (std::size_t cut : {std::size_t{1}, whole.size() / 2, whole.size() - 1}) {
        const auto result = decode(whole.substr(0, cut));
        EXPECT_EQ(result.status, LENDGATE_ERR_INPUT) << cut;
        EXPECT_EQ(result.failureCode(), "truncated");
    }
    // An array whose closing bracket never came: the records before it are not to be trusted either.
    const auto array = decode("[" + whole + "," + whole);
    EXPECT_EQ(array.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(array.failureCode(), "truncated");
}

TEST(HsdsHostile, InputThatIsNotUpdatesIsRefusedWhole) {
    EXPECT_EQ(decode("").failureCode(), "empty");
    EXPECT_EQ(decode(" \n\t").failureCode(), "empty");
    EXPECT_EQ(decode("\"CONTACTED\"").failureCode(), "wrong_root");
    EXPECT_EQ(decode("<update/>").failureCode(), "wrong_root");
    EXPECT_EQ(decode("\xEF\xBB").failureCode(), "encoding");
    // A byte order mark before the object is fine.
    EXPECT_EQ(decode("\xEF\xBB\xBF" + update()).records.size(), 1u);
}

TEST(HsdsHostile, InvalidUtf8IsARecordErrorAndTheNextLineStillReads) {
    for (const char *bad : {"\xC3\x28", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "\xE2\x82", "\xFF"}) {
        const auto result = decode(update("note", std::string("\"ok ") + bad + " ok\"") + "\n" + update() + "\n");
        EXPECT_EQ(result.status, LENDGATE_OK);
        EXPECT_EQ(result.errorLines(), "line 1: record 1: -: encoding\n");
        EXPECT_EQ(result.records.size(), 1u);
        EXPECT_EQ(result.records.at(0).where.record, 2u);
    }
}

TEST(HsdsHostile, AHugeRecordIsSkippedWithoutHoldingItAndTheNextOneReads) {
    const std::string huge = update("note", "\"" + std::string(20 * 1024 * 1024, 'x') + "\"");
    const auto result = decode(huge + "\n" + update() + "\n", 64 * 1024);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "line 1: record 1: -: record_too_large\n");
    EXPECT_EQ(result.records.size(), 1u);
    // Under the cap but over the canonical length of a note: named, not echoed.
    const auto long_note = decode(update("note", "\"" + std::string(2001, 'y') + "\""));
    EXPECT_EQ(long_note.errorLines(), "line 1: record 1: /payload/outcome_note: too_long\n");
    expectNoEcho(long_note, "yyyy");
}

TEST(HsdsHostile, DeepNestingIsRefusedBeforeAnyParserSeesIt) {
    // 10,000 levels: well under max_record_bytes, so depth is what refuses it.
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    const auto result = decode(update("note", deep) + "\n" + update());
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "line 1: record 1: -: too_deep\n");
    EXPECT_EQ(result.records.size(), 1u);
    // Unclosed nesting to the end of the input: a cut-off input, refused whole, in constant memory.
    EXPECT_EQ(decode("{\"a\":" + std::string(1 << 20, '[')).failureCode(), "truncated");
    EXPECT_EQ(decode(std::string(1 << 20, '[')).failureCode(), "truncated");
}

TEST(HsdsHostile, WrongTypesNameTheFieldNeverTheValue) {
    struct Case {
        std::string member;
        std::string value;
        std::string expected;
    } cases[] = {
        {"status", "7", "/payload/status: type"},
        {"status", "null", "/payload/status: type"},
        {"referral_id", "{\"id\":\"01JDB2K4ZQ8V3N6R9T1W5X7Y20\"}", "/payload/referral_id: type"},
        {"service_id", "[\"x\"]", "service_id: type"},
        {"updated_at", "1795392000", "/occurred_at: type"},
        {"note", "true", "/payload/outcome_note: type"},
        {"updated_at", "\"24/11/2026 09:00\"", "/occurred_at: format"},
        {"updated_at", "\"2026-02-29T09:00:00-07:00\"", "/occurred_at: format"},
        {"updated_at", "\"2026-11-24T09:00:00\"", "/occurred_at: format"},
        {"status", "\"LOST_IN_MAIL\"", "/payload/status: enum"},
        {"referral_id", "\"\"", "/payload/referral_id: too_short"},
        {"referral_id", "\"tab\\there\"", "/payload/referral_id: format"},
        {"id", "\"" + std::string(65, 'k') + "\"", "/idempotency_key: too_long"},
    };
    for (const Case &c : cases) {
        const auto result = decode(update(c.member, c.value));
        EXPECT_EQ(result.records.size(), 0u) << c.member << " " << c.value;
        EXPECT_EQ(result.errorLines(), "line 1: record 1: " + c.expected + "\n") << c.value;
        expectNoEcho(result, "LOST_IN_MAIL");
        expectNoEcho(result, "24/11/2026");
    }
}

TEST(HsdsHostile, NumbersNaNAndDuplicateKeysAreRecordErrors) {
    EXPECT_EQ(decode(update("note", "1" + std::string(400, '0'))).errorLines(), "line 1: record 1: -: number_range\n");
    EXPECT_EQ(decode(update("note", "NaN")).errorLines(), "line 1: record 1: -: syntax\n");
    // A second status would silently win with most parsers: refused.
    const std::string twice = update().substr(0, update().size() - 1) + ",\"status\":\"ENROLLED\"}";
    EXPECT_EQ(decode(twice).errorLines(), "line 1: record 1: -: duplicate_key\n");
}

TEST(HsdsHostile, UnknownIdsAreRecordErrorsNamingTheMember) {
    EXPECT_EQ(decode(update("service_id", "\"6a1f0000-0000-4000-8000-000000000000\"")).errorLines(),
              "line 1: record 1: service_id: unknown_service\n");
    // Arizona Veterans Bridge's service is not one of Sonoran's: an update cannot cross partners.
    EXPECT_EQ(decode(update("service_id", "\"1275630e-8769-58e4-bd81-6826a7f67d0a\"")).errorLines(),
              "line 1: record 1: service_id: unknown_service\n");
    EXPECT_EQ(decode(update("organization_id", "\"56acda08-9bbf-57e1-a15c-4aa5474d18e4\"")).errorLines(),
              "line 1: record 1: organization_id: unknown_organization\n");
    EXPECT_EQ(decode(update("location_id", "\"ac5ad70b-5df1-5883-8860-569437c8a8b7\"")).errorLines(), "");
    EXPECT_EQ(decode(update("location_id", "\"a69ec709-2c54-52e3-9a9b-7ac8f93d280b\"")).errorLines(),
              "line 1: record 1: location_id: unknown_location\n");
    EXPECT_EQ(decode(update("taxonomy_code", "\"BD-1800.2000\"")).errorLines(),
              "line 1: record 1: taxonomy_code: unknown_taxonomy_term\n");
}

TEST(HsdsHostile, MembersOutsideTheProfileAreRefusedAndOnlyPlainNamesAreRepeated) {
    const auto named = decode(update("client_ssn", "\"123-45-6789\""));
    EXPECT_EQ(named.errorLines(), "line 1: record 1: client_ssn: unknown_field\n");
    expectNoEcho(named, "6789");
    // A key that could itself be a value is not repeated anywhere.
    const auto valueAsKey = decode(update("123-45-6789", "true"));
    EXPECT_EQ(valueAsKey.errorLines(), "line 1: record 1: -: unknown_field\n");
    expectNoEcho(valueAsKey, "6789");
    // Missing members are each named.
    EXPECT_EQ(decode("{\"referral_id\":\"R1\"}").errorLines(),
              "line 1: record 1: service_id: required\nline 1: record 1: /payload/status: required\n"
              "line 1: record 1: /occurred_at: required\n");
}

TEST(HsdsHostile, DamageInJsonLinesStaysInItsLine) {
    const std::string good = update();
    const std::string input = good + "\n" +                                          // record 1
                              "{\"referral_id\":\"R2\",\"note\":\"never closed\n" +  // 2: raw line break
                              good + "\n" +                                          // 3
                              "{\"referral_id\":\"R4\"\n" +                          // 4: object never closed
                              good + "\n" +                                          // 5
                              "42\n" +                                               // 6: not an object
                              good + "\n";                                           // 7
    const auto result = decode(input);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 2: record 2: -: syntax\nline 4: record 4: -: syntax\nline 6: record 6: -: not_an_object\n");
    ASSERT_EQ(result.records.size(), 4u);
    EXPECT_EQ(result.records[3].where.record, 7u);
    expectNoEcho(result, "never closed");
    EXPECT_EQ(decode(input, 1).errorLines(), result.errorLines());
}

TEST(HsdsHostile, DamageInAnArrayStaysInItsElement) {
    const std::string good = update();
    const auto result = decode("[" + good + ",\n\"stray\",\n" + good + "\n" + good + ",]");
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.errorLines(),
              "line 2: record 2: -: not_an_object\nline 4: record 0: -: syntax\nline 4: record 0: -: syntax\n");
    EXPECT_EQ(decode("[" + good + "] trailing").errorLines(), "line 1: record 0: -: syntax\n");
}

TEST(HsdsHostile, OnlyReferralUpdatesAreDecoded) {
    const auto result = instanceFor("sonoran").decode(update(), "delinquency_notice");
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(result.records.size(), 0u);
}

TEST(HsdsHostile, TheHostStoppingEndsDecodingCleanly) {
    const std::string input = update() + "\n" + update() + "\n" + update() + "\n";
    const auto result = instanceFor("sonoran").decode(input, "referral_update", 4096, 1);
    EXPECT_EQ(result.status, LENDGATE_ERR_ABORTED);
    EXPECT_EQ(result.records.size(), 1u);
}

}  // namespace
