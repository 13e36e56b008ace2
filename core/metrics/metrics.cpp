#include "core/metrics/metrics.h"

#include <cmath>
#include <cstdio>

namespace lendgate::metrics {
namespace {

std::string_view kindName(Kind kind) {
    switch (kind) {
        case Kind::Counter: return "counter";
        case Kind::Gauge: return "gauge";
        case Kind::Histogram: return "histogram";
    }
    return "untyped";
}

std::string formatNumber(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

void appendEscaped(std::string &out, std::string_view value) {
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

// Adds le="..." to an already rendered label set.
std::string withBucket(const std::string &labels, std::string_view le) {
    std::string bucket = "le=\"" + std::string(le) + "\"";
    if (labels.empty()) return "{" + bucket + "}";
    return labels.substr(0, labels.size() - 1) + "," + bucket + "}";
}

}  // namespace

std::string renderLabels(const Labels &labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out += ',';
        out += labels[i].first;
        out += "=\"";
        appendEscaped(out, labels[i].second);
        out += '"';
    }
    out += '}';
    return out;
}

const std::vector<double> &Registry::defaultBuckets() {
    static const std::vector<double> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1.0,   2.5,  5.0,   10.0, 30.0};
    return buckets;
}

Registry::Family &Registry::family(std::string_view name, Kind kind) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), Family{}).first;
        it->second.kind = kind;
    }
    return it->second;
}

void Registry::describe(std::string_view name, Kind kind, std::string_view help) {
    std::lock_guard lock(mutex_);
    auto &f = family(name, kind);
    f.kind = kind;
    f.help = std::string(help);
}

void Registry::increment(std::string_view name, const Labels &labels, double by) {
    std::lock_guard lock(mutex_);
    family(name, Kind::Counter).values[renderLabels(labels)] += by;
}

void Registry::set(std::string_view name, const Labels &labels, double value) {
    std::lock_guard lock(mutex_);
    family(name, Kind::Gauge).values[renderLabels(labels)] = value;
}

void Registry::observe(std::string_view name, const Labels &labels, double seconds) {
    const auto &buckets = defaultBuckets();
    std::lock_guard lock(mutex_);
    auto &h = family(name, Kind::Histogram).histograms[renderLabels(labels)];
    if (h.counts.empty()) h.counts.assign(buckets.size(), 0);
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        if (seconds <= buckets[i]) {
            ++h.counts[i];
            break;
        }
    }
    ++h.total;
    h.sum += seconds;
}

void Registry::addCollector(std::function<void(Registry &)> collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

double Registry::value(std::string_view name, const Labels &labels) const {
    std::lock_guard lock(mutex_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    auto v = it->second.values.find(renderLabels(labels));
    return v == it->second.values.end() ? 0 : v->second;
}

std::string Registry::renderPrometheus() {
    std::vector<std::function<void(Registry &)>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    for (auto &collect : collectors) collect(*this);

    const auto &buckets = defaultBuckets();
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto &[name, f] : families_) {
        if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
        out += "# TYPE " + name + " " + std::string(kindName(f.kind)) + "\n";
        for (const auto &[labels, value] : f.values) out += name + labels + " " + formatNumber(value) + "\n";
        for (const auto &[labels, h] : f.histograms) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < buckets.size(); ++i) {
                cumulative += h.counts[i];
                out += name + "_bucket" + withBucket(labels, formatNumber(buckets[i])) + " " +
                       std::to_string(cumulative) + "\n";
            }
            out += name + "_bucket" + withBucket(labels, "+Inf") + " " + std::to_string(h.total) + "\n";
            out += name + "_sum" + labels + " " + formatNumber(h.sum) + "\n";
            out += name + "_count" + labels + " " + std::to_string(h.total) + "\n";
        }
    }
    return out;
}

}  // namespace lendgate::metrics
