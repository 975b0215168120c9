// EAP-GTC (RFC 3748 §5.6): peer and server alone, and end to end through
// EapPeer and EapAuthenticator.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_gtc_peer.h"
#include "methods/eap_gtc_server.h"
#include "methods/eap_peer.h"

using namespace lanyard;
using namespace lanyard::eap;

TEST_CASE("GTC peer answers any prompt with the password, COND_SUCC, no keys") {
    GtcPeer peer(SecretBytes(as_bytes("s3cret")));
    auto r = peer.process(1, as_bytes("Password"));
    REQUIRE(r.ok());
    CHECK(to_string(*r) == "s3cret");
    CHECK(peer.last_prompt() == "Password");
    CHECK(peer.state() == MethodState::kDone);
    CHECK(peer.decision() == Decision::kCondSucc);
    CHECK_FALSE(peer.key_available());
    CHECK(peer.inner_session_key().empty());
    auto r2 = peer.process(2, as_bytes("CHALLENGE=123456\n"));
    REQUIRE(r2.ok());
    CHECK(to_string(*r2) == "s3cret");
    CHECK(peer.last_prompt() == "CHALLENGE=123456.");
}

TEST_CASE("GTC server: prompt, constant-time compare, bounded response") {
    SUBCASE("right") {
        GtcServer s(SecretBytes(as_bytes("s3cret")));
        CHECK_FALSE(s.process(as_bytes("s3cret")).ok());  // before the Request
        auto req = s.build_request(1);
        REQUIRE(req.ok());
        CHECK(to_string(*req) == "Password");
        REQUIRE(s.process(as_bytes("s3cret")).ok());
        CHECK(s.is_done());
        CHECK(s.is_success());
    }
    SUBCASE("wrong, prefix, empty") {
        for (std::string_view bad : {"s3cre", "s3cret!", "", "S3CRET"}) {
            GtcServer s(SecretBytes(as_bytes("s3cret")));
            (void)s.build_request(1);
            REQUIRE(s.process(as_bytes(bad)).ok());
            CHECK(s.is_done());
            CHECK_FALSE(s.is_success());
            CHECK(s.failure_reason() == "EAP-GTC: wrong password");
        }
    }
    SUBCASE("oversized") {
        GtcServer s(SecretBytes(as_bytes("s3cret")));
        (void)s.build_request(1);
        CHECK(s.process(Bytes(GtcServer::kMaxResponse + 1, 'a')).error().code == ErrorCode::kLimit);
        CHECK_FALSE(s.is_done());
    }
}

TEST_CASE("GTC factories need a plain-text password") {
    PeerCredentials c;
    PeerEnvironment pe;
    pe.credentials = &c;
    CHECK(GtcPeer::create(pe) == nullptr);
    c.password = SecretBytes(as_bytes("x"));
    CHECK(GtcPeer::create(pe) != nullptr);
    c.password_is_nt_hash = true;
    CHECK(GtcPeer::create(pe) == nullptr);
    UserRecord u;
    ServerEnvironment se;
    se.user = &u;
    CHECK(GtcServer::create(se) == nullptr);
    u.password = SecretBytes(as_bytes("x"));
    CHECK(GtcServer::create(se) != nullptr);
    u.password_is_nt_hash = true;
    CHECK(GtcServer::create(se) == nullptr);
}

namespace {

struct GtcRun {
    std::optional<PeerAction> peer_end;
    std::optional<AuthAction> auth_end;
};

GtcRun run_gtc(const char* peer_password, const char* server_password) {
    PeerCredentials creds;
    creds.identity = "bob";
    creds.password = SecretBytes(as_bytes(peer_password));
    creds.methods = {Type::kGtc};
    VectorUserDatabase users({});
    UserRecord u;
    u.identity = "bob";
    u.methods = {Type::kGtc};
    u.password = SecretBytes(as_bytes(server_password));
    users.add(std::move(u));
    FakeRandom random(4);
    FakeClock clock;
    MethodRegistry reg = MethodRegistry::builtin();
    reg.add({Type::kGtc, false, &GtcPeer::create, &GtcServer::create});
    PeerEnvironment pe;
    pe.credentials = &creds;
    pe.random = &random;
    ServerEnvironment se;
    se.users = &users;
    se.random = &random;
    EapPeer peer(pe, {}, &reg);
    EapAuthenticator auth(se, {}, &reg);
    GtcRun out;
    peer.start(clock.now());
    AuthAction a = auth.start(clock.now());
    // Bounded ping-pong: Identity, GTC, Success/Failure.
    for (int i = 0; i < 10 && !out.auth_end; ++i) {
        if (a.kind == AuthActionKind::kSuccess || a.kind == AuthActionKind::kFailure) out.auth_end = a;
        if (a.packet.empty()) break;
        PeerAction p = peer.handle(a.packet, clock.now());
        if (p.kind == PeerActionKind::kSuccess || p.kind == PeerActionKind::kFailure) {
            out.peer_end = p;
            break;
        }
        if (p.kind != PeerActionKind::kSend) break;
        a = auth.handle(p.packet, clock.now());
    }
    return out;
}

}  // namespace

TEST_CASE("EAP-GTC end to end: right password succeeds, wrong fails") {
    GtcRun ok = run_gtc("pw1", "pw1");
    REQUIRE(ok.peer_end.has_value());
    REQUIRE(ok.auth_end.has_value());
    CHECK(ok.peer_end->kind == PeerActionKind::kSuccess);
    CHECK(ok.auth_end->kind == AuthActionKind::kSuccess);
    CHECK_FALSE(ok.peer_end->keys_available);
    GtcRun bad = run_gtc("pw2", "pw1");
    REQUIRE(bad.peer_end.has_value());
    REQUIRE(bad.auth_end.has_value());
    CHECK(bad.peer_end->kind == PeerActionKind::kFailure);
    CHECK(bad.auth_end->kind == AuthActionKind::kFailure);
}
