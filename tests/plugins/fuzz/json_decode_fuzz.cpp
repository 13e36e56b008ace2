// Any bytes as canonical JSON input: the plugin ends with OK or "input
// unusable", never crashes, emits only valid JSON objects (nlohmann agrees),
// and what it emits survives an encode and a second decode unchanged in count.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_fuzz_support.h"

namespace {

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
    lendgate_diagnostics diag{nullptr, [](void *, const lendgate_location *, const char *, const char *,
                                          const char *) { std::abort(); },
                              [](void *, const char *, const char *) {}};
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (d->encode(instance, nullptr, &in, &writer, &diag) != LENDGATE_OK) std::abort();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *instance = lendgate::fuzz::createOrAbort(R"({"max_record_bytes": 4096})");
    static void *pretty = lendgate::fuzz::createOrAbort(R"({"output": "array", "pretty": true})");
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const auto first = lendgate::fuzz::decodeChecked(instance, input);
    if (first.records.empty()) return 0;
    for (void *encoder : {instance, pretty}) {
        const std::string encoded = encode(encoder, first.records);
        const auto second = lendgate::fuzz::decodeChecked(instance, encoded);
        if (second.status != LENDGATE_OK || second.records.size() != first.records.size()) std::abort();
    }
    return 0;
}
