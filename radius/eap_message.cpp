// EAP-Message splitting and joining (RFC 3579 §3.1).
#include "radius/eap_message.h"

#include <algorithm>

#include "radius/radius_attributes.h"

namespace lanyard::radius {

Status add_eap_message(Packet& packet, ByteView eap) {
    if (eap.empty()) return make_error(ErrorCode::kMalformed, "empty EAP packet for EAP-Message");
    size_t current = kHeaderSize;
    for (const auto& a : packet.attributes) current += kAttributeHeaderSize + a.value.size();
    const size_t pieces = (eap.size() + kMaxAttributeValueSize - 1) / kMaxAttributeValueSize;
    if (current + eap.size() + pieces * kAttributeHeaderSize > kMaxPacketSize)
        return make_error(ErrorCode::kLimit, "EAP packet of " + std::to_string(eap.size()) +
                                                 " octets does not fit in a 4096-octet RADIUS packet");
    for (size_t off = 0; off < eap.size(); off += kMaxAttributeValueSize) {
        const size_t n = std::min(kMaxAttributeValueSize, eap.size() - off);
        LANYARD_TRY(packet.add(attr::kEapMessage, eap.subspan(off, n)));
    }
    return ok_status();
}

Result<std::optional<Bytes>> join_eap_message(const Packet& packet) {
    Bytes joined;
    bool any = false;
    for (const auto& a : packet.attributes) {
        if (a.type != attr::kEapMessage) continue;
        any = true;
        joined.insert(joined.end(), a.value.begin(), a.value.end());
    }
    if (!any) return std::optional<Bytes>();
    if (joined.size() < 4)
        return make_error(ErrorCode::kMalformed, "joined EAP-Message of " + std::to_string(joined.size()) +
                                                     " octets is shorter than an EAP header");
    const size_t eap_length = (size_t(joined[2]) << 8) | joined[3];
    if (eap_length != joined.size())
        return make_error(ErrorCode::kMalformed, "joined EAP-Message is " + std::to_string(joined.size()) +
                                                     " octets but the EAP Length field says " + std::to_string(eap_length));
    return std::optional<Bytes>(std::move(joined));
}

}  // namespace lanyard::radius
