// PEAP peer against PEAP server (v0 and v1), in process, through the real
// RFC 4137 machines with the OpenSSL backend and the `make pki` test PKI:
// inner MD5 and inner EAP-TLS, crypto binding policies, keys, the
// success-indication rules (CVE-2023-52160 class), anonymous identity,
// resumption with fast reconnect.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_packet.h"
#include "methods/eap_peap_peer.h"
#include "methods/eap_peap_server.h"
#include "methods/eap_peer.h"
#include "methods/peap_common.h"
#include "methods/peap_registry.h"
#include "authenticator/tls_session_cache.h"
#include "supplicant/tls_session_cache.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::eap;
using lanyard::test::pki_path;

namespace {

const char* const kIdentity = "alice@lanyard.test";
const char* const kAnonymous = "anonymous@lanyard.test";
const char* const kPassword = "correct horse";

class MapSessionStore final : public tls::SessionStore {
public:
    void put(ByteView id, ByteView session) override { sessions_[Bytes(id.begin(), id.end())] = Bytes(session.begin(), session.end()); }
    std::optional<Bytes> get(ByteView id) override {
        auto it = sessions_.find(Bytes(id.begin(), id.end()));
        if (it == sessions_.end()) return std::nullopt;
        return it->second;
    }
    void remove(ByteView id) override {
        ++removes;
        sessions_.erase(Bytes(id.begin(), id.end()));
    }
    size_t size() const { return sessions_.size(); }
    int removes = 0;

private:
    std::map<Bytes, Bytes> sessions_;
};

std::unique_ptr<tls::Context> make_ctx(tls::Config c) {
    auto ctx = tls::make_context(c);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
    return std::move(ctx).value();
}

struct Run {
    PeerAction peer_result;
    AuthAction auth_result;
    bool peer_resumed = false;
    bool server_resumed = false;
    bool peer_binding = false;
    bool server_binding = false;
    bool peer_phase2 = false;
    bool server_phase2 = false;
    int peer_version = -1;
    std::optional<tls::Version> tls_version;
    std::optional<Type> inner_method;
    int server_version = -1;
    std::string outer_identity;   // what the outer authenticator saw
    std::string inner_identity;   // what PEAP's phase 2 saw
    std::string peer_reason;
    size_t requests = 0;
    size_t max_packet = 0;
    bool early_success_ignored = false;
};

struct Harness {
    // Peer.
    std::string phase1;
    std::string phase2 = "auth=MD5";
    std::string anonymous_identity;
    std::string password = kPassword;
    tls::Version client_max = tls::Version::kTls12;
    bool inner_tls_credentials = false;
    size_t fragment_size = kDefaultFragmentSize;
    std::optional<Bytes> saved_session;
    // Server.
    PeapServerOptions server_options;
    tls::Version server_max = tls::Version::kTls12;
    int user_peap_version = -1;
    std::vector<Type> inner_methods = {Type::kMd5Challenge};
    std::string server_password = kPassword;
    std::string server_inner_identity = kIdentity;  // the phase 2 user the server knows
    tls::SessionStore* store = nullptr;
    // Peer: a per-network-block session cache (lanyard-supplicant's); when
    // set it replaces saved_session.
    supplicant::TlsSessionCache* peer_cache = nullptr;
    size_t network_id = 0;
    // Inject an outer EAP-Success after this many Requests (0: never).
    size_t early_success_after = 0;
    // Phase 2 methods on both sides (null: the built-in ones).
    const MethodRegistry* inner_registry = nullptr;

