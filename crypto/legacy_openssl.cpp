// MD4 and DES from OpenSSL 3's legacy provider (the OpenSSL build).
#if !defined(LANYARD_TLS_mbedtls)
#include "crypto/legacy.h"

#include <openssl/evp.h>

#include <memory>

#include "common/secret.h"
#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

bool legacy_available() { return ensure_legacy_provider().ok(); }

Result<Bytes> md4(ByteView data) {
    LANYARD_TRY(ensure_legacy_provider());
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD4", nullptr);
    if (md == nullptr) {
        return make_error(ErrorCode::kUnsupported, "MD4 not available: " + drain_openssl_errors());
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    Bytes out(16);
    unsigned int len = 0;
    if (!ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
        (!data.empty() && EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1) ||
        EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
        return make_error(ErrorCode::kInternal, "MD4 failed: " + drain_openssl_errors());
    }
    return out;
}

Result<Bytes> des_encrypt_block(ByteView key8, ByteView clear8) {
    if (key8.size() != 8 || clear8.size() != 8) {
        return make_error(ErrorCode::kInternal, "DES needs an 8-byte key and an 8-byte block");
    }
    LANYARD_TRY(ensure_legacy_provider());
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "DES-ECB", nullptr);
    if (cipher == nullptr) {
        return make_error(ErrorCode::kUnsupported, "DES-ECB not available: " + drain_openssl_errors());
    }
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
    Bytes out(16);  // room for the block EVP may want; one block is produced
    int len = 0;
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher, key8.data(), nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, clear8.data(), 8) != 1 || len != 8) {
        return make_error(ErrorCode::kInternal, "DES-ECB failed: " + drain_openssl_errors());
    }
    out.resize(8);
    return out;
}

}  // namespace lanyard::crypto

#endif  // !LANYARD_TLS_mbedtls
