// EAP-MD5 (RFC 3748 §5.4) alone, and end to end: the peer machine against the
// authenticator machine through a tiny in-test pump.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/hex.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_md5_common.h"
#include "methods/eap_md5_peer.h"
#include "methods/eap_md5_server.h"
#include "methods/eap_peer.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

}  // namespace

TEST_CASE("CHAP response is MD5(id || secret || challenge) (RFC 1994 §4.1)") {
    Bytes challenge(16);
    for (size_t i = 0; i < 16; ++i) challenge[i] = static_cast<uint8_t>(i);
    auto d = md5::chap_response(7, SecretBytes(as_bytes("password")), challenge);
    REQUIRE(d.ok());
    CHECK(to_hex(*d) == "23ede83231c0bc7b7f00c30fc578cadc");
}

TEST_CASE("EAP-MD5 value parsing rejects malformed data") {
    CHECK_FALSE(md5::parse_value({}).ok());
    CHECK(md5::parse_value(hx("00")).error().code == ErrorCode::kMalformed);
    CHECK(md5::parse_value(hx("05 0102")).error().code == ErrorCode::kTruncated);
    const Bytes data = hx("02 aabb 6e616d65");
    auto v = md5::parse_value(data);
    REQUIRE(v.ok());
    CHECK(to_hex(v->value) == "aabb");
    CHECK(to_string(v->name) == "name");
}

TEST_CASE("EAP-MD5 peer answers a Challenge and decides COND_SUCC") {
    Md5Peer peer(SecretBytes(as_bytes("secret")));
    CHECK(peer.state() == MethodState::kInit);
    CHECK_FALSE(peer.process(1, hx("00")).ok());
    CHECK(peer.state() == MethodState::kInit);
    auto r = peer.process(0x2a, hx("10 00112233445566778899aabbccddeeff"));
    REQUIRE(r.ok());
    CHECK(to_hex(*r) == "10b315fb98595bfed70521be60163cc41e");
    CHECK(peer.state() == MethodState::kDone);
    CHECK(peer.decision() == Decision::kCondSucc);
    CHECK_FALSE(peer.key_available());
}

TEST_CASE("EAP-MD5 server checks the digest against its challenge") {
    FakeRandom random(3);
    SUBCASE("right digest") {
        Md5Server server(SecretBytes(as_bytes("secret")), random);
        auto req = server.build_request(9);
        REQUIRE(req.ok());
        auto chal = md5::parse_value(*req);
        REQUIRE(chal.ok());
        CHECK(chal->value.size() == 16);
        auto d = md5::chap_response(9, SecretBytes(as_bytes("secret")), chal->value);
        CHECK(server.process(md5::build_value(*d, as_bytes("alice"))).ok());
        CHECK(server.is_done());
        CHECK(server.is_success());
    }
    SUBCASE("wrong digest size is discarded, wrong digest fails") {
        Md5Server server(SecretBytes(as_bytes("secret")), random);
        auto req = server.build_request(9);
        CHECK_FALSE(server.process(hx("02 0102")).ok());
        CHECK_FALSE(server.is_done());
        CHECK(server.process(md5::build_value(Bytes(16, 0), {})).ok());
        CHECK(server.is_done());
        CHECK_FALSE(server.is_success());
        CHECK(server.failure_reason() == "EAP-MD5: wrong password");
    }
    SUBCASE("a Response before any Challenge is refused") {
        Md5Server server(SecretBytes(as_bytes("secret")), random);
        CHECK_FALSE(server.process(md5::build_value(Bytes(16, 0), {})).ok());
    }
}

namespace {

// Carries packets between an EapPeer and an EapAuthenticator, optionally
// dropping the n-th packet each way, and fires timers on a fake clock.
struct Pump {
    EapPeer& peer;
    EapAuthenticator& auth;
    FakeClock& clock;
    int drop_to_auth = -1;  // index of the peer→auth packet to lose
    int to_auth = 0;
    std::optional<PeerAction> peer_end{};
    std::optional<AuthAction> auth_end{};

    void deliver_to_peer(const Bytes& b) {
        PeerAction a = peer.handle(b, clock.now());
        switch (a.kind) {
            case PeerActionKind::kSend:
                if (to_auth++ == drop_to_auth) break;
                deliver_to_auth(a.packet);
                break;
            case PeerActionKind::kSuccess:
            case PeerActionKind::kFailure: peer_end = a; break;
            case PeerActionKind::kNone: break;
        }
    }
    void deliver_to_auth(const Bytes& b) { on_auth(auth.handle(b, clock.now())); }
    void on_auth(const AuthAction& a) {
        switch (a.kind) {
            case AuthActionKind::kSend: deliver_to_peer(a.packet); break;
            case AuthActionKind::kSuccess:
            case AuthActionKind::kFailure:
                auth_end = a;
                deliver_to_peer(a.packet);
                break;
            case AuthActionKind::kTimeout: auth_end = a; break;
            case AuthActionKind::kNone: break;
        }
    }
    void run() {
        peer.start(clock.now());
        on_auth(auth.start(clock.now()));
        for (int i = 0; i < 50 && !(peer_end && auth_end); ++i) {
            auto t = auth.next_timeout();
            if (!t) break;
            clock.set(*t);
            on_auth(auth.on_timeout(clock.now()));
        }
    }
};

struct Md5World {
    PeerCredentials creds;
    VectorUserDatabase users{{}};
    FakeRandom random{11};
    FakeClock clock;

