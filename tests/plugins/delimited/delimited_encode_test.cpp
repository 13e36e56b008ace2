// Encoding through the plugin's C ABI with small generic configurations:
// every feature of the encode side, and the decode features that came with
// it (columns by position, cells split into arrays, time of day in dates).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_schema_check.h"
#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;
using lendgate::test::schemaProblems;

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

CallResult encodeWith(const std::string &config, const std::vector<std::string> &records, const char *type = nullptr) {
    EXPECT_EQ(schemaProblems(plugin().descriptor().config_schema, config), std::vector<std::string>{});
    return plugin().create(config).encode(records, type);
}

CallResult decodeWith(const std::string &config, const std::string &input) {
    EXPECT_EQ(schemaProblems(plugin().descriptor().config_schema, config), std::vector<std::string>{});
    return plugin().create(config).decode(input, nullptr);
}

// Payments with a header, a trailer with count and exact sum, and one field of each reversible transform.
const std::string kPayments = R"({
  "message_type": "account_update",
  "line_end": "LF",
  "columns": ["TYPE", "REF", "POSTED", "CENTS", "AMOUNT", "EVENT", "ONTIME", "N", "PHONE", "SEEN_AT"],
  "record_types": {"column": 0, "detail": "D",
    "header": {"code": "H", "columns": ["TYPE", "SENDER", "DAY", "FIRST_EVENT"],
               "values": [{"column": "SENDER", "const": "LENDGATE"},
                          {"column": "DAY", "now": true, "transform": "date", "format": "YYYYMMDD", "utc_offset": "Z"},
                          {"column": "FIRST_EVENT", "to": "/payload/event"}]},
    "trailer": {"code": "T", "columns": ["TYPE", "COUNT", "TOTAL_CENTS", "TOTAL"], "record_count": "COUNT",
                "sums": [{"column": "TOTAL_CENTS", "of": "CENTS"}, {"column": "TOTAL", "of": "AMOUNT", "decimals": 2}]}},
  "idempotency_key": {"template": "PAY-{REF}"},
  "occurred_at": {"column": "POSTED", "format": "%m/%d/%Y", "time": "12:00:00", "utc_offset": "-07:00"},
  "fields": [
    {"column": "POSTED", "to": "/payload/payment/date", "transform": "date", "format": "%m/%d/%Y"},
    {"column": "CENTS", "to": "/payload/payment/cents", "transform": "cents_to_decimal"},
    {"column": "AMOUNT", "to": "/payload/payment/amount", "transform": ["trim", "decimal"], "required": true},
    {"column": "EVENT", "to": "/payload/event", "transform": ["trim", "upper", "code_table"],
     "codes": {"PMT": "PAYMENT_POSTED", "CUR": "CURED"}},
    {"column": "ONTIME", "to": "/payload/on_time", "transform": "boolean", "boolean_text": ["YES", "NO"]},
    {"column": "N", "to": "/payload/n", "transform": "integer"},
    {"column": "PHONE", "to": "/payload/phone", "transform": "phone_e164", "phone_format": "(###) ###-####"},
    {"column": "SEEN_AT", "to": "/payload/seen_at", "transform": "date", "format": "%Y-%m-%d %H:%M",
     "utc_offset": "-07:00"}
  ]
})";

std::string payment(const std::string &ref, const std::string &amount, const std::string &extra = "") {
    return R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"PAY-)" + ref +
           R"(","occurred_at":"2026-11-20T12:00:00-07:00","payload":{"event":"PAYMENT_POSTED","payment":{"date":)"
           R"("2026-11-20","cents":")" +
           amount + R"(","amount":")" + amount +
           R"("},"on_time":true,"n":7,"phone":"+16025550142",)"
           R"("seen_at":"2026-11-20T21:30:00Z")" +
           extra + "}}";
}

TEST(DelimitedEncode, DescribesWhatItEncodes) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_EQ(d.capabilities,
              LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING | LENDGATE_CAP_ACK_SLICES);
    ASSERT_GE(d.encodes_count, 1u);
    EXPECT_STREQ(d.encodes[0].message_type, "ack");
    EXPECT_STREQ(d.encodes[0].media_type, "text/csv");
}

