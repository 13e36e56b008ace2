// The configuration, parsed once: what it becomes, and every mistake a
// schema cannot see refused with the key that holds it.
#include <gtest/gtest.h>

#include <lendgate/plugin.hpp>

#include <string>

#include "layout.h"

namespace lendgate::fixedwidth {
namespace {

// A small valid layout; `records` and `extra` replace its parts.
std::string configWith(const std::string &fields, const std::string &extra = "") {
    return R"({"record_length": 40, "record_type": {"start": 1, "length": 2})" + extra +
           R"(, "records": [{"code": "D1", "message_type": "consent", "fields": )" + fields + "}]}";
}

// The message of the configuration error, or "" when the layout is accepted.
std::string refusal(const std::string &config) {
    try {
        parseLayout(config);
        return "";
    } catch (const PluginError &e) {
        EXPECT_EQ(e.status(), LENDGATE_ERR_CONFIG);
        return e.what();
    }
}

TEST(Layout, ParsesPositionsAsOneBasedColumns) {
    const Layout layout = parseLayout(configWith(R"([
        {"name": "ID", "start": 3, "length": 10, "to": "/idempotency_key", "required": true},
        {"name": "AMT", "start": 13, "length": 9, "type": "decimal", "decimals": 2, "sign": "trailing",
         "to": "/payload/amount"},
        {"name": "WHEN", "start": 22, "length": 8, "type": "date", "format": "MMDDYYYY", "utc_offset": "-07:00",
         "time": "06:00:00", "to": "/occurred_at"},
        {"name": "KIND", "const": "GRANT", "to": "/payload/action", "when": {"field": "ID"}}])"));
    ASSERT_EQ(layout.details.size(), 1u);
    const RecordSpec &d = layout.details[0];
    EXPECT_EQ(layout.codeOffset, 0u);
    EXPECT_EQ(layout.maxRecordBytes, 32768u);
    EXPECT_EQ(d.length, 40u);
    EXPECT_EQ(d.fields[0].offset, 2u);
    EXPECT_EQ(d.fields[1].align, Align::Right);
    EXPECT_EQ(d.fields[1].pad, '0');
    EXPECT_EQ(d.fields[1].number.sign, Sign::Trailing);
    EXPECT_TRUE(d.fields[2].dateTime);
    EXPECT_EQ(d.fields[2].timeOfDay.hour, 6);
    EXPECT_EQ(d.fields[0].slot, d.idempotencyKeySlot);
    ASSERT_TRUE(d.fields[3].when);
    EXPECT_EQ(d.fields[3].when->field, 0u);
    EXPECT_EQ(layout.messageTypes(), std::vector<std::string>{"consent"});
}

TEST(Layout, RefusesFieldsThatDoNotFitTheirRecord) {
    EXPECT_EQ(refusal(configWith(R"([{"name": "A", "start": 35, "length": 10}])")),
              "records[0].fields[0].length: the field ends at column 44, past the record length 40");
    EXPECT_EQ(
        refusal(configWith(R"([{"name": "A", "start": 3, "length": 10}, {"name": "B", "start": 12, "length": 3}])")),
        "records[0].fields[1]: field B overlaps field A");
    EXPECT_EQ(refusal(configWith(R"([{"name": "A", "start": 2, "length": 4}])")),
              "records[0].fields[0]: field A overlaps the record type code");
    EXPECT_EQ(
        refusal(configWith(R"([{"name": "A", "start": 3, "length": 4}, {"name": "A", "start": 7, "length": 4}])")),
        "records[0].fields[1].name: is used twice in this record");
    // The same columns twice is how one field feeds two targets.
    EXPECT_EQ(refusal(configWith(R"([{"name": "A", "start": 3, "length": 8, "type": "date", "format": "YYYYMMDD",
                                     "to": "/payload/d"},
                                    {"name": "B", "start": 3, "length": 8, "type": "date", "format": "YYYYMMDD",
                                     "utc_offset": "Z", "to": "/occurred_at"}])")),
              "");
}

TEST(Layout, RefusesKeysThatDoNotFitTheFieldType) {
    struct Case {
        const char *field;
        const char *message;
    };
    const Case cases[] = {
        {R"({"name": "A", "start": 3, "length": 8, "type": "date"})", "records[0].fields[0].format: is required"},
        {R"({"name": "A", "start": 3, "length": 8, "format": "YYYYMMDD"})",
         "records[0].fields[0].format: applies only to date and date_time fields"},
        {R"({"name": "A", "start": 3, "length": 6, "type": "date", "format": "YYYYMMDD"})",
         "records[0].fields[0].format: is 8 bytes wide, the field only 6"},
        {R"({"name": "A", "start": 3, "length": 14, "type": "date_time", "format": "YYYYMMDDhhmmss"})",
         "records[0].fields[0].utc_offset: is required for a date_time: the file's times are local to some offset"},
        {R"({"name": "A", "start": 3, "length": 14, "type": "date", "format": "YYYYMMDDhhmmss"})",
         "records[0].fields[0].format: has hours and minutes: use type date_time"},
        {R"({"name": "A", "start": 3, "length": 8, "type": "date", "format": "YYYYMMDD", "time": "06:00:00"})",
         "records[0].fields[0].time: needs utc_offset too"},
        {R"({"name": "A", "start": 3, "length": 8, "type": "date", "format": "YYMMDD"})",
         "records[0].fields[0].format: a date format may contain only YYYY (or CCYY), MM, DD, hh, mm, ss and the "
         "separators - / . : _ space T"},
        {R"({"name": "A", "start": 3, "length": 5, "decimals": 2})",
         "records[0].fields[0].decimals: applies only to decimal fields"},
        {R"({"name": "A", "start": 3, "length": 5, "type": "integer", "codes": {"A": "B"}})",
         "records[0].fields[0].codes: applies only to text fields"},
        {R"({"name": "A", "start": 3, "length": 5, "type": "decimal", "truncate": true})",
         "records[0].fields[0].truncate: applies only to text fields"},
        {R"({"name": "A", "start": 3, "length": 5, "align": "left", "pad": "zero"})",
         "records[0].fields[0].pad: zero padding needs right alignment"},
        {R"({"name": "A", "start": 3, "length": 1, "type": "boolean", "true": "YES"})",
         "records[0].fields[0].true: a code is longer than the field"},
        {R"({"name": "A", "start": 3, "length": 5, "value": "TOOLONG"})",
         "records[0].fields[0].value: must be 1 to 5 bytes, the field's length"},
        {R"({"name": "A", "start": 3, "length": 5, "value": "X", "to": "/payload/x"})",
         "records[0].fields[0].value: a field holds either a fixed value or a mapped one"},
        {R"({"name": "A", "const": "X"})", "records[0].fields[0].to: is required for a const"},
        {R"({"name": "A", "const": "X", "start": 3, "to": "/payload/x"})",
         "records[0].fields[0].start: does not apply to a const or header_field field"},
        {R"({"name": "A", "start": 3, "length": 5, "now": true})",
         "records[0].fields[0].now: applies only to header and trailer records"},
        {R"({"name": "A", "header_field": "DATE", "to": "/payload/x"})",
         "records[0].fields[0].header_field: names no field of the header record"},
        {R"({"name": "A", "start": 3, "length": 5, "to": "/payload/x", "when": {"field": "B"}})",
         "records[0].fields[0].when.field: names no column of this record"},
        {R"({"name": "A", "start": 3, "length": 5, "to": "/message_type"})",
         "records[0].fields[0].to: is set by the plugin"},
        {R"({"name": "A", "start": 3, "length": 5, "to": "payload/x"})",
         "records[0].fields[0].to: a pointer must start with /"},
        {R"({"name": "A", "start": 3, "length": 5, "to": "/payload/*/x"})",
         "records[0].fields[0].to: a * must stand where the record type's each has one"},
        {R"({"name": "A", "start": 3, "length": 5, "colour": "red"})",
         "records[0].fields[0].colour: is not a known key"},
    };
    for (const Case &c : cases) EXPECT_EQ(refusal(configWith(std::string("[") + c.field + "]")), c.message) << c.field;
    EXPECT_EQ(refusal(configWith(R"([{"name": "A", "start": 3, "length": 5, "to": "/payload/x"},
                                    {"name": "B", "start": 8, "length": 5, "to": "/payload/x/y"}])")),
              "records[0].fields[1].to: a pointer overlaps another one");
    EXPECT_EQ(refusal(configWith(R"([{"name": "A", "start": 3, "length": 5, "to": "/case_id"},
                                    {"name": "B", "start": 8, "length": 5, "to": "/case_id"}])")),
              "records[0].fields[1].to: is mapped twice");
}

TEST(Layout, RefusesRecordsAndTotalsThatDoNotAddUp) {
    const std::string detail = R"({"code": "D1", "message_type": "consent", "fields": [
        {"name": "AMT", "start": 3, "length": 9, "type": "decimal", "decimals": 2}]})";
    auto with = [&](const std::string &parts) {
        return R"({"record_length": 40, "record_type": {"start": 1, "length": 2}, "records": [)" + detail + "]" +
               parts + "}";
    };
    EXPECT_EQ(refusal(with(R"(, "trailer": {"code": "T9", "fields": [{"name": "N", "start": 3, "length": 5}],
                                "counts": [{"field": "N"}]})")),
              "trailer.counts[0].field: names no integer or decimal field of the trailer");
    EXPECT_EQ(refusal(with(R"(, "trailer": {"code": "T9", "fields": [
                                {"name": "S", "start": 3, "length": 9, "type": "decimal", "decimals": 1}],
                                "sums": [{"field": "S", "of": "AMT"}]})")),
              "trailer.sums[0].of: has more decimals than the trailer field, so the sum cannot be exact");
    EXPECT_EQ(refusal(with(R"(, "trailer": {"code": "T9", "fields": [
                                {"name": "S", "start": 3, "length": 9, "type": "decimal", "decimals": 2}],
                                "sums": [{"field": "S", "of": "TOTAL"}]})")),
              "trailer.sums[0].of: names no field of any detail record type");
    EXPECT_EQ(refusal(with(R"(, "trailer": {"code": "T9", "fields": [{"name": "N", "start": 3, "length": 5,
                                "type": "integer"}], "counts": [{"field": "N", "records": ["D2"]}]})")),
              "trailer.counts[0].records: names a code no detail record type has");
    EXPECT_EQ(refusal(with(R"(, "header": {"code": "D1", "fields": []})")),
              "records: two record types have the same code");
    EXPECT_EQ(refusal(with(R"(, "max_record_bytes": 64, "record_length": 63)")),
              "max_record_bytes: is smaller than the longest record and its line end");
    EXPECT_EQ(refusal(R"({"record_type": {"start": 1, "length": 2}, "records": [{"code": "D1",
                          "message_type": "consent", "fields": []}]})"),
              "records[0].length: is required without record_length");
    EXPECT_EQ(refusal(R"({"record_length": 40, "record_type": {"start": 1, "length": 2}, "records": [{"code": "DDD",
                          "message_type": "consent", "fields": []}]})"),
              "records[0].code: must be 1 to record_type.length bytes without leading or trailing spaces");
    EXPECT_EQ(refusal(R"({"record_length": 40, "record_type": {"start": 1, "length": 2}, "records": [{"code": "D1",
                          "message_type": "invoice", "fields": []}]})"),
              "records[0].message_type: is not a canonical message type");
    EXPECT_EQ(refusal(R"({"record_length": 40, "record_type": {"start": 1, "length": 2}, "records": [{"code": "E1",
                          "message_type": "ack", "each": "/payload/records/*/errors/*", "fields": []}]})"),
              "records[0].each: nests in no earlier record type's each of the same message type");
    EXPECT_EQ(refusal("{"), "the configuration is not valid JSON");
}

TEST(Layout, IdempotencyKeyTemplatesNameColumns) {
    const std::string fields = R"([{"name": "ID", "start": 3, "length": 10}])";
    const Layout layout = parseLayout(R"({"record_length": 40, "record_type": {"start": 1, "length": 2},
        "header": {"code": "HD", "fields": [{"name": "SEQ", "start": 3, "length": 3}]},
        "records": [{"code": "D1", "message_type": "consent", "idempotency_key": {"template": "X-{header.SEQ}-{ID}"},
                     "fields": )" + fields +
                                      "}]}");
    const auto &key = layout.details[0].idempotencyKey;
    ASSERT_EQ(key.size(), 4u);
    EXPECT_EQ(key[0].literal, "X-");
    EXPECT_TRUE(key[1].fromHeader);
    EXPECT_EQ(key[3].field, 0u);
    for (const char *bad : {"X-{NOPE}", "X-{ID", "X-}", "{}", "{header.ID}", "plain"}) {
        const std::string config = R"({"record_length": 40, "record_type": {"start": 1, "length": 2},
            "records": [{"code": "D1", "message_type": "consent", "idempotency_key": {"template": ")" +
                                   std::string(bad) + R"("}, "fields": )" + fields + "}]}";
        EXPECT_NE(refusal(config).find("records[0].idempotency_key.template: "), std::string::npos) << bad;
    }
}

}  // namespace
}  // namespace lendgate::fixedwidth
