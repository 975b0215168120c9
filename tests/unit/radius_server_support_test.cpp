#include <doctest/doctest.h>

#include "radius/client_table.h"
#include "radius/duplicate_cache.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

RequestKey key(uint8_t id, uint8_t auth0 = 0, uint16_t port = 40000) {
    RequestKey k;
    k.address = Bytes{10, 0, 0, 1};
    k.port = port;
    k.identifier = id;
    k.authenticator[0] = auth0;
    return k;
}

const TimePoint t0{Duration(1000000)};

}  // namespace

TEST_CASE("Duplicate cache: a retransmission is in progress, then answered from the cache (RFC 5080 §2.2.2)") {
    DuplicateCache cache;
    CHECK(cache.begin(key(1), t0).status == DuplicateStatus::kNew);
    CHECK(cache.begin(key(1), t0 + Duration(100)).status == DuplicateStatus::kInProgress);
    cache.complete(key(1), Bytes{2, 1, 0, 20}, t0 + Duration(200));
    auto again = cache.begin(key(1), t0 + Duration(300));
    CHECK(again.status == DuplicateStatus::kAnswered);
    REQUIRE(again.response != nullptr);
    CHECK(*again.response == Bytes{2, 1, 0, 20});
}

TEST_CASE("Duplicate cache: each key field separates requests; a new authenticator replaces the entry") {
    DuplicateCache cache;
    CHECK(cache.begin(key(1), t0).status == DuplicateStatus::kNew);
    CHECK(cache.begin(key(2), t0).status == DuplicateStatus::kNew);
    CHECK(cache.begin(key(1, 0, 40001), t0).status == DuplicateStatus::kNew);
    RequestKey other_addr = key(1);
    other_addr.address = Bytes{10, 0, 0, 2};
    CHECK(cache.begin(other_addr, t0).status == DuplicateStatus::kNew);
    CHECK(cache.size() == 4);
    cache.complete(key(1), Bytes{1}, t0);
    CHECK(cache.begin(key(1, 7), t0).status == DuplicateStatus::kNew);  // same slot, new authenticator
    CHECK(cache.size() == 4);
    cache.complete(key(1), Bytes{9}, t0);  // the old request's answer is ignored
    CHECK(cache.begin(key(1, 7), t0).status == DuplicateStatus::kInProgress);
    cache.forget(key(1, 7));
    CHECK(cache.begin(key(1, 7), t0).status == DuplicateStatus::kNew);
}

TEST_CASE("Duplicate cache: entries expire after the lifetime and the size is bounded") {
    DuplicateCache cache(DuplicateCache::Limits{3, seconds(5)});
    CHECK(cache.begin(key(1), t0).status == DuplicateStatus::kNew);
    cache.complete(key(1), Bytes{1}, t0);
    CHECK(cache.begin(key(1), t0 + Duration(4999)).status == DuplicateStatus::kAnswered);
    CHECK(cache.begin(key(1), t0 + seconds(5)).status == DuplicateStatus::kNew);  // expired: processed again
    for (uint8_t id = 10; id < 20; ++id) CHECK(cache.begin(key(id), t0 + seconds(6)).status == DuplicateStatus::kNew);
    CHECK(cache.size() == 3);
    CHECK(cache.evictions() == 8);
    // The newest survive.
    CHECK(cache.begin(key(19), t0 + seconds(6)).status == DuplicateStatus::kInProgress);
    CHECK(cache.begin(key(10), t0 + seconds(6)).status == DuplicateStatus::kNew);
    cache.expire(t0 + seconds(60));
    CHECK(cache.size() == 0);
}

TEST_CASE("Client table reads hostapd's radius_server_clients format and matches first line first") {
    auto t = ClientTable::parse(
        "# clients\n"
        "\n"
        "192.168.1.0/24 secret one\n"
        "192.168.1.2 never-used\n"
        "10.0.0.1\tten\n"
        "fe80::211:22ff:fe33:4455/64 secretipv6\n"
        "::ffff:172.16.0.0/108 mapped\n"
        "0.0.0.0/0 fallback\r\n",
        "clients.conf");
    REQUIRE(t.ok());
    CHECK(t->size() == 6);
    auto secret_for = [&](const char* addr) -> std::string {
        const NasClient* c = t->find(IpAddress::parse(addr).value());
        return c ? to_string(c->secret.view()) : std::string("<none>");
    };
    CHECK(secret_for("192.168.1.2") == "secret one");  // first match wins, as in hostapd
    CHECK(secret_for("192.168.1.255") == "secret one");
    CHECK(secret_for("10.0.0.1") == "ten");
    CHECK(secret_for("10.0.0.2") == "fallback");  // and the \r is gone
    CHECK(secret_for("fe80::1") == "secretipv6");
    CHECK(secret_for("fe81::1") == "<none>");
    CHECK(secret_for("::ffff:10.0.0.1") == "ten");     // mapped address meets an IPv4 line
    CHECK(secret_for("172.16.3.4") == "mapped");       // IPv4 address meets an IPv6 mapped line
    CHECK(t->clients()[2].line == 5);
    CHECK(t->clients()[0].prefix == 24);
    CHECK(t->clients()[1].prefix == 32);
}

TEST_CASE("Client table reports the file and line of every malformed entry") {
    struct Case {
        const char* text;
        const char* what;
    } cases[] = {
        {"192.168.1.1\n", "expected"},
        {"192.168.1.1 \n", "missing shared secret"},
        {"192.168.1.1/33 s\n", "bad prefix"},
        {"192.168.1.1/ s\n", "bad prefix"},
        {"fe80::/129 s\n", "bad prefix"},
        {"192.168.1.256 s\n", "bad IPv4"},
        {"192.168.1 s\n", "bad IPv4"},
        {"fe80:::1 s\n", "bad IPv6"},
        {"host.example s\n", "bad IP"},
        {" 10.0.0.1 s\n", "bad IP"},
        {"10.0.0.1/8x s\n", "expected"},
        {"10.0.0.1,s\n", "expected"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto t = ClientTable::parse(std::string("# ok\n10.0.0.0/8 good\n") + c.text, "radius_clients");
        REQUIRE(!t.ok());
        CHECK(t.error().code == ErrorCode::kConfig);
        CHECK(t.error().detail.rfind("radius_clients:3: ", 0) == 0);
        CHECK(t.error().detail.find(c.what) != std::string::npos);
    }
    auto long_line = ClientTable::parse("10.0.0.1 " + std::string(1100, 's') + "\n", "f");
    CHECK(!long_line.ok());
    CHECK(ClientTable::load("/nonexistent/radius_clients").error().code == ErrorCode::kConfig);
    auto empty = ClientTable::parse("", "f");
    REQUIRE(empty.ok());
    CHECK(empty->find(IpAddress::parse("1.2.3.4").value()) == nullptr);
}
