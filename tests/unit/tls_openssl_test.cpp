// Client and server engines talking in memory: handshakes, key export,
// certificate and name policy, application data, malformed input.
#include <doctest/doctest.h>

#include <string>

#include "common/hex.h"
#include "common/random.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;
using lanyard::test::pki_path;

namespace {

// Failure texts that quote OpenSSL's own reason strings are checked only
// when this file is built against OpenSSL.
#ifdef LANYARD_TLS_openssl
constexpr bool kOpenssl = true;
#else
constexpr bool kOpenssl = false;
#endif

// Debian's mbedTLS 2.28 has no usable TLS 1.3: in that build the 1.3 cases
// are skipped with a message.
#ifdef LANYARD_TLS_mbedtls
constexpr bool kTls13Supported = false;
#else
constexpr bool kTls13Supported = true;
#endif

bool skip_tls13(Version v) {
    if (v != Version::kTls13 || kTls13Supported) return false;
    MESSAGE("skipped: no TLS 1.3 in the " << backend_name() << " backend");
    return true;
}

const char* kTls12Label = "client EAP encryption";             // RFC 5216 §2.3
const char* kTls13Label = "EXPORTER_EAP_TLS_Key_Material";     // RFC 9190 §2.3
const Bytes kTlsTypeCode = {0x0d};

Config client_config(Version v) {
    Config c;
    c.role = Role::kClient;
    c.ca_file = pki_path("ca.pem");
    c.min_version = v;
    c.max_version = v;
    return c;
}

Config server_config(Version v) {
    Config c;
    c.role = Role::kServer;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("server.pem");
    c.key_file = pki_path("server.key");
    c.min_version = v;
    c.max_version = v;
    return c;
}

std::unique_ptr<Context> context(const Config& c) {
    auto ctx = make_context(c);
    if (!ctx.ok()) FAIL("make_context: " << ctx.error().to_string());
    return std::move(ctx).value();
}

// Carries records both ways until neither side has anything to say.
void pump(Engine& client, Engine& server) {
    for (int round = 0; round < 20; ++round) {
        bool moved = false;
        if (client.has_output()) {
            (void)server.feed(client.take_output());
            moved = true;
        }
        if (server.has_output()) {
            (void)client.feed(server.take_output());
            moved = true;
        }
        if (!moved) return;
    }
    FAIL("records still flowing after 20 rounds");
}

struct Session {
    std::unique_ptr<Context> client_ctx;
    std::unique_ptr<Context> server_ctx;
    std::unique_ptr<Engine> client;
    std::unique_ptr<Engine> server;
};

Session handshake(const Config& cc, const Config& sc) {
    Session s;
    s.client_ctx = context(cc);
    s.server_ctx = context(sc);
    s.client = s.client_ctx->new_engine();
    s.server = s.server_ctx->new_engine();
    REQUIRE(s.client);
    REQUIRE(s.server);
    REQUIRE(s.client->start().ok());
    CHECK(s.client->has_output());  // the ClientHello
    CHECK(s.server->start().ok());
    CHECK_FALSE(s.server->has_output());
    pump(*s.client, *s.server);
    return s;
}

std::string exported(Engine& e, Version v) {
    auto key = v == Version::kTls13 ? e.export_keying_material(kTls13Label, kTlsTypeCode, true, 128)
                                    : e.export_keying_material(kTls12Label, ByteView(), false, 128);
    if (!key.ok()) return "error: " + key.error().detail;
    return to_hex(key->view());
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the backend names itself") {
    CHECK(backend_name().rfind(kOpenssl ? "openssl 3" : "mbedtls", 0) == 0);
}

TEST_CASE("TLS 1.2 handshake: both sides establish and export the same EAP-TLS key material") {
    auto s = handshake(client_config(Version::kTls12), server_config(Version::kTls12));
    REQUIRE(s.client->state() == HandshakeState::kEstablished);
    REQUIRE(s.server->state() == HandshakeState::kEstablished);
    CHECK(s.client->version() == Version::kTls12);
    CHECK(s.server->version() == Version::kTls12);
    CHECK_FALSE(s.client->resumed());
    CHECK_FALSE(s.client->cipher_name().empty());

    const std::string ck = exported(*s.client, Version::kTls12);
    CHECK(ck.size() == 256);
    CHECK(ck == exported(*s.server, Version::kTls12));

    // Both sides see the same randoms; PRF with client.random || server.random
    // is the RFC 5216 derivation that export_keying_material() gives.
    CHECK(s.client->client_random().size() == 32);
    CHECK(s.client->client_random() == s.server->client_random());
    CHECK(s.client->server_random() == s.server->server_random());
    const Bytes seed = concat(s.client->client_random(), s.client->server_random());
    auto p = s.server->prf(kTls12Label, seed, 128);
    REQUIRE(p.ok());
    CHECK(to_hex(p->view()) == ck);
    auto other = s.client->prf("client PEAP encryption", seed, 128);
    REQUIRE(other.ok());
    CHECK(to_hex(other->view()) != ck);

    const auto certs = s.client->peer_certificates();
    // Leaf first; OpenSSL may append the CA it finds in its own store.
    REQUIRE_FALSE(certs.empty());
    CHECK(contains(certs[0].subject, "CN=server.lanyard.test"));
    CHECK(contains(certs[0].issuer, "CN=Lanyard Test CA"));
    CHECK(certs[0].dns_names == std::vector<std::string>{"server.lanyard.test", "radius.lanyard.test"});
    CHECK(certs[0].der.size() > 500);
    CHECK(s.server->peer_certificates().empty());
}

TEST_CASE("TLS 1.3 handshake: RFC 9190 exporter agrees on both sides; the free-seed PRF is refused") {
    if (skip_tls13(Version::kTls13)) return;
    auto s = handshake(client_config(Version::kTls13), server_config(Version::kTls13));
    REQUIRE(s.client->state() == HandshakeState::kEstablished);
    REQUIRE(s.server->state() == HandshakeState::kEstablished);
    CHECK(s.client->version() == Version::kTls13);
    const std::string ck = exported(*s.client, Version::kTls13);
    CHECK(ck.size() == 256);
    CHECK(ck == exported(*s.server, Version::kTls13));
    CHECK(s.client->client_random() == s.server->client_random());
    auto p = s.client->prf(kTls12Label, Bytes(64, 1), 64);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::kUnsupported);
}

