#include "crypto/signature.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "crypto/openssl_support.h"
#include "crypto/x509_impl.h"

namespace lanyard::crypto {
namespace {

const EVP_MD* md_of(HashAlg h) {
    switch (h) {
        case HashAlg::kMd5: return EVP_md5();
        case HashAlg::kSha1: return EVP_sha1();
        case HashAlg::kSha256: return EVP_sha256();
        case HashAlg::kSha384: return EVP_sha384();
        case HashAlg::kSha512: return EVP_sha512();
    }
    return nullptr;
}

Result<KeyType> type_of(EVP_PKEY* key) {
    const int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_RSA) return KeyType::kRsa;
    if (id == EVP_PKEY_EC) {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &len) != 1) {
            return make_error(ErrorCode::kUnsupported, "EC key without a named group");
        }
        const std::string g(group);
        if (g == "prime256v1" || g == "P-256") return KeyType::kEcdsaP256;
        if (g == "secp384r1" || g == "P-384") return KeyType::kEcdsaP384;
        if (g == "secp521r1" || g == "P-521") return KeyType::kEcdsaP521;
        return make_error(ErrorCode::kUnsupported, "EC group " + g + " not supported");
    }
    return make_error(ErrorCode::kUnsupported, "key type " + std::to_string(id) + " not supported (RSA, ECDSA)");
}

size_t ec_field_size(KeyType t) {
    switch (t) {
        case KeyType::kEcdsaP256: return 32;
        case KeyType::kEcdsaP384: return 48;
        case KeyType::kEcdsaP521: return 66;
        case KeyType::kRsa: return 0;
    }
    return 0;
}

// r || s (fixed) <-> DER ECDSA-Sig-Value.
Result<Bytes> fixed_to_der(ByteView fixed, size_t n) {
    if (fixed.size() != 2 * n) return make_error(ErrorCode::kMalformed, "ECDSA signature has the wrong size");
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(fixed.data(), static_cast<int>(n), nullptr);
    BIGNUM* s = BN_bin2bn(fixed.data() + n, static_cast<int>(n), nullptr);
    if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return make_error(ErrorCode::kInternal, "ECDSA_SIG: " + drain_openssl_errors());
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (len <= 0) return make_error(ErrorCode::kInternal, "i2d_ECDSA_SIG failed");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Result<Bytes> der_to_fixed(ByteView der, size_t n) {
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (sig == nullptr) return make_error(ErrorCode::kInternal, "d2i_ECDSA_SIG failed");
    Bytes out(2 * n, 0);
    const int a = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out.data(), static_cast<int>(n));
    const int b = BN_bn2binpad(ECDSA_SIG_get0_s(sig), out.data() + n, static_cast<int>(n));
    ECDSA_SIG_free(sig);
    if (a < 0 || b < 0) return make_error(ErrorCode::kInternal, "ECDSA r/s too large");
    return out;
}

}  // namespace

const char* key_type_name(KeyType t) {
    switch (t) {
        case KeyType::kRsa: return "RSA";
        case KeyType::kEcdsaP256: return "ECDSA-256";
        case KeyType::kEcdsaP384: return "ECDSA-384";
        case KeyType::kEcdsaP521: return "ECDSA-521";
    }
    return "?";
}

struct PublicKey::Impl {
    EVP_PKEY* key = nullptr;
    ~Impl() { EVP_PKEY_free(key); }
};

PublicKey::PublicKey(std::unique_ptr<Impl> impl, KeyType type, size_t bits)
    : impl_(std::move(impl)), type_(type), bits_(bits) {}
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

Result<PublicKey> PublicKey::adopt(EVP_PKEY* key) {
    auto impl = std::make_unique<Impl>();
    impl->key = key;  // owned from here, also on the error path
    auto t = type_of(key);
    if (!t) return t.error();
    return PublicKey(std::move(impl), *t, static_cast<size_t>(EVP_PKEY_get_bits(key)));
}

