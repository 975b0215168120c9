// The station-side 802.11 link a WifiSession drives: scan, select and
// associate with a BSS of one SSID, and disassociate. nl80211 implements it
// (supplicant/nl80211_wifi_link.h, linked only into the program); tests use
// a fake. EAPOL frames and keys do not pass here: they go through the
// Driver and its KeyInstaller, as on a wired port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "drivers/nl80211_messages.h"

namespace lanyard::supplicant {

struct WifiConnectRequest {
    Bytes ssid;
    std::optional<MacAddress> bssid;          // only this BSS (roaming)
    std::optional<uint32_t> frequency_mhz;    // scan only this channel
    Bytes rsn_element;                        // ours, ID and length included (IEEE 802.11-2020 §9.4.2.24)
    uint32_t akm = 0x000FAC01;
    uint32_t pairwise_cipher = 0x000FAC04;
    uint32_t group_cipher = 0x000FAC04;
    int mfp = 0;                              // ieee80211w: 0 off, 1 optional, 2 required
    bool active_scan = false;                 // scan_ssid=1
};

class WifiLinkListener {
public:
    virtual ~WifiLinkListener() = default;
    virtual void on_associated(const ScanBss& bss) = 0;
    virtual void on_association_failed(const std::string& reason) = 0;
    // IEEE 802.11-2020 §9.4.1.7 reason code; by_ap when the AP ended it.
    virtual void on_link_lost(uint16_t reason, bool by_ap) = 0;
};

class WifiLink {
public:
    virtual ~WifiLink() = default;
    virtual void set_link_listener(WifiLinkListener* listener) = 0;
    // Starts scan + association; the outcome arrives through the listener.
    virtual Status associate(const WifiConnectRequest& request) = 0;
    // Ends the association (or the attempt) at once; reported through
    // on_link_lost when an association existed.
    virtual Status disassociate(uint16_t reason) = 0;
    // The frequency of a BSS seen in the last scan, if any.
    virtual std::optional<uint32_t> frequency_of(const MacAddress& bssid) const = 0;
};

}  // namespace lanyard::supplicant
