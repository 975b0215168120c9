// Check of the nl80211 drivers on real cfg80211 (mac80211_hwsim in the VM,
// tests/vm/scenarios/nl80211_driver_check.sh). Not part of the Makefile
// build: the scenario's header says how to build it against liblanyard_os.a.
//
//   nl80211_check --ap wlan0 --sta wlan1 [--ap2 wlan2] [--ssid NAME]
//                 [--channel N] [--timeout-s N] [--packet-socket] [--rsn]
//                 [--four-way] [--active-scan] [-d]
//
// One process, both drivers: an AP on one radio and a station on another.
// The AP is open, or with --rsn WPA2-Enterprise, CCMP, PMF required (RSN
// elements built by eapol/rsn_element.h, association checked by
// eapol::negotiate_rsn, fixed test keys); --four-way (implies --rsn) takes
// the keys from eapol/'s 4-way handshake machines on both ends (fixed PMK).
// Prints "ok NAME" / "not ok NAME: reason" for, in order: AP start and the
// wiphy probe, scan + CONNECT, the AP seeing the station arrive (with its
// association IEs / RSN element), one EAPOL frame each way over the control
// port (or the packet socket with --packet-socket), key installation, data
// frames (EtherType 88-B5 through packet sockets) blocked before and
// passing after port authorization (unicast and broadcast, both ways), one
// more EAPOL frame each way under the installed keys, a frame under
// mismatched keys being dropped, a fresh key on both ends working, then the
// station's disconnect reaching the AP. With --ap2, a second AP with the
// same SSID on another channel: the station roams to it (a reconnect), the
// first AP sees it leave, the second sees it arrive and exchanges EAPOL
// with it, then deauthenticates it (reason 23), which the station reports
// as a disconnection by the AP.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/hex.h"
#include "common/log.h"
#include "drivers/nl80211/access_point_driver.h"
#include "drivers/nl80211/station_driver.h"
#include "eapol/four_way_authenticator.h"
#include "eapol/four_way_supplicant.h"
#include "eapol/rsn_element.h"

using namespace lanyard;

namespace {

int failures = 0;

void report(bool ok, const std::string& name, const std::string& why = "") {
    if (ok) {
        std::printf("ok %s\n", name.c_str());
    } else {
        std::printf("not ok %s: %s\n", name.c_str(), why.c_str());
        ++failures;
    }
    std::fflush(stdout);
}

// EAPOL version 2, EAP-Packet: EAP-Request/Identity (id 7) and the
// Response/Identity "check" (RFC 3748 §5.1).
const Bytes kRequest = *from_hex("0200000501070005 01");
const Bytes kResponse = *from_hex("0200000a 0207000a 01636865636b");

constexpr uint8_t kEapolKey = 3;  // IEEE 802.1X-2010 Table 11-3

struct ApSide : DriverListener {
    Nl80211AccessPointDriver* driver = nullptr;
    std::function<void(ByteView)> on_key_frame;
    MacAddress arrived;
    MacAddress left;
    Bytes last_frame;
    MacAddress last_source;
    int frames = 0;
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        if (pdu.size() > 1 && pdu[1] == kEapolKey && on_key_frame) {
            on_key_frame(pdu);
            return;
        }
        last_source = source;
        last_frame.assign(pdu.begin(), pdu.end());
        ++frames;
    }
    void on_station_arrived(const MacAddress& station) override { arrived = station; }
    void on_station_left(const MacAddress& station) override { left = station; }
};

