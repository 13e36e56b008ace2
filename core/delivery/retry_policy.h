// When a failed delivery is tried again, and when it is given up on
// (ARCHITECTURE.md decision 6, RELIABILITY.md G4).
//
// Pure arithmetic on the journal's view of a delivery, so the schedule can be
// tested without a clock, a network or a journal.
#ifndef LENDGATE_DELIVERY_RETRY_POLICY_H
#define LENDGATE_DELIVERY_RETRY_POLICY_H

#include <cstdint>

#include "core/config/gateway_config.h"
#include "core/journal/journal.h"

namespace lendgate::delivery {

struct RetryPolicy {
    std::int64_t initialBackoffMs = 1000;
    std::int64_t maxBackoffMs = 3600000;
    int maxAttempts = 25;
    std::int64_t maxAgeMs = 72LL * 3600 * 1000;
    /// Fraction of a delay that jitter may take off (0: the exact schedule).
    double jitter = 0.2;
    /// A HOLD or CANCEL that keeps failing waits at most this long between
    /// attempts, however long the ordinary cap: a repossession may be under
    /// way while it waits, so an hour between attempts is too long.
    std::int64_t criticalMaxBackoffMs = 300000;

    /// The delivery settings of lendgate.json (initial/max backoff, attempts, age).
    static RetryPolicy fromConfig(const config::GatewayConfig &config);
};

/// Alert levels of a critical delivery that keeps failing. `escalate` marks
/// the attempt that reached a level by attempt count; once past the maximum
/// age every failed attempt escalates again, since by then someone must act.
enum AlertLevel : int {
    kAlertNone = 0,
    kAlertWarning = 1,  ///< a critical delivery failed
    kAlertPage = 2,     ///< it failed kCriticalPageAfterAttempts times in a row
    kAlertCritical = 3  ///< it is past the budget where another delivery would be dead-lettered
};
inline constexpr int kCriticalPageAfterAttempts = 3;

struct RetryDecision {
    bool deadLetter = false;
    std::int64_t nextAttemptAtMs = 0;  ///< when !deadLetter
    bool escalate = false;             ///< the alert level rose with this attempt
    int alertLevel = kAlertNone;       ///< critical deliveries only
};

/// The nominal delay after the `attempts`-th failed attempt (1-based):
/// initial * 2^(attempts-1), capped at `capMs`.
std::int64_t backoffMs(const RetryPolicy &policy, int attempts, std::int64_t capMs);

/// What to do after a failed attempt. `delivery.attempts` counts the attempt
/// that just failed (the journal counts it when it hands the delivery out).
///
/// Jitter only ever shortens a delay: delay * (1 - jitter * random01), so the
/// cap stays a true upper bound and retries from an outage spread over the
/// last `jitter` fraction of each step instead of arriving together.
///
/// A delivery is dead-lettered once it has used maxAttempts attempts or has
/// been pending for maxAgeMs. A critical one never is: it keeps retrying
/// (capped at criticalMaxBackoffMs) and its alert level rises.
RetryDecision decideAfterFailure(const RetryPolicy &policy, const journal::DeliveryInfo &delivery, std::int64_t nowMs,
                                 double random01);

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_RETRY_POLICY_H
