// EAP-MSCHAPv2 peer and server (draft-kamath-pppext-eap-mschapv2-02,
// RFC 2759, RFC 3079): each side alone against hand-built packets, and end
// to end through EapPeer and EapAuthenticator.
#include <doctest/doctest.h>

#include <functional>

#include "common/clock.h"
#include "common/hex.h"
#include "common/random.h"
#include "crypto/legacy.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_mschapv2_peer.h"
#include "methods/eap_mschapv2_server.h"
#include "methods/eap_peer.h"
#include "methods/mschapv2.h"
#include "methods/mschapv2_codec.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

SecretBytes hash_of(std::string_view password) {
    return mschapv2::nt_password_hash(as_bytes(password)).value();
}

// A Random source that replays fixed bytes (then zeros).
class FixedRandom final : public RandomSource {
public:
    explicit FixedRandom(Bytes b) : bytes_(std::move(b)) {}
    void fill(std::span<uint8_t> out) override {
        for (uint8_t& o : out) o = pos_ < bytes_.size() ? bytes_[pos_++] : 0;
    }

private:
    Bytes bytes_;
    size_t pos_ = 0;
};

// RFC 2759 §9.2 values.
const Bytes kAuthChallenge = hx("5B5D7C7D7B3F2F3E3C2C602132262628");
const Bytes kPeerChallenge = hx("21402324255E262A28295F2B3A337C7E");

}  // namespace

TEST_CASE("MSCHAPv2 peer answers the RFC 2759 §9.2 challenge with the RFC's NT-Response") {
    REQUIRE_MESSAGE(crypto::legacy_available(), "OpenSSL legacy provider not available: MD4/DES need it");
    FixedRandom random(kPeerChallenge);
    MschapV2Peer peer("User", hash_of("clientPass"), random);
    CHECK(peer.state() == MethodState::kInit);
    auto resp = peer.process(5, mschapv2::build_challenge(5, kAuthChallenge, "srv"));
    REQUIRE(resp.ok());
    auto h = mschapv2::parse_header(*resp);
    REQUIRE(h.ok());
    auto r = mschapv2::parse_response(*h);
    REQUIRE(r.ok());
    CHECK(r->ms_id == 5);
    CHECK(to_hex(r->peer_challenge) == to_hex(kPeerChallenge));
    CHECK(to_hex(r->nt_response) == "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df");
    CHECK(r->name == "User");
    CHECK(peer.state() == MethodState::kCont);
    CHECK(peer.decision() == Decision::kFail);

    SUBCASE("the right S= is accepted: Success Response, UNCOND_SUCC, RFC 3079 keys") {
        auto ok = peer.process(6, mschapv2::build_success_request(5, hx("407A5589115FD0D6209F510FE9C04566932CDA56"), "OK"));
        REQUIRE(ok.ok());
        CHECK(to_hex(*ok) == "03");
        CHECK(peer.state() == MethodState::kDone);
        CHECK(peer.decision() == Decision::kUncondSucc);
        REQUIRE(peer.key_available());
        Keys k = peer.keys();
        REQUIRE(k.msk.size() == 64);
        // RFC 3079 §3.5: the peer's receive key is SendStartKey128 (the server's send key).
        CHECK(to_hex(k.msk.subspan(16, 16)) == "8b7cdc149b993a1ba118cb153f56dccb");
        CHECK(equal_bytes(peer.inner_session_key().view(), k.msk.first(32)));
    }
    SUBCASE("a forged S= fails the method with a Failure Response") {
        auto bad = peer.process(6, mschapv2::build_success_request(5, hx("407A5589115FD0D6209F510FE9C04566932CDA57"), "OK"));
        REQUIRE(bad.ok());
        CHECK(to_hex(*bad) == "04");
        CHECK(peer.state() == MethodState::kDone);
        CHECK(peer.decision() == Decision::kFail);
        CHECK_FALSE(peer.key_available());
        CHECK(peer.inner_session_key().empty());
        CHECK(peer.failure_reason().find("authenticator response is wrong") != std::string::npos);
    }
    SUBCASE("a Success Request without S= fails the method") {
        Bytes text = to_bytes("M=Welcome");
        Bytes req{3, 5, 0, static_cast<uint8_t>(4 + text.size())};
        req.insert(req.end(), text.begin(), text.end());
        auto bad = peer.process(6, req);
        REQUIRE(bad.ok());
        CHECK(to_hex(*bad) == "04");
        CHECK(peer.decision() == Decision::kFail);
        CHECK(peer.failure_reason().find("without a valid S=") != std::string::npos);
    }
    SUBCASE("a Failure Request is parsed and answered") {
        mschapv2::FailureMessage f;
        f.error = 691;
        f.version = 3;
        f.message = "FAILED";
        auto r4 = peer.process(6, mschapv2::build_failure_request(5, f));
        REQUIRE(r4.ok());
        CHECK(to_hex(*r4) == "04");
        REQUIRE(peer.last_failure().has_value());
        CHECK(peer.last_failure()->error == 691);
        CHECK(peer.failure_reason().find("E=691") != std::string::npos);
        CHECK(peer.decision() == Decision::kFail);
    }
    SUBCASE("malformed Success/Failure Requests are dropped and change nothing") {
        CHECK_FALSE(peer.process(6, hx("03050005")).ok());                  // MS-Length wrong
        CHECK_FALSE(peer.process(6, hx("0405")).ok());                      // truncated header
        CHECK_FALSE(peer.process(6, Bytes{4, 5, 0, 9, 'E', '=', 'x', 'y', 'z'}).ok());  // bad E=
        CHECK_FALSE(peer.process(6, hx("07050004")).ok());                  // Change-Password
        CHECK_FALSE(peer.process(6, hx("02050004")).ok());                  // Response OpCode in a Request
        CHECK_FALSE(peer.process(6, mschapv2::build_challenge(6, kAuthChallenge, "srv")).ok());  // second Challenge
        CHECK(peer.state() == MethodState::kCont);
        CHECK(peer.decision() == Decision::kFail);
    }
}

