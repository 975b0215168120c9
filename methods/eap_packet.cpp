#include "methods/eap_packet.h"

#include <algorithm>
#include <string>

namespace lanyard::eap {

namespace {

bool is_known_code(uint8_t code) { return code >= 1 && code <= 4; }

const char* code_name(Code code) {
    switch (code) {
        case Code::kRequest: return "Request";
        case Code::kResponse: return "Response";
        case Code::kSuccess: return "Success";
        case Code::kFailure: return "Failure";
    }
    return "?";
}

Result<Bytes> build_typed(Code code, uint8_t identifier, uint8_t type, ByteView type_data) {
    if (type_data.size() > kMaxTypeDataSize) {
        return make_error(ErrorCode::kLimit, "EAP type data of " + std::to_string(type_data.size()) +
                                                 " bytes does not fit the Length field");
    }
    ByteWriter w(kHeaderSize + 1 + type_data.size());
    w.u8(static_cast<uint8_t>(code))
        .u8(identifier)
        .u16(static_cast<uint16_t>(kHeaderSize + 1 + type_data.size()))
        .u8(type)
        .bytes(type_data);
    return w.take();
}

Bytes build_bare(Code code, uint8_t identifier) {
    ByteWriter w(kHeaderSize);
    w.u8(static_cast<uint8_t>(code)).u8(identifier).u16(static_cast<uint16_t>(kHeaderSize));
    return w.take();
}

}  // namespace

Result<Packet> parse_packet(ByteView data) {
    ByteReader r(data);
    auto code = r.u8();
    auto identifier = r.u8();
    auto length = r.u16();
    if (!code || !identifier || !length) {
        return make_error(ErrorCode::kTruncated, "EAP header needs 4 bytes, have " + std::to_string(data.size()));
    }
    if (!is_known_code(*code)) {
        return make_error(ErrorCode::kMalformed, "unknown EAP Code " + std::to_string(*code));
    }
    // RFC 3748 §4.1: a Length larger than the received packet means the
    // packet is silently discarded; octets beyond Length are padding.
    if (*length < kHeaderSize) {
        return make_error(ErrorCode::kMalformed, "EAP Length " + std::to_string(*length) + " below the header size");
    }
    if (*length > data.size()) {
        return make_error(ErrorCode::kTruncated, "EAP Length " + std::to_string(*length) + " exceeds the " +
                                                     std::to_string(data.size()) + " bytes received");
    }
    Packet p;
    p.code = static_cast<Code>(*code);
    p.identifier = *identifier;
    switch (p.code) {
        case Code::kSuccess:
        case Code::kFailure:
            // RFC 3748 §4.2: Success and Failure carry no data.
            if (*length != kHeaderSize) {
                return make_error(ErrorCode::kMalformed, std::string("EAP-") + code_name(p.code) + " with Length " +
                                                             std::to_string(*length) + " (must be 4)");
            }
            return p;
        case Code::kRequest:
        case Code::kResponse: {
            // RFC 3748 §4.1: Request and Response carry a Type octet.
            if (*length < kHeaderSize + 1) {
                return make_error(ErrorCode::kMalformed, std::string("EAP-") + code_name(p.code) + " without a Type");
            }
            auto body = r.sub_reader(*length - kHeaderSize);
            if (!body) return body.error();  // cannot happen: Length was checked
            auto type = body->u8();
            if (!type) return type.error();
            p.type = *type;
            ByteView rest = body->rest();
            p.type_data.assign(rest.begin(), rest.end());
            return p;
        }
    }
    return make_error(ErrorCode::kInternal, "unreachable EAP Code");
}

Result<Bytes> serialize_packet(const Packet& packet) {
    switch (packet.code) {
        case Code::kSuccess:
        case Code::kFailure:
            return build_bare(packet.code, packet.identifier);
        case Code::kRequest:
        case Code::kResponse:
            return build_typed(packet.code, packet.identifier, packet.type, packet.type_data);
    }
    return make_error(ErrorCode::kInternal, "unknown EAP Code in serialize_packet");
}

std::string describe(const Packet& packet) {
    std::string s = std::string(code_name(packet.code)) + " id=" + std::to_string(packet.identifier);
    if (packet.has_type()) {
        s += std::string(" type=") + type_name(packet.type) + "(" + std::to_string(packet.type) + ")" +
             " data=" + std::to_string(packet.type_data.size());
    }
    return s;
}

Result<Bytes> build_request(uint8_t identifier, uint8_t type, ByteView type_data) {
    return build_typed(Code::kRequest, identifier, type, type_data);
}

Result<Bytes> build_response(uint8_t identifier, uint8_t type, ByteView type_data) {
    return build_typed(Code::kResponse, identifier, type, type_data);
}

Result<Bytes> build_identity_request(uint8_t identifier, std::string_view prompt) {
    return build_request(identifier, Type::kIdentity, as_bytes(prompt));
}

Result<Bytes> build_identity_response(uint8_t identifier, std::string_view identity) {
    return build_response(identifier, Type::kIdentity, as_bytes(identity));
}

Result<Bytes> build_notification_request(uint8_t identifier, std::string_view text) {
    return build_request(identifier, Type::kNotification, as_bytes(text));
}

Bytes build_notification_response(uint8_t identifier) {
    // RFC 3748 §5.2: the Response has no Type-Data.
    return build_typed(Code::kResponse, identifier, static_cast<uint8_t>(Type::kNotification), {}).value();
}

Bytes build_nak(uint8_t identifier, std::span<const Type> desired) {
    Bytes data;
    data.reserve(desired.size() + 1);
    for (Type t : desired) data.push_back(static_cast<uint8_t>(t));
    if (data.empty()) data.push_back(0);  // RFC 3748 §5.3.1: 0 = no viable alternative
    // At most 256 distinct octets: always fits.
    return build_typed(Code::kResponse, identifier, static_cast<uint8_t>(Type::kNak),
                       ByteView(data).first(std::min<size_t>(data.size(), 255)))
        .value();
}

Bytes build_success(uint8_t identifier) { return build_bare(Code::kSuccess, identifier); }
Bytes build_failure(uint8_t identifier) { return build_bare(Code::kFailure, identifier); }

std::vector<uint8_t> parse_nak(ByteView type_data) {
    std::vector<uint8_t> out;
    for (uint8_t t : type_data) {
        if (t == 0) continue;  // "no alternative"
        if (t == static_cast<uint8_t>(Type::kIdentity) || t == static_cast<uint8_t>(Type::kNotification) ||
            t == static_cast<uint8_t>(Type::kNak) || t == static_cast<uint8_t>(Type::kExpanded)) {
            continue;
        }
        bool seen = false;
        for (uint8_t o : out) seen = seen || o == t;
        if (!seen) out.push_back(t);
    }
    return out;
}

}  // namespace lanyard::eap
