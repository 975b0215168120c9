// The RFC 4137 §4 peer machine driven packet by packet with a fake clock.
#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/hex.h"
#include "methods/eap_packet.h"
#include "methods/eap_peer.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

// A scripted peer method (type GTC, 6): stays CONT for `rounds_to_done`
// Requests, then goes to `final_state` with `final_decision`.
struct Script {
    int rounds_to_done = 1;
    MethodState final_state = MethodState::kDone;
    Decision final_decision = Decision::kCondSucc;
    bool may_accept = true;
    bool keys = false;
    int processed = 0;  // how often process() ran
};

class ScriptedPeer final : public PeerMethod {
public:
    explicit ScriptedPeer(Script& s) : s_(s) {}
    Type type() const override { return Type::kGtc; }
    Result<Bytes> process(uint8_t identifier, ByteView data) override {
        if (!data.empty() && data[0] == 0xee) return make_error(ErrorCode::kMalformed, "scripted drop");
        ++s_.processed;
        ++rounds_;
        if (rounds_ >= s_.rounds_to_done) {
            state_ = s_.final_state;
            decision_ = s_.final_decision;
        } else {
            state_ = MethodState::kCont;
        }
        return Bytes{identifier, static_cast<uint8_t>(rounds_)};
    }
    MethodState state() const override { return state_; }
    Decision decision() const override { return decision_; }
    bool may_accept_success() const override { return s_.may_accept && PeerMethod::may_accept_success(); }
    bool key_available() const override { return s_.keys && state_ == MethodState::kDone; }
    Keys keys() const override {
        Keys k;
        k.msk = SecretBytes(Bytes(64, 0x11));
        k.emsk = SecretBytes(Bytes(64, 0x22));
        return k;
    }

private:
    Script& s_;
    int rounds_ = 0;
    MethodState state_ = MethodState::kInit;
    Decision decision_ = Decision::kFail;
};

struct Fixture {
    Script script;
    PeerCredentials creds;
    MethodRegistry registry;
    FakeClock clock;
    std::unique_ptr<EapPeer> peer;

    explicit Fixture(PeerConfig config = {}) {
        creds.identity = "alice";
        creds.anonymous_identity = "anon";
        creds.password = SecretBytes(as_bytes("pw"));
        creds.methods = {Type::kGtc, Type::kMd5Challenge};
        registry = MethodRegistry::builtin();
        registry.add({Type::kGtc, false, [this](const PeerEnvironment&) -> std::unique_ptr<PeerMethod> {
                          return std::make_unique<ScriptedPeer>(script);
                      }, nullptr});
        registry.add({Type::kPeap, true, [](const PeerEnvironment&) { return std::unique_ptr<PeerMethod>(); },
                      nullptr});
        PeerEnvironment env;
        env.credentials = &creds;
        peer = std::make_unique<EapPeer>(env, config, &registry);
        peer->start(clock.now());
    }

    PeerAction rx(const Bytes& b) { return peer->handle(b, clock.now()); }
    PeerAction req(uint8_t id, Type t, Bytes data = {}) { return rx(*build_request(id, t, data)); }
};

Packet parsed(const PeerAction& a) {
    REQUIRE(a.kind == PeerActionKind::kSend);
    auto p = parse_packet(a.packet);
    REQUIRE(p.ok());
    return *p;
}

}  // namespace

TEST_CASE("peer answers Identity with the configured identity") {
    Fixture f;
    auto a = f.req(1, Type::kIdentity);
    Packet p = parsed(a);
    CHECK(p.code == Code::kResponse);
    CHECK(p.identifier == 1);
    CHECK(p.type_is(Type::kIdentity));
    CHECK(to_string(p.type_data) == "alice");
    CHECK(f.peer->identity_sent() == "alice");
}

