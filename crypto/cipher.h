// Block-cipher modes used by IKEv2 SK payloads, over OpenSSL EVP:
// AES-CBC without padding (RFC 3602; IKE pads itself, RFC 7296 §3.14) and
// AES-GCM with a 16-octet tag (RFC 5282).
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::crypto {

inline constexpr size_t kAesBlockSize = 16;
inline constexpr size_t kGcmTagSize = 16;

// Key of 16, 24 or 32 octets; IV of 16; input a multiple of 16 octets.
Result<Bytes> aes_cbc_encrypt(ByteView key, ByteView iv, ByteView plaintext);
Result<SecretBytes> aes_cbc_decrypt(ByteView key, ByteView iv, ByteView ciphertext);

// Returns ciphertext || 16-octet tag. The nonce is 12 octets (RFC 5282 §4:
// 4-octet salt || 8-octet IV).
Result<Bytes> aes_gcm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);
// Input is ciphertext || tag; a wrong tag is kAuthFailed and yields nothing.
Result<SecretBytes> aes_gcm_open(ByteView key, ByteView nonce, ByteView aad, ByteView sealed);

}  // namespace lanyard::crypto
