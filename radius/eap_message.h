// EAP-Message (RFC 3579 §3.1): an EAP packet split over consecutive
// attributes of at most 253 octets, joined in order at the receiver.
#pragma once

#include <optional>

#include "common/bytes.h"
#include "common/result.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

// Appends the EAP packet as EAP-Message attributes of up to 253 octets each.
// An empty EAP packet is rejected (kMalformed): RFC 3579 §3.1 gives no way to
// carry one. Fails (kLimit) if the packet would then exceed 4096 octets —
// checked here so the caller sees it before signing.
Status add_eap_message(Packet& packet, ByteView eap);

// Concatenates every EAP-Message attribute in order. nullopt when there is
// none. The joined data must be a whole EAP packet: at least 4 octets and
// exactly the EAP Length field (RFC 3579 §3.1; RFC 3748 §4) — kMalformed
// otherwise.
Result<std::optional<Bytes>> join_eap_message(const Packet& packet);

}  // namespace lanyard::radius
