// IEEE 802.11-2020 §12.7.1.3 pairwise key hierarchy.
#include "eapol/ptk.h"

#include <algorithm>

#include "crypto/hmac.h"
#include "crypto/ieee80211_kdf.h"

namespace lanyard::eapol {

namespace {

bool uses_sha256(uint32_t akm) { return akm == kAkm8021xSha256 || akm == kAkmPskSha256; }

bool less_than(ByteView a, ByteView b) { return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()); }

}  // namespace

bool akm_supported(uint32_t akm) {
    return akm == kAkm8021x || akm == kAkmPsk || akm == kAkm8021xSha256 || akm == kAkmPskSha256;
}

uint8_t key_descriptor_version_for(uint32_t akm) {
    if (akm == kAkm8021x || akm == kAkmPsk) return 2;
    if (uses_sha256(akm)) return 3;
    return 0;
}

size_t cipher_key_length(uint32_t cipher) {
    switch (cipher) {
        case kCipherCcmp128:
        case kCipherGcmp128:
        case kCipherBipCmac128:
        case kCipherBipGmac128: return 16;
        case kCipherCcmp256:
        case kCipherGcmp256:
        case kCipherBipCmac256:
        case kCipherBipGmac256: return 32;
        default: return 0;
    }
}

Result<Ptk> derive_ptk(uint32_t akm, uint32_t pairwise_cipher, ByteView pmk, const MacAddress& aa,
                       const MacAddress& spa, ByteView anonce, ByteView snonce) {
    if (!akm_supported(akm))
        return make_error(ErrorCode::kUnsupported, std::string("PTK: AKM ") + akm_suite_name(akm) + " not implemented");
    const size_t tk_length = cipher_key_length(pairwise_cipher);
    if (tk_length == 0 || pairwise_cipher == kCipherBipCmac128 || pairwise_cipher == kCipherBipCmac256 ||
        pairwise_cipher == kCipherBipGmac128 || pairwise_cipher == kCipherBipGmac256)
        return make_error(ErrorCode::kUnsupported,
                          std::string("PTK: pairwise cipher ") + cipher_suite_name(pairwise_cipher) + " not implemented");
    if (pmk.size() != kPmkLength) return make_error(ErrorCode::kInternal, "PTK: the PMK must be 32 octets");
    if (anonce.size() != kNonceLength || snonce.size() != kNonceLength)
        return make_error(ErrorCode::kInternal, "PTK: nonces must be 32 octets");

    Bytes context;
    context.reserve(2 * MacAddress::kSize + 2 * kNonceLength);
    const bool aa_first = aa < spa;
    const ByteView a_min = aa_first ? aa.view() : spa.view();
    const ByteView a_max = aa_first ? spa.view() : aa.view();
    const bool anonce_first = less_than(anonce, snonce);
    const ByteView n_min = anonce_first ? anonce : snonce;
    const ByteView n_max = anonce_first ? snonce : anonce;
    for (ByteView piece : {a_min, a_max, n_min, n_max}) context.insert(context.end(), piece.begin(), piece.end());

    constexpr size_t kKckLength = 16;
    constexpr size_t kKekLength = 16;
    const size_t total = kKckLength + kKekLength + tk_length;
    auto ptk_bytes = uses_sha256(akm)
                         ? crypto::ieee80211_kdf(crypto::HashAlg::kSha256, pmk, "Pairwise key expansion", context, total * 8)
                         : crypto::ieee80211_prf(pmk, "Pairwise key expansion", context, total);
    if (!ptk_bytes) return ptk_bytes.error();
    Ptk ptk;
    ptk.kck = SecretBytes(ptk_bytes->subspan(0, kKckLength));
    ptk.kek = SecretBytes(ptk_bytes->subspan(kKckLength, kKekLength));
    ptk.tk = SecretBytes(ptk_bytes->subspan(kKckLength + kKekLength, tk_length));
    return ptk;
}

Result<Pmkid> compute_pmkid(uint32_t akm, ByteView pmk, const MacAddress& aa, const MacAddress& spa) {
    if (!akm_supported(akm))
        return make_error(ErrorCode::kUnsupported, std::string("PMKID: AKM ") + akm_suite_name(akm) + " not implemented");
    auto mac = crypto::hmac(uses_sha256(akm) ? crypto::HashAlg::kSha256 : crypto::HashAlg::kSha1, pmk,
                            {as_bytes("PMK Name"), aa.view(), spa.view()});
    if (!mac) return mac.error();
    Pmkid out{};
    std::copy_n(mac->begin(), kPmkidLength, out.begin());
    return out;
}

Result<SecretBytes> pmk_from_msk(const SecretBytes& msk) {
    if (msk.size() < kPmkLength) return make_error(ErrorCode::kProtocol, "PMK: the MSK is shorter than 32 octets");
    return SecretBytes(msk.first(kPmkLength));
}

}  // namespace lanyard::eapol
