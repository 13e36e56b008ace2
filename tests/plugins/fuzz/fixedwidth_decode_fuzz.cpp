// Any bytes as a fixed-width file: the plugin ends with OK or "input
// unusable", never crashes, and every record it emits is valid JSON. Two
// instances of one layout (short lines padded, and exact lengths) see every
// input; the layout has a header feeding the details, two detail types, a
// trailer with counts and a sum, and at least one field of every kind.
#include <cstdint>
#include <string_view>

#include "plugin_fuzz_support.h"

namespace {

constexpr std::string_view kLayout = R"({
  "record_length": 48, "record_type": {"start": 1, "length": 2}, "max_record_bytes": 128, "short_lines": "%",
  "header": {"code": "HH", "fields": [
    {"name": "DATE", "start": 3, "length": 8, "type": "date", "format": "YYYYMMDD", "required": true},
    {"name": "SEQ", "start": 11, "length": 3, "type": "integer"},
    {"name": "TAG", "start": 14, "length": 2, "value": "FW"}]},
  "records": [
    {"code": "D1", "message_type": "delinquency_notice", "idempotency_key": {"template": "{header.SEQ}-{ID}"},
     "fields": [
      {"name": "ID", "start": 3, "length": 6, "required": true},
      {"name": "AT", "header_field": "DATE", "type": "date", "format": "YYYYMMDD", "utc_offset": "-07:00",
       "time": "06:00:00", "to": "/occurred_at"},
      {"name": "NAME", "start": 9, "length": 8, "to": "/payload/parties/0/name/last", "trim": "right", "upper": true},
      {"name": "ROLE", "const": "BORROWER", "to": "/payload/parties/0/role", "when": {"field": "NAME"}},
      {"name": "CODE", "start": 17, "length": 1, "to": "/payload/loan/product", "codes": {"R": "AUTO_RIC", "L": "AUTO_LOAN"}},
      {"name": "AMT", "start": 18, "length": 8, "type": "decimal", "decimals": 2, "sign": "overpunch",
       "to": "/payload/amount_past_due"},
      {"name": "BAL", "start": 26, "length": 8, "type": "decimal", "decimals": 2, "decimal_point": true,
       "sign": "leading", "pad": "space", "to": "/payload/balance"},
      {"name": "DPD", "start": 34, "length": 3, "type": "integer", "to": "/payload/days_past_due"},
      {"name": "SEEN", "start": 37, "length": 12, "type": "date_time", "format": "YYYYMMDDhhmm", "utc_offset": "Z",
       "to": "/payload/flags/scra/checked_at", "when": {"field": "CODE", "in": ["r"]}}]},
    {"code": "D2", "message_type": "repossession_assignment", "fields": [
      {"name": "ID", "start": 3, "length": 6, "to": "/idempotency_key", "required": true},
      {"name": "AT", "start": 9, "length": 8, "type": "date", "format": "MMDDYYYY", "utc_offset": "Z", "to": "/occurred_at"},
      {"name": "FLAG", "start": 17, "length": 1, "type": "boolean", "to": "/payload/contact_flags/dispute"},
      {"name": "PHONE", "start": 18, "length": 10, "type": "phone", "to": "/payload/debtors/0/phones/0/number"},
      {"name": "AMT", "start": 28, "length": 8, "type": "decimal", "decimals": 2, "sign": "trailing",
       "to": "/payload/amounts/amount_past_due"},
      {"name": "NOTE", "start": 36, "length": 13, "trim": "none", "to": "/payload/instructions"}]}],
  "trailer": {"code": "TT", "fields": [
      {"name": "N", "start": 3, "length": 6, "type": "integer"},
      {"name": "N1", "start": 9, "length": 6, "type": "integer"},
      {"name": "ALL", "start": 15, "length": 6, "type": "integer"},
      {"name": "SUM", "start": 21, "length": 12, "type": "decimal", "decimals": 2, "sign": "leading"}],
    "counts": [{"field": "N"}, {"field": "N1", "records": ["D1"]}, {"field": "ALL", "records": "all"}],
    "sums": [{"field": "SUM", "of": "AMT"}]}
})";

void *createWith(std::string_view shortLines) {
    std::string config(kLayout);
    config.replace(config.find('%'), 1, shortLines);
    return lendgate::fuzz::createOrAbort(config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *padded = createWith("pad");
    static void *exact = createWith("error");
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    lendgate::fuzz::decodeChecked(padded, input);
    lendgate::fuzz::decodeChecked(exact, input);
    return 0;
}
