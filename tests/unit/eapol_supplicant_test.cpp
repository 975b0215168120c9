// The supplicant side of IEEE 802.1X-2004 (§8.2.11 Supplicant PAE, §8.2.12
// Supplicant Backend) through SupplicantPort, with a fake clock and a fake
// EAP peer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "eapol/eapol_key_frame.h"
#include "eapol/supplicant_port.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

const MacAddress kStation(MacAddress::Octets{0x02, 0, 0, 0, 0, 0x01});
const MacAddress kAuthenticator(MacAddress::Octets{0x02, 0, 0, 0, 0, 0xaa});

Bytes eap_packet(uint8_t code, uint8_t id, const Bytes& payload = {}) {
    ByteWriter w;
    w.u8(code).u8(id).u16(static_cast<uint16_t>(4 + payload.size())).bytes(payload);
    return w.take();
}
Bytes eapol_eap(const Bytes& eap, uint8_t version = kVersion2004) {
    return build_eapol_pdu(version, PacketType::kEapPacket, eap).value();
}

// Answers every Request with a Response of the same type, succeeds on
// EAP-Success, fails on EAP-Failure; or holds its answer (pending).
class FakeEapPeer final : public PaeEapPeer {
public:
    void restart(TimePoint) override {
        ++restarts;
        state = "IDLE";
    }
    EapPeerResult process(ByteView packet, TimePoint) override {
        received.emplace_back(packet.begin(), packet.end());
        if (packet.size() < 4) return EapPeerResult::no_response();
        switch (packet[0]) {
            case 1: {
                if (hold) return EapPeerResult::pending();
                const uint8_t type = packet.size() > 4 ? packet[4] : 1;
                return EapPeerResult::response(eap_packet(2, packet[1], {type, 'o', 'k'}));
            }
            case 3: state = "SUCCESS"; return EapPeerResult::success(true);
            case 4: state = "FAILURE"; return EapPeerResult::failure();
            default: return EapPeerResult::no_response();
        }
    }
    EapPeerResult on_timeout(TimePoint) override {
        idle_deadline.reset();
        state = "FAILURE";
        return EapPeerResult::failure();
    }
    std::optional<TimePoint> next_timeout() const override { return idle_deadline; }
    void abort() override { ++aborts; }
    const char* state_name() const override { return state; }

    int restarts = 0;
    int aborts = 0;
    bool hold = false;
    const char* state = "DISABLED";
    std::optional<TimePoint> idle_deadline;
    std::vector<Bytes> received;
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
    void port_status_changed(const MacAddress&, PortStatus status) override { statuses.push_back(status); }
    void state_changed(const MacAddress&, const PaeStateChange& change) override {
        states.push_back(std::string(pae_machine_name(change.machine)) + ":" + change.to);
    }
    size_t count(PacketType type) const {
        size_t n = 0;
        for (const Sent& s : sent) n += s.type == type ? 1 : 0;
        return n;
    }
    bool entered(const std::string& what) const {
        for (const std::string& s : states) {
            if (s == what) return true;
        }
        return false;
    }

    std::vector<Sent> sent;
    std::vector<PortStatus> statuses;
    std::vector<std::string> states;
};

struct Fixture {
    explicit Fixture(SupplicantPortConfig config = default_config()) : port(kStation, config, peer, sink) {}
    static SupplicantPortConfig default_config() {
        SupplicantPortConfig c;
        c.authenticator = kAuthenticator;
        return c;
    }
    void enable() { port.set_port_enabled(true, clock.now()); }
    void advance(Duration d) {
        clock.advance(d);
        port.tick(clock.now());
    }
    void rx(const Bytes& pdu) { port.receive(kAuthenticator, pdu, clock.now()); }
    // Request/Identity, one method round, then Success.
    void authenticate() {
        rx(eapol_eap(eap_packet(1, 1, {1})));
        rx(eapol_eap(eap_packet(1, 2, {4, 1, 2})));
        rx(eapol_eap(eap_packet(3, 2)));
    }

    FakeClock clock;
    FakeEapPeer peer;
    RecordingSink sink;
    SupplicantPort port;
};

}  // namespace

TEST_CASE("supplicant stays DISCONNECTED and silent while the port is disabled") {
    Fixture f;
    f.port.tick(f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kDisconnected);
    CHECK(f.sink.sent.empty());
    CHECK_FALSE(f.port.next_timeout().has_value());
}

