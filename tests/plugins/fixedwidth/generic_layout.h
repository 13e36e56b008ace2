// A small layout with one field of every kind, and a file for it, shared by
// the plugin tests: header values feeding details, a code table, dates to
// dates and date-times, an overpunched amount under a condition, a written
// decimal point with a leading sign, a literal, a flag, trailer totals.
#ifndef LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GENERIC_LAYOUT_H
#define LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GENERIC_LAYOUT_H

#include <initializer_list>
#include <string>
#include <utility>

namespace lendgate::test::fixedwidth {

inline const char *const kGenericLayout = R"({
  "record_length": 60,
  "record_type": {"start": 1, "length": 1},
  "header": {"code": "H", "fields": [
    {"name": "BATCH", "start": 2, "length": 6, "required": true},
    {"name": "DATE", "start": 8, "length": 8, "type": "date", "format": "MMDDYYYY", "required": true}]},
  "records": [{"code": "P", "message_type": "account_update",
    "idempotency_key": {"template": "{header.BATCH}-{REF}"},
    "fields": [
      {"name": "REF", "start": 2, "length": 8, "required": true},
      {"name": "DATE", "header_field": "DATE", "type": "date", "format": "MMDDYYYY", "utc_offset": "-07:00",
       "time": "12:00:00", "to": "/occurred_at"},
      {"name": "ACCT", "start": 10, "length": 10, "to": "/payload/account/account_number"},
      {"name": "EVENT", "start": 20, "length": 2, "to": "/payload/event", "required": true,
       "codes": {"PP": "PAYMENT_POSTED", "CU": "CURED"}},
      {"name": "POSTED", "start": 22, "length": 8, "type": "date", "format": "YYYYMMDD", "to": "/payload/effective_date"},
      {"name": "PAY_DATE", "start": 22, "length": 8, "type": "date", "format": "YYYYMMDD", "to": "/payload/payment/date",
       "when": {"field": "EVENT", "in": ["pp"]}},
      {"name": "AMOUNT", "start": 30, "length": 9, "type": "decimal", "decimals": 2, "sign": "overpunch",
       "to": "/payload/payment/amount", "when": {"field": "EVENT", "in": ["PP"]}},
      {"name": "DPD", "start": 39, "length": 3, "type": "integer", "to": "/payload/days_past_due"},
      {"name": "BAL", "start": 42, "length": 10, "type": "decimal", "decimals": 2, "decimal_point": true,
       "sign": "leading", "pad": "space", "to": "/payload/balance"},
      {"name": "FILLER", "start": 52, "length": 2, "value": "LG"},
      {"name": "AUTOPAY", "start": 54, "length": 1, "type": "boolean", "true": "A", "false": "N",
       "to": "/payload/autopay"}]}],
  "trailer": {"code": "T", "fields": [
      {"name": "N", "start": 2, "length": 5, "type": "integer"},
      {"name": "SUM", "start": 7, "length": 12, "type": "decimal", "decimals": 2, "sign": "trailing"}],
    "counts": [{"field": "N"}],
    "sums": [{"field": "SUM", "of": "AMOUNT"}]}
})";

/// A 60-byte line with `text` at each 1-based column.
inline std::string genericLine(std::initializer_list<std::pair<std::size_t, std::string>> columns) {
    std::string line(60, ' ');
    for (const auto &[column, text] : columns) line.replace(column - 1, text.size(), text);
    return line;
}

/// Header, two details (a payment and a cure), `extra` lines, trailer (2 details, 250.10).
inline std::string genericFile(const std::string &extra = "") {
    return genericLine({{1, "H"}, {2, "B00017"}, {8, "11222026"}}) + "\n" +
           genericLine({{1, "P"},
                        {2, "REF00001"},
                        {10, "4401009817"},
                        {20, "PP"},
                        {22, "20261120"},
                        {30, "00002501{"},
                        {39, "012"},
                        {42, "  -1250.10"},
                        {52, "LG"},
                        {54, "A"}}) +
           "\n" +
           genericLine({{1, "P"},
                        {2, "REF00002"},
                        {10, "4401012264"},
                        {20, "CU"},
                        {22, "20261121"},
                        {39, "000"},
                        {42, "      0.00"},
                        {52, "LG"},
                        {54, "N"}}) +
           "\n" + (extra.empty() ? "" : extra + "\n") + genericLine({{1, "T"}, {2, "00002"}, {7, "00000025010+"}}) +
           "\n";
}

}  // namespace lendgate::test::fixedwidth

#endif  // LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GENERIC_LAYOUT_H
