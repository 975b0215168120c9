#include "eapol/ethernet_frame.h"

namespace lanyard::eapol {
namespace {

Result<MacAddress> read_address(ByteReader& reader) {
    auto octets = reader.bytes(MacAddress::kSize);
    if (!octets) return octets.error();
    return MacAddress::from_bytes(*octets);
}

}  // namespace

Result<EthernetFrame> parse_ethernet_frame(ByteView frame) {
    ByteReader reader(frame);
    EthernetFrame out;
    auto destination = read_address(reader);
    if (!destination) return make_error(ErrorCode::kTruncated, "Ethernet destination: " + destination.error().detail);
    auto source = read_address(reader);
    if (!source) return make_error(ErrorCode::kTruncated, "Ethernet source: " + source.error().detail);
    auto ethertype = reader.u16();
    if (!ethertype) return make_error(ErrorCode::kTruncated, "Ethernet EtherType: " + ethertype.error().detail);
    out.header.destination = *destination;
    out.header.source = *source;
    out.header.ethertype = *ethertype;
    if (out.header.ethertype == kEtherTypeVlan) {
        // IEEE 802.1Q §9.6: TCI, then the encapsulated EtherType. One tag only.
        auto tci = reader.u16();
        auto inner = reader.u16();
        if (!tci || !inner) return make_error(ErrorCode::kTruncated, "802.1Q tag cut short");
        out.vlan_tci = *tci;
        out.header.ethertype = *inner;
    }
    out.payload = reader.rest();
    return out;
}

Bytes build_ethernet_frame(const EthernetHeader& header, ByteView payload) {
    ByteWriter writer(kEthernetHeaderSize + payload.size());
    writer.bytes(header.destination.view()).bytes(header.source.view()).u16(header.ethertype).bytes(payload);
    return writer.take();
}

}  // namespace lanyard::eapol