struct StaSide : DriverListener, Nl80211StationListener {
    Nl80211StationDriver* driver = nullptr;
    std::function<void(ByteView)> on_key_frame;
    bool connected = false;
    bool disconnected = false;
    std::string failure;
    Bytes last_frame;
    MacAddress last_source;
    int frames = 0;
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        if (pdu.size() > 1 && pdu[1] == kEapolKey && on_key_frame) {
            on_key_frame(pdu);
            return;
        }
        last_source = source;
        last_frame.assign(pdu.begin(), pdu.end());
        ++frames;
    }
    int connects = 0;
    MacAddress roamed_to;
    void on_connected(const ScanBss&) override {
        connected = true;
        ++connects;
    }
    void on_roamed(const MacAddress& bssid) override { roamed_to = bssid; }
    void on_connect_failed(const Error& error) override { failure = error.detail; }
    uint16_t disconnect_reason = 0;
    bool disconnected_by_ap = false;
    void on_disconnected(uint16_t reason, bool by_ap) override {
        disconnected = true;
        disconnect_reason = reason;
        disconnected_by_ap = by_ap;
    }
};

// A packet socket for data frames of a local experimental EtherType
// (IEEE Std 802-2014 §9.2.4: 88-B5), to see whether the controlled port and
// the keys let data through: what one radio sends, the other receives over
// the (simulated) air.
class DataTap {
public:
    static constexpr uint16_t kEthertype = 0x88b5;
    DataTap(EventLoop& loop, const std::string& iface) : loop_(loop) {
        fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(kEthertype));
        sockaddr_ll addr{};
        addr.sll_family = AF_PACKET;
        addr.sll_protocol = htons(kEthertype);
        addr.sll_ifindex = static_cast<int>(if_nametoindex(iface.c_str()));
        if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            !loop_.add_fd(fd_, FdWatch{[this] { drain(); }, nullptr})) {
            if (fd_ >= 0) close(fd_);
            fd_ = -1;
        }
    }
    ~DataTap() {
        if (fd_ < 0) return;
        loop_.remove_fd(fd_);
        close(fd_);
    }
    bool ok() const { return fd_ >= 0; }
    bool send(const MacAddress& to, const MacAddress& from, const std::string& marker) {
        ByteWriter frame;
        frame.bytes(to.view()).bytes(from.view()).u16(kEthertype).str(marker);
        if (frame.size() < 60) frame.zeros(60 - frame.size());
        return ::send(fd_, frame.view().data(), frame.size(), 0) == static_cast<ssize_t>(frame.size());
    }
    bool received(const std::string& marker) const {
        for (const std::string& payload : payloads_) {
            if (payload.compare(0, marker.size(), marker) == 0) return true;
        }
        return false;
    }

private:
    void drain() {
        uint8_t buffer[2048];
        sockaddr_ll from{};
        socklen_t length = sizeof(from);
        for (int i = 0; i < 32; ++i) {
            const ssize_t n = recvfrom(fd_, buffer, sizeof(buffer), 0, reinterpret_cast<sockaddr*>(&from), &length);
            if (n < 0) return;
            if (from.sll_pkttype == PACKET_OUTGOING || n < 14) continue;
            payloads_.emplace_back(reinterpret_cast<const char*>(buffer) + 14, static_cast<size_t>(n) - 14);
        }
    }
    EventLoop& loop_;
    int fd_ = -1;
    std::vector<std::string> payloads_;
};

bool run_until(EventLoop& loop, int seconds, const std::function<bool()>& done) {
    const TimePoint deadline = loop.clock().now() + std::chrono::seconds(seconds);
    while (!done()) {
        if (loop.clock().now() >= deadline) return false;
        auto ran = loop.run_once(Duration(100));
        if (!ran) return false;
    }
    return true;
}

KeyInstallRequest key(KeyKind kind, uint32_t cipher, uint8_t index, const MacAddress& peer, uint8_t fill) {
    KeyInstallRequest request;
    request.kind = kind;
    request.cipher_suite = cipher;
    request.key_index = index;
    request.peer = peer;
    Bytes material(16, fill);
    request.key = SecretBytes(material);
    return request;
}

