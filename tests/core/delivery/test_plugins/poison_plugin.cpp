// A destination plugin that passes records through as text, except a record
// carrying a marker it refuses: the "poison record" of RELIABILITY.md G5.
// POISON in a record fails the whole call; SKIPME is reported as a record
// error and skipped, the way real encoders treat a bad record.
#include <lendgate/plugin.hpp>

#include <string_view>

namespace {

constexpr lendgate_format kEncodes[] = {{"repossession_assignment", "text/plain"}};

class PoisonPlugin final : public lendgate::Plugin {
public:
    static lendgate::PluginTraits traits() {
        return {"poison",
                "1.0.0",
                "Passes records through; refuses those marked POISON (test plugin)",
                R"({"type":"object","additionalProperties":false})",
                {},
                kEncodes};
    }

    PoisonPlugin(const lendgate::Host &, std::string_view) {}

    void encode(lendgate::EncodeContext &ctx) override {
        std::string_view json;
        while (ctx.next(json)) {
            if (json.find("POISON") != std::string_view::npos)
                throw lendgate::inputError("poison", "the record carries the POISON marker");
            if (json.find("SKIPME") != std::string_view::npos) {
                lendgate::Location where;
                where.record = ctx.recordNumber();
                ctx.recordError(where, "skipped", "/idempotency_key", "the record is marked SKIPME");
                continue;
            }
            ctx.write(json);
        }
    }
};

}  // namespace

LENDGATE_EXPORT_PLUGIN(PoisonPlugin)
