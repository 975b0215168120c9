// AES Key Wrap (RFC 3394), used by EAPOL-Key key data (IEEE 802.11-2020
// 12.7.2) and RADIUS key attributes.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::crypto {

// kek: 16, 24 or 32 bytes. plaintext: a multiple of 8 bytes, at least 16.
// Returns plaintext.size() + 8 bytes.
Result<Bytes> aes_wrap(ByteView kek, ByteView plaintext);

// The inverse; a failed integrity check (RFC 3394 §2.2.3) is kAuthFailed.
Result<SecretBytes> aes_unwrap(ByteView kek, ByteView ciphertext);

}  // namespace lanyard::crypto
