// radius/radius_client.h (the client machine over a server list) and
// radius/accounting_request.h.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/random.h"
#include "radius/accounting_request.h"
#include "radius/message_authenticator.h"
#include "radius/radius_attributes.h"
#include "radius/radius_client.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

std::vector<SecretBytes> secrets(std::initializer_list<const char*> list) {
    std::vector<SecretBytes> out;
    for (const char* s : list) out.push_back(SecretBytes(as_bytes(s)));
    return out;
}

Packet access_request() {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccessRequest);
    REQUIRE(add_string(p, attr::kUserName, "alice").ok());
    return p;
}

// The server side: answers a request datagram with `code`, signed with `secret`.
Bytes answer(ByteView request_wire, Code code, std::string_view secret) {
    auto request = parse_packet(request_wire);
    REQUIRE(request.ok());
    Packet response;
    response.code = static_cast<uint8_t>(code);
    response.identifier = request->identifier;
    auto wire = encode_response(response, request->authenticator, as_bytes(secret));
    REQUIRE(wire.ok());
    return *wire;
}

RetransmitPolicy fast_policy() {
    RetransmitPolicy p;
    p.initial_timeout = seconds(1);
    p.max_timeout = seconds(4);
    p.attempts_per_server = 2;
    p.max_attempts = 5;
    return p;
}

}  // namespace

TEST_CASE("RADIUS client: a verified answer completes its request; a forged or stray one is dropped") {
    FakeRandom random(1);
    FakeClock clock;
    RadiusClient client(secrets({"s3cret"}), fast_policy(), random);
    auto sent = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(sent.ok());
    CHECK(sent->server == 0);
    CHECK(client.outstanding() == 1);
    // The request carries a valid Message-Authenticator under the secret.
    CHECK(verify_access_request(sent->wire, as_bytes("s3cret"), true).ok());

    // Signed with another secret: dropped, still outstanding.
    CHECK_FALSE(client.receive(0, answer(sent->wire, Code::kAccessAccept, "guess")).ok());
    CHECK(client.stats().bad_authenticators == 1);
    // A stray Identifier.
    Bytes stray = answer(sent->wire, Code::kAccessAccept, "s3cret");
    stray[1] ^= 0x55;
    CHECK_FALSE(client.receive(0, stray).ok());
    CHECK(client.stats().unknown_responses == 1);
    // Garbage.
    CHECK_FALSE(client.receive(0, Bytes{2, 0}).ok());
    CHECK(client.stats().malformed == 1);
    CHECK(client.outstanding() == 1);

    auto got = client.receive(0, answer(sent->wire, Code::kAccessReject, "s3cret"));
    REQUIRE(got.ok());
    CHECK(got->token == sent->token);
    CHECK(got->packet.is(Code::kAccessReject));
    CHECK(client.outstanding() == 0);
    // The same answer again matches nothing.
    CHECK_FALSE(client.receive(0, answer(sent->wire, Code::kAccessReject, "s3cret")).ok());
}

TEST_CASE("RADIUS client: an Accounting-Response does not answer an Access-Request") {
    FakeRandom random(2);
    FakeClock clock;
    RadiusClient client(secrets({"s"}), fast_policy(), random);
    auto sent = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(sent.ok());
    CHECK_FALSE(client.receive(0, answer(sent->wire, Code::kAccountingResponse, "s")).ok());
    CHECK(client.outstanding() == 1);
}

TEST_CASE("RADIUS client: retransmits the same bytes, fails over re-encoded, then gives up") {
    FakeRandom random(3);
    FakeClock clock;
    RadiusClient client(secrets({"first", "second"}), fast_policy(), random);
    auto sent = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(sent.ok());
    REQUIRE(client.next_deadline().has_value());
    CHECK(*client.next_deadline() == clock.now() + seconds(1));

    clock.advance(seconds(1));
    auto events = client.on_timer(clock.now());
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == RadiusClient::Event::Kind::kSend);
    CHECK(events[0].server == 0);
    CHECK(events[0].wire == sent->wire);  // RFC 5080 §2.2.1: same Identifier and authenticator

    clock.advance(seconds(2));
    events = client.on_timer(clock.now());
    REQUIRE(events.size() == 1);
    CHECK(events[0].server == 1);  // failover after 2 attempts
    CHECK(events[0].wire != sent->wire);
    CHECK(verify_access_request(events[0].wire, as_bytes("second"), true).ok());
    CHECK_FALSE(verify_access_request(events[0].wire, as_bytes("first"), true).ok());
    CHECK(client.current_server() == 1);
    CHECK(client.stats().failovers == 1);

    // The answer now comes from server 1, signed with its secret.
    const Bytes moved = events[0].wire;
    auto got = client.receive(1, answer(moved, Code::kAccessAccept, "second"));
    REQUIRE(got.ok());
    CHECK(got->server == 1);

    // A request that nobody answers is given up after max_attempts.
    auto lost = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(lost.ok());
    bool gave_up = false;
    for (int i = 0; i < 20 && !gave_up; ++i) {
        clock.advance(seconds(4));
        for (const auto& e : client.on_timer(clock.now())) gave_up |= e.kind == RadiusClient::Event::Kind::kGaveUp;
    }
    CHECK(gave_up);
    CHECK(client.outstanding() == 0);
    CHECK(client.stats().timeouts == 1);
}

