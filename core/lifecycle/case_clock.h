// What time alone changes on a case: a hold reason that ran out (C4: when
// none remains, RELEASE_HOLD to the firms and the held orders go out), an
// order held by a policy whose reason has ended since (a cure period over,
// a cosigner notified: asked again, it goes out), a
// firm that has not acknowledged a HOLD or CANCEL within the SLA (C5), a
// personal property inventory overdue (C7). The daemon runs a pass every alerts.clock_interval_seconds; each
// overdue condition becomes one alert however many passes see it.
#ifndef LENDGATE_LIFECYCLE_CASE_CLOCK_H
#define LENDGATE_LIFECYCLE_CASE_CLOCK_H

#include <cstddef>
#include <cstdint>

#include "core/common/result.h"
#include "core/journal/journal.h"
#include "core/journal/ulid.h"

namespace lendgate::config {
struct GatewayConfig;
}

namespace lendgate::lifecycle {

/// Hold dates are calendar days where the borrower lives. The clock has no
/// one offset for every case, so it asks "has that day ended everywhere in
/// the United States?": at UTC-10 (Hawaii) a day ends last. A hold is
/// released a few hours late at worst, never early.
inline constexpr int kLatestUsOffsetMinutes = -10 * 60;

struct ClockPass {
    std::size_t casesLookedAt = 0;
    std::size_t alertsRaised = 0;    ///< new ones; those raised by earlier passes are not counted
    std::size_t holdChanges = 0;     ///< cases whose hold reasons ran out (journaled once per case and day)
    std::size_t ordersReleased = 0;  ///< held orders no policy holds any more, now due
};

/// One pass over the cases with an assignment or outcome in the last
/// alerts.watch_days. Needs config.policies (none: nothing to look at).
/// `ulids` names the controls it sends.
Result<ClockPass> runClock(journal::Journal &journal, const config::GatewayConfig &config, std::int64_t nowMs,
                           journal::UlidGenerator &ulids);

}  // namespace lendgate::lifecycle

#endif  // LENDGATE_LIFECYCLE_CASE_CLOCK_H
