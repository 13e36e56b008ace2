// Canonical referral records to the nonprofit's HSDS-aligned referral
// documents: the configuration's organization, the service (and taxonomy
// term) serving the referral's need, the location the gateway chose, and the
// person's minimum contact data the configuration allows.
//
// The canonical referral is minimised already (policy C10); this encoder does
// not trust that. A record carrying any member the profile does not define
// (an SSN, an account, a VIN, a balance...) is refused whole, not stripped:
// its presence means something upstream is wrong, and a referral that quietly
// drops data may also be sending it somewhere else.
#ifndef LENDGATE_PLUGINS_HSDS_REFERRAL_ENCODER_H
#define LENDGATE_PLUGINS_HSDS_REFERRAL_ENCODER_H

#include <lendgate/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "hsds_config.h"
#include "update_decoder.h"

namespace lendgate::hsds {

class ReferralEncoder {
public:
    ReferralEncoder(const HsdsConfig &config, EncodeContext &ctx);
    void run();

    using Problem = UpdateDecoder::Problem;

    /// The HSDS referral document (one line, no line end) for one canonical
    /// referral, or empty with the problems filled in.
    static std::string toDocument(const HsdsConfig &config, std::string_view canonicalJson,
                                  std::vector<Problem> &problems);

private:
    const HsdsConfig &config_;
    EncodeContext &ctx_;
};

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_REFERRAL_ENCODER_H
