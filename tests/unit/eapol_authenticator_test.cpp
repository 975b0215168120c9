// The authenticator side of IEEE 802.1X-2004 (§8.2.4 Authenticator PAE,
// §8.2.9 Backend Authentication, §8.2.8 Reauthentication Timer) through
// AuthenticatorPort, with a fake clock and a fake EAP server; and a
// supplicant and an authenticator port wired back to back.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "eapol/authenticator_port.h"
#include "eapol/supplicant_port.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

const MacAddress kStation(MacAddress::Octets{0x02, 0, 0, 0, 0, 0x01});
const MacAddress kOther(MacAddress::Octets{0x02, 0, 0, 0, 0, 0x02});
const MacAddress kAuthenticatorMac(MacAddress::Octets{0x02, 0, 0, 0, 0, 0xaa});

Bytes eap_packet(uint8_t code, uint8_t id, const Bytes& payload = {}) {
    ByteWriter w;
    w.u8(code).u8(id).u16(static_cast<uint16_t>(4 + payload.size())).bytes(payload);
    return w.take();
}
Bytes pdu(PacketType type, const Bytes& body = {}) { return build_eapol_pdu(kVersion2004, type, body).value(); }

// Request/Identity on restart, then one method Request, then Success or
// Failure; or holds its answer (a RADIUS server that does not answer).
class FakeEapServer final : public PaeEapServer {
public:
    EapServerResult restart(TimePoint) override {
        ++restarts;
        round = 0;
        id = static_cast<uint8_t>(id + 1);
        state = "IDENTITY";
        return EapServerResult::request(eap_packet(1, id, {1}));
    }
    EapServerResult process(ByteView response, TimePoint) override {
        responses.emplace_back(response.begin(), response.end());
        if (response.size() < 5 || response[1] != id) return EapServerResult::no_request();
        if (hold) return EapServerResult::pending();
        if (round++ == 0) {
            id = static_cast<uint8_t>(id + 1);
            state = "METHOD";
            return EapServerResult::request(eap_packet(1, id, {4, 0x10}));
        }
        if (accept) {
            state = "SUCCESS";
            return EapServerResult::success(eap_packet(3, id), true);
        }
        state = "FAILURE";
        return EapServerResult::failure(eap_packet(4, id));
    }
    EapServerResult on_timeout(TimePoint now) override {
        if (retransmissions_left == 0) {
            retransmit_at.reset();
            return EapServerResult::timeout();
        }
        --retransmissions_left;
        retransmit_at = now + seconds(3);
        return EapServerResult::request(eap_packet(1, id, {1}));
    }
    std::optional<TimePoint> next_timeout() const override { return retransmit_at; }
    void abort() override { ++aborts; }
    const char* state_name() const override { return state; }

    int restarts = 0;
    int aborts = 0;
    int round = 0;
    uint8_t id = 0;
    bool accept = true;
    bool hold = false;
    int retransmissions_left = 0;
    std::optional<TimePoint> retransmit_at;
    const char* state = "DISABLED";
    std::vector<Bytes> responses;
};

struct Sent {
    MacAddress to;
    PacketType type;
    Bytes body;
};

class RecordingSink final : public PortSink {
public:
    void send_eapol(const MacAddress& peer, ByteView pdu) override {
        auto parsed = parse_eapol_pdu(pdu);
        REQUIRE(parsed.ok());
        sent.push_back({peer, parsed->type, Bytes(parsed->body.begin(), parsed->body.end())});
    }
    void port_status_changed(const MacAddress& peer, PortStatus status) override {
        CHECK(peer == kStation);
        statuses.push_back(status);
    }
    void state_changed(const MacAddress&, const PaeStateChange& change) override {
        states.push_back(std::string(pae_machine_name(change.machine)) + ":" + change.to);
    }
    bool entered(const std::string& what) const {
        for (const std::string& s : states) {
            if (s == what) return true;
        }
        return false;
    }
    size_t eap_code_count(uint8_t code) const {
        size_t n = 0;
        for (const Sent& s : sent) n += (s.type == PacketType::kEapPacket && !s.body.empty() && s.body[0] == code);
        return n;
    }

    std::vector<Sent> sent;
    std::vector<PortStatus> statuses;
    std::vector<std::string> states;
};

