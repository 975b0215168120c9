// RADIUS server workers (authenticator/radius_server_worker.h, issue 10):
// two workers on their own threads and loopback ports, one shared TLS
// session store. A conversation started on worker 0 and continued through
// worker 1 is handed back to worker 0 by its State; an EAP-TLS session
// established through worker 0 resumes through worker 1.
#include <doctest/doctest.h>

#include <poll.h>

#include "authenticator/radius_server_worker.h"
#include "authenticator/tls_session_cache.h"
#include "common/random.h"
#include "methods/eap_packet.h"
#include "methods/eap_peer.h"
#include "radius/message_authenticator.h"
#include "radius/request_builder.h"
#include "radius/response_classifier.h"
#include "test_support.h"

using namespace lanyard;
using namespace lanyard::authenticator;

namespace {

constexpr std::string_view kSecret = "worker-secret";

// A blocking NAS on one UDP socket.
UdpSocket loopback_socket() {
    auto sock = UdpSocket::bind(*SocketAddress::parse("127.0.0.1", 0));
    REQUIRE(sock.ok());
    UdpSocket out;
    out = std::move(sock.value());
    return out;
}

struct LoopbackNas {
    UdpSocket socket = loopback_socket();
    FakeRandom random{17};
    uint8_t next_id = 1;
    std::optional<Bytes> state;

    std::optional<radius::ResponseInfo> exchange(const SocketAddress& server, ByteView eap) {
        radius::AccessRequestParams p;
        p.identifier = next_id++;
        random.fill(p.request_authenticator);
        p.session.user_name = "user";
        p.state = state;
        p.eap_message = Bytes(eap.begin(), eap.end());
        auto wire = radius::encode_eap_access_request(p, as_bytes(kSecret));
        REQUIRE(wire.ok());
        REQUIRE(socket.send_to(server, *wire).ok());
        pollfd pfd{socket.fd(), POLLIN, 0};
        if (::poll(&pfd, 1, 5000) != 1) return std::nullopt;
        uint8_t buffer[4096];
        auto got = socket.receive(buffer, sizeof(buffer));
        REQUIRE(got.ok());
        REQUIRE(got->has_value());
        auto verified = radius::verify_response(ByteView(buffer, (*got)->size), p.request_authenticator,
                                                as_bytes(kSecret));
        REQUIRE(verified.ok());
        auto info = radius::classify_response(*verified, p.request_authenticator, as_bytes(kSecret));
        REQUIRE(info.ok());
        state = info->state;
        return std::move(*info);
    }
};

struct TwoWorkers {
    AuthenticatorSetup setup;
    radius::ClientTable clients = *radius::ClientTable::parse("127.0.0.1 worker-secret\n", "clients");
    std::unique_ptr<TlsSessionCache> cache;
    std::vector<std::unique_ptr<RadiusServerWorker>> workers;
    std::vector<RadiusServerWorker*> ptrs;
    std::vector<SocketAddress> addresses;

    explicit TwoWorkers(bool tls) {
        setup.config.driver = authenticator::Driver::kNone;
        setup.config.eap_server = true;
        if (tls) {
            setup.config.ca_cert = test::pki_path("ca.pem");
            setup.config.server_cert = test::pki_path("server.pem");
            setup.config.private_key = test::pki_path("server.key");
            setup.config.tls_session_lifetime = 300;
            setup.serves_tls = true;
        }
        eap::UserRecord md5;
        md5.identity = "alice";
        md5.methods = {eap::Type::kMd5Challenge};
        md5.password = SecretBytes(as_bytes("wonderland"));
        eap::UserRecord tls_user;
        tls_user.identity = "user@lanyard.test";
        tls_user.methods = {eap::Type::kTls};
        setup.users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{md5, tls_user});
        cache = std::make_unique<TlsSessionCache>(SystemClock::instance(), seconds(300));
        for (size_t i = 0; i < 2; ++i) {
            RadiusServerWorker::Shared shared;
            shared.setup = &setup;
            shared.clients = &clients;
            shared.store = tls ? cache.get() : nullptr;
            shared.random = &SystemRandom::instance();
            shared.local = *SocketAddress::parse("127.0.0.1", 0);  // each its own port here
            shared.worker_count = 2;
            auto w = RadiusServerWorker::create(i, shared);
            REQUIRE_MESSAGE(w.ok(), (w.ok() ? "" : w.error().to_string()));
            ptrs.push_back(w->get());
            workers.push_back(std::move(*w));
        }
        for (auto& w : workers) {
            addresses.push_back(*w->local_address());
            w->start(&ptrs);
        }
    }
    ~TwoWorkers() {
        for (auto& w : workers) w->stop_and_join();
    }
};

}  // namespace

