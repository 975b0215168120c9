// IKE SA key derivation (RFC 7296 §2.14) and rekeyed SKEYSEED (§2.18),
// CHILD_SA KEYMAT (§2.17).
#pragma once

#include <cstdint>

#include "common/secret.h"
#include "ike/crypto_suite.h"

namespace lanyard::ike {

struct IkeSaKeys {
    SecretBytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

// SKEYSEED = prf(Ni | Nr, g^ir) — HMAC PRFs take the whole nonce
// concatenation as key (§2.14).
Result<SecretBytes> derive_skeyseed(const IkeSuite& suite, ByteView ni, ByteView nr, ByteView g_ir);
// §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr).
Result<SecretBytes> derive_rekey_skeyseed(const IkeSuite& suite, ByteView old_sk_d, ByteView g_ir, ByteView ni,
                                          ByteView nr);
// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
//   prf+(SKEYSEED, Ni | Nr | SPIi | SPIr); SK_d/SK_p are the PRF size,
// SK_a the integrity key size, SK_e the cipher key (+ salt for GCM).
Result<IkeSaKeys> derive_ike_sa_keys(const IkeSuite& suite, ByteView skeyseed, ByteView ni, ByteView nr,
                                     uint64_t spi_i, uint64_t spi_r);
// Both steps for a fresh IKE_SA.
Result<IkeSaKeys> derive_ike_sa_keys_from_dh(const IkeSuite& suite, ByteView ni, ByteView nr, ByteView g_ir,
                                             uint64_t spi_i, uint64_t spi_r);

// §2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), split as
// initiator-to-responder encr|integ then responder-to-initiator encr|integ.
struct ChildSaKeys {
    SecretBytes encr_i, integ_i, encr_r, integ_r;
};
Result<ChildSaKeys> derive_child_sa_keys(crypto::HashAlg prf, const SkAlgorithms& esp, ByteView sk_d,
                                         ByteView g_ir_or_empty, ByteView ni, ByteView nr);

}  // namespace lanyard::ike
