// The WPA2/WPA3-Enterprise layer of lanyard-authenticator on driver=nl80211
// (the Wi-Fi twin of the wired port handling): per associated station the
// RSN negotiation (IEEE 802.11-2020 §12.6.3), EAP through the unchanged
// Authenticator/StationSession (whose "port authorized" only means "EAP
// succeeded" here: the Authenticator's authorization hook hands the session
// over), the PMK from the MSK (§12.7.1.3) or from the PMKSA cache when the
// station's RSN element names a cached PMKID (§12.6.10.2: EAP is skipped),
// the 4-way handshake (eapol::FourWayHandshakeAuthenticator), and only then
// the controlled port opens. One GroupKeyAuthority per BSS, rekeyed every
// wpa_group_rekey seconds with a group key handshake to every station.
//
// hostapd's events: "AP-STA-CONNECTED <addr>" and
// "EAPOL-4WAY-HS-COMPLETED <addr>" after the 4-way handshake,
// "AP-STA-DISCONNECTED <addr>" when a connected station leaves.
//
// Nothing here names nl80211: the driver's extras (the station's RSN
// element from its association request, deauthentication) come in as
// functions, so unit tests run it over the memory driver.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "authenticator/authenticator.h"
#include "authenticator/hostapd_config.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/driver.h"
#include "drivers/key_installer.h"
#include "eapol/four_way_authenticator.h"
#include "eapol/group_keys.h"
#include "eapol/pmksa_cache.h"
#include "eapol/rsn_element.h"

namespace lanyard::authenticator {

// What hostapd.conf says about the BSS's security (wpa=2, wpa_key_mgmt,
// rsn_pairwise, ieee80211w, wpa_group_rekey), as our RSN element.
struct WifiApPolicy {
    eapol::RsnElement rsn;
    Bytes rsn_element;  // built, ID and length included (for the Beacon)
    uint32_t akm = eapol::kAkm8021x;
    eapol::MfpPolicy mfp = eapol::MfpPolicy::kDisabled;
    Duration group_rekey{0};  // 0: never
};
// Errors (naming file:line:key): wpa other than 2, no WPA-EAP /
// WPA-EAP-SHA256 in wpa_key_mgmt, a pairwise cipher other than CCMP, no ssid.
Result<WifiApPolicy> wifi_ap_policy(const HostapdConfig& config);

// The driver's station extras.
struct WifiApDriverHooks {
    std::function<std::optional<Bytes>(const MacAddress&)> station_rsn_element;
    std::function<void(const MacAddress&, uint16_t reason)> deauthenticate;
};

class WifiAccessPoint final : public DriverListener {
public:
    // Becomes the driver's listener and forwards EAP traffic to the
    // authenticator (which must not be used for wired stations then).
    // Everything referenced must outlive this object.
    WifiAccessPoint(EventLoop& loop, lanyard::Driver& driver, KeyInstaller& installer, Authenticator& authenticator,
                    RandomSource& random, WifiApPolicy policy, WifiApDriverHooks hooks);
    ~WifiAccessPoint() override;
    WifiAccessPoint(const WifiAccessPoint&) = delete;
    WifiAccessPoint& operator=(const WifiAccessPoint&) = delete;

    // Creates and installs the first GTK (and IGTK) and arms the rekey timer.
    Status start();

    // Group rekey now (the timer calls it): new GTK/IGTK, group handshakes.
    void rekey();

    size_t connected_stations() const;
    const eapol::PmksaCache& pmksa() const { return pmksa_; }
    uint64_t handshakes_completed() const { return handshakes_completed_; }
    uint64_t pmksa_hits() const { return pmksa_hits_; }

    // DriverListener (the driver reports association as on_station_arrived).
    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override;
    void on_link_state(LinkState state) override;
    void on_station_arrived(const MacAddress& station) override;
    void on_station_left(const MacAddress& station) override;

private:
    struct Station {
        std::unique_ptr<eapol::FourWayHandshakeAuthenticator> machine;
        eapol::NegotiatedRsn negotiated;
        SecretBytes pmk;
        bool from_cache = false;
        bool connected = false;  // 4-way done, port open
        TimerId timer = kNoTimer;
    };

    void eap_authorized(const StationSession& session);
    void on_handshake_event(const MacAddress& station, const eapol::HandshakeEvent& event);
    void rearm(const MacAddress& station);
    void remove(const MacAddress& station);
    void deauthenticate_later(const MacAddress& station, uint16_t reason);
    void schedule_rekey();
    TimePoint now() const { return loop_.clock().now(); }

    EventLoop& loop_;
    lanyard::Driver& driver_;
    KeyInstaller& installer_;
    Authenticator& authenticator_;
    RandomSource& random_;
    WifiApPolicy policy_;
    WifiApDriverHooks hooks_;
    std::unique_ptr<eapol::GroupKeyAuthority> group_;
    eapol::PmksaCache pmksa_;
    std::map<MacAddress, Station> stations_;
    TimerId rekey_timer_ = kNoTimer;
    uint64_t handshakes_completed_ = 0;
    uint64_t pmksa_hits_ = 0;
};

}  // namespace lanyard::authenticator
