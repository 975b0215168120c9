// RADIUS packet codec (RFC 2865 §3, §5, §5.26).
#include "radius/radius_packet.h"

#include <algorithm>

namespace lanyard::radius {

const char* code_name(uint8_t code) {
    switch (code) {
        case 1: return "Access-Request";
        case 2: return "Access-Accept";
        case 3: return "Access-Reject";
        case 4: return "Accounting-Request";
        case 5: return "Accounting-Response";
        case 11: return "Access-Challenge";
        case 12: return "Status-Server";
        case 13: return "Status-Client";
        default: return "Unknown";
    }
}

const Attribute* Packet::find(uint8_t type) const {
    for (const auto& a : attributes)
        if (a.type == type) return &a;
    return nullptr;
}

std::vector<const Attribute*> Packet::find_all(uint8_t type) const {
    std::vector<const Attribute*> out;
    for (const auto& a : attributes)
        if (a.type == type) out.push_back(&a);
    return out;
}

size_t Packet::count(uint8_t type) const {
    return static_cast<size_t>(std::count_if(attributes.begin(), attributes.end(),
                                             [type](const Attribute& a) { return a.type == type; }));
}

Status Packet::add(uint8_t type, ByteView value) {
    if (value.size() > kMaxAttributeValueSize)
        return make_error(ErrorCode::kLimit, "attribute " + std::to_string(type) + " value of " +
                                                 std::to_string(value.size()) + " octets exceeds 253");
    attributes.push_back(Attribute{type, Bytes(value.begin(), value.end())});
    return ok_status();
}

void Packet::remove_all(uint8_t type) {
    std::erase_if(attributes, [type](const Attribute& a) { return a.type == type; });
}

Result<Packet> parse_packet(ByteView datagram) {
    Packet p;
    auto walked = walk_attributes(datagram, [&](uint8_t type, size_t off, size_t len) {
        p.attributes.push_back(Attribute{type, Bytes(datagram.begin() + off, datagram.begin() + off + len)});
    });
    if (!walked) return walked.error();
    p.code = datagram[0];
    p.identifier = datagram[1];
    std::copy_n(datagram.begin() + 4, kAuthenticatorSize, p.authenticator.begin());
    return p;
}

Result<Bytes> serialize_packet(const Packet& packet) {
    size_t total = kHeaderSize;
    for (const auto& a : packet.attributes) {
        if (a.value.size() > kMaxAttributeValueSize)
            return make_error(ErrorCode::kLimit, "attribute " + std::to_string(a.type) + " value exceeds 253 octets");
        total += kAttributeHeaderSize + a.value.size();
    }
    if (total > kMaxPacketSize)
        return make_error(ErrorCode::kLimit, "RADIUS packet of " + std::to_string(total) + " octets exceeds 4096");
    ByteWriter w(total);
    w.u8(packet.code).u8(packet.identifier).u16(static_cast<uint16_t>(total)).bytes(packet.authenticator);
    for (const auto& a : packet.attributes)
        w.u8(a.type).u8(static_cast<uint8_t>(a.value.size() + kAttributeHeaderSize)).bytes(a.value);
    return w.take();
}

Result<std::vector<VendorAttribute>> parse_vendor_specific(ByteView value) {
    ByteReader r(value);
    auto vendor = r.u32();
    if (!vendor) return make_error(ErrorCode::kMalformed, "Vendor-Specific shorter than its Vendor-Id");
    // RFC 2865 §5.26: "The high-order octet is 0".
    if ((*vendor >> 24) != 0) return make_error(ErrorCode::kMalformed, "Vendor-Id high-order octet is not 0");
    std::vector<VendorAttribute> out;
    if (r.empty()) return make_error(ErrorCode::kMalformed, "Vendor-Specific has no String (Length < 7)");
    // Bounded: each sub-attribute consumes >= 2 of at most 249 octets.
    while (!r.empty()) {
        if (r.remaining() < 2)
            return make_error(ErrorCode::kMalformed, "vendor " + std::to_string(*vendor) + " sub-attribute header truncated");
        const uint8_t vtype = *r.u8();
        const uint8_t vlen = *r.u8();
        if (vlen < 2)
            return make_error(ErrorCode::kMalformed, "vendor " + std::to_string(*vendor) + " sub-attribute " +
                                                         std::to_string(vtype) + " has Length " + std::to_string(vlen));
        auto v = r.bytes(vlen - 2u);
        if (!v)
            return make_error(ErrorCode::kMalformed, "vendor " + std::to_string(*vendor) + " sub-attribute " +
                                                         std::to_string(vtype) + " overruns the attribute");
        out.push_back(VendorAttribute{*vendor, vtype, Bytes(v->begin(), v->end())});
    }
    return out;
}

Result<Bytes> build_vendor_specific(uint32_t vendor_id, uint8_t vendor_type, ByteView value) {
    if ((vendor_id >> 24) != 0) return make_error(ErrorCode::kMalformed, "Vendor-Id high-order octet must be 0");
    if (value.size() > kMaxVendorValueSize)
        return make_error(ErrorCode::kLimit, "vendor sub-attribute value of " + std::to_string(value.size()) +
                                                 " octets exceeds 247");
    ByteWriter w(6 + value.size());
    w.u32(vendor_id).u8(vendor_type).u8(static_cast<uint8_t>(value.size() + 2)).bytes(value);
    return w.take();
}

Result<std::vector<Bytes>> find_vendor(const Packet& packet, uint32_t vendor_id, uint8_t vendor_type) {
    std::vector<Bytes> out;
    for (const auto* a : packet.find_all(26)) {
        auto subs = parse_vendor_specific(a->value);
        if (!subs) return subs.error();
        for (auto& s : *subs)
            if (s.vendor_id == vendor_id && s.vendor_type == vendor_type) out.push_back(std::move(s.value));
    }
    return out;
}

}  // namespace lanyard::radius