TEST_CASE("peer sends anonymous_identity when the first allowed method is tunnelled") {
    Fixture f;
    f.creds.methods = {Type::kPeap, Type::kGtc};
    CHECK(to_string(parsed(f.req(1, Type::kIdentity)).type_data) == "anon");
    PeerConfig inner;
    inner.phase2 = true;
    Fixture g(inner);
    g.creds.methods = {Type::kPeap};
    CHECK(to_string(parsed(g.req(1, Type::kIdentity)).type_data) == "alice");
}

TEST_CASE("peer repeats the last Response to a duplicate Request without re-running the method") {
    Fixture f;
    f.script.rounds_to_done = 3;
    f.req(1, Type::kIdentity);
    auto first = f.req(2, Type::kGtc);
    REQUIRE(first.kind == PeerActionKind::kSend);
    CHECK(f.script.processed == 1);
    auto again = f.req(2, Type::kGtc, {0x55});  // RFC 4137: only the Identifier counts
    REQUIRE(again.kind == PeerActionKind::kSend);
    CHECK(again.packet == first.packet);
    CHECK(f.script.processed == 1);
    CHECK(f.peer->stats().duplicates == 1);
    auto next = f.req(3, Type::kGtc);
    CHECK(parsed(next).identifier == 3);
    CHECK(f.script.processed == 2);
}

TEST_CASE("peer Naks a method it does not allow, listing the allowed ones") {
    Fixture f;
    f.req(1, Type::kIdentity);
    Packet nak = parsed(f.req(2, Type::kTls));
    CHECK(nak.type_is(Type::kNak));
    CHECK(nak.type_data == Bytes{6, 4});
    CHECK_FALSE(f.peer->selected_method().has_value());
    CHECK(f.peer->stats().naks == 1);
    // Then the proposed MD5 runs.
    Packet md5 = parsed(f.req(3, Type::kMd5Challenge, {1, 0xab}));
    CHECK(md5.type_is(Type::kMd5Challenge));
    CHECK(md5.type_data.size() == 17);
    CHECK(f.peer->selected_method() == Type::kMd5Challenge);
}

TEST_CASE("peer Naks a method whose factory declines, and sends 0 with nothing left") {
    Fixture f;
    f.creds.password = SecretBytes();  // MD5 cannot run
    f.creds.methods = {Type::kMd5Challenge};
    Packet nak = parsed(f.req(1, Type::kMd5Challenge, {1, 0}));
    CHECK(nak.type_is(Type::kNak));
    CHECK(nak.type_data == Bytes{0});
}

TEST_CASE("peer ignores other method types once a method is selected, and Nak requests") {
    Fixture f;
    f.script.rounds_to_done = 2;
    f.req(1, Type::kGtc);
    auto a = f.req(2, Type::kMd5Challenge, {1, 0});
    CHECK(a.kind == PeerActionKind::kNone);
    auto n = f.req(3, Type::kNak, {4});
    CHECK(n.kind == PeerActionKind::kNone);
    CHECK(f.peer->stats().discarded == 2);
    CHECK(f.req(4, Type::kGtc).kind == PeerActionKind::kSend);
}

