// The IKEv2 pseudo-random functions over HMAC-SHA2 (RFC 4868 §2.1:
// PRF_HMAC_SHA2_256/384/512) and prf+ (RFC 7296 §2.13).
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "crypto/hash.h"

namespace lanyard::crypto {

// prf(K, S) = HMAC-<alg>(K, S); RFC 4868 §2.1 uses the key as is (HMAC
// hashes keys longer than the block size).
Result<SecretBytes> ike_prf(HashAlg alg, ByteView key, ByteView data);

// RFC 7296 §2.13: prf+(K, S) = T1 | T2 | ..., T1 = prf(K, S | 0x01),
// Tn = prf(K, Tn-1 | S | n). At most 255 blocks; asking for more is an error.
Result<SecretBytes> prf_plus(HashAlg alg, ByteView key, ByteView seed, size_t length);

}  // namespace lanyard::crypto
