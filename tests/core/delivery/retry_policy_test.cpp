// The retry schedule (RELIABILITY.md G4): exponential backoff with jitter to a
// cap, dead letters after the attempt budget or the maximum age, and critical
// deliveries that never give up but get louder.
#include <gtest/gtest.h>

#include <vector>

#include "core/delivery/retry_policy.h"

namespace lendgate::delivery {
namespace {

constexpr std::int64_t kNow = 1767225600000;

RetryPolicy policy(double jitter = 0.0) {
    RetryPolicy p;
    p.initialBackoffMs = 1000;
    p.maxBackoffMs = 60000;
    p.maxAttempts = 10;
    p.maxAgeMs = 24LL * 3600 * 1000;
    p.jitter = jitter;
    p.criticalMaxBackoffMs = 15000;
    return p;
}

journal::DeliveryInfo failedAttempt(int attempts, bool critical = false, std::int64_t pendingForMs = 0) {
    journal::DeliveryInfo d;
    d.deliveryId = 7;
    d.attempts = attempts;
    d.critical = critical;
    d.pendingSinceMs = kNow - pendingForMs;
    return d;
}

std::vector<std::int64_t> delays(const RetryPolicy &p, int upTo, double random01, bool critical = false) {
    std::vector<std::int64_t> out;
    for (int attempt = 1; attempt <= upTo; ++attempt) {
        RetryDecision decision = decideAfterFailure(p, failedAttempt(attempt, critical), kNow, random01);
        EXPECT_FALSE(decision.deadLetter) << "attempt " << attempt;
        out.push_back(decision.nextAttemptAtMs - kNow);
    }
    return out;
}

TEST(RetryPolicyTest, DelaysDoubleFromTheInitialBackoffUpToTheCap) {
    EXPECT_EQ(delays(policy(), 9, 0.7),
              (std::vector<std::int64_t>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
}

TEST(RetryPolicyTest, JitterOnlyShortensADelayByAtMostItsFraction) {
    // delay * (1 - jitter * random): with jitter 0.2 and random 0.5, 10% off.
    EXPECT_EQ(delays(policy(0.2), 7, 0.5), (std::vector<std::int64_t>{900, 1800, 3600, 7200, 14400, 28800, 54000}));
    EXPECT_EQ(delays(policy(0.2), 3, 0.0), (std::vector<std::int64_t>{1000, 2000, 4000}));
    EXPECT_EQ(delays(policy(0.2), 3, 0.999999), (std::vector<std::int64_t>{800, 1600, 3200}));
    for (double r : {0.0, 0.1, 0.5, 0.9, 0.999}) {
        const std::int64_t capped = decideAfterFailure(policy(0.2), failedAttempt(9), kNow, r).nextAttemptAtMs - kNow;
        EXPECT_LE(capped, 60000) << "the cap is a true upper bound";
        EXPECT_GE(capped, 48000);
    }
}

TEST(RetryPolicyTest, HugeAttemptCountsStayAtTheCap) {
    EXPECT_EQ(backoffMs(policy(), 1000000, 60000), 60000);
    EXPECT_EQ(backoffMs(policy(), 0, 60000), 1000);
}

TEST(RetryPolicyTest, TheLastAllowedAttemptDeadLetters) {
    EXPECT_FALSE(decideAfterFailure(policy(), failedAttempt(9), kNow, 0).deadLetter);
    RetryDecision last = decideAfterFailure(policy(), failedAttempt(10), kNow, 0);
    EXPECT_TRUE(last.deadLetter);
    EXPECT_EQ(last.alertLevel, kAlertNone) << "the dispatcher raises the dead-letter alert itself";
    EXPECT_TRUE(decideAfterFailure(policy(), failedAttempt(11), kNow, 0).deadLetter);
}

TEST(RetryPolicyTest, AMessagePendingPastTheMaximumAgeDeadLetters) {
    const std::int64_t day = 24LL * 3600 * 1000;
    EXPECT_FALSE(decideAfterFailure(policy(), failedAttempt(2, false, day - 1), kNow, 0).deadLetter);
    EXPECT_TRUE(decideAfterFailure(policy(), failedAttempt(2, false, day), kNow, 0).deadLetter);
}

TEST(RetryPolicyTest, ACriticalDeliveryNeverDeadLettersAndEscalates) {
    std::vector<int> levels;
    std::vector<int> escalations;
    for (int attempt = 1; attempt <= 40; ++attempt) {
        RetryDecision d = decideAfterFailure(policy(), failedAttempt(attempt, true), kNow, 0);
        ASSERT_FALSE(d.deadLetter) << "attempt " << attempt;
        EXPECT_LE(d.nextAttemptAtMs - kNow, 15000) << "a HOLD waits at most the critical cap";
        levels.push_back(d.alertLevel);
        if (d.escalate) escalations.push_back(attempt);
    }
    EXPECT_EQ(levels.front(), kAlertWarning);
    EXPECT_EQ(levels[kCriticalPageAfterAttempts - 1], kAlertPage);
    EXPECT_EQ(levels[9], kAlertCritical) << "at the budget where another delivery would be dead";
    EXPECT_EQ(levels.back(), kAlertCritical);
    EXPECT_TRUE(std::is_sorted(levels.begin(), levels.end()));
    EXPECT_EQ(escalations, (std::vector<int>{1, kCriticalPageAfterAttempts, 10}));

    RetryDecision old = decideAfterFailure(policy(), failedAttempt(2, true, 48LL * 3600 * 1000), kNow, 0);
    EXPECT_FALSE(old.deadLetter) << "age does not dead-letter a HOLD either";
    EXPECT_EQ(old.alertLevel, kAlertCritical);
    EXPECT_TRUE(old.escalate);
}

TEST(RetryPolicyTest, ComesFromTheGatewaySettings) {
    config::GatewayConfig config;
    config.initialBackoffMs = 500;
    config.maxBackoffMs = 120000;
    config.maxAttempts = 7;
    config.maxAgeHours = 48;
    RetryPolicy p = RetryPolicy::fromConfig(config);
    EXPECT_EQ(p.initialBackoffMs, 500);
    EXPECT_EQ(p.maxBackoffMs, 120000);
    EXPECT_EQ(p.maxAttempts, 7);
    EXPECT_EQ(p.maxAgeMs, 48LL * 3600 * 1000);
    EXPECT_LE(p.criticalMaxBackoffMs, p.maxBackoffMs);
}

}  // namespace
}  // namespace lendgate::delivery
