#include <doctest/doctest.h>

#include <set>

#include "radius/identifier_allocator.h"
#include "radius/pending_requests.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

const TimePoint t0{Duration(1000000)};

Authenticator auth(uint8_t v) {
    Authenticator a{};
    a.fill(v);
    return a;
}

}  // namespace

TEST_CASE("Identifier allocator hands out all 256 values round-robin and none twice while in use") {
    IdentifierAllocator ids;
    std::set<uint8_t> seen;
    for (int i = 0; i < 256; ++i) {
        auto id = ids.allocate();
        REQUIRE(id.has_value());
        CHECK(seen.insert(*id).second);
    }
    CHECK(!ids.allocate().has_value());
    CHECK(ids.outstanding() == 256);
    ids.release(17);
    CHECK(ids.allocate() == std::optional<uint8_t>(17));
    ids.release(3);
    ids.release(200);
    // Round-robin: after 17 the next free value above it comes first.
    CHECK(ids.allocate() == std::optional<uint8_t>(200));
    CHECK(ids.allocate() == std::optional<uint8_t>(3));
}

TEST_CASE("Pending request retransmits with doubling timeouts and the same Identifier on one server") {
    RetransmitPolicy policy;
    policy.initial_timeout = seconds(3);
    policy.max_timeout = seconds(10);
    policy.max_attempts = 5;
    PendingRequests table(1, policy);
    auto slot = table.open(t0);
    REQUIRE(slot.ok());
    CHECK(table.next_deadline() == std::nullopt);  // not sent yet
    table.sent(slot->token, Bytes{1, 2, 3}, auth(1), t0);
    CHECK(*table.next_deadline() == t0 + seconds(3));
    CHECK(table.on_timer(t0 + seconds(2)).empty());
    TimePoint now = t0;
    const Duration expected_waits[] = {seconds(3), seconds(6), seconds(10), seconds(10)};
    for (Duration wait : expected_waits) {
        now += wait;
        REQUIRE(*table.next_deadline() == now);
        auto actions = table.on_timer(now);
        REQUIRE(actions.size() == 1);
        CHECK(actions[0].decision == TimeoutDecision::kRetransmit);
        CHECK(actions[0].identifier == slot->identifier);
        CHECK(table.find(slot->token)->wire == Bytes{1, 2, 3});
    }
    now += seconds(10);
    auto last = table.on_timer(now);
    REQUIRE(last.size() == 1);
    CHECK(last[0].decision == TimeoutDecision::kGiveUp);
    CHECK(table.size() == 0);
}

TEST_CASE("A response completes the request and frees its Identifier; unknown responses do not match") {
    PendingRequests table(2, RetransmitPolicy{});
    auto slot = table.open(t0);
    REQUIRE(slot.ok());
    CHECK(table.match(0, slot->identifier) == nullptr);  // not sent yet
    table.sent(slot->token, Bytes{9}, auth(2), t0);
    const PendingRequest* r = table.match(0, slot->identifier);
    REQUIRE(r != nullptr);
    CHECK(r->authenticator == auth(2));
    CHECK(table.match(1, slot->identifier) == nullptr);
    CHECK(table.match(0, static_cast<uint8_t>(slot->identifier + 1)) == nullptr);
    table.complete(slot->token);
    CHECK(table.size() == 0);
    CHECK(table.match(0, slot->identifier) == nullptr);
    CHECK(table.on_timer(t0 + seconds(1000)).empty());
}

