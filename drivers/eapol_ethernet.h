// EAPOL frames on IEEE 802.3/Ethernet: the MAC header a driver adds on
// transmit and strips on receive (IEEE 802.1X-2010 §11.1), the addresses
// of §11.1.1, and the EAPOL header length check (§11.3). Pure functions, shared
// by every driver and by the pcap writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "drivers/drop_counters.h"

namespace lanyard {

// IEEE 802.1X-2010 §11.1.4: the EAPOL Ethernet Type, 88-8E.
inline constexpr uint16_t kEapolEthertype = 0x888E;

inline constexpr size_t kEthernetHeaderSize = 14;  // destination, source, type
// IEEE 802.1X-2010 §11.3: protocol version, packet type, body length.
inline constexpr size_t kEapolHeaderSize = 4;
// Largest frame we accept or build: an untagged Ethernet frame without FCS.
inline constexpr size_t kMaxEthernetFrameSize = 1514;
inline constexpr size_t kMaxEapolPduSize = kMaxEthernetFrameSize - kEthernetHeaderSize;

struct EapolFrameView {
    MacAddress destination;
    MacAddress source;
    ByteView pdu;  // header and body, padding removed; points into the frame
};

// Destination, source, 88-8E, then the PDU. The caller checks the size.
Bytes build_eapol_ethernet_frame(const MacAddress& destination, const MacAddress& source,
                                 ByteView pdu);

// Parses an Ethernet frame that should carry EAPOL. On success the PDU is
// trimmed to 4 + body length (the rest is Ethernet padding).
std::variant<EapolFrameView, DropReason> parse_eapol_ethernet_frame(ByteView frame);

// Checks a bare EAPOL PDU (no MAC header) and trims padding after the body.
std::variant<ByteView, DropReason> trim_eapol_pdu(ByteView pdu);

}  // namespace lanyard
