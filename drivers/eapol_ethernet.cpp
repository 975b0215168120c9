#include "drivers/eapol_ethernet.h"

namespace lanyard {

Bytes build_eapol_ethernet_frame(const MacAddress& destination, const MacAddress& source,
                                 ByteView pdu) {
    ByteWriter w(kEthernetHeaderSize + pdu.size());
    w.bytes(destination.view()).bytes(source.view()).u16(kEapolEthertype).bytes(pdu);
    return w.take();
}

std::variant<ByteView, DropReason> trim_eapol_pdu(ByteView pdu) {
    if (pdu.size() < kEapolHeaderSize) return DropReason::kTooShort;
    // Body length: octets 3-4 of the EAPOL header, big-endian (§11.3).
    const size_t body_length = static_cast<size_t>(pdu[2]) << 8 | pdu[3];
    if (kEapolHeaderSize + body_length > pdu.size()) return DropReason::kTruncatedBody;
    return pdu.first(kEapolHeaderSize + body_length);
}

std::variant<EapolFrameView, DropReason> parse_eapol_ethernet_frame(ByteView frame) {
    if (frame.size() < kEthernetHeaderSize + kEapolHeaderSize) return DropReason::kTooShort;
    if (frame.size() > kMaxEthernetFrameSize) return DropReason::kOversize;
    ByteReader r(frame);
    EapolFrameView view;
    view.destination = MacAddress::from_bytes(*r.bytes(MacAddress::kSize)).value();
    view.source = MacAddress::from_bytes(*r.bytes(MacAddress::kSize)).value();
    if (*r.u16() != kEapolEthertype) return DropReason::kWrongEthertype;
    if (view.source.is_group()) return DropReason::kGroupSource;
    auto pdu = trim_eapol_pdu(r.rest());
    if (const DropReason* reason = std::get_if<DropReason>(&pdu)) return *reason;
    view.pdu = std::get<ByteView>(pdu);
    return view;
}

}  // namespace lanyard
