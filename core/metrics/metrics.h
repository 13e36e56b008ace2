// Counters, gauges and latency histograms, rendered in the Prometheus text
// format for /metrics.
//
// One registry per daemon, shared by intake, delivery and the API. Updates
// take a short lock; the rates here (thousands per second) make that cheaper
// than it is worth avoiding. Values that are cheaper to read than to track
// (outbox depth, dead letters) come from collectors run at scrape time.
#ifndef LENDGATE_METRICS_METRICS_H
#define LENDGATE_METRICS_METRICS_H

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Kind { Counter, Gauge, Histogram };

class Registry {
public:
    /// Latency buckets in seconds, 1 ms to 30 s.
    static const std::vector<double> &defaultBuckets();

    /// Declares a family; HELP and TYPE lines come from here. Updating an
    /// undeclared family declares it with an empty help text.
    void describe(std::string_view name, Kind kind, std::string_view help);

    void increment(std::string_view name, const Labels &labels = {}, double by = 1.0);
    void set(std::string_view name, const Labels &labels, double value);
    void observe(std::string_view name, const Labels &labels, double seconds);

    /// Runs before every render, e.g. to set gauges read from the journal.
    /// A collector must not call render().
    void addCollector(std::function<void(Registry &)> collector);

    /// The current value of a counter or gauge (0 if never set), for tests
    /// and the console.
    double value(std::string_view name, const Labels &labels = {}) const;

    std::string renderPrometheus();

private:
    struct Histogram {
        std::vector<std::uint64_t> counts;  // per bucket, not cumulative
        std::uint64_t total = 0;
        double sum = 0;
    };
    struct Family {
        Kind kind = Kind::Counter;
        std::string help;
        std::map<std::string, double> values;         // rendered label set → value
        std::map<std::string, Histogram> histograms;  // rendered label set → histogram
    };

    Family &family(std::string_view name, Kind kind);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
    std::vector<std::function<void(Registry &)>> collectors_;
};

/// {a="x",b="y"} with Prometheus escaping; empty for no labels.
std::string renderLabels(const Labels &labels);

}  // namespace lendgate::metrics

#endif  // LENDGATE_METRICS_METRICS_H
