#include "tools/eapol_test/latency_stats.h"

#include <algorithm>

namespace lanyard::eapol_test {

uint64_t percentile_of_sorted(const std::vector<uint64_t>& sorted, unsigned p) {
    if (sorted.empty()) return 0;
    if (p == 0) return sorted.front();
    if (p >= 100) return sorted.back();
    // rank = ceil(p/100 * n), 1-based.
    const size_t n = sorted.size();
    const size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
    return sorted[std::max<size_t>(rank, 1) - 1];
}

LatencySummary LatencyRecorder::summary() const {
    LatencySummary s;
    if (samples_.empty()) return s;
    std::vector<uint64_t> sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    s.count = sorted.size();
    s.p50_us = percentile_of_sorted(sorted, 50);
    s.p99_us = percentile_of_sorted(sorted, 99);
    s.max_us = sorted.back();
    uint64_t total = 0;
    for (uint64_t v : sorted) total += v;
    s.mean_us = total / sorted.size();
    return s;
}

}  // namespace lanyard::eapol_test