TEST_CASE("MSCHAPv2 peer drops malformed Challenges") {
    FakeRandom random(1);
    MschapV2Peer peer("User", hash_of("clientPass"), random);
    CHECK_FALSE(peer.process(1, {}).ok());
    CHECK_FALSE(peer.process(1, hx("01010004")).ok());
    CHECK_FALSE(peer.process(1, hx("0101000508")).ok());
    CHECK_FALSE(peer.process(1, hx("0101001510001122")).ok());
    CHECK_FALSE(peer.process(1, mschapv2::build_success_request(1, Bytes(20, 0), "OK")).ok());  // before a Challenge
    CHECK(peer.state() == MethodState::kInit);
}

TEST_CASE("MSCHAPv2 peer hashes the user name without DOMAIN\\ but sends the full Name") {
    FixedRandom random(kPeerChallenge);
    MschapV2Peer peer("CORP\\User", hash_of("clientPass"), random);
    auto resp = peer.process(5, mschapv2::build_challenge(5, kAuthChallenge, "srv"));
    REQUIRE(resp.ok());
    auto r = mschapv2::parse_response(mschapv2::parse_header(*resp).value());
    REQUIRE(r.ok());
    CHECK(r->name == "CORP\\User");
    CHECK(to_hex(r->nt_response) == "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df");
}

