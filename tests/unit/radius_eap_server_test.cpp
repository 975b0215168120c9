// The RADIUS server side of EAP (radius/eap_radius_server.h): an EAP peer
// behind a simulated NAS talks to EapRadiusServer through real RADIUS
// packets, signed and verified as on the wire.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/random.h"
#include "methods/eap_packet.h"
#include "methods/eap_peer.h"
#include "radius/message_authenticator.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"
#include "radius/request_builder.h"
#include "radius/response_classifier.h"
#include "radius/eap_radius_server.h"
#include "test_support.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

const IpAddress kNas = IpAddress::v4({127, 0, 0, 1});
const IpAddress kOtherNas = IpAddress::v4({127, 0, 0, 2});
const IpAddress kStranger = IpAddress::v4({10, 9, 9, 9});
constexpr std::string_view kSecret = "radsecret";

ClientTable clients() {
    auto t = ClientTable::parse("127.0.0.1 radsecret\n127.0.0.2 othersecret\n", "clients");
    REQUIRE(t.ok());
    return std::move(*t);
}

eap::UserRecord md5_user(const std::string& name, const std::string& password) {
    eap::UserRecord u;
    u.identity = name;
    u.methods = {eap::Type::kMd5Challenge};
    u.password = SecretBytes(as_bytes(password));
    return u;
}

// A NAS in front of one EAP peer: wraps each EAP-Response in a signed
// Access-Request, echoes State, and reads the verified answer.
struct Nas {
    Nas(EapRadiusServer& s, FakeClock& c) : server(s), clock(c) {}
    EapRadiusServer& server;
    FakeClock& clock;
    FakeRandom random{11};
    IpAddress address = kNas;
    uint16_t port = 40000;
    std::string secret = std::string(kSecret);
    std::optional<Bytes> state;
    uint8_t next_id = 0;
    Bytes last_request;
    Authenticator last_authenticator{};

    Bytes request_bytes(ByteView eap) {
        AccessRequestParams p;
        p.identifier = next_id++;
        random.fill(p.request_authenticator);
        p.session.user_name = "user";
        p.session.calling_station = MacAddress(MacAddress::Octets{2, 0, 0, 0, 0, 1});
        p.state = state;
        p.eap_message = Bytes(eap.begin(), eap.end());
        auto wire = encode_eap_access_request(p, as_bytes(secret));
        REQUIRE(wire.ok());
        last_authenticator = p.request_authenticator;
        return *wire;
    }
    std::optional<Bytes> send_raw(ByteView wire) { return server.handle(wire, address, port, clock.now()); }
    // Sends, verifies and classifies; nullopt when the server stayed silent.
    std::optional<ResponseInfo> exchange(ByteView eap) {
        last_request = request_bytes(eap);
        auto answer = send_raw(last_request);
        if (!answer) return std::nullopt;
        auto verified = verify_response(*answer, last_authenticator, as_bytes(secret));
        REQUIRE_MESSAGE(verified.ok(), verified.error().to_string());
        CHECK(verified->attributes.front().type == attr::kMessageAuthenticator);  // Blast-RADIUS: first
        auto info = classify_response(*verified, last_authenticator, as_bytes(secret));
        REQUIRE_MESSAGE(info.ok(), info.error().to_string());
        if (info->state) state = info->state;
        return std::move(*info);
    }
};

struct Md5Peer {
    eap::PeerCredentials credentials;
    FakeRandom random{5};
    std::unique_ptr<eap::EapPeer> peer;
    explicit Md5Peer(const std::string& name, const std::string& password) {
        credentials.identity = name;
        credentials.password = SecretBytes(as_bytes(password));
        credentials.methods = {eap::Type::kMd5Challenge};
        eap::PeerEnvironment env;
        env.credentials = &credentials;
        env.random = &random;
        peer = std::make_unique<eap::EapPeer>(env);
    }
    Bytes identity_response(TimePoint now) {
        peer->start(now);
        auto req = eap::build_identity_request(0x42);
        REQUIRE(req.ok());
        auto a = peer->handle(*req, now);
        REQUIRE(a.kind == eap::PeerActionKind::kSend);
        return a.packet;
    }
};

