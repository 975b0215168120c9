// The nl80211 requests both Wi-Fi drivers send, one function each, on an
// Nl80211Socket for one interface (include/uapi/linux/nl80211.h documents
// every command and attribute used here).
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "drivers/driver.h"
#include "drivers/key_installer.h"
#include "drivers/nl80211/nl80211_socket.h"
#include "drivers/nl80211_messages.h"

namespace lanyard {

// Interface index by name, and administrative up/down (SIOCSIFFLAGS).
Result<uint32_t> interface_index_of(const std::string& name);
Status set_interface_up(const std::string& name, bool up);

// NL80211_CMD_GET_INTERFACE for one ifindex.
Result<InterfaceFacts> get_interface(Nl80211Socket& socket, uint32_t ifindex);
// NL80211_CMD_GET_WIPHY as a split dump (NL80211_ATTR_SPLIT_WIPHY_DUMP)
// filtered to one wiphy.
Result<WiphyCapabilities> probe_wiphy(Nl80211Socket& socket, uint32_t wiphy_index);
// NL80211_CMD_SET_INTERFACE with NL80211_ATTR_IFTYPE (the interface must be down).
Status set_interface_type(Nl80211Socket& socket, uint32_t ifindex, uint32_t iftype);

// NL80211_CMD_NEW_KEY; then, when `set_default`, NL80211_CMD_SET_KEY making
// a GTK the default multicast key or an IGTK the default management key.
// The RSC goes in NL80211_KEY_SEQ as the 6-octet PN/IPN of CCMP, GCMP and
// BIP (IEEE 802.11-2020 §12.5.3.3.4, §12.5.4).
Status install_key(Nl80211Socket& socket, uint32_t ifindex, const KeyInstallRequest& request, bool set_default);
// NL80211_CMD_DEL_KEY of a station's pairwise key (index 0).
Status delete_pairwise_key(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer);

// NL80211_CMD_SET_STATION: NL80211_STA_FLAG_AUTHORIZED set or cleared.
Status set_station_authorized(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer, PortState state);

// NL80211_CMD_CONTROL_PORT_FRAME: one EAPOL PDU to `destination`
// (EtherType 88-8E), encrypted by the kernel when a pairwise key exists.
Status send_control_port_frame(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& destination,
                               ByteView pdu);

// NL80211_CMD_REGISTER_FRAME for one management frame type (any body).
Status register_frame(Nl80211Socket& socket, uint32_t ifindex, uint16_t frame_type);
// NL80211_CMD_FRAME: transmits one management frame on the current channel.
Status send_management_frame(Nl80211Socket& socket, uint32_t ifindex, ByteView frame);

// NL80211_CMD_DEL_STATION (with subtype and reason for drivers that send
// the frame themselves).
Status delete_station(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer, uint16_t reason);

}  // namespace lanyard
