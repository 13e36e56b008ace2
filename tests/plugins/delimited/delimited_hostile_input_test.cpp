// Hostile CSV input (RELIABILITY.md) through the plugin as a host runs it:
// each class ends in a clear refusal, a record error or safe handling, with
// bounded memory, never a crash, and no error text that echoes the data.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

// A header row and two mapped columns; rows up to 1 MiB (the default cap).
const char *kConfig = R"({"message_type": "consent",
  "fields": [{"column": "ID", "to": "/payload/id", "required": true}, {"column": "NOTE", "to": "/payload/note"}]})";

CallResult decode(const std::string &input, std::size_t chunk = 4096) {
    return plugin().create(kConfig).decode(input, nullptr, chunk);
}

TEST(HostileCsv, UnterminatedQuoteAtTheEndIsARecordError) {
    const auto result = decode("ID,NOTE\n1,ok\n2,\"never closed\n3,x\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.errorLines(), "line 3: record 2: -: unterminated_quote\n");
    EXPECT_EQ(result.errors[0].message.find("never"), std::string::npos);
}

TEST(HostileCsv, ATenMegabyteLineIsSkippedAndTheNextRowStillReads) {
    std::string input = "ID,NOTE\n1," + std::string(10 * 1024 * 1024, 'x') + "\n2,after\n";
    const auto result = decode(input, 64 * 1024);
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(), "line 2: record 1: -: record_too_large\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_NE(result.records[0].json.find("\"after\""), std::string::npos);
    // A quoted one the same: the reader resynchronises at the closing quote and the line end.
    input = "ID,NOTE\n1,\"" + std::string(10 * 1024 * 1024, ',') + "\"\n2,after\n";
    const auto quoted = decode(input, 64 * 1024);
    EXPECT_EQ(quoted.errorLines(), "line 2: record 1: -: record_too_large\n");
    EXPECT_EQ(quoted.records.size(), 1u);
}

TEST(HostileCsv, NulBytesAreRecordErrors) {
    const auto result = decode(std::string("ID,NOTE\n1,a\0b\n2,c\n", 18));
    EXPECT_EQ(result.errorLines(), "line 2: record 1: -: nul_byte\n");
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(HostileCsv, InvalidUtf8IsARecordError) {
    for (const char *bad : {"\xC3\x28", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "\xE2\x82", "\xFF"}) {
        const auto result = decode(std::string("ID,NOTE\n1,") + bad + "\n2,ok \xE2\x82\xAC\n");
        EXPECT_EQ(result.errorLines(), "line 2: record 1: -: encoding\n") << bad;
        ASSERT_EQ(result.records.size(), 1u);
        EXPECT_NE(result.records[0].json.find("ok \xE2\x82\xAC"), std::string::npos);
    }
}

TEST(HostileCsv, AByteOrderMarkIsDroppedAndOnlyAtTheStart) {
    const auto result = decode("\xEF\xBB\xBFID,NOTE\n1,\xEF\xBB\xBFx\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"id\":\"1\",\"note\":"
              "\"\xEF\xBB\xBFx\"}}\n");
}

TEST(HostileCsv, MixedLineEndsAllEndRows) {
    const auto result = decode("ID,NOTE\r\n1,a\n2,b\r3,c\r\n\r\n4,\"d\r\ne\"\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.records.size(), 4u);
    EXPECT_EQ(result.records[3].where.line, 6u);
    EXPECT_NE(result.records[3].json.find("d\\r\\ne"), std::string::npos);
}

TEST(HostileCsv, AnEmptyFileIsRefusedWhole) {
    for (const char *empty : {"", "\n\r\n", "\xEF\xBB\xBF"}) {
        const auto result = decode(empty);
        EXPECT_EQ(result.status, LENDGATE_ERR_INPUT) << empty;
        EXPECT_EQ(result.failureCode(), "header_row");
    }
}

TEST(HostileCsv, RandomBytesNeverCrashAndNeverLeakIntoMessages) {
    std::mt19937 random(20261123);
    for (int round = 0; round < 200; ++round) {
        std::string input = round % 2 == 0 ? "ID,NOTE\n" : "";
        const std::size_t size = random() % 4096;
        for (std::size_t i = 0; i < size; ++i) {
            // Mostly structure, so the reader's states all get visited.
            static const char kBytes[] = {',', '"', '\n', '\r', '\0', 'a', '\xC3', '\xA9', '\xFF', ' '};
            input += random() % 3 == 0 ? static_cast<char>(random() % 256) : kBytes[random() % sizeof kBytes];
        }
        const auto result = decode(input, 1 + random() % 64);
        EXPECT_TRUE(result.status == LENDGATE_OK || result.status == LENDGATE_ERR_INPUT) << round;
        for (const auto &error : result.errors)
            for (char c : error.message) EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << round;
        for (const auto &record : result.records) EXPECT_TRUE(nlohmann::json::accept(record.json)) << round;
    }
}

TEST(HostileCsv, FormulaCellsAreDataOnDecode) {
    // Neutralising is for files a spreadsheet opens; the gateway keeps what the partner sent.
    const auto result = decode("ID,NOTE\n1,=cmd|' /C calc'!A0\n");
    EXPECT_NE(result.jsonLines().find("=cmd|' /C calc'!A0"), std::string::npos);
}

}  // namespace
