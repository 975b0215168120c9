// One WPA2/WPA3-Enterprise station session (the Wi-Fi twin of
// WiredSession): association through a WifiLink with our RSN element, EAP
// through the same SupplicantPort and EapPeerAdapter as a wired port, then
// the PMK (IEEE 802.11-2020 §12.7.1.3: the first 256 bits of the MSK, or a
// cached PMKSA) for the 4-way handshake (eapol::FourWayHandshakeSupplicant,
// keys through the driver's KeyInstaller), and only then the controlled
// port opens. Group rekeys go to the same machine. PMKSA caching
// (§12.6.10.2): after a completed handshake the PMKSA is cached per BSSID;
// (re)associating with that BSSID again puts its PMKID in our RSN element
// and feeds the cached PMK, so an AP that knows it skips EAP.
//
// wpa_supplicant's states and events: SCANNING, ASSOCIATED, 4WAY_HANDSHAKE,
// COMPLETED, DISCONNECTED; "WPA: Key negotiation completed with <bssid>
// [PTK=CCMP GTK=CCMP]", "CTRL-EVENT-CONNECTED - Connection to <bssid>
// completed [id=N id_str=]", "CTRL-EVENT-DISCONNECTED bssid=... reason=N".
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/driver.h"
#include "eapol/four_way_supplicant.h"
#include "eapol/pmksa_cache.h"
#include "eapol/port_sink.h"
#include "eapol/rsn_element.h"
#include "eapol/supplicant_port.h"
#include "methods/eap_config.h"
#include "methods/eap_peer.h"
#include "supplicant/eap_peer_adapter.h"
#include "supplicant/supplicant_events.h"
#include "supplicant/tls_session_cache.h"
#include "supplicant/wifi_link.h"

namespace lanyard::supplicant {

enum class WifiState { kDisconnected, kScanning, kAssociated, kFourWay, kCompleted };
const char* wifi_state_name(WifiState state);

struct WifiSessionConfig {
    size_t network_id = 0;
    std::string id_str;
    Bytes ssid;
    uint32_t akm = eapol::kAkm8021x;  // WPA-EAP; WPA-EAP-SHA256 is 00-0F-AC:5
    eapol::MfpPolicy mfp = eapol::MfpPolicy::kDisabled;
    bool active_scan = false;
    eapol::SupplicantPortConfig port;
    eap::PeerConfig peer;
    Duration reconnect_delay = seconds(2);  // after a failed or lost association
};

class WifiSession final : public eapol::PortSink, public DriverListener, public WifiLinkListener,
                          private EapPeerObserver {
public:
    // driver must have a KeyInstaller. Everything referenced must outlive
    // the session. tls may be null when the network runs no TLS method.
    WifiSession(EventLoop& loop, Driver& driver, WifiLink& link, const eap::PeerCredentials& credentials,
                tls::Context* tls, TlsSessionCache& cache, RandomSource& random, SupplicantEvents& events,
                eapol::PmksaCache& pmksa, WifiSessionConfig config);
    ~WifiSession() override;
    WifiSession(const WifiSession&) = delete;
    WifiSession& operator=(const WifiSession&) = delete;

    // Attaches to the driver and link and starts scanning for the SSID.
    void start();
    // wpa_cli reassociate / reconnect: a fresh association with any BSS.
    void reassociate();
    // wpa_cli disconnect: leave, and stay away until reassociate.
    void disconnect();
    // wpa_cli roam <bssid>: reassociate with that BSS of the same SSID
    // (with its PMKID when a PMKSA is cached for it).
    Status roam(const MacAddress& bssid);
    // Daemon shutdown: disassociate, CTRL-EVENT-DISCONNECTED, detach.
    void stop();

    WifiState state() const { return state_; }
    const std::optional<ScanBss>& bss() const { return bss_; }
    const WifiSessionConfig& config() const { return config_; }
    const eapol::SupplicantPort& port() const { return port_; }
    const EapPeerAdapter& eap() const { return adapter_; }
    const Driver& driver() const { return driver_; }
    const eapol::FourWayHandshakeSupplicant* handshake() const { return four_way_.get(); }
    uint32_t pairwise_cipher() const { return eapol::kCipherCcmp128; }
    uint32_t group_cipher() const { return group_cipher_; }
    bool pmksa_used() const { return pmksa_used_; }
    uint64_t send_failures() const { return send_failures_; }
    uint64_t group_rekeys() const { return group_rekeys_; }

    // PortSink
    void send_eapol(const MacAddress& peer, ByteView pdu) override;
    void port_status_changed(const MacAddress& peer, eapol::PortStatus status) override;

    // DriverListener
    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override;

    // WifiLinkListener
    void on_associated(const ScanBss& bss) override;
    void on_association_failed(const std::string& reason) override;
    void on_link_lost(uint16_t reason, bool by_ap) override;

private:
    // EapPeerObserver
    void eap_started() override;
    void eap_proposed_method(uint8_t type) override;
    void eap_method_selected(uint8_t type) override;
    void eap_succeeded(std::optional<eap::Type> method, unsigned rounds, bool resumed) override;
    void eap_failed(std::optional<eap::Type> method, unsigned rounds, const std::string& reason) override;

    TimePoint now() const { return loop_.clock().now(); }
    Status begin_association(std::optional<MacAddress> bssid);
    Status setup_handshake(const ScanBss& bss);
    void on_handshake_event(const eapol::HandshakeEvent& event);
    void drop_association();
    void schedule_reconnect();
    void reschedule();
    void on_timer();

    EventLoop& loop_;
    Driver& driver_;
    WifiLink& link_;
    RandomSource& random_;
    SupplicantEvents& events_;
    eapol::PmksaCache& pmksa_;
    WifiSessionConfig config_;
    EapPeerAdapter adapter_;
    eapol::SupplicantPort port_;

    WifiState state_ = WifiState::kDisconnected;
    bool attached_ = false;
    bool user_disconnected_ = false;
    bool roaming_ = false;
    Bytes own_rsne_;                          // as sent in the association request
    std::optional<eapol::Pmkid> offered_pmkid_;
    std::optional<ScanBss> bss_;
    std::unique_ptr<eapol::FourWayHandshakeSupplicant> four_way_;
    SecretBytes pmk_;
    bool pmksa_used_ = false;
    uint32_t group_cipher_ = eapol::kCipherCcmp128;
    bool handshake_failed_ = false;
    TimerId timer_ = kNoTimer;
    TimerId reconnect_timer_ = kNoTimer;
    uint64_t send_failures_ = 0;
    uint64_t group_rekeys_ = 0;
};

}  // namespace lanyard::supplicant