struct Fixture {
    explicit Fixture(AuthenticatorPortConfig config = {}) : port(kStation, config, server, sink) {}
    void enable() { port.set_port_enabled(true, clock.now()); }
    void advance(Duration d) {
        clock.advance(d);
        port.tick(clock.now());
    }
    void rx(const Bytes& pdu) { port.receive(kStation, pdu, clock.now()); }
    // The supplicant's answer to the last Request sent.
    void answer() {
        REQUIRE(!sink.sent.empty());
        const Bytes& req = sink.sent.back().body;
        REQUIRE(req.size() >= 5);
        rx(pdu(PacketType::kEapPacket, eap_packet(2, req[1], {req[4], 'a'})));
    }
    void authenticate() {
        answer();  // Identity
        answer();  // method → Success
    }

    FakeClock clock;
    FakeEapServer server;
    RecordingSink sink;
    AuthenticatorPort port;
};

AuthenticatorPortConfig with_reauth(Duration period) {
    AuthenticatorPortConfig c;
    c.reauth.reauth_enabled = true;
    c.reauth.reauth_period = period;
    return c;
}

}  // namespace

TEST_CASE("authenticator port enabled by an EAPOL-Start goes AUTHENTICATING with a Request/Identity") {
    Fixture f;
    f.port.tick(f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kInitialize);
    CHECK(f.sink.sent.empty());
    // A daemon creates the port on the first frame and enables it.
    f.enable();
    f.rx(pdu(PacketType::kStart));
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.port.backend_state() == BackendAuthenticationState::kRequest);
    CHECK(f.port.counters().eapol_start_frames_rx == 1);
    REQUIRE(!f.sink.sent.empty());
    CHECK(f.sink.sent.back().to == kStation);
    CHECK(f.sink.sent.back().type == PacketType::kEapPacket);
    CHECK(f.sink.sent.back().body == eap_packet(1, f.server.id, {1}));
    CHECK(f.port.counters().eapol_req_id_frames_tx >= 1);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
}

TEST_CASE("authenticator authorizes after EAP-Success and sends it") {
    Fixture f;
    f.enable();
    f.authenticate();
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticated);
    CHECK(f.port.backend_state() == BackendAuthenticationState::kIdle);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.port.key_available());
    CHECK(f.sink.sent.back().body == eap_packet(3, f.server.id));
    CHECK(f.sink.statuses == std::vector<PortStatus>{PortStatus::kAuthorized});
    CHECK(f.port.counters().eapol_resp_id_frames_rx == 1);
    CHECK(f.port.counters().eapol_resp_frames_rx == 1);
    CHECK(f.port.counters().eapol_req_frames_tx == 1);
    CHECK(f.port.mib_text().find("dot1xAuthPaeState=5\n") != std::string::npos);
    CHECK(f.port.mib_text().find("dot1xAuthAuthControlledPortStatus=1\n") != std::string::npos);
    CHECK_FALSE(f.port.next_timeout().has_value());  // reauth is off by default
}

TEST_CASE("EAPOL-Start while AUTHENTICATED restarts the authentication, the port staying authorized") {
    Fixture f;
    f.enable();
    f.authenticate();
    const int restarts = f.server.restarts;
    f.rx(pdu(PacketType::kStart));
    CHECK(f.server.restarts == restarts + 1);
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    f.authenticate();
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticated);
    CHECK(f.sink.statuses.size() == 1);
}

TEST_CASE("failure holds the port for quietPeriod and EAPOL-Start cannot restart it sooner") {
    Fixture f;
    f.server.accept = false;
    f.enable();
    f.authenticate();
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kHeld);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.sent.back().body == eap_packet(4, f.server.id));
    const TimePoint failed_at = f.clock.now();
    CHECK(f.port.next_timeout() == failed_at + seconds(60));

    const size_t sent = f.sink.sent.size();
    f.advance(seconds(10));
    f.rx(pdu(PacketType::kStart));
    f.advance(seconds(49));
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kHeld);
    CHECK(f.sink.sent.size() == sent);
    CHECK(f.port.counters().eapol_start_frames_rx == 1);

    f.advance(seconds(1));
    CHECK(f.sink.entered("AUTH_PAE:RESTART"));
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.sink.sent.size() == sent + 1);
    CHECK(f.sink.sent.back().body == eap_packet(1, f.server.id, {1}));
}