// Runs one conversation to its end; the last answer.
ResponseInfo converse(Nas& nas, Md5Peer& peer) {
    auto answer = nas.exchange(peer.identity_response(nas.clock.now()));
    for (int round = 0; round < 20 && answer && answer->kind == ResponseKind::kChallenge; ++round) {
        auto a = peer.peer->handle(*answer->eap, nas.clock.now());
        REQUIRE(a.kind == eap::PeerActionKind::kSend);
        answer = nas.exchange(a.packet);
    }
    REQUIRE(answer.has_value());
    return std::move(*answer);
}

struct Fixture {
    ClientTable table = clients();
    eap::VectorUserDatabase users{{md5_user("alice", "wonderland")}};
    FakeRandom random{3};
    FakeClock clock;
    eap::ServerEnvironment env() {
        eap::ServerEnvironment e;
        e.users = &users;
        e.random = &random;
        return e;
    }
};

}  // namespace

TEST_CASE("RADIUS server: EAP-MD5 through Access-Challenge to Access-Accept with User-Name and State") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    std::vector<EapRadiusOutcome> outcomes;
    server.set_observer([&](const EapRadiusOutcome& o) { outcomes.push_back(o); });
    Nas nas(server, f.clock);
    Md5Peer peer("alice", "wonderland");

    auto first = nas.exchange(peer.identity_response(f.clock.now()));
    REQUIRE(first.has_value());
    CHECK(first->kind == ResponseKind::kChallenge);
    REQUIRE(first->state.has_value());
    CHECK(first->state->size() == 16);
    auto parsed = eap::parse_packet(*first->eap);
    REQUIRE(parsed.ok());
    CHECK(parsed->identifier == 0x43);  // follows the NAS's Request/Identity (RFC 4137 §5.4)
    CHECK(server.session_count() == 1);

    auto a = peer.peer->handle(*first->eap, f.clock.now());
    auto last = nas.exchange(a.packet);
    REQUIRE(last.has_value());
    CHECK(last->kind == ResponseKind::kAccept);
    CHECK_FALSE(last->msk.has_value());  // EAP-MD5 derives no keys
    CHECK(server.session_count() == 0);
    CHECK(server.stats().accepts == 1);
    CHECK(server.stats().challenges == 1);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].success);
    CHECK(outcomes[0].identity == "alice");
    CHECK(outcomes[0].method == std::string("MD5"));
}

TEST_CASE("RADIUS server: a wrong password ends in a signed Access-Reject carrying EAP-Failure") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Nas nas(server, f.clock);
    Md5Peer peer("alice", "not-it");
    ResponseInfo last = converse(nas, peer);
    CHECK(last.kind == ResponseKind::kReject);
    REQUIRE(last.eap.has_value());
    auto parsed = eap::parse_packet(*last.eap);
    REQUIRE(parsed.ok());
    CHECK(parsed->code == eap::Code::kFailure);
    CHECK(server.stats().rejects == 1);
    CHECK(server.session_count() == 0);
}

TEST_CASE("RADIUS server: unknown clients, wrong secrets and unsigned requests are dropped and counted") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Md5Peer peer("alice", "wonderland");
    const Bytes identity = peer.identity_response(f.clock.now());

    Nas stranger(server, f.clock);
    stranger.address = kStranger;
    CHECK_FALSE(stranger.exchange(identity).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kUnknownClient)] == 1);

    Nas wrong(server, f.clock);
    wrong.secret = "guess";
    CHECK_FALSE(wrong.exchange(identity).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kBadAuthenticator)] == 1);

    // An Access-Request without Message-Authenticator (Blast-RADIUS).
    AccessRequestParams p;
    p.identifier = 9;
    p.eap_message = identity;
    auto packet = build_access_request(p);
    REQUIRE(packet.ok());
    auto unsigned_wire = encode_access_request(*packet, as_bytes(kSecret), /*with_message_authenticator=*/false);
    REQUIRE(unsigned_wire.ok());
    CHECK_FALSE(server.handle(*unsigned_wire, kNas, 40000, f.clock.now()).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kBadAuthenticator)] == 2);

    // Garbage and a truncated header.
    CHECK_FALSE(server.handle(Bytes{1, 2, 3}, kNas, 40000, f.clock.now()).has_value());
    Bytes overrun = *unsigned_wire;
    overrun[3] = static_cast<uint8_t>(overrun[3] + 40);  // Length beyond the datagram
    CHECK_FALSE(server.handle(overrun, kNas, 40000, f.clock.now()).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kMalformed)] == 2);
    CHECK(server.session_count() == 0);
    CHECK(server.stats().requests == 0);
}