TEST_CASE("RADIUS workers: a conversation continued through another worker is handed back by its State") {
    TwoWorkers server(false);
    eap::PeerCredentials credentials;
    credentials.identity = "alice";
    credentials.password = SecretBytes(as_bytes("wonderland"));
    credentials.methods = {eap::Type::kMd5Challenge};
    FakeRandom random(2);
    eap::PeerEnvironment env;
    env.credentials = &credentials;
    env.random = &random;
    eap::EapPeer peer(env);
    FakeClock clock;
    peer.start(clock.now());
    auto identity = peer.handle(*eap::build_identity_request(5), clock.now());

    LoopbackNas nas;
    auto challenge = nas.exchange(server.addresses[0], identity.packet);
    REQUIRE(challenge.has_value());
    REQUIRE(challenge->kind == radius::ResponseKind::kChallenge);
    CHECK((*challenge->state)[0] == 0);  // worker 0 holds it
    auto response = peer.handle(*challenge->eap, clock.now());
    auto accept = nas.exchange(server.addresses[1], response.packet);  // through worker 1
    REQUIRE(accept.has_value());
    CHECK(accept->kind == radius::ResponseKind::kAccept);
    for (auto& w : server.workers) w->stop_and_join();
    CHECK(server.workers[1]->handed_over() == 1);
    CHECK(server.workers[0]->received_from_peers() == 1);
    CHECK(server.workers[0]->stats().accepts == 1);
    CHECK(server.workers[1]->stats().requests == 0);
}

TEST_CASE("RADIUS workers: an EAP-TLS session from one worker resumes on the other (shared store)") {
    TwoWorkers server(true);
    tls::Config cc;
    cc.role = tls::Role::kClient;
    cc.ca_file = test::pki_path("ca.pem");
    cc.cert_file = test::pki_path("client.pem");
    cc.key_file = test::pki_path("client.key");
    cc.max_version = tls::Version::kTls12;
    auto client_tls = tls::make_context(cc);
    REQUIRE(client_tls.ok());
    eap::PeerCredentials credentials;
    credentials.identity = "user@lanyard.test";
    credentials.methods = {eap::Type::kTls};
    std::optional<Bytes> saved;
    FakeRandom random(4);
    eap::PeerEnvironment env;
    env.credentials = &credentials;
    env.random = &random;
    env.tls = client_tls->get();
    env.load_tls_session = [&] { return saved; };
    env.save_tls_session = [&](ByteView s) { saved = Bytes(s.begin(), s.end()); };
    FakeClock clock;

    auto authenticate = [&](const SocketAddress& where) {
        eap::EapPeer peer(env);
        peer.start(clock.now());
        LoopbackNas nas;
        auto action = peer.handle(*eap::build_identity_request(1), clock.now());
        for (int round = 0; round < 30; ++round) {
            REQUIRE(action.kind == eap::PeerActionKind::kSend);
            auto answer = nas.exchange(where, action.packet);
            REQUIRE(answer.has_value());
            action = peer.handle(*answer->eap, clock.now());
            if (answer->kind != radius::ResponseKind::kChallenge) break;
        }
        return action.kind == eap::PeerActionKind::kSuccess;
    };
    CHECK(authenticate(server.addresses[0]));
    REQUIRE(saved.has_value());
    CHECK(authenticate(server.addresses[1]));
    CHECK(server.cache->stats().hits >= 1);
    for (auto& w : server.workers) w->stop_and_join();
    CHECK(server.workers[0]->stats().accepts == 1);
    CHECK(server.workers[1]->stats().accepts == 1);
}
