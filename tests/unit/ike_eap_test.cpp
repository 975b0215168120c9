// EAP in IKE_AUTH (RFC 7296 §2.16, issue 8) between a Lanyard initiator
// (EAP peer) and a Lanyard responder (EAP authenticator) in memory:
// MSCHAPv2, MD5, GTC, EAP-TLS and PEAP; the identity exchange with eap_id;
// refusals (wrong password, eap_id mismatch, tampered AUTH) and the
// CVE-2021-45079 class checks on both sides, driven directly.
#include <doctest/doctest.h>

#include <functional>

#include "ike/authenticator_eap.h"
#include "methods/eap_config.h"
#include "methods/eap_packet.h"
#include "tests/unit/ike_sa_pair.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::ike;
using namespace lanyard::ike::testing;

namespace {

std::shared_ptr<tls::Context> tls_context(tls::Role role, const std::string& cert_name, const std::string& key_name) {
    tls::Config c;
    c.role = role;
    c.ca_file = test::pki_path("ca.pem");
    if (!cert_name.empty()) {
        c.cert_file = test::pki_path(cert_name);
        c.key_file = test::pki_path(key_name);
    }
    c.max_version = tls::Version::kTls12;
    if (role == tls::Role::kClient) c.domain_match = "server.lanyard.test";
    return std::shared_ptr<tls::Context>(tls::make_context(c).value());
}

struct EapSetup {
    std::string method = "mschapv2";     // server side (swanctl auth = eap-<method>)
    std::string peer_method;             // client side; empty: the same
    std::string user = "carol@example.org";
    std::string server_password = "eap-secret";
    std::string peer_password = "eap-secret";
    std::optional<std::string> server_eap_id;  // remote eap_id
    std::string peer_eap_identity;             // client EAP identity; empty: IDi
    bool client_cert = false;
};

struct EapPair {
    Pair pair;
    std::shared_ptr<PeerConfig> carol, moon;
    explicit EapPair(const EapSetup& s) {
        carol = psk_config("home", s.user, "server.lanyard.test");
        moon = psk_config("rw", "server.lanyard.test", "%any");
        // The responder proves itself with its certificate (§2.16).
        moon->local[0].auth = AuthClass::kPubkey;
        moon->local[0].cert_chain = {cert("server.pem")};
        moon->local[0].private_key = key("server.key");
        carol->remote[0].auth = AuthClass::kPubkey;
        pair.i.store.add_ca(cert("ca.pem"));
        pair.r.store.add_ca(cert("ca.pem"));

        AuthRoundConfig& server = moon->remote[0];
        server.auth = AuthClass::kEap;
        server.eap_method = s.method;
        if (s.server_eap_id) server.eap_id = parse_identity(*s.server_eap_id).value();
        auto methods = eap_methods_for(s.method).value();
        std::vector<eap::UserRecord> users;
        const std::string eap_user = s.peer_eap_identity.empty() ? s.user : s.peer_eap_identity;
        eap::UserRecord u;
        u.identity = eap_user;
        u.methods = methods;
        u.password = SecretBytes(as_bytes(s.server_password));
        users.push_back(u);
        u.phase2 = true;
        u.methods = {eap::Type::kMschapV2};
        users.push_back(u);
        server.eap_users = std::make_shared<eap::VectorUserDatabase>(users);
        server.eap_tls = tls_context(tls::Role::kServer, "server.pem", "server.key");

        AuthRoundConfig& client = carol->local[0];
        client.auth = AuthClass::kEap;
        client.eap_method = s.peer_method.empty() ? s.method : s.peer_method;
        auto creds = std::make_shared<eap::PeerCredentials>();
        creds->identity = eap_user;
        creds->password = SecretBytes(as_bytes(s.peer_password));
        creds->methods = eap_methods_for(client.eap_method).value();
        creds->phase2 = "auth=MSCHAPV2";
        client.eap_peer = creds;
        client.eap_tls = s.client_cert ? tls_context(tls::Role::kClient, "client.pem", "client.key")
                                       : tls_context(tls::Role::kClient, "", "");
        pair.i.store.add_connection(carol);
        pair.r.store.add_connection(moon);
    }
    bool up() { return pair.up(carol, "home-child"); }
    bool neither_up() { return pair.neither_up(); }
};

}  // namespace

