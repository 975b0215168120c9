#include "ike/ike_header.h"

#include <string>

namespace lanyard::ike {

bool is_known_exchange_type(uint8_t value) {
    return (value >= 34 && value <= 37) || value == 43;
}

const char* exchange_type_name(ExchangeType type) {
    switch (type) {
        case ExchangeType::kIkeSaInit: return "IKE_SA_INIT";
        case ExchangeType::kIkeAuth: return "IKE_AUTH";
        case ExchangeType::kCreateChildSa: return "CREATE_CHILD_SA";
        case ExchangeType::kInformational: return "INFORMATIONAL";
        case ExchangeType::kIkeIntermediate: return "IKE_INTERMEDIATE";
    }
    return "?";
}

bool is_known_payload_type(uint8_t value) {
    return (value >= 33 && value <= 48) || value == 53;
}

const char* payload_type_name(PayloadType type) {
    switch (type) {
        case PayloadType::kNone: return "NONE";
        case PayloadType::kSa: return "SA";
        case PayloadType::kKe: return "KE";
        case PayloadType::kIdi: return "IDi";
        case PayloadType::kIdr: return "IDr";
        case PayloadType::kCert: return "CERT";
        case PayloadType::kCertReq: return "CERTREQ";
        case PayloadType::kAuth: return "AUTH";
        case PayloadType::kNonce: return "No";
        case PayloadType::kNotify: return "N";
        case PayloadType::kDelete: return "D";
        case PayloadType::kVendorId: return "V";
        case PayloadType::kTsi: return "TSi";
        case PayloadType::kTsr: return "TSr";
        case PayloadType::kEncrypted: return "SK";
        case PayloadType::kConfig: return "CP";
        case PayloadType::kEap: return "EAP";
        case PayloadType::kEncryptedFragment: return "SKF";
    }
    return "?";
}

Result<IkeHeader> parse_ike_header(ByteView data) {
    if (data.size() < kIkeHeaderSize) {
        return make_error(ErrorCode::kTruncated, "IKE header needs 28 octets, have " + std::to_string(data.size()));
    }
    ByteReader r(data);
    IkeHeader h;
    h.spi_i = *r.u64();
    h.spi_r = *r.u64();
    h.next_payload = *r.u8();
    const uint8_t version = *r.u8();
    h.major_version = version >> 4;
    h.minor_version = version & 0x0f;
    const uint8_t exchange = *r.u8();
    h.flags = *r.u8();
    h.message_id = *r.u32();
    h.length = *r.u32();
    // RFC 7296 §2.5: a major version we do not speak is refused (the caller
    // may answer INVALID_MAJOR_VERSION); minor versions are ignored.
    if (h.major_version != 2) {
        return make_error(ErrorCode::kUnsupported, "IKE major version " + std::to_string(h.major_version));
    }
    if (!is_known_exchange_type(exchange)) {
        return make_error(ErrorCode::kUnsupported, "IKE exchange type " + std::to_string(exchange));
    }
    h.exchange = static_cast<ExchangeType>(exchange);
    if (h.length < kIkeHeaderSize) {
        return make_error(ErrorCode::kMalformed, "IKE Length " + std::to_string(h.length) + " < 28");
    }
    return h;
}

void write_ike_header(ByteWriter& w, const IkeHeader& h) {
    w.u64(h.spi_i).u64(h.spi_r).u8(h.next_payload);
    w.u8(static_cast<uint8_t>((h.major_version << 4) | (h.minor_version & 0x0f)));
    w.u8(static_cast<uint8_t>(h.exchange)).u8(h.flags).u32(h.message_id).u32(h.length);
}

Result<GenericPayloadHeader> read_generic_header(ByteReader& r) {
    if (r.remaining() < kGenericPayloadHeaderSize) {
        return make_error(ErrorCode::kTruncated, "generic payload header needs 4 octets");
    }
    GenericPayloadHeader g;
    g.next_payload = *r.u8();
    g.critical = (*r.u8() & 0x80) != 0;  // RFC 7296 §3.2: other bits RESERVED, ignored
    g.length = *r.u16();
    if (g.length < kGenericPayloadHeaderSize) {
        return make_error(ErrorCode::kMalformed, "payload length " + std::to_string(g.length) + " < 4");
    }
    return g;
}

void write_generic_header(ByteWriter& w, uint8_t next_payload, bool critical, uint16_t length) {
    w.u8(next_payload).u8(critical ? 0x80 : 0x00).u16(length);
}

Result<ByteView> strip_non_esp_marker(ByteView datagram) {
    if (datagram.size() < kNonEspMarkerSize) return make_error(ErrorCode::kTruncated, "datagram shorter than non-ESP marker");
    for (size_t i = 0; i < kNonEspMarkerSize; ++i) {
        if (datagram[i] != 0) return make_error(ErrorCode::kMalformed, "no non-ESP marker (ESP packet)");
    }
    return datagram.subspan(kNonEspMarkerSize);
}

}  // namespace lanyard::ike