TEST_CASE("supplicant sends EAPOL-Start, retries every startPeriod up to maxStart, then takes the port as authorized") {
    Fixture f;
    const TimePoint t0 = f.clock.now();
    f.enable();
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    REQUIRE(f.sink.sent.size() == 1);
    CHECK(f.sink.sent[0].type == PacketType::kStart);
    CHECK(f.sink.sent[0].to == kAuthenticator);
    CHECK(f.port.next_timeout() == t0 + seconds(30));

    f.advance(seconds(29));
    CHECK(f.sink.count(PacketType::kStart) == 1);
    f.advance(seconds(1));
    CHECK(f.sink.count(PacketType::kStart) == 2);
    f.advance(seconds(30));
    CHECK(f.sink.count(PacketType::kStart) == 3);
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);

    // §8.2.11: after maxStart unanswered Starts the authenticator is taken to
    // be 802.1X-unaware: AUTHENTICATED, and the port is opened.
    f.advance(seconds(30));
    CHECK(f.sink.count(PacketType::kStart) == 3);
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticated);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.sink.statuses == std::vector<PortStatus>{PortStatus::kAuthorized});
    CHECK(f.port.counters().eapol_start_frames_tx == 3);
    CHECK(f.port.counters().eapol_frames_tx == 3);
    CHECK_FALSE(f.port.next_timeout().has_value());
}

TEST_CASE("supplicant with an invalid port goes HELD instead after maxStart") {
    Fixture f;
    f.port.set_port_valid(false, f.clock.now());
    f.enable();
    for (int i = 0; i < 3; ++i) f.advance(seconds(30));
    CHECK(f.port.pae_state() == SupplicantPaeState::kHeld);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
}

TEST_CASE("supplicant answers requests and is authorized on EAP-Success") {
    Fixture f;
    f.enable();
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    CHECK(f.port.backend_state() == SupplicantBackendState::kReceive);
    CHECK(f.peer.restarts == 1);
    REQUIRE(f.sink.count(PacketType::kEapPacket) == 1);
    CHECK(f.sink.sent.back().body == eap_packet(2, 1, {1, 'o', 'k'}));
    CHECK(f.sink.sent.back().to == kAuthenticator);

    f.rx(eapol_eap(eap_packet(1, 2, {4, 1, 2})));
    CHECK(f.sink.count(PacketType::kEapPacket) == 2);
    f.rx(eapol_eap(eap_packet(3, 2)));
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticated);
    CHECK(f.port.backend_state() == SupplicantBackendState::kIdle);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.port.key_available());
    CHECK(f.sink.count(PacketType::kEapPacket) == 2);  // nothing answers a Success
    CHECK(f.sink.statuses == std::vector<PortStatus>{PortStatus::kAuthorized});
    CHECK(f.sink.entered("SUPP_PAE:RESTART"));
    CHECK(f.sink.entered("SUPP_BE:SUCCESS"));
    CHECK(f.port.status_text() ==
          "Supplicant PAE state=AUTHENTICATED\nsuppPortStatus=Authorized\nEAP state=SUCCESS\n");
    CHECK(f.port.counters().eapol_req_id_frames_rx == 1);
    CHECK(f.port.counters().eapol_req_frames_rx == 1);
    CHECK(f.port.counters().eapol_resp_frames_tx == 2);
    CHECK(f.port.counters().last_eapol_frame_source == kAuthenticator);
    CHECK(f.port.counters().last_eapol_frame_version == kVersion2004);
    CHECK(f.port.mib_text().find("dot1xSuppPaeState=5\n") != std::string::npos);
    CHECK(f.port.mib_text().find("dot1xSuppBackendPaeState=2\n") != std::string::npos);
    // No timer runs once authenticated.
    CHECK_FALSE(f.port.next_timeout().has_value());
}

TEST_CASE("supplicant re-authenticates when the authenticator restarts EAP, staying authorized") {
    Fixture f;
    f.enable();
    f.authenticate();
    REQUIRE(f.port.pae_state() == SupplicantPaeState::kAuthenticated);
    f.rx(eapol_eap(eap_packet(1, 7, {1})));
    CHECK(f.peer.restarts == 2);
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.sink.sent.back().body == eap_packet(2, 7, {1, 'o', 'k'}));
    f.rx(eapol_eap(eap_packet(3, 7)));
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticated);
    CHECK(f.sink.statuses.size() == 1);
}