TEST_CASE("the version range is negotiated: a 1.2-1.3 client meets a 1.2-only server") {
    Config cc = client_config(Version::kTls12);
    cc.max_version = Version::kTls13;
    auto s = handshake(cc, server_config(Version::kTls12));
    REQUIRE(s.client->state() == HandshakeState::kEstablished);
    CHECK(s.client->version() == Version::kTls12);
}

TEST_CASE("ECDSA certificates and a server that sends its chain work too") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        Config sc = server_config(v);
        sc.cert_file = pki_path("ec-server.pem");
        sc.key_file = pki_path("ec-server.key");
        auto s = handshake(client_config(v), sc);
        CHECK(s.client->state() == HandshakeState::kEstablished);
        CHECK(exported(*s.client, v) == exported(*s.server, v));

        Config chained = server_config(v);
        chained.cert_file = pki_path("server-chain.pem");
        auto s2 = handshake(client_config(v), chained);
        CHECK(s2.client->state() == HandshakeState::kEstablished);
        CHECK(s2.client->peer_certificates().size() == 2);
    }
}

TEST_CASE("a server certificate from an untrusted CA fails on the client with the reason") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        Config sc = server_config(v);
        sc.cert_file = pki_path("other-server.pem");
        sc.key_file = pki_path("other-server.key");
        auto s = handshake(client_config(v), sc);
        CHECK(s.client->state() == HandshakeState::kFailed);
        CHECK(contains(s.client->failure(), "certificate verify failed"));
        if (kOpenssl) CHECK(contains(s.client->failure(), "unable to get local issuer certificate"));
        CHECK(s.server->state() == HandshakeState::kFailed);
        CHECK(contains(s.server->failure(), "received fatal alert"));
        CHECK_FALSE(s.client->export_keying_material(kTls12Label, ByteView(), false, 64).ok());
    }
}

