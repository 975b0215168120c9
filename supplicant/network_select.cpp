#include "supplicant/network_select.h"

namespace lanyard::supplicant {

Result<size_t> select_wired_network(const WpaConfig& config) {
    for (size_t i = 0; i < config.networks.size(); ++i) {
        const NetworkBlock& n = config.networks[i];
        if (n.disabled == 0 && n.has_key_mgmt(config::KeyMgmt::kIeee8021x)) return i;
    }
    return make_error(ErrorCode::kConfig, config.file + ": no enabled network block with key_mgmt=IEEE8021X " +
                                              "(the only kind a wired port can use)");
}

}  // namespace lanyard::supplicant