TEST_CASE("supplicant holds heldPeriod after EAP-Failure, then starts again") {
    Fixture f;
    f.enable();
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    const TimePoint failed_at = f.clock.now();
    f.rx(eapol_eap(eap_packet(4, 1)));
    CHECK(f.port.pae_state() == SupplicantPaeState::kHeld);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.port.next_timeout() == failed_at + seconds(60));
    const size_t starts = f.sink.count(PacketType::kStart);
    f.advance(seconds(59));
    CHECK(f.port.pae_state() == SupplicantPaeState::kHeld);
    CHECK(f.sink.count(PacketType::kStart) == starts);
    f.advance(seconds(1));
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.sink.count(PacketType::kStart) == starts + 1);
}

TEST_CASE("a Request while HELD restarts the authentication at once") {
    Fixture f;
    f.enable();
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    f.rx(eapol_eap(eap_packet(4, 1)));
    REQUIRE(f.port.pae_state() == SupplicantPaeState::kHeld);
    f.advance(seconds(5));
    f.rx(eapol_eap(eap_packet(1, 2, {1})));
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    CHECK(f.sink.sent.back().body == eap_packet(2, 2, {1, 'o', 'k'}));
}

TEST_CASE("supplicant backend times out after authPeriod without a Request and starts over") {
    Fixture f;
    f.enable();
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    REQUIRE(f.port.backend_state() == SupplicantBackendState::kReceive);
    const size_t starts = f.sink.count(PacketType::kStart);
    f.advance(seconds(29));
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    f.advance(seconds(1));
    CHECK(f.sink.entered("SUPP_BE:TIMEOUT"));
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.sink.count(PacketType::kStart) == starts + 1);
}

TEST_CASE("the EAP peer's own timeout fails the authentication") {
    Fixture f;
    f.enable();
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    f.peer.idle_deadline = f.clock.now() + seconds(10);
    CHECK(f.port.next_timeout() == f.clock.now() + seconds(10));
    f.advance(seconds(10));
    CHECK(f.port.pae_state() == SupplicantPaeState::kHeld);
}

TEST_CASE("an EAP answer that comes later is taken through eap_result") {
    Fixture f;
    f.enable();
    f.peer.hold = true;
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    CHECK(f.port.backend_state() == SupplicantBackendState::kRequest);
    CHECK(f.sink.count(PacketType::kEapPacket) == 0);
    f.port.eap_result(EapPeerResult::response(eap_packet(2, 1, {1, 'x'})), f.clock.now());
    CHECK(f.port.backend_state() == SupplicantBackendState::kReceive);
    CHECK(f.sink.sent.back().body == eap_packet(2, 1, {1, 'x'}));
}

TEST_CASE("user logoff sends EAPOL-Logoff and unauthorizes; clearing it starts again") {
    Fixture f;
    f.enable();
    f.authenticate();
    REQUIRE(f.port.port_status() == PortStatus::kAuthorized);
    f.port.set_user_logoff(true, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kLogoff);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.sent.back().type == PacketType::kLogoff);
    CHECK(f.port.counters().eapol_logoff_frames_tx == 1);
    CHECK(f.sink.statuses.back() == PortStatus::kUnauthorized);
    // Still logged off: nothing more is sent.
    f.advance(seconds(100));
    CHECK(f.sink.count(PacketType::kLogoff) == 1);
    const size_t starts = f.sink.count(PacketType::kStart);
    f.port.set_user_logoff(false, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.sink.count(PacketType::kStart) == starts + 1);
}

TEST_CASE("port disable unauthorizes and aborts the EAP peer") {
    Fixture f;
    f.enable();
    f.authenticate();
    const int aborts = f.peer.aborts;
    f.port.set_port_enabled(false, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kDisconnected);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    // suppAbort holds the backend in INITIALIZE while the port is down.
    CHECK(f.port.backend_state() == SupplicantBackendState::kInitialize);
    CHECK(f.peer.aborts == aborts + 1);
    CHECK_FALSE(f.port.key_available());
    // Back up: a new conversation, not the old EAP-Success.
    f.enable();
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
}

TEST_CASE("forced port control: S_FORCE_AUTH authorizes, S_FORCE_UNAUTH logs off") {
    Fixture f;
    f.enable();
    f.port.set_port_control(PortControl::kForceAuthorized, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kForceAuth);
    CHECK(f.port.port_status() == PortStatus::kAuthorized);
    CHECK(f.port.backend_state() == SupplicantBackendState::kInitialize);
    // EAP frames change nothing while forced.
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    CHECK(f.port.pae_state() == SupplicantPaeState::kForceAuth);
    CHECK(f.sink.count(PacketType::kEapPacket) == 0);

    f.port.set_port_control(PortControl::kForceUnauthorized, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kForceUnauth);
    CHECK(f.port.port_status() == PortStatus::kUnauthorized);
    CHECK(f.sink.sent.back().type == PacketType::kLogoff);
    CHECK(std::string(supplicant_pae_state_name(f.port.pae_state())) == "S_FORCE_UNAUTH");

    f.port.set_port_control(PortControl::kAuto, f.clock.now());
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
}

