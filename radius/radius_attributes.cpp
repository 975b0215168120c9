// Typed RADIUS attributes (RFC 2865 §5) and User-Password hiding (RFC 2865 §5.2).
#include "radius/radius_attributes.h"

#include "crypto/hash.h"

namespace lanyard::radius {

Status add_string(Packet& packet, uint8_t type, std::string_view text) { return packet.add(type, as_bytes(text)); }

void add_integer(Packet& packet, uint8_t type, uint32_t value) {
    const uint8_t v[4] = {uint8_t(value >> 24), uint8_t(value >> 16), uint8_t(value >> 8), uint8_t(value)};
    packet.attributes.push_back(Attribute{type, Bytes(v, v + 4)});
}

void add_ipv4(Packet& packet, uint8_t type, const Ipv4Address& address) {
    packet.attributes.push_back(Attribute{type, Bytes(address.begin(), address.end())});
}

std::optional<std::string> get_string(const Packet& packet, uint8_t type) {
    const Attribute* a = packet.find(type);
    if (a == nullptr) return std::nullopt;
    return to_string(a->value);
}

Result<std::optional<uint32_t>> get_integer(const Packet& packet, uint8_t type) {
    const Attribute* a = packet.find(type);
    if (a == nullptr) return std::optional<uint32_t>();
    if (a->value.size() != 4)
        return make_error(ErrorCode::kMalformed, "integer attribute " + std::to_string(type) + " has " +
                                                     std::to_string(a->value.size()) + " octets, not 4");
    const auto& v = a->value;
    return std::optional<uint32_t>((uint32_t(v[0]) << 24) | (uint32_t(v[1]) << 16) | (uint32_t(v[2]) << 8) | v[3]);
}

Result<std::optional<Ipv4Address>> get_ipv4(const Packet& packet, uint8_t type) {
    const Attribute* a = packet.find(type);
    if (a == nullptr) return std::optional<Ipv4Address>();
    if (a->value.size() != 4)
        return make_error(ErrorCode::kMalformed, "address attribute " + std::to_string(type) + " has " +
                                                     std::to_string(a->value.size()) + " octets, not 4");
    Ipv4Address out{};
    std::copy(a->value.begin(), a->value.end(), out.begin());
    return std::optional<Ipv4Address>(out);
}

void copy_proxy_state(const Packet& request, Packet& response) {
    for (const Attribute* a : request.find_all(attr::kProxyState)) response.attributes.push_back(*a);
}

namespace {

// RFC 2865 §5.2: b = MD5(S + chain), where chain is RA for the first block
// and the previous ciphertext block afterwards.
Bytes password_block_key(ByteView secret, ByteView chain) { return crypto::md5(concat(secret, chain)); }

}  // namespace

Result<Bytes> hide_user_password(ByteView password, ByteView secret, const Authenticator& request_authenticator) {
    if (password.size() > kMaxUserPasswordSize)
        return make_error(ErrorCode::kLimit, "User-Password longer than 128 octets");
    size_t padded = (password.size() + 15) / 16 * 16;
    if (padded == 0) padded = 16;
    SecretBytes p(padded);
    std::copy(password.begin(), password.end(), p.data());
    Bytes out(padded);
    ByteView chain(request_authenticator);
    for (size_t block = 0; block < padded; block += 16) {
        Bytes b = password_block_key(secret, chain);
        for (size_t i = 0; i < 16; ++i) out[block + i] = p.data()[block + i] ^ b[i];
        secure_wipe(b.data(), b.size());
        chain = ByteView(out).subspan(block, 16);
    }
    return out;
}

Result<SecretBytes> recover_user_password(ByteView hidden, ByteView secret, const Authenticator& request_authenticator) {
    if (hidden.size() < 16 || hidden.size() > kMaxUserPasswordSize || hidden.size() % 16 != 0)
        return make_error(ErrorCode::kMalformed, "User-Password of " + std::to_string(hidden.size()) +
                                                     " octets is not a multiple of 16 in 16..128");
    SecretBytes p(hidden.size());
    ByteView chain(request_authenticator);
    for (size_t block = 0; block < hidden.size(); block += 16) {
        Bytes b = password_block_key(secret, chain);
        for (size_t i = 0; i < 16; ++i) p.data()[block + i] = hidden[block + i] ^ b[i];
        secure_wipe(b.data(), b.size());
        chain = hidden.subspan(block, 16);
    }
    size_t len = p.size();
    while (len > 0 && p.data()[len - 1] == 0) --len;
    p.resize(len);
    return p;
}

}  // namespace lanyard::radius
