// Where a control socket lives and who may use it: the value of
// wpa_supplicant's ctrl_interface= line, or hostapd's ctrl_interface= plus
// ctrl_interface_group=.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace lanyard {

struct CtrlSocketConfig {
    std::string dir;                 // the socket is DIR/IFNAME
    std::optional<std::string> group;  // group name or decimal gid; chgrp'ed
};

// wpa_supplicant.conf forms:
//   ctrl_interface=/var/run/wpa_supplicant
//   ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
// (also the old form "ctrl_interface_group=..." handled by the caller).
// The path must be absolute. Unknown KEY= words are an error.
Result<CtrlSocketConfig> parse_ctrl_interface(std::string_view value);

// A group name (getgrnam) or a decimal gid.
Result<gid_t> resolve_ctrl_group(std::string_view group);

}  // namespace lanyard
