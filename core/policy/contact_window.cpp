// C9's time zones. The model has no time-zone field, so the borrower's zone
// comes from the state of the borrower's home address: coarse, but US time
// zones follow state lines except in a few states, and for those every zone
// the state spans is checked, so an uncertain contact is flagged rather than
// passed. Arizona is Mountain Standard Time all year (the Navajo Nation's
// daylight time is not modelled). Without a usable state the offset the
// agent wrote on the interaction is used.
#include <array>

#include "core/policy/policy_internal.h"

namespace lendgate::policy::detail {

namespace {

struct Zone {
    std::string_view name;
    int standardOffsetMinutes;
    bool daylightSaving;
};

constexpr Zone kEastern{"America/New_York", -300, true};
constexpr Zone kCentral{"America/Chicago", -360, true};
constexpr Zone kMountain{"America/Denver", -420, true};
constexpr Zone kArizona{"America/Phoenix", -420, false};
constexpr Zone kPacific{"America/Los_Angeles", -480, true};
constexpr Zone kAlaska{"America/Anchorage", -540, true};
constexpr Zone kHawaii{"Pacific/Honolulu", -600, false};
constexpr Zone kAtlantic{"America/Puerto_Rico", -240, false};
constexpr Zone kChamorro{"Pacific/Guam", 600, false};
constexpr Zone kSamoa{"Pacific/Pago_Pago", -660, false};

struct StateZones {
    std::string_view state;
    std::array<const Zone *, 2> zones;
};

// Split states list their main zone first.
constexpr StateZones kStates[] = {
    {"AL", {&kCentral}},
    {"AK", {&kAlaska}},
    {"AZ", {&kArizona}},
    {"AR", {&kCentral}},
    {"CA", {&kPacific}},
    {"CO", {&kMountain}},
    {"CT", {&kEastern}},
    {"DE", {&kEastern}},
    {"DC", {&kEastern}},
    {"FL", {&kEastern, &kCentral}},
    {"GA", {&kEastern}},
    {"HI", {&kHawaii}},
    {"ID", {&kMountain, &kPacific}},
    {"IL", {&kCentral}},
    {"IN", {&kEastern, &kCentral}},
    {"IA", {&kCentral}},
    {"KS", {&kCentral, &kMountain}},
    {"KY", {&kEastern, &kCentral}},
    {"LA", {&kCentral}},
    {"ME", {&kEastern}},
    {"MD", {&kEastern}},
    {"MA", {&kEastern}},
    {"MI", {&kEastern, &kCentral}},
    {"MN", {&kCentral}},
    {"MS", {&kCentral}},
    {"MO", {&kCentral}},
    {"MT", {&kMountain}},
    {"NE", {&kCentral, &kMountain}},
    {"NV", {&kPacific}},
    {"NH", {&kEastern}},
    {"NJ", {&kEastern}},
    {"NM", {&kMountain}},
    {"NY", {&kEastern}},
    {"NC", {&kEastern}},
    {"ND", {&kCentral, &kMountain}},
    {"OH", {&kEastern}},
    {"OK", {&kCentral}},
    {"OR", {&kPacific, &kMountain}},
    {"PA", {&kEastern}},
    {"RI", {&kEastern}},
    {"SC", {&kEastern}},
    {"SD", {&kCentral, &kMountain}},
    {"TN", {&kCentral, &kEastern}},
    {"TX", {&kCentral, &kMountain}},
    {"UT", {&kMountain}},
    {"VT", {&kEastern}},
    {"VA", {&kEastern}},
    {"WA", {&kPacific}},
    {"WV", {&kEastern}},
    {"WI", {&kCentral}},
    {"WY", {&kMountain}},
    {"PR", {&kAtlantic}},
    {"VI", {&kAtlantic}},
    {"GU", {&kChamorro}},
    {"MP", {&kChamorro}},
    {"AS", {&kSamoa}},
};

constexpr std::int64_t kSecondsPerDay = 86400;

// 0 = Sunday; 1970-01-01 was a Thursday.
int weekday(std::int64_t daysSinceEpoch) {
    return static_cast<int>(((daysSinceEpoch + 4) % 7 + 7) % 7);
}

// The n-th Sunday (1-based) of a month, as days since the epoch.
std::int64_t nthSunday(int year, int month, int n) {
    const std::int64_t first = model::Date{year, month, 1}.daysSinceEpoch();
    return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}

// US daylight saving time since 2007: from 02:00 local standard time on the
// second Sunday of March to 02:00 local daylight time (01:00 standard) on the
// first Sunday of November.
bool isDaylightTime(std::int64_t localStandardSeconds) {
    const std::int64_t day = localStandardSeconds >= 0 ? localStandardSeconds / kSecondsPerDay
                                                       : (localStandardSeconds - kSecondsPerDay + 1) / kSecondsPerDay;
    const int year = model::Date::fromDaysSinceEpoch(day).year;
    const std::int64_t start = nthSunday(year, 3, 2) * kSecondsPerDay + 2 * 3600;
    const std::int64_t end = nthSunday(year, 11, 1) * kSecondsPerDay + 1 * 3600;
    return localStandardSeconds >= start && localStandardSeconds < end;
}

int secondOfDay(std::int64_t localSeconds) {
    return static_cast<int>(((localSeconds % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay);
}

}  // namespace

std::vector<int> localSecondsOfDay(const model::Timestamp &at, const std::optional<std::string> &state,
                                   std::vector<std::string> &zones) {
    std::vector<int> seconds;
    if (state) {
        for (const StateZones &entry : kStates) {
            if (entry.state != *state) continue;
            for (const Zone *zone : entry.zones) {
                if (zone == nullptr) continue;
                std::int64_t local = at.unixSeconds() + std::int64_t{zone->standardOffsetMinutes} * 60;
                if (zone->daylightSaving && isDaylightTime(local)) local += 3600;
                seconds.push_back(secondOfDay(local));
                zones.emplace_back(zone->name);
            }
        }
    }
    if (seconds.empty()) {
        seconds.push_back(at.localSecondOfDay());
        zones.emplace_back("offset as reported");
    }
    return seconds;
}

}  // namespace lendgate::policy::detail
