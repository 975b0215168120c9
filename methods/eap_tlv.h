// EAP-TLV / EAP Extensions (EAP Type 33), as PEAP uses it inside the tunnel
// ([MS-PEAP] §2.2.8; draft-josefsson-pppext-eap-tls-eap-10 §4). Pure codec
// over ByteReader/ByteWriter: no state, no crypto.
//
// Type data of an EAP-TLV packet is a sequence of TLVs:
//   M(1) R(1) TLV Type(14) | Length(16) | Value(Length)
// TLVs we know:
//   Result TLV (3):        Status(2): 1 Success, 2 Failure
//   NAK TLV (4):           Vendor-Id(4) NAK-Type(2)
//   Crypto-Binding TLV (12), Length 56:
//       Reserved(1) Version(1) RecvVersion(1) SubType(1: 0 Request, 1 Response)
//       Nonce(32) Compound MAC(20)
// An unknown TLV with M set makes the receiver answer with a NAK TLV and
// ignore the packet ([MS-PEAP] §3.1.5.x; wpa_supplicant does the same); an
// unknown TLV without M is skipped.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::eap {

inline constexpr uint16_t kTlvMandatory = 0x8000;  // M bit
inline constexpr uint16_t kTlvReserved = 0x4000;   // R bit
inline constexpr uint16_t kTlvTypeMask = 0x3fff;
inline constexpr uint16_t kTlvResult = 3;
inline constexpr uint16_t kTlvNak = 4;
inline constexpr uint16_t kTlvCryptoBinding = 12;

inline constexpr uint16_t kTlvResultSuccess = 1;
inline constexpr uint16_t kTlvResultFailure = 2;

inline constexpr uint8_t kCryptoBindingRequest = 0;
inline constexpr uint8_t kCryptoBindingResponse = 1;
inline constexpr size_t kCryptoBindingValueLength = 56;
inline constexpr size_t kCryptoBindingTlvLength = 4 + kCryptoBindingValueLength;  // with the TLV header
inline constexpr size_t kCryptoBindingNonceLength = 32;
inline constexpr size_t kCompoundMacLength = 20;
// Offset of the Compound MAC inside the whole TLV (header included).
inline constexpr size_t kCompoundMacOffset = 4 + 4 + kCryptoBindingNonceLength;
// Bound on TLVs in one packet (DESIGN.md rule 3).
inline constexpr size_t kMaxTlvsPerPacket = 64;

struct CryptoBindingTlv {
    bool mandatory = false;
    uint8_t version = 0;
    uint8_t received_version = 0;
    uint8_t sub_type = kCryptoBindingRequest;
    std::array<uint8_t, kCryptoBindingNonceLength> nonce{};
    std::array<uint8_t, kCompoundMacLength> compound_mac{};
    // The whole TLV as received (60 octets, header first): the Compound MAC
    // is computed over these octets with the MAC zeroed.
    Bytes raw;
};

struct TlvMessage {
    std::optional<uint16_t> result;               // Result TLV status
    std::optional<CryptoBindingTlv> crypto_binding;
    std::optional<uint16_t> nak_type;             // a NAK TLV's NAK-Type
    std::optional<uint16_t> unknown_mandatory;    // first unknown TLV type with M set
    size_t skipped = 0;                           // unknown optional TLVs
};

// Parses the TLVs of an EAP-TLV packet's type data. Fails on a TLV running
// past the end, trailing octets shorter than a TLV header, a Result TLV whose
// length is not 2, a Crypto-Binding TLV whose length is not 56, a NAK TLV
// shorter than 6, a repeated Result or Crypto-Binding TLV, or more than
// kMaxTlvsPerPacket TLVs.
Result<TlvMessage> parse_tlvs(ByteView type_data);

// Builders append one TLV to `out`.
void append_result_tlv(ByteWriter& out, uint16_t status);   // M set, as Windows and hostapd send it
void append_nak_tlv(ByteWriter& out, uint16_t nak_type);     // M set, Vendor-Id 0
// Appends a Crypto-Binding TLV with a zero Compound MAC and returns the
// offset of the TLV in `out` (the caller fills the MAC, see peap_keys.h).
size_t append_crypto_binding_tlv(ByteWriter& out, const CryptoBindingTlv& tlv);

}  // namespace lanyard::eap