TEST_CASE("malformed frames are counted and ignored without a state change") {
    Fixture f;
    f.enable();
    const size_t sent = f.sink.sent.size();
    const std::vector<Bytes> junk = {
        {},                                    // empty
        {0x02, 0x00},                          // short header
        {0x02, 0x00, 0x00, 0x09, 0x01, 0x01},  // body length beyond the frame
        {0x00, 0x00, 0x00, 0x00},              // version 0
        {0x02, 0x0a, 0x00, 0x00},              // unknown type
        {0x02, 0x00, 0x00, 0x02, 0x01, 0x01},  // EAP header cut short
        {0x02, 0x00, 0x00, 0x05, 0x01, 0x01, 0x00, 0x09, 0x01},  // EAP Length beyond body
        {0x02, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x02},        // EAP Length < 4
        eapol_eap(eap_packet(2, 1, {1})),      // an EAP-Response: not for a supplicant
        {0x02, 0x03, 0x00, 0x03, 0x02, 0x00, 0x00},  // EAPOL-Key cut short
    };
    for (const Bytes& frame : junk) f.rx(frame);
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);
    CHECK(f.sink.sent.size() == sent);
    CHECK(f.peer.received.empty());
    CHECK(f.port.counters().eap_length_error_frames_rx == 3);
    CHECK(f.port.counters().invalid_eapol_frames_rx == 7);

    // Recognized but unsupported types and frames meant for authenticators.
    f.rx({0x03, 0x05, 0x00, 0x00});  // MKA
    f.rx({0x03, 0x06, 0x00, 0x00});  // announcement
    f.rx({0x02, 0x01, 0x00, 0x00});  // EAPOL-Start from another supplicant
    CHECK(f.port.counters().unsupported_eapol_frames_rx == 3);
    CHECK(f.port.pae_state() == SupplicantPaeState::kConnecting);

    CHECK(f.sink.sent.size() == sent);

    // A good PDU followed by Ethernet padding still works.
    Bytes request = eapol_eap(eap_packet(1, 1, {1}));
    request.resize(46, 0);
    f.rx(request);
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    REQUIRE(f.peer.received.size() == 1);
    CHECK(f.peer.received[0] == eap_packet(1, 1, {1}));
}

TEST_CASE("a frame arriving after a due startWhen is not lost") {
    Fixture f;
    f.enable();
    f.clock.advance(seconds(31));  // no tick: the timer is overdue
    f.rx(eapol_eap(eap_packet(1, 1, {1})));
    CHECK(f.sink.count(PacketType::kStart) == 2);
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticating);
    CHECK(f.sink.sent.back().type == PacketType::kEapPacket);
}

TEST_CASE("EAPOL-Key frames go to the sink; unconsumed ones are counted") {
    Fixture f;
    f.enable();
    f.authenticate();
    Ieee80211KeyDescriptor key;
    key.mic.assign(16, 0);
    Bytes body = build_ieee80211_key(key).value();
    f.rx(build_eapol_pdu(kVersion2004, PacketType::kKey, body).value());
    CHECK(f.port.counters().eapol_key_frames_rx == 1);
    CHECK(f.port.counters().unsupported_eapol_frames_rx == 1);
    CHECK(f.port.pae_state() == SupplicantPaeState::kAuthenticated);
}

TEST_CASE("supplicant state names and MIB values") {
    CHECK(std::string(supplicant_pae_state_name(SupplicantPaeState::kAuthenticated)) == "AUTHENTICATED");
    CHECK(std::string(supplicant_pae_state_name(SupplicantPaeState::kForceAuth)) == "S_FORCE_AUTH");
    CHECK(std::string(supplicant_backend_state_name(SupplicantBackendState::kReceive)) == "RECEIVE");
    CHECK(supplicant_pae_state_mib_value(SupplicantPaeState::kDisconnected) == 1);
    CHECK(supplicant_pae_state_mib_value(SupplicantPaeState::kHeld) == 7);
    CHECK(supplicant_backend_state_mib_value(SupplicantBackendState::kInitialize) == 1);
    CHECK(std::string(port_status_name(PortStatus::kAuthorized)) == "Authorized");
    CHECK(std::string(port_status_name(PortStatus::kUnauthorized)) == "Unauthorized");
}
