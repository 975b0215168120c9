// Interoperability check of the nl80211 drivers against Debian's hostapd
// and wpa_supplicant on mac80211_hwsim (tests/vm/scenarios/
// nl80211_driver_check.sh). Not part of the Makefile build; built like
// nl80211_check (see the scenario's header).
//
//   nl80211_interop_check station IFACE SSID [--timeout-s N] [-d]
//       Nl80211StationDriver joins a WPA2-Enterprise, PMF-required AP (hostapd)
//       with an RSN element from eapol/rsn_element.h; expects hostapd's
//       EAP-Request/Identity over the control port, answers it ("md5user", a
//       user of tests/interop/lib.sh's eap_user file), expects the
//       next EAP request (the method proposal), then disconnects.
//   nl80211_interop_check ap IFACE SSID [--timeout-s N] [-d]
//       Nl80211AccessPointDriver runs the same kind of AP; prints "# ap ready",
//       waits for a station (wpa_supplicant) to associate, sends it
//       EAP-Request/Identity and expects its EAP-Response/Identity.
//
// Prints "ok NAME" / "not ok NAME: reason" (names start with "interop-").
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/log.h"
#include "drivers/nl80211/access_point_driver.h"
#include "drivers/nl80211/station_driver.h"
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

bool run_until(EventLoop& loop, int seconds, const std::function<bool()>& done) {
    const TimePoint deadline = loop.clock().now() + std::chrono::seconds(seconds);
    while (!done()) {
        if (loop.clock().now() >= deadline) return false;
        if (!loop.run_once(Duration(100))) return false;
    }
    return true;
}

// IEEE 802.1X-2010 §11.3 EAPOL header, then RFC 3748 §4 EAP header.
struct EapView {
    uint8_t code = 0;
    uint8_t id = 0;
    uint8_t type = 0;
};
std::optional<EapView> eap_of(ByteView pdu) {
    if (pdu.size() < 9 || pdu[1] != 0) return std::nullopt;  // EAPOL-EAP with a type octet
    return EapView{pdu[4], pdu[5], pdu[8]};
}
Bytes eap_identity(uint8_t code, uint8_t id, std::string_view identity) {
    const uint16_t eap_length = static_cast<uint16_t>(5 + identity.size());
    ByteWriter out;
    out.u8(2).u8(0).u16(eap_length);                    // EAPOL v2, EAP-Packet
    out.u8(code).u8(id).u16(eap_length).u8(1).str(identity);  // Identity
    return out.take();
}

struct Frames : DriverListener, Nl80211StationListener {
    std::vector<std::pair<MacAddress, Bytes>> received;
    MacAddress arrived;
    bool connected = false;
    std::string failure;
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        received.emplace_back(source, Bytes(pdu.begin(), pdu.end()));
    }
    void on_station_arrived(const MacAddress& station) override { arrived = station; }
    void on_connected(const ScanBss&) override { connected = true; }
    void on_connect_failed(const Error& error) override { failure = error.detail; }
};

RsnSettings wpa2_enterprise_pmf(eapol::RsnElement& element) {
    element.capabilities = eapol::kRsnCapMfpc | eapol::kRsnCapMfpr;
    element.group_management_cipher = kCipherBipCmac128;
    RsnSettings settings;
    settings.rsn_element = eapol::build_rsn_element(element).value();
    settings.mfp = MgmtFrameProtection::kRequired;
    return settings;
}

