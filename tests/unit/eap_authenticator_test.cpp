// The RFC 4137 §5 standalone authenticator driven packet by packet with a
// fake clock.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_md5_common.h"
#include "methods/eap_packet.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

// A scripted server method (type GTC, 6): done after `rounds` Responses.
struct ServerScript {
    int rounds = 1;
    bool succeed = true;
    int processed = 0;
};

class ScriptedServer final : public ServerMethod {
public:
    explicit ScriptedServer(ServerScript& s) : s_(s) {}
    Type type() const override { return Type::kGtc; }
    Result<Bytes> build_request(uint8_t identifier) override { return Bytes{0x42, identifier}; }
    Status process(ByteView data) override {
        if (!data.empty() && data[0] == 0xee) return make_error(ErrorCode::kMalformed, "scripted drop");
        ++s_.processed;
        done_ = s_.rounds > 0 && s_.processed >= s_.rounds;
        return ok_status();
    }
    bool is_done() const override { return done_; }
    bool is_success() const override { return s_.succeed; }
    bool key_available() const override { return s_.succeed; }
    Keys keys() const override {
        Keys k;
        k.msk = SecretBytes(Bytes(64, 0x33));
        return k;
    }

private:
    ServerScript& s_;
    bool done_ = false;
};

UserRecord user(std::string id, std::vector<Type> methods) {
    UserRecord r;
    r.identity = std::move(id);
    r.methods = std::move(methods);
    r.password = SecretBytes(as_bytes("secret"));
    return r;
}

struct Fixture {
    ServerScript script;
    VectorUserDatabase users{{}};
    FakeRandom random{7};
    MethodRegistry registry;
    FakeClock clock;
    std::unique_ptr<EapAuthenticator> auth;

    explicit Fixture(AuthenticatorConfig config = {}) {
        users.add(user("alice", {Type::kGtc, Type::kMd5Challenge}));
        users.add(user("bob", {Type::kMd5Challenge}));
        users.add(user("carol", {Type::kTls, Type::kGtc}));  // no TLS server in this registry
        registry = MethodRegistry::builtin();
        registry.add({Type::kGtc, false, nullptr, [this](const ServerEnvironment&) -> std::unique_ptr<ServerMethod> {
                          return std::make_unique<ScriptedServer>(script);
                      }});
        ServerEnvironment env;
        env.users = &users;
        env.random = &random;
        auth = std::make_unique<EapAuthenticator>(env, config, &registry);
    }

    AuthAction rx(const Bytes& b) { return auth->handle(b, clock.now()); }
    AuthAction resp(uint8_t id, Type t, Bytes data = {}) { return rx(*build_response(id, t, data)); }
    AuthAction identity(const std::string& name) { return rx(*build_identity_response(*auth->current_identifier(), name)); }
};

Packet parsed(const Bytes& b) {
    auto p = parse_packet(b);
    REQUIRE(p.ok());
    return *p;
}

}  // namespace

TEST_CASE("authenticator asks for the identity, then proposes the user's first method") {
    Fixture f;
    auto a = f.auth->start(f.clock.now());
    REQUIRE(a.kind == AuthActionKind::kSend);
    Packet req = parsed(a.packet);
    CHECK(req.code == Code::kRequest);
    CHECK(req.type_is(Type::kIdentity));
    CHECK(f.auth->state() == AuthState::kIdentity);
    auto b = f.identity("alice");
    REQUIRE(b.kind == AuthActionKind::kSend);
    Packet m = parsed(b.packet);
    CHECK(m.type_is(Type::kGtc));
    CHECK(m.identifier == static_cast<uint8_t>(req.identifier + 1));
    CHECK(f.auth->identity() == "alice");
    CHECK(f.auth->current_method() == Type::kGtc);
    auto c = f.resp(m.identifier, Type::kGtc, {1});
    REQUIRE(c.kind == AuthActionKind::kSuccess);
    Packet s = parsed(c.packet);
    CHECK(s.code == Code::kSuccess);
    CHECK(s.identifier == m.identifier);
    CHECK(c.keys_available);
    CHECK(c.keys.msk.size() == 64);
    CHECK(f.auth->finished());
    CHECK(f.auth->stats().responses == 2);
}

