// The generic delimited (CSV, TSV, pipe) plugin: partner rows in, canonical
// records out, and back, every column mapped by one configuration. See README.md.
#include <lendgate/plugin.hpp>

#include <string_view>

#include "config_schema.h"
#include "delimited_decoder.h"
#include "delimited_encoder.h"
#include "mapping_config.h"

namespace lendgate::delimited {
namespace {

// Which type a file carries is the configuration's choice; these are the
// types partners send, so the host may route any of them to this plugin.
constexpr lendgate_format kDecodes[] = {
    {"delinquency_notice", "text/csv"},   {"account_update", "text/csv"},    {"consent", "text/csv"},
    {"hardship_application", "text/csv"}, {"hardship_decision", "text/csv"}, {"repossession_assignment", "text/csv"},
    {"repossession_outcome", "text/csv"}, {"referral_update", "text/csv"},
};

// What partners receive as files: ACKs, outcomes and decisions for lenders, orders for repo firms...
constexpr lendgate_format kEncodes[] = {
    {"ack", "text/csv"},
    {"repossession_outcome", "text/csv"},
    {"hardship_decision", "text/csv"},
    {"referral_update", "text/csv"},
    {"repossession_assignment", "text/csv"},
    {"delinquency_notice", "text/csv"},
    {"account_update", "text/csv"},
    {"hardship_application", "text/csv"},
    {"referral", "text/csv"},
};

class DelimitedPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "delimited",
            "1.1.0",
            "Delimited files (CSV, TSV, pipe) with header/detail/trailer records, mapped to and from canonical "
            "records by configuration",
            kConfigSchema,
            kDecodes,
            kEncodes,
            true,
            true,  // ACK slices: the encoder writes one ACK's slices as one file
        };
    }

    DelimitedPlugin(const Host &host, std::string_view config) : host_(host), config_(parseConfig(config)) {}

    void decode(DecodeContext &ctx) override { DelimitedDecoder(config_, host_, ctx).run(); }
    void encode(EncodeContext &ctx) override { DelimitedEncoder(config_, host_, ctx).run(); }

private:
    Host host_;
    DelimitedConfig config_;
};

}  // namespace
}  // namespace lendgate::delimited

LENDGATE_EXPORT_PLUGIN(lendgate::delimited::DelimitedPlugin)
