// Heap held per concurrent TLS session, for whichever backend is built
// (issue 9 compares OpenSSL and mbedTLS): N server engines waiting for the
// client's second flight of an EAP-TLS handshake (client certificate
// required), then N established client/server pairs. The numbers are
// printed; the bounds only catch a runaway (or a broken measurement).
#include <doctest/doctest.h>
#include <malloc.h>

#include <vector>

#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;
using lanyard::test::pki_path;

namespace {

constexpr int kSessions = 32;

size_t heap_in_use() { return mallinfo2().uordblks; }

Config server_config() {
    Config c;
    c.role = Role::kServer;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("server.pem");
    c.key_file = pki_path("server.key");
    c.require_peer_certificate = true;
    c.max_version = Version::kTls12;
    return c;
}

Config client_config() {
    Config c;
    c.role = Role::kClient;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("client.pem");
    c.key_file = pki_path("client.key");
    c.max_version = Version::kTls12;
    return c;
}

std::unique_ptr<Context> context(const Config& c) {
    auto ctx = make_context(c);
    if (!ctx.ok()) FAIL("make_context: " << ctx.error().to_string());
    return std::move(ctx).value();
}

}  // namespace

TEST_CASE("heap per concurrent TLS 1.2 session (EAP-TLS, RSA-2048, client certificate)") {
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's allocator does not feed mallinfo2().
    MESSAGE("skipped: heap accounting is meaningless under AddressSanitizer");
    return;
#endif
    auto sctx = context(server_config());
    auto cctx = context(client_config());
    // One ClientHello serves every server engine.
    auto hello_client = cctx->new_engine();
    REQUIRE(hello_client->start().ok());
    const Bytes hello = hello_client->take_output();

    // Warm-up: first-use allocations (tables, error strings) are not per session.
    {
        auto warm = sctx->new_engine();
        REQUIRE(warm->feed(hello).ok());
    }

    std::vector<std::unique_ptr<Engine>> servers;
    const size_t before = heap_in_use();
    for (int i = 0; i < kSessions; ++i) {
        servers.push_back(sctx->new_engine());
        REQUIRE(servers.back()->feed(hello).ok());
        REQUIRE(servers.back()->has_output());
        (void)servers.back()->take_output();
    }
    const size_t mid = (heap_in_use() - before) / kSessions;
    servers.clear();

    std::vector<std::unique_ptr<Engine>> engines;
    const size_t before_pairs = heap_in_use();
    for (int i = 0; i < kSessions; ++i) {
        auto client = cctx->new_engine();
        auto server = sctx->new_engine();
        REQUIRE(client->start().ok());
        for (int round = 0; round < 10 && (client->has_output() || server->has_output()); ++round) {
            if (client->has_output()) (void)server->feed(client->take_output());
            if (server->has_output()) (void)client->feed(server->take_output());
        }
        REQUIRE(client->state() == HandshakeState::kEstablished);
        REQUIRE(server->state() == HandshakeState::kEstablished);
        engines.push_back(std::move(client));
        engines.push_back(std::move(server));
    }
    const size_t established = (heap_in_use() - before_pairs) / kSessions;
    MESSAGE(backend_name() << ": " << mid << " bytes per server engine mid-handshake, " << established
                           << " bytes per established client+server pair (" << kSessions << " sessions)");
    CHECK(mid > 1000);
    CHECK(mid < 1024 * 1024);
    CHECK(established > 1000);
    CHECK(established < 2 * 1024 * 1024);
}
