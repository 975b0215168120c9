// Session resumption through the owner's SessionStore (server) and a saved
// serialized session (client), for TLS 1.2 session ids and TLS 1.3
// stateful tickets.
#include <doctest/doctest.h>

#include <map>

#include "common/hex.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;
using lanyard::test::pki_path;

namespace {

// Debian's mbedTLS 2.28 has no usable TLS 1.3, and its servers always send
// a 32-byte session id (resumable or not), so its clients always hold a
// session to offer.
#ifdef LANYARD_TLS_mbedtls
constexpr bool kTls13Supported = false;
constexpr bool kServerWithoutStoreSendsNoSessionId = false;
#else
constexpr bool kTls13Supported = true;
constexpr bool kServerWithoutStoreSendsNoSessionId = true;
#endif

bool skip_tls13(Version v) {
    if (v != Version::kTls13 || kTls13Supported) return false;
    MESSAGE("skipped: no TLS 1.3 in the " << backend_name() << " backend");
    return true;
}

class MemoryStore final : public SessionStore {
public:
    void put(ByteView id, ByteView session) override {
        ++puts;
        sessions[Bytes(id.begin(), id.end())] = Bytes(session.begin(), session.end());
    }
    std::optional<Bytes> get(ByteView id) override {
        ++gets;
        auto it = sessions.find(Bytes(id.begin(), id.end()));
        if (it == sessions.end()) return std::nullopt;
        return it->second;
    }
    void remove(ByteView id) override {
        ++removes;
        sessions.erase(Bytes(id.begin(), id.end()));
    }

    std::map<Bytes, Bytes> sessions;
    int puts = 0;
    int gets = 0;
    int removes = 0;
};

Config client_config(Version v) {
    Config c;
    c.role = Role::kClient;
    c.ca_file = pki_path("ca.pem");
    c.domain_suffix_match = "lanyard.test";
    c.min_version = v;
    c.max_version = v;
    return c;
}

Config server_config(Version v, SessionStore* store, unsigned lifetime) {
    Config c;
    c.role = Role::kServer;
    c.ca_file = pki_path("ca.pem");
    c.cert_file = pki_path("server.pem");
    c.key_file = pki_path("server.key");
    c.min_version = v;
    c.max_version = v;
    c.session_store = store;
    c.session_lifetime_seconds = lifetime;
    return c;
}

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

struct Run {
    std::unique_ptr<Engine> client;
    std::unique_ptr<Engine> server;
};

// One handshake between engines of the given contexts, offering saved if set.
Run connect(Context& cctx, Context& sctx, const Bytes& saved) {
    Run r{cctx.new_engine(), sctx.new_engine()};
    REQUIRE(r.client);
    REQUIRE(r.server);
    if (!saved.empty()) REQUIRE(r.client->set_resumption_session(saved).ok());
    REQUIRE(r.client->start().ok());
    pump(*r.client, *r.server);
    REQUIRE(r.client->state() == HandshakeState::kEstablished);
    REQUIRE(r.server->state() == HandshakeState::kEstablished);
    return r;
}

std::string key_of(Engine& e) {
    auto k = e.version() == Version::kTls13
                 ? e.export_keying_material("EXPORTER_EAP_TLS_Key_Material", Bytes{0x0d}, true, 128)
                 : e.export_keying_material("client EAP encryption", ByteView(), false, 128);
    return k.ok() ? to_hex(k->view()) : "error: " + k.error().detail;
}

std::unique_ptr<Context> context(const Config& c) {
    auto ctx = make_context(c);
    if (!ctx.ok()) FAIL("make_context: " << ctx.error().to_string());
    return std::move(ctx).value();
}

}  // namespace