TEST_CASE("peer accepts EAP-Success only when the method allows it") {
    SUBCASE("after the method finished with COND_SUCC, with the last id") {
        Fixture f;
        f.script.keys = true;
        f.req(1, Type::kIdentity);
        f.req(2, Type::kGtc);
        CHECK(f.rx(build_success(3)).kind == PeerActionKind::kNone);  // wrong id: discarded
        auto a = f.rx(build_success(2));
        REQUIRE(a.kind == PeerActionKind::kSuccess);
        CHECK(a.keys_available);
        CHECK(a.keys.msk.size() == 64);
        CHECK(f.peer->state() == PeerState::kSuccess);
        CHECK_FALSE(f.peer->next_timeout().has_value());
    }
    SUBCASE("an early Success while the method continues is discarded") {
        Fixture f;
        f.script.rounds_to_done = 3;
        f.req(1, Type::kGtc);
        auto a = f.rx(build_success(1));
        CHECK(a.kind == PeerActionKind::kNone);
        CHECK(f.peer->state() == PeerState::kIdle);
        CHECK(f.req(2, Type::kGtc).kind == PeerActionKind::kSend);
    }
    SUBCASE("a Success after Identity only (no method) fails") {
        Fixture f;
        f.req(1, Type::kIdentity);
        auto a = f.rx(build_success(1));
        CHECK(a.kind == PeerActionKind::kFailure);
        CHECK(f.peer->state() == PeerState::kFailure);
    }
    SUBCASE("a Success before any Request is discarded") {
        Fixture f;
        CHECK(f.rx(build_success(0)).kind == PeerActionKind::kNone);
        CHECK(f.peer->state() == PeerState::kIdle);
    }
    SUBCASE("MAY_CONT with decision FAIL refuses the Success") {
        Fixture f;
        f.script.final_state = MethodState::kMayCont;
        f.script.final_decision = Decision::kFail;
        f.req(1, Type::kGtc);
        CHECK(f.rx(build_success(1)).kind == PeerActionKind::kFailure);
    }
    SUBCASE("MAY_CONT with COND_SUCC accepts it") {
        Fixture f;
        f.script.final_state = MethodState::kMayCont;
        f.req(1, Type::kGtc);
        CHECK(f.rx(build_success(1)).kind == PeerActionKind::kSuccess);
    }
    SUBCASE("a method that may not accept Success yet keeps the peer waiting") {
        Fixture f;
        f.script.may_accept = false;
        f.req(1, Type::kGtc);
        CHECK(f.rx(build_success(1)).kind == PeerActionKind::kNone);
        CHECK(f.peer->state() == PeerState::kIdle);
    }
}

TEST_CASE("peer handles EAP-Failure per RFC 4137 §4.5") {
    Fixture f;
    f.script.rounds_to_done = 2;
    f.req(1, Type::kGtc);
    CHECK(f.rx(build_failure(1)).kind == PeerActionKind::kNone);  // method continues
    f.req(2, Type::kGtc);
    CHECK(f.rx(build_failure(9)).kind == PeerActionKind::kNone);  // wrong id
    auto a = f.rx(build_failure(2));
    CHECK(a.kind == PeerActionKind::kFailure);
    CHECK(f.peer->failure_reason() == "EAP-Failure received");
    CHECK(f.rx(build_success(2)).kind == PeerActionKind::kNone);  // finished
}

TEST_CASE("peer answers Notification, records the text, and the method carries on") {
    Fixture f;
    f.script.rounds_to_done = 2;
    f.req(1, Type::kGtc);
    auto a = f.rx(*build_notification_request(2, "Password expires\x01 soon"));
    Packet p = parsed(a);
    CHECK(p.type_is(Type::kNotification));
    CHECK(p.type_data.empty());
    CHECK(f.peer->last_notification() == "Password expires? soon");
    CHECK(f.peer->stats().notifications == 1);
    CHECK(f.req(3, Type::kGtc).kind == PeerActionKind::kSend);
    CHECK(f.script.processed == 2);
}

TEST_CASE("peer discards malformed packets, Responses and method drops, and counts them") {
    Fixture f;
    CHECK(f.rx(Bytes{1, 2, 0}).kind == PeerActionKind::kNone);
    CHECK(f.rx(*build_response(1, Type::kIdentity, {})).kind == PeerActionKind::kNone);
    f.script.rounds_to_done = 2;
    CHECK(f.req(5, Type::kGtc, {0xee}).kind == PeerActionKind::kNone);  // m.check failed
    // lastId unchanged: the same id with good data is processed, not repeated.
    CHECK(f.req(5, Type::kGtc).kind == PeerActionKind::kSend);
    CHECK(f.script.processed == 1);
    CHECK(f.peer->stats().discarded == 3);
    CHECK(f.peer->state() == PeerState::kIdle);
}

