// The compliance policies' switches and parameters (config/policies.json).
//
// Everything the law leaves to a number or a table (certificate age, cure
// periods per state, hold days, SLAs, the contact window) is data here, so a
// compliance officer can see and change it without a release. The file's
// shape is config/schemas/policies.schema.json; its meanings are documented
// in core/policy/README.md.
#ifndef LENDGATE_POLICY_POLICY_CONFIG_H
#define LENDGATE_POLICY_POLICY_CONFIG_H

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/common/result.h"

namespace lendgate::policy {

struct CurePeriod {
    int cureDays = 0;  ///< 0: the state has no statutory cure period
    bool cosignerNoticeRequired = false;
};

/// The values below are only what a test starts from; a deployment's values
/// always come from its file, where every policy must be listed.
struct PolicyConfig {
    struct Scra {
        bool enabled = true;
        int certificateMaxAgeDays = 30;
    } c1;
    struct Bankruptcy {
        bool enabled = true;
    } c2;
    struct RightToCure {
        bool enabled = true;
        std::map<std::string, CurePeriod, std::less<>> states;  ///< USPS state code → period
    } c3;
    struct HardshipHolds {
        bool enabled = true;
        int partialPaymentHoldDays = 10;
    } c4;
    struct AckSla {
        bool enabled = true;
        int ackSlaHours = 24;
    } c5;
    struct BreachOfPeace {
        bool enabled = true;
    } c6;
    struct Inventory {
        bool enabled = true;
        int inventoryHours = 48;
    } c7;
    struct Disposition {
        bool enabled = true;
        int dispositionNoticeDays = 10;
    } c8;
    struct ContactWindow {
        bool enabled = true;
        int startMinute = 8 * 60;  ///< minutes after local midnight, inclusive
        int endMinute = 21 * 60;   ///< inclusive: 21:00:00 is allowed, 21:00:01 is not
    } c9;
    struct Minimisation {
        bool enabled = true;
    } c10;
    struct Consent {
        bool enabled = true;
    } c11;
    struct DataChecks {
        bool enabled = true;
    } c12;
};

/// Reads a policies document. Every problem is reported in one error, one
/// line each, as "<origin>: <JSON Pointer>: <reason>" (code "policy.config").
Result<PolicyConfig> parsePolicyConfig(std::string_view text, std::string_view origin);

/// Reads the file and parses it; the file's path is the origin of errors.
Result<PolicyConfig> loadPolicyConfig(const std::filesystem::path &file);

}  // namespace lendgate::policy

#endif  // LENDGATE_POLICY_POLICY_CONFIG_H
