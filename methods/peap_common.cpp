#include "methods/peap_common.h"

#include <sstream>

#include "methods/eap_packet.h"

namespace lanyard::eap {

namespace {

bool has(const std::string& s, const char* option) { return s.find(option) != std::string::npos; }

bool is_whole_tlv(ByteView p, Code code) {
    return p.size() >= kHeaderSize + 1 && p[0] == static_cast<uint8_t>(code) &&
           p[4] == static_cast<uint8_t>(Type::kTlvExtensions);
}

Bytes with_header(Code code, uint8_t identifier, ByteView payload) {
    ByteWriter w(kHeaderSize + payload.size());
    w.u8(static_cast<uint8_t>(code)).u8(identifier).u16(static_cast<uint16_t>(kHeaderSize + payload.size()));
    w.bytes(payload);
    return w.take();
}

}  // namespace

PeapPhase1 parse_peap_phase1(const std::string& phase1) {
    PeapPhase1 p;
    if (has(phase1, "peapver=0")) p.forced_version = 0;
    if (has(phase1, "peapver=1")) p.forced_version = 1;
    if (has(phase1, "peaplabel=1")) p.new_label = true;
    if (has(phase1, "crypto_binding=0")) p.crypto_binding = CryptoBindingPolicy::kNone;
    if (has(phase1, "crypto_binding=1")) p.crypto_binding = CryptoBindingPolicy::kOptional;
    if (has(phase1, "crypto_binding=2")) p.crypto_binding = CryptoBindingPolicy::kRequired;
    if (has(phase1, "tls_disable_tlsv1_3=0")) p.allow_tls13 = true;
    return p;
}

std::vector<Type> parse_phase2_methods(const std::string& phase2) {
    std::vector<Type> out;
    std::istringstream in(phase2);
    std::string token;
    bool in_auth = false;
    while (in >> token) {
        std::string name = token;
        if (token.rfind("auth=", 0) == 0) {
            in_auth = true;
            name = token.substr(5);
        } else if (token.rfind("autheap=", 0) == 0) {
            in_auth = true;
            name = token.substr(8);
        } else if (token.find('=') != std::string::npos) {
            in_auth = false;
            continue;
        }
        if (!in_auth || name.empty()) continue;
        Type t;
        if (type_from_name(name, &t)) out.push_back(t);
    }
    return out;
}

Bytes peap_tunnel_encode(ByteView eap_packet, uint8_t version) {
    if (version == kPeapVersion0 && eap_packet.size() >= kHeaderSize &&
        !is_whole_tlv(eap_packet, Code::kRequest) && !is_whole_tlv(eap_packet, Code::kResponse)) {
        const ByteView body = eap_packet.subspan(kHeaderSize);
        return Bytes(body.begin(), body.end());
    }
    return Bytes(eap_packet.begin(), eap_packet.end());
}

Result<Bytes> peap_peer_decode(ByteView payload, uint8_t version, uint8_t outer_identifier) {
    if (payload.empty()) return make_error(ErrorCode::kMalformed, "empty tunnelled packet");
    if (version != kPeapVersion0) return Bytes(payload.begin(), payload.end());
    const bool whole_identity = payload.size() == 5 && payload[0] == static_cast<uint8_t>(Code::kRequest) &&
                                payload[2] == 0 && payload[3] == 5 &&
                                payload[4] == static_cast<uint8_t>(Type::kIdentity);
    if (whole_identity || is_whole_tlv(payload, Code::kRequest)) return Bytes(payload.begin(), payload.end());
    if (payload.size() > kMaxPacketSize - kHeaderSize)
        return make_error(ErrorCode::kLimit, "tunnelled packet too long");
    return with_header(Code::kRequest, outer_identifier, payload);
}

Result<Bytes> peap_server_decode(ByteView payload, uint8_t version, bool expect_whole, uint8_t inner_identifier) {
    if (payload.empty()) return make_error(ErrorCode::kMalformed, "empty tunnelled packet");
    if (version != kPeapVersion0 || expect_whole) return Bytes(payload.begin(), payload.end());
    if (payload.size() > kMaxPacketSize - kHeaderSize)
        return make_error(ErrorCode::kLimit, "tunnelled packet too long");
    return with_header(Code::kResponse, inner_identifier, payload);
}

}  // namespace lanyard::eap
