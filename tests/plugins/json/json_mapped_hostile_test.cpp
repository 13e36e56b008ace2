// Hostile input to the mapped mode: wrong types at a pointer, missing required
// members, huge strings, deep nesting, invalid UTF-8, duplicate keys and
// absurd numbers. Each is one record's error (never a crash, never the whole
// input), decoding carries on with the next record, and no message echoes a value.
#include <gtest/gtest.h>

#include <string>

#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

const std::string kConfig = R"({
  "mode": "mapped",
  "types": [{"message_type": "repossession_outcome", "fields": [
    {"from": "/id", "to": "/idempotency_key", "required": true, "type": "string"},
    {"from": "/event", "to": "/payload/event", "transform": "code_table", "codes": {"rec": "RECOVERED"}},
    {"from": "/vehicle/odometer", "to": "/payload/condition/odometer", "transform": "integer"},
    {"from": "/notes", "to": "/payload/note"},
    {"from": "/fee", "to": "/payload/fee", "transform": "decimal"},
    {"from": "/photos", "to": "/payload/photos", "each": [{"from": "/sha", "to": "/sha256"}]}
  ]}]
})";

const std::string kGood = R"({"id":"OK-1","event":"rec"})";
const std::string kGoodJson =
    R"({"message_type":"repossession_outcome","schema_version":"1.0","idempotency_key":"OK-1","payload":{"event":"RECOVERED"}})";

CallResult decode(const std::string &input, const std::string &config = kConfig) {
    return plugin().create(config).decode(input, nullptr, 4096);
}

// The bad record is reported, and the good one after it still comes through.
void expectOnlyTheGoodRecord(const CallResult &result) {
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].json, kGoodJson);
}

TEST(JsonMappedHostile, AWrongTypeAtAPointerIsAFieldError) {
    const auto result = decode(R"({"id":42})"
                               "\n"
                               R"({"id":"A","vehicle":"blue"})"
                               "\n"
                               R"({"id":"A","notes":{"text":"x"}})"
                               "\n"
                               R"({"id":"A","event":7})"
                               "\n"
                               R"({"id":"A","photos":{"sha":"x"}})"
                               "\n"
                               R"({"id":"A","fee":"12.00"})"
                               "\n"
                               R"({"id":"A","vehicle":{"odometer":41872}})"
                               "\n"
                               R"({"id":"A","photos":[{"sha":["x"]}]})"
                               "\n" +
                               kGood);
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /idempotency_key: type\n"
              "line 2: record 2: /payload/condition/odometer: type\n"
              "line 3: record 3: /payload/note: type\n"
              "line 4: record 4: /payload/event: type\n"
              "line 5: record 5: /payload/photos: type\n"
              "line 6: record 6: /payload/fee: type\n"
              "line 7: record 7: /payload/condition/odometer: type\n"
              "line 8: record 8: /payload/photos/0/sha256: type\n");
    EXPECT_EQ(result.errors[0].message, "partner /id: expected a string");
    EXPECT_EQ(result.errors[1].message,
              "partner /vehicle/odometer: a value on the way is not the object or array the pointer goes through");
    EXPECT_EQ(result.errors[2].message, "partner /notes: an object or array where a single value belongs");
    EXPECT_EQ(result.errors[4].message, "partner /photos: expected an array");
    EXPECT_EQ(result.errors[7].message, "partner /photos/0/sha: an object or array where a single value belongs");
    expectOnlyTheGoodRecord(result);
}

TEST(JsonMappedHostile, AMissingRequiredMemberIsAFieldError) {
    const auto result = decode(R"({"event":"rec"})"
                               "\n"
                               R"({"id":null})"
                               "\n"
                               R"({"id":"A","event":"REC"})"
                               "\n" +
                               kGood);
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /idempotency_key: required\n"
              "line 2: record 2: /idempotency_key: required\n"
              "line 3: record 3: /payload/event: code\n");
    expectOnlyTheGoodRecord(result);
}

TEST(JsonMappedHostile, HugeStringsAreCopiedOrRefusedByTheRecordCap) {
    const std::string long_text(600 * 1024, 'a');
    const auto fits = decode(R"({"id":"A","notes":")" + long_text + "\"}\n" + kGood);
    EXPECT_EQ(fits.errorLines(), "");
    ASSERT_EQ(fits.records.size(), 2u);
    EXPECT_NE(fits.records[0].json.find(long_text), std::string::npos);
    const auto huge = decode(R"({"id":"A","notes":")" + std::string(3 * 1024 * 1024, 'b') + "\"}\n" + kGood);
    EXPECT_EQ(huge.errorLines(), "line 1: record 1: -: record_too_large\n");
    expectOnlyTheGoodRecord(huge);
    // A huge key too: the cap counts every byte.
    const auto key = decode("{\"" + std::string(2 * 1024 * 1024, 'k') + "\":1}\n" + kGood);
    EXPECT_EQ(key.errorLines(), "line 1: record 1: -: record_too_large\n");
    expectOnlyTheGoodRecord(key);
}

