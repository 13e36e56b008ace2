// The generic fixed-width plugin: partner lines in and out, every column
// described by configuration. See README.md.
#include <lendgate/plugin.hpp>

#include <string_view>

#include "config_schema.h"
#include "fixedwidth_decoder.h"
#include "fixedwidth_encoder.h"
#include "layout.h"

namespace lendgate::fixedwidth {
namespace {

// Which types a file carries is the configuration's choice; these are the
// types partners exchange, so the host may route any of them to this plugin.
constexpr lendgate_format kDecodes[] = {
    {"delinquency_notice", "text/plain"},
    {"account_update", "text/plain"},
    {"consent", "text/plain"},
    {"hardship_application", "text/plain"},
    {"hardship_decision", "text/plain"},
    {"repossession_assignment", "text/plain"},
    {"repossession_outcome", "text/plain"},
    {"referral_update", "text/plain"},
};

constexpr lendgate_format kEncodes[] = {
    {"repossession_assignment", "text/plain"},
    {"repossession_outcome", "text/plain"},
    {"ack", "text/plain"},
    {"delinquency_notice", "text/plain"},
    {"account_update", "text/plain"},
    {"hardship_application", "text/plain"},
    {"hardship_decision", "text/plain"},
    {"consent", "text/plain"},
    {"referral", "text/plain"},
    {"referral_update", "text/plain"},
};

class FixedWidthPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "fixedwidth",
            "1.0.0",
            "Fixed-width files with header/detail/trailer records and control totals, read and written by "
            "configuration",
            kConfigSchema,
            kDecodes,
            kEncodes,
            true,
            true,  // ACK slices: the encoder writes one ACK's slices as one file
        };
    }

    FixedWidthPlugin(const Host &host, std::string_view config) : host_(host), layout_(parseLayout(config)) {}

    void decode(DecodeContext &ctx) override { FixedWidthDecoder(layout_, host_, ctx).run(); }
    void encode(EncodeContext &ctx) override { FixedWidthEncoder(layout_, host_, ctx).run(); }

private:
    Host host_;
    Layout layout_;
};

}  // namespace
}  // namespace lendgate::fixedwidth

LENDGATE_EXPORT_PLUGIN(lendgate::fixedwidth::FixedWidthPlugin)
