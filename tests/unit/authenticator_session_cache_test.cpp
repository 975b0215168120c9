// The server's TLS session store (authenticator/tls_session_cache.h) and the
// contract every backend keeps (issue 10), run against the in-process
// backend always and against Redis when LANYARD_TEST_REDIS=HOST:PORT names a
// scratch server (tests/interop/test_session_store.sh starts one).
#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <thread>

#include "authenticator/redis_session_backend.h"
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

Bytes key_bytes(uint8_t fill) { return Bytes(SessionSealer::kKeySize, fill); }

// Lets two caches (two "servers") use one backend.
class SharedBackend final : public SessionBackend {
public:
    explicit SharedBackend(std::shared_ptr<SessionBackend> inner) : inner_(std::move(inner)) {}
    void put(ByteView k, ByteView v, Duration ttl) override { inner_->put(k, v, ttl); }
    std::optional<Bytes> get(ByteView k) override { return inner_->get(k); }
    void remove(ByteView k) override { inner_->remove(k); }
    std::string name() const override { return inner_->name(); }
    SessionBackendStats stats() const override { return inner_->stats(); }

private:
    std::shared_ptr<SessionBackend> inner_;
};

// One backend kind under test: in-process on a FakeClock, or Redis on real time.
struct StoreUnderTest {
    std::shared_ptr<SessionBackend> backend;
    FakeClock fake;
    bool real_time = false;
    FakeRandom random{21};

    const Clock& clock() const { return real_time ? static_cast<const Clock&>(SystemClock::instance()) : fake; }
    void advance(Duration d) {
        if (real_time) {
            std::this_thread::sleep_for(std::chrono::milliseconds(d.count()));
        } else {
            fake.advance(d);
        }
    }
    std::unique_ptr<TlsSessionCache> cache(Duration lifetime, uint8_t key = 1) {
        return std::make_unique<TlsSessionCache>(clock(), lifetime, std::make_unique<SharedBackend>(backend),
                                                 *SessionSealer::with_key(key_bytes(key)), random);
    }
};

std::unique_ptr<StoreUnderTest> memory_store() {
    auto s = std::make_unique<StoreUnderTest>();
    s->backend = std::make_shared<InProcessSessionBackend>(s->fake);
    return s;
}

std::unique_ptr<StoreUnderTest> redis_store() {
    const char* where = std::getenv("LANYARD_TEST_REDIS");
    auto url = RedisUrl::parse(std::string("redis://") + (where != nullptr ? where : "127.0.0.1:1"));
    REQUIRE(url.ok());
    auto s = std::make_unique<StoreUnderTest>();
    s->real_time = true;
    s->backend = std::make_shared<RedisSessionBackend>(*url);
    return s;
}

// The contract, whatever the backend. Lifetimes are short so Redis's own
// expiry (PX) is exercised in real time.
void check_contract(StoreUnderTest& store) {
    const Duration lifetime(1500);
    auto a = store.cache(lifetime);
    auto b = store.cache(lifetime);          // a second server, same key
    auto foreign = store.cache(lifetime, 2);  // a server with another key

    SUBCASE("resumable only after success, on any server sharing the key, until the lifetime ends") {
        const Bytes sid = id(static_cast<uint8_t>(std::rand()));
        a->put(sid, kSession);
        CHECK_FALSE(a->get(sid).has_value());  // handshake done, EAP not (yet) successful
        CHECK_FALSE(b->get(sid).has_value());  // not published
        a->set_record(sid, kRecord);
        CHECK(a->get(sid) == kSession);
        CHECK(b->get(sid) == kSession);       // resumed on another server
        CHECK(b->record(sid) == kRecord);
        CHECK_FALSE(foreign->get(sid).has_value());  // sealed under another key: refused
        CHECK(foreign->stats().refused == 1);
        store.advance(lifetime + Duration(200));
        CHECK_FALSE(a->get(sid).has_value());
    }
    SUBCASE("remove() forgets everywhere") {
        const Bytes sid = id(static_cast<uint8_t>(std::rand()));
        put_confirmed(*a, sid);
        CHECK(b->get(sid).has_value());
        b->remove(sid);
        CHECK_FALSE(a->get(sid).has_value());
    }
    SUBCASE("an edited entry is refused and dropped") {
        const Bytes sid = id(static_cast<uint8_t>(std::rand()));
        put_confirmed(*a, sid);
        const Bytes key = TlsSessionCache::backend_key(sid);
        auto sealed = store.backend->get(key);
        REQUIRE(sealed.has_value());
        // The sealed value holds no plaintext session.
        CHECK(std::search(sealed->begin(), sealed->end(), kSession.begin(), kSession.end()) == sealed->end());
        (*sealed)[sealed->size() / 2] ^= 0x01;
        store.backend->put(key, *sealed, lifetime);
        CHECK_FALSE(b->get(sid).has_value());
        CHECK(b->stats().refused == 1);
        CHECK_FALSE(store.backend->get(key).has_value());  // the bad entry is gone
    }
    SUBCASE("a new session under an id is unconfirmed again; oversized records are refused") {
        const Bytes sid = id(static_cast<uint8_t>(std::rand()));
        put_confirmed(*a, sid);
        a->put(sid, Bytes{7});
        CHECK_FALSE(a->get(sid).has_value());
        CHECK(a->stats().unconfirmed == 1);
        a->set_record(sid, Bytes(TlsSessionCache::kMaxRecordLength + 1, 1));
        CHECK_FALSE(a->record(sid).has_value());
    }
}

}  // namespace