TEST_CASE("MSCHAPv2 server: right response gives Success Request, Success Response gives success") {
    FakeRandom random(5);
    MschapV2Server server("User", hash_of("clientPass"), random);
    auto req = server.build_request(17);
    REQUIRE(req.ok());
    auto c = mschapv2::parse_challenge(mschapv2::parse_header(*req).value());
    REQUIRE(c.ok());
    CHECK(c->ms_id == 17);
    CHECK(c->name == MschapV2Server::kServerName);
    auto nt = mschapv2::generate_nt_response(c->challenge, kPeerChallenge, "User", hash_of("clientPass").view());
    REQUIRE(nt.ok());
    // Malformed and mismatched Responses are discarded.
    CHECK_FALSE(server.process(hx("0211")).ok());
    CHECK_FALSE(server.process(mschapv2::build_response(18, kPeerChallenge, *nt, "User")).ok());  // wrong MS-CHAPv2-ID
    CHECK_FALSE(server.process(hx("03")).ok());  // Success Response before Success Request
    CHECK_FALSE(server.is_done());
    REQUIRE(server.process(mschapv2::build_response(17, kPeerChallenge, *nt, "User")).ok());
    CHECK_FALSE(server.is_done());
    auto success = server.build_request(18);
    REQUIRE(success.ok());
    auto h = mschapv2::parse_header(*success);
    REQUIRE(h.ok());
    CHECK(h->op == mschapv2::OpCode::kSuccess);
    auto msg = mschapv2::parse_success_message(to_string(h->data));
    REQUIRE(msg.auth_response.has_value());
    auto expected = mschapv2::generate_authenticator_response(hash_of("clientPass").view(), *nt, kPeerChallenge,
                                                              c->challenge, "User");
    CHECK(to_hex(*msg.auth_response) == to_hex(*expected));
    REQUIRE(server.process(hx("03")).ok());
    CHECK(server.is_done());
    CHECK(server.is_success());
    REQUIRE(server.key_available());
    CHECK(server.keys().msk.size() == 64);
    CHECK(server.inner_session_key().size() == 32);
}

TEST_CASE("MSCHAPv2 server: wrong password gives Failure Request E=691, then failure") {
    FakeRandom random(5);
    MschapV2Server server("User", hash_of("clientPass"), random);
    auto req = server.build_request(1);
    auto c = mschapv2::parse_challenge(mschapv2::parse_header(*req).value()).value();
    auto nt = mschapv2::generate_nt_response(c.challenge, kPeerChallenge, "User", hash_of("wrong").view());
    REQUIRE(server.process(mschapv2::build_response(1, kPeerChallenge, *nt, "User")).ok());
    auto fail = server.build_request(2);
    REQUIRE(fail.ok());
    auto h = mschapv2::parse_header(*fail);
    REQUIRE(h.ok());
    CHECK(h->op == mschapv2::OpCode::kFailure);
    auto f = mschapv2::parse_failure_message(to_string(h->data));
    REQUIRE(f.ok());
    CHECK(f->error == 691);
    CHECK_FALSE(f->retry);
    CHECK(f->challenge.has_value());
    CHECK(f->version == 3u);
    CHECK_FALSE(server.process(hx("03")).ok());  // a Success Response is not an answer to Failure
    REQUIRE(server.process(hx("04")).ok());
    CHECK(server.is_done());
    CHECK_FALSE(server.is_success());
    CHECK_FALSE(server.key_available());
    CHECK(server.failure_reason() == "EAP-MSCHAPv2: wrong password");
}

