// lanyard-eapol-test's LoadRunner over loopback UDP against in-process
// RADIUS servers: retransmission of the same bytes (RFC 5080 §2.2.1),
// responses that fail verification dropped (RFC 3579 §3.2), give-up after
// the last attempt, round-robin over --servers.
#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "common/event_loop.h"
#include "common/udp_socket.h"
#include "eapol_test_mini_server.h"
#include "tools/eapol_test/load_runner.h"

using namespace lanyard;
using namespace lanyard::eapol_test;
using namespace lanyard::eapol_test_support;

namespace {

// One UDP RADIUS server on 127.0.0.1 driven by the test's event loop.
struct UdpServer {
    UdpSocket socket;
    SocketAddress address;
    MiniServer mini;
    unsigned drop_first = 0;       // requests ignored before answering
    std::vector<Bytes> received;   // every datagram, in order
    EventLoop* loop = nullptr;

    void start(EventLoop& l) {
        loop = &l;
        auto any = SocketAddress::parse("127.0.0.1", 0);
        REQUIRE(any.ok());
        auto s = UdpSocket::bind(*any);
        REQUIRE(s.ok());
        socket = std::move(*s);
        auto local = socket.local_address();
        REQUIRE(local.ok());
        address = *local;
        REQUIRE(l.add_fd(socket.fd(), FdWatch{[this] { on_readable(); }, {}}).ok());
    }
    void stop() {
        if (loop != nullptr) loop->remove_fd(socket.fd());
    }
    void on_readable() {
        uint8_t buf[4096];
        for (int i = 0; i < 64; ++i) {
            auto got = socket.receive(buf, sizeof buf);
            REQUIRE(got.ok());
            if (!*got) return;
            Bytes d(buf, buf + (*got)->size);
            received.push_back(d);
            if (received.size() <= drop_first) continue;
            Bytes answer = mini.answer(d, loop->clock().now());
            if (!answer.empty()) REQUIRE(socket.send_to((*got)->source, answer).ok());
        }
    }
};

struct RunnerFixture {
    FakeRandom random{5};
    eap::PeerCredentials credentials;
    eap::VectorUserDatabase users{{}};
    StationSettings settings;
    std::unique_ptr<EventLoop> loop;

    RunnerFixture() {
        credentials.identity = "md5user";
        credentials.password = SecretBytes(Bytes{'p', 'w'});
        credentials.methods = {eap::Type::kMd5Challenge};
        eap::UserRecord u;
        u.identity = "md5user";
        u.methods = {eap::Type::kMd5Challenge};
        u.password = SecretBytes(Bytes{'p', 'w'});
        users.add(u);
        settings.credentials = &credentials;
        settings.random = &random;
        settings.no_mppe_keys = true;
        auto l = EventLoop::create();
        REQUIRE(l.ok());
        loop = std::move(*l);
    }
    void attach(UdpServer& s) {
        s.mini.env.users = &users;
        s.mini.env.random = &random;
        s.start(*loop);
    }
    RunConfig config(std::vector<SocketAddress> servers, uint64_t total) {
        RunConfig c;
        c.servers = std::move(servers);
        c.secret = SecretBytes(secret());
        c.stations = 1;
        c.total = total;
        c.retransmit.initial_timeout = Duration(40);
        c.retransmit.max_timeout = Duration(80);
        c.retransmit.attempts_per_server = 3;
        c.retransmit.max_attempts = 3;
        c.auth_timeout = seconds(5);
        c.run_timeout = seconds(10);  // a broken runner fails the test instead of hanging
        return c;
    }
};

}  // namespace

TEST_CASE("eapol_test runner: a lost request is retransmitted byte for byte (RFC 5080 §2.2.1)") {
    RunnerFixture f;
    UdpServer server;
    f.attach(server);
    server.drop_first = 1;
    auto runner = LoadRunner::create(*f.loop, f.settings, f.config({server.address}, 1));
    REQUIRE(runner.ok());
    REQUIRE((*runner)->run().ok());
    const RunStats& s = (*runner)->stats();
    CHECK(s.accepted == 1);
    CHECK(s.retransmissions == 1);
    REQUIRE(server.received.size() == 3);  // lost, retransmitted, the MD5 response
    CHECK(server.received[0] == server.received[1]);
    CHECK(server.received[2][1] != server.received[0][1]);  // a new request, a new Identifier
    CHECK_FALSE((*runner)->run_timed_out());
    server.stop();
}

TEST_CASE("eapol_test runner: responses signed with another secret are dropped; the station gives up") {
    RunnerFixture f;
    UdpServer server;
    f.attach(server);
    server.mini.response_secret = "not-the-secret";
    auto runner = LoadRunner::create(*f.loop, f.settings, f.config({server.address}, 1));
    REQUIRE(runner.ok());
    REQUIRE((*runner)->run().ok());
    const RunStats& s = (*runner)->stats();
    CHECK(s.accepted == 0);
    CHECK(s.timed_out == 1);
    CHECK(s.mppe_mismatch == 1);
    CHECK(s.responses == 0);
    CHECK(server.received.size() == 3);  // max_attempts transmissions
    CHECK(s.dropped == 3);
    REQUIRE(s.drop_reasons.size() == 1);
    CHECK(s.drop_reasons.begin()->first.find("failed verification") == 0);
    server.stop();
}

TEST_CASE("eapol_test runner: successive authentications roam round-robin over the servers") {
    RunnerFixture f;
    UdpServer a, b;
    f.attach(a);
    f.attach(b);
    auto runner = LoadRunner::create(*f.loop, f.settings, f.config({a.address, b.address}, 4));
    REQUIRE(runner.ok());
    std::vector<size_t> order;
    (*runner)->set_observer([&order](const OutcomeEvent& e) { order.push_back(e.server); });
    REQUIRE((*runner)->run().ok());
    const RunStats& s = (*runner)->stats();
    CHECK(s.accepted == 4);
    CHECK(s.per_server == std::vector<uint64_t>{2, 2});
    CHECK(order == std::vector<size_t>{0, 1, 0, 1});
    CHECK(a.received.size() == 4);
    CHECK(b.received.size() == 4);
    a.stop();
    b.stop();
}

TEST_CASE("eapol_test runner: --warmup runs one untimed authentication per station before the measured ones") {
    RunnerFixture f;
    UdpServer server;
    f.attach(server);
    RunConfig c = f.config({server.address}, 1);
    c.stations = 1;
    c.warmup = true;  // one untimed authentication, then the measured one
    auto runner = LoadRunner::create(*f.loop, f.settings, std::move(c));
    REQUIRE(runner.ok());
    REQUIRE((*runner)->run().ok());
    CHECK((*runner)->stats().warmup_done == 1);
    CHECK((*runner)->stats().accepted == 1);
    CHECK((*runner)->stats().latency.size() == 1);
    server.stop();
}

TEST_CASE("eapol_test runner: configuration errors") {
    RunnerFixture f;
    CHECK_FALSE(LoadRunner::create(*f.loop, f.settings, f.config({}, 1)).ok());
    auto v4 = SocketAddress::parse("127.0.0.1", 1812);
    auto v6 = SocketAddress::parse("::1", 1812);
    REQUIRE(v4.ok());
    REQUIRE(v6.ok());
    CHECK_FALSE(LoadRunner::create(*f.loop, f.settings, f.config({*v4, *v6}, 1)).ok());
    RunConfig c = f.config({*v4}, 1);
    c.stations_per_socket = 0;
    CHECK_FALSE(LoadRunner::create(*f.loop, f.settings, std::move(c)).ok());
}
