// The RSN element (IEEE 802.11-2020 §9.4.2.24): build, parse, and the
// authenticator's check of a station's choice against its own element.
//
//   Element ID 48 | Length | Version (LE16) | Group Data Cipher Suite (4)
//   | Pairwise Count (LE16) + suites | AKM Count (LE16) + suites
//   | RSN Capabilities (LE16) | PMKID Count (LE16) + PMKIDs (16 each)
//   | Group Management Cipher Suite (4)
//
// Every field after Version is optional from the end (§9.4.2.24.1); a
// missing field takes its default (CCMP-128, CCMP-128, 802.1X, 0, none,
// BIP-CMAC-128). Suite selectors are kept as 32-bit values, OUI in the high
// three octets and the suite type in the low one (0x000FAC04 = 00-0F-AC:4),
// exactly the value KeyInstallRequest and nl80211 take.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::eapol {

inline constexpr uint8_t kRsnElementId = 48;
inline constexpr uint16_t kRsnVersion = 1;

// §9.4.2.24.2 Table 9-149: cipher suite selectors.
inline constexpr uint32_t kCipherUseGroup = 0x000FAC00;
inline constexpr uint32_t kCipherWep40 = 0x000FAC01;
inline constexpr uint32_t kCipherTkip = 0x000FAC02;
inline constexpr uint32_t kCipherCcmp128 = 0x000FAC04;
inline constexpr uint32_t kCipherWep104 = 0x000FAC05;
inline constexpr uint32_t kCipherBipCmac128 = 0x000FAC06;
inline constexpr uint32_t kCipherGroupNotAllowed = 0x000FAC07;
inline constexpr uint32_t kCipherGcmp128 = 0x000FAC08;
inline constexpr uint32_t kCipherGcmp256 = 0x000FAC09;
inline constexpr uint32_t kCipherCcmp256 = 0x000FAC0A;
inline constexpr uint32_t kCipherBipGmac128 = 0x000FAC0B;
inline constexpr uint32_t kCipherBipGmac256 = 0x000FAC0C;
inline constexpr uint32_t kCipherBipCmac256 = 0x000FAC0D;

// §9.4.2.24.3 Table 9-151: AKM suite selectors. Lanyard implements 1 and 5
// (and their PSK twins 2 and 6, which derive keys the same way); the others
// are known by name only.
inline constexpr uint32_t kAkm8021x = 0x000FAC01;
inline constexpr uint32_t kAkmPsk = 0x000FAC02;
inline constexpr uint32_t kAkmFt8021x = 0x000FAC03;
inline constexpr uint32_t kAkmFtPsk = 0x000FAC04;
inline constexpr uint32_t kAkm8021xSha256 = 0x000FAC05;
inline constexpr uint32_t kAkmPskSha256 = 0x000FAC06;
inline constexpr uint32_t kAkmTdls = 0x000FAC07;
inline constexpr uint32_t kAkmSae = 0x000FAC08;
inline constexpr uint32_t kAkmFtSae = 0x000FAC09;
inline constexpr uint32_t kAkmApPeerKey = 0x000FAC0A;
inline constexpr uint32_t kAkm8021xSuiteB = 0x000FAC0B;
inline constexpr uint32_t kAkm8021xSuiteB192 = 0x000FAC0C;
inline constexpr uint32_t kAkmFt8021xSha384 = 0x000FAC0D;
inline constexpr uint32_t kAkmFilsSha256 = 0x000FAC0E;
inline constexpr uint32_t kAkmFilsSha384 = 0x000FAC0F;
inline constexpr uint32_t kAkmOwe = 0x000FAC12;

// "CCMP-128", "BIP-CMAC-128", ..., or "unknown".
const char* cipher_suite_name(uint32_t suite);
// "802.1X", "802.1X-SHA256", "FT-802.1X", "SAE", ..., or "unknown".
const char* akm_suite_name(uint32_t suite);

