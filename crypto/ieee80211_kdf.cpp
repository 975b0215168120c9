// IEEE 802.11-2020 §12.7.1.2 (PRF) and §12.7.1.7.2 (KDF).
#include "crypto/ieee80211_kdf.h"

#include <array>

#include "crypto/hmac.h"

namespace lanyard::crypto {

Result<SecretBytes> ieee80211_prf(ByteView key, std::string_view label, ByteView data, size_t length) {
    constexpr size_t kBlock = 20;  // SHA-1 output
    if (length == 0 || (length + kBlock - 1) / kBlock > 255)
        return make_error(ErrorCode::kLimit, "IEEE 802.11 PRF: output length out of range");
    const uint8_t zero = 0;
    SecretBytes out;
    for (uint8_t i = 0; out.size() < length; ++i) {
        auto block = hmac(HashAlg::kSha1, key, {as_bytes(label), ByteView(&zero, 1), data, ByteView(&i, 1)});
        if (!block) return block.error();
        SecretBytes wiped(*block);
        secure_wipe(block->data(), block->size());
        out.append(wiped.first(std::min(kBlock, length - out.size())));
    }
    return out;
}

Result<SecretBytes> ieee80211_kdf(HashAlg hash, ByteView key, std::string_view label, ByteView context,
                                  size_t length_bits) {
    if (hash != HashAlg::kSha256 && hash != HashAlg::kSha384)
        return make_error(ErrorCode::kUnsupported, "IEEE 802.11 KDF: only SHA-256 and SHA-384");
    if (length_bits == 0 || length_bits % 8 != 0 || length_bits > 0xffff)
        return make_error(ErrorCode::kLimit, "IEEE 802.11 KDF: length must be a non-zero multiple of 8 bits");
    const size_t length = length_bits / 8;
    const size_t block_size = digest_size(hash);
    const std::array<uint8_t, 2> length_le{static_cast<uint8_t>(length_bits & 0xff),
                                           static_cast<uint8_t>(length_bits >> 8)};
    SecretBytes out;
    for (uint16_t i = 1; out.size() < length; ++i) {
        const std::array<uint8_t, 2> i_le{static_cast<uint8_t>(i & 0xff), static_cast<uint8_t>(i >> 8)};
        auto block = hmac(hash, key, {ByteView(i_le), as_bytes(label), context, ByteView(length_le)});
        if (!block) return block.error();
        SecretBytes wiped(*block);
        secure_wipe(block->data(), block->size());
        out.append(wiped.first(std::min(block_size, length - out.size())));
    }
    return out;
}

}  // namespace lanyard::crypto
