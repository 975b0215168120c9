// MS-MPPE-Send-Key / MS-MPPE-Recv-Key hiding (RFC 2548 §2.4.2, §2.4.3).
#include "radius/mppe_keys.h"

#include "crypto/hash.h"
#include "radius/radius_attributes.h"

namespace lanyard::radius {

namespace {

// b(1) = MD5(S | R | A); b(i) = MD5(S | c(i-1)).
Bytes block_key(ByteView secret, ByteView first, ByteView second) {
    Bytes input(secret.begin(), secret.end());
    input.insert(input.end(), first.begin(), first.end());
    input.insert(input.end(), second.begin(), second.end());
    Bytes out = crypto::md5(input);
    secure_wipe(input.data(), input.size());
    return out;
}

}  // namespace

Result<Bytes> encrypt_mppe_key(ByteView key, ByteView secret, const Authenticator& request_authenticator,
                               uint16_t salt) {
    // RFC 2548 §2.4.2: "The most significant bit (leftmost) of the Salt field MUST be set (1)."
    if ((salt & 0x8000) == 0) return make_error(ErrorCode::kMalformed, "MPPE salt high bit is clear");
    if (key.size() > kMaxMppeKeySize)
        return make_error(ErrorCode::kLimit, "MPPE key of " + std::to_string(key.size()) + " octets is too long");
    const size_t plain_len = (1 + key.size() + 15) / 16 * 16;
    SecretBytes p(plain_len);
    p.data()[0] = static_cast<uint8_t>(key.size());
    std::copy(key.begin(), key.end(), p.data() + 1);
    const uint8_t salt_octets[2] = {uint8_t(salt >> 8), uint8_t(salt)};
    Bytes out(salt_octets, salt_octets + 2);
    out.resize(2 + plain_len);
    for (size_t block = 0; block < plain_len; block += 16) {
        Bytes b = block == 0 ? block_key(secret, request_authenticator, ByteView(salt_octets, 2))
                             : block_key(secret, ByteView(out).subspan(2 + block - 16, 16), {});
        for (size_t i = 0; i < 16; ++i) out[2 + block + i] = p.data()[block + i] ^ b[i];
        secure_wipe(b.data(), b.size());
    }
    return out;
}

Result<SecretBytes> decrypt_mppe_key(ByteView value, ByteView secret, const Authenticator& request_authenticator) {
    if (value.size() < 2 + 16 || (value.size() - 2) % 16 != 0)
        return make_error(ErrorCode::kMalformed, "MPPE key attribute of " + std::to_string(value.size()) +
                                                     " octets is not 2 + 16n");
    if ((value[0] & 0x80) == 0) return make_error(ErrorCode::kMalformed, "MPPE salt high bit is clear");
    const ByteView salt = value.first(2);
    const ByteView cipher = value.subspan(2);
    SecretBytes p(cipher.size());
    for (size_t block = 0; block < cipher.size(); block += 16) {
        Bytes b = block == 0 ? block_key(secret, request_authenticator, salt)
                             : block_key(secret, cipher.subspan(block - 16, 16), {});
        for (size_t i = 0; i < 16; ++i) p.data()[block + i] = cipher[block + i] ^ b[i];
        secure_wipe(b.data(), b.size());
    }
    const size_t key_len = p.data()[0];
    if (key_len > p.size() - 1)
        return make_error(ErrorCode::kMalformed, "MPPE key length " + std::to_string(key_len) +
                                                     " exceeds the decrypted data (wrong secret?)");
    // RFC 2548 §2.4.2: padding is zero octets; anything else means a wrong
    // secret or a forged attribute. Also reject padding past one block.
    uint8_t pad = 0;
    for (size_t i = 1 + key_len; i < p.size(); ++i) pad |= p.data()[i];
    if (pad != 0) return make_error(ErrorCode::kMalformed, "MPPE key padding is not zero (wrong secret?)");
    if (p.size() - 1 - key_len >= 16) return make_error(ErrorCode::kMalformed, "MPPE key padding longer than a block");
    return SecretBytes(p.subspan(1, key_len));
}

Status add_mppe_keys(Packet& packet, ByteView send_key, ByteView recv_key, ByteView secret,
                     const Authenticator& request_authenticator, uint16_t send_salt, uint16_t recv_salt) {
    if (send_salt == recv_salt) return make_error(ErrorCode::kMalformed, "MPPE salts must be unique within a packet");
    const struct {
        uint8_t type;
        ByteView key;
        uint16_t salt;
    } keys[] = {{ms_attr::kMppeSendKey, send_key, send_salt}, {ms_attr::kMppeRecvKey, recv_key, recv_salt}};
    for (const auto& k : keys) {
        auto enc = encrypt_mppe_key(k.key, secret, request_authenticator, k.salt);
        if (!enc) return enc.error();
        auto vsa = build_vendor_specific(kVendorMicrosoft, k.type, *enc);
        if (!vsa) return vsa.error();
        LANYARD_TRY(packet.add(attr::kVendorSpecific, *vsa));
    }
    return ok_status();
}

Status add_msk_as_mppe_keys(Packet& packet, ByteView msk, ByteView secret, const Authenticator& request_authenticator,
                            uint16_t send_salt, uint16_t recv_salt) {
    if (msk.size() < 64) return make_error(ErrorCode::kMalformed, "MSK shorter than 64 octets");
    return add_mppe_keys(packet, msk.subspan(32, 32), msk.first(32), secret, request_authenticator, send_salt, recv_salt);
}

Result<std::optional<MppeKeys>> extract_mppe_keys(const Packet& packet, ByteView secret,
                                                 const Authenticator& request_authenticator) {
    auto send = find_vendor(packet, kVendorMicrosoft, ms_attr::kMppeSendKey);
    if (!send) return send.error();
    auto recv = find_vendor(packet, kVendorMicrosoft, ms_attr::kMppeRecvKey);
    if (!recv) return recv.error();
    if (send->empty() && recv->empty()) return std::optional<MppeKeys>();
    if (send->size() != 1 || recv->size() != 1)
        return make_error(ErrorCode::kMalformed, "expected one MS-MPPE-Send-Key and one MS-MPPE-Recv-Key, got " +
                                                     std::to_string(send->size()) + " and " + std::to_string(recv->size()));
    auto s = decrypt_mppe_key(send->front(), secret, request_authenticator);
    if (!s) return make_error(s.error().code, "MS-MPPE-Send-Key: " + s.error().detail);
    auto r = decrypt_mppe_key(recv->front(), secret, request_authenticator);
    if (!r) return make_error(r.error().code, "MS-MPPE-Recv-Key: " + r.error().detail);
    return std::optional<MppeKeys>(MppeKeys{std::move(*s), std::move(*r)});
}

SecretBytes msk_from_mppe_keys(const MppeKeys& keys) {
    SecretBytes msk(keys.recv.view());
    msk.append(keys.send.view());
    return msk;
}

}  // namespace lanyard::radius