TEST_CASE("extra_ca_files add trust anchors: the second CA file verifies a server the first does not") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        Config sc = server_config(v);
        sc.cert_file = pki_path("other-server.pem");
        sc.key_file = pki_path("other-server.key");
        Config cc = client_config(v);
        cc.extra_ca_files = {pki_path("other-ca.pem")};
        auto s = handshake(cc, sc);
        CHECK(s.client->state() == HandshakeState::kEstablished);
        CHECK(s.server->state() == HandshakeState::kEstablished);
        cc.extra_ca_files = {pki_path("missing-ca.pem")};
        auto bad = make_context(cc);
        REQUIRE_FALSE(bad.ok());
        CHECK(contains(bad.error().to_string(), "missing-ca.pem"));
    }
}

TEST_CASE("verify_peer=false accepts an unknown CA but still applies the name policy") {
    Config sc = server_config(Version::kTls12);
    sc.cert_file = pki_path("other-server.pem");
    sc.key_file = pki_path("other-server.key");
    Config cc = client_config(Version::kTls12);
    cc.verify_peer = false;
    cc.ca_file.clear();
    auto s = handshake(cc, sc);
    CHECK(s.client->state() == HandshakeState::kEstablished);

    cc.domain_match = "radius.lanyard.test";  // other-server only has server.lanyard.test
    auto s2 = handshake(cc, sc);
    CHECK(s2.client->state() == HandshakeState::kFailed);
    CHECK(contains(s2.client->failure(), "server name mismatch"));
}

TEST_CASE("domain_match is an exact match against a dNSName") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        Config cc = client_config(v);
        cc.domain_match = "radius.lanyard.test";
        CHECK(handshake(cc, server_config(v)).client->state() == HandshakeState::kEstablished);
        cc.domain_match = "nothing.test;server.lanyard.test";
        CHECK(handshake(cc, server_config(v)).client->state() == HandshakeState::kEstablished);

        cc.domain_match = "lanyard.test";
        auto s = handshake(cc, server_config(v));
        CHECK(s.client->state() == HandshakeState::kFailed);
        CHECK(s.client->failure().rfind("server name mismatch", 0) == 0);
        CHECK(s.server->state() == HandshakeState::kFailed);
    }
}

TEST_CASE("domain_suffix_match accepts the domain and refuses other domains and non-label suffixes") {
    Config cc = client_config(Version::kTls12);
    cc.domain_suffix_match = "lanyard.test";
    CHECK(handshake(cc, server_config(Version::kTls12)).client->state() == HandshakeState::kEstablished);
    cc.domain_suffix_match = "other.test;lanyard.test";
    CHECK(handshake(cc, server_config(Version::kTls12)).client->state() == HandshakeState::kEstablished);

    for (const char* bad : {"other.test", "nyard.test"}) {
        CAPTURE(bad);
        cc.domain_suffix_match = bad;
        auto s = handshake(cc, server_config(Version::kTls12));
        CHECK(s.client->state() == HandshakeState::kFailed);
        CHECK(contains(s.client->failure(), "server name mismatch"));
    }
}

TEST_CASE("an encrypted key loads with the right passphrase and fails clearly otherwise") {
    const Version v = kTls13Supported ? Version::kTls13 : Version::kTls12;
    Config sc = server_config(v);
    sc.key_file = pki_path("server-enc.key");
    sc.key_password = "server-pass";
    auto s = handshake(client_config(v), sc);
    CHECK(s.client->state() == HandshakeState::kEstablished);

    sc.key_password = "wrong";
    auto wrong = make_context(sc);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == ErrorCode::kConfig);
    CHECK(contains(wrong.error().detail, sc.key_file));
    CHECK(contains(wrong.error().detail, "passphrase"));

    sc.key_password.clear();
    auto none = make_context(sc);
    REQUIRE_FALSE(none.ok());
    CHECK(contains(none.error().detail, sc.key_file));
    CHECK(contains(none.error().detail, "no passphrase"));
}

TEST_CASE("every file error names the file") {
    Config cc = client_config(Version::kTls12);
    cc.ca_file = pki_path("missing-ca.pem");
    auto r = make_context(cc);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, cc.ca_file));
    CHECK(contains(r.error().detail, "No such file"));

    Config sc = server_config(Version::kTls12);
    sc.cert_file = pki_path("missing-server.pem");
    r = make_context(sc);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, sc.cert_file));

    sc = server_config(Version::kTls12);
    sc.key_file = pki_path("client.key");  // a key, but not the certificate's
    r = make_context(sc);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, "does not match"));
    CHECK(contains(r.error().detail, sc.key_file));

    sc = server_config(Version::kTls12);
    sc.cert_file = pki_path("server.key");  // not a certificate
    r = make_context(sc);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, sc.cert_file));
}

