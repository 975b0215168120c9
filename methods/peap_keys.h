// PEAP key hierarchy and crypto binding ([MS-PEAP] §3.1.5.5 - §3.1.5.7), with
// the exact byte layout wpa_supplicant and hostapd use (so MSKs interoperate):
//
//   key_data = TLS-PRF-128(master, label, client.random | server.random)
//              label "client EAP encryption" (v0, and v1 by default) or
//              "client PEAP encryption" (v1 with peaplabel=1)
//   TK       = key_data[0..59]
//   PRF+ (version 0, [MS-PEAP] §3.1.5.5.2.1):
//       T1 = HMAC-SHA1(K, S | 0x01 | 0x00 | 0x00)
//       Tn = HMAC-SHA1(K, Tn-1 | S | n | 0x00 | 0x00)
//   PRF+ (version 1, draft-josefsson-pppext-eap-tls-eap-10):
//       Tn = HMAC-SHA1(K, Tn-1 | S | LEN | n)      (LEN = output length, 1 octet)
//   where S = label | seed.
//   IPMK | CMK = PRF+(TK[0..39], "Inner Methods Compound Keys" | ISK(32), 60)
//                (fast reconnect, no inner method: IPMK | CMK = TK[0..59])
//   Compound MAC = HMAC-SHA1(CMK, Crypto-Binding TLV (60 octets, MAC zeroed) | 0x19)
//   With crypto binding: MSK = first 64 of
//       PRF+(IPMK, "Session Key Generating Function" | 0x00, 128)
//   and no EMSK ([MS-PEAP] defines none); without it MSK = key_data[0..63]
//   and EMSK = key_data[64..127].
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "methods/eap_tlv.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

inline constexpr size_t kPeapTkLength = 60;
inline constexpr size_t kPeapIpmkLength = 40;
inline constexpr size_t kPeapCmkLength = 20;
inline constexpr size_t kPeapIskLength = 32;
inline constexpr std::string_view kPeapV1KeyLabel = "client PEAP encryption";

Result<SecretBytes> peap_prf_plus(uint8_t version, ByteView key, std::string_view label, ByteView seed,
                                  size_t length);

// The inner method's key, cut or zero-padded to 32 octets (no key: zeros).
SecretBytes peap_isk(ByteView inner_key);

struct CompoundKeys {
    SecretBytes ipmk;  // 40
    SecretBytes cmk;   // 20
};

// IPMK and CMK from the TK (>= 60 octets) and the ISK; fast_reconnect takes
// them straight from the TK.
Result<CompoundKeys> peap_compound_keys(uint8_t version, ByteView tk, ByteView isk, bool fast_reconnect);

// HMAC-SHA1(CMK, tlv with its MAC zeroed | 25). tlv is the 60-octet TLV.
Result<Bytes> peap_compound_mac(ByteView cmk, ByteView tlv);

// Fills the MAC of the Crypto-Binding TLV at `offset` in `message`.
Status peap_sign_crypto_binding(ByteView cmk, Bytes& message, size_t offset);
// Checks a received Crypto-Binding TLV's MAC (constant time).
bool peap_verify_crypto_binding(ByteView cmk, const CryptoBindingTlv& tlv);

// The CSK-based MSK (first 64 octets).
Result<SecretBytes> peap_binding_msk(uint8_t version, ByteView ipmk);

}  // namespace lanyard::eap

namespace lanyard::eap {

// The keys PEAP exports: phase1 = the TLS-derived key_data split as
// MSK|EMSK (tls_method_support's derive_tls_method_keys with PEAP's label)
// plus its Session-Id; with crypto binding, MSK from the IPMK and no EMSK.
Result<Keys> peap_method_keys(const Keys& phase1, uint8_t version, const SecretBytes* binding_ipmk);
// TK: the first 60 octets of key_data (MSK | EMSK).
SecretBytes peap_tk(const Keys& phase1);

}  // namespace lanyard::eap
