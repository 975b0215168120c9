// The fixed 28-octet IKE header (RFC 7296 §3.1) and the 4-octet generic
// payload header (§3.2).
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "ike/ike_types.h"

namespace lanyard::ike {

inline constexpr size_t kIkeHeaderSize = 28;
inline constexpr size_t kGenericPayloadHeaderSize = 4;
// RFC 3948 §2.2: IKE on UDP port 4500 starts with four zero octets.
inline constexpr size_t kNonEspMarkerSize = 4;

struct IkeHeader {
    uint64_t spi_i = 0;
    uint64_t spi_r = 0;
    uint8_t next_payload = 0;  // PayloadType value, possibly unknown
    uint8_t major_version = 2;
    uint8_t minor_version = 0;
    ExchangeType exchange = ExchangeType::kIkeSaInit;
    uint8_t flags = 0;
    uint32_t message_id = 0;
    uint32_t length = 0;  // whole message, header included

    bool initiator() const { return (flags & kFlagInitiator) != 0; }
    bool response() const { return (flags & kFlagResponse) != 0; }
    bool operator==(const IkeHeader&) const = default;
};

// Parses the header. Rejects: short input, major version != 2 (the caller
// answers INVALID_MAJOR_VERSION, §2.5), exchange types outside 34..37 and 43,
// and a Length smaller than the header. It does not compare Length with the
// datagram size; parse_message() does.
Result<IkeHeader> parse_ike_header(ByteView data);
void write_ike_header(ByteWriter& w, const IkeHeader& h);

struct GenericPayloadHeader {
    uint8_t next_payload = 0;
    bool critical = false;
    uint16_t length = 0;  // header included
};
Result<GenericPayloadHeader> read_generic_header(ByteReader& r);
void write_generic_header(ByteWriter& w, uint8_t next_payload, bool critical, uint16_t length);

// Strips the RFC 3948 non-ESP marker from a datagram received on port 4500;
// a datagram that starts with a non-zero SPI is ESP and is refused here.
Result<ByteView> strip_non_esp_marker(ByteView datagram);

}  // namespace lanyard::ike
