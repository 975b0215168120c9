// What the PEAP peer and server share: option parsing (wpa_supplicant's
// phase1/phase2 strings), the PEAPv0 tunnelled-packet framing, and version
// constants. No state, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

inline constexpr uint8_t kPeapVersion0 = 0;
inline constexpr uint8_t kPeapVersion1 = 1;
inline constexpr uint8_t kPeapMaxVersion = kPeapVersion1;

// wpa_supplicant's crypto_binding=0/1/2 (and the server's policy).
enum class CryptoBindingPolicy { kNone, kOptional, kRequired };

// phase1 options of a network block that PEAP reads.
struct PeapPhase1 {
    int forced_version = -1;       // peapver=0/1 (-1: negotiate, up to kPeapMaxVersion)
    bool new_label = false;        // peaplabel=1: "client PEAP encryption" for PEAPv1
    CryptoBindingPolicy crypto_binding = CryptoBindingPolicy::kOptional;  // crypto_binding=
    bool allow_tls13 = false;      // tls_disable_tlsv1_3=0 (PEAP over TLS 1.3 is off by default)
};
PeapPhase1 parse_peap_phase1(const std::string& phase1);

// phase2 "auth=NAME [NAME...]" (wpa_supplicant; also "autheap="): the inner
// methods allowed, in order. Unknown names are skipped; empty when absent.
std::vector<Type> parse_phase2_methods(const std::string& phase2);

// ---- PEAPv0 framing (draft-kamath-pppext-peapv0-00 §1.1) -------------------
// PEAPv0 tunnels inner EAP packets without their 4-octet header, except
// EAP-TLV (Extensions, Type 33) packets, which keep it. PEAPv1 tunnels whole
// packets.

// What goes into the tunnel for an inner packet.
Bytes peap_tunnel_encode(ByteView eap_packet, uint8_t version);
// Peer: the inner Request as a whole EAP packet. A v0 header-less payload
// gets Code Request and the outer Request's Identifier; a whole
// Identity Request (FreeRADIUS sends one) and EAP-TLV Requests are kept.
Result<Bytes> peap_peer_decode(ByteView payload, uint8_t version, uint8_t outer_identifier);
// Server: the inner Response as a whole EAP packet. With v0 and
// !expect_whole (the inner method's turn) the header is rebuilt with Code
// Response and `inner_identifier`; while an EAP-TLV Request is outstanding
// the peer sends whole packets.
Result<Bytes> peap_server_decode(ByteView payload, uint8_t version, bool expect_whole, uint8_t inner_identifier);

}  // namespace lanyard::eap
