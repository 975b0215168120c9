// What only the mbedTLS backend does: the TLS 1.2 cap, its cipher names,
// its failure texts (mbedtls_strerror, mbedtls_x509_crt_verify_info), and
// encrypted keys that mbedTLS 2.28 cannot decrypt by itself. The
// backend-neutral cases are in tls_openssl_test.cpp and tls_resumption_test.cpp.
#include <doctest/doctest.h>

#ifdef LANYARD_TLS_mbedtls

#include <string>

#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;
using lanyard::test::pki_path;

namespace {

Config client_config() {
    Config c;
    c.role = Role::kClient;
    c.ca_file = pki_path("ca.pem");
    c.max_version = Version::kTls12;
    return c;
}

Config server_config() {
    Config c;
    c.role = Role::kServer;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("server.pem");
    c.key_file = pki_path("server.key");
    c.max_version = Version::kTls12;
    return c;
}

struct Pair {
    std::unique_ptr<Context> cctx, sctx;
    std::unique_ptr<Engine> client, server;
};

Pair handshake(const Config& cc, const Config& sc) {
    Pair p;
    auto c = make_context(cc);
    auto s = make_context(sc);
    if (!c.ok()) FAIL("client make_context: " << c.error().to_string());
    if (!s.ok()) FAIL("server make_context: " << s.error().to_string());
    p.cctx = std::move(c).value();
    p.sctx = std::move(s).value();
    p.client = p.cctx->new_engine();
    p.server = p.sctx->new_engine();
    REQUIRE(p.client->start().ok());
    for (int round = 0; round < 20 && (p.client->has_output() || p.server->has_output()); ++round) {
        if (p.client->has_output()) (void)p.server->feed(p.client->take_output());
        if (p.server->has_output()) (void)p.client->feed(p.server->take_output());
    }
    return p;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("mbedTLS: the backend name carries the library version") {
    CHECK(backend_name().rfind("mbedtls 2.28.", 0) == 0);
}

TEST_CASE("mbedTLS: TLS 1.3 as the minimum is refused, as the maximum is capped to 1.2") {
    Config cc = client_config();
    cc.min_version = Version::kTls13;
    cc.max_version = Version::kTls13;
    auto r = make_context(cc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kUnsupported);
    CHECK(r.error().detail == "TLS 1.3 not supported by the mbedTLS backend (2.28)");

    cc = client_config();
    cc.max_version = Version::kTls13;
    Config sc = server_config();
    sc.max_version = Version::kTls13;
    auto p = handshake(cc, sc);
    REQUIRE(p.client->state() == HandshakeState::kEstablished);
    CHECK(p.client->version() == Version::kTls12);
    CHECK(p.server->version() == Version::kTls12);
}

TEST_CASE("mbedTLS: cipher_list takes mbedTLS suite names and refuses OpenSSL rule syntax") {
    Config sc = server_config();
    sc.cipher_list = "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256";
    auto p = handshake(client_config(), sc);
    REQUIRE(p.client->state() == HandshakeState::kEstablished);
    CHECK(p.client->cipher_name() == "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256");
    // A SHA-384 suite: the key export follows the suite's PRF hash.
    sc.cipher_list = "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384";
    auto p384 = handshake(client_config(), sc);
    REQUIRE(p384.client->state() == HandshakeState::kEstablished);
    auto ck = p384.client->export_keying_material("client EAP encryption", ByteView(), false, 64);
    auto sk = p384.server->export_keying_material("client EAP encryption", ByteView(), false, 64);
    REQUIRE(ck.ok());
    REQUIRE(sk.ok());
    CHECK(ck->view().size() == 64);
    CHECK(Bytes(ck->view().begin(), ck->view().end()) == Bytes(sk->view().begin(), sk->view().end()));

    sc.cipher_list = "HIGH:!aNULL";
    auto r = make_context(sc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConfig);
    CHECK(contains(r.error().detail, "cipher_list"));
    CHECK(contains(r.error().detail, "HIGH"));
}

TEST_CASE("mbedTLS: failure texts carry the verify flags and the alert received") {
    Config sc = server_config();
    sc.cert_file = pki_path("other-server.pem");
    sc.key_file = pki_path("other-server.key");
    auto p = handshake(client_config(), sc);
    REQUIRE(p.client->state() == HandshakeState::kFailed);
    CHECK(contains(p.client->failure(), "certificate verify failed: "));
    CHECK(contains(p.client->failure(), "not correctly signed by the trusted CA"));  // verify_info text
    CHECK(contains(p.client->failure(), "depth 0"));
    CHECK(p.server->failure() == "received fatal alert: unknown CA");

    // No client certificate for a server that requires one: mbedTLS sends
    // no alert by itself; the engine sends handshake_failure.
    Config req = server_config();
    req.require_peer_certificate = true;
    auto q = handshake(client_config(), req);
    REQUIRE(q.server->state() == HandshakeState::kFailed);
    CHECK(contains(q.server->failure(), "No client certification received"));  // mbedtls_strerror text
    CHECK(q.client->failure() == "received fatal alert: handshake failure");
}

TEST_CASE("mbedTLS: AES-encrypted PKCS#8 keys (OpenSSL 3's default) load through the libcrypto fallback") {
    // mbedTLS 2.28 decrypts PBES2 only with DES/3DES; the test PKI uses
    // AES-256-CBC. The right passphrase loads, a wrong one says so.
    Config sc = server_config();
    sc.key_file = pki_path("server-enc.key");
    sc.key_password = "server-pass";
    auto p = handshake(client_config(), sc);
    CHECK(p.server->state() == HandshakeState::kEstablished);
    sc.key_password = "not-it";
    auto r = make_context(sc);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, "wrong passphrase"));
    CHECK(contains(r.error().detail, sc.key_file));
}

TEST_CASE("mbedTLS: a saved session keeps the server certificate and names the same id") {
    auto p = handshake(client_config(), server_config());
    REQUIRE(p.client->state() == HandshakeState::kEstablished);
    CHECK(p.client->session_id().size() == 32);  // mbedTLS servers always send one
    CHECK(p.client->session_id() == p.server->session_id());
    const Bytes saved = p.client->serialized_session();
    REQUIRE_FALSE(saved.empty());
    // Truncated sessions are refused, never half-loaded.
    auto e = p.cctx->new_engine();
    for (size_t n : {size_t{0}, size_t{1}, saved.size() / 2, saved.size() - 1}) {
        CAPTURE(n);
        auto r = e->set_resumption_session(ByteView(saved).first(n));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kMalformed);
    }
    CHECK(e->set_resumption_session(saved).ok());
}

#endif  // LANYARD_TLS_mbedtls
