// The IEEE 802.11 key derivation functions: PRF-n over HMAC-SHA1
// (IEEE 802.11-2020 §12.7.1.2) and KDF-Hash-Length over HMAC-SHA256/384
// (§12.7.1.7.2). Used for the PTK (§12.7.1.3) and, later, FT and FILS keys.
#pragma once

#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "crypto/hash.h"

namespace lanyard::crypto {

// §12.7.1.2: PRF-n(K, A, B) = the first n bits of
//   HMAC-SHA1(K, A || 0 || B || 0) || HMAC-SHA1(K, A || 0 || B || 1) || ...
// length is in octets (n / 8); at most 255 HMAC blocks.
Result<SecretBytes> ieee80211_prf(ByteView key, std::string_view label, ByteView data, size_t length);

// §12.7.1.7.2: KDF-Hash-Length(K, label, context) = the first Length bits of
//   HMAC-Hash(K, i || label || context || Length), i = 1, 2, ...
// with i and Length as 16-bit little-endian integers. length_bits must be a
// multiple of 8 (every use in the standard is); hash is SHA-256 or SHA-384.
Result<SecretBytes> ieee80211_kdf(HashAlg hash, ByteView key, std::string_view label, ByteView context,
                                  size_t length_bits);

}  // namespace lanyard::crypto
