// WiredSession end to end in-process: lanyard's supplicant session over the
// memory driver pair against an eapol::AuthenticatorPort backed by
// eap::EapAuthenticator, on an EventLoop driven by a FakeClock. EAP-MD5 and
// EAP-TLS (with resumption on reauthentication), failures, logoff,
// malformed frames, STATUS/MIB text and the wpa_supplicant events.
#include <doctest/doctest.h>

#include <map>

#include "common/ctrl_socket.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/memory/memory_driver.h"
#include "eapol/authenticator_port.h"
#include "methods/eap_authenticator.h"
#include "supplicant/supplicant_ctrl.h"
#include "supplicant/supplicant_status.h"
#include "supplicant/wired_session.h"
#include "supplicant/wpa_config.h"
#include "ctrl_test_support.h"
#include "test_support.h"

using namespace lanyard;
using namespace lanyard::supplicant;

namespace {

class RecordingEvents final : public SupplicantEvents {
public:
    void emit(const std::string& text) override {
        SupplicantEvents::emit(text);
        events.push_back(text);
    }
    size_t count(const std::string& prefix) const {
        size_t n = 0;
        for (const auto& e : events) n += e.rfind(prefix, 0) == 0 ? 1 : 0;
        return n;
    }
    std::vector<std::string> events;
};

class MapStore final : public tls::SessionStore {
public:
    void put(ByteView id, ByteView s) override { map_[Bytes(id.begin(), id.end())] = Bytes(s.begin(), s.end()); }
    std::optional<Bytes> get(ByteView id) override {
        auto it = map_.find(Bytes(id.begin(), id.end()));
        if (it == map_.end()) return std::nullopt;
        return it->second;
    }
    void remove(ByteView id) override { map_.erase(Bytes(id.begin(), id.end())); }

private:
    std::map<Bytes, Bytes> map_;
};

// The authenticator side: EapAuthenticator behind the PAE seam, an
// AuthenticatorPort, and the far end of the memory link.
class TestAuthenticator final : public eapol::PaeEapServer, public eapol::PortSink, public DriverListener {
public:
    TestAuthenticator(Driver& driver, const MacAddress& station, eap::ServerEnvironment env, FakeClock& clock)
        : driver_(driver), clock_(clock), eap_(std::move(env)), port_(station, eapol::AuthenticatorPortConfig{}, *this, *this) {
        driver_.set_listener(this);
        port_.initialize(clock_.now());
        port_.set_port_enabled(true, clock_.now());
    }
    ~TestAuthenticator() override { driver_.set_listener(nullptr); }

    eapol::EapServerResult restart(TimePoint now) override { return convert(eap_.start(now)); }
    eapol::EapServerResult process(ByteView r, TimePoint now) override { return convert(eap_.handle(r, now)); }
    eapol::EapServerResult on_timeout(TimePoint now) override { return convert(eap_.on_timeout(now)); }
    std::optional<TimePoint> next_timeout() const override { return eap_.next_timeout(); }
    const char* state_name() const override { return eap::auth_state_name(eap_.state()); }

    void send_eapol(const MacAddress& peer, ByteView pdu) override { (void)driver_.send_eapol(peer, pdu); }
    void port_status_changed(const MacAddress&, eapol::PortStatus s) override { status = s; }
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        port_.receive(source, pdu, clock_.now());
    }

    eapol::AuthenticatorPort& port() { return port_; }
    eapol::PortStatus status = eapol::PortStatus::kUnauthorized;

private:
    static eapol::EapServerResult convert(eap::AuthAction a) {
        switch (a.kind) {
            case eap::AuthActionKind::kNone: return eapol::EapServerResult::no_request();
            case eap::AuthActionKind::kSend: return eapol::EapServerResult::request(std::move(a.packet));
            case eap::AuthActionKind::kSuccess:
                return eapol::EapServerResult::success(std::move(a.packet), a.keys_available);
            case eap::AuthActionKind::kFailure: return eapol::EapServerResult::failure(std::move(a.packet));
            case eap::AuthActionKind::kTimeout: return eapol::EapServerResult::timeout();
        }
        return eapol::EapServerResult::no_request();
    }

    Driver& driver_;
    FakeClock& clock_;
    eap::EapAuthenticator eap_;
    eapol::AuthenticatorPort port_;
};

std::string tls_network() {
    return "ap_scan=0\neapol_version=2\nnetwork={\n key_mgmt=IEEE8021X\n eap=TLS\n identity=\"user@lanyard.test\"\n"
           " ca_cert=\"" + test::pki_path("ca.pem") + "\"\n client_cert=\"" + test::pki_path("client.pem") +
           "\"\n private_key=\"" + test::pki_path("client.key") + "\"\n domain_match=\"server.lanyard.test\"\n}\n";
}

