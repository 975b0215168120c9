// EAP-TLS peer against EAP-TLS server (RFC 5216, RFC 9190), in process,
// driven through the real RFC 4137 machines (methods/eap_peer.h and
// methods/eap_authenticator.h) with the test PKI of `make pki`.
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
#include "methods/eap_peer.h"
#include "methods/eap_tls_peer.h"
#include "methods/eap_tls_server.h"
#include "methods/tls_common.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::eap;
using lanyard::test::pki_path;

namespace {

const char* const kIdentity = "user@lanyard.test";

struct ClientOptions {
    tls::Version version = tls::Version::kTls13;
    std::string ca = "ca.pem";
    std::string domain_match;
    bool with_certificate = true;
};

std::unique_ptr<tls::Context> client_context(const ClientOptions& o) {
    tls::Config c;
    c.role = tls::Role::kClient;
    c.ca_file = pki_path(o.ca);
    if (o.with_certificate) {
        c.cert_file = pki_path("client.pem");
        c.key_file = pki_path("client.key");
    }
    c.domain_match = o.domain_match;
    c.min_version = tls::Version::kTls12;
    c.max_version = o.version;
    auto ctx = tls::make_context(c);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
    return std::move(ctx).value();
}

std::unique_ptr<tls::Context> server_context(tls::Version version, tls::SessionStore* store = nullptr) {
    tls::Config c;
    c.role = tls::Role::kServer;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("server.pem");
    c.key_file = pki_path("server.key");
    c.require_peer_certificate = true;
    c.min_version = tls::Version::kTls12;
    c.max_version = version;
    c.session_store = store;
    c.session_lifetime_seconds = store != nullptr ? 300 : 0;
    auto ctx = tls::make_context(c);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
    return std::move(ctx).value();
}

// A server-side session store in memory.
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

// A server engine that never sends application data: a TLS 1.3 server
// without the protected success indication of RFC 9190 §2.5.
class NoIndicationEngine final : public tls::Engine {
public:
    explicit NoIndicationEngine(std::unique_ptr<tls::Engine> inner) : inner_(std::move(inner)) {}
    Status set_resumption_session(ByteView s) override { return inner_->set_resumption_session(s); }
    Status start() override { return inner_->start(); }
    Status feed(ByteView records) override { return inner_->feed(records); }
    Bytes take_output() override { return inner_->take_output(); }
    bool has_output() const override { return inner_->has_output(); }
    tls::HandshakeState state() const override { return inner_->state(); }
    std::string failure() const override { return inner_->failure(); }
    Status write_application_data(ByteView) override { return ok_status(); }
    Bytes take_application_data() override { return inner_->take_application_data(); }
    bool resumed() const override { return inner_->resumed(); }
    tls::Version version() const override { return inner_->version(); }
    std::string cipher_name() const override { return inner_->cipher_name(); }
    Bytes client_random() const override { return inner_->client_random(); }
    Bytes server_random() const override { return inner_->server_random(); }
    Result<SecretBytes> export_keying_material(std::string_view label, ByteView context, bool use_context,
                                               size_t length) override {
        return inner_->export_keying_material(label, context, use_context, length);
    }
    Result<SecretBytes> prf(std::string_view label, ByteView seed, size_t length) override {
        return inner_->prf(label, seed, length);
    }
    Bytes session_id() const override { return inner_->session_id(); }
    Bytes serialized_session() const override { return inner_->serialized_session(); }
    std::vector<tls::PeerCertificate> peer_certificates() const override { return inner_->peer_certificates(); }

private:
    std::unique_ptr<tls::Engine> inner_;
};

class NoIndicationContext final : public tls::Context {
public:
    explicit NoIndicationContext(std::unique_ptr<tls::Context> inner) : inner_(std::move(inner)) {}
    using tls::Context::new_engine;
    std::unique_ptr<tls::Engine> new_engine(const tls::EngineOptions& options) override {
        return std::make_unique<NoIndicationEngine>(inner_->new_engine(options));
    }
    const tls::Config& config() const override { return inner_->config(); }

private:
    std::unique_ptr<tls::Context> inner_;
};

// One supplicant and one authenticator, with the peer's session hooks.
struct Run {
    PeerAction peer_result;
    AuthAction auth_result;
    bool peer_resumed = false;
    bool server_resumed = false;
    std::string peer_reason;
    size_t max_packet = 0;     // largest EAP packet either side sent
    size_t requests = 0;
    bool early_success_refused = false;
};

struct Harness {
    ClientOptions client;
    tls::Version server_version = tls::Version::kTls13;
    size_t fragment_size = kDefaultFragmentSize;
    std::optional<Bytes> saved_session;  // the peer's TLS session cache
    size_t saves = 0;
    MapSessionStore* store = nullptr;
    bool withhold_indication = false;
    // Inject an EAP-Success after this many Requests (0: never).
    size_t early_success_after = 0;