TEST_CASE("RADIUS server: a retransmitted request gets the same answer and is processed once (RFC 5080 §2.2.2)") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Nas nas(server, f.clock);
    Md5Peer peer("alice", "wonderland");
    auto first = nas.exchange(peer.identity_response(f.clock.now()));
    REQUIRE(first.has_value());
    const Bytes request = nas.last_request;
    auto original = server.handle(request, kNas, 40000, f.clock.now());
    REQUIRE(original.has_value());
    auto again = server.handle(request, kNas, 40000, f.clock.now());
    REQUIRE(again.has_value());
    CHECK(*original == *again);
    CHECK(server.stats().duplicates_answered == 2);
    CHECK(server.stats().challenges == 1);
    CHECK(server.session_count() == 1);
}

TEST_CASE("RADIUS server: State binds a session to its client; unknown State is dropped") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Nas nas(server, f.clock);
    Md5Peer peer("alice", "wonderland");
    auto first = nas.exchange(peer.identity_response(f.clock.now()));
    REQUIRE(first.has_value());
    auto response = peer.peer->handle(*first->eap, f.clock.now());

    // Another NAS (with its own secret) replays the State: not its session.
    Nas other(server, f.clock);
    other.address = kOtherNas;
    other.secret = "othersecret";
    other.state = nas.state;
    CHECK_FALSE(other.exchange(response.packet).has_value());
    // A made-up State.
    Nas forger(server, f.clock);
    forger.port = 40100;  // else it would replay the first request exactly (a duplicate)
    forger.state = Bytes(16, 0xab);
    CHECK_FALSE(forger.exchange(response.packet).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kUnknownState)] == 2);

    // The rightful NAS still completes.
    auto last = nas.exchange(response.packet);
    REQUIRE(last.has_value());
    CHECK(last->kind == ResponseKind::kAccept);
}

TEST_CASE("RADIUS server: a new session must start with EAP-Response/Identity") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Nas nas(server, f.clock);
    auto md5 = eap::build_response(7, eap::Type::kMd5Challenge, Bytes{1, 2});
    REQUIRE(md5.ok());
    CHECK_FALSE(nas.exchange(*md5).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kBadEap)] == 1);
    CHECK(server.session_count() == 0);
}

TEST_CASE("RADIUS server: sessions are bounded per client and idle ones expire") {
    Fixture f;
    EapRadiusServerConfig config;
    config.max_sessions_per_client = 2;
    config.session_idle_timeout = seconds(30);
    EapRadiusServer server(f.table, f.env(), f.random, config);
    Md5Peer peer("alice", "wonderland");
    const Bytes identity = peer.identity_response(f.clock.now());
    std::vector<std::unique_ptr<Nas>> nases;
    for (int i = 0; i < 3; ++i) {
        nases.push_back(std::make_unique<Nas>(server, f.clock));
        nases.back()->port = static_cast<uint16_t>(40000 + i);
    }
    CHECK(nases[0]->exchange(identity).has_value());
    CHECK(nases[1]->exchange(identity).has_value());
    CHECK_FALSE(nases[2]->exchange(identity).has_value());
    CHECK(server.stats().dropped[static_cast<size_t>(DropReason::kSessionLimit)] == 1);
    CHECK(server.session_count() == 2);

    f.clock.advance(seconds(31));
    server.expire(f.clock.now());
    CHECK(server.session_count() == 0);
    CHECK(server.stats().sessions_expired == 2);
    // The expired session's State is now unknown; a new session fits again.
    auto late = peer.peer->handle(*eap::build_identity_request(1), f.clock.now());
    CHECK_FALSE(nases[0]->exchange(late.packet).has_value());
    nases[2]->state.reset();
    CHECK(nases[2]->exchange(identity).has_value());
}

