// wpa_cli STATUS / STATUS-VERBOSE for a Wi-Fi session (the lines and order
// of wpa_supplicant 2.10: bssid, freq, ssid, id, mode, pairwise_cipher,
// group_cipher, key_mgmt, wpa_state, address, then the 802.1X and EAP
// lines), and the control commands of a Wi-Fi station: STATUS,
// STATUS-VERBOSE, REASSOCIATE, RECONNECT, DISCONNECT, ROAM <bssid>,
// PMKSA, TERMINATE, LIST_NETWORKS, INTERFACES.
#pragma once

#include <functional>
#include <string>

#include "common/ctrl_socket.h"
#include "eapol/pmksa_cache.h"
#include "supplicant/wifi_session.h"
#include "supplicant/wpa_config.h"

namespace lanyard::supplicant {

// "WPA2/IEEE 802.1X/EAP" (AKM 1) or "WPA2-EAP-SHA256" (AKM 5), as wpa_supplicant.
const char* wifi_key_mgmt_name(uint32_t akm);

std::string wifi_status_text(const WifiSession& session, bool verbose);

void register_wifi_commands(CtrlSocketServer& server, WifiSession& session, const WpaConfig& config,
                            const eapol::PmksaCache& pmksa, std::function<void()> terminate);

}  // namespace lanyard::supplicant