    Run run() {
        // LANYARD_TEST_DEBUG=1 shows the conversation.
        if (std::getenv("LANYARD_TEST_DEBUG") != nullptr) set_log_level(LogLevel::kExcessive);
        FakeRandom random(7);
        FakeClock clock;
        auto client_ctx = client_context(client);
        std::unique_ptr<tls::Context> server_ctx = server_context(server_version, store);
        if (withhold_indication) server_ctx = std::make_unique<NoIndicationContext>(std::move(server_ctx));

        PeerCredentials credentials;
        credentials.identity = kIdentity;
        credentials.methods = {Type::kTls};
        credentials.fragment_size = fragment_size;
        PeerEnvironment penv;
        penv.credentials = &credentials;
        penv.random = &random;
        penv.tls = client_ctx.get();
        penv.load_tls_session = [this]() { return saved_session; };
        penv.save_tls_session = [this](ByteView s) {
            saved_session = Bytes(s.begin(), s.end());
            ++saves;
        };
        PeerConfig pconfig;
        pconfig.max_requests = 2000;
        EapPeer peer(penv, pconfig);

        UserRecord user;
        user.identity = kIdentity;
        user.methods = {Type::kTls};
        VectorUserDatabase users({user});
        ServerEnvironment senv;
        senv.users = &users;
        senv.random = &random;
        senv.tls = server_ctx.get();
        senv.fragment_size = fragment_size;
        AuthenticatorConfig aconfig;
        aconfig.max_rounds = 2000;
        EapAuthenticator auth(senv, aconfig);

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
                r.early_success_refused = early.kind == PeerActionKind::kNone && peer.state() == PeerState::kIdle;
            }
            a = auth.handle(p.packet, clock.now());
        }
        r.auth_result = a;
        if (a.kind == AuthActionKind::kSuccess || a.kind == AuthActionKind::kFailure)
            r.peer_result = peer.handle(a.packet, clock.now());
        if (peer.method() != nullptr) r.peer_resumed = peer.method()->resumed();
        if (auth.method() != nullptr) r.server_resumed = auth.method()->resumed();
        r.peer_reason = peer.failure_reason();
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
    CHECK(pk.emsk.size() == 64);
    CHECK(equal_bytes(pk.msk.view(), sk.msk.view()));
    CHECK(equal_bytes(pk.emsk.view(), sk.emsk.view()));
    CHECK_FALSE(equal_bytes(pk.msk.view(), pk.emsk.view()));
    CHECK(pk.session_id == sk.session_id);
    REQUIRE(pk.session_id.size() == 65);  // 0x0D || 64 octets (randoms or Method-Id)
    CHECK(pk.session_id[0] == 0x0d);
}

}  // namespace

TEST_CASE("EAP-TLS peer and server agree on MSK, EMSK and Session-Id (TLS 1.2 and 1.3, fragment sizes 64/300/1398)") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        for (size_t size : {64, 300, 1398}) {
            CAPTURE(std::string(tls::version_name(version)));
            CAPTURE(size);
            Harness h;
            h.client.version = version;
            h.server_version = version;
            h.fragment_size = size;
            const Run r = h.run();
            check_success(r);
            CHECK_FALSE(r.peer_resumed);
            CHECK_FALSE(r.server_resumed);
            // EAP header 4 + Type 1 + Flags 1 + Length 4 + TLS Data.
            CHECK(r.max_packet <= 10 + size);
            if (size == 64) CHECK(r.requests > 20);  // really fragmented
        }
    }
}

TEST_CASE("EAP-TLS with a matching domain_match succeeds") {
    Harness h;
    h.client.domain_match = "server.lanyard.test";
    check_success(h.run());
}