// §9.4.2.24.4 Figure 9-257: RSN Capabilities bits.
inline constexpr uint16_t kRsnCapPreauth = 0x0001;
inline constexpr uint16_t kRsnCapNoPairwise = 0x0002;
inline constexpr uint16_t kRsnCapPtksaReplayMask = 0x000C;
inline constexpr uint16_t kRsnCapGtksaReplayMask = 0x0030;
inline constexpr uint16_t kRsnCapMfpr = 0x0040;  // management frame protection required
inline constexpr uint16_t kRsnCapMfpc = 0x0080;  // management frame protection capable
inline constexpr uint16_t kRsnCapExtKeyId = 0x2000;
inline constexpr uint16_t kRsnCapOcvc = 0x4000;

// hostapd's and wpa_supplicant's ieee80211w: 0 disabled, 1 optional (MFPC),
// 2 required (MFPC and MFPR).
enum class MfpPolicy : uint8_t { kDisabled = 0, kOptional = 1, kRequired = 2 };
// The MFPC/MFPR bits for a policy.
uint16_t mfp_capability_bits(MfpPolicy policy);

inline constexpr size_t kPmkidLength = 16;
using Pmkid = std::array<uint8_t, kPmkidLength>;

struct RsnElement {
    uint16_t version = kRsnVersion;
    uint32_t group_cipher = kCipherCcmp128;
    std::vector<uint32_t> pairwise_ciphers{kCipherCcmp128};
    std::vector<uint32_t> akms{kAkm8021x};
    uint16_t capabilities = 0;
    std::vector<Pmkid> pmkids;
    // Absent means "not present in the element" (the default BIP-CMAC-128
    // applies when MFP is negotiated, §9.4.2.24.1).
    std::optional<uint32_t> group_management_cipher;

    bool mfp_capable() const { return (capabilities & kRsnCapMfpc) != 0; }
    bool mfp_required() const { return (capabilities & kRsnCapMfpr) != 0; }
    bool operator==(const RsnElement&) const = default;
};

// The element octets (ID and Length first). Writes Version through RSN
// Capabilities always, the PMKID list when it is not empty or a group
// management cipher follows, and the group management cipher when set.
// Errors: the body would exceed 255 octets.
Result<Bytes> build_rsn_element(const RsnElement& rsn);

// Parses one element starting at element[0] (ID 48). Octets after the
// element's Length are ignored; octets inside it after the last known field
// are ignored too (later amendments append fields). Errors: kTruncated when
// a count or the Length runs past the data, kMalformed for another element
// ID, version != 1, or a list count that does not fit its field.
Result<RsnElement> parse_rsn_element(ByteView element);
// The same on the body alone (what follows ID and Length).
Result<RsnElement> parse_rsn_body(ByteView body);

// The first RSN element in a sequence of elements (a Beacon body, an
// association request, or decrypted Key Data), as its raw octets. Errors:
// kTruncated for an element that overruns the data; kMalformed when absent.
Result<ByteView> find_rsn_element(ByteView elements);

// What an authenticator and a station agreed on (§12.6.3).
struct NegotiatedRsn {
    uint32_t akm = kAkm8021x;
    uint32_t pairwise_cipher = kCipherCcmp128;
    uint32_t group_cipher = kCipherCcmp128;
    bool mfp = false;  // management frame protection in use: an IGTK is sent
    uint32_t group_management_cipher = kCipherBipCmac128;
    std::vector<Pmkid> pmkids;  // the station's, for a PMKSA cache lookup
};

// The authenticator's check of a station's (re)association RSN element
// against its own (the Beacon's): one pairwise cipher and one AKM, both
// offered by us; the same group cipher; MFP rules of §12.6.3 (MFPR without
// MFPC is invalid; a side that requires MFP needs the other to be capable);
// the same group management cipher. kProtocol with the reason otherwise,
// for which the daemon answers the association with status 40-45 (§9.4.1.9).
Result<NegotiatedRsn> negotiate_rsn(const RsnElement& ours, const RsnElement& station);

}  // namespace lanyard::eapol
