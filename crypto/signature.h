// Public-key signatures for IKEv2 AUTH (RFC 7296 §3.8, RFC 4754, RFC 7427)
// over OpenSSL EVP: RSA PKCS#1 v1.5 and ECDSA, keys from PEM/DER files.
// No OpenSSL type crosses this header.
#pragma once

#include <memory>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/hash.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY (PublicKey::adopt)

namespace lanyard::crypto {

enum class KeyType { kRsa, kEcdsaP256, kEcdsaP384, kEcdsaP521 };
const char* key_type_name(KeyType t);

// ECDSA signature encodings: RFC 4754 §7 wants r || s of fixed size (IKE
// AUTH methods 9-11); RFC 7427 and X.509 use DER (ECDSA-Sig-Value).
enum class EcdsaEncoding { kDer, kFixed };

class Certificate;

class PublicKey {
public:
    // From a DER SubjectPublicKeyInfo.
    static Result<PublicKey> from_spki(ByteView spki_der);
    // The key of a parsed certificate (shares the parse; no second decode).
    static Result<PublicKey> from_certificate(const Certificate& cert);
    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;
    ~PublicKey();

    KeyType type() const { return type_; }
    size_t bits() const { return bits_; }
    // kAuthFailed when the signature does not verify.
    Status verify(HashAlg hash, ByteView data, ByteView signature, EcdsaEncoding enc = EcdsaEncoding::kDer) const;

private:
    struct Impl;
    PublicKey(std::unique_ptr<Impl> impl, KeyType type, size_t bits);
    // Takes ownership of an OpenSSL EVP_PKEY (signature.cpp only).
    static Result<PublicKey> adopt(::evp_pkey_st* key);
    std::unique_ptr<Impl> impl_;
    KeyType type_;
    size_t bits_;
};

class PrivateKey {
public:
    // PEM (PKCS#8, traditional RSA/EC) or DER file; unencrypted only.
    static Result<PrivateKey> load_file(const std::string& path);
    static Result<PrivateKey> from_pem(std::string_view pem);
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    ~PrivateKey();

    KeyType type() const { return type_; }
    Result<Bytes> sign(HashAlg hash, ByteView data, EcdsaEncoding enc = EcdsaEncoding::kDer) const;
    // The DER SubjectPublicKeyInfo of the matching public key.
    Result<Bytes> public_spki() const;

private:
    struct Impl;
    PrivateKey(std::unique_ptr<Impl> impl, KeyType type);
    std::unique_ptr<Impl> impl_;
    KeyType type_;
};

}  // namespace lanyard::crypto
