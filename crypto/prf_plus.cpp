#include "crypto/prf_plus.h"

#include "crypto/hmac.h"

namespace lanyard::crypto {

Result<SecretBytes> ike_prf(HashAlg alg, ByteView key, ByteView data) {
    auto out = hmac(alg, key, data);
    if (!out) return out.error();
    SecretBytes s(*out);
    secure_wipe(out->data(), out->size());
    return s;
}

Result<SecretBytes> prf_plus(HashAlg alg, ByteView key, ByteView seed, size_t length) {
    const size_t block = digest_size(alg);
    if (length > 255 * block) return make_error(ErrorCode::kLimit, "prf+ output longer than 255 blocks");
    SecretBytes out;
    SecretBytes t;
    for (unsigned n = 1; out.size() < length; ++n) {
        const uint8_t counter = static_cast<uint8_t>(n);
        auto h = hmac(alg, key, {t.view(), seed, ByteView(&counter, 1)});
        if (!h) return h.error();
        t.assign(*h);
        secure_wipe(h->data(), h->size());
        out.append(t.view());
    }
    out.resize(length);
    return out;
}

}  // namespace lanyard::crypto
