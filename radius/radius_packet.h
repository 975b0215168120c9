// The RADIUS packet codec (RFC 2865 §3, §5): header, attributes and
// vendor-specific attributes. Pure functions; no secrets are involved here
// (authenticators live in message_authenticator.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::radius {

// RFC 2865 §3: Code(1) Identifier(1) Length(2) Authenticator(16).
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kAuthenticatorSize = 16;
// RFC 2865 §3: "The minimum length is 20 and maximum length is 4096."
inline constexpr size_t kMaxPacketSize = 4096;
// RFC 2865 §5: Type(1) Length(1) Value; Length counts the two header octets.
inline constexpr size_t kAttributeHeaderSize = 2;
inline constexpr size_t kMaxAttributeValueSize = 253;

using Authenticator = std::array<uint8_t, kAuthenticatorSize>;

// RFC 2865 §3, RFC 2866 §3. Kept as an octet in Packet: unknown codes parse
// (a server counts and drops them, RFC 2865 §3 "silently discarded").
enum class Code : uint8_t {
    kAccessRequest = 1,
    kAccessAccept = 2,
    kAccessReject = 3,
    kAccountingRequest = 4,
    kAccountingResponse = 5,
    kAccessChallenge = 11,
    kStatusServer = 12,
    kStatusClient = 13,
};

const char* code_name(uint8_t code);

struct Attribute {
    uint8_t type = 0;
    Bytes value;  // 0..253 octets

    friend bool operator==(const Attribute&, const Attribute&) = default;
};

struct Packet {
    uint8_t code = 0;
    uint8_t identifier = 0;
    Authenticator authenticator{};
    std::vector<Attribute> attributes;  // in wire order

    bool is(Code c) const { return code == static_cast<uint8_t>(c); }

    // The first attribute of a type, or nullptr.
    const Attribute* find(uint8_t type) const;
    // Every attribute of a type, in order.
    std::vector<const Attribute*> find_all(uint8_t type) const;
    size_t count(uint8_t type) const;
    // Appends an attribute. Fails (kLimit) when the value exceeds 253 octets.
    Status add(uint8_t type, ByteView value);
    // Removes every attribute of a type.
    void remove_all(uint8_t type);

    friend bool operator==(const Packet&, const Packet&) = default;
};

// RFC 2865 §3: parses one packet. Length must be 20..4096 and not exceed the
// datagram (kTruncated); octets past Length are padding and ignored ("Octets
// outside the range of the Length field MUST be treated as padding and
// ignored on reception"). Every attribute must have Length >= 2 and fit
// inside the packet (kMalformed): RFC 2865 §5 and RFC 5080 §2.2.1 say a
// packet with an attribute that overruns is discarded, not truncated.
Result<Packet> parse_packet(ByteView datagram);

// Serializes with the packet's authenticator as it stands. Fails (kLimit) if
// the result would exceed 4096 octets or a value 253.
Result<Bytes> serialize_packet(const Packet& packet);

// Walks the attributes of a serialized, already-validated packet and calls
// visit(type, value_offset, value_length) for each, in order. Used by the
// authenticator code, which has to zero and patch values in place. Fails on
// the same malformed inputs as parse_packet.
template <typename Visit>
Status walk_attributes(ByteView packet, Visit&& visit);

// ---- Vendor-Specific (RFC 2865 §5.26) -------------------------------------
// Type 26, Length >= 7, Vendor-Id (4 octets, high octet 0), then String. The
// String follows the RFC's suggested format of vendor sub-attributes
// (vendor-type(1) vendor-length(1) value), which Microsoft (311, RFC 2548)
// and most vendors use.
inline constexpr uint32_t kVendorMicrosoft = 311;

struct VendorAttribute {
    uint32_t vendor_id = 0;
    uint8_t vendor_type = 0;
    Bytes value;

    friend bool operator==(const VendorAttribute&, const VendorAttribute&) = default;
};

// Parses the Value of one type-26 attribute into its sub-attributes. A
// sub-attribute Length < 2 or overrunning the attribute is kMalformed; a
// Vendor-Id whose high octet is not 0 is kMalformed.
Result<std::vector<VendorAttribute>> parse_vendor_specific(ByteView value);

// Builds the Value of one type-26 attribute holding one sub-attribute. Fails
// (kLimit) if the sub-attribute value exceeds 253 - 4 - 2 = 247 octets.
inline constexpr size_t kMaxVendorValueSize = kMaxAttributeValueSize - 4 - 2;
Result<Bytes> build_vendor_specific(uint32_t vendor_id, uint8_t vendor_type, ByteView value);

// Every sub-attribute of a vendor and type across all type-26 attributes of
// the packet, in order. Malformed VSAs are an error, not skipped.
Result<std::vector<Bytes>> find_vendor(const Packet& packet, uint32_t vendor_id, uint8_t vendor_type);

// ---- template implementation ----------------------------------------------
template <typename Visit>
Status walk_attributes(ByteView packet, Visit&& visit) {
    if (packet.size() < kHeaderSize) return make_error(ErrorCode::kTruncated, "RADIUS header needs 20 octets");
    const size_t length = (size_t(packet[2]) << 8) | packet[3];
    if (length < kHeaderSize || length > kMaxPacketSize)
        return make_error(ErrorCode::kMalformed, "RADIUS Length " + std::to_string(length) + " outside 20..4096");
    if (length > packet.size())
        return make_error(ErrorCode::kTruncated, "RADIUS Length " + std::to_string(length) + " exceeds datagram of " +
                                                     std::to_string(packet.size()));
    size_t pos = kHeaderSize;
    // Bounded: each step advances by at least 2 octets within <= 4096.
    while (pos < length) {
        if (length - pos < kAttributeHeaderSize)
            return make_error(ErrorCode::kMalformed, "attribute header truncated at offset " + std::to_string(pos));
        const uint8_t type = packet[pos];
        const size_t alen = packet[pos + 1];
        if (alen < kAttributeHeaderSize)
            return make_error(ErrorCode::kMalformed, "attribute " + std::to_string(type) + " has Length " +
                                                         std::to_string(alen) + " < 2");
        if (alen > length - pos)
            return make_error(ErrorCode::kMalformed, "attribute " + std::to_string(type) + " overruns the packet");
        visit(type, pos + kAttributeHeaderSize, alen - kAttributeHeaderSize);
        pos += alen;
    }
    return ok_status();
}

}  // namespace lanyard::radius