TEST_CASE("configurations that cannot work are refused up front") {
    Config cc = client_config(Version::kTls12);
    cc.ca_file.clear();
    CHECK(make_context(cc).error().code == ErrorCode::kConfig);  // verify_peer without trust anchors
    Config sc = server_config(Version::kTls12);
    sc.cert_file.clear();
    CHECK(make_context(sc).error().code == ErrorCode::kConfig);
    sc = server_config(Version::kTls13);
    sc.max_version = Version::kTls12;
    CHECK(make_context(sc).error().code == ErrorCode::kConfig);
    sc = server_config(Version::kTls12);
    sc.cipher_list = "NO-SUCH-CIPHER";
    CHECK(contains(make_context(sc).error().detail, "cipher_list"));
}

TEST_CASE("a server that requires a client certificate fails without one and succeeds with one") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        Config sc = server_config(v);
        sc.require_peer_certificate = true;
        auto s = handshake(client_config(v), sc);
        CHECK(s.server->state() == HandshakeState::kFailed);
        if (kOpenssl) CHECK(contains(s.server->failure(), "peer did not return a certificate"));
        CHECK(s.client->state() == HandshakeState::kFailed);
        const char* client_reason = v == Version::kTls13 ? "received fatal alert: certificate required"
                                                         : "received fatal alert: handshake failure";
        if (kOpenssl) CHECK(contains(s.client->failure(), client_reason));
        CHECK_FALSE(s.client->failure().empty());

        Config cc = client_config(v);
        cc.cert_file = pki_path("client.pem");
        cc.key_file = pki_path("client-enc.key");
        cc.key_password = "client-pass";
        auto ok = handshake(cc, sc);
        REQUIRE(ok.server->state() == HandshakeState::kEstablished);
        REQUIRE(ok.client->state() == HandshakeState::kEstablished);
        CHECK(exported(*ok.client, v) == exported(*ok.server, v));
        const auto certs = ok.server->peer_certificates();
        REQUIRE_FALSE(certs.empty());
        CHECK(contains(certs[0].subject, "CN=user@lanyard.test"));

        // A client certificate from a CA the server does not trust.
        Config untrusted = client_config(v);
        untrusted.cert_file = pki_path("other-server.pem");
        untrusted.key_file = pki_path("other-server.key");
        auto bad = handshake(untrusted, sc);
        CHECK(bad.server->state() == HandshakeState::kFailed);
        CHECK(contains(bad.server->failure(), "client certificate verify failed"));
    }
}

TEST_CASE("application data flows both ways through the tunnel") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        auto s = handshake(client_config(v), server_config(v));
        REQUIRE(s.client->state() == HandshakeState::kEstablished);
        CHECK(s.client->take_application_data().empty());

        REQUIRE(s.server->write_application_data(as_bytes("phase 2 request")).ok());
        REQUIRE(s.client->feed(s.server->take_output()).ok());
        CHECK(to_string(s.client->take_application_data()) == "phase 2 request");
        CHECK(s.client->take_application_data().empty());

        REQUIRE(s.client->write_application_data(as_bytes("phase 2 ")).ok());
        REQUIRE(s.client->write_application_data(as_bytes("response")).ok());
        REQUIRE(s.server->feed(s.client->take_output()).ok());
        CHECK(to_string(s.server->take_application_data()) == "phase 2 response");

        const Bytes big(40000, 0x5a);  // several records
        REQUIRE(s.client->write_application_data(big).ok());
        REQUIRE(s.server->feed(s.client->take_output()).ok());
        CHECK(s.server->take_application_data() == big);
    }
}

TEST_CASE("application data before the handshake is refused") {
    auto ctx = context(client_config(Version::kTls12));
    auto e = ctx->new_engine();
    REQUIRE(e->start().ok());
    CHECK_FALSE(e->write_application_data(as_bytes("too early")).ok());
    CHECK_FALSE(e->export_keying_material(kTls12Label, ByteView(), false, 64).ok());
    CHECK(e->serialized_session().empty());
    CHECK_FALSE(e->start().ok());  // only once
}

