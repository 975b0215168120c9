// MD4 (RFC 1320) and DES (FIPS 46-3) from mbedTLS, for the TLS=mbedtls
// build, where MSCHAPv2 (RFC 2759 §8) must not depend on OpenSSL's legacy
// provider.
#if defined(LANYARD_TLS_mbedtls)
#include <mbedtls/des.h>
#include <mbedtls/md4.h>

#include "crypto/legacy.h"

namespace lanyard::crypto {

bool legacy_available() { return true; }

Result<Bytes> md4(ByteView data) {
    Bytes out(16);
    if (mbedtls_md4_ret(data.data(), data.size(), out.data()) != 0) {
        return make_error(ErrorCode::kInternal, "MD4 failed");
    }
    return out;
}

Result<Bytes> des_encrypt_block(ByteView key8, ByteView clear8) {
    if (key8.size() != 8 || clear8.size() != 8) {
        return make_error(ErrorCode::kInternal, "DES needs an 8-byte key and an 8-byte block");
    }
    mbedtls_des_context ctx;
    mbedtls_des_init(&ctx);
    Bytes out(8);
    const bool ok = mbedtls_des_setkey_enc(&ctx, key8.data()) == 0 &&
                    mbedtls_des_crypt_ecb(&ctx, clear8.data(), out.data()) == 0;
    mbedtls_des_free(&ctx);  // wipes the key schedule
    if (!ok) return make_error(ErrorCode::kInternal, "DES-ECB failed");
    return out;
}

}  // namespace lanyard::crypto

#endif  // LANYARD_TLS_mbedtls