std::string md5_network(const std::string& password) {
    return "ap_scan=0\nnetwork={\n key_mgmt=IEEE8021X\n eap=MD5\n identity=\"md5user\"\n password=\"" + password +
           "\"\n id_str=\"office\"\n}\n";
}

struct Harness {
    explicit Harness(const std::string& config_text, bool tls_server = false) {
        auto loaded = parse_wpa_config(config_text, "session.conf");
        REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().detail));
        config = loaded->config;
        REQUIRE(validate(config).ok());
        const NetworkBlock& network = config.networks[0];
        if (network.allows_tls_method()) {
            auto tc = tls_client_config(config, network);
            REQUIRE(tc.ok());
            auto ctx = tls::make_context(*tc);
            REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
            client_tls = std::move(*ctx);
        }
        if (tls_server) {
            tls::Config c;
            c.role = tls::Role::kServer;
            c.ca_file = test::pki_path("ca.pem");
            c.cert_file = test::pki_path("server.pem");
            c.key_file = test::pki_path("server.key");
            c.require_peer_certificate = true;
            c.max_version = tls::Version::kTls12;
            c.session_store = &store;
            c.session_lifetime_seconds = 300;
            auto ctx = tls::make_context(c);
            REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
            server_tls = std::move(*ctx);
        }
        eap::UserRecord tls_user;
        tls_user.identity = "user@lanyard.test";
        tls_user.methods = {eap::Type::kTls};
        eap::UserRecord md5_user;
        md5_user.identity = "md5user";
        md5_user.methods = {eap::Type::kMd5Challenge};
        const std::string pw = "md5-secret";
        md5_user.password = SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(pw.data()), pw.size()));
        users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{tls_user, md5_user});

        auto l = EventLoop::create(clock);
        REQUIRE(l.ok());
        loop = std::move(*l);
        link.attach(*loop);
        eap::ServerEnvironment env;
        env.users = users.get();
        env.random = &server_random;
        env.tls = server_tls.get();
        authenticator = std::make_unique<TestAuthenticator>(link.b(), link.a().own_address(), env, clock);
        SessionConfig sc;
        sc.id_str = network.id_str;
        sc.port.eapol_version = static_cast<uint8_t>(config.globals.eapol_version);
        session = std::make_unique<WiredSession>(*loop, link.a(), network.eap, client_tls.get(), cache,
                                                 client_random, events, sc);
    }
    ~Harness() {
        session.reset();
        authenticator.reset();
        link.detach();
    }

    // Runs the loop without sleeping until nothing is due (bounded).
    void settle() {
        for (int i = 0; i < 1000; ++i) {
            auto n = loop->run_once(Duration(0));
            REQUIRE(n.ok());
            if (*n == 0 && link.pending() == 0) return;
        }
        FAIL("loop did not settle");
    }

    FakeClock clock;
    WpaConfig config;
    MapStore store;
    std::unique_ptr<tls::Context> client_tls, server_tls;
    std::unique_ptr<eap::VectorUserDatabase> users;
    FakeRandom client_random{7}, server_random{9};
    TlsSessionCache cache;
    RecordingEvents events;
    std::unique_ptr<EventLoop> loop;
    MemoryLink link;
    std::unique_ptr<TestAuthenticator> authenticator;
    std::unique_ptr<WiredSession> session;
};

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("wired session: EAP-MD5 succeeds against an in-process authenticator, with wpa_supplicant's events") {
    Harness h(md5_network("md5-secret"));
    h.session->start();
    h.settle();
    CHECK(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(h.authenticator->status == eapol::PortStatus::kAuthorized);
    CHECK(h.session->wpa_state() == WpaState::kCompleted);
    const std::vector<std::string> expected = {
        "CTRL-EVENT-EAP-STARTED EAP authentication started",
        "CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=4",
        "CTRL-EVENT-EAP-METHOD EAP vendor 0 method 4 (MD5) selected",
        "CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully",
        "CTRL-EVENT-CONNECTED - Connection to 01:80:c2:00:00:03 completed [id=0 id_str=office]",
    };
    CHECK(h.events.events == expected);
    REQUIRE(h.session->last_timeline());
    CHECK(h.session->last_timeline()->success);
    // The in-process authenticator sends Request/Identity on its own and again
    // for our EAPOL-Start: Identity, Identity, MD5.
    CHECK(h.session->last_timeline()->rounds == 3);
    CHECK_FALSE(h.session->last_timeline()->resumed);

    const std::string st = status_text(*h.session, false);
    CHECK(st.rfind("bssid=01:80:c2:00:00:03\nfreq=0\nssid=\nid=0\nmode=station\nid_str=office\n", 0) == 0);
    CHECK(has_line(st, "key_mgmt=IEEE 802.1X (no WPA)"));
    CHECK(has_line(st, "wpa_state=COMPLETED"));
    CHECK(has_line(st, "address=" + h.link.a().own_address().to_string()));
    CHECK(has_line(st, "Supplicant PAE state=AUTHENTICATED"));
    CHECK(has_line(st, "suppPortStatus=Authorized"));
    CHECK(has_line(st, "EAP state=SUCCESS"));
    CHECK(has_line(st, "selectedMethod=4 (EAP-MD5)"));
    CHECK(st.find("tls_session_reused") == std::string::npos);
    // The order of the reference keys.
    CHECK(st.find("wpa_state=") < st.find("address="));
    CHECK(st.find("address=") < st.find("Supplicant PAE state="));
    CHECK(st.find("suppPortStatus=") < st.find("EAP state="));

    const std::string verbose = status_text(*h.session, true);
    CHECK(has_line(verbose, "heldPeriod=60"));
    CHECK(has_line(verbose, "authPeriod=30"));
    CHECK(has_line(verbose, "startPeriod=30"));
    CHECK(has_line(verbose, "maxStart=3"));
    CHECK(has_line(verbose, "portControl=Auto"));
    CHECK(has_line(verbose, "Supplicant Backend state=IDLE"));
    CHECK(has_line(verbose, "methodState=DONE"));
    CHECK(has_line(verbose, "ClientTimeout=60"));
    CHECK(has_line(verbose, "last_eap_rounds=3"));
    CHECK(verbose.find("suppPortStatus=") < verbose.find("heldPeriod="));

    const std::string mib = mib_text(*h.session);
    CHECK(mib.find("dot1xSuppEapolFramesRx=") != std::string::npos);
    CHECK(has_line(mib, "lanyardDriverDroppedTooShort=0"));
}

TEST_CASE("wired session: logoff closes the port on both sides, logon authenticates again") {
    Harness h(md5_network("md5-secret"));
    h.session->start();
    h.settle();
    REQUIRE(h.authenticator->status == eapol::PortStatus::kAuthorized);
    h.session->logoff();
    h.settle();
    CHECK(h.session->port().port_status() == eapol::PortStatus::kUnauthorized);
    CHECK(h.authenticator->status == eapol::PortStatus::kUnauthorized);
    CHECK(h.session->port().counters().eapol_logoff_frames_tx == 1);
    CHECK(h.session->wpa_state() == WpaState::kDisconnected);
    CHECK(has_line(status_text(*h.session, false), "Supplicant PAE state=LOGOFF"));

    h.session->logon();
    h.settle();
    CHECK(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(h.authenticator->status == eapol::PortStatus::kAuthorized);
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 2);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 2);
}

