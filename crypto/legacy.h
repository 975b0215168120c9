// MD4 (RFC 1320) and single-block DES (FIPS 46-3) for MSCHAPv2 (RFC 2759
// §8). They come from the TLS backend's library: OpenSSL 3's "legacy" provider
// (legacy_openssl.cpp) or mbedTLS (legacy_mbedtls.cpp); without it every call
// fails with kUnsupported and a message that says so.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::crypto {

// True when the legacy provider is loaded (loads it on first call).
bool legacy_available();

Result<Bytes> md4(ByteView data);

// DES-ECB encryption of one 8-byte block with an 8-byte key (parity bits
// ignored).
Result<Bytes> des_encrypt_block(ByteView key8, ByteView clear8);

// RFC 2759 §8.6 DesEncrypt(): the 7-byte key is spread over 8 bytes, seven
// bits each, before encrypting one block.
Result<Bytes> des_encrypt_block_56(ByteView key7, ByteView clear8);

// The 7-to-8 byte spreading on its own (parity bits set to odd parity).
SecretBytes des_expand_key_56(ByteView key7);

}  // namespace lanyard::crypto