TEST_CASE("garbage input fails the engine with a reason and never crashes") {
    FakeRandom rng(7);
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        auto sctx = context(server_config(v));
        auto cctx = context(client_config(v));

        auto server = sctx->new_engine();
        CHECK_FALSE(server->feed(rng.bytes(300)).ok());
        CHECK(server->state() == HandshakeState::kFailed);
        CHECK_FALSE(server->failure().empty());
        CHECK_FALSE(server->feed(rng.bytes(10)).ok());  // stays failed

        // Something that looks like a handshake record, then is not.
        auto server2 = sctx->new_engine();
        Bytes rec = {0x16, 0x03, 0x01, 0x00, 0x40};
        const Bytes junk = rng.bytes(0x40);
        rec.insert(rec.end(), junk.begin(), junk.end());
        CHECK_FALSE(server2->feed(rec).ok());
        CHECK(server2->state() == HandshakeState::kFailed);

        auto client = cctx->new_engine();
        REQUIRE(client->start().ok());
        (void)client->take_output();
        CHECK_FALSE(client->feed(rng.bytes(100)).ok());
        CHECK(client->state() == HandshakeState::kFailed);

        // Garbage in an established tunnel.
        auto s = handshake(client_config(v), server_config(v));
        REQUIRE(s.server->state() == HandshakeState::kEstablished);
        Bytes app = {0x17, 0x03, 0x03, 0x00, 0x20};
        const Bytes junk2 = rng.bytes(0x20);
        app.insert(app.end(), junk2.begin(), junk2.end());
        CHECK_FALSE(s.server->feed(app).ok());
        CHECK(s.server->state() == HandshakeState::kFailed);
        CHECK(s.server->take_application_data().empty());

        // Random chunks of every size: no crash whatever the outcome.
        for (size_t n = 0; n < 64; ++n) {
            auto e = sctx->new_engine();
            (void)e->feed(rng.bytes(n * 7));
            (void)e->take_output();
        }
    }
}

TEST_CASE("a partial record is buffered until the rest arrives") {
    const Version v = kTls13Supported ? Version::kTls13 : Version::kTls12;
    auto cctx = context(client_config(v));
    auto sctx = context(server_config(v));
    auto client = cctx->new_engine();
    auto server = sctx->new_engine();
    REQUIRE(client->start().ok());
    const Bytes hello = client->take_output();
    REQUIRE(hello.size() > 10);
    for (size_t i = 0; i < hello.size(); i += 7) {
        const size_t n = std::min<size_t>(7, hello.size() - i);
        REQUIRE(server->feed(ByteView(hello).subspan(i, n)).ok());
        CHECK(server->state() == HandshakeState::kInProgress);
    }
    CHECK(server->has_output());  // the ServerHello flight
    pump(*client, *server);
    CHECK(client->state() == HandshakeState::kEstablished);
}

TEST_CASE("one server context serves EAP-TLS and PEAP: the client-certificate policy is per engine") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        auto server_ctx = context(server_config(v));  // ca_file set, no context-wide requirement
        auto client_ctx = context(client_config(v));  // no client certificate

        // PEAP-like engine: no certificate requested, the handshake completes.
        auto peap_server = server_ctx->new_engine(EngineOptions{false});
        auto peap_client = client_ctx->new_engine();
        REQUIRE(peap_server);
        REQUIRE(peap_client);
        REQUIRE(peap_client->start().ok());
        pump(*peap_client, *peap_server);
        CHECK(peap_server->state() == HandshakeState::kEstablished);
        CHECK(peap_server->peer_certificates().empty());

        // EAP-TLS engine from the same context: the certificate is required.
        auto tls_server = server_ctx->new_engine(EngineOptions{true});
        auto tls_client = client_ctx->new_engine();
        REQUIRE(tls_server);
        REQUIRE(tls_client);
        REQUIRE(tls_client->start().ok());
        pump(*tls_client, *tls_server);
        CHECK(tls_server->state() == HandshakeState::kFailed);
        CHECK(tls_client->state() == HandshakeState::kFailed);
    }
}

TEST_CASE("a server without ca_file cannot make an engine that requires a client certificate") {
    Config sc = server_config(Version::kTls12);
    sc.ca_file.clear();
    auto server_ctx = context(sc);
    CHECK(server_ctx->new_engine(EngineOptions{true}) == nullptr);
    CHECK(server_ctx->new_engine(EngineOptions{false}) != nullptr);
}