TEST_CASE("wired session: a wrong MD5 password fails and leaves the port unauthorized") {
    Harness h(md5_network("wrong"));
    h.session->start();
    h.settle();
    CHECK(h.session->port().port_status() == eapol::PortStatus::kUnauthorized);
    CHECK(h.authenticator->status == eapol::PortStatus::kUnauthorized);
    CHECK(h.events.count("CTRL-EVENT-EAP-FAILURE EAP authentication failed") == 1);
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 0);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 0);
    REQUIRE(h.session->last_timeline());
    CHECK_FALSE(h.session->last_timeline()->success);
    const std::string st = status_text(*h.session, false);
    CHECK(has_line(st, "suppPortStatus=Unauthorized"));
    CHECK(has_line(st, "EAP state=FAILURE"));
    CHECK(has_line(st, "wpa_state=ASSOCIATED"));
    CHECK(has_line(st, "Supplicant PAE state=HELD"));
}

TEST_CASE("wired session: EAP-TLS succeeds, and a reauthentication resumes the cached TLS session") {
    Harness h(tls_network(), true);
    h.session->start();
    h.settle();
    REQUIRE(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(h.authenticator->status == eapol::PortStatus::kAuthorized);
    CHECK(h.events.count("CTRL-EVENT-EAP-METHOD EAP vendor 0 method 13 (TLS) selected") == 1);
    REQUIRE(h.session->last_timeline());
    CHECK_FALSE(h.session->last_timeline()->resumed);
    CHECK(h.session->last_timeline()->rounds >= 4);
    CHECK(h.cache.size() == 1);
    std::string st = status_text(*h.session, false);
    CHECK(has_line(st, "selectedMethod=13 (EAP-TLS)"));
    CHECK(has_line(st, "tls_session_reused=0"));
    CHECK(st.find("\neap_session_id=0d") != std::string::npos);

    // hostapd_cli raw EAPOL_REAUTH: the authenticator restarts EAP.
    h.authenticator->port().reauthenticate(h.clock.now());
    h.settle();
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 2);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 1);  // still the same connection
    REQUIRE(h.session->last_timeline());
    CHECK(h.session->last_timeline()->resumed);
    CHECK(has_line(status_text(*h.session, false), "tls_session_reused=1"));
    CHECK(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
}

