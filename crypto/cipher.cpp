#include "crypto/cipher.h"

#include <openssl/evp.h>

#include <memory>

#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const EVP_CIPHER* cbc_cipher(size_t key_size) {
    switch (key_size) {
        case 16: return EVP_aes_128_cbc();
        case 24: return EVP_aes_192_cbc();
        case 32: return EVP_aes_256_cbc();
        default: return nullptr;
    }
}

const EVP_CIPHER* gcm_cipher(size_t key_size) {
    switch (key_size) {
        case 16: return EVP_aes_128_gcm();
        case 24: return EVP_aes_192_gcm();
        case 32: return EVP_aes_256_gcm();
        default: return nullptr;
    }
}

Error lib_error(const char* what) { return make_error(ErrorCode::kInternal, std::string(what) + ": " + drain_openssl_errors()); }

Result<Bytes> cbc(bool encrypt, ByteView key, ByteView iv, ByteView in) {
    const EVP_CIPHER* cipher = cbc_cipher(key.size());
    if (cipher == nullptr) return make_error(ErrorCode::kInternal, "AES-CBC key size " + std::to_string(key.size()));
    if (iv.size() != kAesBlockSize) return make_error(ErrorCode::kInternal, "AES-CBC IV must be 16 octets");
    if (in.size() % kAesBlockSize != 0) return make_error(ErrorCode::kMalformed, "AES-CBC input not a multiple of 16");
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
        return lib_error("AES-CBC init");
    }
    Bytes out(in.size() + kAesBlockSize);
    int len = 0;
    int fin = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
        return lib_error("AES-CBC");
    }
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

}  // namespace

Result<Bytes> aes_cbc_encrypt(ByteView key, ByteView iv, ByteView plaintext) { return cbc(true, key, iv, plaintext); }

Result<SecretBytes> aes_cbc_decrypt(ByteView key, ByteView iv, ByteView ciphertext) {
    auto out = cbc(false, key, iv, ciphertext);
    if (!out) return out.error();
    SecretBytes s(*out);
    secure_wipe(out->data(), out->size());
    return s;
}

Result<Bytes> aes_gcm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
    const EVP_CIPHER* cipher = gcm_cipher(key.size());
    if (cipher == nullptr) return make_error(ErrorCode::kInternal, "AES-GCM key size " + std::to_string(key.size()));
    if (nonce.size() != 12) return make_error(ErrorCode::kInternal, "AES-GCM nonce must be 12 octets");
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), nonce.data()) != 1) {
        return lib_error("AES-GCM init");
    }
    int len = 0;
    if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
        return lib_error("AES-GCM AAD");
    }
    Bytes out(plaintext.size() + kGcmTagSize);
    int fin = 0;
    if ((!plaintext.empty() &&
         EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1) ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize, out.data() + plaintext.size()) != 1) {
        return lib_error("AES-GCM encrypt");
    }
    return out;
}

Result<SecretBytes> aes_gcm_open(ByteView key, ByteView nonce, ByteView aad, ByteView sealed) {
    const EVP_CIPHER* cipher = gcm_cipher(key.size());
    if (cipher == nullptr) return make_error(ErrorCode::kInternal, "AES-GCM key size " + std::to_string(key.size()));
    if (nonce.size() != 12) return make_error(ErrorCode::kInternal, "AES-GCM nonce must be 12 octets");
    if (sealed.size() < kGcmTagSize) return make_error(ErrorCode::kMalformed, "AES-GCM input shorter than the tag");
    const size_t n = sealed.size() - kGcmTagSize;
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, key.data(), nonce.data()) != 1) {
        return lib_error("AES-GCM init");
    }
    int len = 0;
    if (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
        return lib_error("AES-GCM AAD");
    }
    SecretBytes out(n + kAesBlockSize);
    len = 0;
    if (n != 0 && EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data(), static_cast<int>(n)) != 1) {
        return lib_error("AES-GCM decrypt");
    }
    Bytes tag(sealed.begin() + static_cast<std::ptrdiff_t>(n), sealed.end());
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag.data()) != 1) {
        return lib_error("AES-GCM tag");
    }
    int fin = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
        drain_openssl_errors();
        return make_error(ErrorCode::kAuthFailed, "AES-GCM ICV mismatch");
    }
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

}  // namespace lanyard::crypto