TEST_CASE("RADIUS server: Proxy-State is copied and Status-Server is answered with Access-Accept") {
    Fixture f;
    EapRadiusServer server(f.table, f.env(), f.random);
    Md5Peer peer("alice", "wonderland");
    AccessRequestParams p;
    p.identifier = 3;
    p.request_authenticator[0] = 1;
    p.eap_message = peer.identity_response(f.clock.now());
    auto packet = build_access_request(p);
    REQUIRE(packet.ok());
    REQUIRE(packet->add(attr::kProxyState, as_bytes("hop-1")).ok());
    REQUIRE(packet->add(attr::kProxyState, as_bytes("hop-2")).ok());
    auto wire = encode_access_request(*packet, as_bytes(kSecret));
    REQUIRE(wire.ok());
    auto answer = server.handle(*wire, kNas, 40000, f.clock.now());
    REQUIRE(answer.has_value());
    auto verified = verify_response(*answer, p.request_authenticator, as_bytes(kSecret));
    REQUIRE(verified.ok());
    auto proxies = verified->find_all(attr::kProxyState);
    REQUIRE(proxies.size() == 2);
    CHECK(to_string(proxies[0]->value) == "hop-1");
    CHECK(to_string(proxies[1]->value) == "hop-2");

    Packet status;
    status.code = static_cast<uint8_t>(Code::kStatusServer);
    status.identifier = 77;
    status.authenticator[3] = 9;
    auto status_wire = encode_access_request(status, as_bytes(kSecret));
    REQUIRE(status_wire.ok());
    auto status_answer = server.handle(*status_wire, kNas, 40001, f.clock.now());
    REQUIRE(status_answer.has_value());
    auto accepted = verify_response(*status_answer, status.authenticator, as_bytes(kSecret));
    REQUIRE(accepted.ok());
    CHECK(accepted->is(Code::kAccessAccept));
}

TEST_CASE("RADIUS server: EAP-TLS Access-Accept carries the MSK as MS-MPPE keys the NAS can decrypt") {
    FakeRandom random(9);
    FakeClock clock;
    tls::Config sc;
    sc.role = tls::Role::kServer;
    sc.ca_file = test::pki_path("ca.pem");
    sc.cert_file = test::pki_path("server.pem");
    sc.key_file = test::pki_path("server.key");
    sc.require_peer_certificate = true;
    sc.max_version = tls::Version::kTls12;
    auto server_tls = tls::make_context(sc);
    REQUIRE_MESSAGE(server_tls.ok(), server_tls.error().to_string());
    tls::Config cc;
    cc.role = tls::Role::kClient;
    cc.ca_file = test::pki_path("ca.pem");
    cc.cert_file = test::pki_path("client.pem");
    cc.key_file = test::pki_path("client.key");
    cc.max_version = tls::Version::kTls12;
    auto client_tls = tls::make_context(cc);
    REQUIRE_MESSAGE(client_tls.ok(), client_tls.error().to_string());

    eap::UserRecord user;
    user.identity = "user@lanyard.test";
    user.methods = {eap::Type::kTls};
    eap::VectorUserDatabase users({user});
    eap::ServerEnvironment env;
    env.users = &users;
    env.random = &random;
    env.tls = server_tls->get();
    ClientTable table = clients();
    EapRadiusServer server(table, env, random);

    eap::PeerCredentials credentials;
    credentials.identity = "user@lanyard.test";
    credentials.methods = {eap::Type::kTls};
    eap::PeerEnvironment penv;
    penv.credentials = &credentials;
    penv.random = &random;
    penv.tls = client_tls->get();
    eap::EapPeer peer(penv);
    peer.start(clock.now());
    Nas nas(server, clock);
    auto action = peer.handle(*eap::build_identity_request(1), clock.now());
    std::optional<ResponseInfo> answer;
    for (int round = 0; round < 30; ++round) {
        REQUIRE(action.kind == eap::PeerActionKind::kSend);
        answer = nas.exchange(action.packet);
        REQUIRE(answer.has_value());
        if (answer->kind != ResponseKind::kChallenge) break;
        action = peer.handle(*answer->eap, clock.now());
    }
    REQUIRE(answer->kind == ResponseKind::kAccept);
    auto done = peer.handle(*answer->eap, clock.now());
    REQUIRE(done.kind == eap::PeerActionKind::kSuccess);
    REQUIRE(answer->msk.has_value());
    CHECK(answer->msk->size() == 64);
    CHECK(answer->msk->view().size() == done.keys.msk.first(64).size());
    CHECK(std::equal(answer->msk->view().begin(), answer->msk->view().end(), done.keys.msk.view().begin()));
}
