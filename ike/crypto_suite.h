// What a negotiated IKE proposal means for the crypto: PRF, SK cipher and
// integrity, DH group, and the key lengths RFC 7296 §2.14 needs.
#pragma once

#include "crypto/dh.h"
#include "crypto/hash.h"
#include "ike/payloads.h"
#include "ike/transforms.h"

namespace lanyard::ike {

struct SkAlgorithms {
    EncrId encr = EncrId::kAesCbc;
    size_t encr_key_size = 16;  // AES key octets, salt excluded
    IntegId integ = IntegId::kHmacSha256_128;  // kNone for AEAD

    bool aead() const { return is_aead(static_cast<uint16_t>(encr)); }
    // SK_e length: AES key plus, for GCM, the 4-octet salt (RFC 5282 §7.1).
    size_t sk_e_size() const { return encr_key_size + (aead() ? 4 : 0); }
    // SK_a length: the HMAC key is the hash size (RFC 4868 §2.1.1).
    size_t sk_a_size() const;
    size_t iv_size() const { return aead() ? 8 : 16; }
    size_t icv_size() const;
};

struct IkeSuite {
    crypto::HashAlg prf = crypto::HashAlg::kSha256;
    SkAlgorithms sk;
    crypto::DhGroup dh = crypto::DhGroup::kCurve25519;

    size_t prf_size() const { return crypto::digest_size(prf); }
};

// From a chosen IKE proposal (one transform per type). Algorithms that
// crypto/ does not implement are kUnsupported.
Result<IkeSuite> ike_suite_from_proposal(const Proposal& chosen);
// For a CHILD_SA's ESP proposal the DH group is optional; this only maps
// ENCR/INTEG, for KEYMAT lengths (RFC 7296 §2.17).
Result<SkAlgorithms> sk_algorithms_from_proposal(const Proposal& chosen);

}  // namespace lanyard::ike
