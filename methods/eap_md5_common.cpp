#include "methods/eap_md5_common.h"

#include <algorithm>
#include <string>

#include "crypto/hash.h"

namespace lanyard::eap::md5 {

Result<ChallengeData> parse_value(ByteView type_data) {
    ByteReader r(type_data);
    auto size = r.u8();
    if (!size) return make_error(ErrorCode::kTruncated, "EAP-MD5 data without Value-Size");
    // RFC 1994 §4.1: the Value is one or more octets.
    if (*size == 0) return make_error(ErrorCode::kMalformed, "EAP-MD5 Value-Size 0");
    auto value = r.bytes(*size);
    if (!value) {
        return make_error(ErrorCode::kTruncated, "EAP-MD5 Value-Size " + std::to_string(*size) + " exceeds the " +
                                                     std::to_string(r.remaining()) + " bytes present");
    }
    return ChallengeData{*value, r.rest()};
}

Bytes build_value(ByteView value, ByteView name) {
    ByteWriter w(1 + value.size() + name.size());
    w.u8(static_cast<uint8_t>(value.size())).bytes(value).bytes(name);
    return w.take();
}

Result<std::array<uint8_t, kDigestSize>> chap_response(uint8_t identifier, const SecretBytes& secret,
                                                        ByteView challenge) {
    auto hash = crypto::Hash::begin(crypto::HashAlg::kMd5);
    if (!hash) return hash.error();
    const uint8_t id[1] = {identifier};
    hash->update(id).update(secret.view()).update(challenge);
    auto digest = hash->finish();
    if (!digest) return digest.error();
    if (digest->size() != kDigestSize) return make_error(ErrorCode::kInternal, "MD5 digest has the wrong size");
    std::array<uint8_t, kDigestSize> out{};
    std::copy(digest->begin(), digest->end(), out.begin());
    return out;
}

}  // namespace lanyard::eap::md5