TEST_CASE("authenticator retransmits with doubling timeouts, then times out after MaxRetrans") {
    Fixture f;
    const TimePoint t0 = f.clock.now();
    auto first = f.auth->start(t0);
    REQUIRE(f.auth->next_timeout() == t0 + seconds(3));
    CHECK(f.auth->on_timeout(t0 + seconds(2)).kind == AuthActionKind::kNone);
    // 3 s, then 6, 12, 24, 48, capped at 60.
    const int64_t expected_gaps[] = {6, 12, 24, 48, 60};
    TimePoint t = t0 + seconds(3);
    for (int64_t gap : expected_gaps) {
        auto a = f.auth->on_timeout(t);
        REQUIRE(a.kind == AuthActionKind::kSend);
        CHECK(a.packet == first.packet);
        REQUIRE(f.auth->next_timeout().has_value());
        CHECK(*f.auth->next_timeout() - t == seconds(gap));
        t = *f.auth->next_timeout();
    }
    CHECK(f.auth->stats().retransmissions == 5);
    auto end = f.auth->on_timeout(t);
    CHECK(end.kind == AuthActionKind::kTimeout);
    CHECK(end.packet.empty());
    CHECK(f.auth->state() == AuthState::kTimeout);
    CHECK_FALSE(f.auth->next_timeout().has_value());
}

TEST_CASE("authenticator honours a configured MaxRetrans and cap") {
    AuthenticatorConfig cfg;
    cfg.initial_timeout = seconds(1);
    cfg.max_timeout = seconds(2);
    cfg.max_retransmissions = 2;
    Fixture f(cfg);
    const TimePoint t0 = f.clock.now();
    f.auth->start(t0);
    CHECK(f.auth->on_timeout(t0 + seconds(1)).kind == AuthActionKind::kSend);
    CHECK(*f.auth->next_timeout() == t0 + seconds(3));
    CHECK(f.auth->on_timeout(t0 + seconds(3)).kind == AuthActionKind::kSend);
    CHECK(*f.auth->next_timeout() == t0 + seconds(5));
    CHECK(f.auth->on_timeout(t0 + seconds(5)).kind == AuthActionKind::kTimeout);
}

TEST_CASE("a valid Response resets the retransmission count") {
    Fixture f;
    const TimePoint t0 = f.clock.now();
    f.auth->start(t0);
    f.auth->on_timeout(t0 + seconds(3));
    f.clock.set(t0 + seconds(4));
    f.identity("alice");
    CHECK(*f.auth->next_timeout() == t0 + seconds(7));
}

TEST_CASE("authenticator discards Responses with a wrong id or code, silently, and counts them") {
    Fixture f;
    f.auth->start(f.clock.now());
    const uint8_t id = *f.auth->current_identifier();
    const TimePoint deadline = *f.auth->next_timeout();
    CHECK(f.rx(*build_identity_response(static_cast<uint8_t>(id + 1), "alice")).kind == AuthActionKind::kNone);
    CHECK(f.rx(*build_identity_request(id)).kind == AuthActionKind::kNone);
    CHECK(f.rx(build_success(id)).kind == AuthActionKind::kNone);
    CHECK(f.rx(Bytes{2, id, 0, 9}).kind == AuthActionKind::kNone);   // malformed
    CHECK(f.resp(id, Type::kNak, {4}).kind == AuthActionKind::kNone);  // not an Identity
    CHECK(f.auth->stats().discarded == 5);
    CHECK(f.auth->state() == AuthState::kIdentity);
    CHECK(f.auth->next_timeout() == deadline);  // the timer keeps running
    CHECK(f.identity("alice").kind == AuthActionKind::kSend);
}

TEST_CASE("authenticator moves to the next method the peer's Nak lists") {
    Fixture f;
    f.auth->start(f.clock.now());
    auto gtc = parsed(f.identity("alice").packet);
    REQUIRE(gtc.type_is(Type::kGtc));
    auto a = f.rx(build_nak(gtc.identifier, std::vector<Type>{Type::kTls, Type::kMd5Challenge}));
    REQUIRE(a.kind == AuthActionKind::kSend);
    Packet md5 = parsed(a.packet);
    CHECK(md5.type_is(Type::kMd5Challenge));
    CHECK(md5.identifier == static_cast<uint8_t>(gtc.identifier + 1));
    CHECK(f.auth->current_method() == Type::kMd5Challenge);
    CHECK(f.auth->stats().naks == 1);
    // A stale GTC Response is now discarded.
    CHECK(f.resp(md5.identifier, Type::kGtc, {1}).kind == AuthActionKind::kNone);
}

TEST_CASE("authenticator fails when the Nak leaves nothing acceptable") {
    Fixture f;
    f.auth->start(f.clock.now());
    auto gtc = parsed(f.identity("alice").packet);
    auto a = f.rx(build_nak(gtc.identifier, {}));
    REQUIRE(a.kind == AuthActionKind::kFailure);
    CHECK(parsed(a.packet).code == Code::kFailure);
    CHECK(parsed(a.packet).identifier == gtc.identifier);
    // Nak listing a method the user may not use (already tried GTC, TLS not allowed).
    Fixture g;
    g.auth->start(g.clock.now());
    auto m = parsed(g.identity("bob").packet);
    REQUIRE(m.type_is(Type::kMd5Challenge));
    CHECK(g.rx(build_nak(m.identifier, std::vector<Type>{Type::kGtc})).kind == AuthActionKind::kFailure);
}