TEST_CASE("wired session: malformed frames are dropped and counted, authentication still completes") {
    Harness h(md5_network("md5-secret"));
    // An EAP-Packet whose body length runs past the frame, and one whose EAP
    // Length exceeds the body: both reach the port (the driver passes PDUs
    // with a valid EAPOL header) and must not disturb it.
    const Bytes bad_body = {0x02, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x40};
    const Bytes unknown_type = {0x02, 0x7f, 0x00, 0x00};
    h.session->start();
    (void)h.link.b().send_eapol(h.link.a().own_address(), bad_body);
    (void)h.link.b().send_eapol(h.link.a().own_address(), unknown_type);
    h.settle();
    const eapol::EapolCounters& c = h.session->port().counters();
    CHECK(c.eap_length_error_frames_rx + c.invalid_eapol_frames_rx + c.unsupported_eapol_frames_rx == 2);
    CHECK(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    const std::string verbose = status_text(*h.session, true);
    CHECK(verbose.find("eap_length_error_frames_rx=") != std::string::npos);
}

TEST_CASE("wired session: link down disables the port, link up authenticates again; stop() reports DISCONNECTED") {
    Harness h(md5_network("md5-secret"));
    h.session->start();
    h.settle();
    REQUIRE(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    h.link.a().set_link(LinkState::kDown);
    h.settle();
    CHECK(h.session->wpa_state() == WpaState::kDisconnected);
    CHECK(h.session->port().port_status() == eapol::PortStatus::kUnauthorized);
    h.link.a().set_link(LinkState::kUp);
    h.settle();
    CHECK(h.session->port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 2);

    h.session->stop(false);
    CHECK(h.events.events.back() == "CTRL-EVENT-DISCONNECTED bssid=01:80:c2:00:00:03 reason=3 locally_generated=1");
    CHECK(h.session->port().counters().eapol_logoff_frames_tx == 0);  // as wpa_supplicant on wired
}

TEST_CASE("wired session: EAPOL-Start is retried on the event loop's timers when nobody answers") {
    Harness h(md5_network("md5-secret"));
    h.link.b().set_listener(nullptr);  // the authenticator hears nothing
    h.session->start();
    h.settle();
    const uint64_t starts = h.session->port().counters().eapol_start_frames_tx;
    CHECK(starts == 1);
    h.clock.advance(seconds(31));  // startPeriod
    h.settle();
    CHECK(h.session->port().counters().eapol_start_frames_tx == 2);
}

TEST_CASE("supplicant control commands: STATUS, MIB, LOGOFF, LOGON, LIST_NETWORKS, TERMINATE") {
    Harness h(md5_network("md5-secret"));
    h.session->start();
    h.settle();
    test::TempDir tmp;
    auto server = CtrlSocketServer::open(CtrlSocketConfig{tmp.path(), std::nullopt}, "mem0");
    REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error().detail));
    bool terminated = false;
    register_supplicant_commands(**server, *h.session, h.config, [&] { terminated = true; });
    CtrlPeer peer;  // unnamed: dispatch() only computes the reply
    auto ask = [&](const std::string& cmd) {
        return (*server)->dispatch(ByteView(reinterpret_cast<const uint8_t*>(cmd.data()), cmd.size()), peer);
    };
    CHECK(ask("PING") == "PONG\n");
    CHECK(ask("STATUS") == status_text(*h.session, false));
    CHECK(has_line(ask("STATUS-VERBOSE"), "Supplicant Backend state=IDLE"));
    CHECK(ask("MIB").find("dot1xSuppPaeState=") != std::string::npos);
    CHECK(ask("STA-FIRST") == "FAIL\n");
    CHECK(ask("LIST_NETWORKS") == "network id / ssid / bssid / flags\n0\t\tany\t[CURRENT]\n");
    CHECK(ask("LOGOFF") == "OK\n");
    h.settle();
    CHECK(h.authenticator->status == eapol::PortStatus::kUnauthorized);
    CHECK(has_line(ask("STATUS"), "suppPortStatus=Unauthorized"));
    CHECK(ask("LOGON") == "OK\n");
    h.settle();
    CHECK(h.authenticator->status == eapol::PortStatus::kAuthorized);
    CHECK(ask("REASSOCIATE") == "OK\n");
    h.settle();
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 3);
    CHECK_FALSE(terminated);
    CHECK(ask("TERMINATE") == "OK\n");
    CHECK(terminated);
}
