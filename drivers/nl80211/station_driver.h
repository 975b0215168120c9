// driver=nl80211 for a station (the supplicant side): scan, BSS selection
// by SSID, CONNECT through the kernel's SME (cfg80211), EAPOL over the
// control port, key installation and port authorization.
//
//   auto loop = EventLoop::create();
//   Nl80211StationOptions options;
//   options.common.interface_name = "wlan1";
//   auto station = Nl80211StationDriver::open(**loop, options);  // probes the wiphy
//   (*station)->set_listener(&eapol_listener);                   // DriverListener
//   (*station)->set_station_listener(&connection_listener);      // Nl80211StationListener
//   ConnectParameters connect;
//   connect.ssid = to_bytes("lanyard");
//   connect.rsn.rsn_element = our_rsne;                           // from eapol/ (empty: open)
//   connect.rsn.mfp = MgmtFrameProtection::kRequired;                       // ieee80211w=2
//   (*station)->connect(connect);   // scan -> select -> CONNECT; result via the listener
//   (*loop)->run();
//
// Link state: kUp while connected. After on_connected, the AP's RSN
// element is in current_bss()->rsn_element for the 4-way handshake, and
// install_key()/set_port_state(bssid, kAuthorized) complete the setup.
// Roaming is a plain reconnect (disconnect, then CONNECT to the chosen
// BSSID of the same SSID); kernel-reported roams (NL80211_CMD_ROAM) are
// passed on.
//
// The connection belongs to the driver's netlink socket
// (NL80211_ATTR_SOCKET_OWNER): destroying the driver disconnects.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "drivers/nl80211/nl80211_driver_base.h"

namespace lanyard {

struct Nl80211StationOptions {
    Nl80211CommonOptions common;
    Duration scan_timeout{15000};
    unsigned scan_attempts = 3;  // scans before "SSID not found"
};

struct ConnectParameters {
    Bytes ssid;
    std::optional<MacAddress> bssid;           // only this BSS
    std::optional<uint32_t> frequency_mhz;     // scan only this channel
    RsnSettings rsn;
    // Probe for the SSID (hidden networks). Off: a passive scan, which
    // sees every beacon on the channels it visits.
    bool active_scan = false;
};

enum class StationState { kIdle, kScanning, kConnecting, kConnected };
const char* station_state_name(StationState state);

class Nl80211StationListener {
public:
    virtual ~Nl80211StationListener() = default;
    virtual void on_connected(const ScanBss& bss) { (void)bss; }
    // Scan found nothing, CONNECT failed or was refused (the detail names
    // the IEEE 802.11 status code or the timeout).
    virtual void on_connect_failed(const Error& error) { (void)error; }
    // IEEE 802.11-2020 §9.4.1.7 reason code; by_ap when the AP ended it.
    virtual void on_disconnected(uint16_t reason, bool by_ap) { (void)reason; (void)by_ap; }
    virtual void on_roamed(const MacAddress& bssid) { (void)bssid; }
};

class Nl80211StationDriver final : public Nl80211DriverBase {
public:
    // Brings the interface up in station mode and checks the wiphy.
    static Result<std::unique_ptr<Nl80211StationDriver>> open(EventLoop& loop, const Nl80211StationOptions& options);
    ~Nl80211StationDriver() override;

    void set_station_listener(Nl80211StationListener* listener) { station_listener_ = listener; }

    // Starts scan, selection and CONNECT; the outcome arrives through the
    // listener. Fails at once for bad parameters or ciphers the wiphy lacks.
    Status connect(const ConnectParameters& parameters);
    // Reconnects to another BSS of the same SSID (a simple reconnect:
    // DISCONNECT, scan, CONNECT; no fast transition, no PMKSA reuse here).
    // `frequency_mhz` narrows the scan to the target's channel.
    Status roam(const MacAddress& bssid, std::optional<uint32_t> frequency_mhz = std::nullopt);
    // NL80211_CMD_DISCONNECT with a reason code; no-op when idle.
    Status disconnect(uint16_t reason);

    StationState state() const { return state_; }
    const std::optional<ScanBss>& current_bss() const { return current_bss_; }
    const std::vector<ScanBss>& last_scan_results() const { return scan_results_; }

private:
    Nl80211StationDriver(EventLoop& loop, const Nl80211StationOptions& options, Opened opened, EapolTransport transport);
    void on_event(const Nl80211Event& event) override;
    Status trigger_scan();
    void on_scan_done(bool aborted);
    Status fetch_scan_results();
    Status send_connect(const ScanBss& bss);
    void on_connect_event(const Nl80211Event& event);
    void on_disconnect_event(const Nl80211Event& event);
    void fail(Error error);
    void set_state(StationState state);
    void cancel_timer();

    Nl80211StationOptions options_;
    Nl80211StationListener* station_listener_ = nullptr;
    StationState state_ = StationState::kIdle;
    ConnectParameters parameters_;
    unsigned scans_left_ = 0;
    bool roaming_ = false;
    TimerId timer_ = kNoTimer;
    std::vector<ScanBss> scan_results_;
    std::optional<ScanBss> current_bss_;
    std::optional<ScanBss> pending_bss_;
};

}  // namespace lanyard
