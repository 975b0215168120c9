#include "crypto/cmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

struct MacCtxDeleter {
    void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

}  // namespace

Result<Bytes> aes_cmac(ByteView key, ByteView data) {
    const char* cipher = nullptr;
    switch (key.size()) {
        case 16: cipher = "AES-128-CBC"; break;
        case 32: cipher = "AES-256-CBC"; break;
        default:
            return make_error(ErrorCode::kInternal,
                              "AES-CMAC: key must be 16 or 32 bytes, not " + std::to_string(key.size()));
    }
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
    if (mac == nullptr) return make_error(ErrorCode::kUnsupported, "CMAC not available: " + drain_openssl_errors());
    std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(cipher), 0),
        OSSL_PARAM_construct_end(),
    };
    Bytes out(16);
    size_t len = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
        (!data.empty() && EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) ||
        EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
        return make_error(ErrorCode::kInternal, "AES-CMAC failed: " + drain_openssl_errors());
    }
    return out;
}

}  // namespace lanyard::crypto
