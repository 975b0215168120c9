// Pairwise key hierarchy (IEEE 802.11-2020 §12.7.1.3): PTK derivation and
// PMKID, for the AKMs Lanyard implements: 00-0F-AC:1 (802.1X, PRF over
// HMAC-SHA1) and 00-0F-AC:5 (802.1X-SHA256, KDF-SHA256), and their PSK twins
// 2 and 6, which derive keys the same way (used to replay captured PSK
// handshakes in tests).
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "common/secret.h"
#include "eapol/rsn_element.h"

namespace lanyard::eapol {

inline constexpr size_t kNonceLength = 32;
inline constexpr size_t kPmkLength = 32;

// True for the AKMs whose keys this file derives (1, 2, 5, 6).
bool akm_supported(uint32_t akm);
// §12.7.2 b.1: the Key Descriptor Version for an AKM: 2 (HMAC-SHA1-128 MIC,
// AES key wrap) for AKM 1/2 with a CCMP/GCMP pairwise cipher, 3 (AES-128-CMAC)
// for AKM 5/6. 0 for anything else.
uint8_t key_descriptor_version_for(uint32_t akm);
// Temporal key length of a cipher suite (Table 12-4): CCMP-128/GCMP-128 16,
// CCMP-256/GCMP-256 32, BIP-CMAC-128 16, BIP-CMAC-256 32; 0 when unknown or
// not implemented (TKIP, WEP).
size_t cipher_key_length(uint32_t cipher);

// §12.7.1.3: PTK = KCK || KEK || TK.
struct Ptk {
    SecretBytes kck;  // EAPOL-Key MIC key, 16 octets for these AKMs
    SecretBytes kek;  // EAPOL-Key encryption key, 16 octets
    SecretBytes tk;   // temporal key, cipher_key_length(pairwise cipher)
};

// §12.7.1.3: PTK = PRF-Length(PMK, "Pairwise key expansion",
//   Min(AA,SPA) || Max(AA,SPA) || Min(ANonce,SNonce) || Max(ANonce,SNonce))
// with the PRF of §12.7.1.2 (AKM 1/2) or KDF-SHA256 (AKM 5/6). PMK: 32 octets.
Result<Ptk> derive_ptk(uint32_t akm, uint32_t pairwise_cipher, ByteView pmk, const MacAddress& aa,
                       const MacAddress& spa, ByteView anonce, ByteView snonce);

// §12.7.1.3: PMKID = Truncate-128(HMAC-SHA1(PMK, "PMK Name" || AA || SPA))
// for AKM 1/2, HMAC-SHA256 for AKM 5/6.
Result<Pmkid> compute_pmkid(uint32_t akm, ByteView pmk, const MacAddress& aa, const MacAddress& spa);

// §12.7.1.3: for an 802.1X AKM the PMK is the first 256 bits of the MSK.
Result<SecretBytes> pmk_from_msk(const SecretBytes& msk);

}  // namespace lanyard::eapol