TEST_CASE("EAPOL-Logoff unauthorizes an authenticated port") {
    Fixture f;
    f.enable();
    f.authenticate();
    f.rx(pdu(PacketType::kLogoff));
    CHECK(f.port.counters().eapol_logoff_frames_rx == 1);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.statuses == std::vector<PortStatus>{PortStatus::kAuthorized, PortStatus::kUnauthorized});
    CHECK(f.sink.entered("AUTH_PAE:DISCONNECTED"));
    // DISCONNECTED → RESTART → CONNECTING → a fresh Request/Identity.
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.sink.sent.back().body == eap_packet(1, f.server.id, {1}));
}

TEST_CASE("EAPOL-Logoff during authentication aborts it") {
    Fixture f;
    f.enable();
    f.answer();
    const int aborts = f.server.aborts;
    f.rx(pdu(PacketType::kLogoff));
    CHECK(f.sink.entered("AUTH_PAE:ABORTING"));
    CHECK(f.sink.entered("AUTH_PAE:DISCONNECTED"));
    CHECK(f.server.aborts == aborts + 1);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
}

TEST_CASE("reauthentication fires after reAuthPeriod and keeps the port authorized") {
    Fixture f(with_reauth(seconds(3600)));
    f.enable();
    f.authenticate();
    const TimePoint authorized_at = f.clock.now();
    CHECK(f.port.next_timeout() == authorized_at + seconds(3600));
    const int restarts = f.server.restarts;
    f.advance(seconds(3599));
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticated);
    f.advance(seconds(1));
    CHECK(f.sink.entered("REAUTH_TIMER:REAUTHENTICATE"));
    CHECK(f.server.restarts == restarts + 1);
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.sink.sent.back().body == eap_packet(1, f.server.id, {1}));
    f.authenticate();
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticated);
    CHECK(f.port.next_timeout() == f.clock.now() + seconds(3600));
    CHECK(f.sink.statuses.size() == 1);
}

TEST_CASE("management reauthenticate restarts an authenticated port") {
    Fixture f;
    f.enable();
    f.authenticate();
    f.port.reauthenticate(f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
}

TEST_CASE("serverTimeout aborts when the EAP server does not answer") {
    Fixture f;
    f.enable();
    f.server.hold = true;  // e.g. the RADIUS server is down
    f.answer();
    CHECK(f.port.backend_state() == BackendAuthenticationState::kResponse);
    CHECK(f.port.next_timeout() == f.clock.now() + seconds(30));
    f.advance(seconds(29));
    CHECK(f.port.backend_state() == BackendAuthenticationState::kResponse);
    const int restarts = f.server.restarts;
    f.advance(seconds(1));
    CHECK(f.sink.entered("BE_AUTH:TIMEOUT"));
    CHECK(f.sink.entered("AUTH_PAE:ABORTING"));
    CHECK(f.server.restarts == restarts + 1);
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.port.variables().reAuthCount == 2);
}

TEST_CASE("a late EAP server answer goes through eap_result") {
    Fixture f;
    f.enable();
    f.server.hold = true;
    f.answer();
    const size_t sent = f.sink.sent.size();
    f.port.eap_result(EapServerResult::request(eap_packet(1, 9, {4})), f.clock.now());
    CHECK(f.port.backend_state() == BackendAuthenticationState::kRequest);
    CHECK(f.sink.sent.size() == sent + 1);
    CHECK(f.sink.sent.back().body == eap_packet(1, 9, {4}));
}

TEST_CASE("supplicant timeout aborts when the supplicant does not answer") {
    Fixture f;
    f.enable();
    REQUIRE(f.port.backend_state() == BackendAuthenticationState::kRequest);
    CHECK(f.port.next_timeout() == f.clock.now() + seconds(30));
    f.sink.states.clear();
    f.advance(seconds(30));
    CHECK(f.sink.entered("BE_AUTH:TIMEOUT"));
    CHECK(f.sink.entered("AUTH_PAE:ABORTING"));
    CHECK(f.port.variables().reAuthCount == 2);
    CHECK_FALSE(f.sink.entered("AUTH_PAE:DISCONNECTED"));
    // reAuthCount passes reAuthMax (2): back to DISCONNECTED, then start over.
    f.advance(seconds(30));
    CHECK(f.sink.entered("AUTH_PAE:DISCONNECTED"));
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    CHECK(f.port.variables().reAuthCount == 1);
}

