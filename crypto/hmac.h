// HMAC (RFC 2104) with MD5, SHA-1 and SHA-2, one-shot and incremental, over
// OpenSSL's EVP_MAC interface.
#pragma once

#include <initializer_list>
#include <memory>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/hash.h"

namespace lanyard::crypto {

// HMAC-<alg>(key, data). An empty key is allowed (RFC 2104 pads it with zeros).
Result<Bytes> hmac(HashAlg alg, ByteView key, ByteView data);
// HMAC over the concatenation of several pieces (label || 0 || data || i ...),
// without building the concatenation.
Result<Bytes> hmac(HashAlg alg, ByteView key, std::initializer_list<ByteView> pieces);

class Hmac {
public:
    static Result<Hmac> begin(HashAlg alg, ByteView key);

    Hmac(Hmac&& other) noexcept;
    Hmac& operator=(Hmac&& other) noexcept;
    Hmac(const Hmac&) = delete;
    Hmac& operator=(const Hmac&) = delete;
    ~Hmac();

    // A failure is remembered and reported by finish().
    Hmac& update(ByteView data);
    Result<Bytes> finish();
    HashAlg alg() const { return alg_; }

private:
    struct Impl;
    Hmac(HashAlg alg, std::unique_ptr<Impl> impl);

    HashAlg alg_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lanyard::crypto