    Run run() {
        if (std::getenv("LANYARD_TEST_DEBUG") != nullptr) set_log_level(LogLevel::kExcessive);
        FakeRandom random(11);
        FakeClock clock;

        tls::Config cc;
        cc.role = tls::Role::kClient;
        cc.ca_file = pki_path("ca.pem");
        cc.min_version = tls::Version::kTls12;
        cc.max_version = client_max;
        auto client_ctx = make_ctx(cc);

        tls::Config sc;
        sc.role = tls::Role::kServer;
        sc.ca_file = pki_path("ca.pem");
        sc.cert_file = pki_path("server.pem");
        sc.key_file = pki_path("server.key");
        sc.min_version = tls::Version::kTls12;
        sc.max_version = server_max;
        sc.session_store = store;
        sc.session_lifetime_seconds = store != nullptr ? 300 : 0;
        auto server_ctx = make_ctx(sc);
        tls::Config ic = sc;
        ic.require_peer_certificate = true;
        ic.session_store = nullptr;
        ic.session_lifetime_seconds = 0;
        auto inner_server_ctx = make_ctx(ic);

        PeerCredentials credentials;
        credentials.identity = kIdentity;
        credentials.anonymous_identity = anonymous_identity;
        credentials.password = SecretBytes(as_bytes(password));
        credentials.methods = {Type::kPeap};
        credentials.phase1 = phase1;
        credentials.phase2 = phase2;
        credentials.fragment_size = fragment_size;
        if (inner_tls_credentials) {
            credentials.ca_cert2 = pki_path("ca.pem");
            credentials.client_cert2 = pki_path("client.pem");
            credentials.private_key2 = pki_path("client.key");
        }
        PeerEnvironment penv;
        penv.credentials = &credentials;
        penv.random = &random;
        penv.tls = client_ctx.get();
        penv.load_tls_session = [this]() { return saved_session; };
        penv.save_tls_session = [this](ByteView s) { saved_session = Bytes(s.begin(), s.end()); };
        if (peer_cache != nullptr) {
            penv.load_tls_session = peer_cache->loader(network_id);
            penv.save_tls_session = peer_cache->saver(network_id);
        }
        PeerConfig pconfig;
        pconfig.max_requests = 2000;
        MethodRegistry peer_registry(std::vector<MethodEntry>(MethodRegistry::builtin().entries().begin(),
                                                              MethodRegistry::builtin().entries().end()));
        peer_registry.add({Type::kPeap, true, EapPeapPeer::factory(inner_registry), EapPeapServer::create});
        EapPeer peer(penv, pconfig, &peer_registry);

        UserRecord outer;
        outer.wildcard = true;
        outer.methods = {Type::kPeap};
        outer.peap_version = user_peap_version;
        UserRecord inner;
        inner.identity = server_inner_identity;
        inner.phase2 = true;
        inner.methods = inner_methods;
        inner.password = SecretBytes(as_bytes(server_password));
        VectorUserDatabase users({inner, outer});

        PeapServerOptions options = server_options;
        options.inner_tls = inner_server_ctx.get();
        options.inner_registry = inner_registry;
        std::vector<MethodEntry> entries(MethodRegistry::builtin().entries().begin(),
                                         MethodRegistry::builtin().entries().end());
        MethodRegistry server_registry(std::move(entries));
        server_registry.add({Type::kPeap, true, &EapPeapPeer::create, EapPeapServer::factory(options)});

        ServerEnvironment senv;
        senv.users = &users;
        senv.random = &random;
        senv.tls = server_ctx.get();
        senv.fragment_size = fragment_size;
        AuthenticatorConfig aconfig;
        aconfig.max_rounds = 2000;
        EapAuthenticator auth(senv, aconfig, &server_registry);

        Run r;
        peer.start(clock.now());
        AuthAction a = auth.start(clock.now());
        for (int round = 0; round < 5000; ++round) {
            r.max_packet = std::max(r.max_packet, a.packet.size());
            if (a.kind != AuthActionKind::kSend) break;
            ++r.requests;
            PeerAction p = peer.handle(a.packet, clock.now());
            if (p.kind != PeerActionKind::kSend) {
                r.peer_result = p;
                break;
            }
            r.max_packet = std::max(r.max_packet, p.packet.size());
            if (early_success_after != 0 && r.requests == early_success_after) {
                auto parsed = parse_packet(p.packet);
                REQUIRE(parsed.ok());
                PeerAction early = peer.handle(build_success(parsed->identifier), clock.now());
                r.early_success_ignored = early.kind != PeerActionKind::kSuccess && peer.state() != PeerState::kSuccess;
                if (peer.finished()) break;
            }
            a = auth.handle(p.packet, clock.now());
        }
        r.auth_result = a;
        if ((a.kind == AuthActionKind::kSuccess || a.kind == AuthActionKind::kFailure) && !peer.finished())
            r.peer_result = peer.handle(a.packet, clock.now());
        if (auto* m = dynamic_cast<const EapPeapPeer*>(peer.method())) {
            r.peer_resumed = m->resumed();
            r.peer_binding = m->crypto_binding_used();
            r.peer_phase2 = m->phase2_ran();
            r.peer_version = m->version();
            r.tls_version = m->tls_version();
            r.inner_method = m->inner_method();
        }
        if (auto* m = dynamic_cast<const EapPeapServer*>(auth.method())) {
            r.server_resumed = m->resumed();
            r.server_binding = m->crypto_binding_used();
            r.server_phase2 = m->phase2_ran();
            r.server_version = m->version();
            r.inner_identity = m->inner_identity();
        }
        r.outer_identity = auth.identity();
        r.peer_reason = peer.failure_reason();
        if (r.peer_reason.empty() && peer.method() != nullptr) r.peer_reason = peer.method()->failure_reason();
        return r;
    }
};

void check_success(const Run& r) {
    INFO("peer: " << r.peer_reason << " / server: " << r.auth_result.reason);
    REQUIRE(r.auth_result.kind == AuthActionKind::kSuccess);
    REQUIRE(r.peer_result.kind == PeerActionKind::kSuccess);
    REQUIRE(r.auth_result.keys_available);
    REQUIRE(r.peer_result.keys_available);
    const Keys& pk = r.peer_result.keys;
    const Keys& sk = r.auth_result.keys;
    CHECK(pk.msk.size() == 64);
    CHECK(equal_bytes(pk.msk.view(), sk.msk.view()));
    CHECK(equal_bytes(pk.emsk.view(), sk.emsk.view()));
    CHECK(pk.session_id == sk.session_id);
    REQUIRE(pk.session_id.size() == 65);
    CHECK(pk.session_id[0] == 25);
    CHECK(r.peer_binding == r.server_binding);
    CHECK(r.peer_version == r.server_version);
}

void check_failure(const Run& r) {
    INFO("peer: " << r.peer_reason << " / server: " << r.auth_result.reason);
    CHECK(r.peer_result.kind != PeerActionKind::kSuccess);
    CHECK_FALSE(r.peer_result.keys_available);
    CHECK(r.auth_result.kind != AuthActionKind::kSuccess);
}

}  // namespace