TEST_CASE("EAP retransmissions go out again; eapTimeout aborts") {
    Fixture f;
    f.server.retransmissions_left = 2;
    f.server.retransmit_at = f.clock.now() + seconds(3);
    f.enable();
    const size_t identity_requests = f.sink.eap_code_count(1);
    f.advance(seconds(3));
    f.advance(seconds(3));
    CHECK(f.sink.eap_code_count(1) == identity_requests + 2);
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
    f.advance(seconds(3));  // retransmissions exhausted → eapTimeout
    CHECK(f.sink.entered("BE_AUTH:TIMEOUT"));
    CHECK(f.sink.entered("AUTH_PAE:ABORTING"));
}

TEST_CASE("malformed or misdirected frames are counted and ignored without a state change") {
    Fixture f;
    f.enable();
    f.answer();
    const size_t sent = f.sink.sent.size();
    const auto pae = f.port.pae_state();
    const auto backend = f.port.backend_state();
    const size_t responses = f.server.responses.size();
    const std::vector<Bytes> junk = {
        {},
        {0x02, 0x00, 0x00},
        {0x02, 0x00, 0x00, 0x09, 0x02, 0x01},                     // body length beyond the frame
        {0x00, 0x01, 0x00, 0x00},                                 // version 0
        {0x02, 0x63, 0x00, 0x00},                                 // unknown type
        {0x02, 0x00, 0x00, 0x05, 0x02, 0x01, 0x00, 0x09, 0x01},  // EAP Length beyond body
        pdu(PacketType::kEapPacket, eap_packet(1, 1, {1})),    // a Request: not for an authenticator
        pdu(PacketType::kEapPacket, eap_packet(3, 1)),         // a Success
        {0x02, 0x03, 0x00, 0x01, 0x09},                           // EAPOL-Key with unknown descriptor
    };
    for (const Bytes& frame : junk) f.rx(frame);
    // A good Start from someone else.
    f.port.receive(kOther, pdu(PacketType::kStart), f.clock.now());
    CHECK(f.port.pae_state() == pae);
    CHECK(f.port.backend_state() == backend);
    CHECK(f.sink.sent.size() == sent);
    CHECK(f.server.responses.size() == responses);
    CHECK(f.port.counters().eap_length_error_frames_rx == 2);
    CHECK(f.port.counters().invalid_eapol_frames_rx == 8);
    CHECK(f.port.counters().eapol_start_frames_rx == 0);
    f.rx({0x03, 0x05, 0x00, 0x00});  // MKA
    f.rx({0x02, 0x04, 0x00, 0x00});  // ASF alert
    CHECK(f.port.counters().unsupported_eapol_frames_rx == 2);
    CHECK(f.port.pae_state() == pae);
    // A response with a wrong identifier is discarded by the server: IGNORE.
    f.rx(pdu(PacketType::kEapPacket, eap_packet(2, 0x77, {4, 1})));
    CHECK(f.port.backend_state() == BackendAuthenticationState::kIgnore);
    f.answer();
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticated);
}

TEST_CASE("forced port control sends canned EAP-Success / EAP-Failure") {
    Fixture f;
    f.enable();
    f.port.set_port_control(PortControl::kForceAuthorized, f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kForceAuth);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.sink.sent.back().body.size() == 4);
    CHECK(f.sink.sent.back().body[0] == 3);
    // Each EAPOL-Start gets another canned Success.
    f.rx(pdu(PacketType::kStart));
    CHECK(f.sink.eap_code_count(3) == 2);

    f.port.set_port_control(PortControl::kForceUnauthorized, f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kForceUnauth);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.sent.back().body[0] == 4);
    CHECK(std::string(authenticator_pae_state_name(f.port.pae_state())) == "FORCE_UNAUTH");

    f.port.set_port_control(PortControl::kAuto, f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kAuthenticating);
}

TEST_CASE("port disable unauthorizes") {
    Fixture f;
    f.enable();
    f.authenticate();
    f.port.set_port_enabled(false, f.clock.now());
    CHECK(f.port.pae_state() == AuthenticatorPaeState::kInitialize);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.statuses.back() == PortStatus::kUnauthorized);
}

