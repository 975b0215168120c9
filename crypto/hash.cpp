#include "crypto/hash.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "common/log.h"
#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

// Explicitly fetched digests, kept for the life of the process (implicit
// fetching by EVP_sha256() and friends would repeat the lookup per call).
const EVP_MD* fetch_md(HashAlg alg) {
    static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
    static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
    static EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    switch (alg) {
        case HashAlg::kMd5: return md5;
        case HashAlg::kSha1: return sha1;
        case HashAlg::kSha256: return sha256;
        case HashAlg::kSha384: return sha384;
        case HashAlg::kSha512: return sha512;
    }
    return nullptr;
}

Bytes must(Result<Bytes> r) {
    if (!r.ok()) {
        LOG_ERROR("crypto", "digest failed: %s", r.error().detail.c_str());
        std::abort();
    }
    return std::move(r).value();
}

}  // namespace

const char* hash_name(HashAlg alg) {
    switch (alg) {
        case HashAlg::kMd5: return "MD5";
        case HashAlg::kSha1: return "SHA1";
        case HashAlg::kSha256: return "SHA256";
        case HashAlg::kSha384: return "SHA384";
        case HashAlg::kSha512: return "SHA512";
    }
    return "?";
}

size_t digest_size(HashAlg alg) {
    switch (alg) {
        case HashAlg::kMd5: return 16;
        case HashAlg::kSha1: return 20;
        case HashAlg::kSha256: return 32;
        case HashAlg::kSha384: return 48;
        case HashAlg::kSha512: return 64;
    }
    return 0;
}

struct Hash::Impl {
    EVP_MD_CTX* ctx = nullptr;
    bool failed = false;
    bool finished = false;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hash::Hash(HashAlg alg, std::unique_ptr<Impl> impl) : alg_(alg), impl_(std::move(impl)) {}
Hash::Hash(Hash&& other) noexcept = default;
Hash& Hash::operator=(Hash&& other) noexcept = default;
Hash::~Hash() = default;

Result<Hash> Hash::begin(HashAlg alg) {
    const EVP_MD* md = fetch_md(alg);
    if (md == nullptr) {
        return make_error(ErrorCode::kUnsupported,
                          std::string(hash_name(alg)) + " not available: " + drain_openssl_errors());
    }
    auto impl = std::make_unique<Impl>();
    impl->ctx = EVP_MD_CTX_new();
    if (impl->ctx == nullptr || EVP_DigestInit_ex2(impl->ctx, md, nullptr) != 1) {
        return make_error(ErrorCode::kInternal,
                          std::string(hash_name(alg)) + " init failed: " + drain_openssl_errors());
    }
    return Hash(alg, std::move(impl));
}

Hash& Hash::update(ByteView data) {
    if (!impl_ || impl_->failed || impl_->finished) {
        if (impl_) impl_->failed = true;
        return *this;
    }
    if (!data.empty() && EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1) impl_->failed = true;
    return *this;
}

Result<Bytes> Hash::finish() {
    if (!impl_ || impl_->finished) return make_error(ErrorCode::kInternal, "digest finished twice");
    impl_->finished = true;
    if (impl_->failed) return make_error(ErrorCode::kInternal, "digest update failed: " + drain_openssl_errors());
    Bytes out(digest_size(alg_));
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) != 1 || len != out.size()) {
        return make_error(ErrorCode::kInternal, "digest final failed: " + drain_openssl_errors());
    }
    return out;
}

Result<Bytes> digest(HashAlg alg, ByteView data) {
    auto h = Hash::begin(alg);
    if (!h) return h.error();
    return h->update(data).finish();
}

Bytes md5(ByteView data) { return must(digest(HashAlg::kMd5, data)); }
Bytes sha1(ByteView data) { return must(digest(HashAlg::kSha1, data)); }
Bytes sha256(ByteView data) { return must(digest(HashAlg::kSha256, data)); }
Bytes sha384(ByteView data) { return must(digest(HashAlg::kSha384, data)); }
Bytes sha512(ByteView data) { return must(digest(HashAlg::kSha512, data)); }

}  // namespace lanyard::crypto