TEST_CASE("session store contract: in-process backend") {
    auto store = memory_store();
    check_contract(*store);
}

TEST_CASE("session store contract: Redis backend (LANYARD_TEST_REDIS)" *
          doctest::skip(std::getenv("LANYARD_TEST_REDIS") == nullptr)) {
    auto store = redis_store();
    REQUIRE(static_cast<RedisSessionBackend&>(*store->backend).connect_now());
    check_contract(*store);
}

TEST_CASE("session store: Redis unreachable means absent, quickly, and counted") {
    RedisUrl url;
    url.host = "127.0.0.1";
    url.port = 1;  // nothing listens there
    auto backend = std::make_unique<RedisSessionBackend>(url, std::chrono::milliseconds(50));
    RedisSessionBackend* raw = backend.get();
    FakeRandom random(3);
    TlsSessionCache cache(SystemClock::instance(), seconds(60), std::move(backend),
                          *SessionSealer::with_key(key_bytes(1)), random);
    const auto t0 = std::chrono::steady_clock::now();
    put_confirmed(cache, id(1));
    CHECK_FALSE(cache.get(id(1)).has_value());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    CHECK(raw->stats().errors >= 1);
    CHECK(cache.stats().backend_errors >= 1);
}

TEST_CASE("session store: Redis URLs") {
    auto u = RedisUrl::parse("redis://10.0.0.5:6380/3");
    REQUIRE(u.ok());
    CHECK(u->host == "10.0.0.5");
    CHECK(u->port == 6380);
    CHECK(u->database == 3);
    CHECK(RedisUrl::parse("redis://localhost")->port == 6379);
    CHECK_FALSE(RedisUrl::parse("http://x").ok());
    CHECK_FALSE(RedisUrl::parse("redis://:6379").ok());
    CHECK_FALSE(RedisUrl::parse("redis://h:99999").ok());
    CHECK_FALSE(RedisUrl::parse("redis://h/x").ok());
}

TEST_CASE("session sealer: key files, tamper and key mismatch") {
    FakeRandom random(5);
    auto k1 = SessionSealer::with_key(key_bytes(1));
    auto k2 = SessionSealer::with_key(key_bytes(2));
    REQUIRE(k1.ok());
    REQUIRE(k2.ok());
    auto sealed = k1->seal(as_bytes("key"), kSession, random);
    REQUIRE(sealed.ok());
    CHECK(k1->open(as_bytes("key"), *sealed).has_value());
    CHECK_FALSE(k1->open(as_bytes("other-key"), *sealed).has_value());  // moved to another key
    CHECK_FALSE(k2->open(as_bytes("key"), *sealed).has_value());
    Bytes cut(sealed->begin(), sealed->begin() + 10);
    CHECK_FALSE(k1->open(as_bytes("key"), cut).has_value());
    CHECK_FALSE(SessionSealer::with_key(Bytes(31, 0)).ok());
    auto missing = SessionSealer::from_key_file("/nonexistent/lanyard.key");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().detail.find("/nonexistent/lanyard.key") != std::string::npos);
}

TEST_CASE("tls session cache (in-process): lifetime, disabled at 0, bounded, expire() sweeps") {
    FakeClock clock;
    SUBCASE("lifetime") {
        TlsSessionCache cache(clock, seconds(3600));
        put_confirmed(cache, id(1));
        CHECK(cache.size() == 1);
        clock.advance(seconds(3599));
        CHECK(cache.get(id(1)) == kSession);
        clock.advance(seconds(1));
        CHECK_FALSE(cache.get(id(1)).has_value());  // exactly at the lifetime: gone
        CHECK(cache.size() == 0);
        CHECK(cache.stats().hits == 1);
        CHECK(cache.stats().misses == 1);
    }
    SUBCASE("disabled") {
        TlsSessionCache cache(clock, Duration(0));
        CHECK_FALSE(cache.enabled());
        put_confirmed(cache, id(1));
        CHECK(cache.size() == 0);
        CHECK_FALSE(cache.get(id(1)).has_value());
    }
    SUBCASE("bounded, oldest first; malformed ids refused") {
        TlsSessionCache cache(clock, seconds(100), 3);
        for (uint8_t i = 1; i <= 5; ++i) {
            put_confirmed(cache, id(i));
            clock.advance(seconds(1));
        }
        CHECK(cache.size() == 3);
        CHECK(cache.stats().evicted == 2);
        CHECK_FALSE(cache.get(id(1)).has_value());
        CHECK(cache.get(id(5)).has_value());
        cache.put(Bytes{}, kSession);
        cache.put(Bytes(33, 7), kSession);
        cache.put(id(9), Bytes{});
        CHECK(cache.size() == 3);
    }
    SUBCASE("expire() drops unconfirmed sessions at their lifetime") {
        TlsSessionCache cache(clock, seconds(10));
        cache.put(id(1), kSession);
        clock.advance(seconds(5));
        put_confirmed(cache, id(2));
        clock.advance(seconds(5));
        CHECK(cache.expire() == 1);
        CHECK(cache.stats().expired == 1);
        CHECK(cache.size() == 1);
        cache.remove(id(2));
        CHECK(cache.size() == 0);
    }
}