// eapol/'s 4-way handshake between the two drivers (IEEE 802.11-2020
// §12.7.6) with a fixed PMK, PMF on: the PTK, GTK and IGTK reach the kernel
// through the drivers' KeyInstaller.
Status run_four_way(EventLoop& loop, Nl80211AccessPointDriver& ap, ApSide& ap_side, Nl80211StationDriver& sta,
                    StaSide& sta_side, const Bytes& own_rsne, int timeout) {
    const MacAddress station = sta.own_address();
    const MacAddress bssid = sta.current_bss()->bssid;
    auto station_rsne = ap.station_rsn_element(station);
    const auto& beacon_rsne = sta.current_bss()->rsn_element;
    if (!station_rsne || !beacon_rsne) return make_error(ErrorCode::kInternal, "RSN elements missing");
    auto group = eapol::GroupKeyAuthority::create(kCipherCcmp128, kCipherBipCmac128, SystemRandom::instance());
    if (!group) return group.error();
    LANYARD_TRY(group->install(ap));

    bool ap_done = false, sta_done = false;
    std::string failure;
    auto on_event = [&](const char* side, bool& done) {
        return [&, side](const eapol::HandshakeEvent& event) {
            switch (event.kind) {
                case eapol::HandshakeEvent::Kind::kPairwiseComplete: done = true; break;
                case eapol::HandshakeEvent::Kind::kGroupRekeyComplete: break;
                case eapol::HandshakeEvent::Kind::kFailed: failure = std::string(side) + ": " + event.detail; break;
            }
        };
    };
    eapol::AuthenticatorHandshakeConfig ap_config;
    ap_config.own_address = bssid;
    ap_config.station_address = station;
    ap_config.own_rsn_element = own_rsne;
    ap_config.station_rsn_element = *station_rsne;
    ap_config.mfp = true;
    eapol::HandshakeCallbacks ap_callbacks{[&](ByteView pdu) { (void)ap.send_eapol(station, pdu); },
                                           on_event("authenticator", ap_done)};
    eapol::FourWayHandshakeAuthenticator authenticator(ap_config, ap_callbacks, ap, SystemRandom::instance(), *group);

    eapol::SupplicantHandshakeConfig sta_config;
    sta_config.own_address = station;
    sta_config.authenticator_address = bssid;
    sta_config.own_rsn_element = own_rsne;
    sta_config.authenticator_rsn_element = *beacon_rsne;
    sta_config.mfp = true;
    eapol::HandshakeCallbacks sta_callbacks{[&](ByteView pdu) { (void)sta.send_eapol(bssid, pdu); },
                                            on_event("supplicant", sta_done)};
    eapol::FourWayHandshakeSupplicant supplicant(sta_config, sta_callbacks, sta, SystemRandom::instance());

    ap_side.on_key_frame = [&](ByteView pdu) { authenticator.receive(pdu, loop.clock().now()); };
    sta_side.on_key_frame = [&](ByteView pdu) { supplicant.receive(pdu); };
    SecretBytes pmk(Bytes(32, 0x5a));
    supplicant.set_pmk(pmk);
    authenticator.start(pmk, loop.clock().now());
    run_until(loop, timeout, [&] {
        authenticator.tick(loop.clock().now());
        return (ap_done && sta_done) || !failure.empty();
    });
    ap_side.on_key_frame = nullptr;
    sta_side.on_key_frame = nullptr;
    if (!failure.empty()) return make_error(ErrorCode::kProtocol, failure);
    if (!ap_done || !sta_done) {
        return make_error(ErrorCode::kIo, std::string("not complete: authenticator ") +
                                              eapol::authenticator_key_state_name(authenticator.state()) + ", supplicant " +
                                              eapol::supplicant_key_state_name(supplicant.state()));
    }
    return ok_status();
}

}  // namespace

