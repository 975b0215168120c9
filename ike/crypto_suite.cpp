#include "ike/crypto_suite.h"

#include <string>

namespace lanyard::ike {

size_t SkAlgorithms::sk_a_size() const {
    switch (integ) {
        case IntegId::kNone: return 0;
        case IntegId::kHmacSha1_96: return 20;
        case IntegId::kHmacSha256_128: return 32;
        case IntegId::kHmacSha384_192: return 48;
        case IntegId::kHmacSha512_256: return 64;
    }
    return 0;
}

size_t SkAlgorithms::icv_size() const {
    if (aead()) {
        switch (encr) {
            case EncrId::kAesGcm8: return 8;
            case EncrId::kAesGcm12: return 12;
            case EncrId::kAesGcm16: return 16;
            case EncrId::kAesCbc: return 0;
        }
    }
    // RFC 4868 §2.1.1: truncated to half the hash size.
    switch (integ) {
        case IntegId::kNone: return 0;
        case IntegId::kHmacSha1_96: return 12;
        case IntegId::kHmacSha256_128: return 16;
        case IntegId::kHmacSha384_192: return 24;
        case IntegId::kHmacSha512_256: return 32;
    }
    return 0;
}

Result<SkAlgorithms> sk_algorithms_from_proposal(const Proposal& chosen) {
    SkAlgorithms sk;
    bool have_encr = false;
    bool have_integ = false;
    for (const Transform& t : chosen.transforms) {
        if (t.type == static_cast<uint8_t>(TransformType::kEncr)) {
            // Only AES-CBC and AES-GCM-16 are implemented (crypto/cipher.h).
            if (t.id != 12 && t.id != 20) return make_error(ErrorCode::kUnsupported, "encryption " + transform_name(t));
            if (!t.key_length || (*t.key_length != 128 && *t.key_length != 192 && *t.key_length != 256)) {
                return make_error(ErrorCode::kUnsupported, "AES key length missing or invalid");
            }
            sk.encr = static_cast<EncrId>(t.id);
            sk.encr_key_size = *t.key_length / 8;
            have_encr = true;
        } else if (t.type == static_cast<uint8_t>(TransformType::kInteg)) {
            if (t.id != 12 && t.id != 13 && t.id != 14 && t.id != 0) {
                return make_error(ErrorCode::kUnsupported, "integrity " + transform_name(t));
            }
            sk.integ = static_cast<IntegId>(t.id);
            have_integ = t.id != 0;
        }
    }
    if (!have_encr) return make_error(ErrorCode::kProtocol, "proposal without encryption transform");
    if (sk.aead()) {
        if (have_integ) return make_error(ErrorCode::kProtocol, "AEAD with an integrity transform");
        sk.integ = IntegId::kNone;
    } else if (!have_integ) {
        return make_error(ErrorCode::kProtocol, "non-AEAD proposal without integrity transform");
    }
    return sk;
}

Result<IkeSuite> ike_suite_from_proposal(const Proposal& chosen) {
    auto sk = sk_algorithms_from_proposal(chosen);
    if (!sk) return sk.error();
    IkeSuite suite;
    suite.sk = *sk;
    bool have_prf = false;
    bool have_dh = false;
    for (const Transform& t : chosen.transforms) {
        if (t.type == static_cast<uint8_t>(TransformType::kPrf)) {
            switch (t.id) {
                case 5: suite.prf = crypto::HashAlg::kSha256; break;
                case 6: suite.prf = crypto::HashAlg::kSha384; break;
                case 7: suite.prf = crypto::HashAlg::kSha512; break;
                default: return make_error(ErrorCode::kUnsupported, "PRF " + transform_name(t));
            }
            have_prf = true;
        } else if (t.type == static_cast<uint8_t>(TransformType::kDh)) {
            if (!crypto::is_supported_dh_group(t.id)) return make_error(ErrorCode::kUnsupported, "DH " + transform_name(t));
            suite.dh = static_cast<crypto::DhGroup>(t.id);
            have_dh = true;
        }
    }
    if (!have_prf || !have_dh) return make_error(ErrorCode::kProtocol, "IKE proposal without PRF or DH group");
    return suite;
}

}  // namespace lanyard::ike