TEST(DelimitedEncode, WritesHeaderDetailsAndATrailerWithExactTotals) {
    const auto result = encodeWith(kPayments, {payment("A-1", "250.10"), payment("A-2", "0.05"),
                                               payment("A-3", "-12.50"), payment("A-4", "1999999999999.99")});
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    // The header row names the columns; the harness clock is 2026-11-23T00:00:00Z.
    EXPECT_EQ(result.output,
              "TYPE,REF,POSTED,CENTS,AMOUNT,EVENT,ONTIME,N,PHONE,SEEN_AT\n"
              "H,LENDGATE,20261123,PAYMENT_POSTED\n"
              "D,A-1,11/20/2026,25010,250.10,PMT,YES,7,(602) 555-0142,2026-11-20 14:30\n"
              "D,A-2,11/20/2026,5,0.05,PMT,YES,7,(602) 555-0142,2026-11-20 14:30\n"
              "D,A-3,11/20/2026,-1250,-12.50,PMT,YES,7,(602) 555-0142,2026-11-20 14:30\n"
              "D,A-4,11/20/2026,199999999999999,1999999999999.99,PMT,YES,7,(602) 555-0142,2026-11-20 14:30\n"
              "T,4,200000000023764,2000000000237.64\n");
}

TEST(DelimitedEncode, WhatItWritesDecodesBackToTheSameRecords) {
    const std::vector<std::string> records = {payment("A-1", "250.10"), payment("A-2", "0.05")};
    const auto encoded = encodeWith(kPayments, records);
    const auto decoded = decodeWith(kPayments, encoded.output);
    EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
    EXPECT_EQ(decoded.errorLines(), "");
    ASSERT_EQ(decoded.records.size(), 2u);
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto expected = nlohmann::json::parse(records[i]);
        // seen_at comes back at the configured offset: the same instant.
        expected["payload"]["seen_at"] = "2026-11-20T14:30:00-07:00";
        EXPECT_EQ(nlohmann::json::parse(decoded.records[i].json), expected);
    }
}

TEST(DelimitedEncode, AFileWithNoRecordsStillHasItsHeaderAndTrailer) {
    const auto result = encodeWith(kPayments, {});
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.output,
              "TYPE,REF,POSTED,CENTS,AMOUNT,EVENT,ONTIME,N,PHONE,SEEN_AT\nH,LENDGATE,20261123,\nT,0,0,0.00\n");
    EXPECT_EQ(decodeWith(kPayments, result.output).status, LENDGATE_OK);
}

TEST(DelimitedEncode, ReportsRecordsItCannotWriteAndLeavesThemOutOfTheTotals) {
    auto replaced = [](std::string text, const std::string &from, const std::string &to) {
        return text.replace(text.find(from), from.size(), to);
    };
    const auto result = encodeWith(
        kPayments,
        {payment("B-1", "1.00"), payment("B-2", "12.345"), replaced(payment("B-3", "1.00"), R"(,"amount":"1.00")", ""),
         "not json", R"({"message_type":"consent","payload":{}})", payment("B-6", "2.00", R"(,"extra":{"n":1.5})"),
         replaced(payment("B-7", "3.00"), "PAY-B-7", "XXX-7"),
         replaced(payment("B-8", "3.00"), R"("n":7)", R"("n":7.5)")});
    EXPECT_EQ(result.status, LENDGATE_OK);
    // 12.345 is a decimal, but neither whole cents nor a total of two decimals.
    EXPECT_EQ(result.errorLines(),
              "line 0: record 2: /payload/payment/cents: amount\n"
              "line 0: record 2: -: amount\n"
              "line 0: record 3: /payload/payment/amount: required\n"
              "line 0: record 4: -: json\n"
              "line 0: record 5: /message_type: message_type\n"
              "line 0: record 7: /idempotency_key: idempotency_key\n"
              "line 0: record 8: /payload/n: type\n");
    EXPECT_NE(result.output.find("\nT,2,300,3.00\n"), std::string::npos) << result.output;
    for (const auto &error : result.errors) {
        EXPECT_EQ(error.message.find("12.345"), std::string::npos);
        EXPECT_EQ(error.message.find("XXX"), std::string::npos);
    }
    EXPECT_EQ(result.errors[0].message, "column CENTS: not a decimal amount in whole cents");
}

