// Open Referral HSDS-aligned JSON for nonprofit partners: canonical referrals
// out as referral documents naming the partner's HSDS organization, service,
// location and taxonomy term; the nonprofit's status updates in as canonical
// referral_update records. One plugin, one configuration per nonprofit. See README.md.
#include <lendgate/plugin.hpp>

#include <string_view>

#include "config_schema.h"
#include "hsds_config.h"
#include "referral_encoder.h"
#include "update_decoder.h"

namespace lendgate::hsds {
namespace {

constexpr lendgate_format kDecodes[] = {{"referral_update", "application/json"}};
constexpr lendgate_format kEncodes[] = {{"referral", "application/json"}};

class HsdsPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "hsds",
            "1.0.0",
            "Open Referral HSDS-aligned JSON for nonprofits: referrals out, referral status updates in",
            kConfigSchema,
            kDecodes,
            kEncodes,
            true,
        };
    }

    HsdsPlugin(const Host &, std::string_view config) : config_(parseConfig(config)) {}

    void decode(DecodeContext &ctx) override { UpdateDecoder(config_, ctx).run(); }
    void encode(EncodeContext &ctx) override { ReferralEncoder(config_, ctx).run(); }

private:
    HsdsConfig config_;
};

}  // namespace
}  // namespace lendgate::hsds

LENDGATE_EXPORT_PLUGIN(lendgate::hsds::HsdsPlugin)
