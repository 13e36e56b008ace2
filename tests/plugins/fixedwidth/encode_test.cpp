// Canonical records to fixed-width lines with a small inline layout: padding,
// alignment, signs, implied decimals, dates, a header from the first record
// and the clock, a trailer with counts and sums of what was written. A record
// that cannot be written exactly is a record error naming the field, and none
// of its lines are written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixedwidth_test_support.h"

namespace {

using namespace lendgate::test;
using namespace lendgate::test::fixedwidth;

const char *const kLayout = R"({
  "record_length": 50, "record_type": {"start": 1, "length": 1}, "line_ending": "CRLF",
  "header": {"code": "H", "fields": [
    {"name": "CREATED", "start": 2, "length": 12, "type": "date_time", "format": "YYYYMMDDhhmm",
     "utc_offset": "-07:00", "now": true},
    {"name": "FIRST", "start": 14, "length": 10, "to": "/payload/assignment_id"},
    {"name": "KIND", "start": 24, "length": 4, "value": "ASGN"}]},
  "records": [{"code": "A", "message_type": "repossession_assignment", "fields": [
    {"name": "KEY", "start": 2, "length": 12, "to": "/idempotency_key", "required": true},
    {"name": "ID", "start": 14, "length": 10, "to": "/payload/assignment_id", "required": true},
    {"name": "ACTION", "start": 24, "length": 1, "to": "/payload/action", "required": true,
     "codes": {"N": "NEW", "H": "HOLD", "C": "CANCEL"}},
    {"name": "DUE", "start": 25, "length": 9, "type": "decimal", "decimals": 2, "sign": "leading",
     "to": "/payload/amounts/amount_past_due"},
    {"name": "AS_OF", "start": 34, "length": 8, "type": "date", "format": "MMDDYYYY", "to": "/payload/amounts/as_of"},
    {"name": "YEAR", "start": 42, "length": 4, "type": "integer", "to": "/payload/collateral/year"},
    {"name": "DOG", "start": 46, "length": 1, "type": "boolean", "to": "/payload/safety_flags/animals_on_premises"}]}],
  "trailer": {"code": "T", "fields": [
    {"name": "COUNT", "start": 2, "length": 4, "type": "integer"},
    {"name": "LINES", "start": 6, "length": 4, "type": "integer"},
    {"name": "TOTAL", "start": 10, "length": 12, "type": "decimal", "decimals": 2, "sign": "leading"},
    {"name": "LAST", "start": 22, "length": 10, "to": "/payload/assignment_id"}],
    "counts": [{"field": "COUNT"}, {"field": "LINES", "records": "all"}],
    "sums": [{"field": "TOTAL", "of": "DUE"}]}
})";

std::string assignment(const std::string &key, const std::string &id, const std::string &action,
                       const std::string &more = "") {
    return R"({"message_type":"repossession_assignment","schema_version":"1.0","idempotency_key":")" + key +
           R"(","occurred_at":"2026-11-22T05:30:00-07:00","payload":{"assignment_id":")" + id + R"(","action":")" +
           action + "\"" + more + "}}";
}

const std::vector<std::string> kRecords = {
    assignment("CAF-AO-0001", "ORD-1", "NEW",
               R"(,"collateral":{"vin":"2GNAXUEV9L6104873","year":2020},"amounts":{"as_of":"2026-11-21",)"
               R"("amount_past_due":"1388.4"},"safety_flags":{"animals_on_premises":true})"),
    assignment("CAF-AO-0002", "ORD-2", "HOLD"),
    assignment("CAF-AO-0003", "ORD-3", "CANCEL", R"(,"amounts":{"as_of":"2026-11-21","amount_past_due":"-12.50"})"),
};

CallResult encode(const std::vector<std::string> &records, const char *type = "repossession_assignment") {
    auto instance = plugin().create(kLayout);
    return instance.encode(records, type);
}

std::string padded(const std::string &text) {
    return text + std::string(50 - text.size(), ' ') + "\r\n";
}

TEST(FixedWidthEncode, WritesHeaderDetailsAndTrailerToTheColumn) {
    const auto result = encode(kRecords);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.errorLines(), "");
    EXPECT_EQ(result.output, padded("H202611221700ORD-1     ASGN") +
                                 padded("ACAF-AO-0001 ORD-1     N+0013884011212026"
                                        "2020Y") +
                                 padded("ACAF-AO-0002 ORD-2     H") +
                                 padded("ACAF-AO-0003 ORD-3     C-0000125011212026") +
                                 padded("T00030005+00000137590ORD-3"));
}

