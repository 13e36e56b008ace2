// Inputs nobody should send, and some that arrive anyway: each gets a clear
// refusal or a record error, never a crash, a hang or unbounded memory; no
// error text carries control characters or the offending bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "fixedwidth_test_support.h"
#include "generic_layout.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

// A layout without header or trailer, so every line is judged on its own.
const char *const kBare = R"({"record_length": 20, "record_type": {"start": 1, "length": 1}, "max_record_bytes": 1024,
  "records": [{"code": "D", "message_type": "consent", "fields": [
    {"name": "ID", "start": 2, "length": 8, "to": "/idempotency_key", "required": true},
    {"name": "NAME", "start": 10, "length": 8, "to": "/payload/name"},
    {"name": "N", "start": 18, "length": 3, "type": "integer", "to": "/payload/n"}]}]})";

void expectSaneResult(const CallResult &result, const std::string &what) {
    EXPECT_TRUE(result.status == LENDGATE_OK || result.status == LENDGATE_ERR_INPUT) << what << ": " << result.status;
    for (const auto &record : result.records) EXPECT_TRUE(nlohmann::json::parse(record.json).is_object()) << what;
    auto clean = [&](const std::string &text) {
        for (const char c : text) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << what << ": " << text;
    };
    for (const auto &error : result.errors) {
        clean(error.message);
        clean(error.field);
    }
    for (const auto &failure : result.failures) clean(failure.message);
}

TEST(HostileInput, AnEmptyFileIsRefusedWhole) {
    auto instance = plugin().create(kBare);
    for (const std::string input : {"", "\n", "\r\n\r\n", "\xEF\xBB\xBF"}) {
        const auto result = instance.decode(input);
        EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
        EXPECT_EQ(result.failureMessage(), "the input is empty");
    }
}

TEST(HostileInput, RandomBytesNeverCrashAndNeverMakeBrokenRecords) {
    std::mt19937 random(20261122);
    auto bare = plugin().create(kBare);
    auto generic = plugin().create(kGenericLayout);
    auto cactus = plugin().create(config("cactus-notices-orders.json"));
    const std::string sample = readFile(kRoot + "/samples/cactus-auto-finance/CAF_DQAO_20261122_001.txt");
    for (int round = 0; round < 300; ++round) {
        std::string input(random() % 3000, '\0');
        for (char &c : input) c = static_cast<char>(random() % 4 == 0 ? '\n' : random() % 256);
        expectSaneResult(bare.decode(input, nullptr, 1 + random() % 64), "random bytes");
        expectSaneResult(generic.decode(input), "random bytes");
        // The real file with a few bytes flipped: most of it still decodes.
        std::string damaged = sample;
        for (int flips = 0; flips < 5; ++flips) damaged[random() % damaged.size()] = static_cast<char>(random() % 256);
        expectSaneResult(cactus.decode(damaged, nullptr, 1 + random() % 512), "flipped bytes");
    }
}

TEST(HostileInput, ATruncatedFileIsRefusedWhereverItIsCut) {
    auto instance = plugin().create(kGenericLayout);
    const std::string file = genericFile();
    // Even a cut in the trailer's blank filler shows: the layout wants whole lines.
    for (std::size_t cut = 0; cut + 1 < file.size(); ++cut)
        EXPECT_EQ(instance.decode(file.substr(0, cut)).status, LENDGATE_ERR_INPUT) << "cut at " << cut;
    EXPECT_EQ(instance.decode(file.substr(0, file.size() - 1)).status, LENDGATE_OK);
}

TEST(HostileInput, ATenMegabyteLineIsSkippedWithoutBufferingIt) {
    auto instance = plugin().create(kBare);
    const std::string good = "DKEY00001Ana     007\n";
    const std::string huge = "DKEY00002" + std::string(10 * 1024 * 1024, 'x') + "\n";
    const auto result = instance.decode(good + huge + good, nullptr, 65536);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.records.size(), 2u);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "record_too_large");
    EXPECT_EQ(result.errors[0].where.line, 2u);
    EXPECT_EQ(result.errors[0].message, "the line has 10485769 bytes, more than max_record_bytes allows");
    EXPECT_EQ(result.records[1].where.line, 3u);
    EXPECT_EQ(result.records[1].where.byteOffset, good.size() + huge.size());
    // Without any line end at all, the whole input is that one line.
    const auto single = instance.decode(huge.substr(0, huge.size() - 1));
    EXPECT_EQ(single.status, LENDGATE_OK);
    EXPECT_EQ(single.errors.size(), 1u);
}