TEST_CASE("PEAPv0 and PEAPv1 with inner MD5 agree on keys") {
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.server_options.version = static_cast<uint8_t>(version);
        const Run r = h.run();
        check_success(r);
        CHECK(r.peer_version == version);
        CHECK(r.peer_phase2);
        CHECK(r.server_phase2);
        CHECK(r.inner_identity == kIdentity);
        CHECK(r.inner_method == Type::kMd5Challenge);
        // hostapd sends crypto binding with PEAPv0 only.
        CHECK(r.peer_binding == (version == 0));
        if (version == 1) CHECK(r.peer_result.keys.emsk.size() == 64);
        if (version == 0) CHECK(r.peer_result.keys.emsk.empty());  // [MS-PEAP] defines no EMSK with binding
    }
}

TEST_CASE("PEAP version negotiation: the peer answers min(server, own), a forced version must be met") {
    SUBCASE("server offers 1, peer without peapver uses 1") {
        Harness h;
        h.server_options.version = 1;
        const Run r = h.run();
        check_success(r);
        CHECK(r.peer_version == 1);
    }
    SUBCASE("server offers 1, peer peapver=0: the server follows down to 0") {
        Harness h;
        h.phase1 = "peapver=0";
        h.server_options.version = 1;
        const Run r = h.run();
        check_success(r);
        CHECK(r.server_version == 0);
    }
    SUBCASE("server offers 0, peer peapver=1 fails") {
        Harness h;
        h.phase1 = "peapver=1";
        const Run r = h.run();
        check_failure(r);
    }
    SUBCASE("user record forces PEAPv1, peer peapver=0: failure") {
        Harness h;
        h.phase1 = "peapver=0";
        h.user_peap_version = 1;
        const Run r = h.run();
        check_failure(r);
    }
    SUBCASE("user record forces PEAPv1: used") {
        Harness h;
        h.user_peap_version = 1;
        const Run r = h.run();
        check_success(r);
        CHECK(r.peer_version == 1);
    }
}

