// The authenticator's TLS session cache (tls_session_lifetime): expiry on
// a FakeClock, lifetime 0 = disabled, the size bound, remove().
#include <doctest/doctest.h>

#include "authenticator/tls_session_cache.h"

using namespace lanyard;
using namespace lanyard::authenticator;

namespace {
Bytes id(uint8_t n) { return Bytes(32, n); }
const Bytes kSession = {1, 2, 3, 4};
const Bytes kRecord = {13, 'u'};  // EAP-TLS, identity "u"

// A session as the EAP server leaves it: stored, then its method succeeded.
void put_confirmed(TlsSessionCache& cache, const Bytes& session_id, const Bytes& session = kSession) {
    cache.put(session_id, session);
    cache.set_record(session_id, kRecord);
}
}  // namespace

TEST_CASE("tls session cache: a stored session is found until its lifetime ends") {
    FakeClock clock;
    TlsSessionCache cache(clock, seconds(3600));
    CHECK(cache.enabled());
    put_confirmed(cache, id(1));
    CHECK(cache.size() == 1);
    clock.advance(seconds(3599));
    auto got = cache.get(id(1));
    REQUIRE(got.has_value());
    CHECK(*got == kSession);
    clock.advance(seconds(1));
    CHECK_FALSE(cache.get(id(1)).has_value());  // exactly at the lifetime: gone
    CHECK(cache.size() == 0);
    CHECK(cache.stats().hits == 1);
    CHECK(cache.stats().expired == 1);
    CHECK_FALSE(cache.get(id(2)).has_value());
    CHECK(cache.stats().misses == 2);
}

TEST_CASE("tls session cache: lifetime 0 disables it") {
    FakeClock clock;
    TlsSessionCache cache(clock, Duration(0));
    CHECK_FALSE(cache.enabled());
    cache.put(id(1), kSession);
    CHECK(cache.size() == 0);
    CHECK_FALSE(cache.get(id(1)).has_value());
}

TEST_CASE("tls session cache: expire() sweeps, remove() forgets, storing again refreshes") {
    FakeClock clock;
    TlsSessionCache cache(clock, seconds(10));
    cache.put(id(1), kSession);
    clock.advance(seconds(5));
    cache.put(id(2), kSession);
    clock.advance(seconds(5));
    CHECK(cache.expire() == 1);
    CHECK(cache.size() == 1);
    cache.remove(id(2));
    CHECK(cache.size() == 0);
    CHECK(cache.stats().removed == 1);
    put_confirmed(cache, id(3));
    clock.advance(seconds(9));
    put_confirmed(cache, id(3), Bytes{9});  // replaced: new value, new lifetime
    clock.advance(seconds(9));
    auto got = cache.get(id(3));
    REQUIRE(got.has_value());
    CHECK(*got == Bytes{9});
}

TEST_CASE("tls session cache: bounded; the oldest goes first; malformed ids are refused") {
    FakeClock clock;
    TlsSessionCache cache(clock, seconds(100), 3);
    for (uint8_t i = 1; i <= 5; ++i) {
        put_confirmed(cache, id(i));
        clock.advance(seconds(1));
    }
    CHECK(cache.size() == 3);
    CHECK(cache.stats().evicted == 2);
    CHECK_FALSE(cache.get(id(1)).has_value());
    CHECK_FALSE(cache.get(id(2)).has_value());
    CHECK(cache.get(id(5)).has_value());
    cache.put(Bytes{}, kSession);           // empty id
    cache.put(Bytes(33, 7), kSession);      // longer than a TLS session id
    cache.put(id(9), Bytes{});              // empty session
    CHECK(cache.size() == 3);
    CHECK(cache.get(id(5)).has_value());
}

TEST_CASE("tls session cache: a session is resumable only once its authentication succeeded (record set)") {
    FakeClock clock;
    TlsSessionCache cache(clock, seconds(100));
    cache.put(id(1), kSession);
    CHECK_FALSE(cache.get(id(1)).has_value());  // handshake done, EAP not (yet) successful
    CHECK(cache.stats().unconfirmed == 1);
    CHECK_FALSE(cache.record(id(1)).has_value());
    cache.set_record(id(1), kRecord);
    CHECK(cache.record(id(1)) == kRecord);
    CHECK(cache.get(id(1)) == kSession);
    cache.put(id(1), Bytes{7});                 // a new session under the same id: unconfirmed again
    CHECK_FALSE(cache.get(id(1)).has_value());
    cache.set_record(id(2), kRecord);           // no such session: nothing stored
    CHECK(cache.size() == 1);
    cache.set_record(id(1), Bytes(TlsSessionCache::kMaxRecordLength + 1, 1));  // oversized: refused
    CHECK_FALSE(cache.record(id(1)).has_value());
}
