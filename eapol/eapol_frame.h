// The EAPOL PDU codec (IEEE 802.1X-2010 §11.3; IEEE 802.1X-2004 §7.5):
//
//   Protocol Version (1) | Packet Type (1) | Packet Body Length (2) | Body
//
// Parsing validates the header fully and hands back a view of the body;
// octets after the body are Ethernet padding and are ignored (§11.4 c).
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::eapol {

// IEEE 802.1X-2010 §11.3.1: protocol versions.
inline constexpr uint8_t kVersion2001 = 1;  // IEEE Std 802.1X-2001
inline constexpr uint8_t kVersion2004 = 2;  // IEEE Std 802.1X-2004
inline constexpr uint8_t kVersion2010 = 3;  // IEEE Std 802.1X-2010

inline constexpr size_t kEapolHeaderSize = 4;

// IEEE 802.1X-2010 §11.3.2 Table 11-3: packet types.
enum class PacketType : uint8_t {
    kEapPacket = 0,
    kStart = 1,
    kLogoff = 2,
    kKey = 3,
    kEncapsulatedAsfAlert = 4,
    kMka = 5,                    // 802.1X-2010: MACsec Key Agreement
    kAnnouncementGeneric = 6,    // 802.1X-2010 §11.12
    kAnnouncementSpecific = 7,
    kAnnouncementRequest = 8,
};

// "EAP-Packet", "EAPOL-Start", ... for logs.
const char* packet_type_name(PacketType type);
// Types the PAE machines act on (EAP, Start, Logoff, Key). The others are
// recognized, counted and ignored (MKA and announcements are not implemented;
// ASF alerts are not ours to interpret).
bool packet_type_supported(PacketType type);

struct EapolPdu {
    // As received. Versions above 3 are accepted and read as version 3
    // (802.1X-2010 §11.5: a later version stays parseable by earlier PAEs).
    uint8_t version = kVersion2004;
    PacketType type = PacketType::kEapPacket;
    // A view into the buffer given to parse_eapol_pdu (Packet Body Length octets).
    ByteView body;
};

// Errors: kTruncated when the buffer is shorter than the header or than
// Packet Body Length says (the MIB's eapLengthErrorFramesRx); kMalformed for
// version 0; kUnsupported for a packet type no version defines.
Result<EapolPdu> parse_eapol_pdu(ByteView pdu);

// Header and body. The body must fit the 16-bit length field.
Result<Bytes> build_eapol_pdu(uint8_t version, PacketType type, ByteView body);

// The EAP packet carried by an EAP-Packet body: checks the EAP header
// (RFC 3748 §4) far enough to cut the packet at its own Length field
// (4 <= Length <= body size); further checks are the EAP engine's.
Result<ByteView> eap_packet_in_body(ByteView body);

}  // namespace lanyard::eapol
