// Any bytes as a nonprofit's referral updates: the hsds plugin ends with OK or
// "input unusable", never crashes, and every record it emits is a canonical
// referral_update naming one of the configured services with a canonical
// status. Then the same bytes as one canonical referral to encode: the call
// succeeds, and either the referral is refused with a reason or the document
// written is one JSON object carrying only what the HSDS profile allows.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "plugin_fuzz_support.h"

namespace {

// Two services, a location, a taxonomy term, every client field, a small record cap.
constexpr std::string_view kConfig = R"({
  "partner_id": "sonoran-family-services",
  "organization": {"id": "org-1", "name": "Sonoran Family Services"},
  "services": [
    {"id": "svc-fin", "name": "Emergency Financial Assistance", "needs": ["financial-insecurity", "veteran-status"],
     "taxonomy_term": {"id": "t-1", "code": "NL-6000.2000", "name": "Emergency Financial Assistance",
                       "taxonomy": "211 Human Services Taxonomy"},
     "location_ids": ["loc-phx"]},
    {"id": "svc-food", "name": "Family Food Pantry", "needs": ["food-insecurity"]}
  ],
  "client_fields": ["phone", "language", "best_time", "postal_code", "county"],
  "statuses": {"RECEIVED": "requested", "CONTACTED": "in-progress", "ENROLLED": "completed", "DECLINED": "rejected"},
  "max_record_bytes": 512
})";

void checkUpdate(const std::string &record) {
    const auto value = nlohmann::json::parse(record);
    if (value.at("message_type") != "referral_update" || value.at("schema_version") != "1.0") std::abort();
    const std::string &status = value.at("payload").at("status").get_ref<const std::string &>();
    if (status != "requested" && status != "in-progress" && status != "completed" && status != "rejected") std::abort();
    const auto &service = value.at("partner_refs").at(0).at("value");
    if (service != "svc-fin" && service != "svc-food") std::abort();
    if (value.at("idempotency_key").get_ref<const std::string &>().empty()) std::abort();
}

// A key anywhere in the document that the profile never writes.
bool hasKeyOutsideProfile(const nlohmann::json &value) {
    static const char *const kWritten[] = {
        "profile",      "referral_id", "message_id", "created_at", "urgency",         "need",        "consent_id",
        "organization", "id",          "name",       "service",    "organization_id", "location",    "taxonomy_term",
        "code",         "taxonomy",    "client",     "first",      "middle",          "last",        "suffix",
        "phone",        "number",      "type",       "language",   "best_time",       "postal_code", "county"};
    if (value.is_object()) {
        for (const auto &item : value.items()) {
            bool known = false;
            for (const char *k : kWritten) known = known || item.key() == k;
            if (!known || hasKeyOutsideProfile(item.value())) return true;
        }
    }
    return false;
}

void checkEncode(void *instance, std::string_view input) {
    struct State {
        std::string_view record;
        bool given = false;
        std::string out;
        int errors = 0;
    } state{input, false, {}, 0};
    lendgate_record_source source{&state, [](void *ctx, const char **json, std::size_t *len) {
                                      auto *s = static_cast<State *>(ctx);
                                      if (s->given) return 0;
                                      s->given = true;
                                      *json = s->record.data();
                                      *len = s->record.size();
                                      return 1;
                                  }};
    lendgate_writer writer{&state, [](void *ctx, const char *data, std::size_t len) {
                               static_cast<State *>(ctx)->out.append(data, len);
                               return static_cast<int>(LENDGATE_OK);
                           }};
    lendgate_diagnostics diag{
        &state,
        [](void *ctx, const lendgate_location *, const char *code, const char *field, const char *message) {
            lendgate::fuzz::checkText(code);
            lendgate::fuzz::checkText(field);
            lendgate::fuzz::checkText(message);
            ++static_cast<State *>(ctx)->errors;
        },
        [](void *, const char *, const char *) { std::abort(); }};
    const lendgate_plugin_descriptor *d = lendgate_plugin_entry(LENDGATE_ABI_MAJOR, LENDGATE_ABI_MINOR);
    if (d->encode(instance, "referral", &source, &writer, &diag) != LENDGATE_OK) std::abort();
    // Refused with a reason, or written: never both, never neither.
    if (state.out.empty() == (state.errors == 0)) std::abort();
    if (state.out.empty()) return;
    if (state.out.back() != '\n' || state.out.find('\n') != state.out.size() - 1) std::abort();
    const auto document = nlohmann::json::parse(state.out);
    if (!document.is_object() || hasKeyOutsideProfile(document)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static void *instance = lendgate::fuzz::createOrAbort(kConfig);
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const auto decoded = lendgate::fuzz::decodeChecked(instance, input);
    for (const std::string &record : decoded.records) checkUpdate(record);
    checkEncode(instance, input);
    return 0;
}