TEST_CASE("EAP-TLS peer that does not trust the server's CA fails") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        CAPTURE(std::string(tls::version_name(version)));
        Harness h;
        h.client.version = version;
        h.server_version = version;
        h.client.ca = "other-ca.pem";
        const Run r = h.run();
        CHECK(r.peer_result.kind == PeerActionKind::kFailure);
        CHECK(r.auth_result.kind == AuthActionKind::kFailure);
        CHECK_FALSE(r.peer_reason.empty());
        CHECK_FALSE(r.peer_result.keys_available);
    }
}

TEST_CASE("EAP-TLS peer with a wrong domain_match fails") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        CAPTURE(std::string(tls::version_name(version)));
        Harness h;
        h.client.version = version;
        h.server_version = version;
        h.client.domain_match = "wrong.lanyard.test";
        const Run r = h.run();
        CHECK(r.peer_result.kind == PeerActionKind::kFailure);
        CHECK(r.auth_result.kind == AuthActionKind::kFailure);
    }
}

TEST_CASE("EAP-TLS server fails a peer without a client certificate") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        CAPTURE(std::string(tls::version_name(version)));
        Harness h;
        h.client.version = version;
        h.server_version = version;
        h.client.with_certificate = false;
        const Run r = h.run();
        CHECK(r.auth_result.kind == AuthActionKind::kFailure);
        CHECK(r.peer_result.kind == PeerActionKind::kFailure);
    }
}

TEST_CASE("EAP-TLS peer machine refuses an EAP-Success before the method finished") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        for (size_t after : {2, 3}) {  // after the ClientHello; after the client's certificate flight
            CAPTURE(std::string(tls::version_name(version)));
            CAPTURE(after);
            Harness h;
            h.client.version = version;
            h.server_version = version;
            h.early_success_after = after;
            const Run r = h.run();
            CHECK(r.early_success_refused);
            check_success(r);  // the refused packet did not disturb the conversation
        }
    }
}

TEST_CASE("EAP-TLS 1.3 peer does not accept EAP-Success without the protected success indication") {
#ifdef LANYARD_TLS_mbedtls
    // Debian's mbedTLS 2.28 has no TLS 1.3; the harness would run TLS 1.2.
    MESSAGE("skipped: no TLS 1.3 in the " << tls::backend_name() << " backend");
    return;
#endif
    SUBCASE("no session tickets: Success follows the peer's Finished at once") {
        Harness h;
        h.withhold_indication = true;
        const Run r = h.run();
        CHECK(r.auth_result.kind == AuthActionKind::kSuccess);  // the broken server thinks it is done
        CHECK(r.peer_result.kind != PeerActionKind::kSuccess);
    }
    SUBCASE("a NewSessionTicket but no 0x00") {
        MapSessionStore store;
        Harness h;
        h.store = &store;
        h.withhold_indication = true;
        const Run r = h.run();
        CHECK(r.auth_result.kind == AuthActionKind::kSuccess);
        CHECK(r.peer_result.kind != PeerActionKind::kSuccess);
    }
}

TEST_CASE("EAP-TLS resumption through the peer's load/save hooks and a server SessionStore") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        CAPTURE(std::string(tls::version_name(version)));
        MapSessionStore store;
        Harness h;
        h.client.version = version;
        h.server_version = version;
        h.store = &store;
        const Run first = h.run();
        check_success(first);
        CHECK_FALSE(first.peer_resumed);
        CHECK_FALSE(first.server_resumed);
        REQUIRE(h.saved_session.has_value());
        CHECK(store.size() >= 1);

        const Run second = h.run();
        check_success(second);
        CHECK(second.peer_resumed);
        CHECK(second.server_resumed);
        CHECK_FALSE(equal_bytes(first.peer_result.keys.msk.view(), second.peer_result.keys.msk.view()));
        CHECK(second.requests < first.requests);
    }
}

// The method (and its engine) is gone after each authentication; the
// session it stored must stay for the next one.
TEST_CASE("EAP-TLS server session survives the end of a successful method") {
    for (tls::Version version : {tls::Version::kTls12, tls::Version::kTls13}) {
        CAPTURE(std::string(tls::version_name(version)));
        MapSessionStore store;
        Harness h;
        h.client.version = version;
        h.server_version = version;
        h.store = &store;
        check_success(h.run());
        CHECK(store.removes == 0);
        CHECK(store.size() >= 1);
        const Run second = h.run();
        check_success(second);
        CHECK(second.server_resumed);
    }
}