int run_station(EventLoop& loop, const std::string& iface, const std::string& ssid, int timeout) {
    Nl80211StationOptions options;
    options.common.interface_name = iface;
    options.scan_timeout = Duration(20000);
    auto sta = Nl80211StationDriver::open(loop, options);
    report(sta.ok(), "interop-sta-open", sta ? "" : sta.error().to_string());
    if (!sta) return 1;
    Frames frames;
    (*sta)->set_listener(&frames);
    (*sta)->set_station_listener(&frames);
    eapol::RsnElement element;
    ConnectParameters connect;
    connect.ssid = to_bytes(ssid);
    connect.frequency_mhz = 2412;
    connect.active_scan = true;
    connect.rsn = wpa2_enterprise_pmf(element);
    Status started = (*sta)->connect(connect);
    run_until(loop, timeout, [&] { return !started || frames.connected || !frames.failure.empty(); });
    report(started.ok() && frames.connected, "interop-sta-connect-hostapd",
           started ? frames.failure.empty() ? "no CONNECT event" : frames.failure : started.error().to_string());
    if (!frames.connected) return 1;
    const MacAddress bssid = (*sta)->current_bss()->bssid;

    run_until(loop, 15, [&] { return !frames.received.empty(); });
    auto request = frames.received.empty() ? std::nullopt : eap_of(frames.received[0].second);
    report(request && request->code == 1 && request->type == 1 && frames.received[0].first == bssid,
           "interop-sta-eap-request-identity", "no EAP-Request/Identity from hostapd over the control port");
    if (!request) return 1;
    Status sent = (*sta)->send_eapol(bssid, eap_identity(2, request->id, "md5user"));
    run_until(loop, 15, [&] { return frames.received.size() >= 2; });
    auto next = frames.received.size() >= 2 ? eap_of(frames.received[1].second) : std::nullopt;
    const EapView proposal = next.value_or(EapView{});
    report(sent.ok() && next.has_value() && proposal.code == 1 && proposal.type != 1, "interop-sta-eap-method-proposal",
           sent ? "hostapd did not answer our EAP-Response/Identity" : sent.error().to_string());
    if (next.has_value()) std::printf("# hostapd proposed EAP type %u\n", proposal.type);
    Status down = (*sta)->disconnect(3);
    report(down.ok(), "interop-sta-disconnect", down ? "" : down.error().to_string());
    return failures == 0 ? 0 : 1;
}

int run_ap(EventLoop& loop, const std::string& iface, const std::string& ssid, int timeout) {
    eapol::RsnElement element;
    Nl80211AccessPointOptions options;
    options.common.interface_name = iface;
    options.ssid = to_bytes(ssid);
    options.channel = 1;
    options.rsn = wpa2_enterprise_pmf(element);
    options.association_policy = [element](const MacAddress&, ByteView ies) {
        AssociationDecision decision;
        auto found = eapol::find_rsn_element(ies);
        auto theirs = found ? eapol::parse_rsn_element(*found) : Result<eapol::RsnElement>(found.error());
        auto negotiated = theirs ? eapol::negotiate_rsn(element, *theirs) : Result<eapol::NegotiatedRsn>(theirs.error());
        if (!negotiated) {
            std::printf("# refused association: %s\n", negotiated.error().detail.c_str());
            decision.status = 72;
            return decision;
        }
        decision.mfp = negotiated->mfp;
        return decision;
    };
    auto ap = Nl80211AccessPointDriver::open(loop, options);
    report(ap.ok(), "interop-ap-start", ap ? "" : ap.error().to_string());
    if (!ap) return 1;
    Frames frames;
    (*ap)->set_listener(&frames);
    std::printf("# ap ready\n");
    std::fflush(stdout);

    run_until(loop, timeout, [&] { return !frames.arrived.is_zero(); });
    const MacAddress station = frames.arrived;
    report(!station.is_zero() && (*ap)->station_rsn_element(station).has_value(), "interop-ap-wpa_supplicant-associated",
           "no station arrived with an RSN element");
    if (station.is_zero()) return 1;
    // EAP-Request/Identity, repeated (at most 5 times) until answered.
    std::optional<EapView> response;
    for (int attempt = 0; attempt < 5 && !response; ++attempt) {
        (void)(*ap)->send_eapol(station, eap_identity(1, static_cast<uint8_t>(40 + attempt), ""));
        run_until(loop, 3, [&] {
            for (const auto& [source, pdu] : frames.received) {
                auto eap = eap_of(pdu);
                if (source == station && eap && eap->code == 2 && eap->type == 1) response = eap;
            }
            return response.has_value();
        });
    }
    report(response.has_value(), "interop-ap-eap-response-identity",
           "wpa_supplicant sent no EAP-Response/Identity (" + std::to_string(frames.received.size()) + " EAPOL frames)");
    (void)(*ap)->deauthenticate(station, 3);
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: nl80211_interop_check station|ap IFACE SSID [--timeout-s N] [-d]\n");
        return 2;
    }
    const std::string mode = argv[1], iface = argv[2], ssid = argv[3];
    int timeout = 60;
    for (int i = 4; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--timeout-s" && i + 1 < argc) timeout = std::atoi(argv[++i]);
        else if (arg == "-d") set_log_level(LogLevel::kDebug);
        else return 2;
    }
    auto loop = EventLoop::create();
    if (!loop) return 1;
    if (mode == "station") return run_station(**loop, iface, ssid, timeout);
    if (mode == "ap") return run_ap(**loop, iface, ssid, timeout);
    return 2;
}