    Md5World(const char* peer_password, const char* server_password) {
        creds.identity = "alice";
        creds.password = SecretBytes(as_bytes(peer_password));
        creds.methods = {Type::kMd5Challenge};
        UserRecord u;
        u.identity = "alice";
        u.methods = {Type::kMd5Challenge};
        u.password = SecretBytes(as_bytes(server_password));
        users.add(std::move(u));
    }
    PeerEnvironment peer_env() {
        PeerEnvironment e;
        e.credentials = &creds;
        e.random = &random;
        return e;
    }
    ServerEnvironment server_env() {
        ServerEnvironment e;
        e.users = &users;
        e.random = &random;
        return e;
    }
};

}  // namespace

TEST_CASE("EAP-MD5 end to end: right password, both sides succeed") {
    Md5World w("hunter2", "hunter2");
    EapPeer peer(w.peer_env());
    EapAuthenticator auth(w.server_env());
    Pump pump{peer, auth, w.clock};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
    CHECK_FALSE(pump.peer_end->keys_available);  // MD5 derives no keys
    CHECK(peer.state() == PeerState::kSuccess);
    CHECK(auth.state() == AuthState::kSuccess);
    CHECK(auth.identity() == "alice");
    CHECK(auth.current_method() == Type::kMd5Challenge);
}

TEST_CASE("EAP-MD5 end to end: wrong password, both sides fail") {
    Md5World w("hunter3", "hunter2");
    EapPeer peer(w.peer_env());
    EapAuthenticator auth(w.server_env());
    Pump pump{peer, auth, w.clock};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kFailure);
    CHECK(pump.auth_end->kind == AuthActionKind::kFailure);
    CHECK(auth.failure_reason() == "EAP-MD5: wrong password");
}

TEST_CASE("EAP-MD5 end to end survives a lost Response: retransmission, duplicate, same answer") {
    Md5World w("hunter2", "hunter2");
    EapPeer peer(w.peer_env());
    EapAuthenticator auth(w.server_env());
    Pump pump{peer, auth, w.clock};
    pump.drop_to_auth = 1;  // lose the MD5 Response
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
    CHECK(auth.stats().retransmissions == 1);
    CHECK(peer.stats().duplicates == 1);
}

TEST_CASE("EAP-MD5 end to end: Nak negotiation from another method to MD5") {
    Md5World w("hunter2", "hunter2");
    w.users = VectorUserDatabase({});
    UserRecord u;
    u.identity = "alice";
    u.methods = {Type::kTls, Type::kMd5Challenge};
    u.password = SecretBytes(as_bytes("hunter2"));
    w.users.add(std::move(u));
    // The server may offer TLS (a stub that only builds a Request); the peer
    // does not allow it and Naks towards MD5.
    class TlsStub final : public ServerMethod {
    public:
        Type type() const override { return Type::kTls; }
        Result<Bytes> build_request(uint8_t) override { return Bytes{0x20}; }
        Status process(ByteView) override { return make_error(ErrorCode::kProtocol, "stub"); }
        bool is_done() const override { return false; }
        bool is_success() const override { return false; }
    };
    MethodRegistry reg = MethodRegistry::builtin();
    reg.add({Type::kTls, false, nullptr,
             [](const ServerEnvironment&) -> std::unique_ptr<ServerMethod> { return std::make_unique<TlsStub>(); }});
    EapPeer peer(w.peer_env(), {}, &reg);
    EapAuthenticator auth(w.server_env(), {}, &reg);
    Pump pump{peer, auth, w.clock};
    pump.run();
    REQUIRE(pump.auth_end.has_value());
    CHECK(pump.auth_end->kind == AuthActionKind::kSuccess);
    CHECK(pump.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(auth.stats().naks == 1);
    CHECK(peer.stats().naks == 1);
}

TEST_CASE("EAP-MD5 end to end: unknown user fails on both sides") {
    Md5World w("hunter2", "hunter2");
    w.creds.identity = "mallory";
    EapPeer peer(w.peer_env());
    EapAuthenticator auth(w.server_env());
    Pump pump{peer, auth, w.clock};
    pump.run();
    REQUIRE(pump.peer_end.has_value());
    CHECK(pump.peer_end->kind == PeerActionKind::kFailure);
    CHECK(pump.auth_end->kind == AuthActionKind::kFailure);
}
