// A monotonic clock that tests can replace. Protocol cores never read the
// system clock themselves; they are handed a Clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace lanyard {

using Duration = std::chrono::milliseconds;
// Milliseconds on a monotonic scale with an arbitrary origin.
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override;
    static SystemClock& instance();
};

// A clock that moves only when told to.
class FakeClock final : public Clock {
public:
    explicit FakeClock(TimePoint start = TimePoint(Duration(1000000))) : now_(start) {}
    TimePoint now() const override { return now_; }
    void advance(Duration d) { now_ += d; }
    void set(TimePoint t) { now_ = t; }

private:
    TimePoint now_;
};

inline Duration seconds(int64_t s) { return Duration(s * 1000); }

}  // namespace lanyard