TEST(DelimitedEncode, RefusesAnotherMessageTypeThanConfigured) {
    const auto result = encodeWith(kPayments, {payment("A-1", "1.00")}, "ack");
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(result.output, "");
}

TEST(DelimitedEncode, QuotesOnlyWhatNeedsIt) {
    const char *config = R"({"message_type": "consent", "columns": ["A", "B"],
      "fields": [{"column": "A", "to": "/payload/a"}, {"column": "B", "to": "/payload/b"}]})";
    const auto result = encodeWith(config, {R"({"message_type":"consent","payload":{"a":"x, y","b":"say \"hi\""}})",
                                            R"({"message_type":"consent","payload":{"a":"two\nlines","b":" pad "}})"});
    // CRLF by default, as RFC 4180 writes it.
    EXPECT_EQ(result.output, "A,B\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\", pad \r\n");
    const auto back = decodeWith(config, result.output);
    EXPECT_EQ(back.jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"a\":\"x, y\","
              "\"b\":\"say \\\"hi\\\"\"}}\n"
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"a\":\"two\\nlines\","
              "\"b\":\" pad \"}}\n");
}

TEST(DelimitedEncode, QuotesEveryCellWhenAskedAndWritesOtherDelimiters) {
    const char *always = R"({"message_type": "consent", "header_row": false, "columns": ["A", "B"],
      "quote_style": "always", "line_end": "LF", "fields": [{"column": "A", "to": "/payload/a"}]})";
    EXPECT_EQ(encodeWith(always, {R"({"message_type":"consent","payload":{"a":"1"}})"}).output, "\"1\",\"\"\n");
    const char *pipe = R"({"message_type": "consent", "delimiter": "|", "quote": "", "header_row": false,
      "columns": ["A"], "line_end": "LF", "fields": [{"column": "A", "to": "/payload/a"}]})";
    const auto result = encodeWith(pipe, {R"({"message_type":"consent","payload":{"a":"a,b \"c\""}})",
                                          R"({"message_type":"consent","payload":{"a":"x|y"}})"});
    EXPECT_EQ(result.output, "a,b \"c\"\n");
    EXPECT_EQ(result.errorLines(), "line 0: record 2: -: quote\n");
}

TEST(DelimitedEncode, NeutralisesFormulasForSpreadsheetsButKeepsNegativeNumbers) {
    const char *config = R"({"message_type": "consent", "header_row": false, "columns": ["A"], "line_end": "LF",
      "spreadsheet_safe": true, "fields": [{"column": "A", "to": "/payload/a"}]})";
    std::vector<std::string> records;
    for (const char *cell : {"=1+2", "+1 555", "-2+3", "@SUM(A1)", "\\tcmd", "\\rcmd", "  =x", "-12.50", "-7",
                             "\xEF\xBC\x9D"
                             "1",
                             "plain", "a=b", "-", "'quoted"})
        records.push_back(std::string(R"({"message_type":"consent","payload":{"a":")") + cell + "\"}}");
    const auto result = encodeWith(config, records);
    EXPECT_EQ(result.output,
              "'=1+2\n'+1 555\n'-2+3\n'@SUM(A1)\n'\tcmd\n\"'\rcmd\"\n'  =x\n-12.50\n-7\n'\xEF\xBC\x9D"
              "1\nplain\n"
              "a=b\n'-\n'quoted\n");
    // Without the option the same values go out as they are.
    const char *raw = R"({"message_type": "consent", "header_row": false, "columns": ["A"], "line_end": "LF",
      "fields": [{"column": "A", "to": "/payload/a"}]})";
    EXPECT_EQ(encodeWith(raw, {records[0]}).output, "=1+2\n");
}

