// Drives a plugin linked into a libFuzzer harness through its C ABI, as the
// host does, and aborts when the plugin breaks a promise of that ABI.
#ifndef LENDGATE_TESTS_PLUGINS_FUZZ_PLUGIN_FUZZ_SUPPORT_H
#define LENDGATE_TESTS_PLUGINS_FUZZ_PLUGIN_FUZZ_SUPPORT_H

#include <lendgate/plugin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

extern "C" const lendgate_plugin_descriptor *lendgate_plugin_entry(uint16_t, uint16_t);

namespace lendgate::fuzz {

struct Decoded {
    int status = -1;
    std::vector<std::string> records;
};

// Messages go to logs and ACKs one line each; plugins never put control characters in them.
inline void checkText(const char *text) {
    if (text == nullptr) std::abort();
    for (const char *p = text; *p != '\0'; ++p)
        if (static_cast<unsigned char>(*p) < 0x20) std::abort();
}

// Grammar is the plugins' promise; numbers beyond a double's range are valid
// JSON that nlohmann refuses, and refusing them is the canonical model's job.
inline bool isJsonObject(std::string_view text) {
    try {
        return nlohmann::json::parse(text).is_object();
    } catch (const nlohmann::json::out_of_range &) {
        return text.front() == '{' && text.back() == '}';
    } catch (const nlohmann::json::exception &) {
        return false;
    }
}

inline void *createOrAbort(std::string_view config) {
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    lendgate_diagnostics diag{nullptr, nullptr, [](void *, const char *, const char *) {}};
    void *instance = nullptr;
    if (d->create(nullptr, config.data(), config.size(), &instance, &diag) != LENDGATE_OK) std::abort();
    return instance;
}

/// Decodes `input` in reads of 1 to 64 bytes (taken from the input's first
/// byte) and checks what a host relies on: a known status, every record one
/// valid JSON object, every error message free of control characters.
inline Decoded decodeChecked(void *instance, std::string_view input) {
    struct State {
        std::string_view input;
        std::size_t position = 0;
        std::size_t chunk = 1;
        Decoded out;
    } state{input, 0, input.empty() ? 1u : 1u + static_cast<unsigned char>(input[0]) % 64u, {}};
    lendgate_reader reader{&state, [](void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
                               auto *s = static_cast<State *>(ctx);
                               *n = std::min({capacity, s->chunk, s->input.size() - s->position});
                               std::memcpy(buffer, s->input.data() + s->position, *n);
                               s->position += *n;
                               return static_cast<int>(LENDGATE_OK);
                           }};
    lendgate_record_sink sink{&state, [](void *ctx, const char *type, const char *json, std::size_t len,
                                         const lendgate_location *) {
                                  const std::string_view text(json, len);
                                  if (type == nullptr || *type == '\0' || !isJsonObject(text)) std::abort();
                                  static_cast<State *>(ctx)->out.records.emplace_back(text);
                                  return 0;
                              }};
    lendgate_diagnostics diag{nullptr,
                              [](void *, const lendgate_location *, const char *code, const char *field,
                                 const char *message) {
                                  checkText(code);
                                  checkText(field);
                                  checkText(message);
                              },
                              [](void *, const char *code, const char *message) {
                                  checkText(code);
                                  checkText(message);
                              }};
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    state.out.status = d->decode(instance, nullptr, &reader, &sink, &diag);
    if (state.out.status != LENDGATE_OK && state.out.status != LENDGATE_ERR_INPUT) std::abort();
    return state.out;
}

}  // namespace lendgate::fuzz

#endif  // LENDGATE_TESTS_PLUGINS_FUZZ_PLUGIN_FUZZ_SUPPORT_H
