// Ethernet framing for EAPOL (IEEE 802.1X-2010 §11.1): destination, source,
// EtherType 0x888E, and the PAE group address a supplicant or authenticator
// uses before it knows its peer. Pure functions over bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard::eapol {

// IEEE 802.1X-2010 §11.1.4: the PAE EtherType.
inline constexpr uint16_t kEtherTypeEapol = 0x888E;
// IEEE 802.11-2020 §12.6.10.2: RSN pre-authentication uses its own EtherType.
inline constexpr uint16_t kEtherTypeRsnPreauth = 0x88C7;
// IEEE 802.1Q customer VLAN tag, skipped when present.
inline constexpr uint16_t kEtherTypeVlan = 0x8100;

// IEEE 802.1X-2010 §11.1.1 Table 11-1: the Port Access Entity group address
// (nearest non-TPMR bridge), the default destination of EAPOL frames.
inline constexpr MacAddress kPaeGroupAddress{MacAddress::Octets{0x01, 0x80, 0xC2, 0x00, 0x00, 0x03}};

inline constexpr size_t kEthernetHeaderSize = 14;

struct EthernetHeader {
    MacAddress destination;
    MacAddress source;
    uint16_t ethertype = 0;
};

// A parsed frame. payload is a view into the input buffer.
struct EthernetFrame {
    EthernetHeader header;
    std::optional<uint16_t> vlan_tci;  // present when one 802.1Q tag was skipped
    ByteView payload;
};

// Parses destination, source and EtherType, skipping at most one 802.1Q tag.
// Anything after the header (including padding) is the payload.
Result<EthernetFrame> parse_ethernet_frame(ByteView frame);

// Header followed by payload. No padding: the NIC or kernel pads to 60 bytes.
Bytes build_ethernet_frame(const EthernetHeader& header, ByteView payload);

}  // namespace lanyard::eapol
