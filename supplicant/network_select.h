// Which network block of a wpa_supplicant.conf a wired port uses: the first
// enabled one (disabled=0) whose key_mgmt includes IEEE8021X, as
// wpa_supplicant with ap_scan=0 on driver=wired does.
#pragma once

#include <cstddef>

#include "common/result.h"
#include "supplicant/wpa_config.h"

namespace lanyard::supplicant {

Result<size_t> select_wired_network(const WpaConfig& config);
// Wi-Fi: the first enabled block with an SSID whose key_mgmt includes
// WPA-EAP or WPA-EAP-SHA256 (the AKMs Lanyard implements), highest
// priority= first as in wpa_supplicant.
Result<size_t> select_wifi_network(const WpaConfig& config);

}  // namespace lanyard::supplicant