TEST_CASE("PEAPv0 crypto binding policies (peer crypto_binding=0/1/2 x server none/optional/required)") {
    struct Case {
        int peer;
        CryptoBindingPolicy server;
        bool ok;
        bool binding;
    };
    const Case cases[] = {
        {0, CryptoBindingPolicy::kNone, true, false},      {0, CryptoBindingPolicy::kOptional, true, false},
        {0, CryptoBindingPolicy::kRequired, false, false}, {1, CryptoBindingPolicy::kNone, true, false},
        {1, CryptoBindingPolicy::kOptional, true, true},   {1, CryptoBindingPolicy::kRequired, true, true},
        {2, CryptoBindingPolicy::kNone, false, false},     {2, CryptoBindingPolicy::kOptional, true, true},
        {2, CryptoBindingPolicy::kRequired, true, true},
    };
    for (const Case& c : cases) {
        CAPTURE(c.peer);
        CAPTURE(static_cast<int>(c.server));
        Harness h;
        h.phase1 = "peapver=0 crypto_binding=" + std::to_string(c.peer);
        h.server_options.crypto_binding = c.server;
        const Run r = h.run();
        if (c.ok) {
            check_success(r);
            CHECK(r.peer_binding == c.binding);
        } else {
            check_failure(r);
        }
    }
}

TEST_CASE("PEAPv0 MSK with crypto binding differs from the TLS-derived one") {
    Harness with;
    with.phase1 = "crypto_binding=1";
    Harness without;
    without.phase1 = "crypto_binding=0";
    const Run a = with.run();
    const Run b = without.run();
    check_success(a);
    check_success(b);
    CHECK(a.peer_binding);
    CHECK_FALSE(b.peer_binding);
    // FakeRandom makes both runs' randoms differ anyway; the real check is
    // that both sides computed the same key each way (check_success).
    CHECK_FALSE(equal_bytes(a.peer_result.keys.msk.view(), b.peer_result.keys.msk.view()));
}

TEST_CASE("PEAP with inner EAP-TLS (phase 2 certificates)") {
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.server_options.version = static_cast<uint8_t>(version);
        h.phase2 = "auth=TLS";
        h.inner_tls_credentials = true;
        h.inner_methods = {Type::kTls};
        const Run r = h.run();
        check_success(r);
        CHECK(r.peer_phase2);
        CHECK(r.inner_method == Type::kTls);
        CHECK(r.peer_binding == (version == 0));
    }
}

TEST_CASE("PEAP with a wrong inner password fails on both sides") {
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.server_options.version = static_cast<uint8_t>(version);
        h.password = "wrong";
        const Run r = h.run();
        CHECK(r.auth_result.kind == AuthActionKind::kFailure);
        CHECK(r.peer_result.kind == PeerActionKind::kFailure);
        CHECK_FALSE(r.peer_result.keys_available);
    }
}

TEST_CASE("PEAP peer phase 2 policy: auth= limits the inner methods") {
    Harness h;
    h.phase2 = "auth=MSCHAPV2";  // the server offers MD5 only
    const Run r = h.run();
    check_failure(r);
    CHECK(r.auth_result.kind == AuthActionKind::kFailure);
}

TEST_CASE("PEAP sends the anonymous identity outside and the real one inside") {
    Harness h;
    h.anonymous_identity = kAnonymous;
    const Run r = h.run();
    check_success(r);
    CHECK(r.outer_identity == kAnonymous);
    CHECK(r.inner_identity == kIdentity);
}

TEST_CASE("PEAP peer does not accept an outer EAP-Success before phase 2 finished") {
    for (size_t after : {2, 3, 5, 6}) {  // handshake; around and inside phase 2
        CAPTURE(after);
        Harness h;
        h.early_success_after = after;
        const Run r = h.run();
        CHECK(r.early_success_ignored);
        const bool consistent = r.peer_result.kind != PeerActionKind::kSuccess || r.auth_result.kind == AuthActionKind::kSuccess;
        CHECK(consistent);
    }
}

TEST_CASE("PEAP peer refuses a Result TLV success without phase 2 on a fresh session (CVE-2023-52160 class)") {
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.server_options.version = static_cast<uint8_t>(version);
        h.server_options.test_skip_phase2 = true;
        const Run r = h.run();
        CHECK_FALSE(r.peer_phase2);
        CHECK(r.peer_result.kind != PeerActionKind::kSuccess);
        CHECK_FALSE(r.peer_result.keys_available);
        CHECK(r.auth_result.kind != AuthActionKind::kSuccess);
    }
}

