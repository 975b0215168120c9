// lanyard-authenticator's core over the memory driver pair with a FakeClock:
// an in-process supplicant (eapol::SupplicantPort driven by eap::EapPeer)
// on one end, authenticator::Authenticator on the other. EAP-MD5 and
// EAP-TLS success, failure and quietPeriod, reauthentication with TLS
// session resumption through the session cache, Logoff, the control-socket
// texts (STA, STA-FIRST/STA-NEXT, STATUS) and the station bound.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "authenticator/authenticator.h"
#include "authenticator/authenticator_ctrl.h"
#include "authenticator/sta_text.h"
#include "authenticator/tls_session_cache.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/memory/memory_driver.h"
#include "eapol/supplicant_port.h"
#include "methods/eap_peer.h"
#include "test_support.h"

using namespace lanyard;
using namespace lanyard::authenticator;
using lanyard::test::pki_path;

namespace {

const MacAddress kStaMac{MacAddress::Octets{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
const MacAddress kApMac{MacAddress::Octets{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}};
constexpr const char* kTlsIdentity = "user@lanyard.test";

// The supplicant's side of the eap_layer.h seam, for the test only.
class PeerAdapter final : public eapol::PaeEapPeer {
public:
    explicit PeerAdapter(eap::EapPeer& peer) : peer_(peer) {}
    void restart(TimePoint now) override { peer_.start(now); }
    eapol::EapPeerResult process(ByteView packet, TimePoint now) override { return convert(peer_.handle(packet, now)); }
    eapol::EapPeerResult on_timeout(TimePoint now) override { return convert(peer_.on_timeout(now)); }
    std::optional<TimePoint> next_timeout() const override { return peer_.next_timeout(); }
    const char* state_name() const override { return eap::peer_state_name(peer_.state()); }

private:
    static eapol::EapPeerResult convert(eap::PeerAction a) {
        switch (a.kind) {
            case eap::PeerActionKind::kNone: return eapol::EapPeerResult::no_response();
            case eap::PeerActionKind::kSend: return eapol::EapPeerResult::response(std::move(a.packet));
            case eap::PeerActionKind::kSuccess: return eapol::EapPeerResult::success(a.keys_available);
            case eap::PeerActionKind::kFailure: return eapol::EapPeerResult::failure();
        }
        return eapol::EapPeerResult::no_response();
    }
    eap::EapPeer& peer_;
};

// The supplicant station: its port, wired to endpoint a() of the link.
class Station final : private DriverListener, private eapol::PortSink {
public:
    Station(MemoryDriver& driver, FakeClock& clock, const eap::PeerEnvironment& env)
        : driver_(driver), clock_(clock), peer_(env), adapter_(peer_),
          port_(driver.own_address(), port_config(), adapter_, *this) {
        driver_.set_listener(this);
    }
    ~Station() override { driver_.set_listener(nullptr); }

    void start() { port_.set_port_enabled(true, clock_.now()); }
    void logoff() { port_.set_user_logoff(true, clock_.now()); }
    bool tick_if_due() {
        auto t = port_.next_timeout();
        if (!t || *t > clock_.now()) return false;
        port_.tick(clock_.now());
        return true;
    }
    eapol::SupplicantPort& port() { return port_; }
    eap::EapPeer& peer() { return peer_; }
    int successes = 0;

private:
    static eapol::SupplicantPortConfig port_config() {
        eapol::SupplicantPortConfig c;
        c.eapol_version = 2;
        return c;
    }
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        port_.receive(source, pdu, clock_.now());
    }
    void send_eapol(const MacAddress& peer, ByteView pdu) override { REQUIRE(driver_.send_eapol(peer, pdu).ok()); }
    void port_status_changed(const MacAddress&, eapol::PortStatus s) override {
        if (s == eapol::PortStatus::kAuthorized) ++successes;
    }

    MemoryDriver& driver_;
    FakeClock& clock_;
    eap::EapPeer peer_;
    PeerAdapter adapter_;
    eapol::SupplicantPort port_;
};

eap::UserRecord user(const std::string& identity, eap::Type method, const std::string& password = "") {
    eap::UserRecord r;
    r.identity = identity;
    r.methods = {method};
    if (!password.empty()) {
        r.password.assign(ByteView(reinterpret_cast<const uint8_t*>(password.data()), password.size()));
    }
    return r;
}

std::unique_ptr<tls::Context> context(tls::Config c) {
    auto ctx = tls::make_context(c);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
    return std::move(ctx).value();
}

struct Options {
    eap::Type method = eap::Type::kMd5Challenge;
    std::string identity = "md5user";
    std::string password = "md5-secret";
    unsigned reauth_period = 0;          // 0: off
    unsigned session_lifetime = 0;       // 0: no TLS resumption
    size_t max_stations = 16;
};

// Both ends on one EventLoop driven by a FakeClock.
struct Bench {
    explicit Bench(Options o) : options(std::move(o)), cache(clock, seconds(options.session_lifetime)) {
        auto l = EventLoop::create(clock);
        REQUIRE(l.ok());
        loop = std::move(*l);
        MemoryLink::Options lo;
        lo.address_a = kStaMac;
        lo.address_b = kApMac;
        link = std::make_unique<MemoryLink>(lo);
        link->attach(*loop);

        users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{
            user(kTlsIdentity, eap::Type::kTls), user("md5user", eap::Type::kMd5Challenge, "md5-secret")});
        tls::Config sc;
        sc.role = tls::Role::kServer;
        sc.ca_file = pki_path("ca.pem");
        sc.cert_file = pki_path("server.pem");
        sc.key_file = pki_path("server.key");
        sc.require_peer_certificate = true;
        sc.session_store = options.session_lifetime > 0 ? &cache : nullptr;
        sc.session_lifetime_seconds = options.session_lifetime;
        server_tls = context(sc);
        tls::Config cc;
        cc.role = tls::Role::kClient;
        cc.ca_file = pki_path("ca.pem");
        cc.cert_file = pki_path("client.pem");
        cc.key_file = pki_path("client.key");
        cc.domain_match = "server.lanyard.test";
        client_tls = context(cc);

        eap::ServerEnvironment senv;
        senv.users = users.get();
        senv.random = &random;
        senv.tls = server_tls.get();
        senv.fragment_size = 1398;
        senv.fragment_size_counts_header = true;
        AuthenticatorSettings settings;
        settings.port.eapol_version = 2;
        settings.port.reauth.reauth_enabled = options.reauth_period > 0;
        if (options.reauth_period > 0) settings.port.reauth.reauth_period = seconds(options.reauth_period);
        settings.max_stations = options.max_stations;
        auth = std::make_unique<Authenticator>(*loop, link->b(), senv, settings);
        auth->set_event_sink([this](const std::string& e) { events.push_back(e); });

        credentials.identity = options.identity;
        credentials.methods = {options.method};
        credentials.password.assign(
            ByteView(reinterpret_cast<const uint8_t*>(options.password.data()), options.password.size()));
        penv.credentials = &credentials;
        penv.random = &random;
        penv.tls = client_tls.get();
        penv.load_tls_session = [this]() -> std::optional<Bytes> {
            if (saved_session.empty()) return std::nullopt;
            return saved_session;
        };
        penv.save_tls_session = [this](ByteView s) { saved_session = Bytes(s.begin(), s.end()); };
        station = std::make_unique<Station>(link->a(), clock, penv);
    }
    ~Bench() {
        station.reset();
        auth.reset();
        link->detach();
    }

    // Runs both ends for `d` of fake time (bounded).
    void pump(Duration d) {
        const TimePoint end = clock.now() + d;
        for (int i = 0; i < 200000; ++i) {
            auto n = loop->run_once(Duration(0));
            REQUIRE(n.ok());
            const bool ticked = station->tick_if_due();
            if (*n == 0 && !ticked && link->pending() == 0) {
                if (clock.now() >= end) return;
                clock.advance(Duration(50));
            }
        }
        FAIL("pump did not settle");
    }
    bool saw(const std::string& e) const { return std::find(events.begin(), events.end(), e) != events.end(); }
    size_t count(const std::string& e) const { return std::count(events.begin(), events.end(), e); }

    Options options;
    FakeClock clock;
    FakeRandom random{11};
    TlsSessionCache cache;
    std::unique_ptr<EventLoop> loop;
    std::unique_ptr<MemoryLink> link;
    std::unique_ptr<eap::VectorUserDatabase> users;
    std::unique_ptr<tls::Context> server_tls, client_tls;
    std::unique_ptr<Authenticator> auth;
    eap::PeerCredentials credentials;
    eap::PeerEnvironment penv;
    Bytes saved_session;
    std::unique_ptr<Station> station;
    std::vector<std::string> events;
};

const std::string kSta = kStaMac.to_string();

}  // namespace