TEST_CASE("MSCHAPv2 server: Name not matching the identity fails; DOMAIN\\ is ignored") {
    FakeRandom random(5);
    SUBCASE("other name") {
        MschapV2Server server("alice", hash_of("pw"), random);
        auto c = mschapv2::parse_challenge(mschapv2::parse_header(*server.build_request(1)).value()).value();
        auto nt = mschapv2::generate_nt_response(c.challenge, kPeerChallenge, "bob", hash_of("pw").view());
        REQUIRE(server.process(mschapv2::build_response(1, kPeerChallenge, *nt, "bob")).ok());
        CHECK(mschapv2::parse_header(*server.build_request(2))->op == mschapv2::OpCode::kFailure);
        REQUIRE(server.process(hx("04")).ok());
        CHECK_FALSE(server.is_success());
        CHECK(server.failure_reason() == "EAP-MSCHAPv2: Name does not match the EAP identity");
    }
    SUBCASE("domain prefix") {
        MschapV2Server server("CORP\\alice", hash_of("pw"), random);
        auto c = mschapv2::parse_challenge(mschapv2::parse_header(*server.build_request(1)).value()).value();
        auto nt = mschapv2::generate_nt_response(c.challenge, kPeerChallenge, "alice", hash_of("pw").view());
        REQUIRE(server.process(mschapv2::build_response(1, kPeerChallenge, *nt, "CORP\\alice")).ok());
        CHECK(mschapv2::parse_header(*server.build_request(2))->op == mschapv2::OpCode::kSuccess);
    }
    SUBCASE("Change-Password is refused with a clear reason") {
        MschapV2Server server("alice", hash_of("pw"), random);
        (void)server.build_request(1);
        REQUIRE(server.process(hx("07010004")).ok());
        CHECK(server.is_done());
        CHECK_FALSE(server.is_success());
        CHECK(server.failure_reason().find("Change-Password") != std::string::npos);
    }
}

TEST_CASE("MSCHAPv2 server: a Failure Response to the Success Request ends in failure") {
    FakeRandom random(5);
    MschapV2Server server("alice", hash_of("pw"), random);
    auto c = mschapv2::parse_challenge(mschapv2::parse_header(*server.build_request(1)).value()).value();
    auto nt = mschapv2::generate_nt_response(c.challenge, kPeerChallenge, "alice", hash_of("pw").view());
    REQUIRE(server.process(mschapv2::build_response(1, kPeerChallenge, *nt, "alice")).ok());
    (void)server.build_request(2);
    REQUIRE(server.process(hx("04")).ok());
    CHECK(server.is_done());
    CHECK_FALSE(server.is_success());
    CHECK(server.keys().msk.empty());
}

namespace {

// Carries packets between EapPeer and EapAuthenticator; tamper may rewrite
// any authenticator→peer packet in flight.
struct Pump {
    EapPeer& peer;
    EapAuthenticator& auth;
    FakeClock& clock;
    std::function<void(Bytes&)> tamper;
    std::optional<PeerAction> peer_end{};
    std::optional<AuthAction> auth_end{};
    unsigned peer_discards = 0;

    void to_peer(Bytes b) {
        if (tamper) tamper(b);
        PeerAction a = peer.handle(b, clock.now());
        switch (a.kind) {
            case PeerActionKind::kSend: on_auth(auth.handle(a.packet, clock.now())); break;
            case PeerActionKind::kSuccess:
            case PeerActionKind::kFailure: peer_end = a; break;
            case PeerActionKind::kNone: ++peer_discards; break;
        }
    }
    void on_auth(const AuthAction& a) {
        switch (a.kind) {
            case AuthActionKind::kSend: to_peer(a.packet); break;
            case AuthActionKind::kSuccess:
            case AuthActionKind::kFailure:
                auth_end = a;
                to_peer(a.packet);
                break;
            case AuthActionKind::kTimeout: auth_end = a; break;
            case AuthActionKind::kNone: break;
        }
    }
    void run() {
        peer.start(clock.now());
        on_auth(auth.start(clock.now()));
        for (int i = 0; i < 20 && !(peer_end && auth_end); ++i) {
            auto t = auth.next_timeout();
            if (!t) break;
            clock.set(*t);
            on_auth(auth.on_timeout(clock.now()));
        }
    }
};

MethodRegistry test_registry() {
    MethodRegistry reg = MethodRegistry::builtin();
    reg.add({Type::kMschapV2, false, &MschapV2Peer::create, &MschapV2Server::create});
    return reg;
}

struct World {
    PeerCredentials creds;
    VectorUserDatabase users{{}};
    FakeRandom peer_random{21};
    FakeRandom server_random{22};
    FakeClock clock;
    MethodRegistry registry = test_registry();

