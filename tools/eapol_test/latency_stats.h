// Latency samples of the load generator and their summary: nearest-rank
// percentiles (p50, p99) and the maximum, in microseconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lanyard::eapol_test {

struct LatencySummary {
    uint64_t count = 0;
    uint64_t p50_us = 0;
    uint64_t p99_us = 0;
    uint64_t max_us = 0;
    uint64_t mean_us = 0;
};

class LatencyRecorder {
public:
    void add(uint64_t microseconds) { samples_.push_back(microseconds); }
    void clear() { samples_.clear(); }
    size_t size() const { return samples_.size(); }
    // All zero when there are no samples.
    LatencySummary summary() const;

private:
    std::vector<uint64_t> samples_;
};

// Nearest-rank percentile (p in 0..100) of sorted samples: the smallest
// sample such that at least p% of the samples are <= it. 0 when empty.
uint64_t percentile_of_sorted(const std::vector<uint64_t>& sorted, unsigned p);

}  // namespace lanyard::eapol_test
