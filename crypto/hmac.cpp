#include "crypto/hmac.h"

#include <array>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

EVP_MAC* hmac_mac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

// One keyless HMAC context per digest and thread, with its digest already
// set: a new HMAC duplicates it instead of looking the digest up by name on
// every EVP_MAC_init (a measurable cost per RADIUS packet under OpenSSL 3).
class HmacTemplates {
public:
    ~HmacTemplates() {
        for (EVP_MAC_CTX* ctx : contexts_) EVP_MAC_CTX_free(ctx);
    }
    EVP_MAC_CTX* get(HashAlg alg) {
        const size_t i = static_cast<size_t>(alg);
        if (i >= contexts_.size()) return nullptr;
        if (contexts_[i] == nullptr && hmac_mac() != nullptr) {
            EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac_mac());
            OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(hash_name(alg)), 0),
                OSSL_PARAM_construct_end(),
            };
            if (ctx != nullptr && EVP_MAC_CTX_set_params(ctx, params) != 1) {
                EVP_MAC_CTX_free(ctx);
                ctx = nullptr;
            }
            contexts_[i] = ctx;
        }
        return contexts_[i];
    }

private:
    std::array<EVP_MAC_CTX*, 8> contexts_{};
};

EVP_MAC_CTX* hmac_template(HashAlg alg) {
    thread_local HmacTemplates templates;
    return templates.get(alg);
}

}  // namespace

struct Hmac::Impl {
    EVP_MAC_CTX* ctx = nullptr;
    bool failed = false;
    bool finished = false;
    ~Impl() { EVP_MAC_CTX_free(ctx); }
};

Hmac::Hmac(HashAlg alg, std::unique_ptr<Impl> impl) : alg_(alg), impl_(std::move(impl)) {}
Hmac::Hmac(Hmac&& other) noexcept = default;
Hmac& Hmac::operator=(Hmac&& other) noexcept = default;
Hmac::~Hmac() = default;

Result<Hmac> Hmac::begin(HashAlg alg, ByteView key) {
    EVP_MAC* mac = hmac_mac();
    if (mac == nullptr) return make_error(ErrorCode::kUnsupported, "HMAC not available: " + drain_openssl_errors());
    EVP_MAC_CTX* tmpl = hmac_template(alg);
    if (tmpl == nullptr)
        return make_error(ErrorCode::kUnsupported, std::string("HMAC-") + hash_name(alg) + " not available: " +
                                                       drain_openssl_errors());
    auto impl = std::make_unique<Impl>();
    impl->ctx = EVP_MAC_CTX_dup(tmpl);
    if (impl->ctx == nullptr) return make_error(ErrorCode::kInternal, "HMAC context: " + drain_openssl_errors());
    // EVP_MAC_init() treats a null key as "keep the previous key"; an empty
    // key must still be a non-null pointer.
    static const unsigned char kEmpty = 0;
    const unsigned char* key_ptr = key.empty() ? &kEmpty : key.data();
    if (EVP_MAC_init(impl->ctx, key_ptr, key.size(), nullptr) != 1) {
        return make_error(ErrorCode::kInternal,
                          std::string("HMAC-") + hash_name(alg) + " init failed: " + drain_openssl_errors());
    }
    return Hmac(alg, std::move(impl));
}

Hmac& Hmac::update(ByteView data) {
    if (!impl_ || impl_->failed || impl_->finished) {
        if (impl_) impl_->failed = true;
        return *this;
    }
    if (!data.empty() && EVP_MAC_update(impl_->ctx, data.data(), data.size()) != 1) impl_->failed = true;
    return *this;
}

Result<Bytes> Hmac::finish() {
    if (!impl_ || impl_->finished) return make_error(ErrorCode::kInternal, "HMAC finished twice");
    impl_->finished = true;
    if (impl_->failed) return make_error(ErrorCode::kInternal, "HMAC update failed: " + drain_openssl_errors());
    Bytes out(digest_size(alg_));
    size_t len = 0;
    if (EVP_MAC_final(impl_->ctx, out.data(), &len, out.size()) != 1 || len != out.size()) {
        return make_error(ErrorCode::kInternal, "HMAC final failed: " + drain_openssl_errors());
    }
    return out;
}

Result<Bytes> hmac(HashAlg alg, ByteView key, ByteView data) { return hmac(alg, key, {data}); }

Result<Bytes> hmac(HashAlg alg, ByteView key, std::initializer_list<ByteView> pieces) {
    auto h = Hmac::begin(alg, key);
    if (!h) return h.error();
    for (ByteView piece : pieces) h->update(piece);
    return h->finish();
}

}  // namespace lanyard::crypto
