// A nonprofit's referral status updates (HSDS-aligned JSON) to canonical
// referral_update records. Each update names the gateway's referral and the
// HSDS service (and optionally organization, location, taxonomy term) it is
// about; those ids must be the ones the configuration gave the nonprofit, and
// its status code is translated by the configuration's status table.
#ifndef LENDGATE_PLUGINS_HSDS_UPDATE_DECODER_H
#define LENDGATE_PLUGINS_HSDS_UPDATE_DECODER_H

#include <lendgate/plugin.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "hsds_config.h"

namespace lendgate::hsds {

class UpdateDecoder {
public:
    UpdateDecoder(const HsdsConfig &config, DecodeContext &ctx);
    void run();

    /// What is wrong with one member; `field` is a canonical JSON Pointer or the update's member name.
    struct Problem {
        std::string code;
        std::string field;
        std::string text;
    };

    /// The canonical record for one update's JSON text, or empty with the problems filled in.
    static std::string toCanonical(const HsdsConfig &config, std::string_view updateJson,
                                   std::vector<Problem> &problems);

private:
    const HsdsConfig &config_;
    DecodeContext &ctx_;
};

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_UPDATE_DECODER_H