TEST_CASE("PEAP resumption: fast reconnect skips phase 2 and both sides agree on the keys") {
    for (int version : {0, 1}) {
        CAPTURE(version);
        MapSessionStore store;
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.server_options.version = static_cast<uint8_t>(version);
        h.store = &store;
        const Run first = h.run();
        check_success(first);
        CHECK_FALSE(first.peer_resumed);
        REQUIRE(h.saved_session.has_value());

        const Run second = h.run();
        check_success(second);
        CHECK(second.peer_resumed);
        CHECK(second.server_resumed);
        CHECK_FALSE(second.peer_phase2);
        CHECK_FALSE(second.server_phase2);
        CHECK(second.requests < first.requests);
        CHECK_FALSE(equal_bytes(first.peer_result.keys.msk.view(), second.peer_result.keys.msk.view()));
    }
}

TEST_CASE("PEAP server forgets the TLS session of a failed phase 2: no fast reconnect past it") {
    MapSessionStore store;
    Harness h;
    h.store = &store;
    h.password = "wrong";
    const Run first = h.run();
    CHECK(first.auth_result.kind == AuthActionKind::kFailure);
    CHECK(store.removes >= 1);
    h.password = kPassword;
    const Run second = h.run();
    check_success(second);
    CHECK_FALSE(second.server_resumed);
    CHECK(second.peer_phase2);
}

TEST_CASE("PEAP over small fragments") {
    for (size_t size : {64, 300}) {
        CAPTURE(size);
        Harness h;
        h.fragment_size = size;
        const Run r = h.run();
        check_success(r);
        CHECK(r.max_packet <= 10 + size);
    }
}

TEST_CASE("PEAP over TLS 1.3 is off by default and on with tls_disable_tlsv1_3=0") {
    SUBCASE("default: both contexts allow 1.3, PEAP still runs TLS 1.2") {
        Harness h;
        h.client_max = tls::Version::kTls13;
        h.server_max = tls::Version::kTls13;
        const Run r = h.run();
        check_success(r);
        CHECK(r.tls_version == tls::Version::kTls12);
    }
    SUBCASE("tls_disable_tlsv1_3=0") {
#ifdef LANYARD_TLS_mbedtls
        MESSAGE("skipped: no TLS 1.3 in the mbedtls 2.28 backend");
        return;
#endif
        Harness h;
        h.phase1 = "tls_disable_tlsv1_3=0";
        h.client_max = tls::Version::kTls13;
        h.server_max = tls::Version::kTls13;
        const Run r = h.run();
        check_success(r);
        CHECK(r.tls_version == tls::Version::kTls13);
        CHECK(r.peer_phase2);
    }
}

// ---- inner EAP-MSCHAPv2 and EAP-GTC -----------------------------------------

// These run on the built-in registry (PEAP's default phase 2 methods).
namespace {

void require_builtin_mschapv2_gtc() {
    REQUIRE_MESSAGE(peap_inner_registry().has_peer(Type::kMschapV2), "EAP-MSCHAPv2 is not registered");
    REQUIRE_MESSAGE(peap_inner_registry().has_server(Type::kGtc), "EAP-GTC is not registered");
}

}  // namespace

TEST_CASE("PEAPv0 with inner MSCHAPv2 and crypto binding (the main case), and PEAPv1") {
    require_builtin_mschapv2_gtc();
    for (int version : {0, 1}) {
        for (int binding : {1, 2}) {
            if (version == 1 && binding == 2) continue;  // hostapd-style servers bind with v0 only
            CAPTURE(version);
            CAPTURE(binding);
            Harness h;
            h.phase1 = "peapver=" + std::to_string(version) + " crypto_binding=" + std::to_string(binding);
            h.phase2 = "auth=MSCHAPV2";
            h.server_options.version = static_cast<uint8_t>(version);
            h.server_options.crypto_binding =
                binding == 2 ? CryptoBindingPolicy::kRequired : CryptoBindingPolicy::kOptional;
            h.inner_methods = {Type::kMschapV2};
            h.anonymous_identity = kAnonymous;
            const Run r = h.run();
            check_success(r);
            CHECK(r.inner_method == Type::kMschapV2);
            CHECK(r.peer_binding == (version == 0));
            CHECK(r.outer_identity == kAnonymous);
            CHECK(r.inner_identity == kIdentity);
        }
    }
}

