// Transform types and IDs (RFC 7296 §3.3.2, IANA "IKEv2 Parameters";
// RFC 4868 for HMAC-SHA2, RFC 5282 for AES-GCM in IKE) and the parser for
// strongSwan/swanctl proposal strings ("aes256-sha256-modp2048", "default").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ike/payloads.h"

namespace lanyard::ike {

enum class TransformType : uint8_t { kEncr = 1, kPrf = 2, kInteg = 3, kDh = 4, kEsn = 5 };

enum class EncrId : uint16_t { kAesCbc = 12, kAesGcm8 = 18, kAesGcm12 = 19, kAesGcm16 = 20 };
enum class PrfId : uint16_t { kHmacSha1 = 2, kHmacSha256 = 5, kHmacSha384 = 6, kHmacSha512 = 7 };
enum class IntegId : uint16_t {
    kNone = 0,
    kHmacSha1_96 = 2,
    kHmacSha256_128 = 12,
    kHmacSha384_192 = 13,
    kHmacSha512_256 = 14,
};
enum class EsnId : uint16_t { kNo = 0, kYes = 1 };

inline Transform make_transform(TransformType type, uint16_t id) { return Transform{static_cast<uint8_t>(type), id, {}, {}}; }
inline Transform make_encr(EncrId id, uint16_t key_bits) {
    return Transform{static_cast<uint8_t>(TransformType::kEncr), static_cast<uint16_t>(id), key_bits, {}};
}

bool is_aead(uint16_t encr_id);
// "ENCR_AES_CBC_256", "PRF_HMAC_SHA2_256", "ECP_256", ... for logs.
std::string transform_name(const Transform& t);
// "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", like charon's log.
std::string proposal_to_string(const Proposal& p);

// Parses one swanctl proposal keyword list ("aes128-sha256-x25519") or a
// comma-separated list of them, for IKE or ESP. Follows charon's rules
// (proposal_keywords.txt, proposal.c): several algorithms of one type in a
// string are alternatives in one proposal; an IKE proposal without prf*
// takes its PRFs from the integrity algorithms; an AEAD IKE proposal needs
// an explicit prf*; ESP proposals get ESN "no" when none is named.
// "default" expands to the part of charon's default we implement (see
// transforms.cpp). Keywords we do not implement are kUnsupported.
Result<std::vector<Proposal>> parse_proposal_string(std::string_view text, ProtocolId protocol);

}  // namespace lanyard::ike