TEST_CASE("Failover moves to the next server with a new Identifier, and back to the primary after the interval") {
    RetransmitPolicy policy;
    policy.initial_timeout = seconds(1);
    policy.attempts_per_server = 2;
    policy.max_attempts = 6;
    policy.retry_primary_interval = seconds(60);
    PendingRequests table(2, policy);
    auto slot = table.open(t0);
    REQUIRE(slot.ok());
    table.sent(slot->token, Bytes{1}, auth(1), t0);
    auto a1 = table.on_timer(t0 + seconds(1));  // attempt 2 on server 0
    REQUIRE(a1.size() == 1);
    CHECK(a1[0].decision == TimeoutDecision::kRetransmit);
    auto a2 = table.on_timer(t0 + seconds(3));  // server 0 had 2 attempts: fail over
    REQUIRE(a2.size() == 1);
    CHECK(a2[0].decision == TimeoutDecision::kFailover);
    CHECK(a2[0].server == 1);
    CHECK(table.current_server() == 1);
    CHECK(table.find(slot->token)->wire.empty());
    CHECK(table.next_deadline() == std::nullopt);  // waits for the re-encoded send
    table.sent(slot->token, Bytes{2}, auth(3), t0 + seconds(3));
    CHECK(*table.next_deadline() == t0 + seconds(4));  // back-off reset on the new server
    REQUIRE(table.match(1, a2[0].identifier) != nullptr);
    CHECK(table.match(0, slot->identifier) == nullptr);
    // New requests go to server 1 until the retry interval has passed.
    auto s2 = table.open(t0 + seconds(30));
    REQUIRE(s2.ok());
    CHECK(s2->server == 1);
    auto s3 = table.open(t0 + seconds(63));
    REQUIRE(s3.ok());
    CHECK(s3->server == 0);
    CHECK(table.current_server() == 0);
}

TEST_CASE("Failover wraps around the server list and the total attempt bound ends it") {
    RetransmitPolicy policy;
    policy.initial_timeout = seconds(1);
    policy.max_timeout = seconds(1);
    policy.attempts_per_server = 1;
    policy.max_attempts = 4;
    PendingRequests table(3, policy);
    auto slot = table.open(t0);
    REQUIRE(slot.ok());
    table.sent(slot->token, Bytes{1}, auth(1), t0);
    std::vector<size_t> servers;
    TimePoint now = t0;
    for (int i = 0; i < 10 && table.size() > 0; ++i) {
        now += seconds(1);
        for (const auto& a : table.on_timer(now)) {
            if (a.decision == TimeoutDecision::kFailover) {
                servers.push_back(a.server);
                table.sent(a.token, Bytes{2}, auth(2), now);
            }
        }
    }
    CHECK(servers == std::vector<size_t>{1, 2, 0});
    CHECK(table.size() == 0);
}

TEST_CASE("Two requests on a dead server fail over once: the second follows the first") {
    RetransmitPolicy policy;
    policy.initial_timeout = seconds(1);
    policy.attempts_per_server = 1;
    PendingRequests table(3, policy);
    auto a = table.open(t0);
    auto b = table.open(t0);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->identifier != b->identifier);
    table.sent(a->token, Bytes{1}, auth(1), t0);
    table.sent(b->token, Bytes{1}, auth(1), t0);
    auto actions = table.on_timer(t0 + seconds(1));
    REQUIRE(actions.size() == 2);
    CHECK(actions[0].server == 1);
    CHECK(actions[1].server == 1);
    CHECK(table.current_server() == 1);
}

TEST_CASE("open() is bounded by max_pending and by the 256 Identifiers of a server") {
    RetransmitPolicy policy;
    policy.max_pending = 300;
    PendingRequests table(1, policy);
    for (int i = 0; i < 256; ++i) REQUIRE(table.open(t0).ok());
    auto full = table.open(t0);
    REQUIRE(!full.ok());
    CHECK(full.error().code == ErrorCode::kLimit);
    RetransmitPolicy small;
    small.max_pending = 2;
    PendingRequests bounded(1, small);
    REQUIRE(bounded.open(t0).ok());
    auto second = bounded.open(t0);
    REQUIRE(second.ok());
    CHECK(bounded.open(t0).error().code == ErrorCode::kLimit);
    bounded.cancel(second->token);
    CHECK(bounded.open(t0).ok());
}