TEST_CASE("authenticator rejects a Nak after the method started") {
    Fixture f;
    f.script.rounds = 3;
    f.auth->start(f.clock.now());
    auto r1 = parsed(f.identity("alice").packet);
    auto r2 = parsed(f.resp(r1.identifier, Type::kGtc, {1}).packet);
    auto a = f.rx(build_nak(r2.identifier, std::vector<Type>{Type::kMd5Challenge}));
    CHECK(a.kind == AuthActionKind::kFailure);
}

TEST_CASE("authenticator skips methods it cannot serve") {
    Fixture f;
    f.auth->start(f.clock.now());
    auto a = f.identity("carol");
    CHECK(parsed(a.packet).type_is(Type::kGtc));
}

TEST_CASE("unknown user gets an EAP-Failure with the Identity's id") {
    Fixture f;
    f.auth->start(f.clock.now());
    const uint8_t id = *f.auth->current_identifier();
    auto a = f.identity("mallory");
    REQUIRE(a.kind == AuthActionKind::kFailure);
    Packet p = parsed(a.packet);
    CHECK(p.code == Code::kFailure);
    CHECK(p.identifier == id);
    CHECK(f.auth->failure_reason() == "unknown user");
    CHECK(f.auth->identity() == "mallory");
    CHECK(f.auth->user() == nullptr);
}

TEST_CASE("method failure ends with EAP-Failure") {
    Fixture f;
    f.script.succeed = false;
    f.auth->start(f.clock.now());
    auto r = parsed(f.identity("alice").packet);
    auto a = f.resp(r.identifier, Type::kGtc, {1});
    CHECK(a.kind == AuthActionKind::kFailure);
    CHECK_FALSE(a.keys_available);
}

TEST_CASE("a Response the method rejects is discarded and the Request stays outstanding") {
    Fixture f;
    f.auth->start(f.clock.now());
    auto r = parsed(f.identity("alice").packet);
    CHECK(f.resp(r.identifier, Type::kGtc, {0xee}).kind == AuthActionKind::kNone);
    CHECK(f.auth->stats().discarded == 1);
    CHECK(f.auth->next_timeout().has_value());
    CHECK(f.resp(r.identifier, Type::kGtc, {1}).kind == AuthActionKind::kSuccess);
}

TEST_CASE("authenticator fails after too many rounds") {
    AuthenticatorConfig cfg;
    cfg.max_rounds = 20;
    Fixture f(cfg);
    f.script.rounds = 0;  // never done
    f.auth->start(f.clock.now());
    auto a = f.identity("alice");
    int sent = 0;
    while (a.kind == AuthActionKind::kSend && sent < 1000) {
        a = f.resp(parsed(a.packet).identifier, Type::kGtc, {1});
        ++sent;
    }
    CHECK(a.kind == AuthActionKind::kFailure);
    CHECK(sent == 20);  // the identity Response was round 1
}

TEST_CASE("start_with_identity skips the Identity exchange") {
    Fixture f;
    auto a = f.auth->start_with_identity("bob", 0x10, f.clock.now());
    REQUIRE(a.kind == AuthActionKind::kSend);
    Packet p = parsed(a.packet);
    CHECK(p.type_is(Type::kMd5Challenge));
    CHECK(p.identifier == 0x11);
    CHECK(f.auth->state() == AuthState::kMethod);
    Fixture g;
    CHECK(g.auth->start_with_identity("nobody", g.clock.now()).kind == AuthActionKind::kFailure);
}

TEST_CASE("identity options after a NUL are not part of the identity (RFC 3748 §5.1)") {
    Fixture f;
    f.auth->start(f.clock.now());
    const std::string with_options("bob\0networkid=x", 15);
    auto a = f.identity(with_options);
    CHECK(a.kind == AuthActionKind::kSend);
    CHECK(f.auth->identity() == "bob");
}

TEST_CASE("authenticator ignores everything when finished or not started") {
    Fixture f;
    CHECK(f.rx(*build_identity_response(0, "alice")).kind == AuthActionKind::kNone);
    CHECK_FALSE(f.auth->next_timeout().has_value());
    f.auth->start(f.clock.now());
    f.identity("mallory");
    CHECK(f.rx(*build_identity_response(0, "alice")).kind == AuthActionKind::kNone);
    CHECK(f.auth->on_timeout(f.clock.now() + seconds(100)).kind == AuthActionKind::kNone);
    CHECK(std::string(auth_state_name(f.auth->state())) == "FAILURE");
}

TEST_CASE("retransmit=false gives a timer-less machine (PEAP phase 2)") {
    AuthenticatorConfig cfg;
    cfg.retransmit = false;
    Fixture f(cfg);
    f.auth->start(f.clock.now());
    CHECK_FALSE(f.auth->next_timeout().has_value());
}
