// EAPOL-Key bodies (IEEE 802.1X-2010 §11.9; IEEE 802.1X-2004 §7.6):
// the Descriptor Type octet, then either the IEEE 802.11 key descriptor
// (IEEE 802.11-2020 §12.7.2, Figure 12-32; also WPA's type 254) or the
// legacy RC4 descriptor (802.1X-2004 §7.6.3). Framing only: MIC checks, key
// unwrapping and the 4-way handshake live elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::eapol {

// IEEE 802.1X-2010 §11.9 Table 11-5, plus the pre-RSN WPA value.
enum class KeyDescriptorType : uint8_t { kRc4 = 1, kIeee80211 = 2, kWpa = 254 };
const char* key_descriptor_type_name(KeyDescriptorType type);

// IEEE 802.11-2020 §12.7.2 Figure 12-33: the Key Information field.
class KeyInformation {
public:
    static constexpr uint16_t kDescriptorVersionMask = 0x0007;
    static constexpr uint16_t kKeyTypePairwise = 0x0008;
    static constexpr uint16_t kWpaKeyIndexMask = 0x0030;  // reserved in RSN
    static constexpr uint16_t kInstall = 0x0040;
    static constexpr uint16_t kKeyAck = 0x0080;
    static constexpr uint16_t kKeyMic = 0x0100;
    static constexpr uint16_t kSecure = 0x0200;
    static constexpr uint16_t kError = 0x0400;
    static constexpr uint16_t kRequest = 0x0800;
    static constexpr uint16_t kEncryptedKeyData = 0x1000;
    static constexpr uint16_t kSmkMessage = 0x2000;

    constexpr KeyInformation() = default;
    constexpr explicit KeyInformation(uint16_t bits) : bits_(bits) {}

    uint16_t bits() const { return bits_; }
    // 1: HMAC-MD5 + RC4, 2: HMAC-SHA1-128 + AES key wrap, 3: AES-128-CMAC,
    // 0: defined by the AKM (§12.7.2 b.1).
    uint8_t descriptor_version() const { return static_cast<uint8_t>(bits_ & kDescriptorVersionMask); }
    bool has(uint16_t flag) const { return (bits_ & flag) == flag; }
    void set(uint16_t flag, bool on) { bits_ = on ? static_cast<uint16_t>(bits_ | flag) : static_cast<uint16_t>(bits_ & ~flag); }
    void set_descriptor_version(uint8_t v) {
        bits_ = static_cast<uint16_t>((bits_ & ~kDescriptorVersionMask) | (v & kDescriptorVersionMask));
    }
    bool operator==(const KeyInformation&) const = default;

private:
    uint16_t bits_ = 0;
};

// The MIC length of every AKM implemented now (IEEE 802.11-2020 Table 12-11:
// 16 octets except the SHA-384 AKMs' 24 and FILS' 0).
inline constexpr size_t kDefaultMicLength = 16;
inline constexpr size_t kMaxMicLength = 32;

// IEEE 802.11-2020 Figure 12-32, for Descriptor Type 2 (RSN) and 254 (WPA).
struct Ieee80211KeyDescriptor {
    KeyDescriptorType type = KeyDescriptorType::kIeee80211;
    KeyInformation info;
    uint16_t key_length = 0;
    uint64_t replay_counter = 0;
    std::array<uint8_t, 32> nonce{};
    std::array<uint8_t, 16> iv{};
    std::array<uint8_t, 8> rsc{};
    std::array<uint8_t, 8> reserved{};  // "Key ID" in older texts
    Bytes mic;                          // the AKM's MIC length (16 here)
    Bytes key_data;                     // Key Data Length octets

    bool operator==(const Ieee80211KeyDescriptor&) const = default;
};

// Offset of the MIC within the EAPOL-Key body (after the Descriptor Type
// octet and the fixed fields), for MIC computation over a zeroed MIC.
inline constexpr size_t kIeee80211KeyMicOffset = 1 + 2 + 2 + 8 + 32 + 16 + 8 + 8;

// IEEE 802.1X-2004 §7.6.3: the RC4 key descriptor (WEP-era dynamic keys).
struct Rc4KeyDescriptor {
    uint16_t key_length = 0;
    uint64_t replay_counter = 0;
    std::array<uint8_t, 16> iv{};
    uint8_t key_index = 0;  // bit 7: unicast key; bits 0..6: index
    std::array<uint8_t, 16> signature{};
    Bytes key;  // empty: derive from the MS-MPPE key material (§7.6.3.7)

    static constexpr uint8_t kUnicastFlag = 0x80;
    bool operator==(const Rc4KeyDescriptor&) const = default;
};

using EapolKeyDescriptor = std::variant<Rc4KeyDescriptor, Ieee80211KeyDescriptor>;

// The Descriptor Type octet. kUnsupported for any other value.
Result<KeyDescriptorType> parse_key_descriptor_type(ByteView key_body);

// Parses an EAPOL-Key body (the EAPOL Packet Body). mic_length is the AKM's
// (ignored for RC4). Key Data Length must fit in what follows; octets after
// the key data are ignored (like the MIC, they are covered by the MIC check).
Result<EapolKeyDescriptor> parse_eapol_key(ByteView key_body, size_t mic_length = kDefaultMicLength);
Result<Ieee80211KeyDescriptor> parse_ieee80211_key(ByteView key_body, size_t mic_length = kDefaultMicLength);
Result<Rc4KeyDescriptor> parse_rc4_key(ByteView key_body);

// The body octets (Descriptor Type first). Errors: a MIC longer than
// kMaxMicLength, key data over 65535 octets, a type that is not 2 or 254.
Result<Bytes> build_ieee80211_key(const Ieee80211KeyDescriptor& key);
Bytes build_rc4_key(const Rc4KeyDescriptor& key);

}  // namespace lanyard::eapol