TEST_CASE("resumption through a SessionStore, TLS 1.2 and 1.3; removal forces a full handshake") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        MemoryStore store;
        auto cctx = context(client_config(v));
        auto sctx = context(server_config(v, &store, 3600));

        Bytes saved;
        std::string first_key;
        {
            Run first = connect(*cctx, *sctx, {});
            CHECK_FALSE(first.client->resumed());
            CHECK_FALSE(first.server->resumed());
            CHECK(store.puts >= 1);
            CHECK(store.sessions.count(first.server->session_id()) == 1);
            saved = first.client->serialized_session();
            REQUIRE_FALSE(saved.empty());
            first_key = key_of(*first.client);
        }
        // Engines are gone (EAP sends no close_notify): the session stays.
        CHECK(store.removes == 0);
        CHECK_FALSE(store.sessions.empty());

        Run second = connect(*cctx, *sctx, saved);
        CHECK(second.client->resumed());
        CHECK(second.server->resumed());
        CHECK(store.gets >= 1);
        CHECK(key_of(*second.client) == key_of(*second.server));
        CHECK(key_of(*second.client) != first_key);  // fresh randoms, fresh keys
        // A resumed handshake still knows who the server is.
        CHECK_FALSE(second.client->peer_certificates().empty());

        // The owner withdraws every session: the same offer now gets a full
        // handshake (and the server stores the new session).
        store.sessions.clear();
        const int puts_before = store.puts;
        Run third = connect(*cctx, *sctx, saved);
        CHECK_FALSE(third.client->resumed());
        CHECK_FALSE(third.server->resumed());
        CHECK(key_of(*third.client) == key_of(*third.server));
        CHECK(store.puts > puts_before);
    }
}

TEST_CASE("a server without a store or with lifetime 0 never resumes") {
    for (Version v : {Version::kTls12, Version::kTls13}) {
        CAPTURE(version_name(v));
        if (skip_tls13(v)) continue;
        MemoryStore store;
        auto cctx = context(client_config(v));
        for (unsigned lifetime : {0u, 3600u}) {
            auto sctx = context(server_config(v, lifetime == 0 ? &store : nullptr, lifetime));
            Run first = connect(*cctx, *sctx, {});
            const Bytes saved = first.client->serialized_session();
            // Nothing resumable was handed out (no session id, no ticket).
            if (kServerWithoutStoreSendsNoSessionId) CHECK(saved.empty());
            Run second = connect(*cctx, *sctx, saved);
            CHECK_FALSE(second.server->resumed());
        }
        CHECK(store.puts == 0);
        CHECK(store.gets == 0);
    }
}

TEST_CASE("a handshake that fails does not leave its session resumable") {
    MemoryStore store;
    Config cc = client_config(Version::kTls12);
    auto cctx = context(cc);
    auto sctx = context(server_config(Version::kTls12, &store, 3600));
    Bytes saved;
    {
        Run first = connect(*cctx, *sctx, {});
        saved = first.client->serialized_session();
    }
    REQUIRE(store.sessions.size() == 1);
    {
        // The client resumes, but the server's Finished never arrives intact.
        auto client = cctx->new_engine();
        auto server = sctx->new_engine();
        REQUIRE(client->set_resumption_session(saved).ok());
        REQUIRE(client->start().ok());
        REQUIRE(server->feed(client->take_output()).ok());
        Bytes flight = server->take_output();
        REQUIRE(flight.size() > 20);
        flight[flight.size() - 3] ^= 0x55;  // inside the encrypted Finished
        CHECK_FALSE(client->feed(flight).ok());
        CHECK(client->state() == HandshakeState::kFailed);
        CHECK_FALSE(server->feed(client->take_output()).ok());
        CHECK(server->state() == HandshakeState::kFailed);
    }
    CHECK(store.removes >= 1);
    CHECK(store.sessions.empty());
}

TEST_CASE("a resumed session is refused by a server with another store, and garbage sessions are rejected") {
    MemoryStore store_a;
    MemoryStore store_b;
    auto cctx = context(client_config(Version::kTls12));
    auto sctx_a = context(server_config(Version::kTls12, &store_a, 3600));
    auto sctx_b = context(server_config(Version::kTls12, &store_b, 3600));
    Run first = connect(*cctx, *sctx_a, {});
    const Bytes saved = first.client->serialized_session();
    REQUIRE_FALSE(saved.empty());
    Run other = connect(*cctx, *sctx_b, saved);
    CHECK_FALSE(other.server->resumed());

    auto e = cctx->new_engine();
    auto bad = e->set_resumption_session(Bytes{0x30, 0x03, 0x01, 0x02, 0x03});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::kMalformed);
}