TEST_CASE("EAP-MSCHAPv2 in IKE_AUTH: established, CHILD_SA from the first request, AUTH from the MSK") {
    EapPair t(EapSetup{});
    REQUIRE(t.up());
    IkeSa* r = t.pair.only(t.pair.r);
    CHECK(r->peer_id().to_string() == "carol@example.org");
    CHECK(r->children().size() == 1);
    CHECK(t.pair.only(t.pair.i)->children().size() == 1);
}

TEST_CASE("EAP-MD5 (no MSK): AUTH from SK_pi/SK_pr") {
    EapSetup s;
    s.method = "md5";
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("EAP-GTC") {
    EapSetup s;
    s.method = "gtc";
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("EAP-TLS with the client certificate") {
    EapSetup s;
    s.method = "tls";
    s.user = "user@lanyard.test";
    s.client_cert = true;
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("PEAP with MSCHAPv2 inside") {
    EapSetup s;
    s.method = "peap";
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("eap-dynamic server, MD5 client: the client's Nak picks MD5") {
    EapSetup s;
    s.method = "dynamic";
    s.peer_method = "md5";
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("eap_id = %any: EAP-Identity exchange, EAP identity differs from IDi") {
    EapSetup s;
    s.server_eap_id = "%any";
    s.peer_eap_identity = "carol";
    EapPair t(s);
    CHECK(t.up());
}

TEST_CASE("eap_id that the EAP identity does not match is refused") {
    EapSetup s;
    s.server_eap_id = "dave";
    s.peer_eap_identity = "carol";
    EapPair t(s);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("wrong EAP-MSCHAPv2 password: neither side established") {
    EapSetup s;
    s.peer_password = "wrong";
    EapPair t(s);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("wrong EAP-MD5 password: neither side established") {
    EapSetup s;
    s.method = "md5";
    s.peer_password = "wrong";
    EapPair t(s);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

// ---- the authenticators driven directly ----

namespace {

struct Direct {
    FakeRandom random{5};
    AuthRoundContext ctx;
    Bytes sa_init = Bytes(40, 0x11), nonce = Bytes(32, 0x22), skp = Bytes(32, 0x33);
    Direct() {
        ctx.octets.sa_init_message = sa_init;
        ctx.octets.peer_nonce = nonce;
        ctx.octets.sk_p = skp;
        ctx.octets.signer = parse_identity("carol@example.org").value();
        ctx.peer = ctx.octets.signer;
        ctx.me = parse_identity("server.lanyard.test").value();
        ctx.random = &random;
    }
};

Bytes eap_success(uint8_t id) { return Bytes{3, id, 0, 4}; }

}  // namespace

TEST_CASE("responder: AUTH in the first request of an EAP round is refused") {
    EapSetup s;
    EapPair t(s);
    auto remote = make_remote_authenticator(t.moon->remote[0]).value();
    Direct d;
    std::vector<Payload> in{make_payload(AuthPayload{AuthMethod::kSharedKeyMic, Bytes(32, 1)})};
    CHECK_FALSE(remote->process(d.ctx, in).ok());
}

TEST_CASE("responder: AUTH before EAP-Success is refused (CVE-2021-45079 class)") {
    EapPair t(EapSetup{});
    auto remote = make_remote_authenticator(t.moon->remote[0]).value();
    Direct d;
    auto st = remote->process(d.ctx, {});
    REQUIRE(st.ok());
    CHECK(*st == AuthStatus::kNeedMore);
    std::vector<Payload> out;
    CHECK(remote->build(d.ctx, out).value() == AuthStatus::kNeedMore);
    REQUIRE(out.size() == 1);
    CHECK(out[0].get<EapPayload>() != nullptr);
    std::vector<Payload> in{make_payload(AuthPayload{AuthMethod::kSharedKeyMic, Bytes(32, 1)})};
    CHECK_FALSE(remote->process(d.ctx, in).ok());
}

TEST_CASE("initiator: EAP-Success before the method finished is refused (CVE-2021-45079 class)") {
    EapPair t(EapSetup{});
    auto local = make_local_authenticator(t.carol->local[0]).value();
    Direct d;
    std::vector<Payload> none;
    CHECK(local->build(d.ctx, none).value() == AuthStatus::kNeedMore);
    CHECK(none.empty());  // §2.16: no AUTH in the first request
    std::vector<Payload> in{make_payload(EapPayload{eap_success(7)})};
    auto st = local->process(d.ctx, in);
    // Either refused outright or not counted as success; never an AUTH.
    if (st.ok()) {
        CHECK(*st != AuthStatus::kSuccess);
        std::vector<Payload> out;
        (void)local->build(d.ctx, out);
        for (const auto& p : out) CHECK(p.get<AuthPayload>() == nullptr);
    }
}

TEST_CASE("initiator: AUTH in place of the first EAP request is refused") {
    EapPair t(EapSetup{});
    auto local = make_local_authenticator(t.carol->local[0]).value();
    Direct d;
    std::vector<Payload> none;
    (void)local->build(d.ctx, none);
    std::vector<Payload> in{make_payload(AuthPayload{AuthMethod::kSharedKeyMic, Bytes(32, 1)})};
    CHECK_FALSE(local->process(d.ctx, in).ok());
}

TEST_CASE("responder: an EAP response the engine discards ends the round") {
    EapSetup s;
    s.server_eap_id = "%any";
    EapPair t(s);
    auto remote = make_remote_authenticator(t.moon->remote[0]).value();
    Direct d;
    REQUIRE(remote->process(d.ctx, {}).value() == AuthStatus::kNeedMore);
    std::vector<Payload> out;
    (void)remote->build(d.ctx, out);
    REQUIRE(out.size() == 1);
    const Bytes req = out[0].get<EapPayload>()->message;
    Bytes wrong_id{2, static_cast<uint8_t>(req[1] + 1), 0, 10, 1, 'c', 'a', 'r', 'o', 'l'};
    CHECK_FALSE(remote->process(d.ctx, {make_payload(EapPayload{wrong_id})}).ok());
}

namespace {

// Runs EapLocal against EapRemote directly until the initiator's AUTH;
// `edit` may change it before the responder checks it.
struct DirectRun {
    std::unique_ptr<LocalAuthenticator> local;
    std::unique_ptr<RemoteAuthenticator> remote;
    Direct d;
    Result<AuthStatus> responder_verdict = AuthStatus::kNeedMore;
    Result<AuthStatus> initiator_verdict = AuthStatus::kNeedMore;
    void run(const std::function<void(AuthPayload&)>& edit) {
        std::vector<Payload> to_r;
        REQUIRE(local->build(d.ctx, to_r).value() == AuthStatus::kNeedMore);
        for (int n = 0; n < 20; ++n) {
            auto rs = remote->process(d.ctx, to_r);
            if (!rs || *rs != AuthStatus::kNeedMore) {
                responder_verdict = rs;
                if (rs && *rs == AuthStatus::kSuccess) {
                    std::vector<Payload> last;
                    (void)remote->build(d.ctx, last);
                    initiator_verdict = local->process(d.ctx, last);
                }
                return;
            }
            std::vector<Payload> to_i;
            REQUIRE(remote->build(d.ctx, to_i).value() == AuthStatus::kNeedMore);
            auto ls = local->process(d.ctx, to_i);
            REQUIRE(ls.ok());
            to_r.clear();
            (void)local->build(d.ctx, to_r);
            for (auto& p : to_r) {
                if (auto* a = std::get_if<AuthPayload>(&p.body)) edit(*a);
            }
        }
        FAIL("EAP round did not end");
    }
};

}  // namespace

TEST_CASE("direct EAP-MD5 round: both AUTHs check out; a changed initiator AUTH is refused") {
    EapSetup s;
    s.method = "md5";
    for (bool tamper : {false, true}) {
        EapPair t(s);
        DirectRun r;
        r.local = make_local_authenticator(t.carol->local[0]).value();
        r.remote = make_remote_authenticator(t.moon->remote[0]).value();
        r.run([&](AuthPayload& a) { if (tamper) a.data[0] ^= 1; });
        if (tamper) {
            CHECK_FALSE(r.responder_verdict.ok());
        } else {
            REQUIRE(r.responder_verdict.ok());
            CHECK(*r.responder_verdict == AuthStatus::kSuccess);
            REQUIRE(r.initiator_verdict.ok());
            CHECK(*r.initiator_verdict == AuthStatus::kSuccess);
        }
    }
}

TEST_CASE("direct EAP-MSCHAPv2 round: AUTH from the MSK, not from SK_p") {
    EapPair t(EapSetup{});
    DirectRun r;
    r.local = make_local_authenticator(t.carol->local[0]).value();
    r.remote = make_remote_authenticator(t.moon->remote[0]).value();
    Bytes seen;
    r.run([&](AuthPayload& a) { seen = a.data; });
    REQUIRE(r.responder_verdict.ok());
    CHECK(*r.responder_verdict == AuthStatus::kSuccess);
    auto octets = auth_signed_octets(r.d.ctx.octets).value();
    CHECK(seen != psk_auth_value(r.d.ctx.octets.prf, r.d.ctx.octets.sk_p, octets).value());
}

TEST_CASE("eap_methods_for and eap_identity_of") {
    CHECK(eap_methods_for("mschapv2").value() == std::vector<eap::Type>{eap::Type::kMschapV2});
    CHECK(eap_methods_for("md5").value() == std::vector<eap::Type>{eap::Type::kMd5Challenge});
    CHECK(eap_methods_for("dynamic").value().size() >= 3);
    CHECK_FALSE(eap_methods_for("aka").ok());
    CHECK_FALSE(eap_methods_for("identity").ok());
    CHECK(eap_identity_of(parse_identity("carol@example.org").value()) == "carol@example.org");
    CHECK(eap_identity_of(parse_identity("@moon.example").value()) == "moon.example");
    CHECK(eap_identity_of(parse_identity("10.0.0.1").value()) == "10.0.0.1");
    CHECK(eap_method_generates_keys(eap::Type::kMschapV2));
    CHECK_FALSE(eap_method_generates_keys(eap::Type::kMd5Challenge));
}

TEST_CASE("EAP-TLS: a valid certificate for another identity cannot authenticate this one (CVE-2022-4967 class)") {
    EapSetup s;
    s.method = "tls";
    s.user = "alice@lanyard.test";  // IDi and EAP identity; the certificate says user@lanyard.test
    s.client_cert = true;
    EapPair t(s);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("EAP-TLS: with eap_id = %any the certificate must confirm the EAP identity") {
    EapSetup s;
    s.method = "tls";
    s.user = "user@lanyard.test";
    s.server_eap_id = "%any";
    s.peer_eap_identity = "alice@lanyard.test";
    s.client_cert = true;
    EapPair t(s);
    CHECK_FALSE(t.up());
}

// ---- RFC 5998 EAP-only authentication ----

namespace {

// The responder's local round and the initiator's remote round become EAP.
void make_eap_only(EapPair& t, const std::string& method) {
    t.moon->local[0].auth = AuthClass::kEap;
    t.moon->local[0].eap_method = method;
    t.carol->remote[0].auth = AuthClass::kEap;
    t.carol->remote[0].eap_method = method;
}

}  // namespace

TEST_CASE("EAP-only (RFC 5998) with EAP-TLS: no responder AUTH until the MSK AUTH") {
    EapSetup s;
    s.method = "tls";
    s.user = "user@lanyard.test";
    s.client_cert = true;
    EapPair t(s);
    make_eap_only(t, "tls");
    CHECK(t.up());
}

TEST_CASE("EAP-only (RFC 5998) with PEAP") {
    EapSetup s;
    s.method = "peap";
    EapPair t(s);
    make_eap_only(t, "peap");
    CHECK(t.up());
}

TEST_CASE("EAP-only is refused for EAP-MSCHAPv2 (does not authenticate the server)") {
    EapPair t(EapSetup{});
    make_eap_only(t, "mschapv2");
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("a responder configured for EAP-only refuses an initiator that did not offer it") {
    EapSetup s;
    s.method = "tls";
    s.user = "user@lanyard.test";
    s.client_cert = true;
    EapPair t(s);
    t.moon->local[0].auth = AuthClass::kEap;  // responder EAP-only, initiator expects a certificate AUTH
    t.moon->local[0].eap_method = "tls";
    t.carol->local[0].auth = AuthClass::kPubkey;  // no EAP at all: no EAP_ONLY_AUTHENTICATION notify
    t.carol->local[0].cert_chain = {cert("client.pem")};
    t.carol->local[0].private_key = key("client.key");
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("initiator in EAP-only mode refuses a method that does not authenticate the server") {
    EapPair t(EapSetup{});  // MSCHAPv2 on both sides
    auto local = make_eap_local(t.carol->local[0], true).value();
    auto remote = make_remote_authenticator(t.moon->remote[0]).value();
    Direct d;
    std::vector<Payload> to_r;
    (void)local->build(d.ctx, to_r);
    bool refused = false;
    for (int n = 0; n < 10 && !refused; ++n) {
        auto rs = remote->process(d.ctx, to_r);
        REQUIRE(rs.ok());
        std::vector<Payload> to_i;
        (void)remote->build(d.ctx, to_i);
        auto ls = local->process(d.ctx, to_i);
        if (!ls.ok()) refused = true;
        to_r.clear();
        (void)local->build(d.ctx, to_r);
    }
    CHECK(refused);
}

TEST_CASE("eap_only_allowed: only mutual key-generating methods") {
    AuthRoundConfig r;
    r.auth = AuthClass::kEap;
    r.eap_method = "tls";
    CHECK(eap_only_allowed(r));
    r.eap_method = "peap";
    CHECK(eap_only_allowed(r));
    r.eap_method = "mschapv2";
    CHECK_FALSE(eap_only_allowed(r));
    r.eap_method = "dynamic";
    CHECK_FALSE(eap_only_allowed(r));
}

TEST_CASE("the initiator checks the gateway's certificate before it answers EAP") {
    EapPair t(EapSetup{});
    // The gateway proves itself with a certificate from an untrusted CA.
    t.moon->local[0].cert_chain = {cert("other-server.pem")};
    t.moon->local[0].private_key = key("other-server.key");
    int initiator_auth_requests = 0;
    t.pair.tap = [&](bool from_initiator, OutgoingDatagram& d) {
        auto msg = parse_message(d.data);
        if (from_initiator && msg.ok() && msg->header.exchange == ExchangeType::kIkeAuth) ++initiator_auth_requests;
        return true;
    };
    CHECK_FALSE(t.up());
    CHECK(initiator_auth_requests == 1);  // the first IKE_AUTH only: no EAP-Response ever left
    CHECK(t.neither_up());
}

// ---- an external back-end (auth = eap-radius) that answers later ----

namespace {

// Stands in for the gateway's RADIUS round: every step of the integrated
// engine is held back (kPending) until release() hands it over and wakes
// the IKE_SA, as a RADIUS answer arriving on the event loop does.
struct DeferredBackends {
    struct Backend final : EapBackend {
        Backend(DeferredBackends& owner, std::unique_ptr<EapBackend> inner, EapBackendPeer peer)
            : owner_(owner), inner_(std::move(inner)), peer_(std::move(peer)) {}
        ~Backend() override { std::erase(owner_.live, this); }
        EapStep start(const std::string& identity, TimePoint now) override { return hold(inner_->start(identity, now)); }
        EapStep handle(ByteView r, TimePoint now) override { return hold(inner_->handle(r, now)); }
        std::optional<EapStep> take_delivered() override { return std::exchange(delivered_, std::nullopt); }
        std::string identity() const override { return inner_->identity(); }
        const char* name() const override { return "deferred"; }
        EapStep hold(EapStep s) {
            held_ = std::move(s);
            EapStep p;
            p.kind = EapStep::Kind::kPending;
            return p;
        }
        void release() {
            delivered_ = std::exchange(held_, std::nullopt);
            if (owner_.edit && delivered_) owner_.edit(*delivered_);
            peer_.wake();
        }
        DeferredBackends& owner_;
        std::unique_ptr<EapBackend> inner_;
        EapBackendPeer peer_;
        std::optional<EapStep> held_, delivered_;
    };

    AuthRoundConfig served_by;  // the integrated round the "server" runs
    RandomSource* random = nullptr;
    std::vector<Backend*> live;
    std::vector<uint64_t> woken;  // SPIs IkeSaEnv::auth_ready was called with
    std::function<void(EapStep&)> edit;  // tampers with what the "server" answers
    size_t made = 0;

    EapBackendFactory factory() {
        return [this](const EapBackendPeer& peer) -> Result<std::unique_ptr<EapBackend>> {
            auto inner = make_local_eap_backend(served_by, *random);
            if (!inner) return inner.error();
            auto b = std::make_unique<Backend>(*this, std::move(*inner), peer);
            live.push_back(b.get());
            ++made;
            return std::unique_ptr<EapBackend>(std::move(b));
        };
    }
};

struct ExternalEapPair {
    EapPair eap;
    DeferredBackends backends;
    explicit ExternalEapPair(const EapSetup& s) : eap(s) {
        backends.served_by = eap.moon->remote[0];
        backends.random = &eap.pair.r.random;
        eap.moon->remote[0].eap_method = "radius";
        eap.moon->remote[0].eap_users.reset();  // the "RADIUS server" has them
        eap.pair.r.env.external_eap = backends.factory();
        eap.pair.r.env.auth_ready = [this](uint64_t spi) { backends.woken.push_back(spi); };
    }
    // Releases every held answer, resumes the woken SAs, moves datagrams;
    // bounded like the EAP rounds themselves.
    void serve_all() {
        for (int n = 0; n < 60 && !backends.live.empty(); ++n) {
            auto live = backends.live;
            for (auto* b : live) b->release();
            for (uint64_t spi : std::exchange(backends.woken, {})) eap.pair.r.manager.resume_auth(spi);
            eap.pair.pump();
            bool any_held = false;
            for (auto* b : backends.live) any_held = any_held || b->held_.has_value();
            if (!any_held) return;
        }
    }
    // The whole IKE_AUTH with every back-end answer released as it comes.
    void run() {
        eap.pair.initiate(eap.carol, "home-child");
        eap.pair.pump();
        serve_all();
    }
};

}  // namespace

TEST_CASE("external EAP back-end: the IKE_AUTH request waits unanswered until the back-end answers") {
    ExternalEapPair t(EapSetup{});
    t.eap.pair.initiate(t.eap.carol, "home-child");
    t.eap.pair.pump();
    IkeSa* r = t.eap.pair.only(t.eap.pair.r);
    REQUIRE(r != nullptr);
    REQUIRE(t.backends.made == 1);
    CHECK(r->auth_pending());
    CHECK(r->state() == IkeSaState::kAuthenticating);
    // The initiator retransmits; the responder neither answers nor runs the
    // round again while the back-end works.
    const size_t before = t.eap.pair.delivered;
    t.eap.pair.advance(Duration(4500));
    CHECK(t.eap.pair.delivered == before + 1);  // the retransmission, unanswered
    CHECK(r->stats().dropped == 1);
    CHECK(t.backends.made == 1);
    t.serve_all();
    REQUIRE(t.eap.pair.only(t.eap.pair.i) != nullptr);
    CHECK(t.eap.pair.only(t.eap.pair.i)->state() == IkeSaState::kEstablished);
    CHECK(t.eap.pair.only(t.eap.pair.r)->state() == IkeSaState::kEstablished);
    CHECK(t.eap.pair.only(t.eap.pair.r)->children().size() == 1);
    CHECK(t.backends.live.empty());  // the round's state is released once established
}

TEST_CASE("external EAP back-end: eap_id = %any asks for the identity through the back-end") {
    EapSetup s;
    s.server_eap_id = "%any";
    s.peer_eap_identity = "carol";
    ExternalEapPair t(s);
    t.run();
    REQUIRE(t.eap.pair.only(t.eap.pair.r) != nullptr);
    CHECK(t.eap.pair.only(t.eap.pair.r)->state() == IkeSaState::kEstablished);
}

TEST_CASE("external EAP back-end: Access-Reject (EAP-Failure) and silence both end the IKE_SA unestablished") {
    SUBCASE("failure") {
        EapSetup s;
        s.peer_password = "wrong";
        ExternalEapPair t(s);
        t.run();
        CHECK(t.eap.neither_up());
    }
    SUBCASE("no answer from any server") {
        ExternalEapPair t(EapSetup{});
        t.backends.edit = [](EapStep& step) {
            step = EapStep{};
            step.kind = EapStep::Kind::kError;
            step.reason = "no answer from any RADIUS server";
        };
        t.run();
        CHECK(t.eap.neither_up());
        for (IkeSa* sa : t.eap.pair.r.manager.all()) CHECK(sa->close_reason().find("no answer from any RADIUS server") != std::string::npos);
    }
}

TEST_CASE("external EAP back-end: EAP-Success for MSCHAPv2 without an MSK is refused (CVE-2021-45079 class)") {
    ExternalEapPair t(EapSetup{});
    t.backends.edit = [](EapStep& step) {
        if (step.kind == EapStep::Kind::kSuccess) step.msk = SecretBytes();  // an Access-Accept without MS-MPPE keys
    };
    t.run();
    CHECK(t.eap.neither_up());
}

TEST_CASE("external EAP back-end: an SA that goes away while waiting is simply gone") {
    ExternalEapPair t(EapSetup{});
    t.eap.pair.initiate(t.eap.carol, "home-child");
    t.eap.pair.pump();
    REQUIRE(t.backends.live.size() == 1);
    const uint64_t spi = t.eap.pair.only(t.eap.pair.r)->local_spi();
    // The initiator gives up (retransmissions exhausted, ~165 s) and the
    // responder's half-open SA times out: the round and its back-end go.
    for (int n = 0; n < 40; ++n) t.eap.pair.advance(Duration(10000));
    CHECK(t.backends.live.empty());
    t.eap.pair.r.manager.resume_auth(spi);  // a late wake-up finds nothing
    CHECK(t.eap.neither_up());
}

TEST_CASE("eap-radius round without a RADIUS server configured is refused") {
    EapPair eap(EapSetup{});
    eap.moon->remote[0].eap_method = "radius";
    eap.pair.initiate(eap.carol, "home-child");
    eap.pair.pump();
    CHECK(eap.neither_up());
    IkeSa* i = eap.pair.only(eap.pair.i);
    if (i != nullptr) CHECK(i->state() != IkeSaState::kAuthenticating);
}