TEST_CASE("EAP-TLS resumption falls back to a full handshake when the server forgot the session") {
    MapSessionStore store;
    Harness h;
    h.store = &store;
    check_success(h.run());
    REQUIRE(h.saved_session.has_value());
    MapSessionStore empty;
    h.store = &empty;
    const Run r = h.run();
    check_success(r);
    CHECK_FALSE(r.peer_resumed);
    CHECK_FALSE(r.server_resumed);
}

// ---- the methods alone --------------------------------------------------------

TEST_CASE("EAP-TLS peer method: Start first, malformed input dropped, no early success") {
    auto ctx = client_context(ClientOptions{});
    PeerCredentials credentials;
    PeerEnvironment env;
    env.credentials = &credentials;
    env.tls = ctx.get();
    EapTlsPeer peer(env);
    CHECK(peer.state() == MethodState::kInit);
    CHECK_FALSE(peer.may_accept_success());
    CHECK_FALSE(peer.process(1, {}).ok());                       // no Flags
    CHECK_FALSE(peer.process(1, Bytes{0x00, 0x16, 0x03}).ok());  // data before Start
    CHECK(peer.state() == MethodState::kInit);
    auto hello = peer.process(1, build_tls_start(TlsFraming{}));
    REQUIRE(hello.ok());
    auto parsed = parse_tls_packet(*hello);
    REQUIRE(parsed.ok());
    CHECK(parsed->data.size() > 0);
    CHECK(parsed->data[0] == 0x16);  // a TLS handshake record
    CHECK(peer.state() == MethodState::kCont);
    CHECK(peer.decision() == Decision::kFail);
    CHECK_FALSE(peer.may_accept_success());
    CHECK_FALSE(peer.process(2, build_tls_start(TlsFraming{})).ok());  // a second Start
    CHECK_FALSE(peer.process(2, build_tls_ack(TlsFraming{})).ok());    // an ACK of nothing
    CHECK(peer.exchange_stats().dropped == 0 + 0);  // protocol drops above are the method's, not the framing's
    CHECK_FALSE(peer.key_available());
}

TEST_CASE("EAP-TLS peer method: garbage instead of a ServerHello fails with an alert") {
    auto ctx = client_context(ClientOptions{});
    PeerEnvironment env;
    env.tls = ctx.get();
    EapTlsPeer peer(env);
    REQUIRE(peer.process(1, build_tls_start(TlsFraming{})).ok());
    // A handshake record holding a ServerHello of length 0: a decode error.
    const Bytes garbage = {0x00, 0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00};
    auto response = peer.process(2, garbage);
    REQUIRE(response.ok());
    CHECK(peer.state() == MethodState::kDone);
    CHECK(peer.decision() == Decision::kFail);
    CHECK_FALSE(peer.failure_reason().empty());
    auto parsed = parse_tls_packet(*response);
    REQUIRE(parsed.ok());
    if (!parsed->data.empty()) CHECK(parsed->data[0] == 0x15);  // an alert record
    CHECK_FALSE(peer.process(3, build_tls_ack(TlsFraming{})).ok());
}

TEST_CASE("EAP-TLS factories decline without a TLS context") {
    CHECK(EapTlsPeer::create(PeerEnvironment{}) == nullptr);
    CHECK(EapTlsServer::create(ServerEnvironment{}) == nullptr);
}

TEST_CASE("EAP-TLS server method: Start first, then refuses Start and stray ACKs from the peer") {
    auto ctx = server_context(tls::Version::kTls13);
    ServerEnvironment env;
    env.tls = ctx.get();
    EapTlsServer server(env);
    CHECK_FALSE(server.process(build_tls_ack(TlsFraming{})).ok());  // before Start
    auto start = server.build_request(1);
    REQUIRE(start.ok());
    CHECK(*start == Bytes{kTlsFlagStart});
    CHECK_FALSE(server.process(build_tls_start(TlsFraming{})).ok());
    CHECK_FALSE(server.process(build_tls_ack(TlsFraming{})).ok());
    CHECK_FALSE(server.process({}).ok());
    CHECK_FALSE(server.is_done());
    // A ClientHello that is not TLS ends the method with a failure.
    CHECK(server.process(Bytes{0x00, 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00}).ok());
    if (!server.is_done()) {
        auto alert = server.build_request(2);
        REQUIRE(alert.ok());
        CHECK(server.process(build_tls_ack(TlsFraming{})).ok());
    }
    CHECK(server.is_done());
    CHECK_FALSE(server.is_success());
    CHECK_FALSE(server.failure_reason().empty());
    CHECK_FALSE(server.key_available());
}
