// The backend-neutral part of crypto/legacy.h: RFC 2759 §8.6 key spreading.
// MD4 and DES themselves come from the TLS backend's library:
// legacy_openssl.cpp (OpenSSL 3 legacy provider) or legacy_mbedtls.cpp.
#include "crypto/legacy.h"

namespace lanyard::crypto {

SecretBytes des_expand_key_56(ByteView key7) {
    SecretBytes key(size_t{8});
    if (key7.size() != 7) return key;
    // Bit i of the 56-bit key goes to bit (7 - i % 7) of byte i / 7; the low
    // bit of each byte is parity (RFC 2759 §8.6 leaves it to the DES
    // implementation; odd parity is set for tidiness).
    for (size_t i = 0; i < 56; ++i) {
        const int bit = (key7[i / 8] >> (7 - i % 8)) & 1;
        key.data()[i / 7] |= static_cast<uint8_t>(bit << (7 - i % 7));
    }
    for (auto& b : key.span()) {
        int ones = __builtin_popcount(b & 0xfe);
        b = static_cast<uint8_t>((b & 0xfe) | ((ones % 2 == 0) ? 1 : 0));
    }
    return key;
}

Result<Bytes> des_encrypt_block_56(ByteView key7, ByteView clear8) {
    if (key7.size() != 7) return make_error(ErrorCode::kInternal, "DES-56 needs a 7-byte key");
    const SecretBytes key = des_expand_key_56(key7);
    return des_encrypt_block(key.view(), clear8);
}

}  // namespace lanyard::crypto