TEST(FixedWidthEncode, AValueTooLongForItsFieldIsARecordErrorNamingTheField) {
    std::vector<std::string> records = kRecords;
    records[1] = assignment("CAF-AO-0002-RESENT", "ORD-2", "HOLD");
    const auto result = encode(records);
    EXPECT_EQ(result.status, LENDGATE_OK);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].where.record, 2u);
    EXPECT_EQ(result.errors[0].code, "too_long");
    EXPECT_EQ(result.errors[0].field, "/idempotency_key");
    EXPECT_EQ(result.errors[0].message, "field KEY (columns 2-13): the value needs 18 bytes, the field holds 12");
    // Never truncated: the record is left out, and the trailer counts what was written.
    EXPECT_EQ(result.output.find("CAF-AO-0002"), std::string::npos);
    EXPECT_NE(result.output.find("T00020004+00000137590ORD-3"), std::string::npos);
}

TEST(FixedWidthEncode, EveryBadFieldOfARecordIsReported) {
    const auto result = encode({assignment("CAF-AO-0004", "ORD-4", "RELEASE_HOLD",
                                           R"(,"collateral":{"year":{"y":2020}},"amounts":{"as_of":"2026-02-30",)"
                                           R"("amount_past_due":"12.505"},"safety_flags":{"animals_on_premises":"Y"})"),
                                R"({"message_type":"repossession_assignment","payload":{"action":"NEW"}})"});
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: /payload/action: code\n"
              "line 0: record 1: /payload/amounts/amount_past_due: precision\n"
              "line 0: record 1: /payload/amounts/as_of: date\n"
              "line 0: record 1: /payload/collateral/year: type\n"
              "line 0: record 1: /payload/safety_flags/animals_on_premises: type\n"
              "line 0: record 2: /idempotency_key: required\n"
              "line 0: record 2: /payload/assignment_id: required\n");
    EXPECT_EQ(result.errors[1].message,
              "field DUE (columns 25-33): has more than 2 decimals; it would have to be rounded");
    EXPECT_NE(result.output.find("T00000002+00000000000"), std::string::npos);
}

TEST(FixedWidthEncode, ALineBreakInAValueNeverBreaksARecord) {
    const auto result = encode({assignment("CAF\\nAO-5", "ORD-5", "NEW")});
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "control_character");
    EXPECT_EQ(result.output.find("AO-5"), std::string::npos);
}

TEST(FixedWidthEncode, RecordsThatAreNotRecordsOfTheTypeAreErrorsAndTheRestIsWritten) {
    std::string deep = "{\"message_type\":\"repossession_assignment\",\"payload\":";
    for (int i = 0; i < 100000; ++i) deep += "[";
    const auto result = encode({"not json", "[1]", R"({"payload":{}})",
                                R"({"message_type":"repossession_outcome","payload":{}})", deep, kRecords[1]});
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(result.errorLines(),
              "line 0: record 1: -: syntax\n"
              "line 0: record 2: /message_type: message_type\n"
              "line 0: record 3: /message_type: message_type\n"
              "line 0: record 4: /message_type: message_type\n"
              "line 0: record 5: -: syntax\n");
    EXPECT_EQ(result.errors[3].message, "the record's message_type differs from the requested repossession_assignment");
    // The header takes its values from the first record that is one.
    EXPECT_EQ(result.output.substr(0, 23), "H202611221700ORD-2     ");
    EXPECT_NE(result.output.find("T00010003"), std::string::npos);
}

TEST(FixedWidthEncode, ATypeTheLayoutDoesNotWriteIsRefused) {
    const auto result = encode(kRecords, "repossession_outcome");
    EXPECT_EQ(result.status, LENDGATE_ERR_UNSUPPORTED);
    EXPECT_EQ(result.output, "");
    // Without a requested type each record's own decides.
    const auto any = encode(kRecords, nullptr);
    EXPECT_EQ(any.status, LENDGATE_OK);
    EXPECT_EQ(any.output, encode(kRecords).output);
}

TEST(FixedWidthEncode, AHeaderThatCannotBeWrittenFailsTheWholeFile) {
    const auto result = encode({assignment("CAF-AO-0001", "ORD-000000001", "NEW")});
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT);
    EXPECT_EQ(result.failureCode(), "file_header");
    EXPECT_EQ(result.failureMessage(),
              "the header cannot be written: too_long: field FIRST (columns 14-23): the value needs 13 bytes, the "
              "field holds 10");
}

}  // namespace
