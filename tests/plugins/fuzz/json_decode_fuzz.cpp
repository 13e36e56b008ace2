// Any bytes as JSON input, in both modes. The plugin ends with OK or "input
// unusable", never crashes, and emits only valid JSON objects (nlohmann
// agrees). Canonical mode: what it emits survives an encode and a second
// decode unchanged in count. Mapped mode (a partner shape using every
// transform, code tables, defaults, constants, conditions, type selection and
// nested arrays): the records it decodes encode without a single record error
// and decode again to exactly the same records.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_fuzz_support.h"

namespace {

constexpr std::string_view kMappedConfig = R"({
  "mode": "mapped",
  "max_record_bytes": 4096,
  "types": [
    {"message_type": "repossession_outcome", "when": {"from": "/t", "in": ["o", "O2"]}, "fields": [
      {"from": "/id", "to": "/idempotency_key", "required": true},
      {"from": "/t", "to": "/payload/event", "transform": "code_table",
       "codes": {"o": "RECOVERED", "O2": ["LOCATED", "UPDATE"]}},
      {"from": "/s", "to": "/payload/s", "transform": ["trim", "upper"]},
      {"from": "/d", "to": "/payload/d", "transform": "decimal"},
      {"from": "/c", "to": "/payload/c", "transform": "cents_to_decimal"},
      {"from": "/i", "to": "/payload/i", "transform": "integer"},
      {"from": "/n", "to": "/payload/n", "transform": "string"},
      {"from": "/b", "to": "/payload/b", "transform": "boolean", "boolean_text": ["J", "N"]},
      {"from": "/k", "to": "/payload/k", "type": "integer", "default": 3},
      {"from": "/x/y/0", "to": "/payload/xy"},
      {"const": "P", "to": "/partner_refs/0/partner", "when": {"from": "/ref", "in": ["r1", "R2"]}},
      {"from": "/ref", "to": "/partner_refs/0/value"},
      {"const": "v1", "from": "/api"},
      {"from": "/a", "to": "/payload/a", "each": [
        {"from": "/q", "to": "/q", "required": true},
        {"from": "/z", "to": "/z", "each": [{"from": "", "to": ""}]}
      ]}
    ]},
    {"message_type": "consent", "when": {"from": "/t", "in": ["c"]}, "fields": [
      {"from": "/id", "to": "/idempotency_key"},
      {"from": "/at", "to": "/occurred_at", "direction": "decode"},
      {"from": "/at", "to": "/payload/captured_at"},
      {"from": "/sc", "to": "/payload/scope", "each": [
        {"from": "", "to": "", "transform": "code_table", "codes": {"F": "financial-insecurity", "H": "housing-instability"}}
      ]}
    ]}
  ]
})";

struct Source {
    const std::vector<std::string> *records;
    std::size_t next = 0;
};

std::string encode(void *instance, const std::vector<std::string> &records) {
    Source source{&records};
    std::string out;
    lendgate_record_source in{&source, [](void *ctx, const char **json, std::size_t *len) {
                                  auto *s = static_cast<Source *>(ctx);
                                  if (s->next == s->records->size()) return 0;
                                  const std::string &r = (*s->records)[s->next++];
                                  *json = r.data();
                                  *len = r.size();
                                  return 1;
                              }};
    lendgate_writer writer{&out, [](void *ctx, const char *data, std::size_t len) {
                               static_cast<std::string *>(ctx)->append(data, len);
                               return static_cast<int>(LENDGATE_OK);
                           }};
    lendgate_diagnostics diag{
        nullptr, [](void *, const lendgate_location *, const char *, const char *, const char *) { std::abort(); },
        [](void *, const char *, const char *) {}};
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (d->encode(instance, nullptr, &in, &writer, &diag) != LENDGATE_OK) std::abort();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *instance = lendgate::fuzz::createOrAbort(R"({"max_record_bytes": 4096})");
    static void *pretty = lendgate::fuzz::createOrAbort(R"({"output": "array", "pretty": true})");
    static void *mapped = lendgate::fuzz::createOrAbort(kMappedConfig);
    const std::string_view input(reinterpret_cast<const char *>(data), size);

    const auto first = lendgate::fuzz::decodeChecked(instance, input);
    for (void *encoder : {instance, pretty}) {
        if (first.records.empty()) break;
        const std::string encoded = encode(encoder, first.records);
        const auto second = lendgate::fuzz::decodeChecked(instance, encoded);
        if (second.status != LENDGATE_OK || second.records.size() != first.records.size()) std::abort();
    }

    const auto partner = lendgate::fuzz::decodeChecked(mapped, input);
    if (partner.records.empty()) return 0;
    const std::string encoded = encode(mapped, partner.records);
    const auto again = lendgate::fuzz::decodeChecked(mapped, encoded);
    if (again.status != LENDGATE_OK || again.records != partner.records) std::abort();
    return 0;
}