int main(int argc, char** argv) {
    std::string ap_if, ap2_if, sta_if, ssid = "lanyard-nl80211-check";
    unsigned channel = 1;
    int timeout = 60;
    bool packet_socket = false;
    bool rsn = false;
    bool active_scan = false;  // probe requests, answered by the AP's SME
    bool four_way = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (arg == "--ap") ap_if = next();
        else if (arg == "--sta") sta_if = next();
        else if (arg == "--ap2") ap2_if = next();
        else if (arg == "--ssid") ssid = next();
        else if (arg == "--channel") channel = static_cast<unsigned>(std::atoi(next().c_str()));
        else if (arg == "--timeout-s") timeout = std::atoi(next().c_str());
        else if (arg == "--packet-socket") packet_socket = true;
        else if (arg == "--rsn") rsn = true;
        else if (arg == "--active-scan") active_scan = true;
        else if (arg == "--four-way") rsn = four_way = true;
        else if (arg == "-d") set_log_level(LogLevel::kDebug);
        else {
            std::fprintf(stderr, "usage: nl80211_check --ap IF --sta IF [--ap2 IF] [--ssid S] [--channel N] [--timeout-s N] [--packet-socket] [-d]\n");
            return 2;
        }
    }
    if (ap_if.empty() || sta_if.empty()) {
        std::fprintf(stderr, "nl80211_check: --ap and --sta are required\n");
        return 2;
    }
    auto loop_result = EventLoop::create();
    if (!loop_result) return 1;
    EventLoop& loop = **loop_result;

    Nl80211AccessPointOptions ap_options;
    ap_options.common.interface_name = ap_if;
    ap_options.ssid = to_bytes(ssid);
    ap_options.channel = channel;
    ap_options.common.force_packet_socket = packet_socket;
    RsnSettings rsn_settings;
    std::optional<eapol::RsnElement> ap_rsne;
    if (rsn) {
        eapol::RsnElement element;  // CCMP-128 / 802.1X by default
        element.capabilities = eapol::kRsnCapMfpc | eapol::kRsnCapMfpr;
        element.group_management_cipher = kCipherBipCmac128;
        auto built = eapol::build_rsn_element(element);
        if (!built) return 1;
        ap_rsne = element;
        rsn_settings.rsn_element = *built;
        rsn_settings.mfp = MgmtFrameProtection::kRequired;
        ap_options.rsn = rsn_settings;
        ap_options.association_policy = [element](const MacAddress&, ByteView ies) {
            AssociationDecision decision;
            auto found = eapol::find_rsn_element(ies);
            auto theirs = found ? eapol::parse_rsn_element(*found) : Result<eapol::RsnElement>(found.error());
            if (!theirs) {
                decision.status = 72;  // invalid RSNE (IEEE 802.11-2020 Table 9-50)
                return decision;
            }
            auto negotiated = eapol::negotiate_rsn(element, *theirs);
            if (!negotiated) {
                decision.status = 43;  // invalid AKMP (representative of 40-45)
                return decision;
            }
            decision.mfp = negotiated->mfp;
            return decision;
        };
    }
    auto ap = Nl80211AccessPointDriver::open(loop, ap_options);
    report(ap.ok(), "nl80211-ap-start", ap ? "" : ap.error().to_string());
    if (!ap) return 1;
    ApSide ap_side;
    ap_side.driver = ap->get();
    (*ap)->set_listener(&ap_side);
    std::printf("# ap: %s; SME in %s; EAPOL via %s\n", (*ap)->capabilities().describe().c_str(),
                (*ap)->user_space_sme() ? "user space" : "the device", eapol_transport_name((*ap)->transport()));
    report((*ap)->capabilities().supports_interface_type(3 /* NL80211_IFTYPE_AP */) &&
               (*ap)->capabilities().supports_cipher(kCipherCcmp128) &&
               (*ap)->capabilities().supports_cipher(kCipherBipCmac128),
           "nl80211-probe", "hwsim wiphy should list AP, CCMP-128 and BIP-CMAC-128");

    Nl80211StationOptions sta_options;
    sta_options.common.interface_name = sta_if;
    sta_options.scan_timeout = Duration(20000);
    sta_options.common.force_packet_socket = packet_socket;
    auto sta = Nl80211StationDriver::open(loop, sta_options);
    report(sta.ok(), "nl80211-sta-open", sta ? "" : sta.error().to_string());
    if (!sta) return 1;
    StaSide sta_side;
    sta_side.driver = sta->get();
    (*sta)->set_listener(&sta_side);
    (*sta)->set_station_listener(&sta_side);

    ConnectParameters connect;
    connect.ssid = to_bytes(ssid);
    connect.frequency_mhz = (*ap)->frequency_mhz();
    connect.rsn = rsn_settings;
    connect.active_scan = active_scan;
    Status started = (*sta)->connect(connect);
    if (!started) {
        report(false, "nl80211-connect", started.error().to_string());
        return 1;
    }
    const bool connected = run_until(loop, timeout, [&] { return sta_side.connected || !sta_side.failure.empty(); });
    report(connected && sta_side.connected, "nl80211-connect",
           sta_side.failure.empty() ? "no CONNECT event in time" : sta_side.failure);
    if (!sta_side.connected) return 1;
    const MacAddress bssid = (*sta)->current_bss()->bssid;
    const MacAddress station = (*sta)->own_address();
    report(bssid == (*ap)->own_address(), "nl80211-bssid", "connected to " + bssid.to_string());

    run_until(loop, 10, [&] { return ap_side.arrived == station; });
    report(ap_side.arrived == station, "nl80211-ap-station-arrived", "no on_station_arrived for " + station.to_string());
    if (rsn) {
        auto theirs = (*ap)->station_rsn_element(station);
        report(theirs && equal_bytes(*theirs, rsn_settings.rsn_element), "nl80211-ap-association-ies",
               "the AP does not hold the station's RSN element");
        const auto& beacon_rsne = (*sta)->current_bss()->rsn_element;
        report(beacon_rsne && equal_bytes(*beacon_rsne, rsn_settings.rsn_element), "nl80211-sta-beacon-rsne",
               "the scan result lacks the AP's RSN element");
    } else {
        report((*ap)->station_association_ies(station) != nullptr && !(*ap)->station_rsn_element(station),
               "nl80211-ap-association-ies", "association IEs missing (or an RSN element on an open network)");
    }

    // One EAPOL frame each way, before any key.
    Status sent = (*ap)->send_eapol(station, kRequest);
    run_until(loop, 10, [&] { return sta_side.frames >= 1; });
    report(sent.ok() && sta_side.frames >= 1 && equal_bytes(sta_side.last_frame, kRequest) && sta_side.last_source == bssid,
           "nl80211-eapol-ap-to-sta", sent ? "station received " + std::to_string(sta_side.frames) + " frames" : sent.error().to_string());
    sent = (*sta)->send_eapol(bssid, kResponse);
    run_until(loop, 10, [&] { return ap_side.frames >= 1; });
    report(sent.ok() && ap_side.frames >= 1 && equal_bytes(ap_side.last_frame, kResponse) && ap_side.last_source == station,
           "nl80211-eapol-sta-to-ap", sent ? "AP received " + std::to_string(ap_side.frames) + " frames" : sent.error().to_string());

    Status keys = ok_status();
    if (four_way) {
        keys = run_four_way(loop, **ap, ap_side, **sta, sta_side, rsn_settings.rsn_element, timeout);
        report(keys.ok(), "nl80211-handshake", keys ? "" : keys.error().to_string());
    } else {
        // Keys: the same CCMP TK on both ends, a GTK, and an IGTK.
        keys = (*ap)->install_key(key(KeyKind::kPairwise, kCipherCcmp128, 0, station, 0x11));
        if (keys) keys = (*sta)->install_key(key(KeyKind::kPairwise, kCipherCcmp128, 0, bssid, 0x11));
        if (keys) keys = (*ap)->install_key(key(KeyKind::kGroup, kCipherCcmp128, 1, MacAddress::broadcast(), 0x22));
        if (keys) keys = (*sta)->install_key(key(KeyKind::kGroup, kCipherCcmp128, 1, MacAddress::broadcast(), 0x22));
        report(keys.ok(), "nl80211-keys", keys ? "" : keys.error().to_string());
        Status igtk = (*ap)->install_key(key(KeyKind::kIntegrityGroup, kCipherBipCmac128, 4, MacAddress::broadcast(), 0x33));
        if (igtk) igtk = (*sta)->install_key(key(KeyKind::kIntegrityGroup, kCipherBipCmac128, 4, MacAddress::broadcast(), 0x33));
        report(igtk.ok(), "nl80211-igtk", igtk ? "" : igtk.error().to_string());
    }

    // Data frames: blocked while the ports are unauthorized (IEEE 802.1X
    // controlled port), then through in both directions, unicast (PTK) and
    // group-addressed (station->AP under the PTK, AP->station under the GTK).
    DataTap ap_tap(loop, ap_if);
    DataTap sta_tap(loop, sta_if);
    const bool taps = ap_tap.ok() && sta_tap.ok();
    if (taps) {
        sta_tap.send(bssid, station, "blocked-sta");
        ap_tap.send(station, bssid, "blocked-ap");
        run_until(loop, 2, [] { return false; });
        report(!ap_tap.received("blocked-sta") && !sta_tap.received("blocked-ap"), "nl80211-data-blocked-before-authorize",
               "data passed an unauthorized port");
    }

    Status authorized = (*ap)->set_port_state(station, PortState::kAuthorized);
    if (authorized) authorized = (*sta)->set_port_state(bssid, PortState::kAuthorized);
    report(authorized.ok() && (*ap)->port_state(station) == PortState::kAuthorized, "nl80211-authorize",
           authorized ? "port state not recorded" : authorized.error().to_string());

    if (taps) {
        struct DataCase {
            const char* name;
            DataTap& from;
            DataTap& to;
            MacAddress destination;
            MacAddress source;
        };
        const DataCase cases[] = {
            {"nl80211-data-sta-to-ap-unicast", sta_tap, ap_tap, bssid, station},
            {"nl80211-data-sta-to-ap-broadcast", sta_tap, ap_tap, MacAddress::broadcast(), station},
            {"nl80211-data-ap-to-sta-unicast", ap_tap, sta_tap, station, bssid},
            {"nl80211-data-ap-to-sta-broadcast", ap_tap, sta_tap, MacAddress::broadcast(), bssid},
        };
        for (const DataCase& c : cases) {
            const std::string marker = std::string("data:") + c.name;
            bool got = false;
            for (int attempt = 0; attempt < 3 && !got; ++attempt) {  // the air may lose one
                c.from.send(c.destination, c.source, marker);
                got = run_until(loop, 2, [&] { return c.to.received(marker); });
            }
            report(got, c.name, "not received");
        }
    } else {
        report(false, "nl80211-data", "could not open packet sockets");
    }

    if (keys) {
        sent = (*ap)->send_eapol(station, kRequest);
        run_until(loop, 10, [&] { return sta_side.frames >= 2; });
        report(sent.ok() && sta_side.frames >= 2, "nl80211-eapol-protected-ap-to-sta",
               sent ? "no frame after the keys" : sent.error().to_string());
        sent = (*sta)->send_eapol(bssid, kResponse);
        run_until(loop, 10, [&] { return ap_side.frames >= 2; });
        report(sent.ok() && ap_side.frames >= 2, "nl80211-eapol-protected-sta-to-ap",
               sent ? "no frame after the keys" : sent.error().to_string());
        // Proof that the frames above were protected: with a different TK
        // on the station, the AP's next frame must fail CCMP and vanish.
        Status rekeyed = (*sta)->install_key(key(KeyKind::kPairwise, kCipherCcmp128, 0, bssid, 0x44));
        sent = (*ap)->send_eapol(station, kRequest);
        const bool leaked = run_until(loop, 3, [&] { return sta_side.frames >= 3; });
        report(rekeyed.ok() && sent.ok() && !leaked, "nl80211-key-mismatch-drops",
               leaked ? "the station received a frame sent under another key" : "could not rekey or send");
        // A fresh TK on both ends (new packet numbers on both) works again.
        Status fresh = (*ap)->install_key(key(KeyKind::kPairwise, kCipherCcmp128, 0, station, 0x55));
        if (fresh) fresh = (*sta)->install_key(key(KeyKind::kPairwise, kCipherCcmp128, 0, bssid, 0x55));
        const int ap_before = ap_side.frames;
        sent = (*sta)->send_eapol(bssid, kResponse);
        run_until(loop, 10, [&] { return ap_side.frames > ap_before; });
        report(fresh.ok() && sent.ok() && ap_side.frames > ap_before, "nl80211-rekey",
               fresh ? "no frame after installing a fresh TK on both ends" : fresh.error().to_string());
    }

    std::unique_ptr<Nl80211AccessPointDriver> ap2;
    ApSide ap2_side;
    ApSide* last_ap_side = &ap_side;
    if (!ap2_if.empty()) {
        Nl80211AccessPointOptions ap2_options = ap_options;
        ap2_options.common.interface_name = ap2_if;
        ap2_options.channel = channel == 6 ? 11 : 6;
        auto opened = Nl80211AccessPointDriver::open(loop, ap2_options);
        report(opened.ok(), "nl80211-ap2-start", opened ? "" : opened.error().to_string());
        if (!opened) return 1;
        ap2 = std::move(*opened);
        ap2->set_listener(&ap2_side);
        sta_side.connected = false;
        Status roaming = (*sta)->roam(ap2->own_address(), ap2->frequency_mhz());
        run_until(loop, timeout, [&] { return sta_side.connected || !sta_side.failure.empty(); });
        report(roaming.ok() && sta_side.connected && (*sta)->current_bss()->bssid == ap2->own_address() &&
                   sta_side.roamed_to == ap2->own_address(),
               "nl80211-roam", roaming ? (sta_side.failure.empty() ? "not connected to the second AP" : sta_side.failure)
                                       : roaming.error().to_string());
        run_until(loop, 10, [&] { return ap_side.left == station && ap2_side.arrived == station; });
        report(ap_side.left == station && ap2_side.arrived == station, "nl80211-roam-stations",
               "first AP left/second AP arrived: " + ap_side.left.to_string() + "/" + ap2_side.arrived.to_string());
        const int before = sta_side.frames;
        sent = ap2->send_eapol(station, kRequest);
        run_until(loop, 10, [&] { return sta_side.frames > before; });
        Status back = (*sta)->send_eapol(ap2->own_address(), kResponse);
        run_until(loop, 10, [&] { return ap2_side.frames >= 1; });
        report(sent.ok() && back.ok() && sta_side.frames > before && sta_side.last_source == ap2->own_address() &&
                   ap2_side.frames >= 1,
               "nl80211-roam-eapol", "no EAPOL exchange with the second AP");
        last_ap_side = &ap2_side;
    }

    if (ap2) {
        // The AP ends it: Deauthentication with reason 23 (IEEE 802.1X
        // authentication failed, IEEE 802.11-2020 Table 9-49).
        Status kicked = ap2->deauthenticate(station, kReasonIeee8021XAuthFailed);
        run_until(loop, 10, [&] { return sta_side.disconnected; });
        report(kicked.ok() && ap2_side.left == station && sta_side.disconnected && sta_side.disconnected_by_ap &&
                   sta_side.disconnect_reason == kReasonIeee8021XAuthFailed && (*sta)->link_state() == LinkState::kDown,
               "nl80211-ap-deauthenticate",
               kicked ? "station saw disconnected=" + std::to_string(sta_side.disconnected) + " by_ap=" +
                            std::to_string(sta_side.disconnected_by_ap) + " reason=" + std::to_string(sta_side.disconnect_reason)
                      : kicked.error().to_string());
    } else {
        Status down = (*sta)->disconnect(3);
        run_until(loop, 10, [&] { return last_ap_side->left == station; });
        report(down.ok() && last_ap_side->left == station && (*sta)->link_state() == LinkState::kDown &&
                   sta_side.disconnected && !sta_side.disconnected_by_ap,
               "nl80211-disconnect", down ? "the AP saw no on_station_left" : down.error().to_string());
    }

    sta->reset();
    ap2.reset();
    ap->reset();
    std::printf("# nl80211_check: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