TEST(JsonMappedHostile, DeepNestingIsRefusedBeforeItIsIndexed) {
    const auto result = decode(R"({"id":"A","notes":)" + std::string(100000, '[') + "\n" + kGood);
    EXPECT_EQ(result.errorLines(), "line 1: record 1: -: syntax\n");
    EXPECT_EQ(result.errors[0].message, "line 1, column 82: nesting is too deep");
    expectOnlyTheGoodRecord(result);
    // 63 levels are fine and are copied only where the mapping says.
    const auto deep = decode(R"({"id":"OK-1","event":"rec","x":)" + std::string(62, '[') + std::string(62, ']') + "}");
    EXPECT_EQ(deep.errorLines(), "");
    expectOnlyTheGoodRecord(deep);
}

TEST(JsonMappedHostile, InvalidUtf8IsASyntaxError) {
    for (const std::string &bad : {std::string("\xC3\x28"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                                   std::string("\xF4\x90\x80\x80"), std::string("\xFF")}) {
        const auto result = decode(R"({"id":"A","notes":")" + bad + "\"}\n" + kGood);
        EXPECT_EQ(result.errorLines(), "line 1: record 1: -: syntax\n");
        EXPECT_NE(result.errors[0].message.find("invalid UTF-8"), std::string::npos);
        expectOnlyTheGoodRecord(result);
    }
    // Escapes stay as written; the canonical model decides about control characters.
    const auto escaped = decode(R"({"id":"OK-1","event":"rec","notes":"\u0000 \ud83d\ude97"})");
    ASSERT_EQ(escaped.records.size(), 1u);
    EXPECT_NE(escaped.records[0].json.find(R"("note":"\u0000 \ud83d\ude97")"), std::string::npos);
}

TEST(JsonMappedHostile, DuplicateKeysOnAMappedPathAreRefused) {
    const auto result = decode(R"({"id":"A","id":"B"})"
                               "\n"
                               R"({"id":"C","vehicle":{"odometer":"1"},"vehicle":{"odometer":"2"}})"
                               "\n"
                               R"({"id":"OK-1","event":"rec","unmapped":1,"unmapped":2})");
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /idempotency_key: duplicate_key\n"
              "line 2: record 2: /payload/condition/odometer: duplicate_key\n");
    expectOnlyTheGoodRecord(result);
}

TEST(JsonMappedHostile, AbsurdNumbersNeverBecomeAmounts) {
    const auto result = decode(R"({"id":"A","fee":)" + std::string(1000000, '9') + "}\n" +
                               R"({"id":"A","fee":1e400})"
                               "\n"
                               R"({"id":"A","fee":NaN})"
                               "\n"
                               R"({"id":"A","vehicle":{"odometer":"1234567890123456789"}})"
                               "\n" +
                               kGood);
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /payload/fee: amount\n"
              "line 2: record 2: /payload/fee: amount\n"
              "line 3: record 3: -: syntax\n"
              "line 4: record 4: /payload/condition/odometer: integer\n");
    expectOnlyTheGoodRecord(result);
}

TEST(JsonMappedHostile, NoMessageEchoesTheOffendingValue) {
    const std::string ssn = "921-47-3856";
    const auto result = decode(R"({"id":")" + ssn + R"(","event":")" + ssn + R"(","fee":")" + ssn +
                               R"(","vehicle":{"odometer":")" + ssn + R"("},"notes":{")" + ssn +
                               R"(":1}})"
                               "\n" +
                               R"({"id":[")" + ssn + R"("],"photos":[{"sha":{"v":")" + ssn +
                               R"("}}]})"
                               "\n" +
                               R"({")" + ssn + R"(":)" + ssn + "}\n");
    EXPECT_GE(result.errors.size(), 6u);
    for (const auto &error : result.errors) {
        EXPECT_EQ(error.message.find("921"), std::string::npos) << error.message;
        EXPECT_EQ(error.field.find("921"), std::string::npos) << error.field;
    }
}

TEST(JsonMappedHostile, EncodeRefusesWhatIsNotOneCanonicalObject) {
    auto instance = plugin().create(kConfig);
    const auto result =
        instance.encode({"[1]", R"({"message_type":"repossession_outcome"} {})",
                         "{\"message_type\":\"repossession_outcome\",\"a\":" + std::string(100, '[') + "}", kGoodJson},
                        "repossession_outcome");
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: -: syntax\nline 0: record 2: -: syntax\nline 0: record 3: -: syntax\n");
    EXPECT_EQ(result.output, R"({"id":"OK-1","event":"rec"})"
                             "\n");
}

}  // namespace
