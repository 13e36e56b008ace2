// The generic delimited (CSV, TSV, pipe) plugin: partner rows in, canonical
// records out, every column mapped by configuration. See README.md.
#include <lendgate/plugin.hpp>

#include <string_view>

#include "config_schema.h"
#include "delimited_decoder.h"
#include "mapping_config.h"

namespace lendgate::delimited {
namespace {

// Which type a file carries is the configuration's choice; these are the
// types partners send, so the host may route any of them to this plugin.
constexpr lendgate_format kDecodes[] = {
    {"delinquency_notice", "text/csv"},     {"account_update", "text/csv"},
    {"consent", "text/csv"},                {"hardship_application", "text/csv"},
    {"hardship_decision", "text/csv"},      {"repossession_assignment", "text/csv"},
    {"repossession_outcome", "text/csv"},   {"referral_update", "text/csv"},
};

class DelimitedPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "delimited",
            "1.0.0",
            "Delimited files (CSV, TSV, pipe) with header/detail/trailer records, mapped to canonical records by "
            "configuration",
            kConfigSchema,
            kDecodes,
            {},
            true,
        };
    }

    DelimitedPlugin(const Host &host, std::string_view config) : host_(host), config_(parseConfig(config)) {}

    void decode(DecodeContext &ctx) override { DelimitedDecoder(config_, host_, ctx).run(); }

private:
    Host host_;
    DelimitedConfig config_;
};

}  // namespace
}  // namespace lendgate::delimited

LENDGATE_EXPORT_PLUGIN(lendgate::delimited::DelimitedPlugin)
