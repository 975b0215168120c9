// The EAP packet codec (RFC 3748 §4): one pure parser, one serializer and
// builders for the packets the engine itself produces (Identity,
// Notification, Nak, Success, Failure). No state, no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

// RFC 3748 §4: Code(1) Identifier(1) Length(2), then Type(1) for Request and
// Response. Success and Failure are the bare 4-octet header.
inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kMaxPacketSize = 0xffff;                      // Length is 16 bits
inline constexpr size_t kMaxTypeDataSize = kMaxPacketSize - kHeaderSize - 1;

struct Packet {
    Code code = Code::kRequest;
    uint8_t identifier = 0;
    // The Type octet (RFC 3748 §5); meaningful for Request and Response only
    // (0 for Success and Failure). Kept as an octet: unknown types are legal.
    uint8_t type = 0;
    // Everything after the Type octet (Request/Response); empty otherwise.
    Bytes type_data;

    bool is_request() const { return code == Code::kRequest; }
    bool is_response() const { return code == Code::kResponse; }
    bool has_type() const { return code == Code::kRequest || code == Code::kResponse; }
    bool type_is(Type t) const { return has_type() && type == static_cast<uint8_t>(t); }

    friend bool operator==(const Packet&, const Packet&) = default;
};

// RFC 3748 §4: parses one EAP packet. The Length field is checked against the
// buffer: a buffer shorter than Length is an error (kTruncated); octets past
// Length are ignored (RFC 3748 §4.1 "octets outside the range of the Length
// field should be treated as Data Link Layer padding"). Request and Response
// must carry a Type (Length >= 5); Success and Failure must have Length 4
// (RFC 3748 §4.2). An unknown Code is kMalformed.
Result<Packet> parse_packet(ByteView data);

// Serializes a packet. Fails (kLimit) only when the type data does not fit in
// the 16-bit Length field.
Result<Bytes> serialize_packet(const Packet& packet);

// A short text for debug logs: "Request id=7 type=MD5 len=22".
std::string describe(const Packet& packet);

// ---- builders ---------------------------------------------------------------
// All builders fail only when the data would not fit the Length field.
Result<Bytes> build_request(uint8_t identifier, uint8_t type, ByteView type_data);
Result<Bytes> build_response(uint8_t identifier, uint8_t type, ByteView type_data);
inline Result<Bytes> build_request(uint8_t identifier, Type type, ByteView type_data) {
    return build_request(identifier, static_cast<uint8_t>(type), type_data);
}
inline Result<Bytes> build_response(uint8_t identifier, Type type, ByteView type_data) {
    return build_response(identifier, static_cast<uint8_t>(type), type_data);
}

// RFC 3748 §5.1: Request/Identity with an optional displayable prompt, and
// the Response carrying the identity (not NUL-terminated).
Result<Bytes> build_identity_request(uint8_t identifier, std::string_view prompt = {});
Result<Bytes> build_identity_response(uint8_t identifier, std::string_view identity);
// RFC 3748 §5.2: the Request carries displayable text; the Response is empty.
Result<Bytes> build_notification_request(uint8_t identifier, std::string_view text);
Bytes build_notification_response(uint8_t identifier);
// RFC 3748 §5.3.1: legacy Nak listing the desired authentication types; an
// empty list is sent as the single octet 0 ("no viable alternative").
Bytes build_nak(uint8_t identifier, std::span<const Type> desired);
// RFC 3748 §4.2: bare 4-octet Success and Failure.
Bytes build_success(uint8_t identifier);
Bytes build_failure(uint8_t identifier);

// RFC 3748 §5.3.1: the types a legacy Nak's data lists, in the peer's order.
// The octet 0 means "none"; Identity, Notification, Nak and Expanded are not
// authentication types and are dropped from the list.
std::vector<uint8_t> parse_nak(ByteView type_data);

}  // namespace lanyard::eap