TEST_CASE("PEAP with inner MSCHAPv2 and a wrong password fails on both sides") {
    require_builtin_mschapv2_gtc();
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.phase2 = "auth=MSCHAPV2";
        h.server_options.version = static_cast<uint8_t>(version);
        h.inner_methods = {Type::kMschapV2};
        h.password = "not the password";
        const Run r = h.run();
        CHECK(r.auth_result.kind == AuthActionKind::kFailure);
        CHECK(r.peer_result.kind == PeerActionKind::kFailure);
        CHECK_FALSE(r.peer_result.keys_available);
    }
}

TEST_CASE("PEAP with inner GTC (no inner key: zero ISK) v0 and v1") {
    require_builtin_mschapv2_gtc();
    for (int version : {0, 1}) {
        CAPTURE(version);
        Harness h;
        h.phase1 = "peapver=" + std::to_string(version);
        h.phase2 = "auth=GTC";
        h.server_options.version = static_cast<uint8_t>(version);
        h.inner_methods = {Type::kGtc};
        const Run r = h.run();
        check_success(r);
        CHECK(r.inner_method == Type::kGtc);
    }
}

TEST_CASE("PEAP phase 2 policy: the peer Naks an inner method outside auth= and takes the next one") {
    require_builtin_mschapv2_gtc();
    Harness h;
    h.phase2 = "auth=MSCHAPV2";
    h.inner_methods = {Type::kGtc, Type::kMschapV2};  // the server proposes GTC first
    const Run r = h.run();
    check_success(r);
    CHECK(r.inner_method == Type::kMschapV2);
}

TEST_CASE("PEAP resumption after an inner MSCHAPv2 authentication") {
    require_builtin_mschapv2_gtc();
    MapSessionStore store;
    Harness h;
    h.phase2 = "auth=MSCHAPV2";
    h.inner_methods = {Type::kMschapV2};
    h.store = &store;
    const Run first = h.run();
    check_success(first);
    const Run second = h.run();
    check_success(second);
    CHECK(second.peer_resumed);
    CHECK_FALSE(second.peer_phase2);
    CHECK(second.peer_binding);  // fast reconnect binds with IPMK|CMK = TK
}

// ---- the methods alone: order and malformed input ----------------------------

TEST_CASE("PEAP peer method: Start first, malformed input dropped, no early success") {
    FakeRandom random(3);
    tls::Config cc;
    cc.role = tls::Role::kClient;
    cc.ca_file = pki_path("ca.pem");
    cc.max_version = tls::Version::kTls12;
    auto ctx = make_ctx(cc);
    PeerCredentials credentials;
    credentials.identity = kIdentity;
    PeerEnvironment env;
    env.credentials = &credentials;
    env.random = &random;
    env.tls = ctx.get();
    EapPeapPeer peer(env);
    CHECK_FALSE(peer.process(1, {}).ok());                                    // no Flags octet
    CHECK_FALSE(peer.process(1, std::vector<uint8_t>{0x00, 0x16}).ok());      // data before Start
    CHECK(peer.state() == MethodState::kInit);
    CHECK_FALSE(peer.may_accept_success());
    auto hello = peer.process(2, std::vector<uint8_t>{0x21});                 // Start, PEAPv1
    REQUIRE(hello.ok());
    CHECK(peer.version() == 1);
    CHECK(((*hello)[0] & kPeapVersionMask) == 1);                             // our Flags carry v1
    CHECK_FALSE(peer.may_accept_success());
    CHECK_FALSE(peer.process(3, std::vector<uint8_t>{0x21}).ok());            // a second Start
    // Garbage instead of a ServerHello: the TLS handshake fails.
    // A handshake record holding a ServerHello of length 0: a decode error.
    auto alert = peer.process(3, std::vector<uint8_t>{0x01, 0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00});
    REQUIRE(alert.ok());
    CHECK(peer.state() == MethodState::kDone);
    CHECK(peer.decision() == Decision::kFail);
    CHECK_FALSE(peer.key_available());
    CHECK_FALSE(peer.failure_reason().empty());
}

