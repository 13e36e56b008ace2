// Any bytes as a Desert Valley Bank style delimited file: the plugin ends with
// OK or "input unusable", never crashes, and every record it emits is valid
// JSON. Then the way back: the records it decoded encode to a file that
// decodes to exactly the same records (the encoder's reverse transforms, its
// quoting and its header, trailer and totals, checked against the decoder).
#include <lendgate/plugin.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_fuzz_support.h"

namespace {

// Header/detail/trailer with control totals, at least one field of every transform, columns by name and by
// position, a cell split into an array, a date with a time of day. A cell mapped twice is normalised the same
// way both times (no upper on ID, which the key also takes; no decimal beside cents_to_decimal): one cell cannot
// give back two different values.
#define LENDGATE_FUZZ_CONFIG(MAX_RECORD_BYTES) \
    R"({
  "message_type": "delinquency_notice",
  "max_record_bytes": )" MAX_RECORD_BYTES R"(,
  "columns": ["T", "ID", "DT", "C", "I", "B", "P", "N", "Q", "TS", "A"],
  "record_types": {"column": 0, "detail": "D",
    "header": {"code": "H", "columns": ["T", "DATE"],
               "values": [{"column": "DATE", "to": "/occurred_at", "transform": "date", "format": "YYYYMMDD",
                           "utc_offset": "-07:00"}]},
    "trailer": {"code": "T", "columns": ["T", "N", "SUM"], "record_count": "N",
                "sums": [{"column": "SUM", "of": "C", "decimals": 2}]}},
  "idempotency_key": {"template": "{header.DATE}-{ID}"},
  "occurred_at": {"header_column": "DATE", "format": "YYYYMMDD", "utc_offset": "-07:00"},
  "fields": [
    {"column": "ID", "to": "/payload/id", "transform": "trim", "required": true},
    {"column": "DT", "to": "/payload/dates/0/d", "transform": "date", "format": "%m/%d/%Y"},
    {"column": "DT", "to": "/payload/dates/1/d", "transform": "date", "format": "%m/%d/%Y",
     "time": "12:00:00", "utc_offset": "Z"},
    {"column": "C", "to": "/payload/cents", "transform": "cents_to_decimal"},
    {"column": "A", "to": "/payload/decimal", "transform": "decimal"},
    {"column": "I", "to": "/payload/int", "transform": "integer"},
    {"column": "B", "transform": "boolean"},
    {"column": "B", "to": "/payload/yes", "transform": ["trim", "code_table"], "codes": {"Y": "YES", "N": "NO"},
     "when": {"column": "B", "in": ["y"]}},
    {"column": "P", "to": "/payload/parties/1/phone", "transform": "phone_e164"},
    {"const": "X", "to": "/payload/parties/1/kind", "when": {"column": "P"}},
    {"const": 7, "to": "/payload/parties/0/n"},
    {"column": "N", "to": "/payload/needs", "join": {"separator": ";"}, "transform": ["trim", "upper"]},
    {"column": 8, "to": "/payload/q"},
    {"column": "TS", "to": "/payload/at", "transform": "date", "format": "%m/%d/%Y %H:%M", "utc_offset": "-07:00"}
  ]
})"

constexpr std::string_view kConfig = LENDGATE_FUZZ_CONFIG("256");
// The same mapping without the small row cap: re-encoding may lengthen a row ("1/5/2026" -> "01/05/2026").
constexpr std::string_view kRoundTripConfig = LENDGATE_FUZZ_CONFIG("65536");

struct Encoded {
    std::string bytes;
    // Records the trailer could not total (an amount past 64 bits in minor units): decoding only warns about such
    // an amount, encoding refuses the row. Any other record error is a bug.
    std::vector<std::uint64_t> untotalled;
};

Encoded encodeOrAbort(void *instance, const std::vector<std::string> &records) {
    struct State {
        const std::vector<std::string> *records;
        std::size_t next = 0;
        Encoded out;
    } state{&records, 0, {}};
    lendgate_record_source source{&state, [](void *ctx, const char **json, std::size_t *len) {
                                      auto *s = static_cast<State *>(ctx);
                                      if (s->next == s->records->size()) return 0;
                                      const std::string &r = (*s->records)[s->next++];
                                      *json = r.data();
                                      *len = r.size();
                                      return 1;
                                  }};
    lendgate_writer writer{&state, [](void *ctx, const char *data, std::size_t len) {
                               static_cast<State *>(ctx)->out.bytes.append(data, len);
                               return static_cast<int>(LENDGATE_OK);
                           }};
    lendgate_diagnostics diag{
        &state,
        [](void *ctx, const lendgate_location *where, const char *code, const char *field, const char *message) {
            lendgate::fuzz::checkText(field);
            lendgate::fuzz::checkText(message);
            if (std::string_view(code) != "amount") std::abort();
            static_cast<State *>(ctx)->out.untotalled.push_back(where->record);
        },
        [](void *, const char *code, const char *message) {
            lendgate::fuzz::checkText(code);
            lendgate::fuzz::checkText(message);
        }};
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (d->encode(instance, "delinquency_notice", &source, &writer, &diag) != LENDGATE_OK) std::abort();
    return state.out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *instance = lendgate::fuzz::createOrAbort(kConfig);
    static void *roundTrip = lendgate::fuzz::createOrAbort(kRoundTripConfig);
    const auto decoded =
        lendgate::fuzz::decodeChecked(instance, std::string_view(reinterpret_cast<const char *>(data), size));
    if (decoded.status != LENDGATE_OK) return 0;
    const Encoded encoded = encodeOrAbort(instance, decoded.records);
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < decoded.records.size(); ++i)
        if (std::find(encoded.untotalled.begin(), encoded.untotalled.end(), i + 1) == encoded.untotalled.end())
            expected.push_back(decoded.records[i]);
    const auto again = lendgate::fuzz::decodeChecked(roundTrip, encoded.bytes);
    if (again.status != LENDGATE_OK || again.records != expected) std::abort();
    return 0;
}