TEST_CASE("peer fails when idleWhile (ClientTimeout) expires") {
    PeerConfig cfg;
    cfg.client_timeout = seconds(30);
    Fixture f(cfg);
    const TimePoint t0 = f.clock.now();
    REQUIRE(f.peer->next_timeout() == t0 + seconds(30));
    f.clock.advance(seconds(10));
    f.req(1, Type::kIdentity);  // a Response re-arms idleWhile
    REQUIRE(f.peer->next_timeout() == t0 + seconds(40));
    CHECK(f.peer->on_timeout(t0 + seconds(39)).kind == PeerActionKind::kNone);
    auto a = f.peer->on_timeout(t0 + seconds(40));
    CHECK(a.kind == PeerActionKind::kFailure);
    CHECK_FALSE(f.peer->next_timeout().has_value());
}

TEST_CASE("peer succeeds on idleWhile expiry after an unconditional success") {
    Fixture f;
    f.script.final_decision = Decision::kUncondSucc;
    f.req(1, Type::kGtc);
    CHECK(f.rx(build_failure(1)).kind == PeerActionKind::kNone);  // RFC 4137: ignored
    CHECK(f.peer->on_timeout(*f.peer->next_timeout()).kind == PeerActionKind::kSuccess);
}

TEST_CASE("peer fails after too many Requests") {
    PeerConfig cfg;
    cfg.max_requests = 10;
    Fixture f(cfg);
    for (int i = 0; i < 10; ++i) {
        auto a = f.req(static_cast<uint8_t>(i), Type::kNotification);
        REQUIRE(a.kind == PeerActionKind::kSend);
    }
    auto a = f.req(10, Type::kNotification);
    CHECK(a.kind == PeerActionKind::kFailure);
    CHECK(f.peer->failure_reason().find("more than 10") != std::string::npos);
}

TEST_CASE("peer duplicates also count towards the Request bound") {
    PeerConfig cfg;
    cfg.max_requests = 5;
    Fixture f(cfg);
    f.req(1, Type::kIdentity);
    for (int i = 0; i < 4; ++i) REQUIRE(f.req(1, Type::kIdentity).kind == PeerActionKind::kSend);
    CHECK(f.req(1, Type::kIdentity).kind == PeerActionKind::kFailure);
}

TEST_CASE("peer restarts the conversation on a new Identity Request mid-method") {
    Fixture f;
    f.script.rounds_to_done = 3;
    f.req(1, Type::kIdentity);
    f.req(2, Type::kGtc);
    REQUIRE(f.peer->selected_method() == Type::kGtc);
    Packet p = parsed(f.req(7, Type::kIdentity));
    CHECK(p.type_is(Type::kIdentity));
    CHECK_FALSE(f.peer->selected_method().has_value());
    CHECK(f.rx(build_success(7)).kind == PeerActionKind::kFailure);  // nothing succeeded since
}

TEST_CASE("peer alt_accept and alt_reject follow the method decision") {
    Fixture f;
    f.script.rounds_to_done = 2;
    f.req(1, Type::kGtc);
    CHECK(f.peer->alt_accept(f.clock.now()).kind == PeerActionKind::kNone);  // CONT
    f.req(2, Type::kGtc);
    CHECK(f.peer->alt_accept(f.clock.now()).kind == PeerActionKind::kSuccess);
    Fixture g;
    CHECK(g.peer->alt_reject(g.clock.now()).kind == PeerActionKind::kFailure);
}

TEST_CASE("peer ignores packets before start() and after the end") {
    PeerCredentials creds;
    PeerEnvironment env;
    env.credentials = &creds;
    EapPeer peer(env);
    CHECK(peer.state() == PeerState::kDisabled);
    CHECK(peer.handle(*build_identity_request(1), TimePoint{}).kind == PeerActionKind::kNone);
    CHECK_FALSE(peer.next_timeout().has_value());
    CHECK(std::string(peer_state_name(peer.state())) == "DISABLED");
}