TEST_CASE("authenticator: EAP-MD5 over the memory pair authorizes the station") {
    Bench b(Options{});
    b.station->start();
    b.pump(seconds(2));
    REQUIRE(b.auth->find(kStaMac) != nullptr);
    const StationSession& s = *b.auth->find(kStaMac);
    CHECK(s.port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(b.link->b().port_state(kStaMac) == PortState::kAuthorized);
    CHECK(b.station->port().port_status() == eapol::PortStatus::kAuthorized);
    CHECK(b.saw("CTRL-EVENT-EAP-STARTED " + kSta));
    CHECK(b.saw("CTRL-EVENT-EAP-SUCCESS " + kSta));
    CHECK(b.saw("AP-STA-CONNECTED " + kSta));
    // hostapd's order: EAP-SUCCESS before AP-STA-CONNECTED.
    auto success = std::find(b.events.begin(), b.events.end(), "CTRL-EVENT-EAP-SUCCESS " + kSta);
    auto connected = std::find(b.events.begin(), b.events.end(), "AP-STA-CONNECTED " + kSta);
    CHECK(success < connected);
    REQUIRE(s.eap().last_outcome().has_value());
    CHECK(s.eap().last_outcome()->method == "MD5");
    CHECK(s.eap().last_outcome()->rounds == 2);  // Identity, MD5-Challenge
    CHECK_FALSE(s.eap().last_outcome()->resumed);
    // The first EAPOL-Start starts exactly one conversation.
    CHECK(s.port().counters().eapol_start_frames_rx == 1);
    CHECK(s.port().counters().eapol_req_id_frames_tx == 1);
    CHECK(b.count("CTRL-EVENT-EAP-STARTED " + kSta) == 1);
}

TEST_CASE("authenticator: a wrong MD5 password fails and the port is held for quietPeriod") {
    Options o;
    o.password = "wrong";
    Bench b(o);
    b.station->start();
    b.pump(seconds(2));
    REQUIRE(b.auth->find(kStaMac) != nullptr);
    CHECK(b.saw("CTRL-EVENT-EAP-FAILURE " + kSta));
    CHECK_FALSE(b.saw("AP-STA-CONNECTED " + kSta));
    CHECK(b.auth->find(kStaMac)->port().pae_state() == eapol::AuthenticatorPaeState::kHeld);
    CHECK(b.link->b().port_state(kStaMac) == PortState::kUnauthorized);
    CHECK(b.auth->stats().eap_failures == 1);
    // Still held 50 s later: no new EAP conversation.
    const size_t started = b.count("CTRL-EVENT-EAP-STARTED " + kSta);
    b.pump(seconds(50));
    CHECK(b.count("CTRL-EVENT-EAP-STARTED " + kSta) == started);
    CHECK(b.auth->find(kStaMac)->port().pae_state() == eapol::AuthenticatorPaeState::kHeld);
}

TEST_CASE("authenticator: an unknown user fails") {
    Options o;
    o.identity = "nobody";
    Bench b(o);
    b.station->start();
    b.pump(seconds(2));
    CHECK(b.saw("CTRL-EVENT-EAP-FAILURE " + kSta));
    CHECK(b.link->b().port_state(kStaMac) == PortState::kUnauthorized);
}

TEST_CASE("authenticator: EAP-TLS succeeds, and reauthentication resumes the TLS session") {
    Options o;
    o.method = eap::Type::kTls;
    o.identity = kTlsIdentity;
    o.reauth_period = 30;
    o.session_lifetime = 3600;
    Bench b(o);
    b.station->start();
    b.pump(seconds(2));
    REQUIRE(b.auth->find(kStaMac) != nullptr);
    const StationSession& s = *b.auth->find(kStaMac);
    CHECK(s.port().port_status() == eapol::PortStatus::kAuthorized);
    REQUIRE(s.eap().last_outcome().has_value());
    CHECK(s.eap().last_outcome()->method == "TLS");
    CHECK_FALSE(s.eap().last_outcome()->resumed);
    CHECK(s.eap().last_outcome()->rounds >= 3);
    CHECK(b.cache.size() == 1);
    CHECK(b.count("CTRL-EVENT-EAP-SUCCESS " + kSta) == 1);

    b.pump(seconds(31));  // reAuthPeriod expires
    CHECK(b.count("CTRL-EVENT-EAP-SUCCESS " + kSta) == 2);
    REQUIRE(s.eap().last_outcome().has_value());
    CHECK(s.eap().last_outcome()->resumed);
    CHECK(b.cache.stats().hits >= 1);
    // The port stayed open through the reauthentication: one CONNECTED.
    CHECK(b.count("AP-STA-CONNECTED " + kSta) == 1);
    CHECK_FALSE(b.saw("AP-STA-DISCONNECTED " + kSta));
}

TEST_CASE("authenticator: without tls_session_lifetime the reauthentication is a full handshake") {
    Options o;
    o.method = eap::Type::kTls;
    o.identity = kTlsIdentity;
    o.reauth_period = 30;
    Bench b(o);
    b.station->start();
    b.pump(seconds(33));
    const StationSession* s = b.auth->find(kStaMac);
    REQUIRE(s != nullptr);
    CHECK(b.count("CTRL-EVENT-EAP-SUCCESS " + kSta) == 2);
    REQUIRE(s->eap().last_outcome().has_value());
    CHECK_FALSE(s->eap().last_outcome()->resumed);
}

TEST_CASE("authenticator: EAPOL-Logoff closes the port") {
    Bench b(Options{});
    b.station->start();
    b.pump(seconds(2));
    REQUIRE(b.saw("AP-STA-CONNECTED " + kSta));
    b.station->logoff();
    b.pump(seconds(1));
    CHECK(b.saw("AP-STA-DISCONNECTED " + kSta));
    CHECK(b.link->b().port_state(kStaMac) == PortState::kUnauthorized);
}

TEST_CASE("authenticator: EAPOL_REAUTH and DEAUTHENTICATE through the control commands") {
    Bench b(Options{});
    b.station->start();
    b.pump(seconds(2));
    bool terminated = false;
    AuthenticatorCtrl ctrl(*b.auth, [&] { terminated = true; });
    CHECK(ctrl.eapol_reauth(kSta) == "OK\n");
    b.pump(seconds(1));
    CHECK(b.count("CTRL-EVENT-EAP-SUCCESS " + kSta) == 2);
    CHECK(ctrl.eapol_reauth("02:00:00:00:00:99") == "FAIL\n");
    CHECK(ctrl.eapol_reauth("garbage") == "FAIL\n");

    CHECK(ctrl.deauthenticate(kSta) == "OK\n");
    CHECK(b.saw("AP-STA-DISCONNECTED " + kSta));
    CHECK(b.auth->find(kStaMac) == nullptr);
    CHECK(b.link->b().port_state(kStaMac) == PortState::kUnauthorized);
    CHECK(ctrl.deauthenticate(kSta) == "FAIL\n");
    CHECK(ctrl.terminate() == "OK\n");
    CHECK(terminated);
}

TEST_CASE("authenticator: STA, STA-FIRST and STA-NEXT answer as hostapd does") {
    Bench b(Options{});
    AuthenticatorCtrl ctrl(*b.auth, nullptr);
    CHECK(ctrl.sta_first().empty());  // no station: an empty datagram
    b.station->start();
    b.pump(seconds(2));

    const std::string sta = ctrl.sta(kSta);
    CHECK(sta.rfind(kSta + "\nflags=[AUTHORIZED]\n", 0) == 0);
    CHECK(sta.find("dot1xPaePortProtocolVersion=2\n") != std::string::npos);
    CHECK(sta.find("dot1xAuthPaeState=5\n") != std::string::npos);          // AUTHENTICATED
    CHECK(sta.find("dot1xAuthAuthControlledPortStatus=1\n") != std::string::npos);
    CHECK(sta.find("dot1xAuthSessionUserName=md5user\n") != std::string::npos);
    CHECK(sta.find("last_eap_type_sta=4 (MD5)\n") != std::string::npos);
    CHECK(sta.find("last_eap_type_as=0 (unknown)\n") != std::string::npos);
    CHECK(sta.back() == '\n');
    CHECK(sta.size() < kCtrlMaxReply);

    CHECK(ctrl.sta_first() == sta);
    CHECK(ctrl.sta_next(kSta).empty());        // last station: empty datagram
    CHECK(ctrl.sta_next("") == "FAIL\n");      // what ends hostapd_cli all_sta
    CHECK(ctrl.sta_next("02:00:00:00:00:99") == "FAIL\n");
    CHECK(ctrl.sta("02:00:00:00:00:99") == "FAIL\n");
    CHECK(ctrl.sta("") == "FAIL\n");

    const std::string status = ctrl.status();
    CHECK(status.rfind("state=ENABLED\n", 0) == 0);
    CHECK(status.find("bss[0]=mem1\n") != std::string::npos);
    CHECK(status.find("bssid[0]=" + kApMac.to_string() + "\n") != std::string::npos);
    CHECK(status.find("num_sta[0]=1\n") != std::string::npos);
    CHECK(ctrl.mib().find("dot1xPaeSystemAuthControl=1\n") != std::string::npos);
}

TEST_CASE("authenticator: the station table is bounded; idle unauthorized stations make room") {
    Options o;
    o.max_stations = 2;
    Bench b(o);
    b.station->start();
    b.pump(seconds(2));  // the real station, authorized
    REQUIRE(b.auth->station_count() == 1);
    // Forged EAPOL-Starts from other addresses, sent from the station's end.
    const Bytes start = {0x02, 0x01, 0x00, 0x00};
    for (uint8_t i = 1; i <= 5; ++i) {
        MacAddress forged{MacAddress::Octets{0x02, 0x11, 0x00, 0x00, 0x00, i}};
        Bytes frame;
        // Ethernet header: destination (PAE group), source, EtherType 0x888e.
        frame.insert(frame.end(), kPaeGroupAddress.octets().begin(), kPaeGroupAddress.octets().end());
        frame.insert(frame.end(), forged.octets().begin(), forged.octets().end());
        frame.push_back(0x88);
        frame.push_back(0x8e);
        frame.insert(frame.end(), start.begin(), start.end());
        b.link->a().set_tx_filter([frame](Bytes& f) {
            f = frame;
            return FrameVerdict::kDeliver;
        });
        REQUIRE(b.link->a().send_eapol(kApMac, start).ok());
        b.link->a().set_tx_filter(nullptr);
        b.pump(Duration(100));
        CHECK(b.auth->station_count() <= 2);
    }
    CHECK(b.auth->station_count() == 2);
    CHECK(b.auth->find(kStaMac) != nullptr);  // the authorized one stays
    CHECK(b.auth->stats().stations_evicted == 4);
}
