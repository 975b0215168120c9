// Message-Authenticator (RFC 3579 §3.2), Response Authenticator (RFC 2865 §3),
// Accounting-Request Authenticator (RFC 2866 §3), Blast-RADIUS policy.
#include "radius/message_authenticator.h"

#include <algorithm>
#include <optional>

#include "common/log.h"
#include "common/secret.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "radius/radius_attributes.h"

namespace lanyard::radius {

namespace {

constexpr size_t kAuthOffset = 4;

// The offset of the one Message-Authenticator value, nullopt when absent.
Result<std::optional<size_t>> find_message_authenticator(ByteView packet) {
    std::optional<size_t> found;
    bool duplicate = false, bad_length = false;
    auto walked = walk_attributes(packet, [&](uint8_t type, size_t off, size_t len) {
        if (type != attr::kMessageAuthenticator) return;
        if (found) duplicate = true;
        if (len != kMessageAuthenticatorSize) bad_length = true;
        found = off;
    });
    if (!walked) return walked.error();
    // RFC 3579 §3.2: "MUST NOT be present more than once"; Length = 18.
    if (duplicate) return make_error(ErrorCode::kMalformed, "more than one Message-Authenticator");
    if (bad_length) return make_error(ErrorCode::kMalformed, "Message-Authenticator value is not 16 octets");
    return found;
}

size_t packet_length(ByteView packet) { return (size_t(packet[2]) << 8) | packet[3]; }

Result<Bytes> hmac_with(ByteView packet, size_t ma_offset, const Authenticator& authenticator_field, ByteView secret) {
    Bytes copy(packet.begin(), packet.begin() + packet_length(packet));
    std::copy(authenticator_field.begin(), authenticator_field.end(), copy.begin() + kAuthOffset);
    std::fill_n(copy.begin() + ma_offset, kMessageAuthenticatorSize, 0);
    return crypto::hmac(crypto::HashAlg::kMd5, secret, copy);
}

// MD5(Code | ID | Length | authenticator_field | Attributes | Secret).
Authenticator md5_authenticator(ByteView packet, const Authenticator& authenticator_field, ByteView secret) {
    const size_t len = packet_length(packet);
    Bytes input(packet.begin(), packet.begin() + len);
    std::copy(authenticator_field.begin(), authenticator_field.end(), input.begin() + kAuthOffset);
    input.insert(input.end(), secret.begin(), secret.end());
    const Bytes d = crypto::md5(input);
    secure_wipe(input.data(), input.size());
    Authenticator a{};
    std::copy_n(d.begin(), kAuthenticatorSize, a.begin());
    return a;
}

Status verify_ma_at(ByteView packet, size_t offset, const Authenticator& field, ByteView secret) {
    auto expected = hmac_with(packet, offset, field, secret);
    if (!expected) return expected.error();
    if (!constant_time_equal(*expected, packet.subspan(offset, kMessageAuthenticatorSize)))
        return make_error(ErrorCode::kProtocol, "Message-Authenticator mismatch");
    return ok_status();
}

Authenticator header_authenticator(ByteView packet) {
    Authenticator a{};
    std::copy_n(packet.begin() + kAuthOffset, kAuthenticatorSize, a.begin());
    return a;
}

// Ensures exactly one Message-Authenticator; first when `first` is set.
void place_message_authenticator(Packet& p, bool first) {
    p.remove_all(attr::kMessageAuthenticator);
    Attribute ma{attr::kMessageAuthenticator, Bytes(kMessageAuthenticatorSize, 0)};
    if (first)
        p.attributes.insert(p.attributes.begin(), std::move(ma));
    else
        p.attributes.push_back(std::move(ma));
}

Status fill_message_authenticator(Bytes& wire, const Authenticator& field, ByteView secret) {
    auto off = find_message_authenticator(wire);
    if (!off) return off.error();
    if (!*off) return ok_status();
    auto mac = hmac_with(wire, **off, field, secret);
    if (!mac) return mac.error();
    std::copy(mac->begin(), mac->end(), wire.begin() + **off);
    return ok_status();
}

}  // namespace

Result<Bytes> compute_message_authenticator(ByteView packet, const Authenticator& authenticator_field, ByteView secret) {
    auto off = find_message_authenticator(packet);
    if (!off) return off.error();
    if (!*off) return make_error(ErrorCode::kMalformed, "no Message-Authenticator to compute");
    return hmac_with(packet, **off, authenticator_field, secret);
}

Result<Authenticator> compute_response_authenticator(ByteView packet, const Authenticator& request_authenticator,
                                                     ByteView secret) {
    LANYARD_TRY(walk_attributes(packet, [](uint8_t, size_t, size_t) {}));
    return md5_authenticator(packet, request_authenticator, secret);
}

Result<Authenticator> compute_accounting_request_authenticator(ByteView packet, ByteView secret) {
    LANYARD_TRY(walk_attributes(packet, [](uint8_t, size_t, size_t) {}));
    return md5_authenticator(packet, Authenticator{}, secret);
}

Result<Bytes> encode_access_request(const Packet& packet, ByteView secret, bool with_message_authenticator) {
    Packet p = packet;
    if (with_message_authenticator || p.find(attr::kMessageAuthenticator) != nullptr)
        place_message_authenticator(p, /*first=*/false);
    auto wire = serialize_packet(p);
    if (!wire) return wire.error();
    LANYARD_TRY(fill_message_authenticator(*wire, p.authenticator, secret));
    return wire;
}

Result<Bytes> encode_response(Packet packet, const Authenticator& request_authenticator, ByteView secret) {
    const bool access = packet.is(Code::kAccessAccept) || packet.is(Code::kAccessReject) || packet.is(Code::kAccessChallenge);
    if (access) place_message_authenticator(packet, /*first=*/true);
    packet.authenticator = request_authenticator;
    auto wire = serialize_packet(packet);
    if (!wire) return wire.error();
    // RFC 3579 §3.2: the MA covers the packet with the Request Authenticator;
    // the Response Authenticator is then computed over the finished MA.
    LANYARD_TRY(fill_message_authenticator(*wire, request_authenticator, secret));
    const Authenticator ra = md5_authenticator(*wire, request_authenticator, secret);
    std::copy(ra.begin(), ra.end(), wire->begin() + kAuthOffset);
    return wire;
}

Result<Bytes> encode_accounting_request(const Packet& packet, ByteView secret) {
    Packet p = packet;
    p.authenticator = Authenticator{};
    auto wire = serialize_packet(p);
    if (!wire) return wire.error();
    LANYARD_TRY(fill_message_authenticator(*wire, Authenticator{}, secret));
    const Authenticator ra = md5_authenticator(*wire, Authenticator{}, secret);
    std::copy(ra.begin(), ra.end(), wire->begin() + kAuthOffset);
    return wire;
}

Result<Packet> verify_response(ByteView datagram, const Authenticator& request_authenticator, ByteView secret) {
    auto parsed = parse_packet(datagram);
    if (!parsed) return parsed.error();
    auto ma = find_message_authenticator(datagram);
    if (!ma) return ma.error();
    const uint8_t code = parsed->code;
    const bool access = parsed->is(Code::kAccessAccept) || parsed->is(Code::kAccessReject) ||
                        parsed->is(Code::kAccessChallenge);
    if (!access && !parsed->is(Code::kAccountingResponse))
        return make_error(ErrorCode::kProtocol, std::string("unexpected response code ") + code_name(code) + " (" +
                                                    std::to_string(code) + ")");
    // CVE-2024-3596 (Blast-RADIUS): never accept an Access-* response without
    // a Message-Authenticator, whatever the request carried.
    if (access && !*ma)
        return make_error(ErrorCode::kProtocol, std::string(code_name(code)) + " without Message-Authenticator");
    if (*ma) LANYARD_TRY(verify_ma_at(datagram, **ma, request_authenticator, secret));
    const Authenticator expected = md5_authenticator(datagram, request_authenticator, secret);
    if (!constant_time_equal(expected, header_authenticator(datagram)))
        return make_error(ErrorCode::kProtocol, "Response Authenticator mismatch");
    return parsed;
}

Result<Packet> verify_access_request(ByteView datagram, ByteView secret, bool require_message_authenticator) {
    auto parsed = parse_packet(datagram);
    if (!parsed) return parsed.error();
    if (!parsed->is(Code::kAccessRequest) && !parsed->is(Code::kStatusServer))
        return make_error(ErrorCode::kProtocol, std::string("not an Access-Request: ") + code_name(parsed->code));
    auto ma = find_message_authenticator(datagram);
    if (!ma) return ma.error();
    if (!*ma) {
        if (parsed->find(attr::kEapMessage) != nullptr)
            return make_error(ErrorCode::kProtocol, "EAP-Message without Message-Authenticator (RFC 3579 §3.2)");
        if (parsed->is(Code::kStatusServer))
            return make_error(ErrorCode::kProtocol, "Status-Server without Message-Authenticator (RFC 5997 §3)");
        if (require_message_authenticator)
            return make_error(ErrorCode::kProtocol, "Access-Request without Message-Authenticator (required by policy)");
        return parsed;
    }
    LANYARD_TRY(verify_ma_at(datagram, **ma, parsed->authenticator, secret));
    return parsed;
}

Result<Packet> verify_accounting_request(ByteView datagram, ByteView secret) {
    auto parsed = parse_packet(datagram);
    if (!parsed) return parsed.error();
    if (!parsed->is(Code::kAccountingRequest))
        return make_error(ErrorCode::kProtocol, std::string("not an Accounting-Request: ") + code_name(parsed->code));
    auto ma = find_message_authenticator(datagram);
    if (!ma) return ma.error();
    if (*ma) LANYARD_TRY(verify_ma_at(datagram, **ma, Authenticator{}, secret));
    const Authenticator expected = md5_authenticator(datagram, Authenticator{}, secret);
    if (!constant_time_equal(expected, parsed->authenticator))
        return make_error(ErrorCode::kProtocol, "Accounting-Request Authenticator mismatch");
    return parsed;
}

}  // namespace lanyard::radius
