// The nl80211 messages the Wi-Fi drivers read, parsed from their attribute
// bytes without libnl (include/uapi/linux/nl80211.h is the specification):
// the wiphy capabilities of a GET_WIPHY split dump, the interface facts of
// GET_INTERFACE, one BSS of a GET_SCAN dump, and the MLME/control-port
// events. Pure, so the unit tests and libFuzzer reach all of it; the libnl
// side (drivers/nl80211/) only moves bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard {

// What one wiphy can do, accumulated over the messages of a split dump
// (NL80211_ATTR_SPLIT_WIPHY_DUMP spreads bands, commands and features over
// several NEW_WIPHY messages).
struct WiphyCapabilities {
    uint32_t wiphy_index = 0;
    std::string name;
    std::set<uint32_t> interface_types;   // enum nl80211_iftype
    std::set<uint32_t> cipher_suites;     // OUI << 8 | type, e.g. 0x000FAC04
    std::set<uint32_t> commands;          // enum nl80211_commands
    std::set<uint32_t> frequencies_mhz;   // enabled channels of every band
    Bytes extended_features;              // NL80211_ATTR_EXT_FEATURES bitmap
    uint32_t feature_flags = 0;           // NL80211_ATTR_FEATURE_FLAGS
    // NL80211_ATTR_DEVICE_AP_SME: the device authenticates and associates
    // stations itself (fullmac); mac80211 does not, so the AP driver runs
    // a minimal SME in user space.
    bool device_ap_sme = false;
    size_t messages = 0;

    bool supports_interface_type(uint32_t type) const { return interface_types.count(type) != 0; }
    bool supports_cipher(uint32_t suite) const { return cipher_suites.count(suite) != 0; }
    bool supports_command(uint32_t command) const { return commands.count(command) != 0; }
    // enum nl80211_ext_feature_index: bit n of the bitmap.
    bool has_extended_feature(unsigned index) const;
    bool control_port_over_nl80211() const;
    std::string describe() const;  // one line for the log
};

// Merges the attributes of one NEW_WIPHY message. Messages for another
// wiphy index than `capabilities.wiphy_index` are an error (the dump is
// filtered by wiphy).
Status merge_wiphy_message(ByteView attributes, WiphyCapabilities& capabilities);

// What a role needs from the wiphy. Cipher suites are checked only when a
// protected network is configured.
struct WiphyRequirements {
    uint32_t interface_type = 0;               // NL80211_IFTYPE_STATION or _AP
    std::vector<uint32_t> cipher_suites;       // e.g. CCMP-128, BIP-CMAC-128
    bool control_port_over_nl80211 = false;    // required (no packet-socket fallback)
    std::optional<uint32_t> frequency_mhz;     // the AP's channel
};
// ok, or a kUnsupported error naming everything the wiphy lacks.
Status check_wiphy(const WiphyCapabilities& capabilities, const WiphyRequirements& requirements);

const char* nl80211_iftype_name(uint32_t type);
std::string cipher_suite_name(uint32_t suite);

// IEEE 802.11-2020 Table 9-149 selectors (OUI 00-0F-AC).
inline constexpr uint32_t kCipherCcmp128 = 0x000FAC04;
inline constexpr uint32_t kCipherBipCmac128 = 0x000FAC06;
inline constexpr uint32_t kCipherGcmp128 = 0x000FAC08;
inline constexpr uint32_t kAkm8021X = 0x000FAC01;
inline constexpr uint32_t kAkmPsk = 0x000FAC02;
inline constexpr uint32_t kAkm8021XSha256 = 0x000FAC05;

// GET_INTERFACE reply (NL80211_CMD_NEW_INTERFACE).
struct InterfaceFacts {
    uint32_t interface_index = 0;
    uint32_t wiphy_index = 0;
    uint32_t interface_type = 0;
    std::string name;
    MacAddress address;
};
Result<InterfaceFacts> parse_interface_message(ByteView attributes);

// One BSS of a GET_SCAN dump (NL80211_ATTR_BSS).
struct ScanBss {
    MacAddress bssid;
    uint32_t frequency_mhz = 0;
    int32_t signal_mbm = -10000;   // 100 * dBm; -100 dBm when the driver gave none
    uint16_t capability = 0;
    Bytes ssid;                    // empty for a hidden SSID
    Bytes ies;                     // probe response IEs, else beacon IEs
    std::optional<Bytes> rsn_element;  // ID and length included
};
Result<ScanBss> parse_scan_message(ByteView attributes);

// The strongest BSS announcing `ssid` (ties: the first), or nullopt.
// Optionally restricted to one BSSID.
std::optional<ScanBss> select_bss(const std::vector<ScanBss>& results, ByteView ssid,
                                  const std::optional<MacAddress>& bssid = std::nullopt);

// An MLME, station or control-port event. Fields absent from the message
// stay empty; which ones matter depends on `command`.
struct Nl80211Event {
    uint8_t command = 0;
    std::optional<uint32_t> interface_index;
    std::optional<MacAddress> mac;          // peer: BSSID, station or frame source
    std::optional<uint16_t> status_code;    // CONNECT (IEEE 802.11 status, §9.4.1.9)
    std::optional<uint16_t> reason_code;    // DISCONNECT, DEL_STATION (§9.4.1.7)
    bool by_ap = false;                     // NL80211_ATTR_DISCONNECTED_BY_AP
    bool timed_out = false;                 // NL80211_ATTR_TIMED_OUT
    std::optional<uint32_t> frequency_mhz;
    Bytes ies;                              // NEW_STATION: (re)association request IEs
    Bytes response_ies;                     // CONNECT/ROAM: response IEs
    Bytes frame;                            // CONTROL_PORT_FRAME: the EAPOL PDU; FRAME: the 802.11 frame
    std::optional<uint16_t> ethertype;
    bool unencrypted = false;               // NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT
    bool acked = false;                     // FRAME_TX_STATUS: NL80211_ATTR_ACK
};
Result<Nl80211Event> parse_nl80211_event(uint8_t command, ByteView attributes);

}  // namespace lanyard
