// libFuzzer target for the EAPOL codec (IEEE 802.1X-2010 §11.3, EAPOL-Key
// §11.9 / IEEE 802.11-2020 §12.7.2, Ethernet framing): every parser must
// reject or accept without crashing, and what it accepts must serialize back
// to the same octets. The same input is also fed to a supplicant and an
// authenticator port, whose counters and states must stay consistent.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <variant>

#include "eapol/authenticator_port.h"
#include "eapol/eapol_frame.h"
#include "eapol/eapol_key_frame.h"
#include "common/mac_address.h"
#include "eapol/supplicant_port.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

void check_key_round_trip(ByteView body) {
    for (size_t mic : {size_t{0}, size_t{16}, size_t{24}}) {
        auto key = parse_ieee80211_key(body, mic);
        if (!key) continue;
        Bytes again = build_ieee80211_key(*key).value();
        // Accepted octets are reproduced exactly (trailing ones are ignored).
        require(again.size() <= body.size());
        require(equal_bytes(again, body.first(again.size())));
    }
    if (auto rc4 = parse_rc4_key(body)) require(equal_bytes(build_rc4_key(*rc4), body));
    (void)parse_eapol_key(body);
}

class NullPeer final : public PaeEapPeer {
public:
    void restart(TimePoint) override {}
    EapPeerResult process(ByteView packet, TimePoint) override {
        if (packet[0] == 3) return EapPeerResult::success(false);
        if (packet[0] == 4) return EapPeerResult::failure();
        return EapPeerResult::response(Bytes{2, packet[1], 0, 4});
    }
    EapPeerResult on_timeout(TimePoint) override { return EapPeerResult::pending(); }
    std::optional<TimePoint> next_timeout() const override { return std::nullopt; }
    const char* state_name() const override { return "IDLE"; }
};

class NullServer final : public PaeEapServer {
public:
    EapServerResult restart(TimePoint) override { return EapServerResult::request(Bytes{1, 1, 0, 5, 1}); }
    EapServerResult process(ByteView response, TimePoint) override {
        if (response.size() > 4 && response[4] == 1) return EapServerResult::request(Bytes{1, 2, 0, 5, 4});
        return EapServerResult::success(Bytes{3, 2, 0, 4}, false);
    }
    EapServerResult on_timeout(TimePoint) override { return EapServerResult::timeout(); }
    std::optional<TimePoint> next_timeout() const override { return std::nullopt; }
    const char* state_name() const override { return "IDLE"; }
};

class NullSink final : public PortSink {
public:
    void send_eapol(const MacAddress&, ByteView pdu) override { require(parse_eapol_pdu(pdu).ok()); }
    void port_status_changed(const MacAddress&, PortStatus) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView input(data, size);

    if (auto pdu = parse_eapol_pdu(input)) {
        Bytes again = build_eapol_pdu(pdu->version, pdu->type, pdu->body).value();
        require(equal_bytes(again, input.first(again.size())));
        if (pdu->type == PacketType::kKey) check_key_round_trip(pdu->body);
        if (pdu->type == PacketType::kEapPacket) {
            if (auto eap = eap_packet_in_body(pdu->body)) require(eap->size() >= 4 && eap->size() <= pdu->body.size());
        }
    }
    check_key_round_trip(input);


    // The ports: the input as a sequence of frames, each prefixed by one
    // length octet, delivered one second apart.
    const MacAddress station(MacAddress::Octets{2, 0, 0, 0, 0, 1});
    const MacAddress ap(MacAddress::Octets{2, 0, 0, 0, 0, 2});
    NullPeer peer;
    NullServer server;
    NullSink sink;
    SupplicantPort supplicant(station, SupplicantPortConfig{}, peer, sink);
    AuthenticatorPort authenticator(station, AuthenticatorPortConfig{}, server, sink);
    TimePoint now{};
    supplicant.set_port_enabled(true, now);
    authenticator.set_port_enabled(true, now);
    ByteReader reader(input);
    for (int frames = 0; frames < 64 && !reader.empty(); ++frames) {
        auto length = reader.u8();
        auto frame = reader.bytes(std::min<size_t>(*length, reader.remaining()));
        now += seconds(1);
        supplicant.receive(ap, *frame, now);
        authenticator.receive(station, *frame, now);
    }
    supplicant.tick(now + seconds(3600));
    authenticator.tick(now + seconds(3600));
    return 0;
}
