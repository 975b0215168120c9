// MS-MPPE-Send-Key and MS-MPPE-Recv-Key (RFC 2548 §2.4.2, §2.4.3; vendor
// 311, types 16 and 17): the key hiding, and the MSK mapping used with EAP.
//
// MSK mapping: hostapd's authenticator (ieee802_1x_get_keys) builds the MSK
// as MS-MPPE-Recv-Key | MS-MPPE-Send-Key, and hostapd's RADIUS server sends
// Send-Key = MSK[32..64) and Recv-Key = MSK[0..32) (no RFC fixes this; it
// is the de-facto mapping FreeRADIUS and Windows NPS share). eapol_test
// compares its own MSK with exactly this concatenation and prints
// "MPPE keys OK".
#pragma once

#include <optional>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

// Keys longer than this do not fit one Vendor-Specific attribute:
// 247 - 2 (salt) = 245 octets of ciphertext, a multiple of 16 → 240,
// minus the key-length octet.
inline constexpr size_t kMaxMppeKeySize = 239;

// RFC 2548 §2.4.2: Salt (2 octets, high bit of the first set; the caller
// draws it at random, unique per key in a packet) followed by the encrypted
// String: P = key-length(1) | key | zero padding to a multiple of 16;
// b(1) = MD5(S | R | A), c(1) = p(1) xor b(1), b(i) = MD5(S | c(i-1)).
// R is the Request Authenticator of the Access-Request being answered.
// Fails (kMalformed) if the salt's high bit is clear, (kLimit) if the key is
// longer than kMaxMppeKeySize.
Result<Bytes> encrypt_mppe_key(ByteView key, ByteView secret, const Authenticator& request_authenticator,
                               uint16_t salt);

// Inverts encrypt_mppe_key on the sub-attribute value (Salt | String). The
// value must be 2 + 16n octets (n >= 1), the salt's high bit set, the
// key-length octet no larger than the plaintext after it, and the padding
// all zero — kMalformed otherwise.
Result<SecretBytes> decrypt_mppe_key(ByteView value, ByteView secret, const Authenticator& request_authenticator);

// Adds both keys as Microsoft Vendor-Specific attributes (send first, as
// hostapd does). Salts must differ (RFC 2548 §2.4.2 "MUST be unique").
Status add_mppe_keys(Packet& packet, ByteView send_key, ByteView recv_key, ByteView secret,
                     const Authenticator& request_authenticator, uint16_t send_salt, uint16_t recv_salt);

// Adds the keys for an EAP MSK of at least 64 octets: Recv-Key = MSK[0..32),
// Send-Key = MSK[32..64).
Status add_msk_as_mppe_keys(Packet& packet, ByteView msk, ByteView secret, const Authenticator& request_authenticator,
                            uint16_t send_salt, uint16_t recv_salt);

struct MppeKeys {
    SecretBytes send;
    SecretBytes recv;
};

// Finds and decrypts both keys. nullopt when neither is present; kMalformed
// when only one is, when either appears twice, or when one fails to decrypt.
Result<std::optional<MppeKeys>> extract_mppe_keys(const Packet& packet, ByteView secret,
                                                 const Authenticator& request_authenticator);

// MSK = Recv-Key | Send-Key (hostapd ieee802_1x_get_keys).
SecretBytes msk_from_mppe_keys(const MppeKeys& keys);

}  // namespace lanyard::radius
