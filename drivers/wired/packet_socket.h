// The AF_PACKET socket of the wired driver: bound to one interface and to
// the EAPOL Ethernet Type (IEEE 802.1X-2010 §11.1.4), member of the PAE group
// address (§11.1.1), non-blocking. Also the interface facts the driver
// needs at start: index, MAC address, and whether the link is up.
#pragma once

#include <string>

#include "common/mac_address.h"
#include "common/result.h"
#include "drivers/driver.h"
#include "drivers/wired/unique_fd.h"

namespace lanyard {

struct InterfaceInfo {
    int index = 0;
    MacAddress address;
    LinkState link = LinkState::kDown;
};

// SIOCGIFINDEX, SIOCGIFHWADDR (must be Ethernet), SIOCGIFFLAGS.
Result<InterfaceInfo> query_interface(const std::string& name);

// SOCK_RAW, so received frames keep their MAC header (we need the
// destination address) and sent frames carry the one we build.
Result<UniqueFd> open_eapol_packet_socket(int interface_index);

}  // namespace lanyard