TEST_CASE("PEAP server method: Start with its version first, then refuses Start and stray ACKs") {
    FakeRandom random(5);
    tls::Config sc;
    sc.role = tls::Role::kServer;
    sc.ca_file = pki_path("ca.pem");
    sc.cert_file = pki_path("server.pem");
    sc.key_file = pki_path("server.key");
    auto ctx = make_ctx(sc);
    VectorUserDatabase users({});
    ServerEnvironment env;
    env.users = &users;
    env.random = &random;
    env.tls = ctx.get();
    PeapServerOptions options;
    options.version = 1;
    EapPeapServer server(env, options);
    CHECK_FALSE(server.process(std::vector<uint8_t>{0x01}).ok());  // Response before Start
    auto start = server.build_request(1);
    REQUIRE(start.ok());
    REQUIRE(start->size() == 1);
    CHECK((*start)[0] == (kTlsFlagStart | 1));
    CHECK_FALSE(server.process(std::vector<uint8_t>{0x21}).ok());  // the peer sent Start
    CHECK_FALSE(server.process(std::vector<uint8_t>{0x01}).ok());  // an ACK while nothing was pending
    CHECK_FALSE(server.process({}).ok());                          // no Flags octet
    CHECK_FALSE(server.is_done());
    // A peer answering with a higher version than offered: failure.
    EapPeapServer strict(env, PeapServerOptions{});
    REQUIRE(strict.build_request(1).ok());
    (void)strict.process(std::vector<uint8_t>{0x01, 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00});
    CHECK(strict.is_done());
    CHECK_FALSE(strict.is_success());
}

// Issue 4: resumption counted over the life of a station. The server keeps
// sessions in lanyard-authenticator's cache (tls_session_lifetime on a fake
// clock); the peer in lanyard-supplicant's per-network-block cache.
TEST_CASE("PEAP resumption counted: full, resumed, lifetime expired -> full, other network block -> full") {
    require_builtin_mschapv2_gtc();
    FakeClock server_clock;
    authenticator::TlsSessionCache server_cache(server_clock, seconds(300));
    supplicant::TlsSessionCache peer_cache;
    Harness h;
    h.phase2 = "auth=MSCHAPV2";
    h.inner_methods = {Type::kMschapV2};
    h.store = &server_cache;
    h.peer_cache = &peer_cache;
    int full = 0, resumed = 0;
    auto count = [&](const Run& r) {
        check_success(r);
        CHECK(r.peer_resumed == r.server_resumed);
        CHECK(r.peer_phase2 == !r.peer_resumed);  // fast reconnect skips phase 2
        (r.peer_resumed ? resumed : full)++;
        return r.peer_resumed;
    };

    CHECK_FALSE(count(h.run()));             // 1: full handshake, session stored
    server_clock.advance(seconds(60));
    CHECK(count(h.run()));                   // 2: reauthentication resumed
    server_clock.advance(seconds(301));      // tls_session_lifetime passes
    CHECK_FALSE(count(h.run()));             // 3: expired on the server: full again
    CHECK(count(h.run()));                   // 4: the new session resumes
    h.network_id = 1;                        // another network block, same server
    CHECK_FALSE(count(h.run()));             // 5: never offered across blocks: full
    CHECK(full == 3);
    CHECK(resumed == 2);
    CHECK(server_cache.stats().misses >= 1);  // the expired session was not found
}

TEST_CASE("PEAP server refuses to resume a session whose user left the user database") {
    require_builtin_mschapv2_gtc();
    FakeClock server_clock;
    authenticator::TlsSessionCache server_cache(server_clock, seconds(300));
    Harness h;
    h.phase2 = "auth=MSCHAPV2";
    h.inner_methods = {Type::kMschapV2};
    h.store = &server_cache;
    check_success(h.run());
    h.server_inner_identity = "somebody-else@lanyard.test";  // alice removed from eap_user
    const Run r = h.run();
    CHECK(r.server_resumed);      // the TLS session itself resumed ...
    check_failure(r);             // ... but the server refused the fast reconnect
    CHECK(r.auth_result.reason.find("no longer in the user database") != std::string::npos);
    CHECK(server_cache.size() == 0);  // and forgot the session
}