TEST(DelimitedEncode, WritesOneRowPerArrayElementWithDocumentValuesBeside) {
    const char *config = R"({"message_type": "ack", "line_end": "LF", "rows": "/payload/records",
      "columns": ["FILE", "NO", "STATUS", "CODES", "FIELDS"],
      "fields": [{"column": "FILE", "to": "/payload/subject/reference", "scope": "document"},
                 {"column": "NO", "to": "/record", "transform": "integer", "required": true},
                 {"column": "STATUS", "to": "/status"},
                 {"column": "CODES", "to": "/errors", "join": {"separator": ";", "item": "/code"}},
                 {"column": "FIELDS", "to": "/errors", "join": {"separator": ";", "item": "/field"}}]})";
    const std::string ack = R"({"message_type":"ack","payload":{"subject":{"kind":"FILE","reference":"F.csv"},)"
                            R"("records":[{"record":1,"status":"ACCEPTED"},)"
                            R"({"record":2,"status":"REJECTED","errors":[{"code":"a","field":"/x"},{"code":"b"}]},)"
                            R"({"status":"REJECTED"},{"record":4,"status":"ACCEPTED"}]}})";
    const auto result = encodeWith(config, {ack, R"({"message_type":"ack","payload":{"records":"no"}})"});
    EXPECT_EQ(result.output,
              "FILE,NO,STATUS,CODES,FIELDS\nF.csv,1,ACCEPTED,,\nF.csv,2,REJECTED,a;b,/x;\n"
              "F.csv,4,ACCEPTED,,\n");
    ASSERT_EQ(result.errors.size(), 2u);
    EXPECT_EQ(result.errors[0].field, "/payload/records/2/record");
    EXPECT_EQ(result.errors[0].code, "required");
    EXPECT_EQ(result.errors[1].code, "type");
    // Rows from an array only go one way.
    const auto decoded = plugin().create(config).decode("FILE,NO\nF,1\n", nullptr);
    EXPECT_EQ(decoded.status, LENDGATE_ERR_UNSUPPORTED);
}

TEST(DelimitedEncode, ReversesCodeTablesAndFallsBackToTheEncodeDefault) {
    const char *config = R"({"message_type": "consent", "header_row": false, "columns": ["A", "B"], "line_end": "LF",
      "fields": [{"column": "A", "to": "/payload/e", "transform": "code_table",
                  "codes": {"R": "RECOVERED", "X": "RECOVERED", "AZ": ["REDEEMED", "REINSTATED"]}},
                 {"column": "B", "to": "/payload/e", "direction": "encode", "transform": "code_table",
                  "codes": {"96": "RECOVERED"}, "encode_default": ""}]})";
    const auto result = encodeWith(config, {R"({"message_type":"consent","payload":{"e":"RECOVERED"}})",
                                            R"({"message_type":"consent","payload":{"e":"REINSTATED"}})",
                                            R"({"message_type":"consent","payload":{"e":"OTHER"}})"});
    EXPECT_EQ(result.output, "R,96\nAZ,\n");
    EXPECT_EQ(result.errorLines(), "line 0: record 3: /payload/e: code\n");
    // Decoding gives a code's first canonical value, and the encode-only column is not read.
    EXPECT_EQ(decodeWith(config, "AZ,96\nX,\n").jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"e\":\"REDEEMED\"}}\n"
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"e\":\"RECOVERED\"}}\n");
}

TEST(DelimitedEncode, CannotEncodeWithoutKnowingWhereColumnsGo) {
    const char *names = R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a"}],
      "record_types": {"column": 0, "detail": "D"}})";
    const auto result = plugin().create(names).encode({}, nullptr);
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(result.failureMessage(),
              "this configuration cannot encode: columns must say where the record type "
              "column goes");
    // Without record types the named columns go in the order the configuration names them.
    const char *plain = R"({"message_type": "consent", "line_end": "LF",
      "fields": [{"column": "B", "to": "/payload/b"}, {"column": "A", "to": "/payload/a"}]})";
    EXPECT_EQ(encodeWith(plain, {R"({"message_type":"consent","payload":{"a":"1","b":"2"}})"}).output, "B,A\n2,1\n");
}

