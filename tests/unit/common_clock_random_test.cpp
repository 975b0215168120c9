#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/random.h"

using namespace lanyard;

TEST_CASE("FakeClock moves only when advanced") {
    FakeClock clock;
    TimePoint t0 = clock.now();
    CHECK(clock.now() == t0);
    clock.advance(seconds(30));
    CHECK(clock.now() - t0 == Duration(30000));
}

TEST_CASE("SystemClock is monotonic") {
    TimePoint a = SystemClock::instance().now();
    TimePoint b = SystemClock::instance().now();
    CHECK(b >= a);
}

TEST_CASE("FakeRandom is deterministic per seed, SystemRandom is not constant") {
    FakeRandom r1(42), r2(42), r3(43);
    CHECK(r1.bytes(16) == r2.bytes(16));
    CHECK(FakeRandom(42).bytes(16) != r3.bytes(16));
    Bytes a = SystemRandom::instance().bytes(32);
    Bytes b = SystemRandom::instance().bytes(32);
    CHECK(a != b);
}