TEST_CASE("RADIUS client: a refused server fails over at once") {
    FakeRandom random(4);
    FakeClock clock;
    RadiusClient client(secrets({"a", "b"}), fast_policy(), random);
    auto sent = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(sent.ok());
    client.server_unreachable(0, clock.now());
    auto events = client.on_timer(clock.now());
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == RadiusClient::Event::Kind::kSend);
    CHECK(events[0].server == 1);
}

TEST_CASE("RADIUS client: back to the primary after radius_retry_primary_interval") {
    FakeRandom random(5);
    FakeClock clock;
    RetransmitPolicy policy = fast_policy();
    policy.retry_primary_interval = seconds(30);
    RadiusClient client(secrets({"a", "b"}), policy, random);
    REQUIRE(client.submit(RequestKind::kAccess, access_request(), clock.now()).ok());
    client.server_unreachable(0, clock.now());
    (void)client.on_timer(clock.now());
    CHECK(client.current_server() == 1);
    clock.advance(seconds(10));
    auto next = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(next.ok());
    CHECK(next->server == 1);
    clock.advance(seconds(25));
    auto later = client.submit(RequestKind::kAccess, access_request(), clock.now());
    REQUIRE(later.ok());
    CHECK(later->server == 0);
}

TEST_CASE("RADIUS accounting: Stop carries session time, counters with gigawords, cause and Class") {
    AccountingParams p;
    p.status = AcctStatusType::kStop;
    p.session_id = "5F000000-00000001";
    p.session.user_name = "alice";
    p.session.nas_identifier = "nas-1";
    p.session.nas_port_type = NasPortType::kEthernet;
    p.session.called_station = MacAddress(MacAddress::Octets{0x02, 0, 0, 0, 0, 0x0a});
    p.session.calling_station = MacAddress(MacAddress::Octets{0x02, 0, 0, 0, 0, 0x0b});
    p.classes = {Bytes{1, 2, 3}, Bytes{4}};
    p.session_time = 42;
    p.input_octets = (uint64_t(3) << 32) + 7;
    p.terminate_cause = AcctTerminateCause::kUserRequest;
    auto packet = build_accounting_request(p);
    REQUIRE(packet.ok());
    CHECK(*get_integer(*packet, attr::kAcctStatusType) == 2u);
    CHECK(*get_string(*packet, attr::kAcctSessionId) == "5F000000-00000001");
    CHECK(*get_string(*packet, attr::kCallingStationId) == "02-00-00-00-00-0B");
    CHECK(*get_integer(*packet, attr::kAcctSessionTime) == 42u);
    CHECK(*get_integer(*packet, attr::kAcctInputOctets) == 7u);
    CHECK(*get_integer(*packet, attr::kAcctInputGigawords) == 3u);
    CHECK(*get_integer(*packet, attr::kAcctTerminateCause) == 1u);
    CHECK(packet->count(attr::kClass) == 2);

    // Signed as RFC 2866 §3 says, it verifies at a server.
    auto wire = encode_accounting_request(*packet, as_bytes("acct"));
    REQUIRE(wire.ok());
    CHECK(verify_accounting_request(*wire, as_bytes("acct")).ok());
    CHECK_FALSE(verify_accounting_request(*wire, as_bytes("other")).ok());

    // Start has no session time and no cause.
    p.status = AcctStatusType::kStart;
    auto start = build_accounting_request(p);
    REQUIRE(start.ok());
    CHECK(start->count(attr::kAcctSessionTime) == 0);
    CHECK(start->count(attr::kAcctTerminateCause) == 0);
}
