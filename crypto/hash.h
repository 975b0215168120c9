// Message digests (MD5, SHA-1, SHA-2) over OpenSSL's EVP interface, one-shot
// and incremental.
#pragma once

#include <memory>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::crypto {

enum class HashAlg { kMd5, kSha1, kSha256, kSha384, kSha512 };

// "MD5", "SHA1", "SHA256", ... (OpenSSL's fetch names).
const char* hash_name(HashAlg alg);
// Output length in bytes (16, 20, 32, 48, 64).
size_t digest_size(HashAlg alg);

// One-shot digest. Fails only if the library refuses the algorithm (for
// instance MD5 under a FIPS-only configuration).
Result<Bytes> digest(HashAlg alg, ByteView data);

// Conveniences for the default provider, where these digests cannot fail;
// a library failure here is a broken invariant and aborts with a log line.
Bytes md5(ByteView data);
Bytes sha1(ByteView data);
Bytes sha256(ByteView data);
Bytes sha384(ByteView data);
Bytes sha512(ByteView data);

// Incremental digest: begin, update any number of times, finish once.
class Hash {
public:
    static Result<Hash> begin(HashAlg alg);

    Hash(Hash&& other) noexcept;
    Hash& operator=(Hash&& other) noexcept;
    Hash(const Hash&) = delete;
    Hash& operator=(const Hash&) = delete;
    ~Hash();

    // A failure is remembered and reported by finish().
    Hash& update(ByteView data);
    // The digest; the object cannot be updated afterwards.
    Result<Bytes> finish();
    HashAlg alg() const { return alg_; }

private:
    struct Impl;
    Hash(HashAlg alg, std::unique_ptr<Impl> impl);

    HashAlg alg_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lanyard::crypto
