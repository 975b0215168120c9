#include "crypto/aes_wrap.h"

#include <openssl/evp.h>

#include <memory>

#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// RFC 3394 with the default IV A6A6A6A6A6A6A6A6 (§2.2.3.1).
const EVP_CIPHER* wrap_cipher(size_t kek_size) {
    static EVP_CIPHER* const aes128 = EVP_CIPHER_fetch(nullptr, "AES-128-WRAP", nullptr);
    static EVP_CIPHER* const aes192 = EVP_CIPHER_fetch(nullptr, "AES-192-WRAP", nullptr);
    static EVP_CIPHER* const aes256 = EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr);
    switch (kek_size) {
        case 16: return aes128;
        case 24: return aes192;
        case 32: return aes256;
        default: return nullptr;
    }
}

Status check_sizes(ByteView kek, size_t data_size, size_t min_size, const char* what) {
    if (wrap_cipher(kek.size()) == nullptr) {
        return make_error(ErrorCode::kInternal, "AES key wrap: KEK must be 16, 24 or 32 bytes, not " +
                                                    std::to_string(kek.size()));
    }
    if (data_size < min_size || data_size % 8 != 0) {
        return make_error(ErrorCode::kMalformed, std::string("AES key wrap: ") + what + " of " +
                                                     std::to_string(data_size) +
                                                     " bytes (needs a multiple of 8, at least " +
                                                     std::to_string(min_size) + ")");
    }
    return ok_status();
}

// Runs the wrap (encrypt=1) or unwrap (encrypt=0) transform into out.
bool run(ByteView kek, ByteView in, uint8_t* out, size_t out_size, int encrypt) {
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
    if (!ctx) return false;
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    int len = 0;
    int final_len = 0;
    if (EVP_CipherInit_ex2(ctx.get(), wrap_cipher(kek.size()), kek.data(), nullptr, encrypt, nullptr) != 1) {
        return false;
    }
    if (EVP_CipherUpdate(ctx.get(), out, &len, in.data(), static_cast<int>(in.size())) != 1) return false;
    if (EVP_CipherFinal_ex(ctx.get(), out + len, &final_len) != 1) return false;
    return static_cast<size_t>(len + final_len) == out_size;
}

}  // namespace

Result<Bytes> aes_wrap(ByteView kek, ByteView plaintext) {
    LANYARD_TRY(check_sizes(kek, plaintext.size(), 16, "plaintext"));
    Bytes out(plaintext.size() + 8);
    if (!run(kek, plaintext, out.data(), out.size(), 1)) {
        return make_error(ErrorCode::kInternal, "AES key wrap failed: " + drain_openssl_errors());
    }
    return out;
}

Result<SecretBytes> aes_unwrap(ByteView kek, ByteView ciphertext) {
    LANYARD_TRY(check_sizes(kek, ciphertext.size(), 24, "ciphertext"));
    SecretBytes out(ciphertext.size() - 8);
    if (!run(kek, ciphertext, out.data(), out.size(), 0)) {
        // OpenSSL reports the failed check as a generic cipher error: clear it.
        (void)drain_openssl_errors();
        return make_error(ErrorCode::kAuthFailed, "AES key unwrap: integrity check failed (RFC 3394 §2.2.3)");
    }
    return out;
}

}  // namespace lanyard::crypto