    World(const char* peer_password, const char* server_password) {
        creds.identity = "alice";
        creds.password = SecretBytes(as_bytes(peer_password));
        creds.methods = {Type::kMschapV2};
        UserRecord u;
        u.identity = "alice";
        u.methods = {Type::kMschapV2};
        u.password = SecretBytes(as_bytes(server_password));
        users.add(std::move(u));
    }
    PeerEnvironment peer_env() {
        PeerEnvironment e;
        e.credentials = &creds;
        e.random = &peer_random;
        return e;
    }
    ServerEnvironment server_env() {
        ServerEnvironment e;
        e.users = &users;
        e.random = &server_random;
        return e;
    }
};

// The Success Request's message text starts after EAP header (5) and the
// MSCHAPv2 header (4).
bool is_mschapv2_request(const Bytes& b, mschapv2::OpCode op) {
    return b.size() > 9 && b[0] == 1 && b[4] == 26 && b[5] == static_cast<uint8_t>(op);
}

}  // namespace

TEST_CASE("EAP-MSCHAPv2 end to end: right password, both succeed with equal MSKs") {
    World w("correct horse", "correct horse");
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    Pump pump{peer, auth, w.clock, {}};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
    REQUIRE(pump.peer_end->keys_available);
    REQUIRE(pump.auth_end->keys_available);
    CHECK(pump.peer_end->keys.msk.size() == 64);
    CHECK(equal_bytes(pump.peer_end->keys.msk.view(), pump.auth_end->keys.msk.view()));
    CHECK_FALSE(equal_bytes(pump.peer_end->keys.msk.first(32), Bytes(32, 0)));
    REQUIRE(peer.method() != nullptr);
    CHECK(equal_bytes(peer.method()->inner_session_key().view(), pump.auth_end->keys.msk.first(32)));
}

TEST_CASE("EAP-MSCHAPv2 end to end: NT hash passwords on either side") {
    World w("clientPass", "clientPass");
    SUBCASE("peer hash:") {
        w.creds.password = SecretBytes(hx("44EBBA8D5312B8D611474411F56989AE"));
        w.creds.password_is_nt_hash = true;
    }
    SUBCASE("server hash:") {
        w.users = VectorUserDatabase({});
        UserRecord u;
        u.identity = "alice";
        u.methods = {Type::kMschapV2};
        u.password = SecretBytes(hx("44EBBA8D5312B8D611474411F56989AE"));
        u.password_is_nt_hash = true;
        w.users.add(std::move(u));
    }
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    Pump pump{peer, auth, w.clock, {}};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
    CHECK(equal_bytes(pump.peer_end->keys.msk.view(), pump.auth_end->keys.msk.view()));
}

TEST_CASE("EAP-MSCHAPv2 end to end: wrong password, Failure E=691 reaches the peer") {
    World w("wrong", "right");
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    Pump pump{peer, auth, w.clock, {}};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kFailure);
    CHECK(pump.auth_end->kind == AuthActionKind::kFailure);
    CHECK(auth.failure_reason() == "EAP-MSCHAPv2: wrong password");
    CHECK(peer.failure_reason().find("E=691") != std::string::npos);
    auto* m = dynamic_cast<const MschapV2Peer*>(peer.method());
    REQUIRE(m != nullptr);
    REQUIRE(m->last_failure().has_value());
    CHECK(m->last_failure()->error == 691);
}

TEST_CASE("EAP-MSCHAPv2 end to end: a forged or missing authenticator response makes the peer fail") {
    World w("pw", "pw");
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    std::function<void(Bytes&)> tamper;
    SUBCASE("forged S=") {
        tamper = [](Bytes& b) {
            if (is_mschapv2_request(b, mschapv2::OpCode::kSuccess)) b[11] = b[11] == '0' ? '1' : '0';
        };
    }
    SUBCASE("missing S=") {
        tamper = [](Bytes& b) {
            if (!is_mschapv2_request(b, mschapv2::OpCode::kSuccess)) return;
            Bytes ms{3, b[6], 0, 8, 'M', '=', 'O', 'K'};
            b = build_request(b[1], Type::kMschapV2, ms).value();
        };
    }
    Pump pump{peer, auth, w.clock, tamper};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kFailure);
    CHECK_FALSE(pump.peer_end->keys_available);
    // The peer answered with a Failure Response, so the server fails too.
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.auth_end->kind == AuthActionKind::kFailure);
    CHECK(auth.failure_reason().find("peer rejected the Success Request") != std::string::npos);
}

