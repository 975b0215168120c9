// The 802.1X timers (IEEE 802.1X-2004 §8.2.3 Port Timers state machine) as
// deadlines instead of once-a-second decrements: a timer "is 0" when it was
// never set, was set to 0, or its deadline has passed. Time is always handed
// in; nothing here reads a clock.
#pragma once

#include <optional>

#include "common/clock.h"

namespace lanyard::eapol {

class PaeTimer {
public:
    // timer = period (period 0 makes it 0 at once).
    void start(TimePoint now, Duration period) { deadline_ = now + period; }
    // timer = 0.
    void clear() { deadline_.reset(); }
    // The "timer == 0" condition of the state diagrams.
    bool is_zero(TimePoint now) const { return !deadline_ || now >= *deadline_; }
    // The deadline if the timer is still counting at now.
    std::optional<TimePoint> pending(TimePoint now) const {
        if (deadline_ && *deadline_ > now) return deadline_;
        return std::nullopt;
    }
    // Whole seconds left, as the MIB and STATUS show them (0 when stopped).
    long seconds_left(TimePoint now) const {
        if (!deadline_ || *deadline_ <= now) return 0;
        return static_cast<long>((*deadline_ - now + Duration(999)).count() / 1000);
    }

private:
    std::optional<TimePoint> deadline_;
};

// The earlier of two optional deadlines.
inline std::optional<TimePoint> earliest(std::optional<TimePoint> a, std::optional<TimePoint> b) {
    if (!a) return b;
    if (!b) return a;
    return *a < *b ? a : b;
}

}  // namespace lanyard::eapol