TEST_CASE("authenticator state names and MIB values") {
    CHECK(std::string(authenticator_pae_state_name(AuthenticatorPaeState::kAborting)) == "ABORTING");
    CHECK(authenticator_pae_state_mib_value(AuthenticatorPaeState::kInitialize) == 1);
    CHECK(authenticator_pae_state_mib_value(AuthenticatorPaeState::kRestart) == 10);
    CHECK(std::string(backend_authentication_state_name(BackendAuthenticationState::kIgnore)) == "IGNORE");
    CHECK(backend_authentication_state_mib_value(BackendAuthenticationState::kIgnore) == 8);
    CHECK(std::string(reauth_timer_state_name(ReauthTimerState::kReauthenticate)) == "REAUTHENTICATE");
    CHECK(port_control_mib_value(PortControl::kAuto) == 2);
}

// ---- supplicant ↔ authenticator, back to back ----------------------------

namespace {

class EchoPeer final : public PaeEapPeer {
public:
    void restart(TimePoint) override { state = "IDLE"; }
    EapPeerResult process(ByteView packet, TimePoint) override {
        if (packet[0] == 1) return EapPeerResult::response(eap_packet(2, packet[1], {packet[4], 'a'}));
        if (packet[0] == 3) {
            state = "SUCCESS";
            return EapPeerResult::success(true);
        }
        state = "FAILURE";
        return EapPeerResult::failure();
    }
    EapPeerResult on_timeout(TimePoint) override { return EapPeerResult::pending(); }
    std::optional<TimePoint> next_timeout() const override { return std::nullopt; }
    const char* state_name() const override { return state; }
    const char* state = "DISABLED";
};

// Delivers each frame straight into the other port (re-entrantly).
class WireSink final : public PortSink {
public:
    WireSink(const MacAddress& self, FakeClock& clock) : self_(self), clock_(clock) {}
    void send_eapol(const MacAddress&, ByteView pdu) override {
        ++frames;
        if (to_supplicant) to_supplicant->receive(self_, pdu, clock_.now());
        if (to_authenticator) to_authenticator->receive(self_, pdu, clock_.now());
    }
    void port_status_changed(const MacAddress&, PortStatus s) override { status = s; }

    SupplicantPort* to_supplicant = nullptr;
    AuthenticatorPort* to_authenticator = nullptr;
    PortStatus status = PortStatus::kUnauthorized;
    int frames = 0;

private:
    MacAddress self_;
    FakeClock& clock_;
};

}  // namespace

TEST_CASE("supplicant and authenticator ports authenticate each other back to back") {
    FakeClock clock;
    FakeEapServer server;
    EchoPeer peer;
    WireSink auth_wire(kAuthenticatorMac, clock);
    WireSink supp_wire(kStation, clock);
    SupplicantPortConfig supp_config;
    supp_config.authenticator = kAuthenticatorMac;
    SupplicantPort supplicant(kStation, supp_config, peer, supp_wire);
    AuthenticatorPort authenticator(kStation, AuthenticatorPortConfig{}, server, auth_wire);
    auth_wire.to_supplicant = &supplicant;
    supp_wire.to_authenticator = &authenticator;

    authenticator.set_port_enabled(true, clock.now());
    supplicant.set_port_enabled(true, clock.now());
    CHECK(supplicant.pae_state() == SupplicantPaeState::kAuthenticated);
    CHECK(authenticator.pae_state() == AuthenticatorPaeState::kAuthenticated);
    CHECK(supp_wire.status == PortStatus::kAuthorized);
    CHECK(auth_wire.status == PortStatus::kAuthorized);
    CHECK(supplicant.status_text() ==
          "Supplicant PAE state=AUTHENTICATED\nsuppPortStatus=Authorized\nEAP state=SUCCESS\n");

    supplicant.set_user_logoff(true, clock.now());
    CHECK(supp_wire.status == PortStatus::kUnauthorized);
    CHECK(auth_wire.status == PortStatus::kUnauthorized);
    CHECK(supplicant.pae_state() == SupplicantPaeState::kLogoff);
    // The authenticator asks again; the logged-off supplicant stays quiet.
    CHECK(authenticator.pae_state() == AuthenticatorPaeState::kAuthenticating);
}