TEST_CASE("EAP-MSCHAPv2 end to end: an EAP-Success instead of the Success Request is never accepted") {
    World w("pw", "pw");
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    // Every (re)transmitted Success Request becomes an EAP-Success carrying
    // the Identifier of the peer's last Response.
    Pump pump{peer, auth, w.clock, [](Bytes& b) {
                  if (is_mschapv2_request(b, mschapv2::OpCode::kSuccess)) {
                      b = build_success(static_cast<uint8_t>(b[1] - 1));
                  }
              }};
    pump.run();
    CHECK(peer.state() != PeerState::kSuccess);
    CHECK(pump.peer_discards >= 1);
    if (pump.peer_end) CHECK(pump.peer_end->kind == PeerActionKind::kFailure);
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.auth_end->kind != AuthActionKind::kSuccess);
}

TEST_CASE("EAP-MSCHAPv2 end to end: malformed Requests are dropped by the peer") {
    World w("pw", "pw");
    EapPeer peer(w.peer_env(), {}, &w.registry);
    EapAuthenticator auth(w.server_env(), {}, &w.registry);
    // Corrupt MS-Length of the first Challenge only: the peer drops it, the
    // authenticator retransmits the original, and the exchange completes.
    int corrupted = 0;
    Pump pump{peer, auth, w.clock, [&](Bytes& b) {
                  if (corrupted == 0 && is_mschapv2_request(b, mschapv2::OpCode::kChallenge)) {
                      b[8] ^= 0x01;
                      ++corrupted;
                  } else if (corrupted == 1 && is_mschapv2_request(b, mschapv2::OpCode::kChallenge)) {
                      ++corrupted;  // the retransmission passes unchanged
                  }
              }};
    pump.run();
    CHECK(corrupted == 2);
    CHECK(pump.peer_discards >= 1);
    REQUIRE(pump.peer_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
}

TEST_CASE("EAP-MSCHAPv2 factories decline without credentials") {
    PeerCredentials creds;
    FakeRandom random;
    PeerEnvironment pe;
    pe.credentials = &creds;
    pe.random = &random;
    CHECK(MschapV2Peer::create(pe) == nullptr);  // no identity, no password
    creds.identity = "alice";
    CHECK(MschapV2Peer::create(pe) == nullptr);  // no password
    creds.password = SecretBytes(as_bytes("pw"));
    CHECK(MschapV2Peer::create(pe) != nullptr);
    creds.password = SecretBytes(hx("0102"));
    creds.password_is_nt_hash = true;
    CHECK(MschapV2Peer::create(pe) == nullptr);  // a hash must be 16 octets
    ServerEnvironment se;
    se.random = &random;
    CHECK(MschapV2Server::create(se) == nullptr);
    UserRecord u;
    se.user = &u;
    CHECK(MschapV2Server::create(se) == nullptr);
    u.password = SecretBytes(as_bytes("pw"));
    CHECK(MschapV2Server::create(se) != nullptr);
}

TEST_CASE("EAP-MSCHAPv2 and EAP-GTC are built-in methods, not tunnelled") {
    const MethodRegistry& reg = MethodRegistry::builtin();
    CHECK(reg.has_peer(Type::kMschapV2));
    CHECK(reg.has_server(Type::kMschapV2));
    CHECK(reg.has_peer(Type::kGtc));
    CHECK(reg.has_server(Type::kGtc));
    CHECK_FALSE(reg.is_tunnelled(Type::kMschapV2));
    CHECK_FALSE(reg.is_tunnelled(Type::kGtc));
}