Result<PublicKey> PublicKey::from_spki(ByteView spki_der) {
    const unsigned char* p = spki_der.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size()));
    if (key == nullptr) return make_error(ErrorCode::kMalformed, "bad SubjectPublicKeyInfo: " + drain_openssl_errors());
    return adopt(key);
}

Result<PublicKey> PublicKey::from_certificate(const Certificate& cert) {
    EVP_PKEY* key = X509_get_pubkey(cert.impl().x);  // a new reference
    if (key == nullptr) return make_error(ErrorCode::kMalformed, "certificate key: " + drain_openssl_errors());
    return adopt(key);
}

Status PublicKey::verify(HashAlg hash, ByteView data, ByteView signature, EcdsaEncoding enc) const {
    Bytes der;
    ByteView sig = signature;
    if (type_ != KeyType::kRsa && enc == EcdsaEncoding::kFixed) {
        auto d = fixed_to_der(signature, ec_field_size(type_));
        if (!d) return make_error(ErrorCode::kAuthFailed, d.error().detail);
        der = std::move(*d);
        sig = der;
    }
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) return make_error(ErrorCode::kInternal, "EVP_MD_CTX_new");
    int rc = EVP_DigestVerifyInit(ctx, nullptr, md_of(hash), nullptr, impl_->key);
    if (rc == 1) rc = EVP_DigestVerify(ctx, sig.data(), sig.size(), data.data(), data.size());
    EVP_MD_CTX_free(ctx);
    if (rc != 1) {
        (void)drain_openssl_errors();
        return make_error(ErrorCode::kAuthFailed, "signature does not verify");
    }
    return ok_status();
}

struct PrivateKey::Impl {
    EVP_PKEY* key = nullptr;
    ~Impl() { EVP_PKEY_free(key); }
};

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl, KeyType type) : impl_(std::move(impl)), type_(type) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr) return make_error(ErrorCode::kInternal, "BIO_new_mem_buf");
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    if (key == nullptr) {
        // DER (PKCS#8 or traditional)?
        (void)drain_openssl_errors();
        const unsigned char* p = reinterpret_cast<const unsigned char*>(pem.data());
        key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pem.size()));
    }
    BIO_free(bio);
    if (key == nullptr) return make_error(ErrorCode::kConfig, "no usable private key: " + drain_openssl_errors());
    auto impl = std::make_unique<Impl>();
    impl->key = key;
    auto t = type_of(key);
    if (!t) return t.error();
    return PrivateKey(std::move(impl), *t);
}

Result<PrivateKey> PrivateKey::load_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return make_error(ErrorCode::kConfig, "cannot open private key '" + path + "'");
    std::stringstream ss;
    ss << f.rdbuf();
    auto k = from_pem(ss.str());
    if (!k) return make_error(k.error().code, path + ": " + k.error().detail);
    return k;
}

Result<Bytes> PrivateKey::sign(HashAlg hash, ByteView data, EcdsaEncoding enc) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) return make_error(ErrorCode::kInternal, "EVP_MD_CTX_new");
    size_t len = 0;
    int rc = EVP_DigestSignInit(ctx, nullptr, md_of(hash), nullptr, impl_->key);
    if (rc == 1) rc = EVP_DigestSign(ctx, nullptr, &len, data.data(), data.size());
    Bytes sig(len);
    if (rc == 1) rc = EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size());
    EVP_MD_CTX_free(ctx);
    if (rc != 1) return make_error(ErrorCode::kInternal, "signing failed: " + drain_openssl_errors());
    sig.resize(len);
    if (type_ != KeyType::kRsa && enc == EcdsaEncoding::kFixed) return der_to_fixed(sig, ec_field_size(type_));
    return sig;
}

Result<Bytes> PrivateKey::public_spki() const {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(impl_->key, &der);
    if (len <= 0) return make_error(ErrorCode::kInternal, "i2d_PUBKEY failed");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

}  // namespace lanyard::crypto
