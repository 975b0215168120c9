#include "supplicant/network_select.h"

#include <optional>

namespace lanyard::supplicant {

Result<size_t> select_wired_network(const WpaConfig& config) {
    for (size_t i = 0; i < config.networks.size(); ++i) {
        const NetworkBlock& n = config.networks[i];
        if (n.disabled == 0 && n.has_key_mgmt(config::KeyMgmt::kIeee8021x)) return i;
    }
    return make_error(ErrorCode::kConfig, config.file + ": no enabled network block with key_mgmt=IEEE8021X " +
                                              "(the only kind a wired port can use)");
}

Result<size_t> select_wifi_network(const WpaConfig& config) {
    std::optional<size_t> best;
    for (size_t i = 0; i < config.networks.size(); ++i) {
        const NetworkBlock& n = config.networks[i];
        if (n.disabled != 0 || n.ssid.empty()) continue;
        if (!n.has_key_mgmt(config::KeyMgmt::kWpaEap) && !n.has_key_mgmt(config::KeyMgmt::kWpaEapSha256)) continue;
        if (!best || n.priority > config.networks[*best].priority) best = i;
    }
    if (best) return *best;
    return make_error(ErrorCode::kConfig, config.file + ": no enabled network block with an ssid and " +
                                              "key_mgmt=WPA-EAP or WPA-EAP-SHA256 (what -D nl80211 can join)");
}

}  // namespace lanyard::supplicant