// Columns by position: a file without header row and without column names.
const char *kPositional = R"({"message_type": "account_update", "header_row": false, "line_end": "LF",
  "idempotency_key": {"columns": [0, 1], "separator": ":"},
  "fields": [{"column": 1, "to": "/payload/event", "transform": ["trim", "code_table"],
              "codes": {"P": "PAYMENT_POSTED"}},
             {"column": 3, "to": "/payload/amount", "transform": "decimal", "when": {"column": 1, "in": ["p"]}},
             {"column": 4, "to": "/payload/needs", "join": {"separator": ";"}, "transform": ["trim", "upper"]}]})";

TEST(DelimitedPositions, ReadsColumnsByPositionAndTheFirstRowSetsTheWidth) {
    const auto result = decodeWith(kPositional, "R1,P,ignored,12.00, a ;; b\nR2,P,x,1\nR3,P,x,3.50,\n");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.jsonLines(), R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"R1:P",)"
                                  R"("payload":{"event":"PAYMENT_POSTED","amount":"12.00","needs":["A","B"]}})"
                                  "\n"
                                  R"({"message_type":"account_update","schema_version":"1.0","idempotency_key":"R3:P",)"
                                  R"("payload":{"event":"PAYMENT_POSTED","amount":"3.50"}})"
                                  "\n");
    EXPECT_EQ(result.errorLines(), "line 2: record 2: -: ragged\n");
    EXPECT_EQ(result.errors[0].message, "the row has 4 fields, the first detail row has 5");
    const auto narrow = decodeWith(kPositional, "R1,P,x\n");
    EXPECT_EQ(narrow.errors.at(0).message, "the row has 3 fields; the configuration reads position 4");
}

TEST(DelimitedPositions, WritesColumnsByPosition) {
    const auto result =
        encodeWith(kPositional, {R"({"message_type":"account_update","idempotency_key":"R9:P",)"
                                 R"("payload":{"event":"PAYMENT_POSTED","amount":"5.00","needs":["A","B"]}})"});
    EXPECT_EQ(result.output, "R9,P,,5.00,A;B\n");
    EXPECT_EQ(decodeWith(kPositional, result.output).records.size(), 1u);
}

TEST(DelimitedPositions, APositionPastTheHeaderRowRefusesTheFile) {
    const char *config = R"({"message_type": "consent", "fields": [{"column": 2, "to": "/payload/c"}]})";
    const auto result = decodeWith(config, "A,B\n1,2\n");
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureMessage(), "the file has 2 columns; the configuration reads position 2");
    EXPECT_EQ(decodeWith(config, "A,B,C\n1,2,3\n").jsonLines(),
              "{\"message_type\":\"consent\",\"schema_version\":\"1.0\",\"payload\":{\"c\":\"3\"}}\n");
}

TEST(DelimitedEncode, RefusesConfigurationsItCannotUse) {
    const char *bad[] = {
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "scope": "document"}]})",
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "join": {"separator": ";", "item": "/x"}}]})",
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "encode_default": "x"}]})",
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "transform": "boolean",
            "boolean_text": ["N", "Y"]}]})",
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "transform": "phone_e164",
            "phone_format": "###-####"}]})",
        R"({"message_type": "consent", "fields": [{"column": "A", "to": "/a", "transform": "date",
            "format": "%Y-%m-%d %H:%M"}]})",
        R"({"message_type": "consent", "quote": "", "quote_style": "always", "fields": []})",
        R"({"message_type": "consent", "header_row": false, "fields": [{"column": "A", "to": "/a"}]})",
        R"({"message_type": "consent", "columns": ["A", "A"], "fields": []})",
        R"({"message_type": "consent", "fields": [], "record_types": {"column": 0, "detail": "D",
            "trailer": {"code": "T", "columns": ["T", "N"], "record_count": "N",
                        "values": [{"column": "N", "const": "9"}]}}})",
        R"({"message_type": "consent", "fields": [{"const": "x", "column": "A", "to": "/a", "direction": "encode"}]})",
    };
    for (const char *config : bad) EXPECT_EQ(plugin().tryCreate(config).status, LENDGATE_ERR_CONFIG) << config;
}

}  // namespace