TEST(HostileInput, InvalidUtf8AndControlBytesInATextFieldAreRecordErrors) {
    auto instance = plugin().create(kBare);
    const std::string input = std::string("DKEY00001An\xE9     007\n") +  // Latin-1, not UTF-8
                              std::string("DKEY00002A\0a     007\n", 21) + "DKEY00003Ana\x1B    007\n" +
                              "DKEY00004Zo\xC3\xAB    007\n";
    const auto result = instance.decode(input);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 1: record 1: /payload/name: encoding\n"
              "line 2: record 2: /payload/name: control_character\n"
              "line 3: record 3: /payload/name: control_character\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_NE(result.records[0].json.find("\"name\":\"Zo\xC3\xAB\""), std::string::npos);
    // In the idempotency key too, which a template builds from raw columns.
    auto keyed = plugin().create(R"({"record_length": 20, "record_type": {"start": 1, "length": 1},
      "records": [{"code": "D", "message_type": "consent", "idempotency_key": {"template": "K-{ID}"},
                   "fields": [{"name": "ID", "start": 2, "length": 8}]}]})");
    const auto key = keyed.decode(std::string("DKEY\xFF\x30\x30\x31            \nDKEY\x01") + "001            \n");
    EXPECT_EQ(key.errorLines(),
              "line 1: record 1: ID: encoding\n"
              "line 1: record 1: /idempotency_key: encoding\n"
              "line 2: record 2: ID: control_character\n"
              "line 2: record 2: /idempotency_key: encoding\n");
}

TEST(HostileInput, LinesThatAreNotRecordsAreErrorsOfTheirOwn) {
    auto instance = plugin().create(kBare);
    const auto result = instance.decode("DKEY00001Ana     007\n          \nXKEY00002\n\nD\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 2: record 0: -: record_type\n"
              "line 3: record 0: -: record_type\n"
              "line 5: record 2: -: line_length\n");
    EXPECT_EQ(result.errors[2].message, "the line is too short: 1 bytes, record type D has 20");
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(HostileInput, NumbersPastEighteenDigitsAreRefusedNotWrapped) {
    auto instance = plugin().create(R"({"record_length": 41, "record_type": {"start": 1, "length": 1},
      "records": [{"code": "D", "message_type": "consent", "fields": [
        {"name": "ID", "start": 2, "length": 8, "to": "/idempotency_key"},
        {"name": "AMT", "start": 10, "length": 32, "type": "decimal", "decimals": 2, "to": "/payload/amount"}]}],
      "trailer": {"code": "T", "fields": [{"name": "S", "start": 2, "length": 40, "type": "decimal", "decimals": 2}],
                  "sums": [{"field": "S", "of": "AMT"}]}})");
    const std::string big(32, '9');
    const auto result = instance.decode("DKEY00001" + big + "\n" + "T" + std::string(40, '0') + "\n");
    EXPECT_EQ(result.status, LENDGATE_OK);  // the sum cannot be verified, which is logged, not assumed
    EXPECT_EQ(result.errorLines(), "line 1: record 1: /payload/amount: amount\n");
    ASSERT_EQ(result.logs.size(), 1u);
    EXPECT_EQ(result.logs[0], "trailer S not verified: 1 detail record has no readable AMT");
    const auto trailer = instance.decode("DKEY00001" + std::string(31, '0') + "1\nT" + std::string(40, '9') + "\n");
    EXPECT_EQ(trailer.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(trailer.failureMessage(), "line 2: the trailer's S is not a number its layout allows");
}

TEST(HostileInput, MixedLineEndsReadTheSame) {
    auto instance = plugin().create(kGenericLayout);
    std::string mixed = genericFile();
    mixed.replace(mixed.find('\n'), 1, "\r\n");
    const auto result = instance.decode(mixed);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.jsonLines(), instance.decode(genericFile()).jsonLines());
    // A carriage return anywhere else is part of the line, and the line is too long for its record.
    std::string stray = genericFile();
    stray.insert(stray.find("\nP") + 30, "\r");
    const auto bad = instance.decode(stray);
    EXPECT_EQ(bad.errorLines(), "line 2: record 1: -: line_length\n");
}

}  // namespace
