#include "eapol/eapol_frame.h"

#include <limits>
#include <string>

namespace lanyard::eapol {

const char* packet_type_name(PacketType type) {
    switch (type) {
        case PacketType::kEapPacket: return "EAP-Packet";
        case PacketType::kStart: return "EAPOL-Start";
        case PacketType::kLogoff: return "EAPOL-Logoff";
        case PacketType::kKey: return "EAPOL-Key";
        case PacketType::kEncapsulatedAsfAlert: return "EAPOL-Encapsulated-ASF-Alert";
        case PacketType::kMka: return "EAPOL-MKA";
        case PacketType::kAnnouncementGeneric: return "EAPOL-Announcement (Generic)";
        case PacketType::kAnnouncementSpecific: return "EAPOL-Announcement (Specific)";
        case PacketType::kAnnouncementRequest: return "EAPOL-Announcement-Req";
    }
    return "unknown";
}

bool packet_type_supported(PacketType type) {
    switch (type) {
        case PacketType::kEapPacket:
        case PacketType::kStart:
        case PacketType::kLogoff:
        case PacketType::kKey:
            return true;
        case PacketType::kEncapsulatedAsfAlert:
        case PacketType::kMka:
        case PacketType::kAnnouncementGeneric:
        case PacketType::kAnnouncementSpecific:
        case PacketType::kAnnouncementRequest:
            return false;
    }
    return false;
}

Result<EapolPdu> parse_eapol_pdu(ByteView pdu) {
    ByteReader reader(pdu);
    auto version = reader.u8();
    auto type = reader.u8();
    auto length = reader.u16();
    if (!version || !type || !length) {
        return make_error(ErrorCode::kTruncated,
                          "EAPOL header needs 4 octets, have " + std::to_string(pdu.size()));
    }
    // §11.3.1: version 0 was never defined.
    if (*version == 0) return make_error(ErrorCode::kMalformed, "EAPOL protocol version 0");
    // §11.3.2 Table 11-3; §11.4 b: other types are not ours to process.
    if (*type > static_cast<uint8_t>(PacketType::kAnnouncementRequest)) {
        return make_error(ErrorCode::kUnsupported, "unknown EAPOL packet type " + std::to_string(*type));
    }
    // §11.3.3: the body length may not exceed what arrived; more is padding.
    auto body = reader.bytes(*length);
    if (!body) {
        return make_error(ErrorCode::kTruncated, "EAPOL body length " + std::to_string(*length) + " exceeds the " +
                                                     std::to_string(reader.remaining()) + " octets received");
    }
    EapolPdu out;
    out.version = *version;
    out.type = static_cast<PacketType>(*type);
    out.body = *body;
    return out;
}

Result<Bytes> build_eapol_pdu(uint8_t version, PacketType type, ByteView body) {
    if (body.size() > std::numeric_limits<uint16_t>::max()) {
        return make_error(ErrorCode::kLimit, "EAPOL body of " + std::to_string(body.size()) + " octets");
    }
    ByteWriter writer(kEapolHeaderSize + body.size());
    writer.u8(version).u8(static_cast<uint8_t>(type)).u16(static_cast<uint16_t>(body.size())).bytes(body);
    return writer.take();
}

Result<ByteView> eap_packet_in_body(ByteView body) {
    ByteReader reader(body);
    auto code = reader.u8();
    auto identifier = reader.u8();
    auto length = reader.u16();
    if (!code || !identifier || !length) {
        return make_error(ErrorCode::kTruncated, "EAP header needs 4 octets, body has " + std::to_string(body.size()));
    }
    if (*length < 4) return make_error(ErrorCode::kMalformed, "EAP Length " + std::to_string(*length) + " < 4");
    if (*length > body.size()) {
        return make_error(ErrorCode::kTruncated, "EAP Length " + std::to_string(*length) + " exceeds EAPOL body of " +
                                                     std::to_string(body.size()));
    }
    return body.first(*length);
}

}  // namespace lanyard::eapol
