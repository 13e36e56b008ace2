#include "core/delivery/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace lendgate::delivery {
namespace {

int criticalLevel(const RetryPolicy &policy, int attempts, bool pastAge) {
    if (attempts <= 0) return kAlertNone;
    if (pastAge || attempts >= policy.maxAttempts) return kAlertCritical;
    if (attempts >= kCriticalPageAfterAttempts) return kAlertPage;
    return kAlertWarning;
}

}  // namespace

RetryPolicy RetryPolicy::fromConfig(const config::GatewayConfig &config) {
    RetryPolicy policy;
    policy.initialBackoffMs = std::max<std::int64_t>(config.initialBackoffMs, 1);
    policy.maxBackoffMs = std::max<std::int64_t>(config.maxBackoffMs, policy.initialBackoffMs);
    policy.maxAttempts = static_cast<int>(std::max<std::uint32_t>(config.maxAttempts, 1));
    policy.maxAgeMs = static_cast<std::int64_t>(config.maxAgeHours) * 3600 * 1000;
    policy.criticalMaxBackoffMs = std::min(policy.criticalMaxBackoffMs, policy.maxBackoffMs);
    return policy;
}

std::int64_t backoffMs(const RetryPolicy &policy, int attempts, std::int64_t capMs) {
    const std::int64_t initial = std::max<std::int64_t>(policy.initialBackoffMs, 1);
    const std::int64_t cap = std::max(capMs, initial);
    std::int64_t delay = initial;
    // Doubling stops at the cap, so a large attempt count cannot overflow.
    for (int i = 1; i < attempts && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}

RetryDecision decideAfterFailure(const RetryPolicy &policy, const journal::DeliveryInfo &delivery, std::int64_t nowMs,
                                 double random01) {
    RetryDecision decision;
    const bool pastAge = policy.maxAgeMs > 0 && nowMs - delivery.pendingSinceMs >= policy.maxAgeMs;
    const bool exhausted = delivery.attempts >= policy.maxAttempts;
    if (!delivery.critical && (pastAge || exhausted)) {
        decision.deadLetter = true;
        return decision;
    }
    const std::int64_t cap =
        delivery.critical ? std::min(policy.criticalMaxBackoffMs, policy.maxBackoffMs) : policy.maxBackoffMs;
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(random01, 0.0, 1.0);
    const auto nominal = static_cast<double>(backoffMs(policy, delivery.attempts, cap));
    decision.nextAttemptAtMs = nowMs + std::max<std::int64_t>(1, std::llround(nominal * (1.0 - jitter)));
    if (delivery.critical) {
        // The journal does not remember when the age ran out, so "past age" is
        // re-judged each time; the attempt count alone decides escalation.
        decision.alertLevel = criticalLevel(policy, delivery.attempts, pastAge);
        const int before = criticalLevel(policy, delivery.attempts - 1, false);
        decision.escalate = decision.alertLevel > before;
    }
    return decision;
}

}  // namespace lendgate::delivery
