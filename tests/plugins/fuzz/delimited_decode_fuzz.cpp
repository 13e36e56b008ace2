// Any bytes as a Desert Valley Bank style delimited file: the plugin ends with
// OK or "input unusable", never crashes, and every record it emits is valid JSON.
#include <cstdint>
#include <string_view>

#include "plugin_fuzz_support.h"

namespace {

// Header/detail/trailer with control totals, and at least one field of every transform.
constexpr std::string_view kConfig = R"({
  "message_type": "delinquency_notice",
  "max_record_bytes": 256,
  "record_types": {"column": 0, "detail": "D",
    "header": {"code": "H", "columns": ["T", "DATE"]},
    "trailer": {"code": "T", "columns": ["T", "N", "SUM"], "record_count": "N",
                "sums": [{"column": "SUM", "of": "C", "decimals": 2}]}},
  "idempotency_key": {"template": "{header.DATE}-{ID}"},
  "occurred_at": {"header_column": "DATE", "format": "YYYYMMDD", "utc_offset": "-07:00"},
  "fields": [
    {"column": "ID", "to": "/payload/id", "transform": ["trim", "upper"], "required": true},
    {"column": "DT", "to": "/payload/dates/0/d", "transform": "date", "format": "%m/%d/%Y"},
    {"column": "DT", "to": "/payload/dates/1/d", "transform": "date", "format": "%m/%d/%Y",
     "time": "12:00:00", "utc_offset": "Z"},
    {"column": "C", "to": "/payload/cents", "transform": "cents_to_decimal"},
    {"column": "C", "to": "/payload/decimal", "transform": "decimal"},
    {"column": "I", "to": "/payload/int", "transform": "integer"},
    {"column": "B", "transform": "boolean"},
    {"column": "B", "to": "/payload/yes", "transform": ["trim", "code_table"], "codes": {"Y": "YES", "N": "NO"},
     "when": {"column": "B", "in": ["y"]}},
    {"column": "P", "to": "/payload/parties/1/phone", "transform": "phone_e164"},
    {"const": "X", "to": "/payload/parties/1/kind", "when": {"column": "P"}},
    {"const": 7, "to": "/payload/parties/0/n"}
  ]
})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *instance = lendgate::fuzz::createOrAbort(kConfig);
    lendgate::fuzz::decodeChecked(instance, std::string_view(reinterpret_cast<const char *>(data), size));
    return 0;
}
